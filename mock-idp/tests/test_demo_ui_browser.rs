//! The demo UI in a real browser (Debian's headless chromium through chromedriver): sign up,
//! create a client, run an authorization-code flow through the consent page to a callback
//! server of the test's own, deny consent, and open the debugger after a redirect_uri mismatch.
//! A screenshot of each page is kept in `target/tmp/ui-screenshots/`. Required under CI; skipped
//! with the reason elsewhere when no chromium is installed.

mod browser;
mod common;

use std::sync::{Arc, Mutex};

use browser::{Browser, browser_or_skip};
use common::*;

fn form_config() -> mock_idp::Config {
    let mut c = test_config();
    c.login = mock_idp::config::LoginConfig::default();
    c
}

/// A client's redirect URI on loopback that keeps the query strings it receives.
async fn callback_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = axum::Router::new().route(
        "/cb",
        axum::routing::get(move |uri: axum::http::Uri| {
            let kept = kept.clone();
            async move {
                kept.lock()
                    .unwrap()
                    .push(uri.query().unwrap_or("").to_string());
                axum::response::Html("<h1>Callback received</h1>")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cb", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let i = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"))
        + start.len();
    &page[i..i + page[i..].find(end).unwrap()]
}

async fn sign_up_and_create_client(b: &Browser, idp: &str, redirect: &str) -> String {
    b.go(&format!("{idp}/")).await.unwrap();
    b.screenshot("01-home").await.unwrap();
    b.fill("#username", "carol").await.unwrap();
    b.click("button[type=submit]").await.unwrap();
    b.wait_for("signed in as <strong>carol</strong>")
        .await
        .unwrap();
    b.screenshot("02-signed-in").await.unwrap();
    b.go(&format!("{idp}/clients/new")).await.unwrap();
    b.fill("#client_name", "Browser agent").await.unwrap();
    b.fill("#redirect_uris", redirect).await.unwrap();
    b.fill("#scope", "openid profile").await.unwrap();
    b.screenshot("03-create-client").await.unwrap();
    b.click("button[type=submit]").await.unwrap();
    let created = b.wait_for("not shown again").await.unwrap();
    b.screenshot("04-client-created").await.unwrap();
    between(&created, "<code id=\"client_id\">", "<").to_string()
}

#[tokio::test]
async fn sign_up_create_a_client_and_run_a_code_flow_in_chromium() {
    let Some(b) = browser_or_skip("flow").await else {
        return;
    };
    let idp = start_config(form_config()).await;
    let (redirect, seen) = callback_server().await;
    let id = sign_up_and_create_client(&b, idp.url(), &redirect).await;
    let authorize = format!(
        "{}/oauth/authorize?response_type=code&client_id={id}&redirect_uri={}&state=st-1&scope=openid%20profile&code_challenge={CHALLENGE}&code_challenge_method=S256",
        idp.url(),
        form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
    );
    // Signed in through the UI: the flow goes straight to the consent page.
    b.go(&authorize).await.unwrap();
    let consent = b.source().await.unwrap();
    assert!(consent.contains("Browser agent"), "{consent}");
    assert!(consent.contains("<code>profile</code>"));
    b.screenshot("05-consent").await.unwrap();
    b.click("button[value=approve]").await.unwrap();
    b.wait_for("Callback received").await.unwrap();
    b.screenshot("06-callback").await.unwrap();
    let query = seen.lock().unwrap().last().cloned().unwrap();
    assert!(query.contains("state=st-1"), "{query}");
    assert!(query.contains("code="), "{query}");

    // Again, denied this time: the client hears access_denied with its state.
    b.go(&authorize.replace("st-1", "st-2")).await.unwrap();
    b.click("button[value=deny]").await.unwrap();
    b.wait_for("Callback received").await.unwrap();
    let query = seen.lock().unwrap().last().cloned().unwrap();
    assert!(query.contains("error=access_denied"), "{query}");
    assert!(query.contains("state=st-2"), "{query}");
    b.quit().await;
}

#[tokio::test]
async fn the_debugger_explains_a_redirect_mismatch_in_chromium() {
    let Some(b) = browser_or_skip("debugger").await else {
        return;
    };
    let idp = start_config(form_config()).await;
    let (redirect, _) = callback_server().await;
    let id = sign_up_and_create_client(&b, idp.url(), &redirect).await;
    let wrong = format!("{redirect}/");
    b.go(&format!(
        "{}/oauth/authorize?response_type=code&client_id={id}&redirect_uri={}&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256",
        idp.url(),
        form_urlencoded::byte_serialize(wrong.as_bytes()).collect::<String>()
    ))
    .await
    .unwrap();
    let error = b.source().await.unwrap();
    assert!(error.contains("redirect_uri mismatch"), "{error}");
    b.screenshot("07-mismatch").await.unwrap();
    b.click("a[href^=\"/debugger\"]").await.unwrap();
    b.wait_for(&format!("<code>{redirect}<mark>/</mark></code>"))
        .await
        .unwrap();
    assert!(b.url().await.unwrap().contains("/debugger?client_id="));
    b.screenshot("08-debugger").await.unwrap();
    b.quit().await;
}
