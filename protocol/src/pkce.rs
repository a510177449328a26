//! PKCE values (RFC 7636) and the random strings flows are made of.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The S256 transform (RFC 7636 §4.2): `BASE64URL(SHA256(ASCII(verifier)))`.
pub fn s256(verifier: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(d.as_ref())
}

/// `n` bytes from the system's random source, base64url without padding: states, verifiers,
/// nonces, codes and tokens.
pub fn random(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // The system random source failing is unrecoverable (AWS-LC aborts in that case anyway).
    aws_lc_rs::rand::fill(&mut buf).expect("system random");
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_the_rfc_7636_appendix_b_vector() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_values_have_the_asked_length_and_differ() {
        let (a, b) = (random(32), random(32));
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
}
