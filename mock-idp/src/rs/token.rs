//! Bearer-token validation at the reference resource server: where the token may travel
//! (RFC 6750 §2.1 header only), the JWS (RFC 7515; RFC 8725 §3.1 no `alg: none`, §3.2 no
//! algorithm confusion), the claims (RFC 7519 §4.1: `exp`, `nbf` with a small leeway, `iss`,
//! `aud`; RFC 9068 §4 `typ`), and the caller it yields: subject, scopes and workspace roles.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::jwks_cache;
use crate::bearer::{Denied, Scheme};
use crate::dpop;
use crate::faults::Fault;
use crate::request_id::RequestTarget;
use crate::state::AppState;

pub use crate::store::resource_server::Role;

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Principal {
    pub sub: String,
    pub client_id: Option<String>,
    pub scopes: Vec<String>,
    /// Workspace → role, from the configured roles claim.
    pub roles: BTreeMap<String, Role>,
    /// Authentication is switched off: every operation is allowed.
    pub unrestricted: bool,
    /// The DPoP key the token is bound to (`cnf.jkt`, RFC 9449 §6.1).
    pub dpop_jkt: Option<String>,
}

impl Principal {
    fn anonymous() -> Self {
        Self {
            sub: "anonymous".into(),
            client_id: None,
            scopes: Vec::new(),
            roles: BTreeMap::new(),
            unrestricted: true,
            dpop_jkt: None,
        }
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.unrestricted || self.scopes.iter().any(|s| s == scope)
    }
}

/// Why a request was not authenticated: the RFC 6750 answer, a journal code and the reason.
#[derive(Debug)]
pub enum Refusal {
    Denied(Denied, &'static str, String),
    /// Fault rs-500-on-malformed: the server falls over.
    Crash(String),
}

fn invalid(code: &'static str, reason: impl Into<String>) -> Refusal {
    let reason = reason.into();
    Refusal::Denied(Denied::InvalidToken(reason.clone()), code, reason)
}

/// Authenticates a request to the workspace API.
pub fn authenticate(
    s: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    target: &RequestTarget,
) -> Result<Principal, Refusal> {
    let rs = &s.config.resource_server;
    if !rs.auth_enabled {
        return Ok(Principal::anonymous());
    }
    let audience = rs.audience.clone().unwrap_or_else(|| s.default_audience());
    // Fault rs-skip-audience-check.
    let audience = (!s.fault(Fault::RsSkipAudienceCheck)).then_some(audience.as_str());
    authenticate_for(s, headers, query, target, audience, None)
}

/// Authenticates a bearer request to a resource whose tokens must name `audience` (`None`: any
/// audience, which only a fault asks for) and come from `issuer` (`None`: the resource server's
/// configured issuer, else this mock-idp's root issuer).
pub fn authenticate_for(
    s: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    target: &RequestTarget,
    audience: Option<&str>,
    issuer: Option<&str>,
) -> Result<Principal, Refusal> {
    let (scheme, token) = match bearer_token(s, headers) {
        Ok(t) => t,
        Err(Denied::NoToken) => match query_token(query) {
            // Fault rs-accept-query-token: RFC 6750 §2.3 is not for this server (and MCP forbids it).
            Some(t) if s.fault(Fault::RsAcceptQueryToken) => (Scheme::Bearer, t),
            Some(_) => {
                return Err(Refusal::Denied(
                    Denied::NoToken,
                    "query_token_ignored",
                    "an access_token query parameter is not accepted; send the Authorization header".into(),
                ));
            }
            None => {
                return Err(Refusal::Denied(
                    Denied::NoToken,
                    "no_credentials",
                    "the request has no bearer token".into(),
                ));
            }
        },
        Err(d) => {
            let reason = match &d {
                Denied::Malformed(r) => r.clone(),
                _ => "unusable Authorization header".into(),
            };
            return Err(Refusal::Denied(d, "malformed_request", reason));
        }
    };
    let principal = validate(s, &token, audience, issuer)?;
    check_dpop(
        s,
        headers,
        target,
        scheme,
        &token,
        principal.dpop_jkt.as_deref(),
    )?;
    Ok(principal)
}

fn dpop_refusal(s: &AppState, error: &'static str, code: &'static str, reason: String) -> Refusal {
    let nonce = (error == "use_dpop_nonce").then(|| dpop::current_nonce(s, dpop::At::Resource));
    Refusal::Denied(
        Denied::Dpop(Box::new(crate::bearer::DpopDenial {
            error,
            description: reason.clone(),
            algs: s.config.dpop.algs.join(" "),
            nonce,
        })),
        code,
        reason,
    )
}

/// RFC 9449 §7: a DPoP-bound token only with the `DPoP` scheme and a valid proof made with its
/// key for this request and this token; a bearer token never with the `DPoP` scheme.
fn check_dpop(
    s: &AppState,
    headers: &HeaderMap,
    target: &RequestTarget,
    scheme: Scheme,
    token: &str,
    bound: Option<&str>,
) -> Result<(), Refusal> {
    if scheme == Scheme::Bearer {
        // Fault rs-accept-dpop-token-as-bearer: the downgrade §7.2 forbids.
        if bound.is_some() && !s.fault(Fault::RsAcceptDpopTokenAsBearer) {
            return Err(invalid(
                "dpop_token_as_bearer",
                "the token is DPoP-bound (cnf.jkt) and was sent as a bearer token; send it with Authorization: DPoP and a DPoP proof (RFC 9449 §7.2)",
            ));
        }
        return Ok(());
    }
    // The URI the client addressed: this server's public origin (its configured issuer's) and
    // the request's path.
    let origin = url::Url::parse(&s.base_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| s.base_url.clone());
    let uri = format!("{origin}{}", target.path);
    let expect = dpop::Expect {
        at: dpop::At::Resource,
        method: &target.method,
        uri: &uri,
        access_token: Some(token),
    };
    let proof = match dpop::check(s, headers, &expect) {
        Ok(Some(p)) => Some(p),
        // Fault rs-skip-dpop-proof: the scheme alone is taken as proof.
        Ok(None) | Err(_) if s.fault(Fault::RsSkipDpopProof) => None,
        Ok(None) => {
            return Err(dpop_refusal(
                s,
                "invalid_dpop_proof",
                "dpop_proof_missing",
                "Authorization: DPoP came without a DPoP proof header (RFC 9449 §7.1)".into(),
            ));
        }
        Err(dpop::Refused::NonceNeeded(reason)) => {
            return Err(dpop_refusal(
                s,
                "use_dpop_nonce",
                "dpop_nonce_needed",
                reason,
            ));
        }
        Err(r) => {
            return Err(dpop_refusal(
                s,
                "invalid_dpop_proof",
                "dpop_proof_invalid",
                r.reason().to_string(),
            ));
        }
    };
    let Some(bound) = bound else {
        return Err(dpop_refusal(
            s,
            "invalid_token",
            "dpop_token_not_bound",
            "the token is not DPoP-bound (no cnf.jkt); send it as a bearer token (RFC 9449 §7.1)"
                .into(),
        ));
    };
    // Fault rs-skip-dpop-key-binding.
    if let Some(p) = proof
        && p.jkt != bound
        && !s.fault(Fault::RsSkipDpopKeyBinding)
    {
        return Err(dpop_refusal(
            s,
            "invalid_token",
            "dpop_key_mismatch",
            "the DPoP proof is made with another key than the one the token is bound to (RFC 9449 §6, §7.1)".into(),
        ));
    }
    Ok(())
}

/// The access token of the Authorization header and its scheme (case-insensitive, RFC 9110
/// §11.1); `DPoP` only when DPoP is on.
fn bearer_token(s: &AppState, headers: &HeaderMap) -> Result<(Scheme, String), Denied> {
    let (scheme, token) = crate::bearer::presented(headers)?;
    if scheme == Scheme::Dpop && !s.config.dpop.enabled {
        return Err(Denied::NoToken);
    }
    // Fault rs-bearer-case-sensitive: only the exact spelling "Bearer" counts.
    if s.fault(Fault::RsBearerCaseSensitive) {
        let exact = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bearer "));
        if !exact {
            return Err(Denied::NoToken);
        }
    }
    Ok((scheme, token.to_string()))
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "access_token")
        .map(|(_, v)| v.into_owned())
}

struct Parsed {
    header: Value,
    claims: Value,
    signing_input_len: usize,
    signature: Vec<u8>,
}

fn parse(token: &str) -> Option<Parsed> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let json = |p: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
    };
    let header = json(h).filter(Value::is_object)?;
    let claims = json(c).filter(Value::is_object)?;
    Some(Parsed {
        header,
        claims,
        signing_input_len: h.len() + 1 + c.len(),
        signature: URL_SAFE_NO_PAD.decode(sig).ok()?,
    })
}

/// Validates a token and returns its caller.
pub fn validate(
    s: &AppState,
    token: &str,
    audience: Option<&str>,
    issuer: Option<&str>,
) -> Result<Principal, Refusal> {
    let rs = &s.config.resource_server;
    let Some(p) = parse(token) else {
        let reason = "the token is not a JWS in compact serialization";
        if s.fault(Fault::Rs500OnMalformed) {
            return Err(Refusal::Crash(reason.into()));
        }
        return Err(invalid("malformed_token", reason));
    };
    check_signature(s, token, &p)?;
    let c = &p.claims;
    let now = s.now();
    let leeway = if s.fault(Fault::RsExcessLeeway) {
        600
    } else {
        rs.leeway
    };
    // NumericDate may have a fraction (RFC 7519 §2); whole seconds are compared.
    let numeric_date = |name: &str| {
        c.get(name)
            .and_then(Value::as_f64)
            .map(|v| v.floor() as i64)
    };
    match numeric_date("exp") {
        None if !s.fault(Fault::RsAcceptMissingExp) => {
            return Err(invalid(
                "missing_exp",
                "the token has no exp (RFC 9068 §2.2 requires it)",
            ));
        }
        Some(exp) if now >= exp.saturating_add(leeway) && !s.fault(Fault::RsAcceptExpired) => {
            return Err(invalid(
                "token_expired",
                format!("the token expired {} s ago (leeway {leeway} s)", now - exp),
            ));
        }
        _ => {}
    }
    if let Some(nbf) = numeric_date("nbf")
        && now.saturating_add(leeway) < nbf
        && !s.fault(Fault::RsIgnoreNbf)
    {
        return Err(invalid(
            "token_not_yet_valid",
            format!("the token is not valid for another {} s", nbf - now),
        ));
    }
    let issuer = issuer
        .map(str::to_string)
        .or_else(|| rs.issuer.clone())
        .unwrap_or_else(|| s.base_url.clone());
    let iss = c.get("iss").and_then(Value::as_str).unwrap_or("");
    if iss != issuer && !s.fault(Fault::RsSkipIssuerCheck) {
        return Err(invalid(
            "wrong_issuer",
            format!("the token's iss {iss:?} is not the trusted issuer {issuer}"),
        ));
    }
    let auds: Vec<&str> = match c.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if let Some(audience) = audience
        && !auds.contains(&audience)
    {
        return Err(invalid(
            "wrong_audience",
            format!("the token's aud {auds:?} does not name this resource server ({audience})"),
        ));
    }
    Ok(principal(c, &rs.roles_claim))
}

fn check_signature(s: &AppState, token: &str, p: &Parsed) -> Result<(), Refusal> {
    let rs = &s.config.resource_server;
    let alg = p.header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg.eq_ignore_ascii_case("none") {
        // Fault rs-accept-alg-none: unsigned tokens outside quickstart mode.
        if rs.insecure_quickstart || s.fault(Fault::RsAcceptAlgNone) {
            return Ok(());
        }
        return Err(invalid(
            "alg_none",
            "unsigned (alg none) tokens are refused (RFC 8725 §3.1); only insecure_quickstart accepts them",
        ));
    }
    let typ = p.header.get("typ").and_then(Value::as_str).unwrap_or("");
    // Fault rs-skip-typ-check.
    if !typ.eq_ignore_ascii_case("at+jwt")
        && !typ.eq_ignore_ascii_case("application/at+jwt")
        && !s.fault(Fault::RsSkipTypCheck)
    {
        return Err(invalid(
            "wrong_typ",
            format!("the token's typ {typ:?} is not at+jwt (RFC 9068 §4)"),
        ));
    }
    // Fault rs-skip-signature-check: decode and trust (no key is even looked up).
    if s.fault(Fault::RsSkipSignatureCheck) {
        return Ok(());
    }
    let kid = p.header.get("kid").and_then(Value::as_str).unwrap_or("");
    let Some(key) = jwks_cache::key(s, kid) else {
        // Fault rs-accept-unknown-kid: a key it cannot find is a reason to skip verification.
        if s.fault(Fault::RsAcceptUnknownKid) {
            return Ok(());
        }
        return Err(invalid(
            "unknown_kid",
            format!("no key {kid:?} in the issuer's JWKS"),
        ));
    };
    let input = &token.as_bytes()[..p.signing_input_len];
    if alg == "HS256" && s.fault(Fault::RsHs256Confusion) {
        // Fault rs-hs256-confusion: the public key becomes an HMAC secret.
        let k = aws_lc_rs::hmac::Key::new(
            aws_lc_rs::hmac::HMAC_SHA256,
            key.public_key_pem().as_bytes(),
        );
        return aws_lc_rs::hmac::verify(&k, input, &p.signature)
            .map_err(|_| invalid("bad_signature", "the HS256 signature does not verify"));
    }
    if alg != key.alg.as_str() {
        return Err(invalid(
            "wrong_alg",
            format!(
                "the token's alg {alg:?} is not the key's {} (RFC 8725 §3.1)",
                key.alg.as_str()
            ),
        ));
    }
    if !key.verify(input, &p.signature) {
        return Err(invalid("bad_signature", "the signature does not verify"));
    }
    Ok(())
}

fn principal(c: &Value, roles_claim: &str) -> Principal {
    let str_of = |n: &str| c.get(n).and_then(Value::as_str).map(str::to_string);
    let scopes = match c.get("scope") {
        Some(Value::String(s)) => s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(Into::into)
            .collect(),
        _ => match c.get("scp") {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(Into::into).collect(),
            _ => Vec::new(),
        },
    };
    let mut roles = BTreeMap::new();
    match c.get(roles_claim) {
        Some(Value::Object(m)) => {
            for (ws, r) in m {
                if let Some(role) = r.as_str().and_then(Role::parse) {
                    roles.insert(ws.clone(), role);
                }
            }
        }
        Some(Value::Array(a)) => {
            for entry in a.iter().filter_map(Value::as_str) {
                if let Some((ws, r)) = entry.rsplit_once(':')
                    && let Some(role) = Role::parse(r)
                {
                    roles.insert(ws.to_string(), role);
                }
            }
        }
        _ => {}
    }
    Principal {
        sub: str_of("sub").unwrap_or_default(),
        client_id: str_of("client_id"),
        scopes,
        roles,
        unrestricted: false,
        dpop_jkt: crate::dpop::bound_jkt(c).map(str::to_string),
    }
}
