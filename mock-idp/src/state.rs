//! The shared state every handler sees: configuration, the one clock, the one journal, faults,
//! keys, the registry, the grant tables and the role stores. Cheap to clone (one `Arc`).
//!
//! It imports only stores and leaves: handlers depend on state, never the reverse.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderMap;

use crate::clock::Clock;
use crate::config::Config;
use crate::faults::{Fault, FaultSet};
use crate::grants::Grants;
use crate::journal::{Decision, Journal};
use crate::keys::{KeyError, KeyRing, Keys};
use crate::registry::Registry;
use crate::store::dpop::DpopState;
use crate::store::jti::JtiCache;
use crate::store::mcp::McpState;
use crate::store::resource_server::RsState;

/// A handle on everything mock-idp knows.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

#[derive(Debug)]
pub struct Inner {
    /// The configuration the state was built from (reset goes back to it).
    pub config: Config,
    /// The root issuer, e.g. `http://localhost:5001`; path issuers append `/{tenant}`.
    pub base_url: String,
    pub clock: Clock,
    pub journal: Journal,
    pub faults: FaultSet,
    pub keys: Keys,
    initial_keys: KeyRing,
    /// Where a clock that started frozen stands after a reset.
    initial_frozen_at: Option<i64>,
    pub registry: Registry,
    pub grants: Grants,
    /// The reference resource server's items, members and JWKS copy.
    pub rs: RsState,
    /// The MCP server's session owners.
    pub mcp: McpState,
    /// DPoP nonces the token endpoint handed out (RFC 9449 §8).
    pub dpop: DpopState,
    /// DPoP nonces the protected resources handed out (§9): their own, so a client that brings
    /// the authorization server's nonce to a resource is refused.
    pub dpop_resource: DpopState,
    /// The `jti` of DPoP proofs and client assertions accepted.
    pub jtis: JtiCache,
    request_seq: AtomicU64,
}

/// The issuer a request is addressed to: the root one or a path issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant(pub Option<Arc<str>>);

impl AppState {
    /// Builds state from a validated config. `base_url` is the configured issuer, or the URL the
    /// server ended up listening on when none is configured.
    pub fn new(config: Config, base_url: String, clock: Clock) -> Result<Self, KeyError> {
        let keys = Keys::from_specs(&config.keys)?;
        let initial_keys = (**keys.ring()).clone();
        let faults = FaultSet::with(&config.faults);
        let initial_frozen_at = clock.is_frozen().then(|| clock.now());
        Ok(Self(Arc::new(Inner {
            initial_frozen_at,
            journal: Journal::new(config.limits.journal_capacity),
            registry: Registry::new(&config.clients, &config.users),
            grants: Grants::default(),
            rs: RsState::new(&config.resource_server),
            mcp: Default::default(),
            dpop: Default::default(),
            dpop_resource: Default::default(),
            jtis: Default::default(),
            faults,
            keys,
            initial_keys,
            clock,
            base_url: base_url.trim_end_matches('/').to_string(),
            request_seq: AtomicU64::new(0),
            config,
        })))
    }

    /// Back to the configured clients, users, keys and faults, and the clock to where it started
    /// (system time, or the frozen start); codes, tokens and journal gone.
    pub fn reset(&self) {
        self.registry
            .replace(&self.config.clients, &self.config.users);
        self.grants.clear();
        self.rs.reset(&self.config.resource_server);
        self.mcp.reset();
        self.dpop.reset();
        self.dpop_resource.reset();
        self.jtis.reset();
        self.keys.replace(self.initial_keys.clone());
        self.faults.replace(&self.config.faults);
        match self.initial_frozen_at {
            Some(t) => self.clock.freeze_at(t),
            None => self.clock.reset(),
        }
        self.journal.clear();
    }

    /// Whether a fault is switched on.
    pub fn fault(&self, fault: Fault) -> bool {
        self.faults.has(fault)
    }

    /// Virtual now.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Records a decision in the journal.
    pub fn record(&self, request_id: Option<u64>, decision: Decision) {
        self.journal.record(self.now(), request_id, decision);
    }

    /// A new request id.
    pub fn next_request_id(&self) -> u64 {
        self.request_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The base URL this request sees: the configured one, or, behind a trusted proxy (or with
    /// the `issuer-from-host-header` fault), the one the forwarding headers name.
    pub fn base_for(&self, headers: &HeaderMap) -> String {
        let from_headers = self.config.trust_proxy || self.fault(Fault::IssuerFromHostHeader);
        if !from_headers {
            return self.base_url.clone();
        }
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let host = header("x-forwarded-host")
            .filter(|_| self.config.trust_proxy)
            .or_else(|| header("host"))
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            });
        let Some(host) = host else {
            return self.base_url.clone();
        };
        let default_scheme = if self.base_url.starts_with("https:") {
            "https"
        } else {
            "http"
        };
        let scheme = header("x-forwarded-proto")
            .filter(|p| self.config.trust_proxy && matches!(*p, "http" | "https"))
            .unwrap_or(default_scheme);
        let path = url::Url::parse(&self.base_url)
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        format!("{scheme}://{host}{path}")
    }

    /// The issuer identifier of `tenant` for this request.
    pub fn issuer_for(&self, tenant: &Tenant, headers: &HeaderMap) -> String {
        let base = self.base_for(headers);
        match &tenant.0 {
            Some(t) => format!("{base}/{t}"),
            None => base,
        }
    }

    /// Every issuer identifier mock-idp answers for (the configured base).
    pub fn all_issuers(&self) -> Vec<String> {
        std::iter::once(self.base_url.clone())
            .chain(
                self.config
                    .tenants
                    .iter()
                    .map(|t| format!("{}/{t}", self.base_url)),
            )
            .collect()
    }

    /// `aud` of access tokens requested without a resource: configured, else the MCP server's
    /// when it plays MCP 2025-03-26 (whose clients send no `resource`), else `{base}/api`.
    pub fn default_audience(&self) -> String {
        if let Some(a) = &self.config.default_audience {
            return a.clone();
        }
        if self.config.mcp.discovery.has_resource_metadata() {
            format!("{}/api", self.base_url)
        } else {
            self.mcp_resource()
        }
    }

    /// The canonical URL of the MCP server (RFC 8707 resource, PRM `resource`): its public URL
    /// when it is published at another origin, else `{base}/mcp`.
    pub fn mcp_resource(&self) -> String {
        self.config
            .mcp
            .public_url
            .clone()
            .unwrap_or_else(|| format!("{}/mcp", self.base_url))
    }

    /// The resource indicators the mock knows: its built-in resource servers and configured ones.
    pub fn known_resources(&self) -> Vec<String> {
        let mut r = vec![
            format!("{}/api", self.base_url),
            format!("{}/mcp", self.base_url),
            self.default_audience(),
        ];
        r.extend(self.config.mcp.public_url.iter().cloned());
        r.extend(self.config.resources.iter().cloned());
        r.dedup();
        r
    }
}
