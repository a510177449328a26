//! DPoP (RFC 9449) at the token endpoint and the resources, over real HTTP: a valid proof binds
//! the tokens (token_type DPoP, `cnf.jkt`), every §4.3 defect of a proof is `invalid_dpop_proof`,
//! a replayed proof is refused, the server nonce (§8), a client registered with
//! `dpop_bound_access_tokens`, a public client's refresh token bound to its key (§5), the
//! resources' §7 rules, the metadata, and each `dpop-*` fault flipping what it bends.

mod common;

use common::*;
use protocol::dpop::{ProofKey, ProofSpec};
use serde_json::Value;

const NOW: i64 = 1_800_000_000;

fn token_url(idp: &mock_idp::MockIdp) -> String {
    format!("{}/oauth/token", idp.url())
}

fn spec(htu: String) -> ProofSpec {
    ProofSpec {
        htm: "POST".into(),
        htu,
        iat: NOW,
        ..Default::default()
    }
}

/// A token request as `auth` with `proof` in the DPoP header.
async fn dpop_token(
    idp: &mock_idp::MockIdp,
    auth: Auth<'_>,
    form: &[(&str, &str)],
    proof: Option<&str>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let mut req = http().post(token_url(idp));
    match auth {
        Auth::Basic(id, secret) => req = req.basic_auth(id, Some(secret)),
        Auth::Post(id, secret) => {
            form.push(("client_id", id));
            form.push(("client_secret", secret));
        }
        Auth::None(id) => form.push(("client_id", id)),
        Auth::Nothing => {}
    }
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    let resp = req.form(&form).send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, resp.json().await.unwrap_or(Value::Null), headers)
}

const SERVICE: Auth<'static> = Auth::Basic("service", SERVICE_SECRET);
const CC: &[(&str, &str)] = &[("grant_type", "client_credentials")];

fn claims(token: &str) -> Value {
    protocol::jwt::unverified_claims(token).unwrap()
}

#[tokio::test]
async fn a_valid_proof_binds_the_access_token_to_its_key() {
    let idp = start().await;
    let key = ProofKey::generate();
    let proof = key.proof(&spec(token_url(&idp)));
    let (status, body, _) = dpop_token(&idp, SERVICE, CC, Some(&proof)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let at = body["access_token"].as_str().unwrap();
    assert_eq!(claims(at)["cnf"]["jkt"], key.thumbprint());
    // Without a proof: a bearer token, no cnf.
    let (_, body, _) = dpop_token(&idp, SERVICE, CC, None).await;
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        claims(body["access_token"].as_str().unwrap())
            .get("cnf")
            .is_none()
    );
}

#[tokio::test]
async fn every_defect_of_a_proof_is_invalid_dpop_proof() {
    let idp = start().await;
    let key = ProofKey::generate();
    let url = token_url(&idp);
    let cases: Vec<(&str, ProofSpec)> = vec![
        (
            "bad signature",
            ProofSpec {
                bad_signature: true,
                ..spec(url.clone())
            },
        ),
        (
            "typ JWT",
            ProofSpec {
                typ: Some("JWT".into()),
                ..spec(url.clone())
            },
        ),
        (
            "private key in jwk",
            ProofSpec {
                leak_private_key: true,
                ..spec(url.clone())
            },
        ),
        (
            "htm GET",
            ProofSpec {
                htm: "GET".into(),
                ..spec(url.clone())
            },
        ),
        ("htu elsewhere", spec(format!("{}/oauth/other", idp.url()))),
        (
            "an hour old",
            ProofSpec {
                iat: NOW - 3600,
                ..spec(url.clone())
            },
        ),
        (
            "from the future",
            ProofSpec {
                iat: NOW + 3600,
                ..spec(url.clone())
            },
        ),
    ];
    for (what, s) in cases {
        let (status, body, _) = dpop_token(&idp, SERVICE, CC, Some(&key.proof(&s))).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_dpop_proof")),
            "{what}: {body}"
        );
    }
    // Two DPoP headers.
    let p = key.proof(&spec(url.clone()));
    let resp = http()
        .post(&url)
        .basic_auth("service", Some(SERVICE_SECRET))
        .header("DPoP", &p)
        .header("DPoP", &p)
        .form(CC)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // A query and fragment in htu are ignored (§4.3 item 9).
    let s = spec(format!("{url}?x=1#f"));
    let (status, _, _) = dpop_token(&idp, SERVICE, CC, Some(&key.proof(&s))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_replayed_proof_is_refused() {
    let idp = start().await;
    let key = ProofKey::generate();
    let proof = key.proof(&spec(token_url(&idp)));
    assert_eq!(dpop_token(&idp, SERVICE, CC, Some(&proof)).await.0, 200);
    let (status, body, _) = dpop_token(&idp, SERVICE, CC, Some(&proof)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof"))
    );
    assert!(journal_has(&idp, "dpop_proof_invalid").await);
}

#[tokio::test]
async fn a_required_nonce_is_asked_for_with_use_dpop_nonce() {
    let mut config = test_config();
    config.dpop.require_nonce = true;
    let idp = start_config(config).await;
    let key = ProofKey::generate();
    let (status, body, headers) =
        dpop_token(&idp, SERVICE, CC, Some(&key.proof(&spec(token_url(&idp))))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("use_dpop_nonce"))
    );
    let nonce = headers["dpop-nonce"].to_str().unwrap().to_string();
    let with_nonce = ProofSpec {
        nonce: Some(nonce),
        ..spec(token_url(&idp))
    };
    let (status, body, _) = dpop_token(&idp, SERVICE, CC, Some(&key.proof(&with_nonce))).await;
    assert_eq!(status, 200, "{body}");
    let wrong = ProofSpec {
        nonce: Some("made-up".into()),
        ..spec(token_url(&idp))
    };
    let (_, body, _) = dpop_token(&idp, SERVICE, CC, Some(&key.proof(&wrong))).await;
    assert_eq!(body["error"], "use_dpop_nonce");
}

#[tokio::test]
async fn a_client_registered_for_dpop_must_send_a_proof() {
    let mut config = test_config();
    let service = config
        .clients
        .iter_mut()
        .find(|c| c.client_id == "service")
        .unwrap();
    service.dpop_bound_access_tokens = true;
    let idp = start_config(config).await;
    let (status, body, _) = dpop_token(&idp, SERVICE, CC, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof"))
    );
}

/// A public client's tokens from a code redeemed with `key`'s proof.
async fn public_tokens(idp: &mock_idp::MockIdp, key: &ProofKey) -> Value {
    let code = code_for(idp, "public", &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9999/callback"),
        ("code_verifier", VERIFIER),
    ];
    let proof = key.proof(&spec(token_url(idp)));
    let (status, body, _) = dpop_token(idp, Auth::None("public"), &form, Some(&proof)).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn refresh_with(idp: &mock_idp::MockIdp, rt: &str, key: Option<&ProofKey>) -> (u16, Value) {
    let form = [("grant_type", "refresh_token"), ("refresh_token", rt)];
    let proof = key.map(|k| k.proof(&spec(token_url(idp))));
    let (s, b, _) = dpop_token(idp, Auth::None("public"), &form, proof.as_deref()).await;
    (s, b)
}

#[tokio::test]
async fn a_public_clients_refresh_token_is_bound_to_its_key() {
    let idp = start().await;
    let key = ProofKey::generate();
    let tokens = public_tokens(&idp, &key).await;
    let rt = tokens["refresh_token"].as_str().unwrap();
    let (status, body) = refresh_with(&idp, rt, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_dpop_proof"))
    );
    let (status, _) = refresh_with(&idp, rt, Some(&ProofKey::generate())).await;
    assert_eq!(status, 400);
    let (status, body) = refresh_with(&idp, rt, Some(&key)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
}

#[tokio::test]
async fn a_code_bound_by_dpop_jkt_is_redeemed_only_with_that_key() {
    let idp = start().await;
    let key = ProofKey::generate();
    let redeem = |code: String, proof: Option<String>| {
        let idp = &idp;
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", "http://127.0.0.1:9999/callback"),
                ("code_verifier", VERIFIER),
            ];
            dpop_token(idp, Auth::None("public"), &form, proof.as_deref()).await
        }
    };
    let bound = [("dpop_jkt", key.thumbprint())];
    let bound: Vec<(&str, &str)> = bound.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let other = ProofKey::generate().proof(&spec(token_url(&idp)));
    let (status, body, _) = redeem(code_for(&idp, "public", &bound).await, Some(other)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body, _) = redeem(code_for(&idp, "public", &bound).await, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let own = key.proof(&spec(token_url(&idp)));
    let (status, body, _) = redeem(code_for(&idp, "public", &bound).await, Some(own)).await;
    assert_eq!(
        (status, body["token_type"].as_str()),
        (200, Some("DPoP")),
        "{body}"
    );
}

#[tokio::test]
async fn the_metadata_advertises_dpop_and_switching_it_off_ignores_proofs() {
    let idp = start().await;
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
    assert!(
        m["dpop_signing_alg_values_supported"]
            .as_array()
            .is_some_and(|a| a.contains(&"ES256".into()))
    );
    let mut config = test_config();
    config.dpop.enabled = false;
    let idp = start_config(config).await;
    let key = ProofKey::generate();
    let (status, body, _) =
        dpop_token(&idp, SERVICE, CC, Some(&key.proof(&spec(token_url(&idp))))).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("Bearer")));
}

/// What each `dpop-*` fault lets through that the strict server refuses.
#[tokio::test]
async fn each_dpop_fault_flips_the_behaviour_it_bends() {
    let as_faults: Vec<&str> = mock_idp::Fault::ALL
        .iter()
        .map(|f| f.name())
        .filter(|n| n.starts_with("dpop-"))
        .collect();
    for fault in as_faults {
        let strict = dpop_probe(&start().await, fault, false).await;
        let bent = dpop_probe(&start().await, fault, true).await;
        assert!(!strict, "{fault} off: the probe must be refused");
        assert!(bent, "{fault} on: the probe must get through");
    }
}

fn fault_on(idp: &mock_idp::MockIdp, name: &str) {
    let fault = name.parse::<mock_idp::Fault>().expect("a fault name");
    idp.state().faults.set(fault, true);
}

/// Whether the request that `fault` bends gets what the fault lets through.
async fn dpop_probe(idp: &mock_idp::MockIdp, fault: &str, on: bool) -> bool {
    if on {
        fault_on(idp, fault);
    }
    let key = ProofKey::generate();
    let url = token_url(idp);
    let accepted = |s: u16| s == 200;
    match fault {
        "dpop-skip-proof-signature" => {
            let p = key.proof(&ProofSpec {
                bad_signature: true,
                ..spec(url)
            });
            accepted(dpop_token(idp, SERVICE, CC, Some(&p)).await.0)
        }
        "dpop-ignore-htm-htu" => {
            let p = key.proof(&spec(format!("{}/elsewhere", idp.url())));
            accepted(dpop_token(idp, SERVICE, CC, Some(&p)).await.0)
        }
        "dpop-accept-stale-proofs" => {
            let p = key.proof(&ProofSpec {
                iat: NOW - 86_400,
                ..spec(url)
            });
            accepted(dpop_token(idp, SERVICE, CC, Some(&p)).await.0)
        }
        "dpop-allow-proof-replay" => {
            let p = key.proof(&spec(url));
            dpop_token(idp, SERVICE, CC, Some(&p)).await;
            accepted(dpop_token(idp, SERVICE, CC, Some(&p)).await.0)
        }
        "dpop-unbound-tokens" => {
            let (_, body, _) = dpop_token(idp, SERVICE, CC, Some(&key.proof(&spec(url)))).await;
            body["token_type"] == "DPoP"
                && claims(body["access_token"].as_str().unwrap())
                    .get("cnf")
                    .is_none()
        }
        "dpop-refresh-not-bound" => {
            let tokens = public_tokens(idp, &key).await;
            accepted(
                refresh_with(idp, tokens["refresh_token"].as_str().unwrap(), None)
                    .await
                    .0,
            )
        }
        "dpop-ignore-bound-client" => {
            let mut config = test_config();
            let service = config
                .clients
                .iter_mut()
                .find(|c| c.client_id == "service")
                .unwrap();
            service.dpop_bound_access_tokens = true;
            let idp = start_config(config).await;
            if on {
                fault_on(&idp, fault);
            }
            accepted(dpop_token(&idp, SERVICE, CC, None).await.0)
        }
        "dpop-ignore-dpop-jkt" => {
            let code = code_for(idp, "public", &[("dpop_jkt", &key.thumbprint())]).await;
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", "http://127.0.0.1:9999/callback"),
                ("code_verifier", VERIFIER),
            ];
            let other = ProofKey::generate().proof(&spec(url));
            accepted(
                dpop_token(idp, Auth::None("public"), &form, Some(&other))
                    .await
                    .0,
            )
        }
        other => panic!("no probe for fault {other}; add one to dpop_probe"),
    }
}
