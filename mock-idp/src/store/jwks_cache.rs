//! The resource server's copy of the authorization server's JWKS: the key ring as last fetched
//! and when. Only the data: when to fetch again (and the faults that bend it) is
//! `crate::rs::jwks_cache`'s business.

use std::sync::{Arc, Mutex};

use crate::keys::KeyRing;

/// The copy itself.
#[derive(Debug, Default)]
pub struct JwksCopy {
    /// The key ring as last fetched; `None` before the first fetch.
    pub ring: Option<Arc<KeyRing>>,
    /// When it was last fetched.
    pub fetched_at: i64,
    /// When an unknown `kid` last caused a fetch.
    pub last_refetch: Option<i64>,
}

/// The cached JWKS.
#[derive(Debug, Default)]
pub struct JwksCache(Mutex<JwksCopy>);

impl JwksCache {
    pub fn clear(&self) {
        self.with(|c| *c = JwksCopy::default());
    }

    /// Runs `f` on the copy, holding its lock.
    pub fn with<R>(&self, f: impl FnOnce(&mut JwksCopy) -> R) -> R {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
