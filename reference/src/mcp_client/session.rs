//! One reference MCP client run's configuration and state: what every step of the client (the
//! transport loop in `mod.rs`, discovery, OAuth) reads and updates. It imports none of them.

use serde_json::{Value, json};

use super::browser;
use super::faults::ClientFault;
use super::http::{Http, TokenAuth};

/// The reference client's client ID metadata document URL (its `client_id` where the server
/// accepts such documents; the `@mcp-client` scenarios give the mock its document).
pub const METADATA_DOCUMENT_URL: &str = "https://client.authconform.example/mcp-client.json";

/// Step-up attempts per request before giving up (MCP 2025-11-25, Step-Up Authorization Flow
/// asks clients to bound them; the conformance suite's limit is 3).
pub const MAX_STEP_UPS: u32 = 3;

/// What the client is asked to do.
#[derive(Debug, Clone)]
pub struct Config {
    pub server_url: String,
    /// `MCP_CONFORMANCE_SCENARIO` (informational: this client behaves the same for all).
    pub scenario: String,
    pub protocol_version: String,
    /// `MCP_CONFORMANCE_CONTEXT`: `client_id` (and `client_secret`) of a pre-registered client.
    pub context: Value,
    /// Never listened on: the code is read from the authorization redirect (unless `browser`).
    pub redirect_uri: String,
    /// Authorize like a CLI: open the URL in the browser (`$BROWSER`, else `xdg-open`) and wait
    /// on a loopback redirect URI of its own.
    pub browser: bool,
    pub faults: Vec<ClientFault>,
    /// The time the client reads, in seconds (the time of a test's frozen clock); `None`: the
    /// system's.
    pub now: Option<i64>,
}

impl Config {
    /// From the conformance contract's environment.
    pub fn from_env(server_url: String, faults: Vec<ClientFault>) -> Result<Self, String> {
        let context = match std::env::var("MCP_CONFORMANCE_CONTEXT") {
            Ok(s) if !s.trim().is_empty() => serde_json::from_str(&s)
                .map_err(|e| format!("MCP_CONFORMANCE_CONTEXT is not JSON: {e}"))?,
            _ => json!({}),
        };
        Ok(Self {
            server_url,
            scenario: std::env::var("MCP_CONFORMANCE_SCENARIO").unwrap_or_default(),
            protocol_version: std::env::var("MCP_CONFORMANCE_PROTOCOL_VERSION")
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "2025-11-25".into()),
            context,
            redirect_uri: "http://localhost:3000/callback".into(),
            browser: false,
            faults,
            now: None,
        })
    }
}

/// One client run's state.
pub struct Session {
    pub(super) config: Config,
    pub(super) http: Http,
    pub(super) server: url::Url,
    pub(super) prm: Option<Value>,
    pub(super) as_meta: Option<Value>,
    pub(super) issuer: String,
    pub(super) client: Option<TokenAuth>,
    pub(super) access_token: Option<String>,
    pub(super) refresh_token: Option<String>,
    /// The scope of the current token (granted, else asked for).
    pub(super) scope: Option<String>,
    /// Authorization requests sent so far.
    pub(super) authorizations: u32,
    pub(super) mcp_session: Option<String>,
    pub(super) protocol_version: Option<String>,
    /// The loopback listener of browser mode.
    pub(super) callback: Option<browser::Callback>,
    /// The DPoP key, when the MCP server takes only DPoP-bound tokens.
    pub(super) dpop: Option<protocol::dpop::ProofKey>,
    /// The one proof a fault sends again and again.
    pub(super) reused_proof: Option<String>,
    /// The latest `DPoP-Nonce` of the authorization server and of the MCP server (RFC 9449 §8,
    /// §9): each server's own.
    pub(super) as_nonce: Option<String>,
    pub(super) rs_nonce: Option<String>,
    pub(super) next_id: u64,
    /// What happened, for stderr.
    pub log: Vec<String>,
}

impl Session {
    pub fn new(config: Config) -> Result<Self, String> {
        let server = url::Url::parse(&config.server_url)
            .map_err(|e| format!("the server URL {:?} is not a URL: {e}", config.server_url))?;
        Ok(Self {
            config,
            http: Http::new()?,
            server,
            prm: None,
            as_meta: None,
            issuer: String::new(),
            client: None,
            access_token: None,
            refresh_token: None,
            scope: None,
            authorizations: 0,
            mcp_session: None,
            protocol_version: None,
            callback: None,
            dpop: None,
            reused_proof: None,
            as_nonce: None,
            rs_nonce: None,
            next_id: 1,
            log: Vec::new(),
        })
    }

    pub(super) fn has(&self, f: ClientFault) -> bool {
        self.config.faults.contains(&f)
    }

    /// The access token, where a fault sends it to the authorization server too.
    pub(super) fn leak_token(&self) -> Option<&str> {
        self.access_token
            .as_deref()
            .filter(|_| self.has(ClientFault::TokenToAuthorizationServer))
    }
}
