//! A public key a client gives as a JWK (RFC 7517): a DPoP proof's `jwk` header, a key of a
//! client's registered `jwks` for its assertions. Which keys it may be (private and symmetric
//! ones are refused, RFC 9449 §4.3 item 7), verifying a JWS signature with it for the header's
//! `alg`, and its JWK SHA-256 thumbprint (RFC 7638 §3), the `jkt` of a DPoP-bound token.

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A public key taken from a `jwk` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicJwk {
    Ec { crv: String, x: String, y: String },
    Rsa { n: String, e: String },
    Okp { crv: String, x: String },
}

impl PublicJwk {
    /// Reads a JWK object; the error says what is wrong with it.
    pub fn parse(jwk: &Value) -> Result<Self, String> {
        let obj = jwk
            .as_object()
            .ok_or("the jwk header is not a JSON object")?;
        if let Some(m) = PRIVATE_MEMBERS.iter().find(|m| obj.contains_key(**m)) {
            return Err(format!(
                "the jwk header contains the private or symmetric member {m:?} (RFC 9449 §4.3 item 7)"
            ));
        }
        let member = |name: &str| -> Result<String, String> {
            obj.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("the jwk has no string member {name:?}"))
        };
        match obj.get("kty").and_then(Value::as_str) {
            Some("EC") => Ok(Self::Ec {
                crv: member("crv")?,
                x: member("x")?,
                y: member("y")?,
            }),
            Some("RSA") => Ok(Self::Rsa {
                n: member("n")?,
                e: member("e")?,
            }),
            Some("OKP") => Ok(Self::Okp {
                crv: member("crv")?,
                x: member("x")?,
            }),
            Some(other) => Err(format!(
                "the jwk's kty {other:?} is not an asymmetric key type (EC, RSA, OKP)"
            )),
            None => Err("the jwk has no kty".into()),
        }
    }

    /// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace,
    /// base64url.
    pub fn thumbprint(&self) -> String {
        // Written out member by member, so the order never depends on a map's features.
        let q = |v: &str| Value::from(v).to_string();
        let json = match self {
            Self::Ec { crv, x, y } => {
                format!(
                    r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
                    q(crv),
                    q(x),
                    q(y)
                )
            }
            Self::Rsa { n, e } => format!(r#"{{"e":{},"kty":"RSA","n":{}}}"#, q(e), q(n)),
            Self::Okp { crv, x } => format!(r#"{{"crv":{},"kty":"OKP","x":{}}}"#, q(crv), q(x)),
        };
        URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, json.as_bytes()))
    }

    /// Whether `sig` is `alg`'s signature of `message` by this key. An `alg` that does not fit
    /// the key type (ES256 with an RSA key) never verifies.
    pub fn verifies(&self, alg: &str, message: &[u8], sig: &[u8]) -> bool {
        let b64 = |v: &str| URL_SAFE_NO_PAD.decode(v).ok();
        match (self, alg) {
            (Self::Ec { crv, x, y }, "ES256" | "ES384") => {
                let (want_crv, algorithm, len) = if alg == "ES256" {
                    ("P-256", &signature::ECDSA_P256_SHA256_FIXED, 32)
                } else {
                    ("P-384", &signature::ECDSA_P384_SHA384_FIXED, 48)
                };
                let (Some(x), Some(y)) = (b64(x), b64(y)) else {
                    return false;
                };
                if crv != want_crv || x.len() != len || y.len() != len {
                    return false;
                }
                let mut point = Vec::with_capacity(1 + 2 * len);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                UnparsedPublicKey::new(algorithm, point)
                    .verify(message, sig)
                    .is_ok()
            }
            (Self::Rsa { n, e }, "RS256" | "PS256") => {
                let (Some(n), Some(e)) = (b64(n), b64(e)) else {
                    return false;
                };
                let params = if alg == "RS256" {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                RsaPublicKeyComponents { n: &n, e: &e }
                    .verify(params, message, sig)
                    .is_ok()
            }
            (Self::Okp { crv, x }, "EdDSA") if crv == "Ed25519" => {
                let Some(x) = b64(x) else { return false };
                UnparsedPublicKey::new(&signature::ED25519, x)
                    .verify(message, sig)
                    .is_ok()
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_rfc_7638_example_thumbprint() {
        // RFC 7638 §3.1's RSA key and its thumbprint.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let k = PublicJwk::parse(&jwk).unwrap();
        assert_eq!(
            k.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn the_rfc_9449_example_key_thumbprint_is_its_jkt() {
        // RFC 9449 §4.2's proof key; §6.1 Figure 9 gives its jkt.
        let jwk = json!({
            "kty": "EC",
            "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
            "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
            "crv": "P-256"
        });
        let k = PublicJwk::parse(&jwk).unwrap();
        assert_eq!(
            k.thumbprint(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    #[test]
    fn private_and_symmetric_keys_are_refused() {
        let err =
            PublicJwk::parse(&json!({"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}))
                .unwrap_err();
        assert!(err.contains("\"d\""), "{err}");
        let err = PublicJwk::parse(&json!({"kty": "oct", "k": "secret"})).unwrap_err();
        assert!(err.contains("\"k\""), "{err}");
    }

    #[test]
    fn an_alg_that_does_not_fit_the_key_never_verifies() {
        let k = PublicJwk::Ec {
            crv: "P-256".into(),
            x: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs".into(),
            y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA".into(),
        };
        assert!(!k.verifies("RS256", b"m", b"s"));
        assert!(!k.verifies("ES384", b"m", b"s"));
    }
}
