//! The UserInfo endpoint (OIDC Core §5.3): claims about the user a bearer token with `openid`
//! scope belongs to. Errors are RFC 6750 challenges.

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::bearer::{self, Denied};
use crate::journal::Decision;
use crate::oauth::issue::user_claims;
use crate::request_id::RequestId;
use crate::state::{AppState, Tenant};

/// `GET` or `POST /userinfo`.
pub async fn userinfo(
    State(s): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
) -> Response {
    let realm = s.issuer_for(&tenant, &headers);
    let refuse = |code: &'static str, d: Denied| {
        let reason = match &d {
            Denied::NoToken => "no bearer token".to_string(),
            Denied::Malformed(r) | Denied::InvalidToken(r) => r.clone(),
            Denied::InsufficientScope(sc) => format!("the token lacks scope {sc}"),
            Denied::Dpop(d) => d.description.clone(),
        };
        s.record(Some(rid.0), Decision::refused("userinfo", code, reason));
        bearer::challenge(&realm, &d)
    };
    let token = match bearer::from_header(&headers) {
        Ok(t) => t,
        Err(d) => return refuse("bearer_missing", d),
    };
    let info = match bearer::validate_as_bearer(&s, token) {
        Ok(i) => i,
        Err(reason) => return refuse("invalid_token", Denied::InvalidToken(reason)),
    };
    if !info.has_scope("openid") {
        return refuse(
            "insufficient_scope",
            Denied::InsufficientScope("openid".into()),
        );
    }
    let Some(user) = s.registry.user(&info.sub) else {
        return refuse(
            "invalid_token",
            Denied::InvalidToken("the token's subject is not a user".into()),
        );
    };
    let mut claims = json!({ "sub": user.config.username });
    user_claims(&mut claims, &user, &info.scope);
    s.record(
        Some(rid.0),
        Decision::accepted("userinfo", "userinfo_served", "served user claims")
            .client(&info.client_id)
            .user(&info.sub),
    );
    Json(claims).into_response()
}
