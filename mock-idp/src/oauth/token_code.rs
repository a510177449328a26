//! The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1, §4.2.4):
//! single-use codes with a short lifetime, bound to client, redirect_uri, PKCE challenge, scope
//! and resources. A failed redemption by the client burns the code; a replay revokes what the
//! first redemption issued.

use axum::response::Response;

use crate::error::OAuthError;
use crate::faults::Fault;
use crate::grants::{AuthorizationCode, Grant, PendingAuthorization, hash_secret};
use crate::journal::{Decision, fingerprint};
use crate::oauth::authorize::check_resources;
use crate::oauth::issue::{self, UserGrant};
use crate::oauth::pkce;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};

struct Refusal {
    code: &'static str,
    reason: String,
    error: OAuthError,
}

fn refusal(code: &'static str, reason: impl Into<String>, error: OAuthError) -> Refusal {
    Refusal {
        code,
        reason: reason.into(),
        error,
    }
}

/// What the fault `accept-unknown-codes` takes an unknown code for: one issued a moment ago to the
/// caller, for the configured default user (else the first user), with the client's scope.
fn made_up_code(req: &TokenRequest<'_>, redirect: Option<&str>, now: i64) -> AuthorizationCode {
    let s = req.state;
    let user = s
        .config
        .login
        .default_user
        .clone()
        .or_else(|| s.config.users.first().map(|u| u.username.clone()))
        .unwrap_or_default();
    AuthorizationCode {
        request: PendingAuthorization {
            issuer: req.issuer.clone(),
            client_id: req.client_id().to_string(),
            redirect_uri: redirect.unwrap_or_default().to_string(),
            redirect_uri_sent: redirect.is_some(),
            state: None,
            scope: req
                .client
                .client
                .scope
                .split_whitespace()
                .map(String::from)
                .collect(),
            resources: Vec::new(),
            pkce: None,
            nonce: None,
            dpop_jkt: None,
            user: Some(user.clone()),
            expires_at: now + 60,
        },
        user,
        auth_time: now,
        expires_at: now + 60,
        used: false,
        grant_id: None,
    }
}

pub fn redeem(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    let s = req.state;
    let code = req.params.get("code")?.ok_or_else(|| {
        req.refuse(
            "code_missing",
            "authorization_code request without code",
            OAuthError::invalid_request("missing parameter code"),
        )
    })?;
    let verifier = req.params.get("code_verifier")?;
    let redirect = req.params.get("redirect_uri")?;
    let token_resources = req.params.all("resource");
    let now = s.now();
    let access_ttl = s.config.tokens.access_token_ttl;
    let hash = hash_secret(code);

    let decided: Result<(AuthorizationCode, u64, Vec<String>), Refusal> = s.grants.with(|t| {
        if s.fault(Fault::AcceptUnknownCodes) && !t.codes.contains_key(&hash) {
            // FAULT accept-unknown-codes: a code nobody issued is taken at its word.
            t.codes.insert(hash.clone(), made_up_code(req, redirect, now));
        }
        let Some(c) = t.codes.get_mut(&hash) else {
            return Err(refusal("code_unknown", "the code is unknown (never issued, or long expired)", OAuthError::invalid_grant("invalid authorization code")));
        };
        if c.used && !s.fault(Fault::ReusableCodes) {
            let revoked = match c.grant_id {
                Some(g) if !s.fault(Fault::NoRevokeOnCodeReuse) => t.revoke_grant(g, now, access_ttl),
                _ => false,
            };
            return Err(refusal(
                "code_reused",
                format!("the code was already used{}", if revoked { "; revoked the tokens it issued (RFC 6749 §4.1.2)" } else { "" }),
                OAuthError::invalid_grant("authorization code already used"),
            ));
        }
        if c.request.client_id != req.client_id() && !s.fault(Fault::CodesNotBoundToClient) {
            c.used = true;
            return Err(refusal(
                "code_client_mismatch",
                format!("the code was issued to {:?}, redeemed by {:?}; the code is burned", c.request.client_id, req.client_id()),
                OAuthError::invalid_grant("the code was not issued to this client"),
            ));
        }
        if c.expires_at <= now && !s.fault(Fault::IgnoreCodeExpiry) {
            c.used = true;
            return Err(refusal("code_expired", format!("the code expired {} s ago", now - c.expires_at), OAuthError::invalid_grant("authorization code expired")));
        }
        if c.request.issuer != req.issuer {
            return Err(refusal(
                "code_issuer_mismatch",
                format!("the code was issued by {}, redeemed at {}", c.request.issuer, req.issuer),
                OAuthError::invalid_grant("the code was issued by another issuer"),
            ));
        }
        let redirect_ok = match redirect {
            Some(r) => r == c.request.redirect_uri,
            None => !c.request.redirect_uri_sent,
        };
        if !redirect_ok && !s.fault(Fault::SkipTokenRedirectUriCheck) {
            c.used = true;
            return Err(refusal(
                "code_redirect_uri_mismatch",
                format!("redirect_uri at the token endpoint ({}) differs from the authorization request's ({}); the code is burned",
                    redirect.unwrap_or("none"), c.request.redirect_uri),
                OAuthError::invalid_grant("redirect_uri does not match the authorization request (RFC 6749 §4.1.3)"),
            ));
        }
        let skip = s.fault(Fault::SkipPkceCheck);
        match (&c.request.pkce, verifier) {
            (Some(_), None) if !skip => {
                c.used = true;
                return Err(refusal("pkce_verifier_missing", "the code has a code_challenge but the request has no code_verifier; the code is burned",
                    OAuthError::invalid_grant("code_verifier is required (RFC 7636 §4.5)")));
            }
            (Some(p), Some(v)) if !skip && !pkce::verifies(p, v) => {
                c.used = true;
                return Err(refusal("pkce_verifier_mismatch", "code_verifier does not match the code_challenge; the code is burned",
                    OAuthError::invalid_grant("code_verifier does not match the code_challenge (RFC 7636 §4.6)")));
            }
            (None, Some(_)) if !s.fault(Fault::AllowPkceDowngrade) && !skip => {
                c.used = true;
                return Err(refusal("pkce_downgrade", "code_verifier sent for a code issued without code_challenge (PKCE downgrade); the code is burned",
                    OAuthError::invalid_grant("code_verifier was sent but the authorization request had no code_challenge (RFC 9700 §2.1.1)")));
            }
            _ => {}
        }
        if let Some(bound) = &c.request.dpop_jkt
            && req.jkt() != Some(bound.as_str())
            && !s.fault(Fault::DpopIgnoreDpopJkt)
        {
            c.used = true;
            return Err(refusal(
                "dpop_jkt_mismatch",
                format!("the code is bound by dpop_jkt to another DPoP key ({}); the code is burned",
                    if req.jkt().is_some() { "the proof's key differs" } else { "the request has no proof" }),
                OAuthError::invalid_grant("the authorization code is bound to another DPoP key (dpop_jkt, RFC 9449 §10)"),
            ));
        }
        let resources: Vec<String> = if token_resources.is_empty() {
            c.request.resources.clone()
        } else if c.request.resources.is_empty() || s.fault(Fault::IgnoreResourceRestriction) {
            match check_resources(s, &req.client.client, &token_resources) {
                Ok(r) => r,
                Err(e) => return Err(refusal("resource_not_allowed", e.clone(), OAuthError::invalid_target(e))),
            }
        } else if let Some(bad) = token_resources.iter().find(|r| !c.request.resources.iter().any(|x| x == *r)) {
            return Err(refusal(
                "resource_not_granted",
                format!("resource {bad:?} was not part of the authorization request"),
                OAuthError::invalid_target(format!("resource {bad:?} was not authorized (RFC 8707 §2.2)")),
            ));
        } else {
            token_resources.iter().map(|r| r.to_string()).collect()
        };
        c.used = true;
        let snapshot = c.clone();
        let id = t.next_grant_id();
        if let Some(c) = t.codes.get_mut(&hash) {
            c.grant_id = Some(id);
        }
        t.grants.insert(id, Grant {
            id,
            client_id: snapshot.request.client_id.clone(),
            issuer: snapshot.request.issuer.clone(),
            user: Some(snapshot.user.clone()),
            scope: snapshot.request.scope.clone(),
            resources: if snapshot.request.resources.is_empty() { resources.clone() } else { snapshot.request.resources.clone() },
            auth_time: Some(snapshot.auth_time),
            revoked: false,
            refresh_current: None,
            refresh_replaced: None,
            dpop_jkt: req.refresh_jkt(),
            refresh_expires_at: now + s.config.tokens.refresh_token_ttl,
            access_jtis: Vec::new(),
        });
        Ok((snapshot, id, resources))
    });
    let (code_rec, grant_id, resources) =
        decided.map_err(|r| req.refuse(r.code, r.reason, r.error))?;
    if s.fault(Fault::ReusableCodes) || s.fault(Fault::SkipPkceCheck) {
        s.record(
            req.rid,
            Decision::info(
                ENDPOINT,
                "fault_active",
                "a code fault is on: this redemption may have skipped a check",
            )
            .client(req.client_id()),
        );
    }
    let Some(user) = s.registry.user(&code_rec.user) else {
        return Err(req.refuse(
            "user_gone",
            format!("user {} no longer exists", code_rec.user),
            OAuthError::invalid_grant("the user no longer exists"),
        ));
    };
    let response = issue::user_grant_response(
        s,
        UserGrant {
            issuer: &req.issuer,
            client: &req.client.client,
            user: &user,
            scope: &code_rec.request.scope,
            resources,
            nonce: code_rec.request.nonce.as_deref(),
            auth_time: code_rec.auth_time,
            grant_id,
            jkt: req.jkt(),
        },
    );
    s.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "token_issued",
            format!(
                "authorization_code: issued tokens to {} for {}",
                req.client_id(),
                user.config.username
            ),
        )
        .client(req.client_id())
        .user(&user.config.username)
        .detail("code", fingerprint(code)),
    );
    Ok(response)
}
