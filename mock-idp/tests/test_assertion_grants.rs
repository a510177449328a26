//! The assertion grants over real HTTP: the JWT-bearer grant (RFC 7523 §2.1) with plain
//! assertions and ID-JAGs from trusted issuers, and token exchange (RFC 8693) issuing ID-JAGs
//! (draft-ietf-oauth-identity-assertion-authz-grant). Valid grants get tokens; each defect is
//! refused with the error its spec names; the metadata advertises each side only when it is
//! configured; every fault of the family flips what it bends; and an ID-JAG one mock-idp issues
//! is redeemed at another that trusts it.

mod common;

use common::*;
use mock_idp::config::{JwtBearerConfig, TokenExchangeConfig};
use protocol::dpop::{ProofKey, flip_signature_bit};
use serde_json::{Value, json};

const NOW: i64 = 1_800_000_000;
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_JAG_TYPE: &str = "urn:ietf:params:oauth:token-type:id-jag";
const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
const IDP: &str = "https://idp.example";
const WORKLOADS: &str = "https://workloads.example";
const RESOURCE_AS: &str = "https://resource-as.example";

/// The test configuration, `conf` and `service` allowed both grants, trusting `key` as the ID-JAG
/// issuer IDP and as the workload issuer WORKLOADS, and issuing ID-JAGs for RESOURCE_AS.
async fn start_with(key: &ProofKey) -> mock_idp::MockIdp {
    let mut config = test_config();
    configure(&mut config, key);
    start_config(config).await
}

fn configure(config: &mut mock_idp::config::Config, key: &ProofKey) {
    let jwks = json!({ "keys": [key.public_jwk()] });
    config.jwt_bearer = yaml_serde::from_str::<JwtBearerConfig>(&format!(
        "issuers:\n  - {{issuer: {IDP}, profile: id-jag, jwks: {jwks}}}\n  - {{issuer: {WORKLOADS}, subjects: any, jwks: {jwks}}}\n"
    ))
    .unwrap();
    config.token_exchange = yaml_serde::from_str::<TokenExchangeConfig>(&format!(
        "id_jag_audiences:\n  - {{audience: {RESOURCE_AS}}}\n"
    ))
    .unwrap();
    for c in &mut config.clients {
        if c.client_id == "conf" || c.client_id == "service" {
            c.grant_types.push(grant(JWT_BEARER));
            c.grant_types.push(grant(TOKEN_EXCHANGE));
        }
    }
}

fn grant(wire: &str) -> mock_idp::config::GrantType {
    mock_idp::config::GrantType::parse(wire).unwrap()
}

/// A valid ID-JAG of IDP for `idp`, about alice, for the `conf` client.
fn id_jag_claims(idp: &mock_idp::MockIdp) -> Value {
    json!({
        "iss": IDP,
        "sub": "alice",
        "aud": idp.issuer(),
        "client_id": "conf",
        "exp": NOW + 300,
        "iat": NOW,
        "jti": protocol::pkce::random(12),
        "scope": "openid profile",
    })
}

fn id_jag(key: &ProofKey, claims: &Value) -> String {
    key.sign(&json!({"alg": "ES256", "typ": "oauth-id-jag+jwt"}), claims)
}

async fn bearer(idp: &mock_idp::MockIdp, auth: Auth<'_>, assertion: &str) -> (u16, Value) {
    let (status, body, _) = token(
        idp,
        auth,
        &[("grant_type", JWT_BEARER), ("assertion", assertion)],
    )
    .await;
    (status, body)
}

fn error(body: &Value) -> &str {
    body["error"].as_str().unwrap_or("")
}

#[tokio::test]
async fn the_metadata_advertises_each_side_only_when_configured() {
    let plain = start().await;
    let m: Value = http()
        .get(format!(
            "{}/.well-known/oauth-authorization-server",
            plain.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let grants = m["grant_types_supported"].to_string();
    assert!(
        !grants.contains(JWT_BEARER) && !grants.contains(TOKEN_EXCHANGE),
        "{grants}"
    );
    assert!(m.get("authorization_grant_profiles_supported").is_none());
    assert!(
        m.get("identity_chaining_requested_token_types_supported")
            .is_none()
    );
    // Off means off: the grant is unsupported, not merely unadvertised.
    let (status, body) = bearer(&plain, CONF, "a.b.c").await;
    assert_eq!((status, error(&body)), (400, "unsupported_grant_type"));

    let idp = start_with(&ProofKey::generate()).await;
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
    let grants = m["grant_types_supported"].to_string();
    assert!(
        grants.contains(JWT_BEARER) && grants.contains(TOKEN_EXCHANGE),
        "{grants}"
    );
    assert_eq!(
        m["authorization_grant_profiles_supported"],
        json!(["urn:ietf:params:oauth:grant-profile:id-jag"])
    );
    assert_eq!(
        m["identity_chaining_requested_token_types_supported"],
        json!([ID_JAG_TYPE])
    );
}

#[tokio::test]
async fn a_valid_id_jag_gets_a_user_token_without_a_refresh_token() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let (status, body) = bearer(&idp, CONF, &id_jag(&key, &id_jag_claims(&idp))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["scope"], "openid profile");
    let claims = protocol::jwt::unverified_claims(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["client_id"], "conf");
}

#[tokio::test]
async fn a_workload_assertion_gets_a_token_for_its_subject() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let claims = json!({
        "iss": WORKLOADS, "sub": "system:serviceaccount:ci:builder",
        "aud": format!("{}/oauth/token", idp.url()), "exp": NOW + 60, "iat": NOW,
    });
    let jwt = key.sign(&json!({"alg": "ES256", "typ": "JWT"}), &claims);
    let (status, body) = bearer(&idp, Auth::Basic("service", SERVICE_SECRET), &jwt).await;
    assert_eq!(status, 200, "{body}");
    let at = protocol::jwt::unverified_claims(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(at["sub"], "system:serviceaccount:ci:builder");
}

/// Each defect, and the error it gets.
fn defects(idp: &mock_idp::MockIdp, key: &ProofKey) -> Vec<(&'static str, String, &'static str)> {
    let good = id_jag_claims(idp);
    let with = |k: &str, v: Value| {
        let mut c = good.clone();
        c[k] = v;
        c
    };
    let other_key = ProofKey::generate();
    vec![
        ("another key", id_jag(&other_key, &good), "invalid_grant"),
        (
            "a flipped signature",
            flip_signature_bit(&id_jag(key, &good)),
            "invalid_grant",
        ),
        (
            "another audience",
            id_jag(key, &with("aud", json!("https://other-as.example"))),
            "invalid_grant",
        ),
        (
            "an audience among others",
            id_jag(
                key,
                &with("aud", json!([idp.issuer(), "https://other-as.example"])),
            ),
            "invalid_grant",
        ),
        (
            "expired",
            id_jag(key, &with("exp", json!(NOW - 3600))),
            "invalid_grant",
        ),
        (
            "another client's",
            id_jag(key, &with("client_id", json!("post"))),
            "invalid_grant",
        ),
        (
            "untyped",
            key.sign(&json!({"alg": "ES256", "typ": "JWT"}), &good),
            "invalid_grant",
        ),
        (
            "an untrusted issuer",
            id_jag(key, &with("iss", json!("https://evil.example"))),
            "invalid_grant",
        ),
        (
            "an unknown user",
            id_jag(key, &with("sub", json!("mallory"))),
            "invalid_grant",
        ),
        (
            "a scope beyond the client's",
            id_jag(key, &with("scope", json!("openid admin"))),
            "invalid_scope",
        ),
    ]
}

#[tokio::test]
async fn every_defective_assertion_is_refused_with_its_error() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    for (what, jwt, expected) in defects(&idp, &key) {
        let (status, body) = bearer(&idp, CONF, &jwt).await;
        assert_eq!((status, error(&body)), (400, expected), "{what}: {body}");
    }
    let (status, body) = bearer(&idp, CONF, "not-a-jwt").await;
    assert_eq!((status, error(&body)), (400, "invalid_grant"), "{body}");
    let (status, body, _) = token(&idp, CONF, &[("grant_type", JWT_BEARER)]).await;
    assert_eq!((status, error(&body)), (400, "invalid_request"), "{body}");
    // Used once: the same ID-JAG again is a replay.
    let once = id_jag(&key, &id_jag_claims(&idp));
    assert_eq!(bearer(&idp, CONF, &once).await.0, 200);
    let (status, body) = bearer(&idp, CONF, &once).await;
    assert_eq!((status, error(&body)), (400, "invalid_grant"), "{body}");
    assert!(journal_has(&idp, "assertion_replayed").await);
}

#[tokio::test]
async fn each_fault_lets_through_the_defect_it_names() {
    let key = ProofKey::generate();
    let idp = start_with(&key).await;
    let cases = [
        ("jwt-bearer-skip-signature", "a flipped signature"),
        ("jwt-bearer-any-audience", "another audience"),
        ("jwt-bearer-ignore-expiry", "expired"),
        ("id-jag-audience-contains", "an audience among others"),
        ("id-jag-any-client", "another client's"),
        ("id-jag-untyped", "untyped"),
    ];
    for (fault, defect) in cases {
        let jwt = defects(&idp, &key)
            .into_iter()
            .find(|(w, _, _)| *w == defect)
            .unwrap()
            .1;
        assert_eq!(
            bearer(&idp, CONF, &jwt).await.0,
            400,
            "{defect} before {fault}"
        );
        idp.state().faults.set(fault.parse().unwrap(), true);
        let (status, body) = bearer(&idp, CONF, &jwt).await;
        assert_eq!(status, 200, "{fault}: {body}");
        idp.state().faults.set(fault.parse().unwrap(), false);
    }
}

/// An ID token of alice for `client` (conf or post), from an authorization-code flow.
async fn id_token_for(idp: &mock_idp::MockIdp, client: &str) -> String {
    let code = code_for(idp, client, &[]).await;
    let auth = if client == "conf" {
        CONF
    } else {
        Auth::Post("post", POST_SECRET)
    };
    let (status, body, _) = token(
        idp,
        auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id_token"].as_str().unwrap().to_string()
}

async fn exchange(idp: &mock_idp::MockIdp, subject: &str, audience: &str) -> (u16, Value) {
    let (status, body, _) = token(
        idp,
        CONF,
        &[
            ("grant_type", TOKEN_EXCHANGE),
            ("requested_token_type", ID_JAG_TYPE),
            ("subject_token_type", ID_TOKEN_TYPE),
            ("subject_token", subject),
            ("audience", audience),
            ("resource", "https://api.resource.example/"),
            ("scope", "files.read"),
        ],
    )
    .await;
    (status, body)
}

#[tokio::test]
async fn token_exchange_issues_an_id_jag_for_the_clients_own_id_token() {
    let idp = start_with(&ProofKey::generate()).await;
    let id_token = id_token_for(&idp, "conf").await;
    let (status, body) = exchange(&idp, &id_token, RESOURCE_AS).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["issued_token_type"], ID_JAG_TYPE);
    assert_eq!(body["token_type"], "N_A");
    assert!(body.get("refresh_token").is_none());
    let jag = body["access_token"].as_str().unwrap();
    assert_eq!(
        protocol::jwt::unverified_part(jag, 0).unwrap()["typ"],
        "oauth-id-jag+jwt"
    );
    let c = protocol::jwt::unverified_claims(jag).unwrap();
    assert_eq!(c["iss"], idp.issuer());
    assert_eq!(c["sub"], "alice");
    assert_eq!(c["aud"], RESOURCE_AS);
    assert_eq!(c["client_id"], "conf");
    assert_eq!(c["resource"], "https://api.resource.example/");
    assert_eq!(c["scope"], "files.read");
    assert!(c["jti"].is_string() && c["exp"].as_i64() > c["iat"].as_i64());
}

#[tokio::test]
async fn token_exchange_refuses_what_it_must_not_exchange() {
    let idp = start_with(&ProofKey::generate()).await;
    let own = id_token_for(&idp, "conf").await;
    let others = id_token_for(&idp, "post").await;
    let cases = [
        (
            "another client's ID token",
            others.clone(),
            RESOURCE_AS,
            "invalid_request",
        ),
        (
            "a forged ID token",
            flip_signature_bit(&own),
            RESOURCE_AS,
            "invalid_request",
        ),
        (
            "an unknown audience",
            own.clone(),
            "https://unknown-as.example",
            "invalid_target",
        ),
    ];
    for (what, subject, audience, expected) in &cases {
        let (status, body) = exchange(&idp, subject, audience).await;
        assert_eq!((status, error(&body)), (400, *expected), "{what}: {body}");
    }
    // And the faults let each through, or break the token it issues.
    for (fault, subject) in [
        ("token-exchange-other-clients-token", others),
        ("token-exchange-skip-signature", flip_signature_bit(&own)),
    ] {
        idp.state().faults.set(fault.parse().unwrap(), true);
        assert_eq!(
            exchange(&idp, &subject, RESOURCE_AS).await.0,
            200,
            "{fault}"
        );
        idp.state().faults.set(fault.parse().unwrap(), false);
    }
    idp.state()
        .faults
        .set("id-jag-wrong-typ".parse().unwrap(), true);
    let (_, body) = exchange(&idp, &own, RESOURCE_AS).await;
    let jag = body["access_token"].as_str().unwrap();
    assert_eq!(
        protocol::jwt::unverified_part(jag, 0).unwrap()["typ"],
        "JWT"
    );
}

#[tokio::test]
async fn an_id_jag_from_one_mock_is_redeemed_at_another_that_trusts_it() {
    let idp = start_with(&ProofKey::generate()).await;
    let jwks: Value = http()
        .get(format!("{}/jwks", idp.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut config = test_config();
    config.issuer = Some(RESOURCE_AS.into());
    config.jwt_bearer = yaml_serde::from_str::<JwtBearerConfig>(&format!(
        "issuers:\n  - {{issuer: {}, profile: id-jag, jwks: {jwks}}}\n",
        idp.issuer()
    ))
    .unwrap();
    for c in &mut config.clients {
        if c.client_id == "conf" {
            c.grant_types.push(grant(JWT_BEARER));
        }
    }
    let resource_as = start_config(config).await;
    let id_token = id_token_for(&idp, "conf").await;
    let (status, body, _) = token(
        &idp,
        CONF,
        &[
            ("grant_type", TOKEN_EXCHANGE),
            ("requested_token_type", ID_JAG_TYPE),
            ("subject_token_type", ID_TOKEN_TYPE),
            ("subject_token", &id_token),
            ("audience", RESOURCE_AS),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = bearer(&resource_as, CONF, body["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let at = protocol::jwt::unverified_claims(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (at["iss"].as_str(), at["sub"].as_str()),
        (Some(RESOURCE_AS), Some("alice"))
    );
}
