//! The refresh token grant (RFC 6749 §6, RFC 9700 §4.14): rotation on every use, replay of a
//! rotated token revokes the whole family (unless it comes back within
//! `tokens.refresh_reuse_grace`, when it is answered with its successor), tokens bound to their
//! client, no scope widening.

use axum::response::Response;

use crate::error::OAuthError;
use crate::faults::Fault;
use crate::grants::{Grant, ReplacedRefresh, hash_secret};
use crate::journal::Decision;
use crate::oauth::issue::{self, AccessGrant, IdTokenFor};
use crate::oauth::scope;
use crate::oauth::token_request::{ENDPOINT, TokenRequest};

pub fn refresh(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    let s = req.state;
    let token = req.params.get("refresh_token")?.ok_or_else(|| {
        req.refuse(
            "refresh_token_missing",
            "refresh_token grant without refresh_token",
            OAuthError::invalid_request("missing parameter refresh_token"),
        )
    })?;
    let requested_scope = match req.params.get("scope")?.map(scope::parse) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            return Err(req.refuse("scope_malformed", e.clone(), OAuthError::invalid_scope(e)));
        }
    };
    let requested_resources = req.params.all("resource");
    let now = s.now();
    let hash = hash_secret(token);
    let access_ttl = s.config.tokens.access_token_ttl;
    let rotate = !s.fault(Fault::NoRefreshRotation);

    let grace = s.config.tokens.refresh_reuse_grace;
    // Ok((grant, Some(successor))) when a replaced refresh token came back within its grace.
    type Decided = Result<(Grant, Option<String>), (&'static str, String, OAuthError)>;
    let decided: Decided = s.grants.with(|t| {
        let Some(&gid) = t.refresh_tokens.get(&hash) else {
            return Err(("refresh_unknown", "the refresh token is unknown".into(), OAuthError::invalid_grant("invalid refresh token")));
        };
        let Some(g) = t.grants.get(&gid).cloned() else {
            return Err(("refresh_unknown", "the refresh token's grant is gone".into(), OAuthError::invalid_grant("invalid refresh token")));
        };
        if g.client_id != req.client_id() && !s.fault(Fault::RefreshNotBoundToClient) {
            return Err((
                "refresh_client_mismatch",
                format!("the refresh token was issued to {:?}, presented by {:?}", g.client_id, req.client_id()),
                OAuthError::invalid_grant("the refresh token was not issued to this client"),
            ));
        }
        if g.issuer != req.issuer {
            return Err((
                "refresh_issuer_mismatch",
                format!("the refresh token was issued by {}, presented at {}", g.issuer, req.issuer),
                OAuthError::invalid_grant("the refresh token was issued by another issuer"),
            ));
        }
        if g.revoked {
            return Err(("refresh_revoked", "the refresh token's grant was revoked".into(), OAuthError::invalid_grant("the refresh token was revoked")));
        }
        let replaced_within_grace = g
            .refresh_replaced
            .as_ref()
            .filter(|r| r.hash == hash && now <= r.until)
            .map(|r| r.successor.clone());
        if g.refresh_current.as_deref() != Some(hash.as_str())
            && replaced_within_grace.is_none()
            && !s.fault(Fault::AllowRefreshReplay)
        {
            t.revoke_grant(gid, now, access_ttl);
            return Err((
                "refresh_replayed",
                "a rotated-out refresh token was used again: revoked the whole token family (RFC 9700 §4.14.2)".into(),
                OAuthError::invalid_grant("the refresh token was already used"),
            ));
        }
        if g.refresh_expires_at <= now {
            return Err(("refresh_expired", "the refresh token expired".into(), OAuthError::invalid_grant("the refresh token expired")));
        }
        if let Some(bound) = &g.dpop_jkt
            && req.jkt() != Some(bound.as_str())
        {
            let reason = match req.jkt() {
                None => "the refresh token is bound to a DPoP key and the request has no DPoP proof (RFC 9449 §5)",
                Some(_) => "the refresh token is bound to another DPoP key than this proof's (RFC 9449 §5)",
            };
            return Err(("refresh_dpop_binding", reason.into(), OAuthError::invalid_dpop_proof(reason)));
        }
        Ok((g, replaced_within_grace))
    });
    let (grant, successor) =
        decided.map_err(|(code, reason, err)| req.refuse(code, reason, err))?;

    let scope_list = match requested_scope {
        None => grant.scope.clone(),
        Some(req_scope) => {
            let wider = scope::not_in(&req_scope, &grant.scope);
            if !wider.is_empty() && !s.fault(Fault::AllowScopeWidening) {
                let msg = format!("scope beyond the original grant: {}", wider.join(" "));
                return Err(req.refuse(
                    "refresh_scope_widening",
                    msg.clone(),
                    OAuthError::invalid_scope(format!("{msg} (RFC 6749 §6)")),
                ));
            }
            req_scope
        }
    };
    let resources: Vec<String> = if requested_resources.is_empty() {
        grant.resources.clone()
    } else if let Some(bad) = requested_resources
        .iter()
        .find(|r| !grant.resources.iter().any(|x| x == *r))
        && !s.fault(Fault::IgnoreResourceRestriction)
    {
        let msg = format!("resource {bad:?} was not part of the original grant (RFC 8707 §2.2)");
        return Err(req.refuse(
            "resource_not_granted",
            msg.clone(),
            OAuthError::invalid_target(msg),
        ));
    } else {
        requested_resources.iter().map(|r| r.to_string()).collect()
    };
    let user = match &grant.user {
        Some(u) => Some(s.registry.user(u).ok_or_else(|| {
            req.refuse(
                "user_gone",
                format!("user {u} no longer exists"),
                OAuthError::invalid_grant("the user no longer exists"),
            )
        })?),
        None => None,
    };
    let audience = if resources.is_empty() {
        vec![s.default_audience()]
    } else {
        resources
    };
    let scope_str = scope::join(&scope_list);
    let access = issue::access_token(
        s,
        &AccessGrant {
            issuer: &grant.issuer,
            client_id: &grant.client_id,
            user: user.as_deref(),
            subject: None,
            scope: &scope_str,
            audience: &audience,
            auth_time: grant.auth_time,
            jkt: req.jkt(),
        },
    );
    let id_token = match (&user, scope_list.iter().any(|x| x == "openid")) {
        (Some(u), true) => Some(issue::id_token(
            s,
            &IdTokenFor {
                issuer: &grant.issuer,
                client_id: &grant.client_id,
                user: u,
                scope: &scope_list,
                nonce: None,
                auth_time: grant.auth_time,
                access_token: &access.token,
            },
        )),
        _ => None,
    };
    // A replay within the grace is answered with the successor already issued: nothing rotates.
    let new_refresh = (rotate && successor.is_none()).then(|| issue::refresh_token(s));
    s.grants.with(|t| {
        t.attach(
            grant.id,
            &access.jti,
            new_refresh.as_deref().map(hash_secret),
            now,
        );
        if let (Some(new), Some(g)) = (&new_refresh, t.grants.get_mut(&grant.id))
            && grace > 0
        {
            g.refresh_replaced = Some(ReplacedRefresh {
                hash: hash.clone(),
                until: now + grace,
                successor: new.clone(),
            });
        }
    });
    s.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "token_refreshed",
            format!(
                "refresh_token: issued a new access token{}",
                if successor.is_some() {
                    " for a replaced refresh token within tokens.refresh_reuse_grace, with the refresh token that replaced it"
                } else if rotate {
                    " and rotated the refresh token"
                } else {
                    " (fault no-refresh-rotation: not rotated)"
                }
            ),
        )
        .client(req.client_id())
        .maybe_user(grant.user.as_deref()),
    );
    let refresh_out = new_refresh
        .as_deref()
        .or(successor.as_deref())
        .or(if rotate { None } else { Some(token) });
    Ok(issue::token_response(
        s,
        &access,
        &scope_str,
        refresh_out,
        id_token.as_deref(),
    ))
}
