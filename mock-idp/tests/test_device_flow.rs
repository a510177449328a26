//! The device authorization grant (RFC 8628): the device authorization response, polling
//! (`authorization_pending`, `slow_down`, `access_denied`, `expired_token`), tokens exactly once,
//! codes bound to their client, and the verification page.

mod common;

use common::*;
use mock_idp::MockIdp;
use serde_json::{Value, json};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `POST /oauth/device_authorization` as the public client `client_id`.
async fn device_authorization(
    idp: &MockIdp,
    client_id: &str,
    scope: &str,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let resp = http()
        .post(format!("{}/oauth/device_authorization", idp.url()))
        .form(&[("client_id", client_id), ("scope", scope)])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, resp.json().await.unwrap_or(Value::Null), headers)
}

/// A device code and user code for the `public` client.
async fn start_device(idp: &MockIdp) -> (String, String) {
    let (status, body, _) = device_authorization(idp, "public", "openid profile").await;
    assert_eq!(status, 200, "{body}");
    (
        body["device_code"].as_str().unwrap().to_string(),
        body["user_code"].as_str().unwrap().to_string(),
    )
}

async fn poll_as(idp: &MockIdp, client_id: &str, device_code: &str) -> (u16, Value) {
    let (status, body, _) = token(
        idp,
        Auth::None(client_id),
        &[("grant_type", DEVICE_GRANT), ("device_code", device_code)],
    )
    .await;
    (status, body)
}

async fn poll(idp: &MockIdp, device_code: &str) -> (u16, Value) {
    poll_as(idp, "public", device_code).await
}

/// Submits the verification form.
async fn answer(idp: &MockIdp, form: &[(&str, &str)]) -> (u16, String) {
    let resp = http()
        .post(format!("{}/device", idp.url()))
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn approve(idp: &MockIdp, user_code: &str, username: &str) {
    let (status, page) = answer(
        idp,
        &[
            ("user_code", user_code),
            ("username", username),
            ("action", "approve"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
}

fn error_of(resp: &(u16, Value)) -> (u16, Option<&str>) {
    (resp.0, resp.1["error"].as_str())
}

#[tokio::test]
async fn device_authorization_response_has_every_rfc8628_field() {
    let idp = start().await;
    let (status, body, headers) = device_authorization(&idp, "public", "openid profile").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    let device_code = body["device_code"].as_str().unwrap();
    assert!(device_code.len() >= 32, "{device_code}");
    let user_code = body["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9, "{user_code}");
    assert_eq!(&user_code[4..5], "-");
    let verification_uri = format!("{}/device", idp.url());
    assert_eq!(body["verification_uri"], json!(verification_uri));
    assert_eq!(
        body["verification_uri_complete"],
        json!(format!("{verification_uri}?user_code={user_code}"))
    );
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["interval"], 5);
}

#[tokio::test]
async fn tenant_device_authorization_points_at_the_tenant_page() {
    let idp = start().await;
    let resp = http()
        .post(format!("{}/tenant1/oauth/device_authorization", idp.url()))
        .form(&[("client_id", "public")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["verification_uri"],
        json!(format!("{}/tenant1/device", idp.url()))
    );
}

#[tokio::test]
async fn early_poll_is_authorization_pending() {
    let idp = start().await;
    let (device_code, _) = start_device(&idp).await;
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("authorization_pending"))
    );
}

#[tokio::test]
async fn second_poll_within_the_interval_is_slow_down() {
    let idp = start().await;
    let (device_code, _) = start_device(&idp).await;
    poll(&idp, &device_code).await;
    idp.state().clock.advance(4);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("slow_down"))
    );
    // Each slow_down adds 5 s: the interval is now 10 s, so 9 s later is too fast again (15 s
    // from then on), and 15 s later is fine.
    idp.state().clock.advance(9);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("slow_down"))
    );
    idp.state().clock.advance(15);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("authorization_pending"))
    );
}

#[tokio::test]
async fn polling_at_the_interval_is_never_slow_down() {
    let idp = start().await;
    let (device_code, _) = start_device(&idp).await;
    for _ in 0..3 {
        assert_eq!(
            error_of(&poll(&idp, &device_code).await),
            (400, Some("authorization_pending"))
        );
        idp.state().clock.advance(5);
    }
}

#[tokio::test]
async fn approved_device_gets_tokens_exactly_once() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    poll(&idp, &device_code).await;
    approve(&idp, &user_code, "bob").await;
    idp.state().clock.advance(5);
    let (status, body) = poll(&idp, &device_code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "openid profile");
    assert!(body["refresh_token"].is_string(), "{body}");
    assert!(body["id_token"].is_string(), "{body}");
    let access = body["access_token"].as_str().unwrap();
    let info: Value = http()
        .get(format!("{}/userinfo", idp.url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["sub"], "bob", "the token is for the user who approved");

    idp.state().clock.advance(5);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn user_code_is_accepted_in_any_case_and_without_the_dash() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    approve(&idp, &user_code.replace('-', "").to_lowercase(), "alice").await;
    assert_eq!(poll(&idp, &device_code).await.0, 200);
}

#[tokio::test]
async fn denied_device_is_access_denied() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    let (status, page) = answer(
        &idp,
        &[
            ("user_code", &user_code),
            ("username", "alice"),
            ("action", "deny"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("access_denied"))
    );
}

#[tokio::test]
async fn an_answered_user_code_cannot_be_answered_again() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    approve(&idp, &user_code, "alice").await;
    let (status, _) = answer(
        &idp,
        &[
            ("user_code", &user_code),
            ("username", "bob"),
            ("action", "deny"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(poll(&idp, &device_code).await.0, 200);
}

#[tokio::test]
async fn expired_device_code_is_expired_token() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    idp.state().clock.advance(601);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("expired_token"))
    );
    let (status, _) = answer(
        &idp,
        &[
            ("user_code", &user_code),
            ("username", "alice"),
            ("action", "approve"),
        ],
    )
    .await;
    assert_eq!(status, 400, "an expired user code cannot be approved");
}

#[tokio::test]
async fn approval_after_expiry_gives_no_tokens() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    approve(&idp, &user_code, "alice").await;
    idp.state().clock.advance(600);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("expired_token"))
    );
}

#[tokio::test]
async fn client_not_registered_for_the_grant_is_unauthorized_client() {
    let idp = start().await;
    let resp = http()
        .post(format!("{}/oauth/device_authorization", idp.url()))
        .basic_auth("conf", Some(CONF_SECRET))
        .form(&[("scope", "openid")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized_client");

    let (status, body, _) = token(
        &idp,
        CONF,
        &[("grant_type", DEVICE_GRANT), ("device_code", "whatever")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

#[tokio::test]
async fn device_code_polled_by_another_client_is_invalid_grant() {
    let idp = start().await;
    admin_post(
        &idp,
        "clients",
        json!({"client_id": "tv2", "grant_types": [DEVICE_GRANT]}),
    )
    .await;
    let (device_code, user_code) = start_device(&idp).await;
    approve(&idp, &user_code, "alice").await;
    assert_eq!(
        error_of(&poll_as(&idp, "tv2", &device_code).await),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        poll(&idp, &device_code).await.0,
        200,
        "the owner still gets its tokens"
    );
}

#[tokio::test]
async fn unknown_device_code_is_invalid_grant() {
    let idp = start().await;
    assert_eq!(
        error_of(&poll(&idp, "no-such-device-code").await),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn missing_device_code_is_invalid_request() {
    let idp = start().await;
    let (status, body, _) =
        token(&idp, Auth::None("public"), &[("grant_type", DEVICE_GRANT)]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn wrong_user_code_on_the_page_is_a_400_page() {
    let idp = start().await;
    let (device_code, _) = start_device(&idp).await;
    let resp = http()
        .post(format!("{}/device", idp.url()))
        .form(&[
            ("user_code", "BBBB-BBBB"),
            ("username", "alice"),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("Unknown code"));
    assert!(journal_has(&idp, "user_code_unknown").await);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("authorization_pending")),
        "the real device is untouched"
    );
}

#[tokio::test]
async fn unknown_user_or_wrong_password_on_the_page_is_401() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    for (username, password) in [("nobody", ""), ("hatter", "wrong"), ("hatter", "")] {
        let (status, page) = answer(
            &idp,
            &[
                ("user_code", &user_code),
                ("username", username),
                ("password", password),
                ("action", "approve"),
            ],
        )
        .await;
        assert_eq!(status, 401, "{username}/{password}: {page}");
    }
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("authorization_pending"))
    );
    let (status, _) = answer(
        &idp,
        &[
            ("user_code", &user_code),
            ("username", "hatter"),
            ("password", "tea-party-pw"),
            ("action", "approve"),
        ],
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn missing_action_is_a_400_page() {
    let idp = start().await;
    let (_, user_code) = start_device(&idp).await;
    let (status, _) = answer(&idp, &[("user_code", &user_code), ("username", "alice")]).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn verification_page_is_prefilled_from_the_query() {
    let idp = start().await;
    let (_, user_code) = start_device(&idp).await;
    let resp = http()
        .get(format!("{}/device", idp.url()))
        .query(&[("user_code", &user_code)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains(&format!("value=\"{user_code}\""))
    );
}

#[tokio::test]
async fn verification_page_escapes_the_user_code() {
    let idp = start().await;
    let resp = http()
        .get(format!("{}/device", idp.url()))
        .query(&[("user_code", "\"><script>alert(1)</script>")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
}

#[tokio::test]
async fn device_authorization_with_a_scope_beyond_the_client_is_invalid_scope() {
    let idp = start().await;
    let (status, body, _) = device_authorization(&idp, "public", "openid admin").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
}

#[tokio::test]
async fn device_authorization_by_an_unknown_client_is_invalid_client() {
    let idp = start().await;
    let (status, body, _) = device_authorization(&idp, "nobody", "openid").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn device_code_is_redeemed_only_at_its_own_issuer() {
    let idp = start().await;
    let resp = http()
        .post(format!("{}/tenant1/oauth/device_authorization", idp.url()))
        .form(&[("client_id", "public"), ("scope", "openid")])
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    let device_code = body["device_code"].as_str().unwrap();
    let resp = http()
        .post(format!("{}/tenant1/device", idp.url()))
        .form(&[
            ("user_code", body["user_code"].as_str().unwrap()),
            ("username", "alice"),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    assert_eq!(
        error_of(&poll(&idp, device_code).await),
        (400, Some("invalid_grant")),
        "the root issuer must not redeem a tenant's device code"
    );
    let resp = http()
        .post(format!("{}/tenant1/oauth/token", idp.url()))
        .form(&[
            ("grant_type", DEVICE_GRANT),
            ("device_code", device_code),
            ("client_id", "public"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let tokens: Value = resp.json().await.unwrap();
    let at = tokens["access_token"].as_str().unwrap();
    let claims = introspect_claims(&idp, at).await;
    assert_eq!(claims["iss"], json!(format!("{}/tenant1", idp.url())));
}

/// The access token's claims, as introspection reports them.
async fn introspect_claims(idp: &MockIdp, token: &str) -> Value {
    http()
        .post(format!("{}/oauth/introspect", idp.url()))
        .basic_auth("conf", Some(CONF_SECRET))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn user_code_is_answered_only_on_its_own_issuers_page() {
    let idp = start().await;
    let (device_code, user_code) = start_device(&idp).await;
    let resp = http()
        .post(format!("{}/tenant1/device", idp.url()))
        .form(&[
            ("user_code", user_code.as_str()),
            ("username", "alice"),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        error_of(&poll(&idp, &device_code).await),
        (400, Some("authorization_pending"))
    );
}
