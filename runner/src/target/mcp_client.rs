//! The `mcp_client:` section of a target profile: an MCP client under test, driven on the MCP
//! conformance suite's client contract (design.md, "Driving a client IUT"). The runner starts a
//! fresh mock-idp (authorization server and protected MCP server, behind its recording proxy)
//! per scenario and runs `command` with that server's MCP URL appended as the last argument and
//! `MCP_CONFORMANCE_SCENARIO`, `MCP_CONFORMANCE_PROTOCOL_VERSION` and `MCP_CONFORMANCE_CONTEXT`
//! in the environment. `reference: true` is the built-in reference client, run in-process.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McpClientProfile {
    /// The client's command line (the server URL is appended); relative paths are resolved
    /// against the profile's folder. Unset with `reference: true`.
    #[serde(default)]
    pub command: Vec<String>,
    /// The built-in reference MCP client (in-process; its faults are the mutation self-test's).
    #[serde(default)]
    pub reference: bool,
    /// More environment for the command.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// How long one run of the client may take before its verdict is `hung` (default 30).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// `MCP_CONFORMANCE_PROTOCOL_VERSION`.
    #[serde(default = "default_version")]
    pub protocol_version: String,
    /// The redirect URI the client sends; the pre-registered client of a scenario gets it.
    #[serde(default = "default_redirect")]
    pub redirect_uri: String,
    /// The optional MCP authorization extensions the client implements, by identifier
    /// (`io.modelcontextprotocol/oauth-client-credentials`); the scenarios of any other
    /// extension are skipped.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// Earlier MCP revisions whose servers the client also supports (`2025-03-26`: a server
    /// without protected resource metadata, its authorization server at its origin); the
    /// scenarios of any other earlier revision are skipped.
    #[serde(default)]
    pub earlier_versions: Vec<String>,
}

/// The earlier MCP revisions there are scenarios for.
pub const EARLIER_VERSIONS: &[&str] = &["2025-03-26"];

fn default_timeout() -> u64 {
    30
}
fn default_version() -> String {
    "2025-11-25".into()
}
fn default_redirect() -> String {
    "http://localhost:3000/callback".into()
}

impl McpClientProfile {
    /// Whether the profile lists the optional extension `id` among those the client implements.
    pub fn implements(&self, id: &str) -> bool {
        self.extensions.iter().any(|e| e == id)
    }

    /// Whether the profile lists the earlier MCP revision `version` among those it supports.
    pub fn supports_earlier(&self, version: &str) -> bool {
        self.earlier_versions.iter().any(|v| v == version)
    }

    pub fn validate(&self) -> Result<(), (String, String)> {
        if let Some(v) = self
            .earlier_versions
            .iter()
            .find(|v| !EARLIER_VERSIONS.contains(&v.as_str()))
        {
            return Err((
                "mcp_client.earlier_versions".into(),
                format!(
                    "{v:?} is not an earlier MCP revision with scenarios; use some of {}",
                    EARLIER_VERSIONS.join(", ")
                ),
            ));
        }
        crate::target::client::validate_driven(
            "mcp_client",
            self.reference,
            &self.command,
            "give the client's command line (e.g. [node, client.js]; the MCP server URL is appended)",
            self.timeout_seconds,
            &self.redirect_uri,
        )
    }
}
