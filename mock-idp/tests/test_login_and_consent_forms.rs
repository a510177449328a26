//! The interactive authorization flow: a login form, then a consent form; approve redirects with
//! a code, deny redirects with `access_denied` and the original `state` (RFC 6749 §4.1.2.1).

mod common;

use common::*;

fn form_config() -> mock_idp::Config {
    let mut c = test_config();
    c.login = mock_idp::config::LoginConfig::default();
    c
}

fn hidden_request_id(page: &str) -> String {
    let marker = "name=\"mockidp_request\" value=\"";
    let start = page.find(marker).expect("the form carries the request id") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

async fn post_form(idp: &mock_idp::MockIdp, form: &[(&str, &str)]) -> reqwest::Response {
    http()
        .post(format!("{}/oauth/authorize", idp.url()))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn login_page(idp: &mock_idp::MockIdp) -> String {
    let resp = authorize(
        idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("state", "orig-state"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("scope", "openid profile"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("<label for=\"username\">"),
        "an accessible login form"
    );
    page
}

#[tokio::test]
async fn login_then_approve_redirects_with_a_code() {
    let idp = start_config(form_config()).await;
    let rid = hidden_request_id(&login_page(&idp).await);
    let consent = post_form(
        &idp,
        &[
            ("mockidp_request", &rid),
            ("action", "login"),
            ("username", "alice"),
        ],
    )
    .await;
    assert_eq!(consent.status(), 200);
    assert!(
        consent.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let page = consent.text().await.unwrap();
    assert!(
        page.contains("app.example.com") && page.contains("<code>profile</code>"),
        "consent names the redirect host and scopes"
    );
    let resp = post_form(&idp, &[("mockidp_request", &rid), ("action", "approve")]).await;
    assert_eq!(resp.status(), 303);
    let p = location_params(&resp);
    assert_eq!(p["state"], "orig-state");
    assert_eq!(redeem(&idp, &p["code"]).await.0, 200);
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_the_state() {
    let idp = start_config(form_config()).await;
    let rid = hidden_request_id(&login_page(&idp).await);
    post_form(
        &idp,
        &[
            ("mockidp_request", &rid),
            ("action", "login"),
            ("username", "alice"),
        ],
    )
    .await;
    let resp = post_form(&idp, &[("mockidp_request", &rid), ("action", "deny")]).await;
    let p = location_params(&resp);
    assert_eq!(p["error"], "access_denied");
    assert_eq!(p["state"], "orig-state");
    assert!(!p.contains_key("code"));
}

#[tokio::test]
async fn wrong_password_shows_the_form_again() {
    let idp = start_config(form_config()).await;
    let rid = hidden_request_id(&login_page(&idp).await);
    let resp = post_form(
        &idp,
        &[
            ("mockidp_request", &rid),
            ("action", "login"),
            ("username", "hatter"),
            ("password", "wrong"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 401);
    let resp = post_form(&idp, &[("mockidp_request", &rid), ("action", "approve")]).await;
    assert_eq!(resp.status(), 400, "no consent before a successful login");
    let resp = post_form(
        &idp,
        &[
            ("mockidp_request", &rid),
            ("action", "login"),
            ("username", "hatter"),
            ("password", "tea-party-pw"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_used_form_cannot_be_answered_twice() {
    let idp = start_config(form_config()).await;
    let rid = hidden_request_id(&login_page(&idp).await);
    post_form(
        &idp,
        &[
            ("mockidp_request", &rid),
            ("action", "login"),
            ("username", "alice"),
        ],
    )
    .await;
    assert_eq!(
        post_form(&idp, &[("mockidp_request", &rid), ("action", "approve")])
            .await
            .status(),
        303
    );
    assert_eq!(
        post_form(&idp, &[("mockidp_request", &rid), ("action", "approve")])
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn prompt_none_without_a_session_is_login_required() {
    let idp = start_config(form_config()).await;
    let resp = authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("state", "s"),
            ("prompt", "none"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(location_params(&resp)["error"], "login_required");
}

#[tokio::test]
async fn html_in_parameters_is_escaped() {
    let idp = start_config(form_config()).await;
    let resp = authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", REDIRECT),
            ("login_hint", "<script>alert(1)</script>"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let page = resp.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)</script>") && page.contains("&lt;script&gt;"));
}
