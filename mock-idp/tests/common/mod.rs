//! Shared helpers for mock-idp's integration tests: start a server on port 0 with a test
//! configuration, a non-redirecting HTTP client, and small flow steps.
#![allow(dead_code)]

use std::collections::HashMap;

use mock_idp::{Config, MockIdp, StartOptions};
use serde_json::Value;

pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const CONF_SECRET: &str = "conf-secret-value-1";
pub const POST_SECRET: &str = "post-secret-value-2";
pub const SERVICE_SECRET: &str = "service-secret-value-3";
pub const REDIRECT: &str = "https://app.example.com/cb";

/// A configuration with a few clients and users, auto login, a frozen clock start.
pub fn test_config() -> Config {
    let yaml = format!(
        r#"
listen: 127.0.0.1:0
tenants: [tenant1]
login: {{ mode: auto, default_user: alice }}
users:
  - {{ username: alice, name: Alice, email: alice@example.com }}
  - {{ username: bob, name: Bob, email: bob@example.com }}
  - {{ username: hatter, password: tea-party-pw }}
clients:
  - client_id: conf
    client_secret: {CONF_SECRET}
    token_endpoint_auth_method: client_secret_basic
    redirect_uris: [{REDIRECT}, https://app.example.com/other]
    grant_types: [authorization_code, refresh_token]
    scope: openid profile email
  - client_id: post
    client_secret: {POST_SECRET}
    token_endpoint_auth_method: client_secret_post
    redirect_uris: [{REDIRECT}]
    grant_types: [authorization_code, refresh_token]
  - client_id: public
    redirect_uris: [http://127.0.0.1/callback]
    loopback_any_port: true
    grant_types: [authorization_code, refresh_token, "urn:ietf:params:oauth:grant-type:device_code"]
  - client_id: plain-ok
    redirect_uris: [{REDIRECT}]
    allow_plain_pkce: true
  - client_id: service
    client_secret: {SERVICE_SECRET}
    grant_types: [client_credentials]
    scope: read write
"#
    );
    Config::from_yaml(&yaml, "test-config", &|_| None).expect("test config")
}

/// A started mock with the test configuration and a frozen clock.
pub async fn start() -> MockIdp {
    start_config(test_config()).await
}

pub async fn start_config(config: Config) -> MockIdp {
    MockIdp::start_with(
        config,
        StartOptions {
            frozen_at: Some(1_800_000_000),
            ..Default::default()
        },
    )
    .await
    .expect("mock-idp starts")
}

/// A client that does not follow redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
}

/// The query parameters of a Location header.
pub fn location_params(resp: &reqwest::Response) -> HashMap<String, String> {
    let loc = resp
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap();
    let url = url::Url::parse(loc).unwrap();
    url.query_pairs().into_owned().collect()
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Runs `GET /oauth/authorize` with these parameters.
pub async fn authorize(idp: &MockIdp, params: &[(&str, &str)]) -> reqwest::Response {
    http()
        .get(format!("{}/oauth/authorize", idp.url()))
        .query(params)
        .send()
        .await
        .unwrap()
}

/// Gets a code for `client` with PKCE S256 (auto login as alice unless login_hint given).
pub async fn code_for(idp: &MockIdp, client: &str, extra: &[(&str, &str)]) -> String {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", client),
        (
            "redirect_uri",
            if client == "public" {
                "http://127.0.0.1:9999/callback"
            } else {
                REDIRECT
            },
        ),
        ("state", "st-123"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("scope", "openid profile"),
    ];
    for (k, v) in extra {
        params.retain(|(pk, _)| pk != k);
        params.push((k, v));
    }
    let resp = authorize(idp, &params).await;
    assert_eq!(
        resp.status(),
        302,
        "authorize should redirect: {:?}",
        resp.text().await
    );
    let p = location_params(&resp);
    p.get("code")
        .unwrap_or_else(|| panic!("no code in {p:?}"))
        .clone()
}

/// POSTs a form to the token endpoint as `conf` (Basic auth) unless `auth` says otherwise.
pub async fn token(
    idp: &MockIdp,
    auth: Auth<'_>,
    form: &[(&str, &str)],
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let mut req = http().post(format!("{}/oauth/token", idp.url()));
    match auth {
        Auth::Basic(id, secret) => req = req.basic_auth(id, Some(secret)),
        Auth::Post(id, secret) => {
            form.push(("client_id", id));
            form.push(("client_secret", secret));
        }
        Auth::None(id) => form.push(("client_id", id)),
        Auth::Nothing => {}
    }
    let resp = req.form(&form).send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    (status, body, headers)
}

#[derive(Clone, Copy)]
pub enum Auth<'a> {
    Basic(&'a str, &'a str),
    Post(&'a str, &'a str),
    None(&'a str),
    Nothing,
}

pub const CONF: Auth<'static> = Auth::Basic("conf", CONF_SECRET);

/// Redeems a `conf` code with the test verifier.
pub async fn redeem(idp: &MockIdp, code: &str) -> (u16, Value, reqwest::header::HeaderMap) {
    token(
        idp,
        CONF,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// POSTs JSON to an admin endpoint.
pub async fn admin_post(idp: &MockIdp, path: &str, body: Value) -> Value {
    let resp = http()
        .post(format!("{}/_admin/{path}", idp.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_success(),
        "admin {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap_or(Value::Null)
}

/// The journal entries matching a query string.
pub async fn journal(idp: &MockIdp, query: &str) -> Vec<Value> {
    let v: Value = http()
        .get(format!("{}/_admin/journal?{query}", idp.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["entries"].as_array().cloned().unwrap_or_default()
}

/// Whether the journal has an entry with this machine code.
pub async fn journal_has(idp: &MockIdp, code: &str) -> bool {
    !journal(idp, &format!("code={code}")).await.is_empty()
}

/// Calls `/api/me` with a bearer token.
pub async fn api_me(idp: &MockIdp, token: &str) -> reqwest::Response {
    http()
        .get(format!("{}/api/me", idp.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}
