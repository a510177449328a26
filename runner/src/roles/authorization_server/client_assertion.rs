//! The runner as a client that authenticates with a JWT (RFC 7523 §2.2, OIDC Core §9): a client
//! it registered for `private_key_jwt` (with its own ES256 key) or `client_secret_jwt`, and the
//! assertion it sends: a valid one, or one with the single defect a scenario is about.

use protocol::dpop::{ProofKey, flip_signature_bit, sign_hs256};
use serde_json::{Value, json};

/// RFC 7523 §2.2's `client_assertion_type`.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the registered client proves itself.
#[derive(Debug)]
pub enum AssertionKey {
    /// `private_key_jwt`: the key whose public half was registered.
    Private(ProofKey),
    /// `client_secret_jwt`: the secret the server issued.
    Secret(String),
}

/// What is wrong with an assertion (or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertionDefect {
    None,
    OtherKey,
    BadSignature,
    OtherAudience,
    Expired,
    OtherSubject,
    AlgNone,
}

impl AssertionDefect {
    /// The step wording after "with a client assertion ...".
    pub fn parse(words: &str) -> Option<Self> {
        Some(match words {
            "" => Self::None,
            "signed with another key" => Self::OtherKey,
            "whose signature does not verify" => Self::BadSignature,
            "for another audience" => Self::OtherAudience,
            "that expired an hour ago" => Self::Expired,
            "about another client" => Self::OtherSubject,
            "that is unsigned" => Self::AlgNone,
            _ => return None,
        })
    }
}

/// The client assertion of `client_id` for the token endpoint `aud` at `now`, with `defect`.
pub fn assertion(
    key: &AssertionKey,
    client_id: &str,
    aud: &str,
    now: i64,
    defect: AssertionDefect,
) -> String {
    let mut claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": aud,
        "iat": now,
        "exp": now + 60,
        "jti": protocol::pkce::random(16),
    });
    match defect {
        AssertionDefect::OtherAudience => {
            claims["aud"] = json!("https://another-server.example/token")
        }
        AssertionDefect::Expired => {
            claims["iat"] = json!(now - 3660);
            claims["exp"] = json!(now - 3600);
        }
        AssertionDefect::OtherSubject => {
            claims["iss"] = json!("another-client");
            claims["sub"] = json!("another-client");
        }
        _ => {}
    }
    if defect == AssertionDefect::AlgNone {
        return unsigned(&claims);
    }
    let signed = match (key, defect) {
        (AssertionKey::Private(_), AssertionDefect::OtherKey) => {
            ProofKey::generate().sign(&json!({"alg": "ES256", "typ": "JWT"}), &claims)
        }
        (AssertionKey::Private(k), _) => k.sign(&json!({"alg": "ES256", "typ": "JWT"}), &claims),
        (AssertionKey::Secret(_), AssertionDefect::OtherKey) => sign_hs256(
            "not-the-client-secret",
            &json!({"alg": "HS256", "typ": "JWT"}),
            &claims,
        ),
        (AssertionKey::Secret(s), _) => {
            sign_hs256(s, &json!({"alg": "HS256", "typ": "JWT"}), &claims)
        }
    };
    if defect == AssertionDefect::BadSignature {
        flip_signature_bit(&signed)
    } else {
        signed
    }
}

/// `alg: none`, no signature (RFC 7519 §6.1).
fn unsigned(claims: &Value) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_defect_changes_what_it_names() {
        let key = AssertionKey::Private(ProofKey::generate());
        let claims = |d| {
            protocol::jwt::unverified_part(&assertion(&key, "c", "https://as/token", 100, d), 1)
                .unwrap()
        };
        assert_eq!(claims(AssertionDefect::None)["sub"], "c");
        assert_eq!(claims(AssertionDefect::None)["iss"], "c");
        assert_eq!(claims(AssertionDefect::Expired)["exp"], 100 - 3600);
        assert_eq!(
            claims(AssertionDefect::OtherSubject)["sub"],
            "another-client"
        );
        assert_ne!(
            claims(AssertionDefect::OtherAudience)["aud"],
            "https://as/token"
        );
        let none = assertion(&key, "c", "a", 1, AssertionDefect::AlgNone);
        assert!(none.ends_with('.'));
        for w in [
            "",
            "signed with another key",
            "whose signature does not verify",
            "for another audience",
            "that expired an hour ago",
            "about another client",
            "that is unsigned",
        ] {
            assert!(AssertionDefect::parse(w).is_some(), "{w}");
        }
    }
}
