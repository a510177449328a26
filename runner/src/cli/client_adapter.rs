//! `authconform client-adapter`: the reference OAuth client / auth provider
//! ([`reference::oauth_client`]) served on the JSON-lines adapter contract over stdio
//! ([`reference::stdio`]) with the system clock, until stdin closes.

use reference::oauth_client::{OAuthClientFault, ReferenceClient};
use reference::stdio::{Reference, serve_stdio, system_now};

use super::{CliError, Verdict, parse_faults};

#[derive(clap::Args)]
pub struct Args {
    /// Commit this client fault (repeatable; `authconform faults` lists them).
    #[arg(long = "fault")]
    faults: Vec<String>,
}

pub async fn exec(args: Args) -> Result<Verdict, CliError> {
    let faults: Vec<OAuthClientFault> = parse_faults(&args.faults, "authconform client-adapter")?;
    let client = ReferenceClient::new(faults, system_now());
    // Stdout gone means the peer that would read the replies left: exit 1 without a word.
    Ok(
        match serve_stdio(Reference::Client(Box::new(client))).await {
            Ok(()) => Verdict::Passed,
            Err(_) => Verdict::Failed,
        },
    )
}
