//! What stands in front of rmcp at `/mcp`, in order: the `Origin` check (MCP transports: an
//! invalid Origin gets 403), the `MCP-Protocol-Version` check (an unsupported version gets 400),
//! the bearer token (header only, audience the canonical `/mcp` URL; 401 with
//! `resource_metadata` and `scope`, RFC 9728 §5.1), the session owner (a session id is not
//! authentication: another user's token cannot drive it), and the step-up (`write_note` without
//! `mcp:write` gets 403 `insufficient_scope`). Nothing reaches rmcp, and so no stream opens,
//! before all of them pass.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{PROTOCOL_VERSIONS, READ_SCOPE, WRITE_SCOPE, metadata_url, resource_url};
use crate::faults::Fault;
use crate::journal::Decision;
use crate::request_id::{RequestId, RequestTarget};
use crate::rs::token::{self, Refusal};
use crate::state::AppState;

const ENDPOINT: &str = "mcp";

/// The caller's token, for the one code path that must never use it: a fault forwarding it
/// upstream (token passthrough).
#[derive(Clone)]
pub struct InboundToken(pub String);
const SESSION_HEADER: &str = "mcp-session-id";

/// The `WWW-Authenticate` challenge of this server: `resource_metadata` (RFC 9728 §5.1) and the
/// scope needed, plus the error when a token was presented.
fn challenge(s: &AppState, error: Option<(&str, &str)>, scope: &str) -> String {
    let q = crate::bearer::quoted_value;
    let mut parts = vec!["Bearer realm=\"mcp\"".to_string()];
    if let Some((code, description)) = error {
        parts.push(format!("error=\"{code}\""));
        parts.push(format!("error_description=\"{}\"", q(description)));
    }
    // Fault mcp-omit-resource-metadata; or the variant that publishes it only at well-known URLs.
    if s.config.mcp.metadata_in_challenge
        && s.config.mcp.discovery.has_resource_metadata()
        && !s.fault(Fault::McpOmitResourceMetadata)
    {
        parts.push(format!("resource_metadata=\"{}\"", metadata_url(s)));
    }
    // A step-up challenge always names the scope; the variant without scope in the first
    // challenge leaves clients to the metadata's scopes_supported.
    let step_up = error.is_some_and(|(code, _)| code == "insufficient_scope");
    if s.config.mcp.scope_in_challenge || step_up {
        parts.push(format!("scope=\"{scope}\""));
    }
    parts.join(", ")
}

fn answer(status: StatusCode, www: Option<String>, body: Value) -> Response {
    let mut resp = (status, axum::Json(body)).into_response();
    if let Some(v) = www.and_then(|w| HeaderValue::from_str(&w).ok()) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

fn refuse(s: &AppState, rid: Option<u64>, code: &'static str, reason: String) {
    s.record(rid, Decision::refused(ENDPOINT, code, reason));
}

/// Origins allowed to call: the server's own (browsers send it for same-origin requests).
fn origin_allowed(s: &AppState, origin: &str) -> bool {
    url::Url::parse(&s.base_url).is_ok_and(|u| u.origin().ascii_serialization() == origin)
        || super::public_origin(s) == origin
}

/// The answer to a request that did not authenticate: 401 (400 for a malformed header) with
/// this server's challenge; `error` only when a token was presented (RFC 6750 §3.1).
pub fn challenge_response(s: &AppState, refusal: Refusal, scope: &str) -> Response {
    let (denied, reason) = match refusal {
        Refusal::Denied(d, _, reason) => (d, reason),
        Refusal::Crash(reason) => (crate::bearer::Denied::InvalidToken(reason.clone()), reason),
    };
    if let crate::bearer::Denied::Dpop(d) = &denied {
        let www = crate::bearer::dpop_challenge("mcp", d.error, &d.description, &d.algs);
        let resp = answer(
            StatusCode::UNAUTHORIZED,
            Some(www),
            json!({"error": d.error, "error_description": d.description}),
        );
        return crate::bearer::with_dpop_nonce(resp, &denied);
    }
    let (status, error) = match denied {
        crate::bearer::Denied::Malformed(_) => (StatusCode::BAD_REQUEST, Some("invalid_request")),
        crate::bearer::Denied::NoToken => (StatusCode::UNAUTHORIZED, None),
        _ => (StatusCode::UNAUTHORIZED, Some("invalid_token")),
    };
    let www = challenge(s, error.map(|e| (e, reason.as_str())), scope);
    answer(
        status,
        Some(www),
        json!({"error": error.unwrap_or("unauthorized"), "error_description": reason}),
    )
}

/// The middleware.
pub async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let rid = req.extensions().get::<RequestId>().map(|r| r.0);
    let headers = req.headers().clone();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && !origin_allowed(&s, origin)
        && !s.fault(Fault::McpSkipOriginCheck)
    {
        refuse(
            &s,
            rid,
            "origin_refused",
            format!("Origin {origin} is not this server's"),
        );
        return answer(
            StatusCode::FORBIDDEN,
            None,
            json!({"error": "forbidden", "error_description": format!("Origin {origin} may not call this server")}),
        );
    }
    if let Some(v) = headers.get("mcp-protocol-version") {
        let v = v.to_str().unwrap_or("");
        // rmcp refuses an unsupported version too; checking here first journals why.
        if !PROTOCOL_VERSIONS.contains(&v) {
            refuse(
                &s,
                rid,
                "bad_protocol_version",
                format!("MCP-Protocol-Version {v:?} is not supported"),
            );
            return answer(
                StatusCode::BAD_REQUEST,
                None,
                json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": format!("unsupported MCP-Protocol-Version {v:?}; supported: {}", PROTOCOL_VERSIONS.join(", "))}}),
            );
        }
    }
    // Fault mcp-sse-without-token: a GET stream opens for anyone.
    let is_stream = req.method() == axum::http::Method::GET;
    if is_stream
        && s.fault(Fault::McpSseWithoutToken)
        && !headers.contains_key(header::AUTHORIZATION)
    {
        return next.run(req).await;
    }
    let audience = resource_url(&s);
    // Fault mcp-no-audience-check: a token for any resource passes through.
    let audience = (!s.fault(Fault::McpNoAudienceCheck)).then_some(audience.as_str());
    // The path as the client sent it: behind `nest_service("/mcp")` the URI has lost `/mcp`,
    // and a DPoP proof's htu names the whole URL (RFC 9449 §4.3 item 9).
    let target = req
        .extensions()
        .get::<RequestTarget>()
        .cloned()
        .unwrap_or_else(|| RequestTarget {
            method: req.method().to_string(),
            path: req.uri().path().to_string(),
        });
    let principal = match token::authenticate_for(
        &s,
        &headers,
        None,
        &target,
        audience,
        Some(&super::trusted_issuer(&s)),
    ) {
        Ok(p) => p,
        Err(refusal) => {
            let (code, reason) = match &refusal {
                Refusal::Denied(_, code, reason) => (*code, reason.clone()),
                Refusal::Crash(reason) => ("malformed_token", reason.clone()),
            };
            refuse(&s, rid, code, reason);
            return challenge_response(&s, refusal, READ_SCOPE);
        }
    };
    if s.config.mcp.dpop_required && s.config.dpop.enabled && principal.dpop_jkt.is_none() {
        let reason = "this MCP server takes only DPoP-bound tokens (dpop_bound_access_tokens_required, RFC 9728 §2); get one with a DPoP proof at the token endpoint (RFC 9449 §5)".to_string();
        let denied = crate::bearer::Denied::Dpop(Box::new(crate::bearer::DpopDenial {
            error: "invalid_token",
            description: reason.clone(),
            algs: s.config.dpop.algs.join(" "),
            nonce: None,
        }));
        refuse(&s, rid, "dpop_required", reason.clone());
        return challenge_response(
            &s,
            Refusal::Denied(denied, "dpop_required", reason),
            READ_SCOPE,
        );
    }
    if !principal.has_scope(READ_SCOPE) {
        refuse(
            &s,
            rid,
            "insufficient_scope",
            format!("{} lacks {READ_SCOPE}", principal.sub),
        );
        let www = challenge(
            &s,
            Some(("insufficient_scope", "the MCP server needs mcp:read")),
            READ_SCOPE,
        );
        return answer(
            StatusCode::FORBIDDEN,
            Some(www),
            json!({"error": "insufficient_scope"}),
        );
    }
    if let Some(sid) = headers.get(SESSION_HEADER).and_then(|v| v.to_str().ok()) {
        let owner = s
            .mcp
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(sid)
            .cloned();
        if let Some(owner) = owner
            && owner != principal.sub
            && !s.fault(Fault::McpSessionAnyUser)
        {
            refuse(
                &s,
                rid,
                "session_of_another_user",
                format!("{} presented a session opened by {owner}", principal.sub),
            );
            return answer(
                StatusCode::NOT_FOUND,
                None,
                json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32001, "message": "session not found"}}),
            );
        }
    }
    let (mut parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, s.config.limits.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": "request too large"}}),
            );
        }
    };
    let unsatisfiable = s.config.mcp.step_up_unsatisfiable;
    if needs_write(&s, &bytes)
        && (unsatisfiable || !principal.has_scope(WRITE_SCOPE))
        && !s.fault(Fault::McpNoStepUp)
    {
        refuse(
            &s,
            rid,
            "insufficient_scope",
            if unsatisfiable {
                format!(
                    "{} called a write tool; step_up_unsatisfiable refuses every scope",
                    principal.sub
                )
            } else {
                format!(
                    "{} called a write tool without {WRITE_SCOPE}",
                    principal.sub
                )
            },
        );
        let www = challenge(
            &s,
            Some(("insufficient_scope", "this tool needs mcp:write")),
            &format!("{READ_SCOPE} {WRITE_SCOPE}"),
        );
        return answer(
            StatusCode::FORBIDDEN,
            Some(www),
            json!({"error": "insufficient_scope", "scope": format!("{READ_SCOPE} {WRITE_SCOPE}")}),
        );
    }
    let sub = principal.sub.clone();
    parts.extensions.insert(principal);
    if let Ok(t) = crate::bearer::from_header(&headers) {
        parts.extensions.insert(InboundToken(t.to_string()));
    }
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    remember_session(&s, &headers, &resp, sub);
    resp
}

/// Whether a JSON-RPC body calls one of the write tools (alone or in a batch).
fn needs_write(s: &AppState, body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let calls = |m: &Value| {
        m.get("method").and_then(Value::as_str) == Some("tools/call")
            && m.pointer("/params/name")
                .and_then(Value::as_str)
                .is_some_and(|t| s.config.mcp.write_tools.iter().any(|w| w == t))
    };
    match &v {
        Value::Array(a) => a.iter().any(calls),
        m => calls(m),
    }
}

/// A session rmcp just opened belongs to the caller who opened it.
fn remember_session(s: &AppState, request: &HeaderMap, resp: &Response, sub: String) {
    if request.contains_key(SESSION_HEADER) {
        return;
    }
    if let Some(sid) = resp
        .headers()
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        s.mcp
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sid.to_string(), sub);
    }
}
