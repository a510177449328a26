//! `authconform run` as a library call: load the target, run the scenarios, apply expected
//! failures, write the reports, compare with the baseline, decide the exit code.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use mock_idp::Fault;

use crate::error::RunError;
use crate::report::baseline::{self, ExpectedFailures};
use crate::report::{self, Report, Totals};
use crate::target::{BUILTIN_MOCK_CONFIG, TargetProfile};
use crate::world::context::{RunContext, ScenarioRecord};

/// What `authconform run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub target: Option<PathBuf>,
    pub tags: Option<String>,
    pub out: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub expected_failures: Option<PathBuf>,
    pub update_baseline: bool,
    pub scenarios: Option<PathBuf>,
    /// Faults switched on in the built-in target (mutation runs).
    pub faults: Vec<Fault>,
    /// Faults switched on in the built-in reference MCP client (mutation runs).
    pub client_faults: Vec<reference::mcp_client::ClientFault>,
    /// Faults switched on in the built-in reference OAuth client (mutation runs).
    pub oauth_client_faults: Vec<reference::oauth_client::OAuthClientFault>,
    /// Faults switched on in the built-in reference agent server (mutation runs).
    pub agent_faults: Vec<reference::agent_server::AgentFault>,
    /// Scenarios at once (default 16).
    pub concurrency: Option<usize>,
    /// Write no report files (mutation runs).
    pub no_reports: bool,
}

/// What a run found.
#[derive(Debug)]
pub struct RunSummary {
    pub target: String,
    pub totals: Totals,
    pub records: Vec<ScenarioRecord>,
    /// Baseline differences and stale expected failures, for the console.
    pub notes: Vec<String>,
    pub stale: Vec<String>,
    pub out_dir: Option<PathBuf>,
}

impl RunSummary {
    /// 0 all passed (warnings and skips allowed), 1 a check failed or an expectation is stale.
    pub fn exit_code(&self) -> u8 {
        if self.totals.failed + self.totals.hung > 0 || !self.stale.is_empty() {
            1
        } else {
            0
        }
    }

    /// The closing line: `N passed, N failed, N skipped` (warned count as passed, hung as
    /// failed), and `, N stale` when expected failures no longer fail (they fail the run too).
    pub fn closing_line(&self) -> String {
        let t = self.totals;
        let stale = if self.stale.is_empty() {
            String::new()
        } else {
            format!(", {} stale", self.stale.len())
        };
        format!(
            "{} passed, {} failed, {} skipped{stale}",
            t.passed + t.warned,
            t.failed + t.hung,
            t.skipped
        )
    }
}

/// The scenarios folder: `--scenarios`, else `./scenarios`, else the one beside the sources.
pub fn scenarios_dir(given: Option<&PathBuf>) -> Result<PathBuf, RunError> {
    let candidates: Vec<PathBuf> = match given {
        Some(p) => vec![p.clone()],
        None => vec![
            PathBuf::from("scenarios"),
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios")),
        ],
    };
    candidates.into_iter().find(|p| p.is_dir()).ok_or_else(|| {
        RunError::Scenarios(format!(
            "no scenarios folder at {:?}; pass --scenarios DIR",
            given
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "scenarios".into())
        ))
    })
}

/// Loads the target profile and, for the built-in target, the mock-idp config.
pub fn load_target(
    path: Option<&PathBuf>,
) -> Result<(TargetProfile, PathBuf, Option<mock_idp::Config>), RunError> {
    let (profile, dir) = match path {
        None => (TargetProfile::builtin(), PathBuf::from(".")),
        Some(p) => TargetProfile::load(p)?,
    };
    let mock = match &profile.builtin {
        None => match profile.mock_idp_listen() {
            // An MCP client under test meets a fresh mock-idp per scenario (on port 0).
            None if profile.mcp_client.is_some()
                || profile.client.is_some()
                || profile.agent.is_some() =>
            {
                Some(
                    mock_idp::Config::from_yaml(
                        BUILTIN_MOCK_CONFIG,
                        "builtin-mock-idp.yaml",
                        &|v| std::env::var(v).ok(),
                    )
                    .map_err(|e| RunError::MockConfig(e.to_string()))?,
                )
            }
            // A resource or MCP server under test trusts the runner's mock-idp at a fixed address.
            Some(listen) => {
                let mut config = mock_idp::Config::from_yaml(
                    BUILTIN_MOCK_CONFIG,
                    "builtin-mock-idp.yaml",
                    &|v| std::env::var(v).ok(),
                )
                .map_err(|e| RunError::MockConfig(e.to_string()))?;
                config.listen = listen.to_string();
                Some(config)
            }
            None => None,
        },
        Some(b) => {
            let config = match b.config.as_deref() {
                None | Some("builtin") => mock_idp::Config::from_yaml(
                    BUILTIN_MOCK_CONFIG,
                    "builtin-mock-idp.yaml",
                    &|v| std::env::var(v).ok(),
                ),
                Some(file) => mock_idp::Config::from_file(&dir.join(file)),
            }
            .map_err(|e| RunError::MockConfig(e.to_string()))?;
            let mut config = config;
            config.faults.extend(b.faults.iter().copied());
            Some(config)
        }
    };
    Ok((profile, dir, mock))
}

/// Runs the suite against a target and writes the reports.
pub async fn run(opts: &RunOptions) -> Result<RunSummary, RunError> {
    let began = Instant::now();
    let started = protocol::time::now_rfc3339();
    let (profile, dir, mock_config) = load_target(opts.target.as_ref())?;
    let tags = opts
        .tags
        .as_deref()
        .map(crate::engine::driver::parse_tags)
        .transpose()?;
    let scenarios = scenarios_dir(opts.scenarios.as_ref())?;
    let expected = opts
        .expected_failures
        .as_ref()
        .map(|p| ExpectedFailures::load(p))
        .transpose()
        .map_err(RunError::Usage)?;
    let mut roots = Vec::new();
    if let Some(ca) = &profile.ca_file {
        let pem = std::fs::read(dir.join(ca))
            .map_err(|e| RunError::Usage(format!("ca_file {}: {e}", ca.display())))?;
        roots.push(
            reqwest::Certificate::from_pem(&pem)
                .map_err(|e| RunError::Usage(format!("ca_file {}: {e}", ca.display())))?,
        );
    }
    // A resource server under test learns the issuer it must trust from the environment.
    let env: Vec<(String, String)> = profile
        .mock_idp_listen()
        .map(|addr| {
            vec![
                ("AUTHCONFORM_ISSUER".into(), format!("http://{addr}")),
                ("AUTHCONFORM_JWKS_URI".into(), format!("http://{addr}/jwks")),
            ]
        })
        .unwrap_or_default();
    let _launched = match &profile.start {
        Some(spec) => Some(
            crate::target::launch::start(spec, &dir, &env)
                .await
                .map_err(RunError::Launch)?,
        ),
        None => None,
    };
    let name = profile.name.clone();
    // An external resource server trusts one mock-idp address: one scenario at a time.
    let concurrency = if profile.mock_idp_listen().is_some() && !profile.is_builtin() {
        Some(1)
    } else {
        profile.concurrency
    };
    let ctx = Arc::new(RunContext {
        profile,
        profile_dir: dir,
        mock_config,
        faults: opts.faults.clone(),
        client_faults: opts.client_faults.clone(),
        oauth_client_faults: opts.oauth_client_faults.clone(),
        agent_faults: opts.agent_faults.clone(),
        roots,
        records: Mutex::new(Vec::new()),
    });
    let mut records = crate::engine::driver::run_scenarios(
        ctx,
        &scenarios,
        tags,
        opts.concurrency.or(concurrency).unwrap_or(16),
    )
    .await;
    if records.is_empty() {
        return Err(RunError::Scenarios(format!(
            "no scenario in {} matched{}",
            scenarios.display(),
            opts.tags
                .as_deref()
                .map(|t| format!(" --tags {t}"))
                .unwrap_or_default()
        )));
    }
    let stale = expected.map(|e| e.apply(&mut records)).unwrap_or_default();
    let totals = Totals::of(&records);
    let mut summary = RunSummary {
        target: name.clone(),
        totals,
        records,
        notes: Vec::new(),
        stale,
        out_dir: None,
    };
    if opts.no_reports {
        return Ok(summary);
    }
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("target/authconform").join(&name));
    let report = Report {
        target: &name,
        started,
        duration_ms: began.elapsed().as_millis() as u64,
        totals,
        scenarios: &summary.records,
    };
    report::write_all(&out, &report).map_err(|source| RunError::Reports {
        dir: out.display().to_string(),
        source,
    })?;
    if let Some(b) = &opts.baseline {
        if opts.update_baseline {
            baseline::update(b, &out).map_err(|source| RunError::Reports {
                dir: b.display().to_string(),
                source,
            })?;
            summary
                .notes
                .push(format!("baseline {} updated", b.display()));
        } else {
            summary
                .notes
                .extend(baseline::diff(b, &summary.records, &out).map_err(RunError::Usage)?);
        }
    } else if opts.update_baseline {
        return Err(RunError::Usage(
            "--update-baseline needs --baseline DIR".into(),
        ));
    }
    summary.out_dir = Some(out);
    Ok(summary)
}
