//! `GET /api/me`, the Authlib demo server's resource: `{"id", "username"}` for a bearer token
//! with scope `profile` whose audience is this API. A resource server, not part of the AS.

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::bearer::{self, Denied};
use crate::journal::Decision;
use crate::request_id::RequestId;
use crate::state::AppState;

const ENDPOINT: &str = "api_me";

pub async fn me(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
) -> Response {
    let audience = s.default_audience();
    let refuse = |code: &'static str, reason: String, d: Denied| {
        s.record(Some(rid.0), Decision::refused(ENDPOINT, code, reason));
        bearer::challenge(&audience, &d)
    };
    let token = match bearer::from_header(&headers) {
        Ok(t) => t,
        Err(d) => return refuse("bearer_missing", "no usable bearer token".into(), d),
    };
    let info = match bearer::validate_as_bearer(&s, token) {
        Ok(i) => i,
        Err(r) => return refuse("invalid_token", r.clone(), Denied::InvalidToken(r)),
    };
    if !info.audience.contains(&audience) {
        let r = format!(
            "the token's audience {:?} does not include {audience}",
            info.audience
        );
        return refuse("wrong_audience", r.clone(), Denied::InvalidToken(r));
    }
    if !info.has_scope("profile") {
        return refuse(
            "insufficient_scope",
            "the token lacks scope profile".into(),
            Denied::InsufficientScope("profile".into()),
        );
    }
    let Some(user) = s.registry.user(&info.sub) else {
        return refuse(
            "not_a_user",
            "the token's subject is not a user".into(),
            Denied::InvalidToken("the token does not belong to a user".into()),
        );
    };
    s.record(
        Some(rid.0),
        Decision::accepted(ENDPOINT, "me_served", "served /api/me")
            .client(&info.client_id)
            .user(&info.sub),
    );
    Json(json!({ "id": user.id, "username": user.config.username })).into_response()
}
