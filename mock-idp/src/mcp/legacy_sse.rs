//! The legacy HTTP+SSE transport's endpoints (`GET /sse`, `POST /messages`, MCP 2024-11-05,
//! deprecated). That transport carries no authorization of its own, so this server, which
//! requires authorization, refuses it: without a valid token a 401 challenge and no stream;
//! with one, 404 naming the streamable HTTP endpoint to use instead. Every attempt is journaled
//! (a client that falls back here after a 401 on `/mcp` shows up).

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::guard::challenge_response;
use super::{READ_SCOPE, resource_url};
use crate::faults::Fault;
use crate::journal::Decision;
use crate::request_id::{RequestId, RequestTarget};
use crate::rs::token;
use crate::state::AppState;

const ENDPOINT: &str = "mcp_legacy_sse";

async fn refuse(s: AppState, rid: RequestId, headers: HeaderMap, what: &str) -> Response {
    // Fault mcp-legacy-sse-open: the forgotten legacy endpoint streams to anyone.
    if what == "GET /sse"
        && s.fault(Fault::McpLegacySseOpen)
        && !headers.contains_key(header::AUTHORIZATION)
    {
        s.record(
            Some(rid.0),
            Decision::accepted(
                ENDPOINT,
                "legacy_stream_opened",
                "GET /sse opened without a token",
            ),
        );
        return (
            [(header::CONTENT_TYPE, "text/event-stream")],
            "event: endpoint\ndata: /messages?session_id=open\n\n",
        )
            .into_response();
    }
    let audience = resource_url(&s);
    let (method, path) = what.split_once(' ').unwrap_or(("GET", what));
    let target = RequestTarget {
        method: method.into(),
        path: path.into(),
    };
    match token::authenticate_for(
        &s,
        &headers,
        None,
        &target,
        Some(&audience),
        Some(&super::trusted_issuer(&s)),
    ) {
        Err(refusal) => {
            s.record(
                Some(rid.0),
                Decision::refused(
                    ENDPOINT,
                    "legacy_without_token",
                    format!("{what} without a valid token"),
                ),
            );
            challenge_response(&s, refusal, READ_SCOPE)
        }
        Ok(p) => {
            s.record(
                Some(rid.0),
                Decision::refused(
                    ENDPOINT,
                    "legacy_transport_refused",
                    format!("{what}: the HTTP+SSE transport is not served"),
                )
                .user(&p.sub),
            );
            (
                StatusCode::NOT_FOUND,
                Json(json!({
                    "error": "legacy_transport_unsupported",
                    "error_description": format!("the HTTP+SSE transport (2024-11-05) is not served; use streamable HTTP at {audience}"),
                })),
            )
                .into_response()
        }
    }
}

pub async fn sse(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
) -> Response {
    refuse(s, rid, headers, "GET /sse").await
}

pub async fn messages(
    State(s): State<AppState>,
    Extension(rid): Extension<RequestId>,
    headers: HeaderMap,
) -> Response {
    refuse(s, rid, headers, "POST /messages").await
}
