//! The `mcp_server:` section of a target profile: where an MCP server under test answers, the
//! resource its tokens must be issued for, the scopes it asks for, a tool any authorized caller
//! may call and (optionally) one that needs a higher scope, and where the runner's mock-idp (the
//! issuer the server must trust) listens. `{mock}` stands for the embedded mock-idp's URL.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McpServerProfile {
    /// The MCP endpoint (streamable HTTP), e.g. `{mock}/mcp`.
    pub url: String,
    /// The canonical resource URI tokens are issued for (RFC 8707); default `url`.
    #[serde(default)]
    pub resource: Option<String>,
    /// For an external server: the address of the runner's mock-idp it trusts.
    #[serde(default)]
    pub mock_idp_listen: Option<String>,
    /// The scope any MCP request needs.
    #[serde(default = "default_read")]
    pub read_scope: String,
    /// A tool any authorized caller may call; its result should name the caller's `sub`.
    #[serde(default = "default_read_tool")]
    pub read_tool: String,
    /// A tool that needs `write_scope` as well (step-up); unset: step-up is skipped.
    #[serde(default)]
    pub write_tool: Option<String>,
    #[serde(default)]
    pub write_scope: Option<String>,
    #[serde(default)]
    pub write_arguments: Option<Value>,
    /// A tool that calls an upstream API on the caller's behalf, and the name of its argument
    /// taking the upstream URL; unset: the passthrough check is skipped.
    #[serde(default)]
    pub upstream_tool: Option<String>,
    #[serde(default)]
    pub upstream_url_argument: Option<String>,
    /// The legacy HTTP+SSE endpoint (`GET`, MCP 2024-11-05), when the server has one.
    #[serde(default)]
    pub legacy_sse_url: Option<String>,
    /// The `MCP-Protocol-Version` the runner speaks.
    #[serde(default = "default_version")]
    pub protocol_version: String,
}

fn default_read() -> String {
    "mcp:read".into()
}
fn default_read_tool() -> String {
    "whoami".into()
}
fn default_version() -> String {
    "2025-06-18".into()
}

impl McpServerProfile {
    pub fn validate(&self, builtin: bool) -> Result<(), (String, String)> {
        if !builtin && self.mock_idp_listen.is_none() {
            return Err((
                "mcp_server.mock_idp_listen".into(),
                "set the address the runner's mock-idp listens on (e.g. 127.0.0.1:18541) and configure the MCP server to trust http://<that address>".into(),
            ));
        }
        if self.write_tool.is_some() != self.write_scope.is_some() {
            return Err((
                "mcp_server.write_scope".into(),
                "write_tool and write_scope go together: the tool and the scope it needs".into(),
            ));
        }
        Ok(())
    }
}
