//! Minting: access tokens made to order from the mock's own keys, with any claims, lifetime,
//! `kid`, algorithm and audience, and the deliberately bad ones a resource server must refuse
//! (expired, not yet valid, wrong issuer or audience, bad signature, unknown `kid`, `alg: none`,
//! HS256 keyed with the public key, no `exp`, quickstart-style unsigned tokens, a `typ` other than
//! `at+jwt` or none).
//!
//! This module owns the recipe; `POST /_admin/mint` and `mock-idp mint` are its front doors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::config::SigningAlg;
use crate::grants::random_token;
use crate::keys::SigningKey;
use crate::state::AppState;

/// How far in the past an `expired` token expired, and how far in the future a `not-yet-valid`
/// token becomes valid, unless the request says otherwise: well beyond any sane leeway.
pub const FLAW_OFFSET_SECONDS: i64 = 600;

/// The issuer of `wrong-issuer` tokens.
pub const WRONG_ISSUER: &str = "https://wrong-issuer.invalid";
/// The audience of `wrong-audience` tokens.
pub const WRONG_AUDIENCE: &str = "https://wrong-audience.invalid";
/// The `kid` of `unknown-kid` tokens (signed by a fresh key that is never published).
pub const UNPUBLISHED_KID: &str = "not-published";

/// A deliberate defect in a minted token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flaw {
    /// `exp` in the past (default 600 s ago).
    Expired,
    /// `nbf` in the future (default in 600 s).
    NotYetValid,
    /// `iss` is [`WRONG_ISSUER`].
    WrongIssuer,
    /// `aud` is [`WRONG_AUDIENCE`].
    WrongAudience,
    /// A valid signature with one byte changed.
    BadSignature,
    /// Signed by a fresh key whose `kid` ([`UNPUBLISHED_KID`]) is not in the JWKS.
    UnknownKid,
    /// The header says `alg: none` (the key's `kid` kept) and the signature is empty.
    AlgNone,
    /// `alg: HS256`, HMAC keyed with the signing key's public key (SPKI PEM): the classic
    /// algorithm-confusion attack.
    Hs256PublicKey,
    /// No `exp` claim.
    MissingExp,
    /// A header with the real `alg` and `kid` but an empty signature.
    StrippedSignature,
    /// The shape of "quickstart" tokens: `{"alg":"none","typ":"JWT"}`, no `kid`, no signature.
    Unsigned,
    /// Signed, with `typ: JWT` (as an ID token) instead of `at+jwt`.
    WrongTyp,
    /// Signed, with no `typ` header at all.
    MissingTyp,
}

impl Flaw {
    pub const ALL: [Flaw; 13] = [
        Flaw::Expired,
        Flaw::NotYetValid,
        Flaw::WrongIssuer,
        Flaw::WrongAudience,
        Flaw::BadSignature,
        Flaw::UnknownKid,
        Flaw::AlgNone,
        Flaw::Hs256PublicKey,
        Flaw::MissingExp,
        Flaw::StrippedSignature,
        Flaw::Unsigned,
        Flaw::WrongTyp,
        Flaw::MissingTyp,
    ];

    /// The kebab-case name used in the admin API and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Flaw::Expired => "expired",
            Flaw::NotYetValid => "not-yet-valid",
            Flaw::WrongIssuer => "wrong-issuer",
            Flaw::WrongAudience => "wrong-audience",
            Flaw::BadSignature => "bad-signature",
            Flaw::UnknownKid => "unknown-kid",
            Flaw::AlgNone => "alg-none",
            Flaw::Hs256PublicKey => "hs256-public-key",
            Flaw::MissingExp => "missing-exp",
            Flaw::StrippedSignature => "stripped-signature",
            Flaw::Unsigned => "unsigned",
            Flaw::WrongTyp => "wrong-typ",
            Flaw::MissingTyp => "missing-typ",
        }
    }

    pub fn parse(s: &str) -> Option<Flaw> {
        Flaw::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// What to mint. Every field is optional; the defaults make a valid RFC 9068 access token for
/// the root issuer and the default audience, signed by the active key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintRequest {
    /// `sub`; default `alice`.
    #[serde(default)]
    pub sub: Option<String>,
    /// `iss`; default the root issuer.
    #[serde(default)]
    pub iss: Option<String>,
    /// `aud`: a string or an array of strings; default the default audience (`{base}/api`).
    #[serde(default)]
    pub aud: Option<Value>,
    /// `scope`, space-separated; default none.
    #[serde(default)]
    pub scope: Option<String>,
    /// `client_id`; default `mint`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Seconds from now to `exp` (negative: already expired); default the access-token TTL.
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// Seconds from now to `nbf`; default: no `nbf`.
    #[serde(default)]
    pub not_before: Option<i64>,
    /// Sign with the published key of this `kid`; default the active key.
    #[serde(default)]
    pub kid: Option<String>,
    /// Sign with a published key of this algorithm; default the chosen key's.
    #[serde(default)]
    pub alg: Option<SigningAlg>,
    /// Header `typ`; default `at+jwt` (RFC 9068).
    #[serde(default)]
    pub typ: Option<String>,
    /// More claims; they override the ones above (`null` removes a claim).
    #[serde(default)]
    pub claims: Map<String, Value>,
    /// A deliberate defect.
    #[serde(default)]
    pub flaw: Option<Flaw>,
}

/// A minted token, its decoded header and claims.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Minted {
    pub token: String,
    pub header: Value,
    pub claims: Value,
}

/// Why a token could not be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MintError {
    #[error("no published key has kid {0:?}; GET /_admin/keys lists them")]
    UnknownKid(String),
    #[error(
        "no published key uses {0}; publish one with POST /_admin/keys/rotate {{\"alg\":\"{0}\"}}"
    )]
    NoKeyForAlg(&'static str),
    #[error("the kid {kid:?} is a {key_alg} key, not {wanted}")]
    AlgMismatch {
        kid: String,
        key_alg: &'static str,
        wanted: &'static str,
    },
    #[error("expires_in and not_before must stay within ten years of now, either way")]
    Lifetime,
    #[error("the crypto library could not make a key for the unknown-kid flaw")]
    Crypto,
}

const TEN_YEARS: i64 = 10 * 366 * 24 * 3600;

/// Mints a token per `req` at the mock's virtual now.
pub fn mint(state: &AppState, req: &MintRequest) -> Result<Minted, MintError> {
    let now = state.now();
    let ring = state.keys.ring();
    let key = choose_key(&ring, req, now)?;
    for offset in [req.expires_in, req.not_before].into_iter().flatten() {
        // Not `offset.abs()`: it overflows on i64::MIN (a panic in debug builds, a wrap that
        // passes this check in release).
        if !(-TEN_YEARS..=TEN_YEARS).contains(&offset) {
            return Err(MintError::Lifetime);
        }
    }
    let flaw = req.flaw;
    let expires_in = match (flaw, req.expires_in) {
        (Some(Flaw::Expired), None) => -FLAW_OFFSET_SECONDS,
        (_, Some(e)) => e,
        _ => state.config.tokens.access_token_ttl,
    };
    let not_before = match (flaw, req.not_before) {
        (Some(Flaw::NotYetValid), None) => Some(FLAW_OFFSET_SECONDS),
        (_, nbf) => nbf,
    };
    let issued = if expires_in < 0 {
        now + expires_in - state.config.tokens.access_token_ttl
    } else {
        now
    };
    let mut claims = Map::new();
    claims.insert(
        "iss".into(),
        json!(req.iss.clone().unwrap_or_else(|| state.base_url.clone())),
    );
    claims.insert(
        "sub".into(),
        json!(req.sub.clone().unwrap_or_else(|| "alice".into())),
    );
    claims.insert(
        "aud".into(),
        req.aud
            .clone()
            .unwrap_or_else(|| json!(state.default_audience())),
    );
    claims.insert("exp".into(), json!(now + expires_in));
    claims.insert("iat".into(), json!(issued));
    if let Some(nbf) = not_before {
        claims.insert("nbf".into(), json!(now + nbf));
    }
    claims.insert("jti".into(), json!(random_token(&state.keys.rng, 16)));
    claims.insert(
        "client_id".into(),
        json!(req.client_id.clone().unwrap_or_else(|| "mint".into())),
    );
    if let Some(scope) = &req.scope {
        claims.insert("scope".into(), json!(scope));
    }
    for (k, v) in &req.claims {
        if v.is_null() {
            claims.remove(k);
        } else {
            claims.insert(k.clone(), v.clone());
        }
    }
    match flaw {
        Some(Flaw::WrongIssuer) => {
            claims.insert("iss".into(), json!(WRONG_ISSUER));
        }
        Some(Flaw::WrongAudience) => {
            claims.insert("aud".into(), json!(WRONG_AUDIENCE));
        }
        Some(Flaw::MissingExp) => {
            claims.remove("exp");
        }
        _ => {}
    }
    let claims = Value::Object(claims);
    let typ = match flaw {
        Some(Flaw::WrongTyp) => crate::jwt::ID_TOKEN_TYP,
        _ => req.typ.as_deref().unwrap_or(crate::jwt::ACCESS_TOKEN_TYP),
    };
    let rng = &state.keys.rng;
    let token = match flaw {
        Some(Flaw::UnknownKid) => {
            let stranger = SigningKey::generate(key.alg, Some(UNPUBLISHED_KID.into()))
                .map_err(|_| MintError::Crypto)?;
            crate::jwt::sign(&stranger, rng, typ, &claims)
        }
        Some(Flaw::AlgNone) => unsigned(
            &json!({"alg": "none", "typ": typ, "kid": key.kid}),
            &claims,
            None,
        ),
        Some(Flaw::Unsigned) => unsigned(&json!({"alg": "none", "typ": "JWT"}), &claims, None),
        Some(Flaw::StrippedSignature) => unsigned(
            &json!({"alg": key.alg.as_str(), "typ": typ, "kid": key.kid}),
            &claims,
            None,
        ),
        Some(Flaw::Hs256PublicKey) => unsigned(
            &json!({"alg": "HS256", "typ": typ, "kid": key.kid}),
            &claims,
            Some(key.public_key_pem().as_bytes()),
        ),
        Some(Flaw::MissingTyp) => {
            let header = json!({"alg": key.alg.as_str(), "kid": key.kid});
            let mut out = URL_SAFE_NO_PAD.encode(header.to_string());
            out.push('.');
            out.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
            let sig = key.sign(rng, out.as_bytes());
            out.push('.');
            out.push_str(&URL_SAFE_NO_PAD.encode(sig));
            out
        }
        Some(Flaw::BadSignature) => {
            let good = crate::jwt::sign(key, rng, typ, &claims);
            corrupt_signature(&good)
        }
        _ => crate::jwt::sign(key, rng, typ, &claims),
    };
    let header = decode_part(&token, 0).unwrap_or(Value::Null);
    Ok(Minted {
        token,
        header,
        claims,
    })
}

fn choose_key<'r>(
    ring: &'r crate::keys::KeyRing,
    req: &MintRequest,
    now: i64,
) -> Result<&'r std::sync::Arc<SigningKey>, MintError> {
    match (&req.kid, req.alg) {
        (Some(kid), alg) => {
            let key = ring
                .find(kid, now)
                .ok_or_else(|| MintError::UnknownKid(kid.clone()))?;
            match alg {
                Some(a) if a != key.alg => Err(MintError::AlgMismatch {
                    kid: kid.clone(),
                    key_alg: key.alg.as_str(),
                    wanted: a.as_str(),
                }),
                _ => Ok(key),
            }
        }
        (None, Some(alg)) if ring.active().alg != alg => ring
            .keys
            .iter()
            .find(|k| k.alg == alg && k.retire_at.is_none_or(|r| now < r))
            .ok_or(MintError::NoKeyForAlg(alg.as_str())),
        _ => Ok(ring.active()),
    }
}

/// `header.claims.` plus, when `hmac_key` is given, an HS256 signature with that key.
fn unsigned(header: &Value, claims: &Value, hmac_key: Option<&[u8]>) -> String {
    let mut out = URL_SAFE_NO_PAD.encode(header.to_string());
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
    let sig = hmac_key.map(|k| {
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, k);
        URL_SAFE_NO_PAD.encode(aws_lc_rs::hmac::sign(&key, out.as_bytes()).as_ref())
    });
    out.push('.');
    out.push_str(&sig.unwrap_or_default());
    out
}

/// The same token with the first signature byte flipped.
fn corrupt_signature(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap_or((token, ""));
    let mut bytes = URL_SAFE_NO_PAD.decode(sig).unwrap_or_default();
    if let Some(b) = bytes.first_mut() {
        *b ^= 0x01;
    }
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The JSON of part `i` (0 header, 1 claims) of a compact JWS, if it decodes.
pub fn decode_part(token: &str, i: usize) -> Option<Value> {
    protocol::jwt::unverified_part(token, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::Config;

    fn state() -> AppState {
        AppState::new(
            Config::default(),
            "http://127.0.0.1:5001".into(),
            Clock::frozen_at(1_800_000_000),
        )
        .unwrap()
    }

    #[test]
    fn a_default_token_verifies_and_carries_the_defaults() {
        let s = state();
        let m = mint(&s, &MintRequest::default()).unwrap();
        let v = crate::jwt::verify(&s.keys.ring(), &m.token, s.now()).unwrap();
        assert_eq!(v.claims["iss"], "http://127.0.0.1:5001");
        assert_eq!(v.claims["sub"], "alice");
        assert_eq!(v.claims["aud"], "http://127.0.0.1:5001/api");
        assert_eq!(v.claims["exp"], 1_800_000_000 + 3600);
        assert_eq!(v.header["typ"], "at+jwt");
    }

    #[test]
    fn each_flaw_breaks_what_it_names() {
        let s = state();
        let ring = s.keys.ring();
        let m = |flaw| {
            mint(
                &s,
                &MintRequest {
                    flaw: Some(flaw),
                    ..Default::default()
                },
            )
            .unwrap()
        };
        assert_eq!(m(Flaw::Expired).claims["exp"], 1_800_000_000 - 600);
        assert_eq!(m(Flaw::NotYetValid).claims["nbf"], 1_800_000_000 + 600);
        assert_eq!(m(Flaw::WrongIssuer).claims["iss"], WRONG_ISSUER);
        assert_eq!(m(Flaw::WrongAudience).claims["aud"], WRONG_AUDIENCE);
        assert!(m(Flaw::MissingExp).claims.get("exp").is_none());
        let bad = m(Flaw::BadSignature).token;
        assert_eq!(
            crate::jwt::verify(&ring, &bad, s.now()).unwrap_err(),
            crate::jwt::JwtError::BadSignature
        );
        let unknown = m(Flaw::UnknownKid);
        assert_eq!(unknown.header["kid"], UNPUBLISHED_KID);
        assert_eq!(
            crate::jwt::verify(&ring, &unknown.token, s.now()).unwrap_err(),
            crate::jwt::JwtError::UnknownKey
        );
        let none = m(Flaw::AlgNone);
        assert_eq!(none.header["alg"], "none");
        assert!(none.token.ends_with('.'));
        let unsigned = m(Flaw::Unsigned);
        assert_eq!(unsigned.header, json!({"alg": "none", "typ": "JWT"}));
        assert!(m(Flaw::StrippedSignature).token.ends_with('.'));
        assert_eq!(m(Flaw::WrongTyp).header["typ"], "JWT");
        let untyped = m(Flaw::MissingTyp);
        assert!(untyped.header.get("typ").is_none());
        assert!(crate::jwt::verify(&ring, &untyped.token, s.now()).is_ok());
        let hs = m(Flaw::Hs256PublicKey);
        assert_eq!(hs.header["alg"], "HS256");
        let (input, sig) = hs.token.rsplit_once('.').unwrap();
        let pem = ring.active().public_key_pem();
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, pem.as_bytes());
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        assert!(aws_lc_rs::hmac::verify(&key, input.as_bytes(), &sig).is_ok());
    }

    #[test]
    fn claims_override_and_null_removes() {
        let s = state();
        let mut claims = Map::new();
        claims.insert("jti".into(), Value::Null);
        claims.insert("workspace_roles".into(), json!({"ws": "viewer"}));
        let m = mint(
            &s,
            &MintRequest {
                claims,
                expires_in: Some(-5),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(m.claims.get("jti").is_none());
        assert_eq!(m.claims["workspace_roles"]["ws"], "viewer");
        assert_eq!(m.claims["exp"], 1_800_000_000 - 5);
    }

    #[test]
    fn unknown_kid_and_missing_alg_are_clear_errors() {
        let s = state();
        let err = mint(
            &s,
            &MintRequest {
                kid: Some("nope".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(err, MintError::UnknownKid("nope".into()));
        let err = mint(
            &s,
            &MintRequest {
                alg: Some(SigningAlg::RS256),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("/_admin/keys/rotate"));
    }
}
