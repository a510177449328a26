//! The role stores [`AppState`](crate::state::AppState) holds: what the resource server and the
//! MCP server remember between requests. Each store owns its data and the bookkeeping on it
//! (reset, next id, locking); it reads no request, no fault and no `AppState`. Handlers in `rs`
//! and `mcp` depend on these stores, never the reverse, so `state` imports only stores and
//! leaves.

pub mod dpop;
pub mod jti;
pub mod jwks_cache;
pub mod mcp;
pub mod resource_server;
