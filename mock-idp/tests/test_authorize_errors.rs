//! Errors at the authorization endpoint that go back to a trusted redirect_uri carry `error`, the
//! original `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2); PKCE is required where it must be
//! (RFC 7636 §4.4.1, RFC 9700 §2.1.1).

mod common;

use common::*;

async fn error_of(
    idp: &mock_idp::MockIdp,
    params: &[(&str, &str)],
) -> std::collections::HashMap<String, String> {
    let resp = authorize(idp, params).await;
    assert_eq!(
        resp.status(),
        302,
        "errors after the redirect_uri is verified redirect"
    );
    location_params(&resp)
}

#[tokio::test]
async fn bad_response_type_redirects_with_error_state_and_iss() {
    let idp = start().await;
    let p = error_of(
        &idp,
        &[
            ("response_type", "token"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("state", "xyz"),
        ],
    )
    .await;
    assert_eq!(p["error"], "unsupported_response_type");
    assert_eq!(p["state"], "xyz");
    assert_eq!(p["iss"], idp.issuer());
    let p = error_of(
        &idp,
        &[
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("state", "xyz"),
        ],
    )
    .await;
    assert_eq!(p["error"], "invalid_request");
}

#[tokio::test]
async fn scope_beyond_the_client_is_invalid_scope() {
    let idp = start().await;
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid admin"),
            ("state", "s1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(p["error"], "invalid_scope");
    assert_eq!(p["state"], "s1");
}

#[tokio::test]
async fn public_client_without_pkce_is_refused() {
    let idp = start().await;
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "public"),
            ("redirect_uri", "http://127.0.0.1:4000/callback"),
            ("state", "s"),
        ],
    )
    .await;
    assert_eq!(p["error"], "invalid_request");
    assert!(p["error_description"].contains("code_challenge"));
}

#[tokio::test]
async fn plain_pkce_is_refused_unless_the_client_allows_it() {
    let idp = start().await;
    let plain = "a".repeat(50);
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &plain),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    assert_eq!(p["error"], "invalid_request");
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", &plain),
        ],
    )
    .await;
    assert_eq!(
        p["error"], "invalid_request",
        "a missing method means plain (RFC 7636 §4.3)"
    );
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "plain-ok"),
            ("code_challenge", &plain),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    assert!(p.contains_key("code"), "{p:?}");
}

#[tokio::test]
async fn malformed_challenges_are_invalid_request() {
    let idp = start().await;
    for challenge in [
        "short".to_string(),
        "a".repeat(129),
        format!("{}+/", "a".repeat(41)),
    ] {
        let p = error_of(
            &idp,
            &[
                ("response_type", "code"),
                ("client_id", "conf"),
                ("redirect_uri", REDIRECT),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
        assert_eq!(p["error"], "invalid_request", "{challenge}");
    }
}

#[tokio::test]
async fn unknown_resource_is_invalid_target() {
    let idp = start().await;
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("resource", "https://other.example/api"),
        ],
    )
    .await;
    assert_eq!(p["error"], "invalid_target");
}

#[tokio::test]
async fn drop_state_and_omit_iss_faults_remove_the_parameters() {
    let idp = start().await;
    let resp = mock_idp_put_faults(&idp, &["drop-state", "omit-iss"]).await;
    assert!(resp);
    let p = error_of(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert!(
        p.contains_key("code") && !p.contains_key("state") && !p.contains_key("iss"),
        "{p:?}"
    );
}

async fn mock_idp_put_faults(idp: &mock_idp::MockIdp, names: &[&str]) -> bool {
    http()
        .put(format!("{}/_admin/faults", idp.url()))
        .json(&serde_json::json!({"enabled": names}))
        .send()
        .await
        .unwrap()
        .status()
        .is_success()
}
