//! JWT layout (RFC 7519 / RFC 7515 compact serialization): signing claims with the active key and
//! verifying tokens mock-idp issued. Verification here checks the signature against the published
//! keys only; what the claims must say is the caller's decision.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::Value;

use crate::keys::{KeyRing, SigningKey};

/// The `typ` of RFC 9068 access tokens.
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";
/// The `typ` of ID tokens.
pub const ID_TOKEN_TYP: &str = "JWT";

/// Signs `claims` with `key`, putting `typ`, `alg` and `kid` in the header.
pub fn sign(
    key: &SigningKey,
    rng: &aws_lc_rs::rand::SystemRandom,
    typ: &str,
    claims: &impl Serialize,
) -> String {
    let header = format!(
        r#"{{"alg":"{}","typ":"{typ}","kid":"{}"}}"#,
        key.alg.as_str(),
        key.kid
    );
    // Claims are our own serde structs or JSON values: serialization cannot fail.
    let body = serde_json::to_vec(claims).expect("claims serialize");
    let mut out = String::with_capacity(64 + body.len() * 4 / 3 + 100);
    URL_SAFE_NO_PAD.encode_string(header.as_bytes(), &mut out);
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(&body, &mut out);
    let sig = key.sign(rng, out.as_bytes());
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(sig, &mut out);
    out
}

/// Why a token did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("not a compact JWS (three base64url parts)")]
    Malformed,
    #[error("the header names no kid, or a kid that is not published")]
    UnknownKey,
    #[error("the header's alg {0:?} is not the key's algorithm")]
    WrongAlg(String),
    #[error("the signature does not verify")]
    BadSignature,
}

/// A verified token's header and claims.
#[derive(Debug, Clone)]
pub struct Verified {
    pub header: Value,
    pub claims: Value,
}

/// Verifies a token against the published keys at virtual time `now`.
pub fn verify(ring: &KeyRing, token: &str, now: i64) -> Result<Verified, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed);
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| JwtError::Malformed)?;
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(JwtError::UnknownKey)?;
    let key = ring.find(kid, now).ok_or(JwtError::UnknownKey)?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != key.alg.as_str() {
        return Err(JwtError::WrongAlg(alg.to_string()));
    }
    let signing_input = &token[..h.len() + 1 + c.len()];
    if !key.verify(signing_input.as_bytes(), &decode(s)?) {
        return Err(JwtError::BadSignature);
    }
    let claims: Value = serde_json::from_slice(&decode(c)?).map_err(|_| JwtError::Malformed)?;
    if !claims.is_object() {
        return Err(JwtError::Malformed);
    }
    Ok(Verified { header, claims })
}

/// OIDC Core §3.1.3.6 `at_hash`/`c_hash`: the left half of the hash of the value, base64url.
/// The hash is SHA-256 for ES256/RS256 and SHA-512 for EdDSA (Ed25519).
pub fn half_hash(alg: crate::config::SigningAlg, value: &str) -> String {
    use aws_lc_rs::digest;
    let algorithm = match alg {
        crate::config::SigningAlg::EdDSA => &digest::SHA512,
        _ => &digest::SHA256,
    };
    let d = digest::digest(algorithm, value.as_bytes());
    let bytes = d.as_ref();
    URL_SAFE_NO_PAD.encode(&bytes[..bytes.len() / 2])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::SigningAlg;

    fn ring() -> KeyRing {
        KeyRing {
            keys: vec![Arc::new(
                SigningKey::generate(SigningAlg::ES256, Some("k1".into())).unwrap(),
            )],
        }
    }

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let ring = ring();
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let token = sign(
            ring.active(),
            &rng,
            ACCESS_TOKEN_TYP,
            &serde_json::json!({"sub": "alice"}),
        );
        let v = verify(&ring, &token, 0).unwrap();
        assert_eq!(v.header["typ"], "at+jwt");
        assert_eq!(v.claims["sub"], "alice");
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"sub":"bob"}"#);
        parts[1] = &forged;
        assert_eq!(
            verify(&ring, &parts.join("."), 0).unwrap_err(),
            JwtError::BadSignature
        );
        assert_eq!(verify(&ring, "a.b", 0).unwrap_err(), JwtError::Malformed);
    }

    #[test]
    fn at_hash_is_the_left_half_of_the_algorithms_hash() {
        // Expected values computed independently with Python's hashlib.
        let h = half_hash(
            SigningAlg::RS256,
            "jHkWEdUXMU1BwAsC4vtUsZwnNhLTEbvFLKAfoZ6YGoo",
        );
        assert_eq!(h, "GsNfw8QIq4WyZda6wm3gSA");
        let ed = half_hash(
            SigningAlg::EdDSA,
            "jHkWEdUXMU1BwAsC4vtUsZwnNhLTEbvFLKAfoZ6YGoo",
        );
        assert_eq!(
            URL_SAFE_NO_PAD.decode(ed).unwrap().len(),
            32,
            "EdDSA uses SHA-512: 32 of 64 bytes"
        );
    }
}
