//! The reference implementations the built-in target plays when a client or an agent server is
//! the role under test, each with its named faults (deliberate defects `authconform mutate`
//! switches on to prove the scenarios catch them):
//! - [`mcp_client`]: an MCP client on the MCP conformance suite's command contract;
//! - [`oauth_client`]: an OAuth 2.x / OIDC client and auth provider behind the JSON-lines adapter
//!   contract (docs/adapters.md);
//! - [`agent_server`]: a multi-user agent server on the agent side of that contract;
//! - [`stdio`]: the OAuth client or the agent server served on that contract over stdio.
//!
//! This crate is the judged side: it never depends on the runner, so no check can leak into it.

pub mod agent_server;
pub mod mcp_client;
mod named_faults;
pub mod oauth_client;
pub mod stdio;
