//! Token revocation (RFC 7009): refresh tokens revoke their whole grant (and its access tokens,
//! §2.1), access tokens are revoked by `jti`. Unknown tokens answer 200 (§2.2); a token issued to
//! another client is refused.

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::bearer;
use crate::error::{OAuthError, no_store};
use crate::faults::Fault;
use crate::grants::hash_secret;
use crate::journal::Decision;
use crate::oauth::client_auth;
use crate::params::form_body;
use crate::request_id::RequestId;
use crate::state::AppState;

const ENDPOINT: &str = "revoke";

pub async fn revoke(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&s, Some(rid.0), &headers, &body) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn ok() -> Response {
    let mut r = StatusCode::OK.into_response();
    no_store(&mut r);
    r
}

fn handle(
    s: &AppState,
    rid: Option<u64>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let params = form_body(headers, body).map_err(|e| {
        s.refuse(
            rid,
            Decision::refused(ENDPOINT, "malformed_request", e.description.clone()),
            e.clone(),
        )
    })?;
    let client = client_auth::authenticate(s, rid, ENDPOINT, headers, &params)?.client;
    let cid = client.client_id.clone();
    let Some(token) = params.get("token")? else {
        return Err(s.refuse(
            rid,
            Decision::refused(
                ENDPOINT,
                "token_missing",
                "revocation request without token",
            )
            .client(&cid),
            OAuthError::invalid_request("missing parameter token"),
        ));
    };
    // RFC 7009 §2.1: the hint is only a hint; an unknown value is ignored like a wrong one.
    let _hint = params.get("token_type_hint")?;
    let now = s.now();
    let access_ttl = s.config.tokens.access_token_ttl;
    let noop = s.fault(Fault::RevocationNoop);
    // The hint only speeds up the lookup (RFC 7009 §2.1); both kinds are always tried.
    let refresh_owner = s.grants.with(|t| {
        let gid = *t.refresh_tokens.get(&hash_secret(token))?;
        let owner = t.grants.get(&gid)?.client_id.clone();
        if owner == cid && !noop {
            t.revoke_grant(gid, now, access_ttl);
        }
        Some(owner)
    });
    if let Some(owner) = refresh_owner {
        return finish(s, rid, &cid, &owner, "refresh token (and its grant)", noop);
    }
    if let Ok(info) = bearer::validate(s, token) {
        if info.client_id == cid && !noop {
            let jti = info
                .claims
                .get("jti")
                .and_then(|j| j.as_str())
                .unwrap_or_default()
                .to_string();
            let exp = info
                .claims
                .get("exp")
                .and_then(|e| e.as_i64())
                .unwrap_or(now);
            s.grants.with(|t| t.revoked_jtis.insert(jti, exp));
        }
        return finish(s, rid, &cid, &info.client_id, "access token", noop);
    }
    s.record(
        rid,
        Decision::accepted(
            ENDPOINT,
            "token_unknown",
            "revocation of an unknown or already invalid token: nothing to do (RFC 7009 §2.2)",
        )
        .client(&cid),
    );
    Ok(ok())
}

fn finish(
    s: &AppState,
    rid: Option<u64>,
    cid: &str,
    owner: &str,
    what: &str,
    noop: bool,
) -> Result<Response, OAuthError> {
    if owner != cid {
        return Err(s.refuse(
            rid,
            Decision::refused(
                ENDPOINT,
                "revoke_foreign_token",
                format!("{cid:?} tried to revoke a {what} issued to {owner:?}"),
            )
            .client(cid),
            OAuthError::unauthorized_client(
                "the token was not issued to this client (RFC 7009 §2.1)",
            ),
        ));
    }
    let reason = if noop {
        format!("fault revocation-noop: answered 200 but did not revoke the {what}")
    } else {
        format!("revoked the {what}")
    };
    s.record(
        rid,
        Decision::accepted(ENDPOINT, "token_revoked", reason).client(cid),
    );
    Ok(ok())
}
