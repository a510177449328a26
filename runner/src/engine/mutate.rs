//! `authconform mutate`: the mutation self-test. The suite runs once clean and once per fault of
//! a built-in component (mock-idp, the reference MCP and OAuth clients, the reference agent
//! server) against the built-in target; a fault is killed when at least one scenario fails with
//! it on. A fault nothing kills is a hole in the suite.

use std::path::PathBuf;
use std::str::FromStr;

use futures::StreamExt as _;
use mock_idp::Fault;
use serde::Serialize;

use crate::check::Status;
use crate::engine::run::{RunOptions, run};
use crate::error::RunError;
use reference::agent_server::AgentFault;
use reference::mcp_client::ClientFault;
use reference::oauth_client::OAuthClientFault;

/// A fault of one of the built-in components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    Idp(Fault),
    Client(ClientFault),
    OAuthClient(OAuthClientFault),
    Agent(AgentFault),
}

impl Mutation {
    /// Every fault: mock-idp's, then the reference MCP client's.
    pub fn all() -> Vec<Mutation> {
        Fault::ALL
            .iter()
            .map(|f| Mutation::Idp(*f))
            .chain(ClientFault::ALL.iter().map(|f| Mutation::Client(*f)))
            .chain(
                OAuthClientFault::ALL
                    .iter()
                    .map(|f| Mutation::OAuthClient(*f)),
            )
            .chain(AgentFault::ALL.iter().map(|f| Mutation::Agent(*f)))
            .collect()
    }

    pub fn name(self) -> &'static str {
        match self {
            Mutation::Idp(f) => f.name(),
            Mutation::Client(f) => f.name(),
            Mutation::OAuthClient(f) => f.name(),
            Mutation::Agent(f) => f.name(),
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Mutation::Idp(f) => f.description(),
            Mutation::Client(f) => f.description(),
            Mutation::OAuthClient(f) => f.description(),
            Mutation::Agent(f) => f.description(),
        }
    }

    /// The role tag of the scenarios that can notice it.
    pub fn role(self) -> &'static str {
        match self {
            Mutation::Idp(f) => f.role(),
            Mutation::Client(_) => "mcp-client",
            Mutation::OAuthClient(_) => "client",
            Mutation::Agent(_) => "agent",
        }
    }
}

impl FromStr for Mutation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<Fault>()
            .map(Mutation::Idp)
            .or_else(|_| s.parse::<ClientFault>().map(Mutation::Client))
            .or_else(|_| s.parse::<OAuthClientFault>().map(Mutation::OAuthClient))
            .or_else(|_| s.parse::<AgentFault>().map(Mutation::Agent))
            .map_err(|_| format!("unknown fault {s:?}; `authconform faults` lists them"))
    }
}

/// One mutant's fate.
#[derive(Debug, Clone, Serialize)]
pub struct Mutant {
    pub fault: String,
    pub killed: bool,
    pub killed_by: Vec<String>,
}

/// The whole self-test.
#[derive(Debug)]
pub struct MutationReport {
    pub clean_passed: bool,
    pub clean_failures: Vec<String>,
    pub mutants: Vec<Mutant>,
}

impl MutationReport {
    pub fn exit_code(&self) -> u8 {
        if self.clean_passed && self.mutants.iter().all(|m| m.killed) {
            0
        } else {
            1
        }
    }
}

/// Runs the clean suite and one suite per fault (`only`: just those faults).
pub async fn mutate(
    only: &[Mutation],
    scenarios: Option<PathBuf>,
    tags: Option<String>,
) -> Result<MutationReport, RunError> {
    let base = RunOptions {
        scenarios,
        tags,
        no_reports: true,
        ..RunOptions::default()
    };
    let clean = run(&base).await?;
    let clean_failures: Vec<String> = clean
        .records
        .iter()
        .filter(|r| matches!(r.status, Status::Failed | Status::Hung))
        .map(|r| r.name.clone())
        .collect();
    let clean_status: std::collections::HashMap<String, Status> = clean
        .records
        .iter()
        .map(|r| (r.name.clone(), r.status))
        .collect();
    let faults: Vec<Mutation> = if only.is_empty() {
        Mutation::all()
    } else {
        only.to_vec()
    };
    let runs = futures::stream::iter(faults.into_iter().map(|fault| {
        // Only the scenarios of the role whose component the fault breaks can notice it.
        let role = format!("@{}", fault.role());
        let (mut idp, mut client, mut oauth, mut agent) = (vec![], vec![], vec![], vec![]);
        match fault {
            Mutation::Idp(f) => idp.push(f),
            Mutation::Client(f) => client.push(f),
            Mutation::OAuthClient(f) => oauth.push(f),
            Mutation::Agent(f) => agent.push(f),
        }
        let opts = RunOptions {
            faults: idp,
            client_faults: client,
            oauth_client_faults: oauth,
            agent_faults: agent,
            concurrency: Some(8),
            tags: Some(match &base.tags {
                Some(t) => format!("{role} and ({t})"),
                None => role,
            }),
            ..base.clone()
        };
        async move { (fault, run(&opts).await) }
    }))
    .buffered(3)
    .collect::<Vec<_>>()
    .await;
    let mut mutants = Vec::new();
    for (fault, result) in runs {
        let summary = match result {
            Ok(s) => s,
            // --tags selected no scenario of this fault's role: nothing can kill it.
            Err(RunError::Scenarios(_)) => {
                mutants.push(Mutant {
                    fault: fault.name().to_string(),
                    killed: false,
                    killed_by: Vec::new(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let killed_by: Vec<String> = summary
            .records
            .iter()
            // Killed: a scenario's verdict got worse than in the clean run. A SHOULD or policy
            // check that now warns counts: the suite noticed the deviation and reported it.
            .filter(|r| {
                clean_status.get(&r.name).is_some_and(|clean| {
                    *clean != Status::Skipped && r.status != Status::Skipped && r.status > *clean
                })
            })
            .map(|r| r.name.clone())
            .collect();
        mutants.push(Mutant {
            fault: fault.name().to_string(),
            killed: !killed_by.is_empty(),
            killed_by,
        });
    }
    Ok(MutationReport {
        clean_passed: clean_failures.is_empty(),
        clean_failures,
        mutants,
    })
}
