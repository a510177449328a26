//! `authconform client-adapter`: the reference OAuth client / auth provider
//! ([`reference::oauth_client`]) served on the JSON-lines adapter contract over stdio
//! ([`reference::stdio`]) with the system clock, until stdin closes.

use reference::oauth_client::{OAuthClientFault, ReferenceClient};
use reference::stdio::{Reference, serve_stdio, system_now};

use super::{CliError, Verdict, adapter_verdict, parse_faults};

/// The flags of `authconform client-adapter`.
#[derive(clap::Args)]
pub struct Args {
    /// Commit this client fault (repeatable; `authconform faults` lists them).
    #[arg(long = "fault")]
    faults: Vec<String>,
}

/// Serves the reference OAuth client on stdio until stdin closes.
pub async fn exec(args: Args) -> Result<Verdict, CliError> {
    let faults: Vec<OAuthClientFault> = parse_faults(&args.faults, "authconform client-adapter")?;
    let client = ReferenceClient::new(faults, system_now());
    Ok(adapter_verdict(
        serve_stdio(Reference::Client(Box::new(client))).await,
    ))
}
