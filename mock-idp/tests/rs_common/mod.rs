//! Shared helpers for the reference resource server's integration tests: a mock started on port 0
//! with the built-in target's `resource_server` section and a frozen clock, tokens minted to order
//! with `mock_idp::mint`, and requests whose answer is reduced to status, challenge and body.
#![allow(dead_code)]

use mock_idp::mint::{Flaw, MintRequest};
use mock_idp::{Config, MockIdp, StartOptions};
use reqwest::Method;
use serde_json::{Map, Value};

/// Where the frozen clock starts.
pub const NOW: i64 = 1_800_000_000;

/// Every workspace scope, so that only roles decide.
pub const ALL_SCOPES: &str = "workspace:read workspace:write workspace:admin";

/// The item alice's workspace starts with.
pub const ITEM_1: &str = "/api/workspaces/ws-alice/items/item-1";

/// The built-in target's configuration: its workspaces, API keys and Basic users are what the
/// `@rs` scenarios certify, so the tests use the very same file.
pub fn config() -> Config {
    Config::from_yaml(
        include_str!("../../../fixtures/targets/builtin-mock-idp.yaml"),
        "builtin-mock-idp.yaml",
        &|_| None,
    )
    .expect("the built-in target's config parses")
}

/// A started mock with the built-in configuration and a frozen clock.
pub async fn start() -> MockIdp {
    start_config(config()).await
}

pub async fn start_config(config: Config) -> MockIdp {
    MockIdp::start_with(
        config,
        StartOptions {
            frozen_at: Some(NOW),
            ..Default::default()
        },
    )
    .await
    .expect("mock-idp starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A token request for `sub` with `scope` and the `workspaces` roles claim `roles` (a map
/// `{workspace: role}` or a list of `"workspace:role"`).
pub fn request(sub: &str, scope: &str, roles: Value) -> MintRequest {
    let mut claims = Map::new();
    claims.insert("workspaces".into(), roles);
    MintRequest {
        sub: Some(sub.into()),
        scope: Some(scope.into()),
        claims,
        ..Default::default()
    }
}

/// Alice, viewer of ws-alice, with scope `workspace:read`: the valid token of the tests.
pub fn alice() -> MintRequest {
    request(
        "alice",
        "workspace:read",
        serde_json::json!({"ws-alice": "viewer"}),
    )
}

/// Alice's valid token with a deliberate defect.
pub fn alice_with(flaw: Flaw) -> MintRequest {
    MintRequest {
        flaw: Some(flaw),
        ..alice()
    }
}

/// Mints `req` at the mock's virtual now.
pub fn mint(idp: &MockIdp, req: &MintRequest) -> String {
    mock_idp::mint::mint(idp.state(), req)
        .expect("the token mints")
        .token
}

/// What the server answered, reduced to what the tests assert.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The `WWW-Authenticate` header, if any.
    pub www: Option<String>,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// The `error` attribute of the challenge (not `error_description`).
    pub fn challenge_error(&self) -> Option<&str> {
        let www = self.www.as_deref()?;
        let start = www.find("error=\"")? + "error=\"".len();
        let len = www[start..].find('"')?;
        Some(&www[start..start + len])
    }
}

pub async fn send(req: reqwest::RequestBuilder) -> Answer {
    let resp = req.send().await.expect("the request is answered");
    let status = resp.status().as_u16();
    let www = resp
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        www,
        body,
        text,
    }
}

/// A request to the mock, with a bearer token when given.
pub fn call(
    idp: &MockIdp,
    method: Method,
    path: &str,
    token: Option<&str>,
) -> reqwest::RequestBuilder {
    let req = http().request(method, format!("{}{path}", idp.url()));
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

/// `GET path` with a bearer token.
pub async fn get(idp: &MockIdp, path: &str, token: &str) -> Answer {
    send(call(idp, Method::GET, path, Some(token))).await
}

/// `GET /api/workspaces/ws-alice/items/item-1` with a bearer token.
pub async fn read_item_1(idp: &MockIdp, token: &str) -> Answer {
    get(idp, ITEM_1, token).await
}

/// The bare RFC 6750 §3 challenge of the workspace API (its realm is its audience).
pub fn bare_challenge(idp: &MockIdp) -> String {
    format!("Bearer realm=\"{}/api\"", idp.url())
}

/// Calls the admin API; the status and the JSON answer.
pub async fn admin(idp: &MockIdp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = http().request(method, format!("{}/_admin/{path}", idp.url()));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let a = send(req).await;
    (a.status, a.body)
}

/// Switches a fault on through the admin API.
pub async fn fault_on(idp: &MockIdp, name: &str) {
    let (status, body) = admin(idp, Method::POST, &format!("faults/{name}"), None).await;
    assert_eq!(status, 200, "switching on {name}: {body}");
}

/// Moves the mock's clock forward.
pub async fn advance(idp: &MockIdp, seconds: i64) {
    let body = serde_json::json!({ "advance": seconds });
    let (status, answer) = admin(idp, Method::POST, "clock", Some(body)).await;
    assert_eq!(status, 200, "advancing the clock: {answer}");
}

/// Publishes a new active signing key `kid`; the previous one stays published for a day.
pub async fn rotate(idp: &MockIdp, kid: &str) {
    let body = serde_json::json!({ "kid": kid, "overlap": 86_400 });
    let (status, answer) = admin(idp, Method::POST, "keys/rotate", Some(body)).await;
    assert_eq!(status, 201, "rotating to {kid}: {answer}");
}

/// Stops publishing `kid`.
pub async fn remove_key(idp: &MockIdp, kid: &str) {
    let (status, answer) = admin(idp, Method::DELETE, &format!("keys/{kid}"), None).await;
    assert_eq!(status, 204, "removing {kid}: {answer}");
}

/// A token signed with the published key `kid`.
pub fn signed_by(idp: &MockIdp, kid: &str) -> String {
    mint(
        idp,
        &MintRequest {
            kid: Some(kid.into()),
            ..alice()
        },
    )
}

/// The kid of the configured signing key of the built-in target.
pub const BUILTIN_KID: &str = "builtin-es256";

/// The machine code of the workspace API's latest refusal, from the journal.
pub async fn last_refusal(idp: &MockIdp) -> String {
    let (status, body) = admin(
        idp,
        Method::GET,
        "journal?endpoint=workspace_api&outcome=refused&limit=1",
        None,
    )
    .await;
    assert_eq!(status, 200, "journal: {body}");
    body["entries"][0]["code"]
        .as_str()
        .unwrap_or("(no refusal journaled)")
        .to_string()
}
