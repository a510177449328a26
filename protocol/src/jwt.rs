//! Reading a compact JWS without verifying it: for correlating a token with its user or
//! rewriting a token on purpose. Whoever needs to trust a token verifies it elsewhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// The JSON of part `i` (0 the header, 1 the claims) of a compact JWS, if it decodes. Trailing
/// `=` padding, which some producers add against RFC 7515 §2, is tolerated.
pub fn unverified_part(token: &str, i: usize) -> Option<Value> {
    let part = token.split('.').nth(i)?;
    let raw = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&raw).ok()
}

/// The claims of a JWT, unverified.
pub fn unverified_claims(token: &str) -> Option<Value> {
    unverified_part(token, 1)
}

/// The `sub` claim of a JWT, unverified.
pub fn unverified_sub(token: &str) -> Option<String> {
    unverified_claims(token)?
        .get("sub")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";

    #[test]
    fn reads_header_claims_and_sub() {
        assert_eq!(unverified_part(TOKEN, 0).unwrap()["alg"], "none");
        assert_eq!(unverified_sub(TOKEN).as_deref(), Some("alice"));
    }

    #[test]
    fn padding_is_tolerated_and_garbage_is_none() {
        assert_eq!(
            unverified_sub("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9==.").as_deref(),
            Some("alice")
        );
        assert!(unverified_claims("not a token").is_none());
        assert!(unverified_claims("a.%%%.c").is_none());
    }
}
