//! PKCE at the token endpoint (RFC 7636 §4.6, RFC 9700 §2.1.1): a wrong or missing verifier is
//! `invalid_grant` and burns the code; a verifier for a code issued without a challenge is a
//! downgrade and is refused.

mod common;

use common::*;

fn exchange<'a>(code: &'a str, verifier: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
    ];
    if let Some(v) = verifier {
        f.push(("code_verifier", v));
    }
    f
}

#[tokio::test]
async fn wrong_verifier_is_invalid_grant_and_burns_the_code() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let wrong = "x".repeat(43);
    let (status, body, _) = token(&idp, CONF, &exchange(&code, Some(&wrong))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body, _) = token(&idp, CONF, &exchange(&code, Some(VERIFIER))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "the right verifier afterwards fails too"
    );
    assert!(journal_has(&idp, "pkce_verifier_mismatch").await);
}

#[tokio::test]
async fn missing_verifier_is_invalid_grant() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, body, _) = token(&idp, CONF, &exchange(&code, None)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn verifier_for_a_code_without_challenge_is_a_downgrade() {
    let idp = start().await;
    let resp = authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    let code = location_params(&resp)["code"].clone();
    let (status, body, _) = token(&idp, CONF, &exchange(&code, Some(VERIFIER))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(journal_has(&idp, "pkce_downgrade").await);
}

#[tokio::test]
async fn skip_pkce_check_fault_accepts_a_wrong_verifier() {
    let idp = start().await;
    admin_post(&idp, "faults/skip-pkce-check", serde_json::json!({})).await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, _, _) = token(&idp, CONF, &exchange(&code, Some(&"x".repeat(43)))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_rfc_7636_vector_redeems() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (status, body, _) = token(&idp, CONF, &exchange(&code, Some(VERIFIER))).await;
    assert_eq!(status, 200, "{body}");
}
