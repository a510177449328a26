//! How the reference resource server validates bearer tokens, over real HTTP: where the token may
//! travel (RFC 6750 §2), the challenges it answers with (§3), each deliberately flawed token
//! refused as `invalid_token` for the reason its flaw names (RFC 7519, 8725, 9068), the leeway on
//! `exp` and `nbf`, and its JWKS cache across key rotation and removal.

mod rs_common;

use mock_idp::mint::{Flaw, MintRequest};
use reqwest::Method;
use rs_common::*;
use serde_json::json;

#[tokio::test]
async fn a_valid_token_reads_an_item() {
    let idp = start().await;
    let token = mint(&idp, &alice());
    let a = read_item_1(&idp, &token).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.body,
        json!({"workspace": "ws-alice", "id": "item-1", "title": "Alice's notes"})
    );
    assert_eq!(a.www, None);
}

#[tokio::test]
async fn a_request_without_credentials_gets_a_bare_challenge() {
    let idp = start().await;
    let a = send(call(&idp, Method::GET, ITEM_1, None)).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.www.as_deref(), Some(bare_challenge(&idp).as_str()));
    assert!(!a.text.contains("Alice's notes"), "{}", a.text);
    assert_eq!(last_refusal(&idp).await, "no_credentials");
}

/// Each flawed token, and the journal code naming why it is refused: a token must fail for its
/// own defect, not because an earlier check happens to catch everything.
const FLAWS: &[(Flaw, &str)] = &[
    (Flaw::Expired, "token_expired"),
    (Flaw::NotYetValid, "token_not_yet_valid"),
    (Flaw::WrongIssuer, "wrong_issuer"),
    (Flaw::WrongAudience, "wrong_audience"),
    (Flaw::BadSignature, "bad_signature"),
    (Flaw::UnknownKid, "unknown_kid"),
    (Flaw::AlgNone, "alg_none"),
    (Flaw::Hs256PublicKey, "wrong_alg"),
    (Flaw::MissingExp, "missing_exp"),
    (Flaw::StrippedSignature, "bad_signature"),
    (Flaw::Unsigned, "alg_none"),
    (Flaw::WrongTyp, "wrong_typ"),
    (Flaw::MissingTyp, "wrong_typ"),
];

#[tokio::test]
async fn every_flawed_token_is_refused_as_invalid_token() {
    let idp = start().await;
    assert_eq!(FLAWS.len(), Flaw::ALL.len(), "a flaw is missing here");
    for (flaw, code) in FLAWS {
        let a = read_item_1(&idp, &mint(&idp, &alice_with(*flaw))).await;
        assert_eq!(a.status, 401, "{}: {}", flaw.name(), a.text);
        assert_eq!(
            a.challenge_error(),
            Some("invalid_token"),
            "{}",
            flaw.name()
        );
        let www = a.www.as_deref().unwrap_or_default();
        assert!(
            www.starts_with(&format!("Bearer realm=\"{}/api\", ", idp.url())),
            "{}: {www}",
            flaw.name()
        );
        assert_eq!(a.body["error"], "invalid_token", "{}", flaw.name());
        assert!(!a.text.contains("Alice's notes"), "{}", flaw.name());
        assert_eq!(last_refusal(&idp).await, *code, "{}", flaw.name());
    }
}

#[tokio::test]
async fn a_malformed_token_is_invalid_token_not_a_crash() {
    let idp = start().await;
    for token in ["abc", "a.b.c", "e30.e30", "e30.e30.e30.e30", "..."] {
        let a = read_item_1(&idp, token).await;
        assert_eq!(a.status, 401, "{token:?}: {}", a.text);
        assert_eq!(a.challenge_error(), Some("invalid_token"), "{token:?}");
        assert_eq!(last_refusal(&idp).await, "malformed_token", "{token:?}");
    }
}

fn expiring_in(seconds: i64) -> MintRequest {
    MintRequest {
        expires_in: Some(seconds),
        ..alice()
    }
}

fn valid_from(seconds_ahead: i64) -> MintRequest {
    MintRequest {
        not_before: Some(seconds_ahead),
        ..alice()
    }
}

#[tokio::test]
async fn expiry_is_tolerated_within_the_leeway_only() {
    let idp = start().await;
    assert_eq!(idp.state().config.resource_server.leeway, 30);
    let expired_29s_ago = read_item_1(&idp, &mint(&idp, &expiring_in(-29))).await;
    assert_eq!(expired_29s_ago.status, 200, "{}", expired_29s_ago.text);
    for seconds_ago in [30, 31] {
        let a = read_item_1(&idp, &mint(&idp, &expiring_in(-seconds_ago))).await;
        assert_eq!(a.status, 401, "expired {seconds_ago} s ago: {}", a.text);
        assert_eq!(a.challenge_error(), Some("invalid_token"));
        assert_eq!(last_refusal(&idp).await, "token_expired");
    }
}

#[tokio::test]
async fn a_token_expires_for_the_server_as_its_clock_moves() {
    let idp = start().await;
    let token = mint(&idp, &expiring_in(60));
    assert_eq!(read_item_1(&idp, &token).await.status, 200);
    advance(&idp, 60 + 29).await;
    assert_eq!(read_item_1(&idp, &token).await.status, 200);
    advance(&idp, 1).await;
    assert_eq!(read_item_1(&idp, &token).await.status, 401);
}

#[tokio::test]
async fn not_before_is_tolerated_within_the_leeway_only() {
    let idp = start().await;
    let valid_in_30s = read_item_1(&idp, &mint(&idp, &valid_from(30))).await;
    assert_eq!(valid_in_30s.status, 200, "{}", valid_in_30s.text);
    let valid_in_31s = read_item_1(&idp, &mint(&idp, &valid_from(31))).await;
    assert_eq!(valid_in_31s.status, 401, "{}", valid_in_31s.text);
    assert_eq!(valid_in_31s.challenge_error(), Some("invalid_token"));
    assert_eq!(last_refusal(&idp).await, "token_not_yet_valid");
}

#[tokio::test]
async fn a_token_in_the_query_string_alone_is_no_credentials() {
    let idp = start().await;
    let token = mint(&idp, &alice());
    let req = call(&idp, Method::GET, ITEM_1, None).query(&[("access_token", &token)]);
    let a = send(req).await;
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.www.as_deref(), Some(bare_challenge(&idp).as_str()));
    assert_eq!(last_refusal(&idp).await, "query_token_ignored");
}

#[tokio::test]
async fn the_bearer_scheme_name_is_case_insensitive() {
    let idp = start().await;
    let token = mint(&idp, &alice());
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let req = call(&idp, Method::GET, ITEM_1, None)
            .header("authorization", format!("{scheme} {token}"));
        let a = send(req).await;
        assert_eq!(a.status, 200, "{scheme}: {}", a.text);
    }
}

#[tokio::test]
async fn another_scheme_is_no_credentials() {
    let idp = start().await;
    let req = call(&idp, Method::GET, ITEM_1, None).basic_auth("alice", Some("alice-password"));
    let a = send(req).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.www.as_deref(), Some(bare_challenge(&idp).as_str()));
}

#[tokio::test]
async fn only_access_token_types_are_accepted() {
    let idp = start().await;
    for typ in ["at+jwt", "application/at+jwt", "AT+JWT"] {
        let req = MintRequest {
            typ: Some(typ.into()),
            ..alice()
        };
        let a = read_item_1(&idp, &mint(&idp, &req)).await;
        assert_eq!(a.status, 200, "typ {typ}: {}", a.text);
    }
    for typ in ["JWT", "jwt", "id_token+jwt", "application/jwt", ""] {
        let req = MintRequest {
            typ: Some(typ.into()),
            ..alice()
        };
        let a = read_item_1(&idp, &mint(&idp, &req)).await;
        assert_eq!(a.status, 401, "typ {typ:?}: {}", a.text);
        assert_eq!(a.challenge_error(), Some("invalid_token"));
        assert_eq!(last_refusal(&idp).await, "wrong_typ", "typ {typ:?}");
    }
}

#[tokio::test]
async fn an_audience_list_naming_the_server_is_accepted() {
    let idp = start().await;
    let named = MintRequest {
        aud: Some(json!([
            "https://other.example",
            format!("{}/api", idp.url())
        ])),
        ..alice()
    };
    assert_eq!(read_item_1(&idp, &mint(&idp, &named)).await.status, 200);
    let not_named = MintRequest {
        aud: Some(json!([
            "https://other.example",
            format!("{}/mcp", idp.url())
        ])),
        ..alice()
    };
    let a = read_item_1(&idp, &mint(&idp, &not_named)).await;
    assert_eq!(a.status, 401);
    assert_eq!(last_refusal(&idp).await, "wrong_audience");
}

#[tokio::test]
async fn a_new_key_is_fetched_on_an_unknown_kid_at_most_once_per_interval() {
    let idp = start().await;
    let interval = idp.state().config.resource_server.jwks_refetch_interval;
    assert_eq!(interval, 30);
    // The first accepted request fills the server's JWKS copy.
    let first = read_item_1(&idp, &signed_by(&idp, BUILTIN_KID)).await;
    assert_eq!(first.status, 200, "{}", first.text);

    rotate(&idp, "second").await;
    let second = read_item_1(&idp, &signed_by(&idp, "second")).await;
    assert_eq!(
        second.status, 200,
        "refetch on unknown kid: {}",
        second.text
    );

    rotate(&idp, "third").await;
    let third = signed_by(&idp, "third");
    let too_soon = read_item_1(&idp, &third).await;
    assert_eq!(too_soon.status, 401, "a second refetch at once");
    assert_eq!(too_soon.challenge_error(), Some("invalid_token"));
    assert_eq!(last_refusal(&idp).await, "unknown_kid");
    advance(&idp, interval - 1).await;
    assert_eq!(read_item_1(&idp, &third).await.status, 401);
    advance(&idp, 1).await;
    let after_interval = read_item_1(&idp, &third).await;
    assert_eq!(after_interval.status, 200, "{}", after_interval.text);
    // The keys fetched earlier are still trusted.
    assert_eq!(
        read_item_1(&idp, &signed_by(&idp, "second")).await.status,
        200
    );
}

#[tokio::test]
async fn a_removed_key_is_trusted_from_the_cache_until_its_ttl_passes() {
    let idp = start().await;
    let ttl = idp.state().config.resource_server.jwks_cache_ttl;
    assert_eq!(ttl, 300);
    rotate(&idp, "successor").await;
    let old = signed_by(&idp, BUILTIN_KID);
    let new = signed_by(&idp, "successor");
    // Fills the copy, both keys in it.
    assert_eq!(read_item_1(&idp, &old).await.status, 200);

    remove_key(&idp, BUILTIN_KID).await;
    assert_eq!(read_item_1(&idp, &old).await.status, 200, "from the cache");
    advance(&idp, ttl - 1).await;
    assert_eq!(
        read_item_1(&idp, &old).await.status,
        200,
        "just before the ttl"
    );
    advance(&idp, 1).await;
    let stale = read_item_1(&idp, &old).await;
    assert_eq!(stale.status, 401, "{}", stale.text);
    assert_eq!(stale.challenge_error(), Some("invalid_token"));
    assert_eq!(last_refusal(&idp).await, "unknown_kid");
    assert_eq!(read_item_1(&idp, &new).await.status, 200);
}

#[tokio::test]
async fn numeric_dates_with_a_fraction_count_in_whole_seconds() {
    let idp = start().await;
    let with = |name: &str, value: serde_json::Value| {
        let mut req = alice();
        req.claims.insert(name.into(), value);
        req
    };
    let live = mint(&idp, &with("exp", json!(NOW as f64 + 100.5)));
    assert_eq!(read_item_1(&idp, &live).await.status, 200);
    let early = mint(&idp, &with("nbf", json!(NOW as f64 + 31.5)));
    assert_eq!(read_item_1(&idp, &early).await.status, 401);
}
