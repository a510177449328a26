//! The binary's one error enum (after nextest's `errors.rs`): every way a subcommand can end
//! without a verdict, each with its exit code. `Display` is the whole line `main.rs` prints on
//! stderr, word for word as the binary has always printed it.

use std::path::PathBuf;

use authconform::RunError;

/// Why a subcommand ended without a verdict.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The library could not produce a verdict: a bad target profile, tag expression or scenarios
    /// folder, an implementation under test that did not start, reports that cannot be written.
    #[error("authconform: {0}")]
    Setup(#[from] RunError),
    /// A `--fault` name no fault table of the subcommand knows; `message` is the table's own,
    /// which says how to list the faults, and `who` the speaker (`authconform mcp-client`).
    #[error("{who}: {message}")]
    UnknownFault { who: &'static str, message: String },
    /// `explain` found no scenario by that name fragment or check id.
    #[error("authconform: no scenario matches {query:?}; `authconform list` shows them all")]
    NoSuchScenario { query: String },
    /// The scenario catalogue cannot be read.
    #[error("authconform: {0}")]
    Catalog(String),
    /// The reference MCP client's arguments or environment are unusable.
    #[error("authconform mcp-client: {0}")]
    McpClientConfig(String),
    /// The reference MCP client ran and did not authorize and call a tool.
    #[error("authconform mcp-client: {0}")]
    McpClientFailed(String),
    /// `mutate` cannot write mutants.json.
    #[error("authconform: cannot write {}: {source}", dir.display())]
    WriteMutants {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The async runtime would not start.
    #[error("authconform: cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl CliError {
    /// 1 when the reference MCP client ran and failed (the conformance contract's "did not
    /// authorize"); 2, a setup error, for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Setup(e) => e.exit_code(),
            CliError::McpClientFailed(_) => 1,
            CliError::UnknownFault { .. }
            | CliError::NoSuchScenario { .. }
            | CliError::Catalog(_)
            | CliError::McpClientConfig(_)
            | CliError::WriteMutants { .. }
            | CliError::Runtime(_) => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_is_one_line_with_its_exit_code() {
        let broken = || std::io::Error::other("disk full");
        let said = |e: CliError| (e.exit_code(), e.to_string());
        assert_eq!(
            said(RunError::Usage("--update-baseline needs --baseline".into()).into()),
            (2, "authconform: --update-baseline needs --baseline".into())
        );
        assert_eq!(
            said(CliError::NoSuchScenario {
                query: "no such".into()
            }),
            (
                2,
                "authconform: no scenario matches \"no such\"; `authconform list` shows them all"
                    .into()
            )
        );
        assert_eq!(
            said(CliError::McpClientConfig("bad context".into())),
            (2, "authconform mcp-client: bad context".into())
        );
        assert_eq!(
            said(CliError::McpClientFailed("no tool called".into())),
            (1, "authconform mcp-client: no tool called".into())
        );
        assert_eq!(
            said(CliError::WriteMutants {
                dir: "out/mutants".into(),
                source: broken()
            }),
            (2, "authconform: cannot write out/mutants: disk full".into())
        );
        assert_eq!(
            said(CliError::Runtime(broken())),
            (
                2,
                "authconform: cannot start the async runtime: disk full".into()
            )
        );
    }
}
