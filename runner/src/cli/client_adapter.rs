//! `authconform client-adapter`: the reference OAuth client / auth provider
//! ([`reference::oauth_client`]) served on the JSON-lines adapter contract over stdio
//! ([`reference::stdio`]) with the system clock, until stdin closes.

use reference::oauth_client::{OAuthClientFault, ReferenceClient};
use reference::stdio::{Reference, serve_stdio, system_now};

use super::{CliError, Verdict};

#[derive(clap::Args)]
pub struct Args {
    /// Commit this client fault (repeatable; `authconform faults` lists them).
    #[arg(long = "fault")]
    faults: Vec<String>,
}

pub async fn exec(args: Args) -> Result<Verdict, CliError> {
    let mut parsed = Vec::new();
    for f in &args.faults {
        match f.parse::<OAuthClientFault>() {
            Ok(x) => parsed.push(x),
            Err(message) => {
                return Err(CliError::UnknownFault {
                    who: "authconform client-adapter",
                    message,
                });
            }
        }
    }
    let client = ReferenceClient::new(parsed, system_now());
    // Stdout gone means the peer that would read the replies left: exit 1 without a word.
    Ok(
        match serve_stdio(Reference::Client(Box::new(client))).await {
            Ok(()) => Verdict::Passed,
            Err(_) => Verdict::Failed,
        },
    )
}
