//! The demo web UI over real HTTP: sign up by username, create a client (its secret shown once,
//! CSRF-protected, every input problem listed, hostile input escaped), run an authorization-code
//! flow with that client through the consent page in the same browser session, and find a
//! redirect_uri mismatch explained in the debugger with the difference marked.

mod common;

use common::*;

fn form_config() -> mock_idp::Config {
    let mut c = test_config();
    c.login = mock_idp::config::LoginConfig::default();
    c
}

/// A browser: keeps the session cookie.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(idp: &mock_idp::MockIdp) -> Self {
        Self {
            http: http(),
            base: idp.url().to_string(),
            cookie: None,
        }
    }

    fn keep(&mut self, r: &reqwest::Response) {
        if let Some(c) = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()) {
            let pair = c.split(';').next().unwrap_or("").to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        self.keep(&r);
        r
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        self.keep(&r);
        r
    }
}

fn value_of(page: &str, marker: &str) -> String {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"))
        + marker.len();
    page[start..start + page[start..].find(['"', '<']).unwrap()].to_string()
}

async fn signed_up(idp: &mock_idp::MockIdp, name: &str) -> Browser {
    let mut b = Browser::new(idp);
    let r = b.post("/login", &[("username", name)]).await;
    assert_eq!(r.status(), 303);
    assert!(b.cookie.is_some(), "a session cookie");
    b
}

async fn create_client(b: &mut Browser, redirect: &str) -> (String, Option<String>, String) {
    let form = b.get("/clients/new").await.text().await.unwrap();
    assert!(form.contains("<label for=\"client_name\">Client name</label>"));
    let csrf = value_of(&form, "name=\"csrf\" value=\"");
    let r = b
        .post(
            "/clients",
            &[
                ("csrf", &csrf),
                ("client_name", "My agent <b>"),
                ("client_uri", "https://agent.example"),
                ("scope", "openid profile"),
                ("redirect_uris", redirect),
                ("grant_types", "authorization_code\r\nrefresh_token"),
                ("response_types", "code"),
                ("token_endpoint_auth_method", "client_secret_post"),
            ],
        )
        .await;
    assert_eq!(r.status(), 201);
    let page = r.text().await.unwrap();
    let id = value_of(&page, "<code id=\"client_id\">");
    let secret = page
        .contains("id=\"client_secret\"")
        .then(|| value_of(&page, "<code id=\"client_secret\">"));
    (id, secret, page)
}

#[tokio::test]
async fn sign_up_then_create_a_client_whose_secret_is_shown_once() {
    let idp = start_config(form_config()).await;
    let mut b = signed_up(&idp, "carol").await;
    let home = b.get("/").await.text().await.unwrap();
    assert!(
        home.contains("signed in as <strong>carol</strong>"),
        "{home}"
    );
    assert!(home.contains("You have no clients yet"));
    let (id, secret, page) = create_client(&mut b, "http://localhost:8000/auth/redirect").await;
    let secret = secret.expect("a confidential client gets a secret");
    assert!(secret.len() >= 40);
    assert!(page.contains("My agent &lt;b&gt;"), "escaped: {page}");
    assert!(page.contains("not shown again"));
    let client = idp.state().registry.client(&id).expect("registered");
    assert_eq!(client.client_secret.as_deref(), Some(secret.as_str()));
    assert_eq!(
        client.redirect_uris,
        ["http://localhost:8000/auth/redirect"]
    );
    // The list shows the client, never its secret.
    let home = b.get("/").await.text().await.unwrap();
    assert!(home.contains(&id));
    assert!(!home.contains(&secret));
    // Another user does not see it.
    let mut other = signed_up(&idp, "dave").await;
    assert!(!other.get("/").await.text().await.unwrap().contains(&id));
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_creates_nothing() {
    let idp = start_config(form_config()).await;
    let mut b = signed_up(&idp, "carol").await;
    let before = idp.state().registry.clients().len();
    let r = b
        .post(
            "/clients",
            &[
                ("csrf", "forged"),
                ("client_name", "x"),
                ("redirect_uris", "https://x.example/cb"),
                ("grant_types", "authorization_code"),
                ("token_endpoint_auth_method", "none"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("CSRF check failed"));
    assert_eq!(idp.state().registry.clients().len(), before);
    // Signed out, the form sends you home.
    let mut anon = Browser::new(&idp);
    assert_eq!(anon.get("/clients/new").await.status(), 303);
}

#[tokio::test]
async fn invalid_input_comes_back_with_every_problem_listed() {
    let idp = start_config(form_config()).await;
    let mut b = signed_up(&idp, "carol").await;
    let form = b.get("/clients/new").await.text().await.unwrap();
    let csrf = value_of(&form, "name=\"csrf\" value=\"");
    let r = b
        .post(
            "/clients",
            &[
                ("csrf", &csrf),
                ("client_name", "bad"),
                ("redirect_uris", "https://x.example/cb#frag"),
                ("grant_types", "password"),
                ("token_endpoint_auth_method", "client_secret_basic"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("fragment"), "{page}");
    assert!(
        page.contains("&quot;password&quot; is not one of"),
        "{page}"
    );
    // What was typed is kept.
    assert!(page.contains("https://x.example/cb#frag</textarea>"));
}

#[tokio::test]
async fn a_client_made_in_the_ui_runs_a_code_flow_through_the_consent_page() {
    let idp = start_config(form_config()).await;
    let mut b = signed_up(&idp, "alice").await;
    let redirect = "https://agent.example/auth/redirect";
    let (id, secret, _) = create_client(&mut b, redirect).await;
    let secret = secret.unwrap();
    // Signed in already: the flow goes straight to consent.
    let consent = b
        .get(&format!(
            "/oauth/authorize?response_type=code&client_id={id}&redirect_uri={}&state=s1&scope=openid%20profile&code_challenge={CHALLENGE}&code_challenge_method=S256",
            form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(consent.contains("My agent &lt;b&gt;"), "{consent}");
    assert!(consent.contains("agent.example"));
    let rid = value_of(&consent, "name=\"mockidp_request\" value=\"");
    let r = b
        .post(
            "/oauth/authorize",
            &[("mockidp_request", &rid), ("action", "approve")],
        )
        .await;
    // 303 after a POST, so the browser does not post the form again (RFC 9700 §4.12).
    assert_eq!(r.status(), 303);
    let params = location_params(&r);
    assert_eq!(params["state"], "s1");
    let tok = http()
        .post(format!("{}/oauth/token", idp.url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &params["code"]),
            ("redirect_uri", redirect),
            ("code_verifier", VERIFIER),
            ("client_id", &id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(tok.status(), 200);
    let doc: serde_json::Value = tok.json().await.unwrap();
    let me = api_me(&idp, doc["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["username"], "alice");
}

#[tokio::test]
async fn a_redirect_mismatch_is_explained_in_the_debugger() {
    let idp = start_config(form_config()).await;
    let mut b = signed_up(&idp, "alice").await;
    let (id, _, _) = create_client(&mut b, "http://localhost:8000/auth/redirect").await;
    let r = b
        .get(&format!(
            "/oauth/authorize?response_type=code&client_id={id}&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fauth%2Fredirect%2F&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ))
        .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!("href=\"/debugger?client_id={id}\"")),
        "{page}"
    );
    let dbg = b
        .get(&format!("/debugger?client_id={id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(dbg.contains("redirect_uri_mismatch"), "{dbg}");
    assert!(
        dbg.contains("<code>http://localhost:8000/auth/redirect<mark>/</mark></code>"),
        "{dbg}"
    );
    // Refusals only by default; every decision on request.
    assert!(!dbg.contains("client_created"));
    let all = b
        .get(&format!("/debugger?client_id={id}&show=all"))
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains("client_created"));
}

#[tokio::test]
async fn a_password_account_needs_its_password_and_sign_out_ends_the_session() {
    let mut config = form_config();
    config.users.push(mock_idp::config::UserConfig {
        username: "erin".into(),
        password: Some("erin-pw".into()),
        name: None,
        email: None,
        claims: Default::default(),
    });
    let idp = start_config(config).await;
    let mut b = Browser::new(&idp);
    let r = b
        .post("/login", &[("username", "erin"), ("password", "nope")])
        .await;
    assert_eq!(r.status(), 401);
    let r = b
        .post("/login", &[("username", "erin"), ("password", "erin-pw")])
        .await;
    assert_eq!(r.status(), 303);
    let home = b.get("/").await.text().await.unwrap();
    let csrf = value_of(&home, "name=\"csrf\" value=\"");
    assert_eq!(b.post("/logout", &[("csrf", &csrf)]).await.status(), 303);
    assert!(b.cookie.is_none());
    let r = b.post("/login", &[("username", "<script>")]).await;
    assert_eq!(r.status(), 422);
    assert!(!r.text().await.unwrap().contains("<script>"));
}
