//! The roles a target can play, one folder each: its flow state (`flow.rs`), its Given/When steps
//! (`steps`) and its checks (`checks.rs`). Every step definition lives in the runner crate
//! (design.md: steps in other crates can vanish at link time). The one `check` step judges.

pub(crate) mod agent;
mod answer;
pub(crate) mod authorization_server;
pub(crate) mod client;
pub(crate) mod mcp_client;
pub(crate) mod mcp_server;
pub(crate) mod registry;
pub(crate) mod resource_server;

use cucumber::then;

use crate::check::outcome::{Failure, Outcome};
use crate::check::{CheckResult, CheckStep, Severity, Status};
use crate::world::AuthWorld;
use crate::world::role_states::RoleStates;
use registry::Check;

/// One role a target can play: its scenario tag, the profile section that makes a target play
/// it, the prefix of its check ids, and its checks.
pub(crate) struct Role {
    pub tag: &'static str,
    pub section: &'static str,
    pub id_prefix: &'static str,
    /// The role's check tables (its `checks.rs`, and one per family kept apart, e.g. DPoP).
    pub checks: &'static [&'static [Check]],
    /// Registers the role's state in a new scenario's World.
    pub init: fn(&mut RoleStates),
}

/// THE role table.
pub(crate) const ROLES: &[Role] = &[
    Role {
        tag: "as",
        section: "clients",
        id_prefix: "as.",
        checks: &[
            authorization_server::checks::CHECKS,
            authorization_server::dpop_checks::CHECKS,
            authorization_server::assertion_checks::CHECKS,
            authorization_server::id_jag_checks::CHECKS,
        ],
        init: authorization_server::flow::init,
    },
    Role {
        tag: "rs",
        section: "resource_server",
        id_prefix: "rs.",
        checks: &[resource_server::checks::CHECKS],
        init: resource_server::flow::init,
    },
    Role {
        tag: "mcp-server",
        section: "mcp_server",
        id_prefix: "mcp.",
        checks: &[mcp_server::checks::CHECKS],
        init: mcp_server::flow::init,
    },
    Role {
        tag: "mcp-client",
        section: "mcp_client",
        id_prefix: "mcp-client.",
        checks: &[
            mcp_client::checks::CHECKS,
            mcp_client::backcompat::CHECKS,
            mcp_client::dpop::CHECKS,
            mcp_client::callback_checks::CHECKS,
            mcp_client::client_auth_checks::CHECKS,
            mcp_client::client_credentials_checks::CHECKS,
            mcp_client::offline_access::CHECKS,
            mcp_client::workload::CHECKS,
        ],
        init: mcp_client::flow::init,
    },
    Role {
        tag: "client",
        section: "client",
        id_prefix: "client.",
        checks: &[client::checks::CHECKS],
        init: client::flow::init,
    },
    Role {
        tag: "agent",
        section: "agent",
        id_prefix: "agent.",
        checks: &[agent::checks::CHECKS],
        init: agent::flow::init,
    },
];

/// Registers every role's state in a new scenario's World.
pub(crate) fn init_states(states: &mut RoleStates) {
    for role in ROLES {
        (role.init)(states);
    }
}

/// The row of check `id`, found through the role its prefix names: the row of that id, else the
/// row whose outline template (`rs.roles.<role>.<op>`) it instantiates.
pub(crate) fn check_row(id: &str) -> Option<&'static Check> {
    let role = ROLES.iter().find(|r| id.starts_with(r.id_prefix))?;
    let rows = role.checks.iter().flat_map(|t| t.iter());
    rows.clone()
        .find(|c| c.id == id)
        .or_else(|| rows.clone().find(|c| registry::id_fits(c.id, id)))
}

/// Judges `c` with its evaluator.
async fn judge(w: &mut AuthWorld, c: &CheckStep) -> Outcome {
    let Some(row) = check_row(&c.id) else {
        return Err(Failure::Failed(format!(
            "no evaluator for check {:?} (a defect in the feature file or the role's table)",
            c.id
        )));
    };
    if !row.evaluator.text.fits(&c.assertion) {
        return Err(Failure::Failed(format!(
            "check {:?} asserts {:?}, which its evaluator does not judge (a defect in the feature file)",
            c.id, c.assertion
        )));
    }
    (row.evaluator.judge)(w, &c.assertion).await
}

/// `check "<id>" <MUST|SHOULD|POLICY> (<spec>): <assertion>`.
#[then(regex = r#"^check "([a-z0-9][a-z0-9._-]*)" (MUST|SHOULD|POLICY) \(([^)]+)\): (.+)$"#)]
async fn check(w: &mut AuthWorld, step: &cucumber::gherkin::Step) -> Result<(), String> {
    let c =
        CheckStep::of_step(&step.value, step.docstring.as_deref()).ok_or("malformed check step")?;
    w.agent.step = format!("check {}", c.id);
    let (status, message) = match judge(w, &c).await {
        Ok(message) => (Status::Passed, message),
        Err(Failure::Hung(m)) => (Status::Hung, m),
        Err(Failure::Skipped(m)) => (Status::Skipped, m),
        Err(Failure::Failed(m)) => (
            match c.severity {
                Severity::Must => Status::Failed,
                Severity::Policy if w.ctx.profile.strict => Status::Failed,
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
        quote: c.quote.clone(),
    });
    // A failed check does not stop the scenario: the checks after it are judged too. A target
    // that hung does: every later step would wait on it.
    match status {
        Status::Hung => Err(format!("check {} hung: {message}", c.id)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every check step of every scenario, outlines expanded: (file, check).
    fn check_steps() -> Vec<(String, CheckStep)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        crate::check::catalog::checks(&dir)
            .expect("the scenarios parse")
            .into_iter()
            .map(|e| (e.file.display().to_string(), e.check))
            .collect()
    }

    #[test]
    fn every_check_step_has_its_evaluator() {
        let steps = check_steps();
        assert!(steps.len() > 200, "only {} check steps found", steps.len());
        let mut problems = Vec::new();
        for (file, c) in &steps {
            match check_row(&c.id) {
                None => problems.push(format!("{file}: check {:?} has no evaluator", c.id)),
                Some(row) if !row.evaluator.text.fits(&c.assertion) => problems.push(format!(
                    "{file}: check {:?} asserts {:?}, but its evaluator judges {:?}",
                    c.id, c.assertion, row.evaluator.text
                )),
                Some(_) => {}
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_row_is_used_once_and_ids_are_unique() {
        let steps = check_steps();
        for role in ROLES {
            let mut seen = std::collections::HashSet::new();
            for row in role.checks.iter().flat_map(|t| t.iter()) {
                assert!(
                    row.id.starts_with(role.id_prefix),
                    "{} in the {} table",
                    row.id,
                    role.tag
                );
                assert!(
                    seen.insert(row.id),
                    "{} twice in the {} table",
                    row.id,
                    role.tag
                );
                assert!(
                    steps
                        .iter()
                        .any(|(_, c)| check_row(&c.id).map(|r| r.id) == Some(row.id)),
                    "{} is in the {} table, but no scenario checks it",
                    row.id,
                    role.tag
                );
            }
        }
    }

    #[test]
    fn every_check_quotes_the_sentence_that_sets_its_severity() {
        let problems: Vec<String> = check_steps()
            .into_iter()
            .filter_map(|(file, c)| c.quote_problem().map(|p| format!("{file}: {}: {p}", c.id)))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn outline_ids_fit_their_templates() {
        assert!(registry::id_fits(
            "rs.roles.<role>.<op>",
            "rs.roles.viewer.read_item"
        ));
        assert!(registry::id_fits(
            "agent.identity.<id>.x",
            "agent.identity.hs256-public-key.x"
        ));
        assert!(!registry::id_fits(
            "rs.roles.<role>.<op>",
            "rs.roles.viewer"
        ));
        assert!(!registry::id_fits("rs.roles.<role>", "rs.roles."));
        assert!(!registry::id_fits("as.pkce.x", "as.pkce.y"));
    }
}
