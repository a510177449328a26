//! Client authentication with a JWT (RFC 7523 §2.2 and §3, OIDC Core §9) over real HTTP:
//! `private_key_jwt` against the client's registered `jwks` and `client_secret_jwt` with its
//! secret; a wrong key or MAC, another audience, an expired assertion, another subject, `alg:
//! none` and a replayed `jti` are `invalid_client`; registration takes `jwks`; the metadata lists
//! both methods; each `client-assertion-*` fault flips what it bends.

mod common;

use common::*;
use mock_idp::config::ClientConfig;
use protocol::dpop::{ProofKey, flip_signature_bit, sign_hs256};
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;
const CS_SECRET: &str = "client-secret-jwt-value-4";
const TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The test configuration plus a `private_key_jwt` client with `key`'s public key and a
/// `client_secret_jwt` client.
async fn start_with(key: &ProofKey) -> mock_idp::MockIdp {
    let mut config = test_config();
    let jwks = json!({ "keys": [key.public_jwk()] });
    let yaml = format!(
        "client_id: pkjwt\ntoken_endpoint_auth_method: private_key_jwt\ngrant_types: [client_credentials]\nscope: read\njwks: {jwks}\n"
    );
    config
        .clients
        .push(yaml_serde::from_str::<ClientConfig>(&yaml).unwrap());
    let yaml = format!(
        "client_id: csjwt\nclient_secret: {CS_SECRET}\ntoken_endpoint_auth_method: client_secret_jwt\ngrant_types: [client_credentials]\nscope: read\n"
    );
    config
        .clients
        .push(yaml_serde::from_str::<ClientConfig>(&yaml).unwrap());
    start_config(config).await
}

fn claims(idp: &mock_idp::MockIdp, client: &str) -> Value {
    json!({
        "iss": client,
        "sub": client,
        "aud": format!("{}/oauth/token", idp.url()),
        "exp": NOW + 60,
        "iat": NOW,
        "jti": protocol::pkce::random(12),
    })
}

fn signed(key: &ProofKey, claims: &Value) -> String {
    key.sign(&json!({"alg": "ES256", "typ": "JWT"}), claims)
}

async fn with_assertion(idp: &mock_idp::MockIdp, assertion: &str) -> (u16, Value) {
    let (status, body, _) = token(
        idp,
        Auth::Nothing,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", TYPE),
            ("client_assertion", assertion),
        ],
    )
    .await;
    (status, body)
}

#[tokio::test]
async fn a_valid_private_key_jwt_and_client_secret_jwt_get_tokens() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let (status, body) = with_assertion(&idp, &signed(&key, &claims(&idp, "pkjwt"))).await;
    assert_eq!(status, 200, "{body}");
    let mac = sign_hs256(CS_SECRET, &json!({"alg": "HS256"}), &claims(&idp, "csjwt"));
    let (status, body) = with_assertion(&idp, &mac).await;
    assert_eq!(status, 200, "{body}");
    // The issuer as the audience is accepted too (RFC 7523 §3 item 3).
    let mut c = claims(&idp, "pkjwt");
    c["aud"] = json!(idp.issuer());
    assert_eq!(with_assertion(&idp, &signed(&key, &c)).await.0, 200);
}

#[tokio::test]
async fn every_defect_of_an_assertion_is_invalid_client() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let base = claims(&idp, "pkjwt");
    let with = |k: &str, v: Value| {
        let mut c = base.clone();
        c[k] = v;
        c
    };
    let unsigned = {
        let s = signed(&key, &base);
        let (input, _) = s.rsplit_once('.').unwrap();
        let body = input.split_once('.').unwrap().1;
        let header = base64_url(r#"{"alg":"none"}"#);
        format!("{header}.{body}.")
    };
    let cases = vec![
        ("another key", signed(&ProofKey::generate(), &base)),
        ("a bad signature", flip_signature_bit(&signed(&key, &base))),
        (
            "another audience",
            signed(&key, &with("aud", json!("https://other.example/token"))),
        ),
        ("expired", signed(&key, &with("exp", json!(NOW - 3600)))),
        ("another subject", signed(&key, &with("sub", json!("conf")))),
        (
            "another issuer",
            signed(&key, &with("iss", json!("someone"))),
        ),
        ("no jti", signed(&key, &with("jti", Value::Null))),
        ("alg none", unsigned),
        (
            "a wrong MAC",
            sign_hs256(
                "not-the-secret",
                &json!({"alg": "HS256"}),
                &claims(&idp, "csjwt"),
            ),
        ),
    ];
    for (what, assertion) in cases {
        let (status, body) = with_assertion(&idp, &assertion).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{what}: {body}"
        );
    }
    // Replay.
    let once = signed(&key, &claims(&idp, "pkjwt"));
    assert_eq!(with_assertion(&idp, &once).await.0, 200);
    assert_eq!(with_assertion(&idp, &once).await.0, 401);
    assert!(journal_has(&idp, "client_assertion_invalid").await);
}

fn base64_url(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

#[tokio::test]
async fn a_client_registered_for_an_assertion_may_not_use_its_secret_instead() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let (status, _, _) = token(
        &idp,
        Auth::Basic("csjwt", CS_SECRET),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn registration_takes_jwks_and_the_metadata_lists_both_methods() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let resp = http()
        .post(format!("{}/oauth/register", idp.url()))
        .json(&json!({
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": {"keys": [key.public_jwk()]},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let reg: Value = resp.json().await.unwrap();
    assert!(
        reg.get("client_secret").is_none(),
        "private_key_jwt gets no secret: {reg}"
    );
    let id = reg["client_id"].as_str().unwrap();
    let (status, body) = with_assertion(&idp, &signed(&key, &claims(&idp, id))).await;
    assert_eq!(status, 200, "{body}");
    let m: Value = http()
        .get(format!(
            "{}/.well-known/oauth-authorization-server",
            idp.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let methods = m["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    assert!(
        methods.contains(&json!("private_key_jwt"))
            && methods.contains(&json!("client_secret_jwt"))
    );
}

#[tokio::test]
async fn each_client_assertion_fault_flips_the_behaviour_it_bends() {
    let faults: Vec<&str> = mock_idp::Fault::ALL
        .iter()
        .map(|f| f.name())
        .filter(|n| n.starts_with("client-assertion-"))
        .collect();
    assert_eq!(faults.len(), 4);
    for fault in faults {
        let key = ProofKey::generate();
        for on in [false, true] {
            let idp = start_with(&key).await;
            if on {
                idp.state().faults.set(fault.parse().unwrap(), true);
            }
            let base = claims(&idp, "pkjwt");
            let status = match fault {
                "client-assertion-skip-signature" => {
                    with_assertion(&idp, &signed(&ProofKey::generate(), &base))
                        .await
                        .0
                }
                "client-assertion-any-audience" => {
                    let mut c = base.clone();
                    c["aud"] = json!("https://other.example/token");
                    with_assertion(&idp, &signed(&key, &c)).await.0
                }
                "client-assertion-ignore-expiry" => {
                    let mut c = base.clone();
                    c["exp"] = json!(NOW - 3600);
                    with_assertion(&idp, &signed(&key, &c)).await.0
                }
                "client-assertion-replay" => {
                    let once = signed(&key, &base);
                    with_assertion(&idp, &once).await;
                    with_assertion(&idp, &once).await.0
                }
                other => panic!("no probe for {other}"),
            };
            assert_eq!(status, if on { 200 } else { 401 }, "{fault} on={on}");
        }
    }
}
