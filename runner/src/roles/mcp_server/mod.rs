//! `@mcp-server`: an MCP server as an OAuth 2.1 resource server. The runner speaks streamable
//! HTTP with tokens from its mock-idp and judges challenges, metadata, audience and sessions.

pub(crate) mod checks;
pub(crate) mod flow;
mod steps;
