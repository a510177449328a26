//! DPoP (RFC 9449): checking the proof of a request, wherever it arrives (§4.3), for the token
//! endpoint and the protected resources alike. A caller says what the request is (method, URI,
//! the access token it carries) and where it is (which faults may bend the check); the answer is
//! the proof's key thumbprint (`jkt`), or why the proof is refused. Binding tokens to the key is
//! the caller's: the token endpoint mints `cnf.jkt`, a resource compares it.

use aws_lc_rs::digest;
use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::faults::Fault;
use crate::grants::random_token;
use crate::public_jwk::PublicJwk;
use crate::state::AppState;
use crate::store::dpop::DpopState;

/// The request header carrying the proof, and the response header carrying a nonce.
pub const DPOP_HEADER: &str = "dpop";
pub const NONCE_HEADER: &str = "dpop-nonce";

/// Where a proof is checked: which faults may bend the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    TokenEndpoint,
    Resource,
}

/// The request a proof must be for.
pub struct Expect<'a> {
    pub at: At,
    pub method: &'a str,
    /// The absolute URI the request was received at.
    pub uri: &'a str,
    /// The access token presented with it (at a protected resource): the proof's `ath` is its
    /// hash (§4.3 item 12).
    pub access_token: Option<&'a str>,
}

/// A proof that passed.
#[derive(Debug, Clone)]
pub struct Proof {
    /// RFC 7638 thumbprint of the proof's key.
    pub jkt: String,
}

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// `invalid_dpop_proof`, with the reason.
    Invalid(String),
    /// `use_dpop_nonce` (§8): the proof lacks the server's current nonce.
    NonceNeeded(String),
}

impl Refused {
    pub fn reason(&self) -> &str {
        match self {
            Self::Invalid(r) | Self::NonceNeeded(r) => r,
        }
    }
}

fn invalid(reason: impl Into<String>) -> Refused {
    Refused::Invalid(reason.into())
}

/// The proof of `headers`, checked against `expect`: `Ok(None)` when there is no `DPoP` header.
pub fn check(
    s: &AppState,
    headers: &HeaderMap,
    expect: &Expect<'_>,
) -> Result<Option<Proof>, Refused> {
    let mut values = headers.get_all(DPOP_HEADER).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(invalid("more than one DPoP header (RFC 9449 §4.3 item 1)"));
    }
    let proof = value
        .to_str()
        .map_err(|_| invalid("the DPoP header is not ASCII"))?;
    check_proof(s, proof, expect).map(Some)
}

struct Parts<'a> {
    header: Value,
    claims: Value,
    signing_input: &'a str,
    signature: Vec<u8>,
}

fn split(proof: &str) -> Result<Parts<'_>, Refused> {
    let malformed = || invalid("the DPoP header is not one well-formed JWT (RFC 9449 §4.3 item 2)");
    let mut it = proof.split('.');
    let (Some(h), Some(c), Some(sig), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(malformed());
    };
    let json = |p: &str| -> Option<Value> {
        serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(p).ok()?)
            .ok()
            .filter(Value::is_object)
    };
    Ok(Parts {
        header: json(h).ok_or_else(malformed)?,
        claims: json(c).ok_or_else(malformed)?,
        signing_input: &proof[..h.len() + 1 + c.len()],
        signature: URL_SAFE_NO_PAD.decode(sig).map_err(|_| malformed())?,
    })
}

fn check_proof(s: &AppState, proof: &str, expect: &Expect<'_>) -> Result<Proof, Refused> {
    let at_token = expect.at == At::TokenEndpoint;
    let bends = |f: Fault| at_token && s.fault(f);
    let p = split(proof)?;
    let typ = p.header.get("typ").and_then(Value::as_str).unwrap_or("");
    if !typ.eq_ignore_ascii_case("dpop+jwt") {
        return Err(invalid(format!(
            "the proof's typ is {typ:?}, not dpop+jwt (RFC 9449 §4.3 item 4)"
        )));
    }
    let alg = p.header.get("alg").and_then(Value::as_str).unwrap_or("");
    if !s.config.dpop.algs.iter().any(|a| a == alg) {
        return Err(invalid(format!(
            "the proof's alg {alg:?} is not one this server accepts ({}) (RFC 9449 §4.3 item 5)",
            s.config.dpop.algs.join(", ")
        )));
    }
    let key = PublicJwk::parse(p.header.get("jwk").unwrap_or(&Value::Null)).map_err(invalid)?;
    // Fault rs-skip-dpop-proof: a resource takes any proof.
    let unchecked = expect.at == At::Resource && s.fault(Fault::RsSkipDpopProof);
    // Fault dpop-skip-proof-signature: the key is taken on the proof's word.
    let skip_signature = unchecked || bends(Fault::DpopSkipProofSignature);
    if !skip_signature && !key.verifies(alg, p.signing_input.as_bytes(), &p.signature) {
        return Err(invalid(
            "the proof's signature does not verify with its jwk (RFC 9449 §4.3 item 6)",
        ));
    }
    let claims = Claims::read(&p.claims)?;
    // Fault dpop-ignore-htm-htu.
    if !(unchecked || bends(Fault::DpopIgnoreHtmHtu)) {
        if claims.htm != expect.method {
            return Err(invalid(format!(
                "the proof's htm {:?} is not the request's method {} (RFC 9449 §4.3 item 8)",
                claims.htm, expect.method
            )));
        }
        if normalized_htu(claims.htu).as_deref() != normalized_htu(expect.uri).as_deref() {
            return Err(invalid(format!(
                "the proof's htu {:?} is not the request's URI {} (RFC 9449 §4.3 item 9)",
                claims.htu, expect.uri
            )));
        }
    }
    let now = s.now();
    let cfg = &s.config.dpop;
    // Fault dpop-accept-stale-proofs.
    if !bends(Fault::DpopAcceptStaleProofs) {
        if now - claims.iat > cfg.proof_max_age {
            return Err(invalid(format!(
                "the proof was made {} s ago; this server accepts proofs for {} s (RFC 9449 §11.1)",
                now - claims.iat,
                cfg.proof_max_age
            )));
        }
        if claims.iat - now > cfg.proof_future_skew {
            return Err(invalid(format!(
                "the proof's iat is {} s in the future (RFC 9449 §11.1)",
                claims.iat - now
            )));
        }
    }
    if let Some(token) = expect.access_token {
        let want = access_token_hash(token);
        if claims.ath != Some(want.as_str()) && !s.fault(Fault::RsSkipDpopAth) {
            return Err(invalid(match claims.ath {
                None => "the proof has no ath, and an access token came with it (RFC 9449 §4.3 item 12, §7)".to_string(),
                Some(_) => "the proof's ath is not the hash of the access token it came with (RFC 9449 §4.3 item 12)".to_string(),
            }));
        }
    }
    let nonce_required = if at_token {
        cfg.require_nonce
    } else {
        cfg.resource_nonce
    };
    if nonce_required {
        check_nonce(nonces(s, expect.at), claims.nonce)?;
    }
    let htu = normalized_htu(claims.htu).unwrap_or_default();
    // Fault dpop-allow-proof-replay.
    if !bends(Fault::DpopAllowProofReplay)
        && !s.jtis.first_use(
            &htu,
            claims.jti,
            now,
            now + cfg.proof_max_age + cfg.proof_future_skew,
        )
    {
        return Err(invalid(format!(
            "a proof with this jti was already used at {htu} (RFC 9449 §11.1)"
        )));
    }
    Ok(Proof {
        jkt: key.thumbprint(),
    })
}

fn check_nonce(store: &DpopState, nonce: Option<&str>) -> Result<(), Refused> {
    match nonce {
        None => Err(Refused::NonceNeeded(
            "the proof has no nonce; this server requires the one in DPoP-Nonce (RFC 9449 §8, §9)"
                .into(),
        )),
        Some(n) if !store.knows_nonce(n) => Err(Refused::NonceNeeded(
            "the proof's nonce is not one this server supplied recently (RFC 9449 §8, §9)".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// The nonces of the token endpoint, or of the protected resources.
fn nonces(s: &AppState, at: At) -> &DpopState {
    match at {
        At::TokenEndpoint => &s.dpop,
        At::Resource => &s.dpop_resource,
    }
}

/// The nonce to send in `DPoP-Nonce` from `at`, minted on first use.
pub fn current_nonce(s: &AppState, at: At) -> String {
    nonces(s, at).current_nonce(|| random_token(&s.keys.rng, 16))
}

/// The claims §4.2 requires, and the optional ones.
struct Claims<'a> {
    jti: &'a str,
    htm: &'a str,
    htu: &'a str,
    iat: i64,
    ath: Option<&'a str>,
    nonce: Option<&'a str>,
}

impl<'a> Claims<'a> {
    fn read(c: &'a Value) -> Result<Self, Refused> {
        let text = |n: &str| c.get(n).and_then(Value::as_str);
        let required = |n: &str| {
            text(n).filter(|v| !v.is_empty()).ok_or_else(|| {
                invalid(format!(
                    "the proof has no {n} claim (RFC 9449 §4.2; §4.3 item 3)"
                ))
            })
        };
        let jti = required("jti")?;
        if jti.len() > 256 {
            return Err(invalid(
                "the proof's jti is longer than 256 characters (RFC 9449 §11.1)",
            ));
        }
        Ok(Self {
            jti,
            htm: required("htm")?,
            htu: required("htu")?,
            iat: c
                .get("iat")
                .and_then(Value::as_f64)
                .map(|v| v.floor() as i64)
                .ok_or_else(|| {
                    invalid("the proof has no numeric iat claim (RFC 9449 §4.2; §4.3 item 3)")
                })?,
            ath: text("ath"),
            nonce: text("nonce"),
        })
    }
}

/// `ath` (§4.2): base64url of the SHA-256 of the access token's ASCII.
pub fn access_token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, token.as_bytes()))
}

/// The URI without query and fragment, after the syntax- and scheme-based normalization §4.3
/// recommends (lowercase scheme and host, no default port, dot segments resolved).
fn normalized_htu(uri: &str) -> Option<String> {
    let mut u = url::Url::parse(uri).ok()?;
    u.set_query(None);
    u.set_fragment(None);
    Some(u.to_string())
}

/// Whether an access token's claims bind it to a DPoP key: its `cnf.jkt`.
pub fn bound_jkt(claims: &Value) -> Option<&str> {
    claims.get("cnf")?.get("jkt")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htu_ignores_query_fragment_case_and_default_port() {
        let n = |u: &str| normalized_htu(u).unwrap();
        assert_eq!(
            n("HTTPS://AS.example:443/token?x=1#f"),
            n("https://as.example/token")
        );
        assert_ne!(
            n("https://as.example/token"),
            n("https://as.example/token2")
        );
        assert_ne!(n("https://as.example/token"), n("http://as.example/token"));
    }

    #[test]
    fn ath_is_the_rfc_9449_example_hash() {
        // RFC 9449 §7.1, Figures 13 and 14: the token and its ath.
        assert_eq!(
            access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }
}
