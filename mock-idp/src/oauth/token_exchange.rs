//! Token exchange (RFC 8693 §2) as an IdP issuing Identity Assertion JWT Authorization Grants
//! (draft-ietf-oauth-identity-assertion-authz-grant §4.3): the client trades an ID token this
//! server issued to it for an ID-JAG addressed to a resource authorization server named in
//! `token_exchange.id_jag_audiences`. An unacceptable subject token is `invalid_request` (RFC
//! 8693 §2.2.2: "the invalid_request error code MUST be used"), an unknown audience
//! `invalid_target`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error::{OAuthError, no_store};
use crate::faults::Fault;
use crate::grants::random_token;
use crate::journal::Decision;
use crate::jwt;
use crate::oauth::id_jag::{ID_JAG_TOKEN_TYPE, ID_JAG_TYP, ID_TOKEN_TYPE};
use crate::oauth::scope;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};

pub fn exchange(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    let one = |name: &str| {
        req.params
            .get(name)
            .map_err(|e| req.refuse("parameter_repeated", e.description.clone(), e.clone()))
    };
    let required = |name: &'static str| -> Result<&str, OAuthError> {
        one(name)?.ok_or_else(|| {
            let reason = format!("missing parameter {name} (RFC 8693 §2.1; the ID-JAG draft §4.3)");
            req.refuse(
                "token_exchange_parameter_missing",
                reason.clone(),
                OAuthError::invalid_request(reason),
            )
        })
    };
    let requested = required("requested_token_type")?;
    if requested != ID_JAG_TOKEN_TYPE {
        let reason = format!(
            "requested_token_type {requested:?} is not one this server issues; it issues {ID_JAG_TOKEN_TYPE} only"
        );
        return Err(req.refuse(
            "token_type_unsupported",
            reason.clone(),
            OAuthError::invalid_request(reason),
        ));
    }
    let subject_type = required("subject_token_type")?;
    if subject_type != ID_TOKEN_TYPE {
        let reason = format!(
            "subject_token_type {subject_type:?} is not accepted; send an ID token ({ID_TOKEN_TYPE})"
        );
        return Err(req.refuse(
            "subject_token_type_unsupported",
            reason.clone(),
            OAuthError::invalid_request(reason),
        ));
    }
    let audience = required("audience")?;
    let Some(target) = req
        .state
        .config
        .token_exchange
        .id_jag_audiences
        .iter()
        .find(|a| a.audience == audience)
    else {
        let reason = format!(
            "audience {audience:?} is no authorization server this IdP issues ID-JAGs for (RFC 8693 §2.2.2)"
        );
        return Err(req.refuse(
            "audience_unknown",
            reason.clone(),
            OAuthError::invalid_target(reason),
        ));
    };
    let subject = subject_claims(req, required("subject_token")?)?;
    let resources = req.params.all("resource");
    if let Some(bad) = resources
        .iter()
        .find(|r| crate::config::check_resource(r).is_err())
    {
        let reason =
            format!("resource {bad:?} is not an absolute URI without a fragment (RFC 8707 §2)");
        return Err(req.refuse(
            "resource_invalid",
            reason.clone(),
            OAuthError::invalid_target(reason),
        ));
    }
    let requested_scope = match one("scope")?.map(scope::parse).transpose() {
        Ok(v) => v,
        Err(e) => {
            return Err(req.refuse("scope_malformed", e.clone(), OAuthError::invalid_scope(e)));
        }
    };
    let client_id = target.client_id.as_deref().unwrap_or(req.client_id());
    let grant = IdJag {
        audience,
        client_id,
        resources: &resources,
        scope: requested_scope.as_deref().map(scope::join),
    };
    let token = sign_id_jag(req, &subject, &grant);
    req.state.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "id_jag_issued",
            format!(
                "token exchange: issued an ID-JAG for {:?} to {audience}",
                subject
                    .get("sub")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ),
        )
        .client(req.client_id()),
    );
    Ok(response(req, &token, grant.scope.as_deref()))
}

/// What the ID-JAG grants.
struct IdJag<'a> {
    audience: &'a str,
    client_id: &'a str,
    resources: &'a [&'a str],
    scope: Option<String>,
}

/// The subject token's claims, once it is shown to be an unexpired ID token this issuer signed
/// for the authenticated client (the draft's §4.3.1: "the IdP MUST validate the assertion and
/// MUST validate that the audience of the assertion ... matches the client_id of the client
/// authentication of the request").
fn subject_claims(req: &TokenRequest<'_>, token: &str) -> Result<Map<String, Value>, OAuthError> {
    let s = req.state;
    let now = s.now();
    let refuse = |code: &'static str, reason: String| {
        req.refuse(code, reason.clone(), OAuthError::invalid_request(reason))
    };
    // Fault token-exchange-skip-signature: the claims are taken on their word.
    let claims = if s.fault(Fault::TokenExchangeSkipSignature) {
        protocol::jwt::unverified_claims(token)
    } else {
        jwt::verify(&s.keys.ring(), token, now)
            .ok()
            .map(|v| v.claims)
    };
    let Some(Value::Object(claims)) = claims else {
        return Err(refuse(
            "subject_token_invalid",
            "the subject_token is not an ID token this server signed (RFC 8693 §2.2.2)".into(),
        ));
    };
    if claims.get("iss").and_then(Value::as_str) != Some(req.issuer.as_str()) {
        return Err(refuse(
            "subject_token_other_issuer",
            format!(
                "the subject_token was not issued by {} (RFC 8693 §2.2.2)",
                req.issuer
            ),
        ));
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= now {
        return Err(refuse(
            "subject_token_expired",
            "the subject_token has expired (RFC 8693 §2.2.2)".into(),
        ));
    }
    let for_client = match claims.get("aud") {
        Some(Value::String(a)) => a == req.client_id(),
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(req.client_id())),
        _ => false,
    };
    // Fault token-exchange-other-clients-token.
    if !for_client && !s.fault(Fault::TokenExchangeOtherClientsToken) {
        return Err(refuse(
            "subject_token_other_client",
            format!(
                "the subject_token's aud {} is not the authenticated client {:?} (draft-ietf-oauth-identity-assertion-authz-grant §4.3.1)",
                claims.get("aud").unwrap_or(&Value::Null),
                req.client_id()
            ),
        ));
    }
    if claims
        .get("sub")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(refuse(
            "subject_token_no_sub",
            "the subject_token has no sub".into(),
        ));
    }
    Ok(claims)
}

/// Signs the ID-JAG (the draft's §3): the subject's `sub`, `auth_time` and `email`, for the
/// audience's issuer and client, with the granted resources and scope, bound to the request's
/// DPoP key when it came with a proof (§7.7.1).
fn sign_id_jag(req: &TokenRequest<'_>, subject: &Map<String, Value>, g: &IdJag<'_>) -> String {
    let s = req.state;
    let now = s.now();
    let mut claims = json!({
        "iss": req.issuer,
        "sub": subject.get("sub"),
        "aud": g.audience,
        "client_id": g.client_id,
        "jti": random_token(&s.keys.rng, 16),
        "iat": now,
        "exp": now + s.config.token_exchange.id_jag_ttl,
    });
    for carried in ["auth_time", "email"] {
        if let Some(v) = subject.get(carried) {
            claims[carried] = v.clone();
        }
    }
    match g.resources {
        [] => {}
        [one] => claims["resource"] = json!(one),
        many => claims["resource"] = json!(many),
    }
    if let Some(sc) = &g.scope {
        claims["scope"] = json!(sc);
    }
    if let Some(jkt) = req.jkt() {
        claims["cnf"] = json!({ "jkt": jkt });
    }
    // Fault id-jag-wrong-typ.
    let typ = if s.fault(Fault::IdJagWrongTyp) {
        jwt::ID_TOKEN_TYP
    } else {
        ID_JAG_TYP
    };
    jwt::sign(s.keys.ring().active(), &s.keys.rng, typ, &claims)
}

/// The token exchange response (RFC 8693 §2.2.1, the draft's §4.3.2): the ID-JAG in
/// `access_token`, `token_type` `N_A`, no refresh token.
fn response(req: &TokenRequest<'_>, token: &str, scope: Option<&str>) -> Response {
    let mut body = json!({
        "access_token": token,
        "issued_token_type": ID_JAG_TOKEN_TYPE,
        "token_type": "N_A",
        "expires_in": req.state.config.token_exchange.id_jag_ttl,
    });
    if let Some(sc) = scope {
        body["scope"] = json!(sc);
    }
    let mut resp = Json(body).into_response();
    no_store(&mut resp);
    resp
}
