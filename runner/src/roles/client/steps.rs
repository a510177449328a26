//! Steps of the `@client` scenarios: which provider the client under test is (Given: the
//! runner registers its client at the scenario's mock-idp and configures the adapter), how the
//! browser comes back or what the provider's ID token is like, and what the user does through
//! the client (When).

use cucumber::{given, when};
use serde_json::json;

use crate::roles::client::flow::{CLIENT_ID, CLIENT_SECRET, SERVICE_ID, SERVICE_SECRET, damage};
use crate::world::AuthWorld;

fn register(w: &mut AuthWorld, client: serde_json::Value) {
    let c: mock_idp::config::ClientConfig = serde_json::from_value(client).expect("a valid client");
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |cfg| cfg.clients.push(c)));
}

fn auth_code(w: &mut AuthWorld, openid: bool, method: &str) {
    let redirect = w.client_profile().redirect_uri.clone();
    w.agent.redactor.register("client_secret", CLIENT_SECRET);
    register(
        w,
        json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "token_endpoint_auth_method": method,
            "redirect_uris": [redirect],
            "grant_types": ["authorization_code", "refresh_token"],
            "scope": "openid profile email",
        }),
    );
    w.client_flow_mut().provider = Some((
        "oauth2_auth_code".into(),
        json!({
            "issuer": "{target}",
            "authorization_endpoint": "{target}/oauth/authorize",
            "token_endpoint": "{target}/oauth/token",
            "jwks_uri": "{target}/jwks",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "token_endpoint_auth_method": method,
            "redirect_uri": redirect,
            "scopes": ["profile"],
            "use_pkce": true,
            "openid": openid,
            "authorization_response_iss_parameter_supported": true,
        }),
    ));
}

#[given(
    regex = r"^the client under test is an authorization-code provider registered for (client_secret_basic|client_secret_post)$"
)]
async fn auth_code_provider(w: &mut AuthWorld, method: String) {
    auth_code(w, false, &method);
}

#[given("the client under test is an OpenID Connect provider")]
async fn oidc_provider(w: &mut AuthWorld) {
    auth_code(w, true, "client_secret_basic");
}

#[given("the client under test is a client-credentials provider")]
async fn service_provider(w: &mut AuthWorld) {
    w.agent.redactor.register("client_secret", SERVICE_SECRET);
    register(
        w,
        json!({
            "client_id": SERVICE_ID,
            "client_secret": SERVICE_SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["client_credentials"],
            "scope": "read write",
        }),
    );
    w.client_flow_mut().provider = Some((
        "client_credentials".into(),
        json!({
            "token_endpoint": "{target}/oauth/token",
            "client_id": SERVICE_ID,
            "client_secret": SERVICE_SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
            "scopes": ["read"],
        }),
    ));
}

/// The API key every scheme is configured with.
pub const API_KEY: &str = "k3y-for-authconform";

#[given(
    regex = r"^the client under test is an API-key provider with scheme (bearer|x_api_key|basic|custom)$"
)]
async fn api_key_provider(w: &mut AuthWorld, scheme: String) {
    w.agent.redactor.register("api_key", API_KEY);
    let mut config = json!({"scheme": scheme, "key": API_KEY});
    if scheme == "custom" {
        config["header"] = json!("X-Custom-Auth");
        config["prefix"] = json!("Token ");
    }
    w.client_flow_mut().provider = Some(("api_key".into(), config));
}

/// HTTP Basic credentials with the characters RFC 7617 leaves as they are (`:` in the password,
/// non-ASCII in UTF-8).
pub const BASIC_USER: &str = "svc-user";
pub const BASIC_PASSWORD: &str = "p@ss:wörd 1";

#[given("the client under test is an HTTP Basic provider")]
async fn basic_provider(w: &mut AuthWorld) {
    w.agent.redactor.register("password", BASIC_PASSWORD);
    w.client_flow_mut().provider = Some((
        "http_basic".into(),
        json!({"username": BASIC_USER, "password": BASIC_PASSWORD}),
    ));
}

#[given(
    regex = r"^the browser comes back with (a wrong state|no state|error=access_denied|no code|a wrong iss|no iss)$"
)]
async fn browser_comes_back(w: &mut AuthWorld, how: String) -> Result<(), String> {
    w.client_flow_mut().tamper = Some(damage(&how)?);
    Ok(())
}

#[given(
    regex = r"^the provider's ID token is (expired|wrong-issuer|wrong-audience|bad-signature|unknown-kid|alg-none|wrong-nonce)$"
)]
async fn id_token_flaw(w: &mut AuthWorld, flaw: String) {
    w.mcp_client_flow_mut().id_token_flaw = Some(flaw);
}

#[given(regex = r"^access tokens live (\d+) seconds$")]
async fn token_lifetime(w: &mut AuthWorld, secs: i64) {
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |c| c.tokens.access_token_ttl = secs));
}

#[given(regex = r"^refresh tokens live (\d+) seconds$")]
async fn refresh_lifetime(w: &mut AuthWorld, secs: i64) {
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |c| c.tokens.refresh_token_ttl = secs));
}

#[when(regex = r"^(alice|bob|hatter) signs in through the client under test$")]
async fn signs_in(w: &mut AuthWorld, user: String) -> Result<(), String> {
    w.client_ask("authenticate", &user).await.map(|_| ())
}

#[when(regex = r"^the client under test is asked for (alice|bob|hatter)'s headers$")]
async fn asked_for_headers(w: &mut AuthWorld, user: String) -> Result<(), String> {
    w.client_ask("headers", &user).await.map(|_| ())
}

#[when(regex = r"^the client under test sends (\w+)'s request to the MCP server$")]
async fn sends_mcp_request(w: &mut AuthWorld, user: String) -> Result<(), String> {
    w.client_send_mcp_request(&user).await
}

#[when(regex = r"^(\d+) seconds pass for the client$")]
async fn time_passes(w: &mut AuthWorld, secs: i64) -> Result<(), String> {
    w.client_pass_time(secs).await
}
