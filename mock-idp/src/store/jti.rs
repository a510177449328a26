//! The `jti` values already accepted, each in its context (a DPoP proof's target URI, RFC 9449
//! §11.1; a client assertion's client, RFC 7523 §3 item 7), remembered until the JWT could no
//! longer be accepted anyway. Times are the caller's virtual seconds.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries beyond which the expired ones are dropped on the next insert.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Default)]
pub struct JtiCache {
    /// (context, jti) → until when it is remembered.
    seen: Mutex<HashMap<(String, String), i64>>,
}

impl JtiCache {
    /// Remembers `jti` in `context` until `until`; `false` if it was already there (a replay).
    pub fn first_use(&self, context: &str, jti: &str, now: i64, until: i64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > PRUNE_AT {
            seen.retain(|_, t| *t >= now);
        }
        let key = (context.to_string(), jti.to_string());
        match seen.get(&key) {
            Some(t) if *t >= now => false,
            _ => {
                seen.insert(key, until);
                true
            }
        }
    }

    pub fn reset(&self) {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jti_is_used_once_per_context_while_remembered() {
        let c = JtiCache::default();
        assert!(c.first_use("https://as/token", "j1", 100, 160));
        assert!(!c.first_use("https://as/token", "j1", 150, 210));
        assert!(
            c.first_use("https://rs/api", "j1", 150, 210),
            "another context"
        );
        assert!(
            c.first_use("https://as/token", "j1", 161, 221),
            "forgotten after its window"
        );
    }
}
