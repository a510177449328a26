//! `authconform agent-adapter`: the reference multi-user agent server
//! ([`reference::agent_server`]) served on the agent side of the JSON-lines adapter contract over
//! stdio ([`reference::stdio`]) with the system clock, until stdin closes.

use reference::agent_server::{AgentFault, ReferenceAgent};
use reference::stdio::{Reference, serve_stdio, system_now};

use super::{CliError, Verdict, adapter_verdict, parse_faults};

/// The flags of `authconform agent-adapter`.
#[derive(clap::Args)]
pub struct Args {
    /// Commit this agent-server fault (repeatable; `authconform faults` lists them).
    #[arg(long = "fault")]
    faults: Vec<String>,
}

/// Serves the reference agent server on stdio until stdin closes.
pub async fn exec(args: Args) -> Result<Verdict, CliError> {
    let faults: Vec<AgentFault> = parse_faults(&args.faults, "authconform agent-adapter")?;
    let agent = ReferenceAgent::new(faults, system_now());
    Ok(adapter_verdict(
        serve_stdio(Reference::Agent(Box::new(agent))).await,
    ))
}
