//! Metadata (RFC 8414 §3, OIDC Discovery §4): `issuer` is exactly the configured issuer for
//! every well-known URL of every issuer, never taken from the Host header; path issuers resolve by
//! RFC 8414 path insertion and by OIDC appending; the JWKS publishes the signing keys.

mod common;

use common::*;
use serde_json::Value;

async fn get_json(url: &str) -> (u16, Value) {
    let resp = http().get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn root_issuer_metadata_at_both_well_known_urls() {
    let idp = start().await;
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ] {
        let (status, m) = get_json(&format!("{}{path}", idp.url())).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(m["issuer"], idp.issuer());
        assert_eq!(
            m["code_challenge_methods_supported"],
            serde_json::json!(["S256"])
        );
        assert_eq!(m["authorization_response_iss_parameter_supported"], true);
        for field in [
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "response_types_supported",
            "registration_endpoint",
        ] {
            assert!(m.get(field).is_some(), "{path} lacks {field}");
        }
    }
}

#[tokio::test]
async fn path_issuer_by_insertion_and_by_appending() {
    let idp = start().await;
    let issuer = format!("{}/tenant1", idp.issuer());
    for path in [
        "/.well-known/oauth-authorization-server/tenant1",
        "/.well-known/openid-configuration/tenant1",
        "/tenant1/.well-known/openid-configuration",
    ] {
        let (status, m) = get_json(&format!("{}{path}", idp.url())).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(m["issuer"], issuer.as_str(), "{path}");
        assert_eq!(m["token_endpoint"], format!("{issuer}/oauth/token"));
    }
    let (status, _) = get_json(&format!(
        "{}/tenant1/.well-known/oauth-authorization-server",
        idp.url()
    ))
    .await;
    assert_eq!(
        status, 404,
        "RFC 8414 inserts the well-known segment before the path"
    );
}

#[tokio::test]
async fn issuer_ignores_the_host_header() {
    let idp = start().await;
    let resp = http()
        .get(format!("{}/.well-known/openid-configuration", idp.url()))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    let m: Value = resp.json().await.unwrap();
    assert_eq!(m["issuer"], idp.issuer());
}

#[tokio::test]
async fn omit_code_challenge_methods_fault_removes_the_field() {
    let idp = start().await;
    admin_post(
        &idp,
        "faults/omit-code-challenge-methods",
        serde_json::json!({}),
    )
    .await;
    let (_, m) = get_json(&format!(
        "{}/.well-known/oauth-authorization-server",
        idp.url()
    ))
    .await;
    assert!(m.get("code_challenge_methods_supported").is_none());
}

#[tokio::test]
async fn jwks_publishes_the_signing_key_and_rs256_and_eddsa_are_available() {
    let mut config = test_config();
    config.keys = vec![
        mock_idp::config::KeySpec {
            alg: mock_idp::config::SigningAlg::RS256,
            kid: Some("rsa-1".into()),
            private_key_file: None,
            private_key_pem: None,
        },
        mock_idp::config::KeySpec {
            alg: mock_idp::config::SigningAlg::EdDSA,
            kid: Some("ed-1".into()),
            private_key_file: None,
            private_key_pem: None,
        },
    ];
    let idp = start_config(config).await;
    let (_, jwks) = get_json(&format!("{}/jwks", idp.url())).await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["kid"], "rsa-1");
    assert_eq!(keys[0]["kty"], "RSA");
    assert_eq!(keys[1]["kty"], "OKP");
    assert!(
        keys.iter().all(|k| k.get("d").is_none()),
        "no private parts"
    );
    let (status, body, _) = token(
        &idp,
        Auth::Basic("service", SERVICE_SECRET),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 200);
    let header = jsonwebtoken::decode_header(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let (_, m) = get_json(&format!("{}/.well-known/openid-configuration", idp.url())).await;
    assert_eq!(
        m["id_token_signing_alg_values_supported"],
        serde_json::json!(["EdDSA", "RS256"])
    );
}
