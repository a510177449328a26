//! Running the scenarios of one target: cucumber over the feature files, a fresh World per
//! scenario, and an after-hook that turns each finished scenario into a [`ScenarioRecord`] with
//! its checks, its verdict and its redacted transcript.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use cucumber::event::{ScenarioFinished, StepError};
use cucumber::tag::Ext as _;
use cucumber::{World as _, writer};
use futures::FutureExt as _;

use crate::check::outcome::SKIP;
use crate::check::{CheckResult, CheckStep, Severity, Status};
use crate::roles::{ROLES, init_states};
use crate::world::AuthWorld;
use crate::world::context::{RUN, RunContext, ScenarioRecord};

/// A tag expression that cannot be parsed.
#[derive(Debug, thiserror::Error)]
#[error("--tags {expr:?} is not a tag expression ({reason}); write e.g. \"@as and not @slow\"")]
pub struct BadTags {
    pub expr: String,
    pub reason: String,
}

/// Parses a `--tags` expression.
pub fn parse_tags(expr: &str) -> Result<cucumber::gherkin::tagexpr::TagOperation, BadTags> {
    expr.parse::<cucumber::gherkin::tagexpr::TagOperation>()
        .map_err(|e| BadTags {
            expr: expr.into(),
            reason: e.to_string(),
        })
}

fn panic_text(info: &cucumber::event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        "the step panicked".into()
    }
}

/// Decides a scenario's status from its checks and how it ended.
fn verdict(checks: &[CheckResult], ended: &ScenarioFinished) -> (Status, Option<String>) {
    let worst = checks.iter().map(|c| c.status).max();
    let hung = worst == Some(Status::Hung);
    match ended {
        ScenarioFinished::StepFailed(_, _, e) => {
            let text = match e {
                StepError::Panic(info) => panic_text(info),
                other => other.to_string(),
            };
            if let Some(reason) = text.strip_prefix(SKIP) {
                return (Status::Skipped, Some(reason.to_string()));
            }
            if hung || text.contains("(hung)") {
                return (Status::Hung, Some(text));
            }
            (Status::Failed, Some(text))
        }
        ScenarioFinished::BeforeHookFailed(_) => {
            (Status::Failed, Some("the before hook failed".into()))
        }
        ScenarioFinished::StepSkipped => (
            Status::Failed,
            Some("a step matched no step definition (a defect in the feature file)".into()),
        ),
        ScenarioFinished::StepPassed => match worst {
            None => (Status::Failed, Some("the scenario made no check".into())),
            Some(Status::Hung) => (Status::Hung, None),
            Some(Status::Failed) => (Status::Failed, None),
            Some(Status::Warned) => (Status::Warned, None),
            Some(Status::Skipped) if checks.iter().all(|c| c.status == Status::Skipped) => {
                (Status::Skipped, None)
            }
            Some(_) => (
                if checks.iter().any(|c| c.status == Status::Warned) {
                    Status::Warned
                } else {
                    Status::Passed
                },
                None,
            ),
        },
    }
}

/// The checks of `scenario` that were never judged because a step before them stopped it:
/// skipped with why (or hung, when the target hung), so every check of a scenario is reported.
fn unjudged(
    scenario: &cucumber::gherkin::Scenario,
    judged: &[CheckResult],
    status: Status,
    note: Option<&str>,
) -> Vec<CheckResult> {
    let mut seen: Vec<&str> = judged.iter().map(|c| c.id.as_str()).collect();
    let why = note.unwrap_or("a step before it did not finish");
    let mut out = Vec::new();
    for (n, st) in scenario.steps.iter().enumerate() {
        let Some(c) = CheckStep::of_step(&st.value, st.docstring.as_deref()) else {
            continue;
        };
        if let Some(i) = seen.iter().position(|id| *id == c.id) {
            seen.remove(i);
            continue;
        }
        out.push(CheckResult {
            id: c.id,
            status: if status == Status::Hung {
                Status::Hung
            } else {
                Status::Skipped
            },
            severity: c.severity,
            spec: c.spec,
            message: format!("not judged (step {} of the scenario): {why}", n + 1),
            quote: c.quote,
        });
    }
    out
}

/// Whether a scenario with `tags` is for a role the target plays (one without role tag always is).
fn plays_role<'a>(roles: &[&str], tags: impl Iterator<Item = &'a String>) -> bool {
    let mut any_role = false;
    for t in tags {
        if ROLES.iter().any(|r| r.tag == t) {
            any_role = true;
            if roles.contains(&t.as_str()) {
                return true;
            }
        }
    }
    !any_role
}

/// Runs every scenario under `dir` matching `tags`, for the roles the target plays.
pub async fn run_scenarios(
    ctx: Arc<RunContext>,
    dir: &Path,
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    concurrency: usize,
) -> Vec<ScenarioRecord> {
    let started = Arc::new(std::sync::Mutex::new(std::collections::HashMap::<
        String,
        Instant,
    >::new()));
    let started_before = started.clone();
    let cucumber = AuthWorld::cucumber()
        .with_writer(writer::Basic::new(
            std::io::sink(),
            writer::Coloring::Never,
            writer::Verbosity::Default,
        ))
        .with_cli(cucumber::cli::Opts::<_, _, _, cucumber::cli::Empty>::default())
        .max_concurrent_scenarios(concurrency.max(1))
        .before(move |_, _, scenario, world| {
            init_states(&mut world.roles);
            let started = started_before.clone();
            let key = format!("{}:{}", scenario.name, scenario.position.line);
            async move {
                started
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key, Instant::now());
            }
            .boxed_local()
        })
        .after(move |feature, _rule, scenario, ended, world| {
            let key = format!("{}:{}", scenario.name, scenario.position.line);
            let began = started
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&key);
            let feature_name = feature.name.clone();
            let tags: Vec<String> = feature
                .tags
                .iter()
                .chain(scenario.tags.iter())
                .cloned()
                .collect();
            let name = scenario.name.clone();
            let scenario_steps = scenario.clone();
            async move {
                let Some(world) = world else { return };
                let (status, note) = verdict(&world.checks, ended);
                let mut note = note.map(|n| world.agent.redactor.apply(n.trim_start_matches(SKIP)));
                // An adapter under test stops with the scenario; what it said explains a failure.
                for stopping in world.roles.stop_all() {
                    let said = stopping.await;
                    let tail: Vec<&str> = said.lines().rev().take(10).collect();
                    if matches!(status, Status::Failed | Status::Hung) && !tail.is_empty() {
                        let tail: Vec<&str> = tail.into_iter().rev().collect();
                        let said = world.agent.redactor.apply(&tail.join("\n"));
                        note = Some(format!(
                            "{}the adapter said on stderr:\n{said}",
                            note.map(|n| format!("{n}\n")).unwrap_or_default()
                        ));
                    }
                }
                let mut checks = world.checks.clone();
                let missing = unjudged(&scenario_steps, &checks, status, note.as_deref());
                checks.extend(missing);
                if status == Status::Failed && !checks.iter().any(|c| c.status == Status::Failed) {
                    checks.push(CheckResult {
                        id: "scenario.completes".into(),
                        status: Status::Failed,
                        severity: Severity::Must,
                        spec: "authconform".into(),
                        message: note.clone().unwrap_or_default(),
                        quote: None,
                    });
                }
                let record = ScenarioRecord {
                    name,
                    feature: feature_name,
                    tags,
                    status,
                    duration_ms: began.map(|b| b.elapsed().as_millis() as u64).unwrap_or(0),
                    checks,
                    note,
                    transcript: world.agent.redacted_exchanges(),
                };
                if let Some(idp) = world.idp.take() {
                    idp.shutdown().await;
                }
                world.ctx.push(record);
            }
            .boxed_local()
        });
    let ctx2 = ctx.clone();
    let roles: Vec<&str> = ROLES
        .iter()
        .filter(|r| ctx.profile.has_section(r.section))
        .map(|r| r.tag)
        .collect();
    let fut = async move {
        cucumber
            .filter_run(dir, move |feature, _rule, scenario| {
                let all = || feature.tags.iter().chain(scenario.tags.iter());
                plays_role(&roles, all()) && tags.as_ref().is_none_or(|op| op.eval(all()))
            })
            .await;
    };
    RUN.scope(ctx2, fut).await;
    let mut records = ctx.take_records();
    records.sort_by(|a, b| {
        (a.feature.as_str(), a.name.as_str()).cmp(&(b.feature.as_str(), b.name.as_str()))
    });
    records
}
