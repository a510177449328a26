//! What one run shares between its scenarios: the target profile, the faults a mutation run
//! switches on, and the collector of scenario records. It reaches each scenario's World through
//! a task-local, so several runs (the mutants of `authconform mutate`) can go at once in one
//! process without sharing anything.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mock_idp::Fault;
use serde::Serialize;

use crate::check::{CheckResult, Status};
use crate::http::user_agent::Exchange;
use crate::target::TargetProfile;

/// One scenario's outcome, as the reports need it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRecord {
    pub name: String,
    pub feature: String,
    pub tags: Vec<String>,
    pub status: Status,
    pub duration_ms: u64,
    pub checks: Vec<CheckResult>,
    /// Why the scenario stopped early (a failed step, a skip reason), redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub transcript: Vec<Exchange>,
}

/// Shared by every scenario of a run.
pub struct RunContext {
    pub profile: TargetProfile,
    pub profile_dir: PathBuf,
    /// The built-in target's mock-idp configuration.
    pub mock_config: Option<mock_idp::Config>,
    /// Faults switched on in every scenario (mutation runs).
    pub faults: Vec<Fault>,
    /// Faults switched on in the reference MCP client (mutation runs).
    pub client_faults: Vec<reference::mcp_client::ClientFault>,
    /// Faults switched on in the reference OAuth client (mutation runs).
    pub oauth_client_faults: Vec<reference::oauth_client::OAuthClientFault>,
    /// Faults switched on in the reference agent server (mutation runs).
    pub agent_faults: Vec<reference::agent_server::AgentFault>,
    pub roots: Vec<reqwest::Certificate>,
    pub records: Mutex<Vec<ScenarioRecord>>,
}

tokio::task_local! {
    /// The context of the run the current task belongs to.
    pub static RUN: Arc<RunContext>;
}

impl RunContext {
    pub fn push(&self, record: ScenarioRecord) {
        self.records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(record);
    }

    pub fn take_records(&self) -> Vec<ScenarioRecord> {
        std::mem::take(&mut *self.records.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
