//! What the MCP server (`crate::mcp`) remembers: which user opened each session, and the token
//! that ends every open event stream at shutdown.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

/// Session owners, and the token that ends every open stream at shutdown.
#[derive(Debug, Default)]
pub struct McpState {
    /// `Mcp-Session-Id` → the `sub` that opened it.
    pub sessions: Mutex<HashMap<String, String>>,
    pub shutdown: CancellationToken,
}

impl McpState {
    pub fn reset(&self) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
