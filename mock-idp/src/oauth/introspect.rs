//! Token introspection (RFC 7662): only authenticated confidential clients may ask (§2.1); an
//! expired, revoked, unknown or foreign token is exactly `{"active": false}` (§2.2).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::bearer;
use crate::error::{OAuthError, no_store};
use crate::faults::Fault;
use crate::grants::hash_secret;
use crate::journal::Decision;
use crate::oauth::client_auth;
use crate::params::form_body;
use crate::request_id::RequestId;
use crate::state::AppState;

const ENDPOINT: &str = "introspect";

pub async fn introspect(
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
    let caller = if s.fault(Fault::IntrospectWithoutAuth) {
        client_auth::authenticate(s, rid, ENDPOINT, headers, &params)
            .ok()
            .map(|c| c.client.client_id.clone())
    } else {
        let c = client_auth::authenticate(s, rid, ENDPOINT, headers, &params)?;
        if c.client.is_public() {
            return Err(s.refuse(
                rid,
                Decision::refused(
                    ENDPOINT,
                    "public_client_introspection",
                    "a public client cannot authenticate for introspection",
                )
                .client(&c.client.client_id),
                OAuthError::invalid_client(
                    "introspection requires an authenticated confidential client (RFC 7662 §2.1)",
                    false,
                ),
            ));
        }
        Some(c.client.client_id.clone())
    };
    let Some(token) = params.get("token")? else {
        return Err(s.refuse(
            rid,
            Decision::refused(
                ENDPOINT,
                "token_missing",
                "introspection request without token",
            )
            .maybe_client(caller.as_deref()),
            OAuthError::invalid_request("missing parameter token"),
        ));
    };
    let answer = describe(s, token);
    let active = answer["active"] == json!(true);
    s.record(
        rid,
        Decision::accepted(
            ENDPOINT,
            if active {
                "token_active"
            } else {
                "token_inactive"
            },
            format!(
                "introspection: token is {}",
                if active { "active" } else { "not active" }
            ),
        )
        .maybe_client(caller.as_deref()),
    );
    let mut r = Json(answer).into_response();
    no_store(&mut r);
    Ok(r)
}

fn describe(s: &AppState, token: &str) -> Value {
    let now = s.now();
    let refresh = s.grants.with(|t| {
        let gid = *t.refresh_tokens.get(&hash_secret(token))?;
        let g = t.grants.get(&gid)?;
        let live = !g.revoked
            && g.refresh_current.as_deref() == Some(hash_secret(token).as_str())
            && g.refresh_expires_at > now;
        Some(live.then(|| {
            json!({
                "active": true,
                "token_type": "refresh_token",
                "client_id": g.client_id,
                "scope": g.scope.join(" "),
                "sub": g.user.clone().unwrap_or_else(|| g.client_id.clone()),
                "username": g.user,
                "iss": g.issuer,
                "exp": g.refresh_expires_at,
            })
        }))
    });
    if let Some(found) = refresh {
        return found.unwrap_or_else(|| json!({"active": false}));
    }
    match bearer::validate(s, token) {
        Ok(info) => {
            let c = &info.claims;
            let mut out = json!({
                "active": true,
                "token_type": "Bearer",
                "client_id": info.client_id,
                "scope": info.scope.join(" "),
                "sub": info.sub,
                "aud": c["aud"],
                "iss": c["iss"],
                "exp": c["exp"],
                "iat": c["iat"],
                "jti": c["jti"],
            });
            if let Some(u) = c.get("preferred_username") {
                out["username"] = u.clone();
            }
            // RFC 9449 §6.2: the binding, and "If the token_type member is included in the
            // introspection response, it MUST contain the value DPoP."
            if let Some(cnf) = c.get("cnf").filter(|_| crate::dpop::bound_jkt(c).is_some()) {
                out["cnf"] = cnf.clone();
                out["token_type"] = json!("DPoP");
            }
            out
        }
        Err(_) => json!({"active": false}),
    }
}
