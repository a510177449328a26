//! ID token validation as OIDC Core 1.0 §3.1.3.7 asks of a client: a known signing algorithm
//! (never `none`), the signature against the issuer's JWKS (fetched again once for an unknown
//! `kid`), `iss`, `aud` (and `azp` with several audiences), `exp` on the client's clock, and the
//! `nonce` it sent.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

/// What the ID token must match.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The nonce sent; `None` where none was (an identity token, not an ID token).
    pub nonce: Option<&'a str>,
    pub now: i64,
}

async fn jwks(http: &reqwest::Client, uri: &str) -> Result<JwkSet, String> {
    let body = http
        .get(uri)
        .send()
        .await
        .map_err(|e| format!("JWKS {uri}: {e}"))?
        .text()
        .await
        .map_err(|e| format!("JWKS {uri}: {e}"))?;
    serde_json::from_str(&body).map_err(|e| format!("the JWKS at {uri} is not valid: {e}"))
}

/// Validates `token`: its claims, or the reason it is not acceptable.
pub async fn validate(
    http: &reqwest::Client,
    jwks_uri: &str,
    token: &str,
    want: &Expected<'_>,
) -> Result<Value, String> {
    // jsonwebtoken refuses `alg: none` (no such Algorithm) before anything else.
    let header = decode_header(token).map_err(|e| format!("unusable ID token header: {e}"))?;
    let kid = header.kid.clone().ok_or("the ID token header has no kid")?;
    let mut set = jwks(http, jwks_uri).await?;
    if set.find(&kid).is_none() {
        // The issuer may have rotated its keys since: one fresh look.
        set = jwks(http, jwks_uri).await?;
    }
    let jwk = set
        .find(&kid)
        .ok_or_else(|| format!("no key {kid:?} in the issuer's JWKS"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable JWK {kid:?}: {e}"))?;
    let mut v = Validation::new(header.alg);
    // Audience, expiry and the rest are checked below, on the client's own clock.
    v.validate_aud = false;
    v.validate_exp = false;
    v.required_spec_claims.clear();
    let claims = decode::<Value>(token, &key, &v)
        .map_err(|e| format!("the ID token's signature does not verify: {e}"))?
        .claims;
    if claims.get("iss").and_then(Value::as_str) != Some(want.issuer) {
        return Err(format!(
            "the ID token's iss {} is not {}",
            claims["iss"], want.issuer
        ));
    }
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !auds.contains(&want.client_id) {
        return Err(format!(
            "the ID token's aud {:?} does not name {}",
            auds, want.client_id
        ));
    }
    if auds.len() > 1 && claims.get("azp").and_then(Value::as_str) != Some(want.client_id) {
        return Err("the ID token has several audiences and azp is not this client".into());
    }
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if want.now < exp => {}
        Some(exp) => return Err(format!("the ID token expired {} s ago", want.now - exp)),
        None => return Err("the ID token has no exp".into()),
    }
    if let Some(nonce) = want.nonce
        && claims.get("nonce").and_then(Value::as_str) != Some(nonce)
    {
        return Err("the ID token's nonce is not the one sent".into());
    }
    Ok(claims)
}
