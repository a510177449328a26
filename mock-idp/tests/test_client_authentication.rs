//! Client authentication at the token endpoint (RFC 6749 §2.3, §5.2): wrong secret or unknown
//! client → 401 `invalid_client` (with `WWW-Authenticate` after Basic), the registered method is
//! enforced, one method per request; client_credentials issues RFC 9068 tokens.

mod common;

use common::*;

const CC: &[(&str, &str)] = &[("grant_type", "client_credentials")];

#[tokio::test]
async fn client_credentials_issues_a_token() {
    let idp = start().await;
    let (status, body, headers) = token(&idp, Auth::Basic("service", SERVICE_SECRET), CC).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(body["scope"], "read write");
    assert!(
        body.get("refresh_token").is_none(),
        "no refresh token for client_credentials"
    );
}

#[tokio::test]
async fn wrong_secret_is_401_with_a_basic_challenge() {
    let idp = start().await;
    let (status, body, headers) = token(&idp, Auth::Basic("service", "wrong"), CC).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
}

#[tokio::test]
async fn unknown_client_is_invalid_client() {
    let idp = start().await;
    let (status, body, _) = token(&idp, Auth::Post("nobody", "x"), CC).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn registered_method_is_enforced() {
    let idp = start().await;
    let (status, body, _) = token(&idp, Auth::Post("service", SERVICE_SECRET), CC).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "service registered client_secret_basic"
    );
    assert!(journal_has(&idp, "auth_method_mismatch").await);
}

#[tokio::test]
async fn two_methods_at_once_are_refused() {
    let idp = start().await;
    let resp = http()
        .post(format!("{}/oauth/token", idp.url()))
        .basic_auth("service", Some(SERVICE_SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_secret", SERVICE_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn no_authentication_at_all_is_invalid_client() {
    let idp = start().await;
    let (status, body, _) = token(&idp, Auth::Nothing, CC).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn grant_type_not_registered_is_unauthorized_client() {
    let idp = start().await;
    let (status, body, _) = token(&idp, CONF, CC).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

#[tokio::test]
async fn ignore_client_secret_fault_accepts_a_wrong_secret() {
    let idp = start().await;
    admin_post(&idp, "faults/ignore-client-secret", serde_json::json!({})).await;
    let (status, _, _) = token(&idp, Auth::Basic("service", "wrong"), CC).await;
    assert_eq!(status, 200);
}
