//! The DPoP proofs the runner sends as a client (RFC 9449 §4.2): a valid proof for a request, or
//! one with the single defect a scenario is about. Shared by the roles that send proofs (an
//! authorization server's token endpoint, a resource server); the proof itself is made by
//! `protocol::dpop`.

use protocol::dpop::{ProofKey, ProofSpec};

/// What is wrong with a proof (or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    None,
    BadSignature,
    TypJwt,
    PrivateKeyInJwk,
    OtherMethod,
    OtherUri,
    DayOld,
    DayAhead,
    OtherKey,
    /// `ath` is the hash of another access token.
    OtherToken,
    /// No proof at all.
    Missing,
    /// The previous proof, byte for byte.
    Replayed,
}

impl Defect {
    /// The step wording after "with a DPoP proof ...".
    pub fn parse(words: &str) -> Option<Self> {
        Some(match words {
            "" => Self::None,
            "whose signature does not verify" => Self::BadSignature,
            "typed JWT" => Self::TypJwt,
            "whose jwk holds the private key" => Self::PrivateKeyInJwk,
            "for another method" => Self::OtherMethod,
            "for another URI" => Self::OtherUri,
            "made a day ago" => Self::DayOld,
            "made a day ahead" => Self::DayAhead,
            "made with another key" => Self::OtherKey,
            "for another access token" => Self::OtherToken,
            _ => return None,
        })
    }
}

/// The request a proof is for.
pub struct ProofFor<'a> {
    pub method: &'a str,
    /// The request URI (a query is stripped: §4.2, `htu` has none).
    pub uri: &'a str,
    pub now: i64,
    pub access_token: Option<&'a str>,
    pub nonce: Option<&'a str>,
}

/// A proof by `key` for `req` with `defect`; `None` for [`Defect::Missing`] and
/// [`Defect::Replayed`] (the caller has the previous proof).
pub fn proof(key: &ProofKey, req: &ProofFor<'_>, defect: Defect) -> Option<String> {
    let htu = req.uri.split(['?', '#']).next().unwrap_or(req.uri);
    let mut spec = ProofSpec {
        htm: req.method.to_string(),
        htu: htu.to_string(),
        iat: req.now,
        access_token: req.access_token.map(str::to_string),
        nonce: req.nonce.map(str::to_string),
        ..Default::default()
    };
    let other;
    let mut key = key;
    match defect {
        Defect::None => {}
        Defect::BadSignature => spec.bad_signature = true,
        Defect::TypJwt => spec.typ = Some("JWT".into()),
        Defect::PrivateKeyInJwk => spec.leak_private_key = true,
        Defect::OtherMethod => spec.htm = if req.method == "GET" { "POST" } else { "GET" }.into(),
        Defect::OtherUri => spec.htu = other_uri(htu),
        Defect::DayOld => spec.iat = req.now - 86_400,
        Defect::DayAhead => spec.iat = req.now + 86_400,
        Defect::OtherKey => {
            other = ProofKey::generate();
            key = &other;
        }
        Defect::OtherToken => spec.ath = Some(protocol::dpop::access_token_hash("another-token")),
        Defect::Missing | Defect::Replayed => return None,
    }
    Some(key.proof(&spec))
}

/// `uri` with another last path segment: the same server, another endpoint.
fn other_uri(uri: &str) -> String {
    match uri.rsplit_once('/') {
        Some((base, _)) => format!("{base}/not-this-endpoint"),
        None => format!("{uri}/elsewhere"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_defect_wording_parses_and_another_uri_differs() {
        for w in [
            "",
            "whose signature does not verify",
            "typed JWT",
            "whose jwk holds the private key",
            "for another method",
            "for another URI",
            "made a day ago",
            "made a day ahead",
            "made with another key",
            "for another access token",
        ] {
            assert!(Defect::parse(w).is_some(), "{w}");
        }
        assert_eq!(
            other_uri("https://as.example/oauth/token"),
            "https://as.example/oauth/not-this-endpoint"
        );
    }

    #[test]
    fn the_htu_has_no_query_and_the_defects_change_what_they_name() {
        let key = ProofKey::generate();
        let req = ProofFor {
            method: "GET",
            uri: "https://rs.example/items?x=1",
            now: 100,
            access_token: Some("t"),
            nonce: None,
        };
        let claims = |d| protocol::jwt::unverified_part(&proof(&key, &req, d).unwrap(), 1).unwrap();
        assert_eq!(claims(Defect::None)["htu"], "https://rs.example/items");
        assert_eq!(claims(Defect::OtherMethod)["htm"], "POST");
        assert_eq!(claims(Defect::DayOld)["iat"], 100 - 86_400);
        assert_ne!(
            claims(Defect::OtherToken)["ath"],
            claims(Defect::None)["ath"]
        );
    }
}
