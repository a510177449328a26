//! The roles a target can play, one folder each: its flow state (`flow.rs`), its Given/When steps
//! (`steps`) and its checks (`checks.rs`). Every step definition lives in the runner crate
//! (design.md: steps in other crates can vanish at link time). The one `check` step judges.

pub(crate) mod agent;
pub(crate) mod authorization_server;
pub(crate) mod client;
pub(crate) mod mcp_client;
pub(crate) mod mcp_server;
pub(crate) mod resource_server;

use cucumber::then;

use crate::check::{CheckResult, CheckStep, Severity, Status};
use crate::world::AuthWorld;

/// `check "<id>" <MUST|SHOULD|POLICY> (<spec>): <assertion>`.
#[then(regex = r#"^check "([a-z0-9][a-z0-9._-]*)" (MUST|SHOULD|POLICY) \(([^)]+)\): (.+)$"#)]
async fn check(w: &mut AuthWorld, step: &cucumber::gherkin::Step) -> Result<(), String> {
    let c = CheckStep::parse(&step.value).ok_or("malformed check step")?;
    w.agent.step = format!("check {}", c.id);
    let verdict = authorization_server::checks::evaluate(w, &c.assertion).await;
    let (status, message) = match verdict {
        Ok(message) => (Status::Passed, message),
        Err(authorization_server::checks::Failure::Hung(m)) => (Status::Hung, m),
        Err(authorization_server::checks::Failure::Skipped(m)) => (Status::Skipped, m),
        Err(authorization_server::checks::Failure::Failed(m)) => (
            match c.severity {
                Severity::Must => Status::Failed,
                Severity::Should | Severity::Policy => Status::Warned,
            },
            m,
        ),
    };
    let message = w.agent.redactor.apply(&message);
    w.checks.push(CheckResult {
        id: c.id.clone(),
        status,
        severity: c.severity,
        spec: c.spec.clone(),
        message: message.clone(),
    });
    match status {
        Status::Failed | Status::Hung => Err(format!("check {} failed: {message}", c.id)),
        _ => Ok(()),
    }
}
