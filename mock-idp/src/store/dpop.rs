//! What DPoP (RFC 9449) remembers between requests besides the proofs' `jti` (those are in
//! `store::jti`): the nonces the token endpoint handed out (§8).

use std::sync::Mutex;

/// How many nonces stay valid at once: the newest and a few before it, so a client holding the
/// previous one is not refused in a race (§8: "servers need to keep a window of recent nonces").
const NONCES_KEPT: usize = 4;

#[derive(Debug, Default)]
pub struct DpopState {
    nonces: Mutex<Vec<String>>,
}

impl DpopState {
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
