//! redirect_uri must match exactly (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3); a mismatch never
//! redirects and the 400 page names what is registered and what was received. Loopback redirects
//! may use any port where the client allows it (RFC 8252 §7.3).

mod common;

use common::*;

const HOSTILE: &[&str] = &[
    "https://evil.example/cb",
    "https://app.example.com/cb/extra",
    "https://app.example.com/cbx",
    "https://app.example.com/cb?next=https://evil.example",
    "https://app.example.com/cb#fragment",
    "https://APP.example.com/cb",
    "https://app.example.com/CB",
    "https://app.example.com/cb/",
    "https://app.example.com@evil.example/cb",
    "https://app.example.com/cb/..%2F..%2Fevil",
    "https://app.example.com/x/../cb",
    "https://app.example.com.evil.example/cb",
    "http://app.example.com/cb",
];

#[tokio::test]
async fn hostile_variants_get_a_400_page_and_no_redirect() {
    let idp = start().await;
    for uri in HOSTILE {
        let resp = authorize(
            &idp,
            &[
                ("response_type", "code"),
                ("client_id", "conf"),
                ("redirect_uri", uri),
                ("state", "s"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
        assert_eq!(resp.status(), 400, "{uri}");
        assert!(
            resp.headers().get("location").is_none(),
            "{uri} must not redirect"
        );
        let page = resp.text().await.unwrap();
        assert!(
            page.contains("https://app.example.com/cb"),
            "the page names the registered URI for {uri}"
        );
        assert!(
            page.contains("/_admin/journal?client_id=conf"),
            "the page points to the journal"
        );
    }
}

#[tokio::test]
async fn mismatch_is_journaled_with_registered_and_received() {
    let idp = start().await;
    authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", "https://evil.example/cb"),
        ],
    )
    .await;
    let entries = journal(&idp, "code=redirect_uri_mismatch&client_id=conf").await;
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e["outcome"], "refused");
    assert_eq!(e["details"]["received"], "https://evil.example/cb");
    assert_eq!(e["details"]["registered"][0], REDIRECT);
    assert!(
        e["reason"]
            .as_str()
            .unwrap()
            .starts_with("redirect_uri_mismatch: registered")
    );
}

#[tokio::test]
async fn loopback_redirect_accepts_any_port_but_the_same_path() {
    let idp = start().await;
    let base = [
        ("response_type", "code"),
        ("client_id", "public"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let with = |uri: &'static str| {
        let mut p = base.to_vec();
        p.push(("redirect_uri", uri));
        p
    };
    let ok = authorize(&idp, &with("http://127.0.0.1:51234/callback")).await;
    assert_eq!(ok.status(), 302);
    assert!(location(&ok).starts_with("http://127.0.0.1:51234/callback?code="));
    for bad in [
        "http://127.0.0.1:51234/callback/evil",
        "http://localhost:51234/callback",
        "http://127.0.0.1:51234/Callback",
    ] {
        let resp = authorize(&idp, &with(bad)).await;
        assert_eq!(resp.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn a_client_with_several_uris_must_name_one() {
    let idp = start().await;
    let resp = authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}

#[tokio::test]
async fn accept_any_redirect_uri_fault_redirects_anywhere() {
    let idp = start().await;
    admin_post(
        &idp,
        "faults/accept-any-redirect-uri",
        serde_json::json!({}),
    )
    .await;
    let resp = authorize(
        &idp,
        &[
            ("response_type", "code"),
            ("client_id", "conf"),
            ("redirect_uri", "https://evil.example/cb"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 302);
    assert!(location(&resp).starts_with("https://evil.example/cb?code="));
}
