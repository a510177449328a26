//! Every step definition (design.md: they all live in the runner crate, or they can vanish at
//! link time). Given and When steps act; the one `check` step judges, dispatching its assertion
//! text to `assertions`.

mod agent;
mod agent_assertions;
mod assertions;
mod client;
mod client_assertions;
mod given;
mod mcp_assertions;
mod mcp_client;
mod mcp_client_assertions;
mod mcp_server;
mod rs;
pub(crate) mod rs_assertions;
mod when;
mod when_tokens;

use cucumber::then;

use crate::checks::{CheckResult, CheckStep, Severity, Status};
use crate::world::AuthWorld;

/// `check "<id>" <MUST|SHOULD|POLICY> (<spec>): <assertion>`.
#[then(regex = r#"^check "([a-z0-9][a-z0-9._-]*)" (MUST|SHOULD|POLICY) \(([^)]+)\): (.+)$"#)]
async fn check(w: &mut AuthWorld, step: &cucumber::gherkin::Step) -> Result<(), String> {
    let c = CheckStep::parse(&step.value).ok_or("malformed check step")?;
    w.agent.step = format!("check {}", c.id);
    let verdict = assertions::evaluate(w, &c.assertion).await;
    let (status, message) = match verdict {
        Ok(message) => (Status::Passed, message),
        Err(assertions::Failure::Hung(m)) => (Status::Hung, m),
        Err(assertions::Failure::Skipped(m)) => (Status::Skipped, m),
        Err(assertions::Failure::Failed(m)) => (
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
