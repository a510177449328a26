//! The protected MCP server at `/mcp` (streamable HTTP, served by rmcp): an OAuth 2.1 resource
//! server per the MCP authorization spec. It publishes protected resource metadata (RFC 9728) at
//! the path-inserted and the root well-known URLs, answers 401 with `resource_metadata` and
//! `scope`, accepts only tokens whose audience is its canonical URL `{base}/mcp` (RFC 8707; no
//! token passthrough), steps up with 403 `insufficient_scope`, validates `Origin` and
//! `MCP-Protocol-Version`, and binds each session to the user who opened it.
//!
//! The legacy HTTP+SSE transport (`/sse`, `/messages`) is refused (`legacy_sse`).
//!
//! This module owns the routes; the session owners are in `crate::store::mcp`. `guard` enforces
//! all of the above in front of rmcp; `tools` are what an authorized caller reaches.

pub mod guard;
mod legacy_sse;
mod tools;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, middleware};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::json;

use crate::faults::Fault;
use crate::state::AppState;

/// The scope every MCP request needs.
pub const READ_SCOPE: &str = "mcp:read";
/// The scope `write_note` needs besides (step-up).
pub const WRITE_SCOPE: &str = "mcp:write";
/// The MCP revisions this server speaks (`MCP-Protocol-Version`).
pub const PROTOCOL_VERSIONS: [&str; 5] = [
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
    "2026-07-28",
];

/// The canonical URL of the MCP server (RFC 8707 resource, PRM `resource`).
pub fn resource_url(s: &AppState) -> String {
    s.mcp_resource()
}

/// The origin clients reach the MCP server at.
pub fn public_origin(s: &AppState) -> String {
    url::Url::parse(&resource_url(s))
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| s.base_url.clone())
}

/// The issuer whose tokens the MCP server accepts: the authorization server its metadata names
/// first (the root issuer, or the configured tenant's path issuer).
pub fn trusted_issuer(s: &AppState) -> String {
    match &s.config.mcp.authorization_server {
        Some(tenant) => format!("{}/{tenant}", s.base_url),
        None => s.base_url.clone(),
    }
}

/// Where the metadata lives when it is not at the well-known URLs (only the challenge names it;
/// RFC 9728 §5.1 allows any URL there).
pub const CUSTOM_METADATA_PATH: &str = "/mcp-metadata/protected-resource.json";

/// The protected resource metadata URL the challenge names: RFC 9728 §3.1 path insertion, or
/// the custom location when the well-known URLs are off.
pub fn metadata_url(s: &AppState) -> String {
    if !s.config.mcp.metadata_at_well_known {
        return format!("{}{CUSTOM_METADATA_PATH}", public_origin(s));
    }
    let u = url::Url::parse(&resource_url(s)).expect("the base URL is a URL");
    format!(
        "{}/.well-known/oauth-protected-resource{}",
        u.origin().ascii_serialization(),
        u.path()
    )
}

/// The routes: `/mcp` behind the guard, and the metadata documents.
pub fn routes(state: AppState) -> Router<AppState> {
    let hosts: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .into_iter()
        .map(String::from)
        .chain(
            url::Url::parse(&state.base_url)
                .ok()
                .and_then(|u| u.host_str().map(String::from)),
        )
        .collect();
    let factory_state = state.clone();
    let service = StreamableHttpService::new(
        move || Ok(tools::Tools::new(factory_state.clone())),
        LocalSessionManager::default().into(),
        StreamableHttpServerConfig::default()
            .with_allowed_hosts(hosts)
            .with_sse_keep_alive(None)
            .with_cancellation_token(state.mcp.shutdown.child_token()),
    );
    let metadata = format!(
        "/.well-known/oauth-protected-resource{}",
        url::Url::parse(&resource_url(&state))
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| "/mcp".into())
    );
    let router = Router::new()
        .nest_service(
            "/mcp",
            tower::ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
                .service(service),
        )
        .route("/sse", get(legacy_sse::sse))
        .route("/messages", axum::routing::post(legacy_sse::messages));
    // MCP 2025-03-26 had no protected resource metadata.
    if !state.config.mcp.discovery.has_resource_metadata() {
        return router;
    }
    if !state.config.mcp.metadata_at_well_known {
        return router.route(CUSTOM_METADATA_PATH, get(protected_resource_metadata));
    }
    router
        .route(&metadata, get(protected_resource_metadata))
        .route(
            "/.well-known/oauth-protected-resource",
            get(protected_resource_metadata),
        )
}

/// RFC 9728 §2-§3: the MCP server's protected resource metadata.
async fn protected_resource_metadata(State(s): State<AppState>) -> Response {
    // Fault mcp-prm-wrong-resource: the document names another resource.
    let m = &s.config.mcp;
    let resource = if s.fault(Fault::McpPrmWrongResource) {
        format!("{}/not-mcp", s.base_url)
    } else {
        m.resource.clone().unwrap_or_else(|| resource_url(&s))
    };
    let issuer = trusted_issuer(&s);
    let servers: Vec<&str> = std::iter::once(issuer.as_str())
        .chain(m.extra_authorization_servers.iter().map(String::as_str))
        .collect();
    let mut doc = json!({
        "resource": resource,
        "authorization_servers": servers,
        "bearer_methods_supported": ["header"],
        "resource_name": "mock-idp MCP server",
    });
    if m.scopes_in_metadata {
        doc["scopes_supported"] = json!([READ_SCOPE, WRITE_SCOPE]);
    }
    if s.config.dpop.enabled {
        // RFC 9728 §2: the server takes DPoP-bound tokens (bearer ones too: not required).
        doc["dpop_signing_alg_values_supported"] = json!(s.config.dpop.algs);
        if m.dpop_required {
            doc["dpop_bound_access_tokens_required"] = json!(true);
        }
    }
    Json(doc).into_response()
}
