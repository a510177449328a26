//! Bearer tokens at mock-idp's own protected endpoints (`/userinfo`, `/api/me`) and in
//! introspection: reading the `Authorization` header (RFC 6750 §2.1), validating the access
//! tokens mock-idp issued, and the RFC 6750 §3 challenges.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::jwt;
use crate::state::AppState;

/// A validated access token.
#[derive(Debug, Clone)]
pub struct AccessTokenInfo {
    pub claims: Value,
    pub sub: String,
    pub client_id: String,
    pub scope: Vec<String>,
    pub audience: Vec<String>,
}

impl AccessTokenInfo {
    pub fn has_scope(&self, s: &str) -> bool {
        self.scope.iter().any(|x| x == s)
    }
}

/// Validates an access token issued by this mock: signature by a published key, `typ` at+jwt,
/// one of our issuers, not expired, not revoked. The error is the reason, for the journal.
pub fn validate(s: &AppState, token: &str) -> Result<AccessTokenInfo, String> {
    let now = s.now();
    let v = jwt::verify(&s.keys.ring(), token, now).map_err(|e| e.to_string())?;
    if v.header.get("typ").and_then(Value::as_str) != Some(jwt::ACCESS_TOKEN_TYP) {
        return Err("the token's typ is not at+jwt (RFC 9068 §2.1)".into());
    }
    let c = &v.claims;
    let str_claim = |n: &str| c.get(n).and_then(Value::as_str).map(str::to_string);
    let iss = str_claim("iss").ok_or("the token has no iss")?;
    if !s.all_issuers().contains(&iss) {
        return Err(format!("the token's issuer {iss:?} is not this server"));
    }
    let exp = c
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or("the token has no exp")?;
    if exp <= now {
        return Err(format!("the token expired {} s ago", now - exp));
    }
    let jti = str_claim("jti").ok_or("the token has no jti")?;
    if s.grants.with(|t| t.access_revoked(&jti)) {
        return Err("the token was revoked".into());
    }
    let audience = match c.get("aud") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    Ok(AccessTokenInfo {
        sub: str_claim("sub").unwrap_or_default(),
        client_id: str_claim("client_id").unwrap_or_default(),
        scope: str_claim("scope")
            .unwrap_or_default()
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
        audience,
        claims: v.claims,
    })
}

/// [`validate`] for a token sent with the `Bearer` scheme to an endpoint that takes only bearer
/// tokens (`/userinfo`, `/api/me`): a DPoP-bound token is refused (RFC 9449 §7.2, "MUST reject a
/// DPoP-bound access token received as a bearer token").
pub fn validate_as_bearer(s: &AppState, token: &str) -> Result<AccessTokenInfo, String> {
    let info = validate(s, token)?;
    if crate::dpop::bound_jkt(&info.claims).is_some() {
        return Err(
            "the token is DPoP-bound (cnf.jkt) and this endpoint takes bearer tokens only (RFC 9449 §7.2)"
                .into(),
        );
    }
    Ok(info)
}

/// What is wrong with a request to a protected endpoint.
#[derive(Debug, Clone)]
pub enum Denied {
    /// No credentials at all: 401 with a bare challenge (RFC 6750 §3.1).
    NoToken,
    /// 400 invalid_request (malformed Authorization header, token in two places).
    Malformed(String),
    /// 401 invalid_token.
    InvalidToken(String),
    /// 403 insufficient_scope, naming the scope needed.
    InsufficientScope(String),
    /// 401 with a `DPoP` challenge (RFC 9449 §7.1).
    Dpop(Box<DpopDenial>),
}

/// Why a `DPoP` challenge is sent: `invalid_dpop_proof` for the proof itself, `invalid_token` for
/// a key that is not the token's, `use_dpop_nonce` with the nonce to use (§9, sent in
/// `DPoP-Nonce`); `algs` lists the proof algorithms.
#[derive(Debug, Clone)]
pub struct DpopDenial {
    pub error: &'static str,
    pub description: String,
    pub algs: String,
    pub nonce: Option<String>,
}

/// Which authentication scheme carried the access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Bearer,
    Dpop,
}

/// The access token of the `Authorization` header and its scheme, `Bearer` or `DPoP` (RFC 9449
/// §7.1), both case-insensitive; any other scheme is no token.
pub fn presented(headers: &HeaderMap) -> Result<(Scheme, &str), Denied> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(Denied::NoToken);
    };
    if values.next().is_some() {
        return Err(Denied::Malformed(
            "more than one Authorization header".into(),
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| Denied::Malformed("the Authorization header is not ASCII".into()))?;
    let Some((scheme, token)) = value.split_once(' ') else {
        return Err(Denied::NoToken);
    };
    let scheme = if scheme.eq_ignore_ascii_case("bearer") {
        Scheme::Bearer
    } else if scheme.eq_ignore_ascii_case("dpop") {
        Scheme::Dpop
    } else {
        return Err(Denied::NoToken);
    };
    match token.trim() {
        "" => Err(Denied::Malformed("empty access token".into())),
        t => Ok((scheme, t)),
    }
}

/// The bearer token of the `Authorization` header; the scheme is case-insensitive.
pub fn from_header(headers: &HeaderMap) -> Result<&str, Denied> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(Denied::NoToken);
    };
    if values.next().is_some() {
        return Err(Denied::Malformed(
            "more than one Authorization header".into(),
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| Denied::Malformed("the Authorization header is not ASCII".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("bearer") => {
            Err(Denied::Malformed("empty bearer token".into()))
        }
        _ => Err(Denied::NoToken),
    }
}

/// A text made fit for a quoted auth-param: a header value is visible ASCII (RFC 9110 §5.5), so
/// quotes and backslashes become ', § is spelled out, anything else outside ASCII becomes ?, and
/// the challenge is never dropped.
pub fn quoted_value(s: &str) -> String {
    s.replace(['"', '\\'], "'")
        .replace('§', "section ")
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// A `DPoP` challenge (RFC 9449 §7.1): the error, why, and the proof algorithms accepted.
pub fn dpop_challenge(realm: &str, error: &str, description: &str, algs: &str) -> String {
    let q = quoted_value;
    format!(
        "DPoP realm=\"{}\", error=\"{error}\", error_description=\"{}\", algs=\"{algs}\"",
        q(realm),
        q(description)
    )
}

/// The RFC 6750 §3 answer for `denied`.
pub fn challenge(realm: &str, denied: &Denied) -> Response {
    let q = quoted_value;
    let (status, www, body) = match denied {
        Denied::NoToken => (
            StatusCode::UNAUTHORIZED,
            format!("Bearer realm=\"{}\"", q(realm)),
            json!({"message": "a bearer token is required"}),
        ),
        Denied::Malformed(d) => (
            StatusCode::BAD_REQUEST,
            format!(
                "Bearer realm=\"{}\", error=\"invalid_request\", error_description=\"{}\"",
                q(realm),
                q(d)
            ),
            json!({"error": "invalid_request", "error_description": d}),
        ),
        Denied::InvalidToken(d) => (
            StatusCode::UNAUTHORIZED,
            format!(
                "Bearer realm=\"{}\", error=\"invalid_token\", error_description=\"{}\"",
                q(realm),
                q(d)
            ),
            json!({"error": "invalid_token", "error_description": d}),
        ),
        Denied::InsufficientScope(scope) => (
            StatusCode::FORBIDDEN,
            format!(
                "Bearer realm=\"{}\", error=\"insufficient_scope\", scope=\"{}\"",
                q(realm),
                q(scope)
            ),
            json!({"error": "insufficient_scope", "scope": scope}),
        ),
        Denied::Dpop(d) => (
            StatusCode::UNAUTHORIZED,
            dpop_challenge(realm, d.error, &d.description, &d.algs),
            json!({"error": d.error, "error_description": d.description}),
        ),
    };
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&www) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    with_dpop_nonce(resp, denied)
}

/// `resp` with the `DPoP-Nonce` header a `use_dpop_nonce` refusal carries (RFC 9449 §9).
pub fn with_dpop_nonce(mut resp: Response, denied: &Denied) -> Response {
    if let Denied::Dpop(d) = denied
        && let Some(n) = &d.nonce
        && let Ok(v) = HeaderValue::from_str(n)
    {
        resp.headers_mut().insert(crate::dpop::NONCE_HEADER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_basic_is_no_token() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "bEaReR abc".parse().unwrap());
        assert_eq!(from_header(&h).unwrap(), "abc");
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert!(matches!(from_header(&h), Err(Denied::NoToken)));
    }

    #[test]
    fn a_description_outside_ascii_does_not_drop_the_challenge() {
        let d = Denied::InvalidToken("refused (RFC 8725 §3.1) — \"none\"".into());
        let resp = challenge("api", &d);
        let www = resp.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert!(www.contains("error=\"invalid_token\""), "{www}");
        assert!(www.contains("RFC 8725 section 3.1"), "{www}");
    }

    #[test]
    fn no_token_challenge_has_no_error_attribute() {
        let resp = challenge("mock-idp", &Denied::NoToken);
        let www = resp.headers()[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert_eq!(www, "Bearer realm=\"mock-idp\"");
    }
}
