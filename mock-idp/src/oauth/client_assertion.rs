//! Client authentication with a JWT (RFC 7523 §2.2 and §3, OIDC Core §9): `private_key_jwt`, an
//! assertion signed with a key of the client's registered `jwks`, and `client_secret_jwt`, one
//! MACed (HS256) with its secret. The assertion must be the client's own (`iss` = `sub` =
//! client_id), for this server (`aud` the issuer or its token endpoint), unexpired, with a `jti`
//! used once. `client_auth` decides who the client is; this module judges the assertion.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::config::{AuthMethod, ClientConfig};
use crate::faults::Fault;
use crate::public_jwk::PublicJwk;
use crate::state::AppState;

/// RFC 7523 §2.2's `client_assertion_type`.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Seconds of clock skew tolerated on `exp`, `nbf` (RFC 7523 §3 items 4 and 5: "subject to
/// allowable clock skew").
const LEEWAY: i64 = 30;

/// A client assertion, split (not yet judged).
#[derive(Debug, Clone)]
pub struct Assertion {
    token: String,
    header: Value,
    claims: Value,
    signature: Vec<u8>,
    signing_input_len: usize,
}

impl Assertion {
    /// Splits a compact JWS; the error says what is wrong with it.
    pub fn parse(token: &str) -> Result<Self, String> {
        let malformed = || "the client_assertion is not a JWS in compact serialization".to_string();
        let mut it = token.split('.');
        let (Some(h), Some(c), Some(sig), None) = (it.next(), it.next(), it.next(), it.next())
        else {
            return Err(malformed());
        };
        let json = |p: &str| -> Option<Value> {
            serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(p).ok()?)
                .ok()
                .filter(Value::is_object)
        };
        Ok(Self {
            token: token.to_string(),
            header: json(h).ok_or_else(malformed)?,
            claims: json(c).ok_or_else(malformed)?,
            signature: URL_SAFE_NO_PAD.decode(sig).map_err(|_| malformed())?,
            signing_input_len: h.len() + 1 + c.len(),
        })
    }

    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// Every claim.
    pub fn claims(&self) -> &Value {
        &self.claims
    }

    /// A string header parameter.
    pub fn header_param(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// Whether the JWS is signed at all (`alg` present and not `none`).
    pub fn is_signed(&self) -> bool {
        let alg = self.alg();
        !alg.is_empty() && !alg.eq_ignore_ascii_case("none")
    }

    /// Verifies the signature with a key of the JWK Set `jwks` (`{"keys": [...]}`), the one the
    /// header's `kid` names when it names one; the error names the keys as `whose`.
    pub fn verify_with(&self, jwks: &Value, whose: &str) -> Result<(), String> {
        let keys = jwks.get("keys").and_then(Value::as_array);
        let kid = self.header.get("kid").and_then(Value::as_str);
        let alg = self.alg();
        let verified = keys
            .into_iter()
            .flatten()
            .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
            .filter_map(|k| PublicJwk::parse(k).ok())
            .any(|k| k.verifies(alg, self.signing_input(), &self.signature));
        if verified {
            Ok(())
        } else {
            Err(format!(
                "the assertion's {alg} signature does not verify with {whose}{} (RFC 7523 §3 item 9)",
                kid.map(|k| format!(" (kid {k:?})")).unwrap_or_default()
            ))
        }
    }

    /// The client the assertion is about: its `sub` (RFC 7523 §3 item 2).
    pub fn subject(&self) -> Option<&str> {
        self.claim("sub")
    }

    fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }

    /// The method the assertion stands for: a MAC is `client_secret_jwt`, a signature
    /// `private_key_jwt`.
    pub fn method(&self) -> AuthMethod {
        if self.alg().starts_with("HS") {
            AuthMethod::ClientSecretJwt
        } else {
            AuthMethod::PrivateKeyJwt
        }
    }

    fn signing_input(&self) -> &[u8] {
        &self.token.as_bytes()[..self.signing_input_len]
    }
}

/// Judges `a` as `client`'s authentication at `endpoint_url`; the error is the journal's reason.
pub fn verify(s: &AppState, a: &Assertion, client: &ClientConfig) -> Result<(), String> {
    check_signature(s, a, client)?;
    let id = &client.client_id;
    if a.claim("iss") != Some(id) || a.subject() != Some(id) {
        return Err(format!(
            "iss {:?} and sub {:?} must both be the client_id {id:?} (RFC 7523 §3 items 1 and 2)",
            a.claim("iss"),
            a.subject()
        ));
    }
    // Fault client-assertion-any-audience.
    if !s.fault(Fault::ClientAssertionAnyAudience) && !for_this_server(s, &a.claims) {
        return Err(format!(
            "aud {} names neither this server's issuer nor its token endpoint (RFC 7523 §3 item 3)",
            a.claims.get("aud").unwrap_or(&Value::Null)
        ));
    }
    let now = s.now();
    let time = |n: &str| {
        a.claims
            .get(n)
            .and_then(Value::as_f64)
            .map(|v| v.floor() as i64)
    };
    let Some(exp) = time("exp") else {
        return Err("the assertion has no exp (RFC 7523 §3 item 4)".into());
    };
    // Fault client-assertion-ignore-expiry.
    if exp + LEEWAY <= now && !s.fault(Fault::ClientAssertionIgnoreExpiry) {
        return Err(format!(
            "the assertion expired {} s ago (RFC 7523 §3 item 4)",
            now - exp
        ));
    }
    if let Some(nbf) = time("nbf")
        && nbf > now + LEEWAY
    {
        return Err("the assertion is not valid yet (nbf, RFC 7523 §3 item 5)".into());
    }
    let Some(jti) = a.claim("jti").filter(|j| !j.is_empty()) else {
        return Err("the assertion has no jti (OIDC Core §9: jti REQUIRED)".into());
    };
    // Fault client-assertion-replay.
    let context = format!("client_assertion {id}");
    if !s.fault(Fault::ClientAssertionReplay) && !s.jtis.first_use(&context, jti, now, exp + LEEWAY)
    {
        return Err("this assertion's jti was used before (RFC 7523 §3 item 7)".into());
    }
    Ok(())
}

/// Whether `aud` names one of this server's issuers or their token endpoints.
fn for_this_server(s: &AppState, claims: &Value) -> bool {
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    s.all_issuers().iter().any(|iss| {
        let token = crate::oauth::token_endpoint(s, iss);
        auds.iter().any(|a| *a == iss || *a == token)
    })
}

fn check_signature(s: &AppState, a: &Assertion, client: &ClientConfig) -> Result<(), String> {
    // Fault client-assertion-skip-signature: the claims are taken on their word.
    if s.fault(Fault::ClientAssertionSkipSignature) {
        return Ok(());
    }
    let alg = a.alg();
    if !a.is_signed() {
        return Err("an unsigned assertion (alg none) is refused (RFC 7523 §3 item 9)".into());
    }
    match a.method() {
        AuthMethod::ClientSecretJwt => mac_verifies(alg, a, client),
        _ => key_verifies(a, client),
    }
}

fn mac_verifies(alg: &str, a: &Assertion, client: &ClientConfig) -> Result<(), String> {
    use aws_lc_rs::hmac;
    let algorithm = match alg {
        "HS256" => hmac::HMAC_SHA256,
        "HS384" => hmac::HMAC_SHA384,
        "HS512" => hmac::HMAC_SHA512,
        other => {
            return Err(format!(
                "the assertion's alg {other:?} is not a MAC this server computes"
            ));
        }
    };
    let secret = client
        .client_secret
        .as_deref()
        .ok_or("a MACed assertion from a client without a secret")?;
    let key = hmac::Key::new(algorithm, secret.as_bytes());
    hmac::verify(&key, a.signing_input(), &a.signature).map_err(|_| {
        "the assertion's MAC does not verify with the client secret (RFC 7523 §3 item 9)".into()
    })
}

fn key_verifies(a: &Assertion, client: &ClientConfig) -> Result<(), String> {
    let keys = client
        .jwks
        .as_ref()
        .ok_or("the client registered no jwks to verify its assertion with")?;
    a.verify_with(keys, "the client's registered keys")
}
