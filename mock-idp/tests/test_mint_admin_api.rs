//! `POST /_admin/mint`, flaw by flaw: each token shows the flaw it names, and an independent
//! verifier (the `jsonwebtoken` crate, fed the server's `/jwks`) accepts exactly the tokens it
//! should. Bad bodies are 400s that name the field, never 500s; the admin token guards minting;
//! a minted token never reaches the journal or the log lines. `test_mint.rs` covers the basics
//! (defaults, claims, the CLI); this file covers every flaw and the edges.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use mock_idp::mint::{Flaw, UNPUBLISHED_KID, WRONG_AUDIENCE, WRONG_ISSUER};
use mock_idp::{MockIdp, StartOptions};
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;

async fn post_mint(idp: &MockIdp, body: impl Into<reqwest::Body>) -> reqwest::Response {
    common::http()
        .post(format!("{}/_admin/mint", idp.url()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Mints with this JSON body and expects a 200.
async fn mint(idp: &MockIdp, body: Value) -> Value {
    let resp = post_mint(idp, body.to_string()).await;
    assert_eq!(resp.status(), 200, "{body}");
    resp.json().await.unwrap()
}

async fn mint_flaw(idp: &MockIdp, flaw: Option<Flaw>) -> Value {
    mint(idp, json!({"flaw": flaw.map(Flaw::name)})).await
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

/// What a careful resource server built on `jsonwebtoken` concludes: `"ok"`, or why it refuses.
/// It pins ES256 (the published key's algorithm), checks `exp` (required) and `nbf` against the
/// system clock, and the issuer and audience.
fn verdict(keys: &JwkSet, token: &str, idp: &MockIdp) -> String {
    let header = match decode_header(token) {
        Ok(h) => h,
        Err(_) => return "unreadable header".into(),
    };
    let Some(kid) = header.kid else {
        return "no kid".into();
    };
    let Some(jwk) = keys.find(&kid) else {
        return "kid not published".into();
    };
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut v = Validation::new(Algorithm::ES256);
    v.validate_nbf = true;
    v.set_issuer(&[idp.issuer()]);
    v.set_audience(&[format!("{}/api", idp.issuer())]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    match decode::<Value>(token, &key, &v) {
        Ok(_) => "ok".into(),
        Err(e) => format!("{:?}", e.kind()),
    }
}

/// A server on the system clock, so that `jsonwebtoken`'s own time checks apply.
async fn start_on_the_system_clock() -> MockIdp {
    MockIdp::start_with(common::test_config(), StartOptions::default())
        .await
        .expect("mock-idp starts")
}

#[tokio::test]
async fn each_flaw_shows_in_the_header_or_claims_it_names() {
    let idp = common::start().await;
    let active = idp.state().keys.ring().active().kid.clone();
    let published: Vec<String> = jwks(&idp)
        .await
        .keys
        .into_iter()
        .filter_map(|k| k.common.key_id)
        .collect();
    for flaw in Flaw::ALL {
        let m = mint_flaw(&idp, Some(flaw)).await;
        let (header, claims) = (&m["header"], &m["claims"]);
        let token = m["token"].as_str().unwrap();
        let signature = token.rsplit('.').next().unwrap();
        let name = flaw.name();
        // No wildcard: a new flaw does not compile until it is checked here.
        match flaw {
            Flaw::Expired => assert_eq!(claims["exp"], NOW - 600, "{name}"),
            Flaw::NotYetValid => assert_eq!(claims["nbf"], NOW + 600, "{name}"),
            Flaw::WrongIssuer => assert_eq!(claims["iss"], WRONG_ISSUER, "{name}"),
            Flaw::WrongAudience => assert_eq!(claims["aud"], WRONG_AUDIENCE, "{name}"),
            Flaw::BadSignature => {
                assert_eq!(header["kid"], active.as_str(), "{name}");
                assert!(!signature.is_empty(), "{name}");
            }
            Flaw::UnknownKid => {
                assert_eq!(header["kid"], UNPUBLISHED_KID, "{name}");
                assert!(!published.iter().any(|k| k == UNPUBLISHED_KID), "{name}");
            }
            Flaw::AlgNone => {
                assert_eq!(header["alg"], "none", "{name}");
                assert_eq!(header["kid"], active.as_str(), "{name}");
                assert!(signature.is_empty(), "{name}");
            }
            Flaw::Hs256PublicKey => {
                assert_eq!(header["alg"], "HS256", "{name}");
                assert_eq!(header["kid"], active.as_str(), "{name}");
            }
            Flaw::MissingExp => assert!(claims.get("exp").is_none(), "{name}"),
            Flaw::StrippedSignature => {
                assert_eq!(header["alg"], "ES256", "{name}");
                assert_eq!(header["kid"], active.as_str(), "{name}");
                assert!(signature.is_empty(), "{name}");
            }
            Flaw::Unsigned => {
                assert_eq!(*header, json!({"alg": "none", "typ": "JWT"}), "{name}");
                assert!(signature.is_empty(), "{name}");
            }
            Flaw::WrongTyp => assert_eq!(header["typ"], "JWT", "{name}"),
            Flaw::MissingTyp => assert!(header.get("typ").is_none(), "{name}"),
        }
        // The answer's header and claims are the token's, not a separate story.
        assert_eq!(mock_idp::mint::decode_part(token, 0).as_ref(), Some(header));
        assert_eq!(mock_idp::mint::decode_part(token, 1).as_ref(), Some(claims));
    }
}

#[tokio::test]
async fn an_independent_verifier_accepts_the_valid_token_and_refuses_each_flaw_it_can_see() {
    let idp = start_on_the_system_clock().await;
    let keys = jwks(&idp).await;
    let valid = mint_flaw(&idp, None).await;
    assert_eq!(verdict(&keys, valid["token"].as_str().unwrap(), &idp), "ok");
    for flaw in Flaw::ALL {
        let m = mint_flaw(&idp, Some(flaw)).await;
        let got = verdict(&keys, m["token"].as_str().unwrap(), &idp);
        let want = match flaw {
            Flaw::Expired => "ExpiredSignature",
            Flaw::NotYetValid => "ImmatureSignature",
            Flaw::WrongIssuer => "InvalidIssuer",
            Flaw::WrongAudience => "InvalidAudience",
            Flaw::BadSignature | Flaw::StrippedSignature => "InvalidSignature",
            Flaw::UnknownKid => "kid not published",
            // jsonwebtoken has no `none` algorithm: the header itself does not parse.
            Flaw::AlgNone | Flaw::Unsigned => "unreadable header",
            Flaw::Hs256PublicKey => "InvalidAlgorithm",
            Flaw::MissingExp => "MissingRequiredClaim(\"exp\")",
            // jsonwebtoken does not look at `typ`: only a verifier that enforces RFC 9068 §4
            // (as mock-idp's own resource server does) refuses these.
            Flaw::WrongTyp | Flaw::MissingTyp => "ok",
        };
        assert_eq!(got, want, "{}", flaw.name());
    }
}

#[tokio::test]
async fn hs256_public_key_verifies_for_a_verifier_that_trusts_the_header_alg() {
    let idp = common::start().await;
    let m = mint_flaw(&idp, Some(Flaw::Hs256PublicKey)).await;
    let pem = idp.state().keys.ring().active().public_key_pem();
    let mut v = Validation::new(Algorithm::HS256);
    v.validate_exp = false;
    v.validate_aud = false;
    let forged = decode::<Value>(
        m["token"].as_str().unwrap(),
        &DecodingKey::from_secret(pem.as_bytes()),
        &v,
    );
    assert!(
        forged.is_ok(),
        "the flaw is the real algorithm-confusion attack: {forged:?}"
    );
}

#[tokio::test]
async fn an_empty_body_mints_the_defaults() {
    let idp = common::start().await;
    for body in ["", "  \n", "{}"] {
        let resp = post_mint(&idp, body).await;
        assert_eq!(resp.status(), 200, "{body:?}");
        let m: Value = resp.json().await.unwrap();
        assert_eq!(m["claims"]["sub"], "alice", "{body:?}");
        assert_eq!(m["claims"]["exp"], NOW + 3600, "{body:?}");
        assert_eq!(m["header"]["typ"], "at+jwt", "{body:?}");
    }
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_field_never_500() {
    let idp = common::start().await;
    for (body, mentions) in [
        (
            r#"{"flaw": "nope"}"#,
            &["flaw", "nope", "expired", "missing-typ"][..],
        ),
        (r#"{"flaw": 3}"#, &["flaw"]),
        (r#"{"sub": 5}"#, &["sub", "string"]),
        (r#"{"claims": ["a"]}"#, &["claims", "map"]),
        (r#"{"not_before": "later"}"#, &["not_before", "i64"]),
        (r#"{"expires_in": 1e40}"#, &["expires_in"]),
        (r#"{"alg": "HS256"}"#, &["alg", "ES256"]),
        (r#"{"Sub": "alice"}"#, &["Sub", "sub"]),
        (
            r#"{"expires_in": 9223372036854775807}"#,
            &["expires_in", "ten years"],
        ),
        (r#"{"not_before": -9223372036854775808}"#, &["ten years"]),
        (r#"{"kid": "k-nowhere"}"#, &["k-nowhere", "/_admin/keys"]),
        (r#"{"sub": "alice""#, &["EOF"]),
        // Not read field by field in declaration order, as serde would: `sub` here.
        (r#"["bob"]"#, &["JSON object", "not an array"]),
        ("null", &["MintRequest"]),
        ("not json", &["expected"]),
    ] {
        let resp = post_mint(&idp, body).await;
        assert_eq!(resp.status(), 400, "{body}");
        let e: Value = resp.json().await.unwrap();
        assert_eq!(e["error"], "invalid_request", "{body}");
        let d = e["error_description"].as_str().unwrap();
        for m in mentions {
            assert!(d.contains(m), "{body}: {d:?} lacks {m:?}");
        }
    }
    assert!(!common::journal_has(&idp, "token_minted").await);
}

#[tokio::test]
async fn the_admin_token_is_required_when_configured() {
    let mut config = common::test_config();
    config.admin_token = Some("mint-admin-secret".into());
    let idp = common::start_config(config).await;
    for presented in [None, Some("a-wrong-admin-token")] {
        let mut req = common::http()
            .post(format!("{}/_admin/mint", idp.url()))
            .json(&json!({}));
        if let Some(t) = presented {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{presented:?}");
        let e: Value = resp.json().await.unwrap();
        assert_eq!(e["error"], "invalid_token");
    }
    let recorded = |code: &str| {
        let filter = mock_idp::journal::Filter {
            code: Some(code.into()),
            ..Default::default()
        };
        idp.state().journal.query(&filter).len()
    };
    assert_eq!(recorded("admin_forbidden"), 2);
    assert_eq!(recorded("token_minted"), 0);
    let ok = common::http()
        .post(format!("{}/_admin/mint", idp.url()))
        .bearer_auth("mint-admin-secret")
        .json(&json!({"flaw": "expired"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary, from here on. A global subscriber, not a scoped one
/// (`set_default`): with the other tests running on other threads, a scoped subscriber can miss
/// events whose callsite interest another thread cached first.
fn captured_logs() -> Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("trace")
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        logs
    })
    .clone()
}

#[tokio::test]
async fn no_minted_token_reaches_the_journal_or_the_logs() {
    let logs = captured_logs();
    let idp = common::start().await;
    let mut minted = Vec::new();
    for flaw in std::iter::once(None).chain(Flaw::ALL.map(Some)) {
        let m = mint(
            &idp,
            json!({"sub": "bob", "flaw": flaw.map(Flaw::name), "claims": {"note": "x"}}),
        )
        .await;
        minted.push(m["token"].as_str().unwrap().to_string());
    }

    let journal = common::http()
        .get(format!("{}/_admin/journal?limit=1000", idp.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let entries: Value = serde_json::from_str(&journal).unwrap();
    let mints: Vec<&Value> = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "token_minted")
        .collect();
    assert_eq!(mints.len(), 1 + Flaw::ALL.len(), "one entry per mint");
    assert!(mints.iter().all(|e| e["user"] == "bob"), "{mints:?}");
    for flaw in Flaw::ALL {
        let said = format!("flaw {})", flaw.name());
        assert!(journal.contains(&said), "the journal names {said}");
    }
    assert!(
        logs.contains("token_minted"),
        "the log lines mirror the journal"
    );
    for token in &minted {
        // The signing input is as secret as the token: with an empty signature (alg-none,
        // unsigned, stripped-signature) it *is* the token.
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let mut secrets = vec![token.as_str(), signing_input];
        if !signature.is_empty() {
            secrets.push(signature);
        }
        for s in secrets {
            assert!(
                !journal.contains(s),
                "minted token {}… in the journal",
                &s[..12]
            );
            assert!(!logs.contains(s), "minted token {}… in the logs", &s[..12]);
        }
    }
}
