//! The `authconform` binary: parse the command line, hand the subcommand to its file under
//! `cli/`, map how it ended to an exit code.
//!
//! Exit codes: 0 all checks passed; 1 a check failed (or an expected failure is stale, or a
//! mutant survived); 2 a setup error (bad target profile or options, the implementation under
//! test did not start). The last stdout line of `run` is `N passed, N failed, N skipped`.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::{CliError, Verdict};

#[derive(Parser)]
#[command(
    name = "authconform",
    version,
    about = "Conformance scenarios for OAuth 2.x, OpenID Connect and MCP authorization"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The scenarios folder (default: ./scenarios, else the one the binary was built with).
    #[arg(long, global = true)]
    scenarios: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the scenarios against a target (default: the built-in mock-idp).
    Run(cli::run::Args),
    /// List the scenarios with their tags and spec references.
    List,
    /// Say what a scenario does, what it checks and which spec lines it follows.
    Explain(cli::explain::Args),
    /// The catalogue of checks: id, severity, spec references and the quoted sentence that sets
    /// the severity.
    Checks(cli::checks::Args),
    /// The reference MCP client, on the MCP conformance suite's client contract: the server URL
    /// last; MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_PROTOCOL_VERSION and
    /// MCP_CONFORMANCE_CONTEXT (JSON: client_id, client_secret) from the environment. Exit 0 when
    /// it authorized and called a tool, 1 when it did not, 2 on bad arguments.
    McpClient(cli::mcp_client::Args),
    /// The reference OAuth client / auth provider as an adapter process: JSON lines on stdio
    /// (docs/adapters.md), the system clock. Exit 0 when stdin closes.
    ClientAdapter(cli::client_adapter::Args),
    /// The reference multi-user agent server as an adapter process: JSON lines on stdio
    /// (docs/adapters.md, "Multi-user agent servers"), the system clock. Exit 0 when stdin closes.
    AgentAdapter(cli::agent_adapter::Args),
    /// List the faults of the built-in components (mock-idp, the reference MCP and OAuth
    /// clients, the reference agent server).
    Faults,
    /// The mutation self-test: every fault of the built-in components must make some scenario
    /// fail.
    Mutate(cli::mutate::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("AUTHCONFORM_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .init();
    // Steps report failures by panicking; cucumber catches them and the reports carry the text.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return exit(Err(CliError::Runtime(e))),
    };
    // Reported before the runtime drops, as the subcommands always did.
    exit(runtime.block_on(dispatch(cli)))
}

async fn dispatch(cli: Cli) -> Result<Verdict, CliError> {
    let scenarios = cli.scenarios;
    match cli.command {
        Command::Run(args) => cli::run::exec(args, scenarios).await,
        Command::List => cli::list::exec(scenarios.as_ref()),
        Command::Checks(args) => cli::checks::exec(args, scenarios.as_ref()),
        Command::Explain(args) => cli::explain::exec(args, scenarios.as_ref()),
        Command::McpClient(args) => cli::mcp_client::exec(args).await,
        Command::ClientAdapter(args) => cli::client_adapter::exec(args).await,
        Command::AgentAdapter(args) => cli::agent_adapter::exec(args).await,
        Command::Faults => cli::faults::exec(),
        Command::Mutate(args) => cli::mutate::exec(args, scenarios).await,
    }
}

/// The documented exit code of how a subcommand ended; an error is said on stderr first.
fn exit(ended: Result<Verdict, CliError>) -> ExitCode {
    ExitCode::from(match ended {
        Ok(verdict) => verdict.exit_code(),
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    })
}
