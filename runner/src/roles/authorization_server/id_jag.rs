//! The ID-JAGs the runner signs as the issuer a resource authorization server trusts
//! (draft-ietf-oauth-identity-assertion-authz-grant §3): a valid one, or one with the single
//! defect a scenario is about.

use protocol::dpop::{ProofKey, flip_signature_bit};
use serde_json::{Value, json};

/// RFC 7523 §2.1's grant type.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// RFC 8693 §2.1's grant type.
pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The token type of an ID-JAG (the draft's §4.3).
pub const ID_JAG_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id-jag";
/// The token type of an ID token (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
/// The grant profile a resource authorization server advertises (the draft's §9.2).
pub const ID_JAG_PROFILE: &str = "urn:ietf:params:oauth:grant-profile:id-jag";
/// An ID-JAG's `typ` (the draft's §3).
pub const ID_JAG_TYP: &str = "oauth-id-jag+jwt";

/// What is wrong with an ID-JAG (or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdJagDefect {
    None,
    OtherKey,
    BadSignature,
    AlgNone,
    OtherAudience,
    ExtraAudience,
    Expired,
    OtherClient,
    Untyped,
}

impl IdJagDefect {
    /// The step wording after "the client presents an ID-JAG ...".
    pub fn parse(words: &str) -> Option<Self> {
        Some(match words {
            "" => Self::None,
            "signed with another key" => Self::OtherKey,
            "whose signature does not verify" => Self::BadSignature,
            "that is unsigned" => Self::AlgNone,
            "for another authorization server" => Self::OtherAudience,
            "for this and another authorization server" => Self::ExtraAudience,
            "that expired an hour ago" => Self::Expired,
            "issued for another client" => Self::OtherClient,
            "without its typ" => Self::Untyped,
            _ => return None,
        })
    }
}

/// Who the ID-JAG is from, about and for.
pub struct IdJagFor<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    /// The resource authorization server's issuer.
    pub audience: &'a str,
    pub client_id: &'a str,
    pub now: i64,
}

/// An ID-JAG signed with `key` (whose JWK may carry a `kid`), with `defect`.
pub fn id_jag(key: &ProofKey, kid: Option<&str>, g: &IdJagFor<'_>, defect: IdJagDefect) -> String {
    let mut claims = json!({
        "iss": g.issuer,
        "sub": g.subject,
        "aud": g.audience,
        "client_id": g.client_id,
        "iat": g.now,
        "exp": g.now + 300,
        "jti": protocol::pkce::random(16),
    });
    match defect {
        IdJagDefect::OtherAudience => claims["aud"] = json!("https://another-as.example"),
        IdJagDefect::ExtraAudience => {
            claims["aud"] = json!([g.audience, "https://another-as.example"])
        }
        IdJagDefect::Expired => {
            claims["iat"] = json!(g.now - 3900);
            claims["exp"] = json!(g.now - 3600);
        }
        IdJagDefect::OtherClient => claims["client_id"] = json!("another-client"),
        _ => {}
    }
    let typ = if defect == IdJagDefect::Untyped {
        "JWT"
    } else {
        ID_JAG_TYP
    };
    let mut header = json!({"alg": "ES256", "typ": typ});
    if let Some(k) = kid {
        header["kid"] = json!(k);
    }
    match defect {
        IdJagDefect::AlgNone => unsigned(&header, &claims),
        IdJagDefect::OtherKey => ProofKey::generate().sign(&header, &claims),
        IdJagDefect::BadSignature => flip_signature_bit(&key.sign(&header, &claims)),
        _ => key.sign(&header, &claims),
    }
}

/// `alg: none`, no signature (RFC 7519 §6.1).
fn unsigned(header: &Value, claims: &Value) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut h = header.clone();
    h["alg"] = json!("none");
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(h.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_defect_changes_what_it_names() {
        let key = ProofKey::generate();
        let g = IdJagFor {
            issuer: "https://idp",
            subject: "alice",
            audience: "https://as",
            client_id: "c",
            now: 1000,
        };
        let part =
            |d, i| protocol::jwt::unverified_part(&id_jag(&key, Some("k1"), &g, d), i).unwrap();
        assert_eq!(part(IdJagDefect::None, 0)["typ"], ID_JAG_TYP);
        assert_eq!(part(IdJagDefect::None, 0)["kid"], "k1");
        assert_eq!(part(IdJagDefect::None, 1)["aud"], "https://as");
        assert_eq!(part(IdJagDefect::Untyped, 0)["typ"], "JWT");
        assert_eq!(part(IdJagDefect::ExtraAudience, 1)["aud"][0], "https://as");
        assert_eq!(
            part(IdJagDefect::OtherClient, 1)["client_id"],
            "another-client"
        );
        assert_eq!(part(IdJagDefect::Expired, 1)["exp"], 1000 - 3600);
        assert_eq!(part(IdJagDefect::AlgNone, 0)["alg"], "none");
        for w in [
            "",
            "signed with another key",
            "whose signature does not verify",
            "that is unsigned",
            "for another authorization server",
            "for this and another authorization server",
            "that expired an hour ago",
            "issued for another client",
            "without its typ",
        ] {
            assert!(IdJagDefect::parse(w).is_some(), "{w}");
        }
    }
}
