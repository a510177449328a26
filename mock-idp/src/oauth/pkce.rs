//! PKCE (RFC 7636): checking challenges at the authorization endpoint and verifiers at the token
//! endpoint. Known vector (§4.6 / Appendix B): S256 of
//! `dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk` is `E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM`.

use crate::grants::{Pkce, PkceMethod};

/// RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
/// The challenge has the same form (§4.2).
pub fn well_formed(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

pub use protocol::pkce::s256;

/// Whether `verifier` answers `pkce` (RFC 7636 §4.6).
pub fn verifies(pkce: &Pkce, verifier: &str) -> bool {
    if !well_formed(verifier) {
        return false;
    }
    let derived = match pkce.method {
        PkceMethod::S256 => s256(verifier),
        PkceMethod::Plain => verifier.to_string(),
    };
    derived.len() == pkce.challenge.len()
        && derived
            .bytes()
            .zip(pkce.challenge.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_vector() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let pkce = Pkce {
            challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            method: PkceMethod::S256,
        };
        assert!(verifies(
            &pkce,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!verifies(
            &pkce,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK"
        ));
    }

    #[test]
    fn lengths_outside_43_to_128_are_malformed() {
        assert!(!well_formed(&"a".repeat(42)));
        assert!(well_formed(&"a".repeat(43)));
        assert!(well_formed(&"a".repeat(128)));
        assert!(!well_formed(&"a".repeat(129)));
        assert!(!well_formed(&format!("{}+", "a".repeat(43))));
    }
}
