//! Minting tokens to order through its two front doors: `POST /_admin/mint` and the
//! `mock-idp mint` command. Tokens are checked with the `jsonwebtoken` crate against the
//! server's `/jwks`, not with mock-idp's own code; the journal never holds a minted token.

mod common;

use std::process::Command;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use mock_idp::MockIdp;
use serde_json::{Value, json};

async fn mint(idp: &MockIdp, body: Value) -> reqwest::Response {
    common::http()
        .post(format!("{}/_admin/mint", idp.url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn jwks(idp: &MockIdp) -> JwkSet {
    common::http()
        .get(format!("{}/jwks", idp.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Verifies the signature (and aud/iss) by the published key; exp is checked by the caller, since
/// the mock's clock is not the system's.
fn verify(jwks: &JwkSet, token: &str, idp: &MockIdp) -> Result<Value, String> {
    let header = decode_header(token).map_err(|e| e.to_string())?;
    let kid = header.kid.ok_or("no kid")?;
    let jwk = jwks.find(&kid).ok_or("kid not published")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let mut v = Validation::new(Algorithm::ES256);
    v.validate_exp = false;
    v.set_audience(&[format!("{}/api", idp.issuer())]);
    v.set_issuer(&[idp.issuer()]);
    v.set_required_spec_claims(&["iss", "aud", "sub"]);
    decode::<Value>(token, &key, &v)
        .map(|d| d.claims)
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_default_token_verifies_against_the_published_keys() {
    let idp = common::start().await;
    let resp = mint(&idp, json!({})).await;
    assert_eq!(resp.status(), 200);
    let m: Value = resp.json().await.unwrap();
    let token = m["token"].as_str().unwrap();
    let claims = verify(&jwks(&idp).await, token, &idp).unwrap();
    assert_eq!(claims["sub"], "alice");
    assert_eq!(m["header"]["typ"], "at+jwt");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
}

#[tokio::test]
async fn each_signature_flaw_fails_an_independent_verifier() {
    let idp = common::start().await;
    let keys = jwks(&idp).await;
    for flaw in [
        "bad-signature",
        "unknown-kid",
        "alg-none",
        "stripped-signature",
    ] {
        let m: Value = mint(&idp, json!({"flaw": flaw}))
            .await
            .json()
            .await
            .unwrap();
        let token = m["token"].as_str().unwrap();
        assert!(
            verify(&keys, token, &idp).is_err(),
            "{flaw}: jsonwebtoken accepted it"
        );
    }
    for (flaw, claim, want) in [
        ("wrong-issuer", "iss", json!(mock_idp::mint::WRONG_ISSUER)),
        (
            "wrong-audience",
            "aud",
            json!(mock_idp::mint::WRONG_AUDIENCE),
        ),
    ] {
        let m: Value = mint(&idp, json!({"flaw": flaw}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(m["claims"][claim], want, "{flaw}");
        assert!(verify(&keys, m["token"].as_str().unwrap(), &idp).is_err());
    }
}

#[tokio::test]
async fn claims_lifetime_and_audience_are_as_asked() {
    let idp = common::start().await;
    let body = json!({
        "sub": "bob", "aud": ["a", "b"], "scope": "x y", "expires_in": -5,
        "claims": {"workspaces": {"w": "editor"}}
    });
    let m: Value = mint(&idp, body).await.json().await.unwrap();
    let now = idp.state().now();
    assert_eq!(m["claims"]["sub"], "bob");
    assert_eq!(m["claims"]["aud"], json!(["a", "b"]));
    assert_eq!(m["claims"]["exp"], now - 5);
    assert_eq!(m["claims"]["workspaces"]["w"], "editor");
}

#[tokio::test]
async fn bad_requests_are_400_naming_what_is_wrong() {
    let idp = common::start().await;
    for (body, mention) in [
        (json!({"flaw": "nope"}), "flaw"),
        (json!({"bogus": 1}), "bogus"),
        (json!({"expires_in": "soon"}), "expires_in"),
        (json!({"kid": "missing"}), "missing"),
        (json!({"alg": "RS256"}), "/_admin/keys/rotate"),
    ] {
        let resp = mint(&idp, body.clone()).await;
        assert_eq!(resp.status(), 400, "{body}");
        let e: Value = resp.json().await.unwrap();
        assert_eq!(e["error"], "invalid_request");
        let d = e["error_description"].as_str().unwrap();
        assert!(d.contains(mention), "{body}: {d}");
    }
}

#[tokio::test]
async fn the_journal_records_the_mint_but_never_the_token() {
    let idp = common::start().await;
    let m: Value = mint(&idp, json!({"flaw": "expired"}))
        .await
        .json()
        .await
        .unwrap();
    let token = m["token"].as_str().unwrap();
    let all = common::journal(&idp, "limit=1000").await;
    let text = serde_json::to_string(&all).unwrap();
    assert!(text.contains("token_minted") && text.contains("flaw expired"));
    assert!(!text.contains(token));
    assert!(!text.contains(token.split('.').nth(2).unwrap()));
}

#[tokio::test]
async fn with_an_admin_token_minting_needs_it() {
    let mut config = common::test_config();
    config.admin_token = Some("admin-secret".into());
    let idp = common::start_config(config).await;
    assert_eq!(mint(&idp, json!({})).await.status(), 401);
    let ok = common::http()
        .post(format!("{}/_admin/mint", idp.url()))
        .bearer_auth("admin-secret")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mock-idp"))
        .arg("mint")
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_cli_mints_on_a_running_server_and_its_token_is_served() {
    let idp = common::start().await;
    let url = idp.url().to_string();
    let out = tokio::task::spawn_blocking(move || {
        cli(&[
            "--server",
            &url,
            "--scope",
            "profile",
            "--claim",
            "workspaces={\"w\":\"admin\"}",
        ])
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.split('.').count(), 3);
    assert_eq!(common::api_me(&idp, &token).await.status(), 200);
    let url = idp.url().to_string();
    let out = tokio::task::spawn_blocking(move || {
        cli(&["--server", &url, "--flaw", "expired", "--json"])
    })
    .await
    .unwrap();
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(m["claims"]["exp"].as_i64().unwrap() < idp.state().now());
    let expired = m["token"].as_str().unwrap();
    assert_eq!(common::api_me(&idp, expired).await.status(), 401);
}

#[test]
fn the_cli_says_what_is_wrong_with_a_documented_exit_code() {
    let unknown = cli(&["--config", "x.yaml", "--flaw", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("expired, not-yet-valid"));
    let generated = cli(&[
        "--config",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/mock-idp.yaml"),
    ]);
    assert_eq!(generated.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&generated.stderr).contains("--server"));
    let nowhere = cli(&["--server", "http://127.0.0.1:9"]);
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("cannot reach"));
    let neither = cli(&[]);
    assert_eq!(neither.status.code(), Some(2));
}

#[test]
fn the_cli_mints_offline_from_pinned_keys() {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/targets/builtin-mock-idp.yaml"
    );
    let out = cli(&["--config", config, "--kid", "builtin-es256", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["header"]["kid"], "builtin-es256");
}
