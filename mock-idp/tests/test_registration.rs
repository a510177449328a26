//! Dynamic client registration (RFC 7591): 201 with the generated credentials, the new client
//! works at the token endpoint, and bad redirect URIs, bad metadata and bad bodies are refused
//! with the §3.2.2 error codes.

mod common;

use common::*;
use mock_idp::MockIdp;
use serde_json::{Value, json};

async fn register_raw(
    idp: &MockIdp,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut req = http()
        .post(format!("{}/oauth/register", idp.url()))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, resp.json().await.unwrap_or(Value::Null), headers)
}

async fn register(idp: &MockIdp, meta: Value) -> (u16, Value, reqwest::header::HeaderMap) {
    register_raw(idp, Some("application/json"), meta.to_string()).await
}

/// Asserts a registration is refused with exactly `error`.
async fn refused(idp: &MockIdp, meta: Value, error: &str) {
    let (status, body, headers) = register(idp, meta.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some(error)),
        "{meta} -> {body}"
    );
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn confidential_registration_is_201_with_id_and_secret() {
    let idp = start().await;
    let (status, body, headers) = register(
        &idp,
        json!({"redirect_uris": [REDIRECT], "client_name": "RP", "scope": "openid profile"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(body["client_id"].as_str().is_some_and(|c| c.len() >= 16));
    assert!(
        body["client_secret"]
            .as_str()
            .is_some_and(|c| c.len() >= 32)
    );
    assert_eq!(body["client_secret_expires_at"], 0);
    assert_eq!(body["client_id_issued_at"], 1_800_000_000);
    assert_eq!(body["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(body["grant_types"], json!(["authorization_code"]));
    assert_eq!(body["response_types"], json!(["code"]));
    assert_eq!(body["redirect_uris"], json!([REDIRECT]));
    assert_eq!(body["client_name"], "RP");
    assert_eq!(body["scope"], "openid profile");
}

#[tokio::test]
async fn public_registration_has_no_secret_and_may_use_loopback_http() {
    let idp = start().await;
    let (status, body, _) = register(
        &idp,
        json!({
            "redirect_uris": ["http://127.0.0.1/cb", "http://localhost:8080/cb", "http://[::1]/cb"],
            "token_endpoint_auth_method": "none",
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["token_endpoint_auth_method"], "none");
    assert!(body.get("client_secret").is_none(), "{body}");
    assert!(body.get("client_secret_expires_at").is_none(), "{body}");
}

#[tokio::test]
async fn registered_client_authenticates_at_the_token_endpoint() {
    let idp = start().await;
    let (_, body, _) = register(
        &idp,
        json!({"redirect_uris": [REDIRECT], "grant_types": ["authorization_code", "refresh_token"]}),
    )
    .await;
    let id = body["client_id"].as_str().unwrap();
    let secret = body["client_secret"].as_str().unwrap();
    let code = code_for(&idp, id, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let (status, tokens, _) = token(&idp, Auth::Basic(id, secret), &form).await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string());

    let (status, body, _) = token(
        &idp,
        Auth::Basic(id, "wrong-secret"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn registered_client_secret_post_client_gets_client_credentials() {
    let idp = start().await;
    let (status, body, _) = register(
        &idp,
        json!({
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": "client_secret_post",
            "scope": "read",
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["client_id"].as_str().unwrap();
    let secret = body["client_secret"].as_str().unwrap();
    let (status, tokens, _) = token(
        &idp,
        Auth::Post(id, secret),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["scope"], "read");
    let (status, _, _) = token(
        &idp,
        Auth::Basic(id, secret),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 401, "the registered auth method is enforced");
}

#[tokio::test]
async fn redirect_uri_with_a_fragment_is_invalid_redirect_uri() {
    let idp = start().await;
    refused(
        &idp,
        json!({"redirect_uris": ["https://rp.example/cb#frag"]}),
        "invalid_redirect_uri",
    )
    .await;
}

#[tokio::test]
async fn script_scheme_redirect_uri_is_invalid_redirect_uri() {
    let idp = start().await;
    for uri in ["javascript:alert(1)", "data:text/html,hi"] {
        refused(
            &idp,
            json!({"redirect_uris": [REDIRECT, uri]}),
            "invalid_redirect_uri",
        )
        .await;
    }
}

#[tokio::test]
async fn http_redirect_uri_on_a_non_loopback_host_is_invalid_redirect_uri() {
    let idp = start().await;
    for uri in [
        "http://rp.example/cb",
        "http://127.0.0.1.evil.example/cb",
        "http://localhost.evil.example/cb",
    ] {
        refused(
            &idp,
            json!({"redirect_uris": [uri], "token_endpoint_auth_method": "none"}),
            "invalid_redirect_uri",
        )
        .await;
    }
}

#[tokio::test]
async fn relative_redirect_uri_is_invalid_redirect_uri() {
    let idp = start().await;
    refused(
        &idp,
        json!({"redirect_uris": ["/cb"]}),
        "invalid_redirect_uri",
    )
    .await;
}

#[tokio::test]
async fn missing_redirect_uris_for_authorization_code_is_invalid_redirect_uri() {
    let idp = start().await;
    refused(&idp, json!({}), "invalid_redirect_uri").await;
    refused(&idp, json!({"redirect_uris": []}), "invalid_redirect_uri").await;
}

#[tokio::test]
async fn unknown_auth_method_is_invalid_client_metadata() {
    let idp = start().await;
    refused(
        &idp,
        json!({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "private_key_jwt"}),
        "invalid_client_metadata",
    )
    .await;
}

#[tokio::test]
async fn unknown_grant_type_is_invalid_client_metadata() {
    let idp = start().await;
    for grant in ["implicit", "password", ""] {
        refused(
            &idp,
            json!({"redirect_uris": [REDIRECT], "grant_types": ["authorization_code", grant]}),
            "invalid_client_metadata",
        )
        .await;
    }
}

#[tokio::test]
async fn grant_and_response_type_mismatch_is_invalid_client_metadata() {
    let idp = start().await;
    refused(
        &idp,
        json!({"redirect_uris": [REDIRECT], "grant_types": ["authorization_code"], "response_types": []}),
        "invalid_client_metadata",
    )
    .await;
    refused(
        &idp,
        json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
        "invalid_client_metadata",
    )
    .await;
    refused(
        &idp,
        json!({"redirect_uris": [REDIRECT], "response_types": ["code", "token"]}),
        "invalid_client_metadata",
    )
    .await;
}

#[tokio::test]
async fn public_client_credentials_client_is_invalid_client_metadata() {
    let idp = start().await;
    refused(
        &idp,
        json!({"grant_types": ["client_credentials"], "response_types": [], "token_endpoint_auth_method": "none"}),
        "invalid_client_metadata",
    )
    .await;
}

#[tokio::test]
async fn wrong_json_types_are_invalid_client_metadata() {
    let idp = start().await;
    for meta in [
        json!({"redirect_uris": REDIRECT}),
        json!({"redirect_uris": [REDIRECT, 7]}),
        json!({"redirect_uris": [REDIRECT], "client_name": 5}),
        json!({"redirect_uris": [REDIRECT], "grant_types": "authorization_code"}),
        json!({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": ["none"]}),
        json!({"redirect_uris": [REDIRECT], "scope": ["openid"]}),
        json!([REDIRECT]),
        json!("redirect"),
    ] {
        refused(&idp, meta, "invalid_client_metadata").await;
    }
}

#[tokio::test]
async fn non_json_body_is_invalid_request() {
    let idp = start().await;
    for body in ["{not json", "", "redirect_uris=https://rp.example/cb"] {
        let (status, answer, headers) = register_raw(&idp, Some("application/json"), body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{body:?}"
        );
        assert_eq!(headers["cache-control"], "no-store");
    }
}

#[tokio::test]
async fn wrong_content_type_is_invalid_request() {
    let idp = start().await;
    let meta = json!({"redirect_uris": [REDIRECT]}).to_string();
    for ct in [
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        None,
    ] {
        let (status, answer, _) = register_raw(&idp, ct, meta.clone()).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("invalid_request")),
            "{ct:?}"
        );
    }
    let (status, _, _) = register_raw(&idp, Some("application/json; charset=utf-8"), meta).await;
    assert_eq!(status, 201, "parameters on the media type are fine");
}

#[tokio::test]
async fn refused_registration_adds_no_client() {
    let idp = start().await;
    let before = idp.state().registry.clients().len();
    refused(
        &idp,
        json!({"redirect_uris": ["http://rp.example/cb"]}),
        "invalid_redirect_uri",
    )
    .await;
    assert_eq!(idp.state().registry.clients().len(), before);
}

#[tokio::test]
async fn disabled_registration_is_refused() {
    let mut config = test_config();
    config.registration.enabled = false;
    let idp = start_config(config).await;
    let (status, body, _) = register(&idp, json!({"redirect_uris": [REDIRECT]})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("access_denied"))
    );
}

#[tokio::test]
async fn malformed_scope_is_invalid_client_metadata() {
    let idp = start().await;
    refused(
        &idp,
        json!({"redirect_uris": [REDIRECT], "scope": "openid \"quoted\""}),
        "invalid_client_metadata",
    )
    .await;
}

#[tokio::test]
async fn one_supported_auth_method_is_advertised_alone_and_replaces_what_a_client_asks() {
    let mut config = test_config();
    config.registration.only_auth_method = Some(mock_idp::config::AuthMethod::ClientSecretPost);
    let idp = start_config(config).await;
    let meta: Value = http()
        .get(format!(
            "{}/.well-known/oauth-authorization-server",
            idp.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        meta["token_endpoint_auth_methods_supported"],
        json!(["client_secret_post"])
    );
    // A client asking for none (a public client) is registered for client_secret_post, with a
    // secret (RFC 7591 §3.2.1: the server may replace requested metadata values).
    let (status, body, _) = register(
        &idp,
        json!({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["token_endpoint_auth_method"], "client_secret_post");
    let (id, secret) = (
        body["client_id"].as_str().unwrap().to_string(),
        body["client_secret"].as_str().unwrap().to_string(),
    );
    // At the token endpoint only the registered method is accepted: HTTP Basic is refused.
    let basic = http()
        .post(format!("{}/oauth/token", idp.url()))
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status().as_u16(), 401);
    let body: Value = basic.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client", "{body}");
}
