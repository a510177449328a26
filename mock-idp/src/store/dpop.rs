//! What DPoP (RFC 9449) remembers between requests: the `jti` of every proof accepted, per
//! target URI, until it could no longer be accepted anyway (§11.1), and the nonces the token
//! endpoint handed out (§8). Times are the caller's virtual seconds.

use std::collections::HashMap;
use std::sync::Mutex;

/// How many nonces stay valid at once: the newest and a few before it, so a client holding the
/// previous one is not refused in a race (§8: "servers need to keep a window of recent nonces").
const NONCES_KEPT: usize = 4;

#[derive(Debug, Default)]
pub struct DpopState {
    /// (normalized htu, jti) → until when it is remembered.
    seen: Mutex<HashMap<(String, String), i64>>,
    nonces: Mutex<Vec<String>>,
}

impl DpopState {
    /// Remembers `jti` at `htu` until `until`; `false` if it was already there (a replay).
    pub fn first_use(&self, htu: &str, jti: &str, now: i64, until: i64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, t| *t >= now);
        }
        let key = (htu.to_string(), jti.to_string());
        match seen.get(&key) {
            Some(t) if *t >= now => false,
            _ => {
                seen.insert(key, until);
                true
            }
        }
    }

    /// The newest nonce, minting one with `mint` when there is none yet.
    pub fn current_nonce(&self, mint: impl FnOnce() -> String) -> String {
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = nonces.last() {
            return n.clone();
        }
        let n = mint();
        nonces.push(n.clone());
        n
    }

    /// Whether `nonce` is one of the recent nonces.
    pub fn knows_nonce(&self, nonce: &str) -> bool {
        let nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        nonces.iter().any(|n| n == nonce)
    }

    /// A new current nonce (the admin API's rotation); the oldest beyond the window is dropped.
    pub fn rotate_nonce(&self, nonce: String) {
        let mut nonces = self.nonces.lock().unwrap_or_else(|p| p.into_inner());
        nonces.push(nonce);
        let extra = nonces.len().saturating_sub(NONCES_KEPT);
        nonces.drain(..extra);
    }

    pub fn reset(&self) {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clear();
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jti_is_used_once_per_uri_while_remembered() {
        let d = DpopState::default();
        assert!(d.first_use("https://as/token", "j1", 100, 160));
        assert!(!d.first_use("https://as/token", "j1", 150, 210));
        assert!(d.first_use("https://rs/api", "j1", 150, 210), "another URI");
        assert!(
            d.first_use("https://as/token", "j1", 161, 221),
            "forgotten after its window"
        );
    }

    #[test]
    fn recent_nonces_stay_valid_and_old_ones_go() {
        let d = DpopState::default();
        let first = d.current_nonce(|| "n0".into());
        assert_eq!(first, "n0");
        for i in 1..=NONCES_KEPT {
            d.rotate_nonce(format!("n{i}"));
        }
        assert!(!d.knows_nonce("n0"));
        assert!(d.knows_nonce("n1") && d.knows_nonce(&format!("n{NONCES_KEPT}")));
        assert_eq!(
            d.current_nonce(|| unreachable!()),
            format!("n{NONCES_KEPT}")
        );
    }
}
