//! The `authconform` binary's subcommands, one file each: its flags (a clap `Args`, when it has
//! any) and what it does with them, ending in a [`Verdict`] or a [`CliError`]. Only `main.rs`
//! turns those into an exit code; nothing here exits the process, and nothing here belongs to
//! the `authconform` library (what another program could reuse lives there or in `reference`).

pub mod agent_adapter;
pub mod client_adapter;
mod error;
pub mod explain;
pub mod faults;
pub mod list;
pub mod mcp_client;
pub mod mutate;
pub mod run;

use std::path::PathBuf;

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
