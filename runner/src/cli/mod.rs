//! The `authconform` binary's subcommands, one file each: its flags (a clap `Args`, when it has
//! any) and what it does with them, ending in a [`Verdict`] or a [`CliError`]. Only `main.rs`
//! turns those into an exit code; nothing here exits the process, and nothing here belongs to
//! the `authconform` library (what another program could reuse lives there or in `reference`).

pub mod agent_adapter;
pub mod checks;
pub mod client_adapter;
mod error;
pub mod explain;
pub mod faults;
pub mod list;
pub mod mcp_client;
pub mod mutate;
pub mod run;

use std::fmt::Display;
use std::path::PathBuf;
use std::str::FromStr;

use authconform::check::catalog;

pub use error::CliError;

/// How a subcommand that ran to its end came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Exit 0: every check passed, or there was nothing to judge.
    Passed,
    /// Exit 1: a check failed, an expected failure is stale, a mutant survived, or an adapter's
    /// peer stopped reading its replies.
    Failed,
}

impl Verdict {
    /// The verdict a library exit code (0 or 1) stands for.
    pub fn from_exit_code(code: u8) -> Verdict {
        if code == 0 {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }

    /// The documented exit code: 0 passed, 1 failed.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Passed => 0,
            Verdict::Failed => 1,
        }
    }
}

/// The scenario catalogue `list` and `explain` read, from `--scenarios` or the default folder.
fn load_catalog(scenarios: Option<&PathBuf>) -> Result<Vec<catalog::Entry>, CliError> {
    let dir = authconform::scenarios_dir(scenarios)?;
    catalog::load(&dir).map_err(CliError::Catalog)
}

/// How an adapter subcommand ended: passed when stdin closed; failed, without a word, when
/// stdout could not be written, since the peer that would read a reply has left.
fn adapter_verdict(served: std::io::Result<()>) -> Verdict {
    match served {
        Ok(()) => Verdict::Passed,
        Err(_) => Verdict::Failed,
    }
}

/// The `--fault NAME` values of a subcommand, parsed with one fault table's `FromStr`: mock-idp's
/// `Fault`, a reference implementation's (`ClientFault`, `OAuthClientFault`, `AgentFault`), or
/// `Mutation` for all of them. The first unknown name is a setup error in the table's own words
/// (they say how to list the faults), spoken by `who`, e.g. `authconform mcp-client`.
fn parse_faults<F>(names: &[String], who: &'static str) -> Result<Vec<F>, CliError>
where
    F: FromStr,
    F::Err: Display,
{
    names
        .iter()
        .map(|name| {
            name.parse().map_err(|e: F::Err| CliError::UnknownFault {
                who,
                message: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use authconform::engine::mutate::Mutation;
    use reference::agent_server::AgentFault;
    use reference::mcp_client::ClientFault;
    use reference::oauth_client::OAuthClientFault;

    use super::*;

    fn names(names: impl IntoIterator<Item = &'static str>) -> Vec<String> {
        names.into_iter().map(String::from).collect()
    }

    #[test]
    fn every_fault_table_parses_its_own_names() {
        let idp = names(mock_idp::Fault::ALL.iter().map(|f| f.name()));
        assert_eq!(
            parse_faults::<mock_idp::Fault>(&idp, "authconform").unwrap(),
            mock_idp::Fault::ALL
        );
        let mcp = names(ClientFault::ALL.iter().map(|f| f.name()));
        assert_eq!(
            parse_faults::<ClientFault>(&mcp, "authconform").unwrap(),
            ClientFault::ALL
        );
        let oauth = names(OAuthClientFault::ALL.iter().map(|f| f.name()));
        assert_eq!(
            parse_faults::<OAuthClientFault>(&oauth, "authconform").unwrap(),
            OAuthClientFault::ALL
        );
        let agent = names(AgentFault::ALL.iter().map(|f| f.name()));
        assert_eq!(
            parse_faults::<AgentFault>(&agent, "authconform").unwrap(),
            AgentFault::ALL
        );
        let all = names(Mutation::all().into_iter().map(Mutation::name));
        assert_eq!(
            parse_faults::<Mutation>(&all, "authconform").unwrap(),
            Mutation::all()
        );
    }

    #[test]
    fn an_unknown_fault_name_is_a_setup_error_that_says_how_to_list_faults() {
        let nope = names(["nope"]);
        let said = |e: CliError| (e.exit_code(), e.to_string());
        assert_eq!(
            said(parse_faults::<ClientFault>(&nope, "authconform mcp-client").unwrap_err()),
            (
                2,
                "authconform mcp-client: unknown reference MCP client fault \"nope\"; \
                 `authconform faults` lists them"
                    .into()
            )
        );
        assert_eq!(
            said(
                parse_faults::<OAuthClientFault>(&nope, "authconform client-adapter").unwrap_err()
            ),
            (
                2,
                "authconform client-adapter: unknown reference OAuth client fault \"nope\"; \
                 `authconform faults` lists them"
                    .into()
            )
        );
        assert_eq!(
            said(parse_faults::<AgentFault>(&nope, "authconform agent-adapter").unwrap_err()),
            (
                2,
                "authconform agent-adapter: unknown reference agent server fault \"nope\"; \
                 `authconform faults` lists them"
                    .into()
            )
        );
        assert_eq!(
            said(parse_faults::<Mutation>(&nope, "authconform").unwrap_err()),
            (
                2,
                "authconform: unknown fault \"nope\"; `authconform faults` lists them".into()
            )
        );
    }
}
