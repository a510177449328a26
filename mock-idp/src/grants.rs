//! What has been granted: pending authorization requests, authorization codes, grants (the family
//! of tokens one authorization produced, refresh tokens included), device authorizations, browser
//! sessions and revoked access tokens.
//!
//! Codes and refresh tokens are stored by their SHA-256, never in clear. All tables share one
//! mutex that is held only for map operations, never across a signature or an await; the
//! `client_credentials` hot path does not touch it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// How a code_challenge was derived (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PkceMethod {
    S256,
    #[serde(rename = "plain")]
    Plain,
}

/// The PKCE challenge an authorization request carried.
#[derive(Debug, Clone)]
pub struct Pkce {
    pub challenge: String,
    pub method: PkceMethod,
}

/// A validated authorization request waiting for login and consent.
#[derive(Debug, Clone)]
pub struct PendingAuthorization {
    pub issuer: String,
    pub client_id: String,
    /// The redirect URI the response goes to.
    pub redirect_uri: String,
    /// Whether the request carried redirect_uri (then the token request must repeat it).
    pub redirect_uri_sent: bool,
    pub state: Option<String>,
    pub scope: Vec<String>,
    pub resources: Vec<String>,
    pub pkce: Option<Pkce>,
    pub nonce: Option<String>,
    /// `dpop_jkt` (RFC 9449 §10): the code may be redeemed only with a proof of this key.
    pub dpop_jkt: Option<String>,
    /// Set once the user has logged in on the form.
    pub user: Option<String>,
    pub expires_at: i64,
}

/// An issued authorization code.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    pub request: PendingAuthorization,
    pub user: String,
    pub auth_time: i64,
    pub expires_at: i64,
    /// Redeemed (or burned by a failed redemption).
    pub used: bool,
    /// The grant created when the code was redeemed.
    pub grant_id: Option<u64>,
}

/// One authorization and every token it produced (the refresh-token family).
#[derive(Debug, Clone)]
pub struct Grant {
    pub id: u64,
    pub client_id: String,
    pub issuer: String,
    pub user: Option<String>,
    pub scope: Vec<String>,
    pub resources: Vec<String>,
    pub auth_time: Option<i64>,
    pub revoked: bool,
    /// Hash of the refresh token that may be used next.
    pub refresh_current: Option<String>,
    /// The refresh token the last rotation replaced, while `tokens.refresh_reuse_grace` lets it
    /// be presented again.
    pub refresh_replaced: Option<ReplacedRefresh>,
    /// The DPoP key a public client's refresh tokens are bound to (RFC 9449 §5).
    pub dpop_jkt: Option<String>,
    pub refresh_expires_at: i64,
    pub access_jtis: Vec<String>,
}

/// A rotated-out refresh token within its reuse grace: presented again before `until`, it is
/// answered with `successor` (the refresh token that replaced it) instead of revoking the family.
/// Kept only when `tokens.refresh_reuse_grace` is above 0; the successor is the one refresh
/// token held in the clear, in memory, for that many seconds.
#[derive(Debug, Clone)]
pub struct ReplacedRefresh {
    pub hash: String,
    pub until: i64,
    pub successor: String,
}

/// Where a device authorization stands (RFC 8628 §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved(String),
    Denied,
    Consumed,
}

/// A device authorization request (RFC 8628 §3.1).
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    pub issuer: String,
    pub client_id: String,
    pub scope: Vec<String>,
    pub resources: Vec<String>,
    pub user_code: String,
    pub expires_at: i64,
    pub interval: i64,
    pub last_poll: Option<i64>,
    pub status: DeviceStatus,
}

/// Every table, behind one lock.
#[derive(Debug, Default)]
pub struct Tables {
    pub pending: HashMap<String, PendingAuthorization>,
    pub codes: HashMap<String, AuthorizationCode>,
    pub grants: HashMap<u64, Grant>,
    /// Refresh token hash → grant id, for every refresh token ever issued (replay detection).
    pub refresh_tokens: HashMap<String, u64>,
    /// Access token jti → grant id, for access tokens that belong to a grant.
    pub jti_grant: HashMap<String, u64>,
    /// Revoked access tokens: jti → exp (kept until the token would have expired anyway).
    pub revoked_jtis: HashMap<String, i64>,
    pub devices: HashMap<String, DeviceAuthorization>,
    /// User code (normalized) → device code hash.
    pub user_codes: HashMap<String, String>,
    /// Browser session id → username.
    pub sessions: HashMap<String, String>,
    /// Client id → the user who created it in the demo UI.
    pub client_owners: HashMap<String, String>,
    next_grant_id: u64,
    inserts: u64,
}

impl Tables {
    /// A new grant id.
    pub fn next_grant_id(&mut self) -> u64 {
        self.next_grant_id += 1;
        self.next_grant_id
    }

    /// Marks a grant revoked, together with every access token it issued.
    pub fn revoke_grant(&mut self, id: u64, now: i64, access_ttl: i64) -> bool {
        let Some(grant) = self.grants.get_mut(&id) else {
            return false;
        };
        let was = grant.revoked;
        grant.revoked = true;
        grant.refresh_current = None;
        grant.refresh_replaced = None;
        for jti in &grant.access_jtis {
            self.revoked_jtis.insert(jti.clone(), now + access_ttl);
        }
        !was
    }

    /// Records tokens just issued under a grant: the access token's jti, and a refresh token that
    /// becomes the one usable next (unless the grant was revoked meanwhile).
    pub fn attach(&mut self, grant_id: u64, jti: &str, refresh_hash: Option<String>, now: i64) {
        self.jti_grant.insert(jti.to_string(), grant_id);
        if let Some(h) = &refresh_hash {
            self.refresh_tokens.insert(h.clone(), grant_id);
        }
        if let Some(g) = self.grants.get_mut(&grant_id) {
            g.access_jtis.push(jti.to_string());
            if refresh_hash.is_some() && !g.revoked {
                g.refresh_current = refresh_hash;
            }
        }
        self.note_insert(now);
    }

    /// Whether an access token (by jti) has been revoked, directly or with its grant.
    pub fn access_revoked(&self, jti: &str) -> bool {
        self.revoked_jtis.contains_key(jti)
            || self
                .jti_grant
                .get(jti)
                .and_then(|g| self.grants.get(g))
                .is_some_and(|g| g.revoked)
    }

    /// Counts an insert and every so often forgets what has long expired.
    pub fn note_insert(&mut self, now: i64) {
        self.inserts += 1;
        if self.inserts.is_multiple_of(512) {
            self.sweep(now);
        }
    }

    fn sweep(&mut self, now: i64) {
        const GRACE: i64 = 600;
        self.pending.retain(|_, p| p.expires_at + GRACE > now);
        self.codes.retain(|_, c| c.expires_at + GRACE > now);
        self.revoked_jtis.retain(|_, exp| *exp > now);
        let expired_devices: HashSet<String> = self
            .devices
            .iter()
            .filter(|(_, d)| d.expires_at + GRACE <= now)
            .map(|(k, _)| k.clone())
            .collect();
        self.devices.retain(|k, _| !expired_devices.contains(k));
        self.user_codes.retain(|_, d| !expired_devices.contains(d));
    }
}

/// The lock around [`Tables`].
#[derive(Debug, Default)]
pub struct Grants(Mutex<Tables>);

impl Grants {
    /// Runs `f` with the tables locked. `f` must not block.
    pub fn with<R>(&self, f: impl FnOnce(&mut Tables) -> R) -> R {
        let mut tables = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut tables)
    }

    /// Forgets everything (reset).
    pub fn clear(&self) {
        self.with(|t| *t = Tables::default());
    }
}

/// The storage key of a code or refresh token: base64url SHA-256.
pub fn hash_secret(secret: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes());
    URL_SAFE_NO_PAD.encode(d.as_ref())
}

/// `n` random bytes, base64url: codes, tokens, ids.
pub fn random_token(rng: &aws_lc_rs::rand::SystemRandom, n: usize) -> String {
    use aws_lc_rs::rand::SecureRandom;
    let mut buf = [0u8; 64];
    let n = n.min(64);
    // The system RNG failing is unrecoverable; aws-lc aborts in that case anyway.
    rng.fill(&mut buf[..n]).expect("system random");
    URL_SAFE_NO_PAD.encode(&buf[..n])
}

/// RFC 8628 §6.1: a user code of 8 letters from a 20-letter alphabet without vowels, shown as
/// `XXXX-XXXX`.
pub fn random_user_code(rng: &aws_lc_rs::rand::SystemRandom) -> String {
    use aws_lc_rs::rand::SecureRandom;
    const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut buf = [0u8; 8];
    rng.fill(&mut buf).expect("system random");
    let letters: String = buf
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// A user code as typed (any case, with or without the dash or spaces), normalized.
pub fn normalize_user_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_normalize_regardless_of_case_and_dash() {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let code = random_user_code(&rng);
        assert_eq!(code.len(), 9);
        assert_eq!(
            normalize_user_code(&code.to_lowercase()),
            normalize_user_code(&code)
        );
        assert_eq!(normalize_user_code(" bcdf ghjk "), "BCDFGHJK");
    }

    #[test]
    fn revoking_a_grant_revokes_its_access_tokens() {
        let mut t = Tables::default();
        let id = t.next_grant_id();
        t.grants.insert(
            id,
            Grant {
                id,
                client_id: "c".into(),
                issuer: "i".into(),
                user: None,
                scope: vec![],
                resources: vec![],
                auth_time: None,
                revoked: false,
                refresh_current: Some("h".into()),
                refresh_replaced: None,
                dpop_jkt: None,
                refresh_expires_at: 10,
                access_jtis: vec!["j1".into()],
            },
        );
        t.jti_grant.insert("j1".into(), id);
        assert!(!t.access_revoked("j1"));
        assert!(t.revoke_grant(id, 0, 60));
        assert!(t.access_revoked("j1"));
        assert!(
            !t.revoke_grant(id, 0, 60),
            "second revocation reports nothing new"
        );
    }
}
