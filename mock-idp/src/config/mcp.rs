//! Configuration of the protected MCP server (`mcp:`): the metadata variants an MCP client must
//! cope with. The defaults are the plain case: the root issuer, the protected resource metadata
//! both in the 401 challenge and at the well-known URLs, `resource` the canonical `/mcp` URL.
//! `discovery` plays a server of MCP 2025-03-26, which had no protected resource metadata.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct McpConfig {
    /// How clients find the authorization server: protected resource metadata (the default), or
    /// as MCP 2025-03-26 had it.
    pub discovery: Discovery,
    /// The authorization server the metadata names: unset, the root issuer; a tenant name, that
    /// path issuer (`{issuer}/{tenant}`), whose metadata clients find by RFC 8414 path insertion.
    pub authorization_server: Option<String>,
    /// More authorization servers listed after it (clients must pick one they can use).
    pub extra_authorization_servers: Vec<String>,
    /// Name the metadata in the 401 challenge (`resource_metadata`, RFC 9728 §5.1).
    pub metadata_in_challenge: bool,
    /// Serve the metadata at the well-known URLs (RFC 9728 §3.1).
    pub metadata_at_well_known: bool,
    /// The metadata's `resource`; unset, the canonical `{issuer}/mcp`. Anything else is the
    /// "resource mismatch" variant clients must refuse (RFC 9728 §3.3).
    pub resource: Option<String>,
    /// Put `scope` in the 401 challenge (MCP 2025-11-25, Scope Selection Strategy: a client
    /// uses it first, else the metadata's `scopes_supported`, else sends no scope).
    pub scope_in_challenge: bool,
    /// List `scopes_supported` in the protected resource metadata.
    pub scopes_in_metadata: bool,
    /// Tools that need `mcp:write` besides `mcp:read` (the step-up case: 403
    /// `insufficient_scope` until the client re-authorizes with the wider scope).
    pub write_tools: Vec<String>,
    /// Refuse every call of a write tool with 403 `insufficient_scope`, whatever the token's
    /// scopes: the variant a client must not retry forever (MCP 2025-11-25, Step-Up
    /// Authorization Flow: a bounded number of attempts).
    pub step_up_unsatisfiable: bool,
    /// Take only DPoP-bound tokens (RFC 9449), and say so in the metadata
    /// (`dpop_bound_access_tokens_required`, RFC 9728 §2): a bearer token gets a `DPoP` challenge.
    pub dpop_required: bool,
    /// Where clients reach the MCP server when that is not `{issuer}/mcp` (behind a proxy on
    /// another origin than the authorization server): its canonical URL, tokens' audience and
    /// metadata `resource`. The path must be `/mcp`.
    pub public_url: Option<String>,
}

impl Default for McpConfig {
    fn default() -> Self {
        Self {
            discovery: Discovery::ResourceMetadata,
            authorization_server: None,
            extra_authorization_servers: Vec::new(),
            metadata_in_challenge: true,
            metadata_at_well_known: true,
            resource: None,
            scope_in_challenge: true,
            scopes_in_metadata: true,
            write_tools: vec!["write_note".into()],
            step_up_unsatisfiable: false,
            dpop_required: false,
            public_url: None,
        }
    }
}

/// How an MCP client finds the MCP server's authorization server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discovery {
    /// RFC 9728 protected resource metadata, as MCP requires from 2025-06-18.
    ResourceMetadata,
    /// MCP 2025-03-26 (Authorization, Server Metadata Discovery): no protected resource
    /// metadata; the authorization base URL is the MCP server's origin, which serves the RFC 8414
    /// metadata at its root well-known URL. A token asked for without `resource` is for the MCP
    /// server (2025-03-26 clients do not send one).
    #[serde(rename = "2025-03-26-metadata")]
    ServerMetadata2025,
    /// MCP 2025-03-26 without metadata (Fallbacks for Servers without Metadata Discovery): no
    /// protected resource metadata and no authorization server metadata (RFC 8414 and OpenID
    /// Connect discovery answer 404); the endpoints are at the default paths `/authorize`,
    /// `/token` and `/register` of the origin, and the authorization response carries no `iss`
    /// (RFC 9207 §3: only a server that advertises it sends it).
    #[serde(rename = "2025-03-26-default-endpoints")]
    DefaultEndpoints2025,
}

impl Discovery {
    /// Protected resource metadata is published and named in challenges.
    pub fn has_resource_metadata(self) -> bool {
        self == Self::ResourceMetadata
    }

    /// The authorization server publishes its metadata (RFC 8414, OpenID Connect discovery).
    pub fn has_server_metadata(self) -> bool {
        self != Self::DefaultEndpoints2025
    }
}

impl McpConfig {
    /// Checks against the configured tenants; errors name the key and the fix.
    pub fn validate(&self, tenants: &[String]) -> Result<(), String> {
        if !self.discovery.has_resource_metadata() {
            return self.validate_2025_03_26();
        }
        if let Some(t) = &self.authorization_server
            && !tenants.contains(t)
        {
            return Err(format!(
                "mcp.authorization_server: {t:?} is not one of tenants; add it to tenants or remove the key for the root issuer"
            ));
        }
        if !self.metadata_in_challenge && !self.metadata_at_well_known {
            return Err("mcp: metadata_in_challenge and metadata_at_well_known cannot both be false; clients could not find the authorization server (MCP 2025-11-25 requires one of them)".into());
        }
        if let Some(p) = &self.public_url {
            let u = url::Url::parse(p)
                .map_err(|e| format!("mcp.public_url: {p:?} is not a URL ({e})"))?;
            if u.path() != "/mcp" {
                return Err(format!(
                    "mcp.public_url: {p:?} must end in /mcp (the path mock-idp serves it at)"
                ));
            }
        }
        for (i, a) in self.extra_authorization_servers.iter().enumerate() {
            url::Url::parse(a).map_err(|e| {
                format!("mcp.extra_authorization_servers[{i}]: {a:?} is not a URL ({e})")
            })?;
        }
        Ok(())
    }

    /// A 2025-03-26 server is its own authorization server, at its origin's root.
    fn validate_2025_03_26(&self) -> Result<(), String> {
        if self.authorization_server.is_some() || !self.extra_authorization_servers.is_empty() {
            return Err("mcp.discovery: a 2025-03-26 server's authorization server is its origin's root issuer; remove mcp.authorization_server and mcp.extra_authorization_servers".into());
        }
        if self.public_url.is_some() {
            return Err("mcp.discovery: a 2025-03-26 server shares its origin with its authorization server; remove mcp.public_url".into());
        }
        Ok(())
    }
}
