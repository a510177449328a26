//! Refresh tokens (RFC 6749 §6, RFC 9700 §4.14): rotation, replay revokes the family, bound to
//! the client, no scope widening, a confidential client must authenticate.

mod common;

use common::*;

async fn tokens(idp: &mock_idp::MockIdp) -> serde_json::Value {
    let code = code_for(idp, "conf", &[]).await;
    let (status, body, _) = redeem(idp, &code).await;
    assert_eq!(status, 200);
    body
}

fn refresh_form(rt: &str) -> Vec<(&str, &str)> {
    vec![("grant_type", "refresh_token"), ("refresh_token", rt)]
}

#[tokio::test]
async fn refresh_rotates_and_replay_revokes_the_family() {
    let idp = start().await;
    let first = tokens(&idp).await;
    let rt1 = first["refresh_token"].as_str().unwrap();
    let (status, second, _) = token(&idp, CONF, &refresh_form(rt1)).await;
    assert_eq!(status, 200);
    let rt2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(rt1, rt2);
    let (status, body, _) = token(&idp, CONF, &refresh_form(rt1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _, _) = token(&idp, CONF, &refresh_form(rt2)).await;
    assert_eq!(status, 400, "the newest token of the family is revoked too");
    assert!(journal_has(&idp, "refresh_replayed").await);
}

#[tokio::test]
async fn scope_widening_is_invalid_scope_and_narrowing_works() {
    let idp = start().await;
    let t = tokens(&idp).await;
    let rt = t["refresh_token"].as_str().unwrap();
    let mut form = refresh_form(rt);
    form.push(("scope", "openid profile email"));
    let (status, body, _) = token(&idp, CONF, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let mut form = refresh_form(rt);
    form.push(("scope", "openid"));
    let (status, body, _) = token(&idp, CONF, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid");
}

#[tokio::test]
async fn another_clients_refresh_token_is_invalid_grant() {
    let idp = start().await;
    let t = tokens(&idp).await;
    let (status, body, _) = token(
        &idp,
        Auth::Post("post", POST_SECRET),
        &refresh_form(t["refresh_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn confidential_client_must_authenticate_to_refresh() {
    let idp = start().await;
    let t = tokens(&idp).await;
    let (status, body, _) = token(
        &idp,
        Auth::None("conf"),
        &refresh_form(t["refresh_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn no_refresh_rotation_fault_returns_the_same_token() {
    let idp = start().await;
    admin_post(&idp, "faults/no-refresh-rotation", serde_json::json!({})).await;
    let t = tokens(&idp).await;
    let rt = t["refresh_token"].as_str().unwrap();
    let (status, body, _) = token(&idp, CONF, &refresh_form(rt)).await;
    assert_eq!(status, 200);
    assert_eq!(body["refresh_token"], rt);
    assert_eq!(token(&idp, CONF, &refresh_form(rt)).await.0, 200);
}

#[tokio::test]
async fn expired_refresh_token_is_invalid_grant() {
    let idp = start().await;
    let t = tokens(&idp).await;
    idp.state().clock.advance(30 * 24 * 3600 + 1);
    let (status, body, _) = token(
        &idp,
        CONF,
        &refresh_form(t["refresh_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_refresh_token_only_works_at_its_own_issuer() {
    let idp = start().await;
    let tenant = format!("{}/tenant1", idp.url());
    let resp = http()
        .get(format!("{tenant}/oauth/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let code = location_params(&resp)["code"].clone();
    let body: serde_json::Value = http()
        .post(format!("{tenant}/oauth/token"))
        .basic_auth("conf", Some(CONF_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, err, _) = token(
        &idp,
        CONF,
        &refresh_form(body["refresh_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("invalid_grant")),
        "a tenant1 refresh token is refused at the root issuer"
    );
    assert!(journal_has(&idp, "refresh_issuer_mismatch").await);
}

/// `tokens.refresh_reuse_grace`: a replaced refresh token presented again within the grace (two
/// refreshes a client sent at once) is answered with its successor and revokes nothing; after
/// the grace it is a replay like any other.
#[tokio::test]
async fn a_replaced_refresh_token_within_the_reuse_grace_gets_its_successor() {
    let mut config = test_config();
    config.tokens.refresh_reuse_grace = 10;
    let idp = start_config(config).await;
    let first = tokens(&idp).await;
    let rt1 = first["refresh_token"].as_str().unwrap();
    let (status, second, _) = token(&idp, CONF, &refresh_form(rt1)).await;
    assert_eq!(status, 200);
    let rt2 = second["refresh_token"].as_str().unwrap();
    let (status, again, _) = token(&idp, CONF, &refresh_form(rt1)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["refresh_token"].as_str(),
        Some(rt2),
        "the successor, not a third token"
    );
    assert_ne!(again["access_token"], second["access_token"]);
    assert!(!journal_has(&idp, "refresh_replayed").await);

    let (status, third, _) = token(&idp, CONF, &refresh_form(rt2)).await;
    assert_eq!(status, 200, "the family lives on");
    let rt3 = third["refresh_token"].as_str().unwrap();
    idp.state().clock.advance(11);
    let (status, body, _) = token(&idp, CONF, &refresh_form(rt2)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "past the grace, a replay"
    );
    let (status, _, _) = token(&idp, CONF, &refresh_form(rt3)).await;
    assert_eq!(status, 400, "and it revoked the family");
    assert!(journal_has(&idp, "refresh_replayed").await);
}

#[test]
fn a_negative_reuse_grace_is_a_configuration_error() {
    let mut config = test_config();
    config.tokens.refresh_reuse_grace = -1;
    let err = config.validate().unwrap_err();
    assert!(err.contains("tokens.refresh_reuse_grace"), "{err}");
}
