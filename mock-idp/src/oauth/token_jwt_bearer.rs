//! The JWT-bearer grant (RFC 7523 §2.1, §3): an assertion signed by a trusted issuer
//! (`jwt_bearer.issuers`), judged and turned into an access token. An issuer with the `id-jag`
//! profile sends Identity Assertion JWT Authorization Grants
//! (draft-ietf-oauth-identity-assertion-authz-grant §4.4): typed `oauth-id-jag+jwt`, for exactly
//! this issuer, and for the client that presents them. Every invalid assertion is `invalid_grant`
//! (RFC 7523 §3.1). No refresh token is issued (the draft's §4.4.3: "SHOULD NOT").

use axum::response::Response;
use serde_json::Value;

use crate::config::{AssertionProfile, SubjectRule, TrustedIssuer};
use crate::error::OAuthError;
use crate::faults::Fault;
use crate::journal::Decision;
use crate::oauth::authorize::check_resources;
use crate::oauth::client_assertion::Assertion;
use crate::oauth::id_jag::ID_JAG_TYP;
use crate::oauth::issue::{self, AccessGrant};
use crate::oauth::scope;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};
use crate::registry::User;

/// Seconds of clock skew tolerated on `exp` and `nbf` (RFC 7523 §3 items 4 and 5).
const LEEWAY: i64 = 30;

/// A refusal: the journal's code and reason, and the error the client gets.
type Refusal = (&'static str, String, OAuthError);

fn invalid_grant(code: &'static str, reason: String) -> Refusal {
    let e = OAuthError::invalid_grant(reason.clone());
    (code, reason, e)
}

pub fn issue(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    judge(req).map_err(|(code, reason, err)| req.refuse(code, reason, err))
}

fn judge(req: &TokenRequest<'_>) -> Result<Response, Refusal> {
    let s = req.state;
    let token = req
        .params
        .get("assertion")
        .map_err(|e| ("parameter_repeated", e.description.clone(), e))?
        .ok_or_else(|| {
            let e = OAuthError::invalid_request("missing parameter assertion (RFC 7521 §4.1)");
            ("assertion_missing", e.description.clone(), e)
        })?;
    let a = Assertion::parse(token).map_err(|_| {
        invalid_grant(
            "assertion_malformed",
            "the assertion is not a JWS in compact serialization (RFC 7523 §3 item 10)".into(),
        )
    })?;
    let iss = a.claim("iss").unwrap_or_default();
    let trusted = s
        .config
        .jwt_bearer
        .issuers
        .iter()
        .find(|t| t.issuer == iss)
        .ok_or_else(|| {
            invalid_grant(
                "assertion_issuer_untrusted",
                format!("the assertion's iss {iss:?} is not an issuer this server trusts (RFC 7523 §3 item 1)"),
            )
        })?;
    check_signature(req, &a, trusted)?;
    if trusted.profile == AssertionProfile::IdJag {
        check_id_jag(req, &a)?;
    }
    check_audience(req, &a, trusted.profile)?;
    check_times(req, &a, trusted.profile)?;
    let user = subject(req, &a, trusted)?;
    let scope = granted_scope(req, &a)?;
    let audience = granted_audience(req, &a)?;
    spend(req, &a)?;
    let access = issue::access_token(
        s,
        &AccessGrant {
            issuer: &req.issuer,
            client_id: req.client_id(),
            user: user.as_deref(),
            subject: a.claim("sub"),
            scope: &scope,
            audience: &audience,
            auth_time: a.claims().get("auth_time").and_then(Value::as_i64),
            jkt: req.jkt(),
        },
    );
    s.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "token_issued",
            format!(
                "jwt-bearer: issued an access token for {:?} on an assertion of {iss}",
                a.claim("sub").unwrap_or_default()
            ),
        )
        .client(req.client_id()),
    );
    Ok(issue::token_response(s, &access, &scope, None, None))
}

fn check_signature(
    req: &TokenRequest<'_>,
    a: &Assertion,
    t: &TrustedIssuer,
) -> Result<(), Refusal> {
    if !a.is_signed() {
        return Err(invalid_grant(
            "assertion_unsigned",
            "an unsigned assertion (alg none) is refused (RFC 7523 §3 item 9)".into(),
        ));
    }
    // Fault jwt-bearer-skip-signature: the claims are taken on their word.
    if req.state.fault(Fault::JwtBearerSkipSignature) {
        return Ok(());
    }
    a.verify_with(&t.jwks, &format!("the keys of {}", t.issuer))
        .map_err(|e| invalid_grant("assertion_signature_invalid", e))
}

/// An ID-JAG's own rules (the draft's §4.4.1): its `typ`, a confidential client, the client it
/// was issued for, and the key it is bound to.
fn check_id_jag(req: &TokenRequest<'_>, a: &Assertion) -> Result<(), Refusal> {
    let s = req.state;
    let typ = a.header_param("typ").unwrap_or_default();
    // Fault id-jag-untyped.
    if typ != ID_JAG_TYP && !s.fault(Fault::IdJagUntyped) {
        return Err(invalid_grant(
            "id_jag_typ",
            format!(
                "the ID-JAG's typ is {typ:?}, not {ID_JAG_TYP} (draft-ietf-oauth-identity-assertion-authz-grant §4.4.1, RFC 8725 §3.11)"
            ),
        ));
    }
    if req.client.client.is_public() {
        let e = OAuthError::unauthorized_client(
            "ID-JAGs are taken from confidential clients only (draft-ietf-oauth-identity-assertion-authz-grant §7.1)",
        );
        return Err(("id_jag_public_client", e.description.clone(), e));
    }
    let named = a.claim("client_id").unwrap_or_default();
    // Fault id-jag-any-client.
    if named != req.client_id() && !s.fault(Fault::IdJagAnyClient) {
        return Err(invalid_grant(
            "id_jag_other_client",
            format!(
                "the ID-JAG was issued for client {named:?}, not for the client that presents it (draft-ietf-oauth-identity-assertion-authz-grant §4.4.1)"
            ),
        ));
    }
    let bound = a
        .claims()
        .get("cnf")
        .and_then(|c| c.get("jkt"))
        .and_then(Value::as_str);
    if let Some(jkt) = bound
        && req.jkt() != Some(jkt)
    {
        return Err(invalid_grant(
            "id_jag_key_mismatch",
            "the ID-JAG is bound to a DPoP key (cnf.jkt) the request proves no possession of (draft-ietf-oauth-identity-assertion-authz-grant §7.7)".into(),
        ));
    }
    Ok(())
}

/// RFC 7523 §3 item 3: the assertion names this server. An ID-JAG names its issuer exactly,
/// alone (the draft's §4.4.1); a plain assertion may name the issuer or the token endpoint
/// among other audiences.
fn check_audience(
    req: &TokenRequest<'_>,
    a: &Assertion,
    profile: AssertionProfile,
) -> Result<(), Refusal> {
    let s = req.state;
    // Fault jwt-bearer-any-audience.
    if s.fault(Fault::JwtBearerAnyAudience) {
        return Ok(());
    }
    let issuer = req.issuer.as_str();
    let token_endpoint = format!("{issuer}/oauth/token");
    let aud = a.claims().get("aud").unwrap_or(&Value::Null);
    let auds: Vec<&str> = match aud {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let ok = match profile {
        AssertionProfile::IdJag => {
            let alone = auds.len() == 1 || s.fault(Fault::IdJagAudienceContains);
            alone && auds.contains(&issuer)
        }
        AssertionProfile::Jwt => auds.iter().any(|a| *a == issuer || *a == token_endpoint),
    };
    if ok {
        return Ok(());
    }
    let rule = match profile {
        AssertionProfile::IdJag => {
            "an ID-JAG's aud must be this issuer, alone (draft-ietf-oauth-identity-assertion-authz-grant §4.4.1)"
        }
        AssertionProfile::Jwt => {
            "it names neither this server's issuer nor its token endpoint (RFC 7523 §3 item 3)"
        }
    };
    Err(invalid_grant(
        "assertion_audience",
        format!("the assertion's aud is {aud}: {rule}"),
    ))
}

fn check_times(
    req: &TokenRequest<'_>,
    a: &Assertion,
    profile: AssertionProfile,
) -> Result<(), Refusal> {
    let s = req.state;
    let now = s.now();
    let time = |n: &str| {
        a.claims()
            .get(n)
            .and_then(Value::as_f64)
            .map(|v| v.floor() as i64)
    };
    let Some(exp) = time("exp") else {
        return Err(invalid_grant(
            "assertion_no_exp",
            "the assertion has no exp (RFC 7523 §3 item 4)".into(),
        ));
    };
    // Fault jwt-bearer-ignore-expiry.
    if exp + LEEWAY <= now && !s.fault(Fault::JwtBearerIgnoreExpiry) {
        return Err(invalid_grant(
            "assertion_expired",
            format!(
                "the assertion expired {} s ago (RFC 7523 §3 item 4)",
                now - exp
            ),
        ));
    }
    if time("nbf").is_some_and(|nbf| nbf > now + LEEWAY) {
        return Err(invalid_grant(
            "assertion_not_yet_valid",
            "the assertion is not valid yet (nbf, RFC 7523 §3 item 5)".into(),
        ));
    }
    // An ID-JAG must have a jti (the draft's §3: "jti: REQUIRED").
    if profile == AssertionProfile::IdJag && a.claim("jti").is_none_or(str::is_empty) {
        return Err(invalid_grant(
            "id_jag_no_jti",
            "the ID-JAG has no jti (draft-ietf-oauth-identity-assertion-authz-grant §3: REQUIRED)"
                .into(),
        ));
    }
    Ok(())
}

/// RFC 7523 §3 item 7 lets the server take each assertion once (mock-idp does, by `jti`, until
/// it expires); an assertion is spent only once everything else about it was accepted.
fn spend(req: &TokenRequest<'_>, a: &Assertion) -> Result<(), Refusal> {
    let s = req.state;
    let (Some(jti), Some(exp)) = (
        a.claim("jti").filter(|j| !j.is_empty()),
        a.claims().get("exp").and_then(Value::as_f64),
    ) else {
        return Ok(());
    };
    let context = format!("jwt-bearer {}", a.claim("iss").unwrap_or_default());
    if s.jtis
        .first_use(&context, jti, s.now(), exp.floor() as i64 + LEEWAY)
    {
        Ok(())
    } else {
        Err(invalid_grant(
            "assertion_replayed",
            "this assertion's jti was used before (RFC 7523 §3 item 7)".into(),
        ))
    }
}

/// The user the token is for (`SubjectRule::User`), or none for a workload (`Any`).
fn subject(
    req: &TokenRequest<'_>,
    a: &Assertion,
    t: &TrustedIssuer,
) -> Result<Option<std::sync::Arc<User>>, Refusal> {
    let Some(sub) = a.claim("sub").filter(|v| !v.is_empty()) else {
        return Err(invalid_grant(
            "assertion_no_sub",
            "the assertion has no sub (RFC 7523 §3 item 2)".into(),
        ));
    };
    match t.subjects {
        SubjectRule::Any => Ok(None),
        SubjectRule::User => req.state.registry.user(sub).map(Some).ok_or_else(|| {
            invalid_grant(
                "assertion_subject_unknown",
                format!(
                    "the assertion's sub {sub:?} is no user of this server (RFC 7523 §3 item 2)"
                ),
            )
        }),
    }
}

/// The scope asked for (the `scope` parameter, else the assertion's `scope` claim, else the
/// client's), within the client's and within the assertion's.
fn granted_scope(req: &TokenRequest<'_>, a: &Assertion) -> Result<String, Refusal> {
    let bad = |e: String| {
        let err = OAuthError::invalid_scope(e.clone());
        ("scope_not_allowed", e, err)
    };
    let client = scope::parse(&req.client.client.scope).unwrap_or_default();
    let in_assertion = a
        .claim("scope")
        .map(scope::parse)
        .transpose()
        .map_err(bad)?;
    let param = req
        .params
        .get("scope")
        .map_err(|e| ("parameter_repeated", e.description.clone(), e))?;
    let requested = match param.map(scope::parse).transpose().map_err(bad)? {
        Some(v) => v,
        None => in_assertion.clone().unwrap_or_else(|| client.clone()),
    };
    let mut limits = vec![("this client", &client)];
    if let Some(claim) = &in_assertion {
        limits.push(("the assertion", claim));
    }
    for (whose, allowed) in limits {
        let extra = scope::not_in(&requested, allowed);
        if !extra.is_empty() {
            return Err(bad(format!(
                "scope not granted by {whose}: {}",
                extra.join(" ")
            )));
        }
    }
    Ok(scope::join(&requested))
}

/// The token's audience: the `resource` parameters, else the assertion's `resource` claim, else
/// the default audience.
fn granted_audience(req: &TokenRequest<'_>, a: &Assertion) -> Result<Vec<String>, Refusal> {
    let s = req.state;
    let mut resources: Vec<&str> = req.params.all("resource");
    if resources.is_empty() {
        resources = match a.claims().get("resource") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
    }
    if resources.is_empty() {
        return Ok(vec![s.default_audience()]);
    }
    check_resources(s, &req.client.client, &resources).map_err(|e| {
        let err = OAuthError::invalid_target(e.clone());
        ("resource_not_allowed", e, err)
    })
}
