//! Polling with a device code (RFC 8628 §3.4, §3.5): `authorization_pending` until the user
//! answers, `slow_down` (and a longer interval) when polled too fast, `access_denied`,
//! `expired_token`, then tokens exactly once.

use axum::response::Response;

use crate::error::OAuthError;
use crate::faults::Fault;
use crate::grants::{DeviceStatus, Grant, hash_secret};
use crate::journal::Decision;
use crate::oauth::issue::{self, UserGrant};
use crate::oauth::token_request::{ENDPOINT, TokenRequest};

enum Poll {
    Approved {
        user: String,
        scope: Vec<String>,
        resources: Vec<String>,
        grant_id: u64,
    },
}

pub fn poll(req: &TokenRequest<'_>) -> Result<Response, OAuthError> {
    let s = req.state;
    let code = req.params.get("device_code")?.ok_or_else(|| {
        req.refuse(
            "device_code_missing",
            "device_code grant without device_code",
            OAuthError::invalid_request("missing parameter device_code"),
        )
    })?;
    let now = s.now();
    let hash = hash_secret(code);
    let err = |e: &'static str, d: &str| OAuthError::new(axum::http::StatusCode::BAD_REQUEST, e, d);
    let decided: Result<Poll, (&'static str, String, OAuthError)> = s.grants.with(|t| {
        let Some(d) = t.devices.get_mut(&hash) else {
            return Err((
                "device_code_unknown",
                "the device code is unknown".into(),
                OAuthError::invalid_grant("invalid device code"),
            ));
        };
        if d.client_id != req.client_id() {
            return Err((
                "device_client_mismatch",
                format!(
                    "device code of {:?} polled by {:?}",
                    d.client_id,
                    req.client_id()
                ),
                OAuthError::invalid_grant("the device code was not issued to this client"),
            ));
        }
        if d.issuer != req.issuer {
            return Err((
                "device_issuer_mismatch",
                format!(
                    "the device code was issued by {}, polled at {}",
                    d.issuer, req.issuer
                ),
                OAuthError::invalid_grant("the device code was issued by another issuer"),
            ));
        }
        if d.expires_at <= now {
            return Err((
                "device_expired",
                "the device code expired".into(),
                err(
                    "expired_token",
                    "the device code has expired (RFC 8628 §3.5)",
                ),
            ));
        }
        let too_fast = d.last_poll.is_some_and(|last| now - last < d.interval);
        d.last_poll = Some(now);
        if too_fast && !s.fault(Fault::DeviceNoSlowDown) && d.status == DeviceStatus::Pending {
            d.interval += 5;
            return Err((
                "device_slow_down",
                format!(
                    "polled faster than the interval; interval is now {} s",
                    d.interval
                ),
                err(
                    "slow_down",
                    "polling too fast; add 5 seconds to the interval (RFC 8628 §3.5)",
                ),
            ));
        }
        match d.status.clone() {
            DeviceStatus::Pending => Err((
                "device_pending",
                "the user has not answered yet".into(),
                err("authorization_pending", "the user has not answered yet"),
            )),
            DeviceStatus::Denied => Err((
                "device_denied",
                "the user denied the device".into(),
                err("access_denied", "the user denied the request"),
            )),
            DeviceStatus::Consumed => Err((
                "device_code_used",
                "the device code was already exchanged".into(),
                OAuthError::invalid_grant("the device code was already used"),
            )),
            DeviceStatus::Approved(user) => {
                d.status = DeviceStatus::Consumed;
                let (scope, resources, issuer, client_id) = (
                    d.scope.clone(),
                    d.resources.clone(),
                    d.issuer.clone(),
                    d.client_id.clone(),
                );
                let id = t.next_grant_id();
                t.grants.insert(
                    id,
                    Grant {
                        id,
                        client_id,
                        issuer,
                        user: Some(user.clone()),
                        scope: scope.clone(),
                        resources: resources.clone(),
                        auth_time: Some(now),
                        revoked: false,
                        refresh_current: None,
                        refresh_replaced: None,
                        dpop_jkt: req.refresh_jkt(),
                        refresh_expires_at: now + s.config.tokens.refresh_token_ttl,
                        access_jtis: Vec::new(),
                    },
                );
                Ok(Poll::Approved {
                    user,
                    scope,
                    resources,
                    grant_id: id,
                })
            }
        }
    });
    let Poll::Approved {
        user,
        scope: scope_list,
        resources,
        grant_id,
    } = decided.map_err(|(c, r, e)| req.refuse(c, r, e))?;
    let user = s.registry.user(&user).ok_or_else(|| {
        req.refuse(
            "user_gone",
            "the user no longer exists",
            OAuthError::invalid_grant("the user no longer exists"),
        )
    })?;
    let response = issue::user_grant_response(
        s,
        UserGrant {
            issuer: &req.issuer,
            client: &req.client.client,
            user: &user,
            scope: &scope_list,
            resources,
            nonce: None,
            auth_time: now,
            grant_id,
            jkt: req.jkt(),
        },
    );
    s.record(
        req.rid,
        Decision::accepted(
            ENDPOINT,
            "token_issued",
            format!("device_code: issued tokens for {}", user.config.username),
        )
        .client(req.client_id())
        .user(&user.config.username),
    );
    Ok(response)
}
