//! The journal: every request and every decision mock-idp makes, with a machine code and a
//! plain-language reason, kept in a bounded in-memory ring and mirrored to structured log lines.
//!
//! Secrets never enter the journal. Entries are built from typed fields by the code that decides;
//! request paths pass through [`redact_query`] first, and token-like values are only ever recorded
//! as [`fingerprint`]s. The journal must not be used to carry data between handlers.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Whether a decision let the request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    Refused,
    Info,
}

/// One journal line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the journal, increasing from 1.
    pub seq: u64,
    /// Virtual time (the mock's clock), seconds since the Unix epoch.
    pub at: i64,
    /// The request this entry belongs to, shared by its request line and its decisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<u64>,
    /// Which part of the mock decided: `authorize`, `token`, `http`, `admin`, ...
    pub endpoint: String,
    pub outcome: Outcome,
    /// A stable machine code, e.g. `redirect_uri_mismatch`.
    pub code: String,
    /// What happened, in words a person reads.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Structured facts behind the reason (registered and received URIs, ...), never secrets.
    #[serde(skip_serializing_if = "Map::is_empty", default)]
    pub details: Map<String, Value>,
}

/// A decision about to be recorded; built by the code that decides.
#[derive(Debug, Clone)]
pub struct Decision {
    endpoint: &'static str,
    outcome: Outcome,
    code: &'static str,
    reason: String,
    client_id: Option<String>,
    user: Option<String>,
    /// In insertion order, keys unique; a handful at most, so a `Vec` beats a map.
    details: Vec<(&'static str, Value)>,
}

impl Decision {
    /// A request that was let through.
    pub fn accepted(endpoint: &'static str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(endpoint, Outcome::Accepted, code, reason)
    }

    /// A request that was refused.
    pub fn refused(endpoint: &'static str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(endpoint, Outcome::Refused, code, reason)
    }

    /// Something worth knowing that is neither (a fault bent a decision, a key rotated, ...).
    pub fn info(endpoint: &'static str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(endpoint, Outcome::Info, code, reason)
    }

    fn new(
        endpoint: &'static str,
        outcome: Outcome,
        code: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            endpoint,
            outcome,
            code,
            reason: reason.into(),
            client_id: None,
            user: None,
            details: Vec::new(),
        }
    }

    pub fn client(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    pub fn maybe_client(mut self, client_id: Option<&str>) -> Self {
        self.client_id = client_id.map(str::to_string);
        self
    }

    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    pub fn maybe_user(mut self, user: Option<&str>) -> Self {
        self.user = user.map(str::to_string);
        self
    }

    /// Adds a structured fact. Callers pass only non-secret values (fingerprints for tokens).
    /// A key given twice keeps the last value.
    pub fn detail(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        let value = value.into();
        match self.details.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.details.push((key, value)),
        }
        self
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Which entries `GET /_admin/journal` returns.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub client_id: Option<String>,
    pub user: Option<String>,
    pub code: Option<String>,
    pub endpoint: Option<String>,
    pub outcome: Option<Outcome>,
    /// Only entries with `seq` greater than this.
    pub since: Option<u64>,
    /// At most this many (the newest), default all.
    pub limit: Option<usize>,
}

impl Filter {
    fn matches(&self, e: &Stored) -> bool {
        fn eq(want: &Option<String>, have: &Option<Box<str>>) -> bool {
            want.as_ref()
                .is_none_or(|w| have.as_deref() == Some(w.as_str()))
        }
        eq(&self.client_id, &e.client_id)
            && eq(&self.user, &e.user)
            && self.code.as_ref().is_none_or(|c| c == e.code)
            && self.endpoint.as_ref().is_none_or(|c| c == e.endpoint)
            && self.outcome.is_none_or(|o| o == e.outcome)
            && self.since.is_none_or(|s| e.seq > s)
    }
}

/// An entry as the ring keeps it: the same facts as [`Entry`], packed tighter (static strings
/// stay borrowed, owned strings are boxed without spare capacity, details are a short slice
/// instead of a map). A full default journal (10,000 entries) stays a few MB this way.
#[derive(Debug)]
struct Stored {
    seq: u64,
    at: i64,
    request_id: Option<u64>,
    endpoint: &'static str,
    code: &'static str,
    outcome: Outcome,
    reason: Box<str>,
    client_id: Option<Box<str>>,
    user: Option<Box<str>>,
    details: Box<[(&'static str, Value)]>,
}

impl Stored {
    fn to_entry(&self) -> Entry {
        Entry {
            seq: self.seq,
            at: self.at,
            request_id: self.request_id,
            endpoint: self.endpoint.to_string(),
            outcome: self.outcome,
            code: self.code.to_string(),
            reason: self.reason.to_string(),
            client_id: self.client_id.as_deref().map(str::to_string),
            user: self.user.as_deref().map(str::to_string),
            details: self
                .details
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        }
    }
}

/// The bounded, append-only record of requests and decisions.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    next_seq: AtomicU64,
    entries: Mutex<VecDeque<Stored>>,
}

impl Journal {
    /// A journal keeping the newest `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            next_seq: AtomicU64::new(1),
            entries: Mutex::new(VecDeque::with_capacity(capacity.clamp(1, 4096))),
        }
    }

    /// Appends a decision and mirrors it to the log; returns its sequence number.
    pub fn record(&self, at: i64, request_id: Option<u64>, d: Decision) -> u64 {
        let seq = self.next_seq.fetch_add(1, Ordering::Relaxed);
        log(&d, request_id);
        let entry = Stored {
            seq,
            at,
            request_id,
            endpoint: d.endpoint,
            code: d.code,
            outcome: d.outcome,
            reason: d.reason.into_boxed_str(),
            client_id: d.client_id.map(String::into_boxed_str),
            user: d.user.map(String::into_boxed_str),
            details: d.details.into_boxed_slice(),
        };
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        } else if entries.len() == entries.capacity() {
            // Grow towards the capacity, never past it (VecDeque alone would double).
            let more = entries.len().min(self.capacity - entries.len());
            entries.reserve_exact(more);
        }
        entries.push_back(entry);
        seq
    }

    /// The entries that match `filter`, oldest first.
    pub fn query(&self, filter: &Filter) -> Vec<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let matching: Vec<&Stored> = entries.iter().filter(|e| filter.matches(e)).collect();
        let skip = filter
            .limit
            .map_or(0, |limit| matching.len().saturating_sub(limit));
        matching[skip..].iter().map(|e| e.to_entry()).collect()
    }

    /// Forgets every entry (sequence numbers keep increasing).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

fn log(d: &Decision, request_id: Option<u64>) {
    let client = d.client_id.as_deref().unwrap_or("");
    let user = d.user.as_deref().unwrap_or("");
    match d.outcome {
        Outcome::Refused => tracing::info!(
            target: "mock_idp::journal", endpoint = d.endpoint, outcome = "refused", code = d.code,
            client_id = client, user, request_id, "{}", d.reason
        ),
        Outcome::Accepted | Outcome::Info => tracing::debug!(
            target: "mock_idp::journal", endpoint = d.endpoint, outcome = ?d.outcome, code = d.code,
            client_id = client, user, request_id, "{}", d.reason
        ),
    }
}

/// Whether a parameter of this name carries a secret (THE list: `protocol::secrets`).
pub fn is_secret_param(name: &str) -> bool {
    protocol::secrets::is_secret_name(name)
}

/// A path with its query string, secret parameter values replaced by `[redacted]`.
pub fn redact_query(path: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return path.to_string();
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if is_secret_param(&k) {
            out.append_pair(&k, "[redacted]");
        } else {
            out.append_pair(&k, &v);
        }
    }
    format!("{path}?{}", out.finish())
}

/// A short, irreversible name for a secret value, for correlating journal entries.
pub fn fingerprint(secret: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes());
    let hex: String = digest.as_ref()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_query_hides_secret_values_and_keeps_the_rest() {
        let out = redact_query("/cb", Some("code=abc123&state=xyz&client_secret=s3cr3t"));
        assert_eq!(
            out,
            "/cb?code=%5Bredacted%5D&state=xyz&client_secret=%5Bredacted%5D"
        );
        assert!(!out.contains("abc123") && !out.contains("s3cr3t"));
    }

    #[test]
    fn journal_keeps_the_newest_entries_and_filters_by_client() {
        let journal = Journal::new(2);
        journal.record(
            1,
            None,
            Decision::refused("token", "invalid_client", "a").client("c1"),
        );
        journal.record(
            2,
            None,
            Decision::accepted("token", "token_issued", "b").client("c2"),
        );
        journal.record(
            3,
            None,
            Decision::accepted("token", "token_issued", "c").client("c1"),
        );
        let all = journal.query(&Filter::default());
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 3]);
        let c1 = journal.query(&Filter {
            client_id: Some("c1".into()),
            ..Filter::default()
        });
        assert_eq!(c1.len(), 1);
        assert_eq!(c1[0].reason, "c");
    }

    #[test]
    fn details_read_back_as_a_map_with_the_last_value_per_key() {
        let journal = Journal::new(10);
        journal.record(
            7,
            Some(3),
            Decision::info("http", "request", "GET / -> 200")
                .detail("status", 500)
                .detail("method", "GET")
                .detail("status", 200),
        );
        let e = &journal.query(&Filter::default())[0];
        assert_eq!(
            serde_json::to_value(e).unwrap(),
            serde_json::json!({
                "seq": 1, "at": 7, "request_id": 3, "endpoint": "http", "outcome": "info",
                "code": "request", "reason": "GET / -> 200",
                "details": {"method": "GET", "status": 200}
            })
        );
    }

    #[test]
    fn the_ring_grows_to_its_capacity_and_no_further() {
        let journal = Journal::new(5000);
        for i in 0..6000 {
            journal.record(i, None, Decision::info("t", "c", "r"));
        }
        let entries = journal.entries.lock().unwrap();
        assert_eq!(entries.len(), 5000);
        assert_eq!(entries.capacity(), 5000);
        assert_eq!(entries.front().map(|e| e.seq), Some(1001));
    }

    #[test]
    fn limit_keeps_the_newest_matching_entries() {
        let journal = Journal::new(10);
        for i in 0..6 {
            let d = if i % 2 == 0 {
                Decision::accepted("token", "token_issued", "ok")
            } else {
                Decision::refused("token", "invalid_client", "no")
            };
            journal.record(i, None, d);
        }
        let newest = journal.query(&Filter {
            code: Some("token_issued".into()),
            limit: Some(2),
            ..Filter::default()
        });
        assert_eq!(newest.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 5]);
    }

    #[test]
    fn fingerprint_does_not_contain_the_secret() {
        let fp = fingerprint("super-secret-token");
        assert!(fp.starts_with("sha256:") && fp.len() == 19 && !fp.contains("secret"));
    }
}
