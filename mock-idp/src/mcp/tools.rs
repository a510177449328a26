//! The MCP server's tools, served by rmcp: `whoami` (the caller's `sub`, scopes and client id,
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
            .with_instructions("mock-idp's protected MCP server: whoami, write_note")
    }
}
