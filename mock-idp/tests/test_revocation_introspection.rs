//! Token revocation (RFC 7009) and introspection (RFC 7662): revoking a refresh token revokes its
//! family, the hint is only a hint, unknown tokens revoke fine, only confidential clients may
//! introspect, and every token that is not live is exactly `{"active": false}`.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use mock_idp::MockIdp;
use mock_idp::config::SigningAlg;
use mock_idp::keys::SigningKey;
use serde_json::{Value, json};

/// POSTs a form to `path`, authenticated as `conf` unless `auth` says otherwise.
async fn post_form(
    idp: &MockIdp,
    path: &str,
    auth: Auth<'_>,
    form: &[(&str, &str)],
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut form = form.to_vec();
    let mut req = http().post(format!("{}{path}", idp.url()));
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
    let text = resp.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body, headers)
}

async fn revoke(idp: &MockIdp, auth: Auth<'_>, form: &[(&str, &str)]) -> (u16, Value) {
    let (status, body, headers) = post_form(idp, "/oauth/revoke", auth, form).await;
    if status == 200 {
        assert_eq!(headers["cache-control"], "no-store");
    }
    (status, body)
}

async fn introspect_as(idp: &MockIdp, auth: Auth<'_>, token: &str) -> (u16, Value) {
    let (status, body, _) = post_form(idp, "/oauth/introspect", auth, &[("token", token)]).await;
    (status, body)
}

/// Introspects as `conf`, expecting 200, and returns the answer.
async fn introspect(idp: &MockIdp, token: &str) -> Value {
    let (status, body) = introspect_as(idp, CONF, token).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Fresh tokens for `conf` (alice, `openid profile`).
async fn tokens(idp: &MockIdp) -> (String, String) {
    let code = code_for(idp, "conf", &[]).await;
    let (status, body, _) = redeem(idp, &code).await;
    assert_eq!(status, 200, "{body}");
    (
        body["access_token"].as_str().unwrap().to_string(),
        body["refresh_token"].as_str().unwrap().to_string(),
    )
}

async fn refresh(idp: &MockIdp, rt: &str) -> (u16, Value) {
    let (status, body, _) = token(
        idp,
        CONF,
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await;
    (status, body)
}

async fn userinfo(idp: &MockIdp, at: &str) -> reqwest::Response {
    http()
        .get(format!("{}/userinfo", idp.url()))
        .bearer_auth(at)
        .send()
        .await
        .unwrap()
}

fn inactive() -> Value {
    json!({"active": false})
}

#[tokio::test]
async fn revoking_an_unknown_token_is_200() {
    let idp = start().await;
    assert_eq!(
        revoke(&idp, CONF, &[("token", "never-issued")]).await,
        (200, Value::Null)
    );
    assert!(journal_has(&idp, "token_unknown").await);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_the_family() {
    let idp = start().await;
    let (at, rt) = tokens(&idp).await;
    assert_eq!(
        revoke(
            &idp,
            CONF,
            &[("token", &rt), ("token_type_hint", "refresh_token")]
        )
        .await
        .0,
        200
    );
    let (status, body) = refresh(&idp, &rt).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(introspect(&idp, &at).await, inactive());
    assert_eq!(introspect(&idp, &rt).await, inactive());
    let resp = userinfo(&idp, &at).await;
    assert_eq!(resp.status(), 401);
    assert!(
        resp.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("error=\"invalid_token\"")
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_access_tokens_from_earlier_refreshes() {
    let idp = start().await;
    let (at1, rt1) = tokens(&idp).await;
    let (_, second) = refresh(&idp, &rt1).await;
    let at2 = second["access_token"].as_str().unwrap();
    let rt2 = second["refresh_token"].as_str().unwrap();
    assert_eq!(revoke(&idp, CONF, &[("token", rt2)]).await.0, 200);
    assert_eq!(introspect(&idp, &at1).await, inactive());
    assert_eq!(introspect(&idp, at2).await, inactive());
}

#[tokio::test]
async fn revoking_an_access_token_makes_it_inactive() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    assert_eq!(introspect(&idp, &at).await["active"], true);
    assert_eq!(
        revoke(
            &idp,
            CONF,
            &[("token", &at), ("token_type_hint", "access_token")]
        )
        .await
        .0,
        200
    );
    assert_eq!(introspect(&idp, &at).await, inactive());
    assert_eq!(userinfo(&idp, &at).await.status(), 401);
    assert_eq!(api_me(&idp, &at).await.status(), 401);
}

#[tokio::test]
async fn wrong_hint_still_revokes_a_refresh_token() {
    let idp = start().await;
    let (_, rt) = tokens(&idp).await;
    assert_eq!(
        revoke(
            &idp,
            CONF,
            &[("token", &rt), ("token_type_hint", "access_token")]
        )
        .await
        .0,
        200
    );
    assert_eq!(refresh(&idp, &rt).await.0, 400);
}

#[tokio::test]
async fn wrong_hint_still_revokes_an_access_token() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    assert_eq!(
        revoke(
            &idp,
            CONF,
            &[("token", &at), ("token_type_hint", "refresh_token")]
        )
        .await
        .0,
        200
    );
    assert_eq!(introspect(&idp, &at).await, inactive());
}

#[tokio::test]
async fn revoking_another_clients_token_is_refused_and_revokes_nothing() {
    let idp = start().await;
    let (at, rt) = tokens(&idp).await;
    let post = Auth::Post("post", POST_SECRET);
    for t in [&rt, &at] {
        let (status, body) = revoke(&idp, post, &[("token", t)]).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("unauthorized_client"))
        );
    }
    assert_eq!(introspect(&idp, &at).await["active"], true);
    assert_eq!(refresh(&idp, &rt).await.0, 200);
}

#[tokio::test]
async fn revocation_requires_client_authentication() {
    let idp = start().await;
    let (_, rt) = tokens(&idp).await;
    let (status, body) = revoke(&idp, Auth::Nothing, &[("token", &rt)]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, _) = revoke(&idp, Auth::Basic("conf", "wrong"), &[("token", &rt)]).await;
    assert_eq!(status, 401);
    assert_eq!(refresh(&idp, &rt).await.0, 200);
}

#[tokio::test]
async fn revocation_without_token_is_invalid_request() {
    let idp = start().await;
    let (status, body) = revoke(&idp, CONF, &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn revocation_noop_fault_answers_200_but_revokes_nothing() {
    let idp = start().await;
    admin_post(&idp, "faults/revocation-noop", json!({})).await;
    let (at, rt) = tokens(&idp).await;
    assert_eq!(revoke(&idp, CONF, &[("token", &rt)]).await.0, 200);
    assert_eq!(introspect(&idp, &at).await["active"], true);
}

#[tokio::test]
async fn introspection_without_client_auth_is_invalid_client() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    let (status, body) = introspect_as(&idp, Auth::Nothing, &at).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = introspect_as(&idp, Auth::Basic("conf", "wrong"), &at).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn introspection_by_a_public_client_is_invalid_client() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    let (status, body) = introspect_as(&idp, Auth::None("public"), &at).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(body.get("active").is_none(), "{body}");
}

#[tokio::test]
async fn expired_access_token_is_exactly_inactive() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    idp.state().clock.advance(3599);
    assert_eq!(introspect(&idp, &at).await["active"], true);
    idp.state().clock.advance(2);
    assert_eq!(introspect(&idp, &at).await, inactive());
}

#[tokio::test]
async fn garbage_tokens_are_exactly_inactive() {
    let idp = start().await;
    for t in [
        "garbage",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.e30.",
        "....",
        "ünïcödé",
    ] {
        assert_eq!(introspect(&idp, t).await, inactive(), "{t:?}");
    }
}

/// The token's claims, re-signed with a key the mock does not know, under `kid`.
fn resigned(at: &str, kid: &str) -> String {
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(at.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let key = SigningKey::generate(SigningAlg::ES256, Some(kid.to_string())).unwrap();
    mock_idp::jwt::sign(
        &key,
        &aws_lc_rs::rand::SystemRandom::new(),
        mock_idp::jwt::ACCESS_TOKEN_TYP,
        &claims,
    )
}

#[tokio::test]
async fn foreign_signed_tokens_are_exactly_inactive() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    let active_kid = idp.state().keys.ring().active().kid.clone();
    for forged in [
        resigned(&at, &active_kid),
        resigned(&at, "someone-elses-key"),
    ] {
        assert_eq!(introspect(&idp, &forged).await, inactive());
        assert_eq!(userinfo(&idp, &forged).await.status(), 401);
    }
}

#[tokio::test]
async fn active_access_token_describes_itself() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    let (status, body, headers) =
        post_form(&idp, "/oauth/introspect", CONF, &[("token", &at)]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], "conf");
    assert_eq!(body["scope"], "openid profile");
    assert_eq!(body["sub"], "alice");
    assert_eq!(body["username"], "alice");
    assert_eq!(body["exp"], 1_800_000_000 + 3600);
    assert_eq!(body["iat"], 1_800_000_000);
    assert_eq!(body["iss"], idp.issuer());
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["jti"].is_string());
}

#[tokio::test]
async fn introspection_by_another_confidential_client_sees_the_token() {
    let idp = start().await;
    let (at, _) = tokens(&idp).await;
    let (status, body) = introspect_as(&idp, Auth::Post("post", POST_SECRET), &at).await;
    assert_eq!(status, 200);
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], "conf");
}

#[tokio::test]
async fn refresh_token_is_active_until_rotated() {
    let idp = start().await;
    let (_, rt) = tokens(&idp).await;
    let body = introspect(&idp, &rt).await;
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], "conf");
    assert_eq!(body["sub"], "alice");
    assert_eq!(refresh(&idp, &rt).await.0, 200);
    assert_eq!(introspect(&idp, &rt).await, inactive());
}

#[tokio::test]
async fn introspection_without_token_is_invalid_request() {
    let idp = start().await;
    let (status, body, _) = post_form(&idp, "/oauth/introspect", CONF, &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn public_client_revokes_its_own_refresh_token() {
    let idp = start().await;
    let code = code_for(&idp, "public", &[]).await;
    let (status, body, _) = token(
        &idp,
        Auth::None("public"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9999/callback"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rt = body["refresh_token"].as_str().unwrap();
    assert_eq!(
        revoke(&idp, Auth::None("public"), &[("token", rt)]).await.0,
        200
    );
    let (status, body, _) = token(
        &idp,
        Auth::None("public"),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn id_token_is_not_an_active_access_token() {
    let idp = start().await;
    let code = code_for(&idp, "conf", &[]).await;
    let (_, body, _) = redeem(&idp, &code).await;
    let id_token = body["id_token"].as_str().unwrap();
    assert_eq!(introspect(&idp, id_token).await, inactive());
    assert_eq!(userinfo(&idp, id_token).await.status(), 401);
}
