//! `mcp.discovery`: the MCP server as MCP 2025-03-26 had it, with no protected resource metadata:
//! the authorization server metadata at the MCP server's origin, or no metadata at all and the
//! default endpoints `/authorize`, `/token`, `/register`. A client that sends no `resource` gets a
//! token the MCP server accepts. Over real HTTP.

mod common;

use mock_idp::MockIdp;
use mock_idp::config::Discovery;
use serde_json::{Value, json};

async fn start(discovery: Discovery) -> MockIdp {
    let mut config = common::test_config();
    config.mcp.discovery = discovery;
    common::start_config(config).await
}

async fn get_status(url: String) -> u16 {
    common::http()
        .get(url)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The 401 challenge of an MCP request without a token.
async fn challenge(idp: &MockIdp) -> String {
    let r = initialize(idp, None).await;
    assert_eq!(r.status(), 401);
    r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string()
}

async fn initialize(idp: &MockIdp, token: Option<&str>) -> reqwest::Response {
    let mut req = common::http()
        .post(format!("{}/mcp", idp.url()))
        .header("accept", "application/json, text/event-stream")
        .json(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-03-26", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
        );
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

/// Registers a public client at `register`, authorizes at `authorize` and redeems at `token`,
/// never naming a resource (as 2025-03-26 clients did); the token response.
async fn flow_without_resource(
    idp: &MockIdp,
    [register, authorize, token]: [&str; 3],
) -> (Value, Option<String>) {
    let base = idp.url();
    let redirect = "http://127.0.0.1:4711/callback";
    let reg: Value = common::http()
        .post(format!("{base}{register}"))
        .json(
            &json!({"redirect_uris": [redirect], "token_endpoint_auth_method": "none",
                      "grant_types": ["authorization_code", "refresh_token"]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client_id = reg["client_id"].as_str().expect("a client_id").to_string();
    let resp = common::http()
        .get(format!("{base}{authorize}"))
        .query(&[
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", redirect),
            ("state", "st"),
            ("code_challenge", common::CHALLENGE),
            ("code_challenge_method", "S256"),
            ("scope", "mcp:read"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302, "{:?}", resp.text().await);
    let params = common::location_params(&resp);
    let code = params.get("code").expect("a code").clone();
    let body: Value = common::http()
        .post(format!("{base}{token}"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("client_id", &client_id),
            ("code_verifier", common::VERIFIER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (body, params.get("iss").cloned())
}

#[tokio::test]
async fn a_2025_03_26_server_has_no_resource_metadata_and_its_origin_serves_the_as_metadata() {
    let idp = start(Discovery::ServerMetadata2025).await;
    let base = idp.url();
    assert!(!challenge(&idp).await.contains("resource_metadata"));
    for prm in [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ] {
        assert_eq!(get_status(format!("{base}{prm}")).await, 404, "{prm}");
    }
    assert_eq!(
        get_status(format!("{base}/.well-known/oauth-authorization-server")).await,
        200
    );
    let (body, iss) = flow_without_resource(
        &idp,
        ["/oauth/register", "/oauth/authorize", "/oauth/token"],
    )
    .await;
    assert_eq!(
        iss.as_deref(),
        Some(idp.issuer()),
        "iss is advertised and sent"
    );
    let token = body["access_token"].as_str().expect("an access token");
    assert_eq!(initialize(&idp, Some(token)).await.status(), 200);
}

#[tokio::test]
async fn a_2025_03_26_server_without_metadata_serves_the_default_endpoints() {
    let idp = start(Discovery::DefaultEndpoints2025).await;
    let base = idp.url();
    assert!(!challenge(&idp).await.contains("resource_metadata"));
    for doc in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
        "/.well-known/oauth-protected-resource/mcp",
    ] {
        assert_eq!(get_status(format!("{base}{doc}")).await, 404, "{doc}");
    }
    let (body, iss) = flow_without_resource(&idp, ["/register", "/authorize", "/token"]).await;
    assert_eq!(
        iss, None,
        "no iss from a server that cannot advertise it (RFC 9207 §3)"
    );
    let token = body["access_token"].as_str().expect("an access token");
    assert_eq!(initialize(&idp, Some(token)).await.status(), 200);
}

#[test]
fn a_2025_03_26_server_with_a_path_issuer_or_another_origin_is_refused() {
    for extra in [
        "  authorization_server: tenant1\n",
        "  public_url: https://mcp.example/mcp\n",
    ] {
        let yaml = format!("tenants: [tenant1]\nmcp:\n  discovery: 2025-03-26-metadata\n{extra}");
        let err = mock_idp::Config::from_yaml(&yaml, "t", &|_| None).unwrap_err();
        assert!(err.to_string().contains("mcp.discovery"), "{err}");
    }
}
