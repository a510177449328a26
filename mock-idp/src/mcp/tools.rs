//! The MCP server's tools, served by rmcp: `whoami` and `test-tool` (the name the MCP
//! conformance clients call; the same answer) (the caller's `sub`, scopes and client id,
//! each call journaled, so a test can see whose token reached the tool) and `write_note` (needs
//! the write scope: the step-up case). The caller is the [`Principal`] the guard put in the
//! request's extensions; a tool never sees the token itself.

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{ServerCapabilities, ServerConfig};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, schemars, tool, tool_handler, tool_router};
use serde_json::json;

use crate::journal::Decision;
use crate::rs::Principal;
use crate::state::AppState;

const ENDPOINT: &str = "mcp_tool";

/// One MCP server instance (rmcp makes one per session).
#[derive(Clone)]
pub struct Tools {
    state: AppState,
    tool_router: ToolRouter<Self>,
}

impl Tools {
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            tool_router: Self::tool_router(),
        }
    }

    fn caller(ctx: &RequestContext<RoleServer>) -> Option<Principal> {
        ctx.extensions
            .get::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<Principal>())
            .cloned()
    }

    fn record(&self, p: &Principal, tool: &'static str) {
        self.state.record(
            None,
            Decision::accepted(ENDPOINT, tool, format!("{} called {tool}", p.sub))
                .user(&p.sub)
                .maybe_client(p.client_id.as_deref()),
        );
    }
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
pub struct Upstream {
    /// A loopback http URL the server calls with its own credential.
    pub url: String,
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
pub struct Note {
    /// The note's text.
    pub text: String,
}

#[tool_router]
impl Tools {
    #[tool(description = "Who is calling: the token's subject, scopes and client id")]
    fn whoami(&self, ctx: RequestContext<RoleServer>) -> String {
        let Some(p) = Self::caller(&ctx) else {
            return json!({"error": "no authenticated caller"}).to_string();
        };
        self.record(&p, "whoami");
        json!({"sub": p.sub, "scope": p.scopes.join(" "), "client_id": p.client_id}).to_string()
    }

    /// The tool the MCP conformance suite's clients call (`test-tool`): here, `whoami` again.
    #[tool(
        name = "test-tool",
        description = "The tool MCP conformance clients call: answers like whoami"
    )]
    fn test_tool(&self, ctx: RequestContext<RoleServer>) -> String {
        let Some(p) = Self::caller(&ctx) else {
            return json!({"error": "no authenticated caller"}).to_string();
        };
        self.record(&p, "test-tool");
        json!({"sub": p.sub, "scope": p.scopes.join(" "), "client_id": p.client_id}).to_string()
    }

    #[tool(
        description = "Call an upstream API (a loopback URL) on the caller's behalf, with the MCP server's own token"
    )]
    async fn call_upstream(
        &self,
        Parameters(Upstream { url }): Parameters<Upstream>,
        ctx: RequestContext<RoleServer>,
    ) -> String {
        let Some(p) = Self::caller(&ctx) else {
            return json!({"error": "no authenticated caller"}).to_string();
        };
        let loopback = url::Url::parse(&url).is_ok_and(|u| {
            u.scheme() == "http"
                && u.host_str()
                    .is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]")
        });
        if !loopback {
            return json!({"error": "only loopback http URLs are called"}).to_string();
        }
        // The server's own credential for the upstream, never the caller's (MCP Security Best
        // Practices, Token Passthrough) unless the fault mcp-token-passthrough says otherwise.
        let inbound = ctx
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<super::guard::InboundToken>())
            .map(|t| t.0.clone());
        let token = match inbound {
            Some(t) if self.state.fault(crate::faults::Fault::McpTokenPassthrough) => t,
            _ => match crate::mint::mint(
                &self.state,
                &crate::mint::MintRequest {
                    sub: Some("mock-idp-mcp-server".into()),
                    aud: Some(json!(url)),
                    client_id: Some("mock-idp-mcp-server".into()),
                    expires_in: Some(60),
                    ..Default::default()
                },
            ) {
                Ok(m) => m.token,
                Err(e) => return json!({"error": e.to_string()}).to_string(),
            },
        };
        self.record(&p, "call_upstream");
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(5))
            .build();
        let status = match client {
            Ok(c) => c
                .get(&url)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status().as_u16()),
            Err(e) => Err(e),
        };
        match status {
            Ok(s) => json!({"upstream_status": s}).to_string(),
            Err(e) => json!({"error": format!("upstream call failed: {e}")}).to_string(),
        }
    }

    #[tool(description = "Save a note (needs the mcp:write scope)")]
    fn write_note(
        &self,
        Parameters(Note { text }): Parameters<Note>,
        ctx: RequestContext<RoleServer>,
    ) -> String {
        let Some(p) = Self::caller(&ctx) else {
            return json!({"error": "no authenticated caller"}).to_string();
        };
        self.record(&p, "write_note");
        json!({"saved": text.len(), "by": p.sub}).to_string()
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Tools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions("mock-idp's protected MCP server: whoami, write_note, call_upstream")
    }
}
