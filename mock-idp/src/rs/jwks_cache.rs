//! When the resource server fetches the authorization server's JWKS: on first use, again after
//! `jwks_cache_ttl`, and again when a token names an unknown `kid` (at most once per
//! `jwks_refetch_interval`), as an independent resource server would do it (OIDC Core §10.1.1).
//! "Fetching" reads the live key ring at that moment; until the next fetch the copy (held in
//! `crate::store::jwks_cache`) is what the resource server trusts.

use std::sync::Arc;

use crate::faults::Fault;
use crate::keys::SigningKey;
use crate::state::AppState;
use crate::store::jwks_cache::JwksCopy;

/// The key named `kid` in the cached JWKS, refetching as described above.
pub fn key(s: &AppState, kid: &str) -> Option<Arc<SigningKey>> {
    let now = s.now();
    let ttl = s.config.resource_server.jwks_cache_ttl;
    let interval = s.config.resource_server.jwks_refetch_interval;
    s.rs.jwks.with(|c| {
        // Fault rs-keep-removed-keys: the copy never goes stale.
        let stale =
            c.ring.is_none() || (!s.fault(Fault::RsKeepRemovedKeys) && now - c.fetched_at >= ttl);
        if stale {
            c.ring = Some(Arc::clone(&s.keys.ring()));
            c.fetched_at = now;
        }
        let find = |c: &JwksCopy| c.ring.as_ref().and_then(|r| r.find(kid, now).cloned());
        if let Some(k) = find(c) {
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
        find(c)
    })
}
