//! The resource server's copy of the authorization server's JWKS: fetched on first use, kept for
//! `jwks_cache_ttl`, and fetched again when a token names an unknown `kid` (at most once per
//! `jwks_refetch_interval`), as an independent resource server would do it (OIDC Core §10.1.1).
//! "Fetching" reads the live key ring at that moment; until the next fetch the copy is what the
//! resource server trusts.

use std::sync::{Arc, Mutex};

use crate::faults::Fault;
use crate::keys::{KeyRing, SigningKey};
use crate::state::AppState;

#[derive(Debug, Default)]
struct Copy {
    ring: Option<Arc<KeyRing>>,
    fetched_at: i64,
    last_refetch: Option<i64>,
}

/// The cached JWKS.
#[derive(Debug, Default)]
pub struct JwksCache(Mutex<Copy>);

impl JwksCache {
    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Copy::default();
    }

    /// The key named `kid` in the cached JWKS, refetching as described above.
    pub fn key(&self, s: &AppState, kid: &str) -> Option<Arc<SigningKey>> {
        let now = s.now();
        let ttl = s.config.resource_server.jwks_cache_ttl;
        let interval = s.config.resource_server.jwks_refetch_interval;
        let mut c = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // Fault rs-keep-removed-keys: the copy never goes stale.
        let stale =
            c.ring.is_none() || (!s.fault(Fault::RsKeepRemovedKeys) && now - c.fetched_at >= ttl);
        if stale {
            c.ring = Some(Arc::clone(&s.keys.ring()));
            c.fetched_at = now;
        }
        let find = |c: &Copy| c.ring.as_ref().and_then(|r| r.find(kid, now).cloned());
        if let Some(k) = find(&c) {
            return Some(k);
        }
        // Fault rs-no-jwks-refetch: an unknown kid never causes a fetch.
        let may_refetch =
            !s.fault(Fault::RsNoJwksRefetch) && c.last_refetch.is_none_or(|t| now - t >= interval);
        if !may_refetch {
            return None;
        }
        c.ring = Some(Arc::clone(&s.keys.ring()));
        c.fetched_at = now;
        c.last_refetch = Some(now);
        find(&c)
    }
}
