//! The `authconform` binary: parse the command line, call the library, print, exit.
//!
//! Exit codes: 0 all checks passed; 1 a check failed (or an expected failure is stale, or a
//! mutant survived); 2 a setup error (bad target profile or options, the implementation under
//! test did not start). The last stdout line of `run` is `N passed, N failed, N skipped`.

use std::path::PathBuf;
use std::process::ExitCode;

use authconform::RunOptions;
use authconform::check::catalog;
use authconform::engine::mutate;
use authconform::engine::mutate::Mutation;
use clap::{Parser, Subcommand};
use reference::mcp_client::{self, ClientFault};
use reference::stdio::{Reference, serve_stdio, system_now};

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
    Run {
        /// Target profile (YAML); see fixtures/targets/.
        #[arg(long)]
        target: Option<PathBuf>,
        /// Tag expression, e.g. "@as and not @slow".
        #[arg(long)]
        tags: Option<String>,
        /// Report folder (default target/authconform/<target-name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Compare with the accepted run in this folder.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Known failures: `scenario` or `scenario:check-id` per line.
        #[arg(long)]
        expected_failures: Option<PathBuf>,
        /// Accept this run as the baseline (needs --baseline).
        #[arg(long)]
        update_baseline: bool,
        /// Scenarios at once (default: the profile's `concurrency`, else 16).
        #[arg(long)]
        concurrency: Option<usize>,
    },
    /// List the scenarios with their tags and spec references.
    List,
    /// Say what a scenario does, what it checks and which spec lines it follows.
    Explain { scenario: String },
    /// The reference MCP client, on the MCP conformance suite's client contract: the server URL
    /// last; MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_PROTOCOL_VERSION and
    /// MCP_CONFORMANCE_CONTEXT (JSON: client_id, client_secret) from the environment. Exit 0 when
    /// it authorized and called a tool, 1 when it did not, 2 on bad arguments.
    McpClient {
        /// Commit this client fault (repeatable; `authconform faults` lists them).
        #[arg(long = "fault")]
        faults: Vec<String>,
        /// Authorize like a CLI: open the authorization URL with $BROWSER (else xdg-open) and
        /// wait on a loopback redirect URI.
        #[arg(long)]
        browser: bool,
        /// The MCP endpoint (streamable HTTP), e.g. http://127.0.0.1:5001/mcp.
        server_url: String,
    },
    /// The reference OAuth client / auth provider as an adapter process: JSON lines on stdio
    /// (docs/adapters.md), the system clock. Exit 0 when stdin closes.
    ClientAdapter {
        /// Commit this client fault (repeatable; `authconform faults` lists them).
        #[arg(long = "fault")]
        faults: Vec<String>,
    },
    /// The reference multi-user agent server as an adapter process: JSON lines on stdio
    /// (docs/adapters.md, "Multi-user agent servers"), the system clock. Exit 0 when stdin closes.
    AgentAdapter {
        /// Commit this agent-server fault (repeatable; `authconform faults` lists them).
        #[arg(long = "fault")]
        faults: Vec<String>,
    },
    /// List the faults of the built-in components (mock-idp, the reference MCP and OAuth
    /// clients, the reference agent server).
    Faults,
    /// The mutation self-test: every fault of the built-in components must make some scenario
    /// fail.
    Mutate {
        /// Only this fault (repeatable).
        #[arg(long = "fault")]
        faults: Vec<String>,
        /// Where mutants.json goes.
        #[arg(long, default_value = "target/authconform/mutants")]
        out: PathBuf,
    },
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
        Err(e) => {
            eprintln!("authconform: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(dispatch(cli));
    ExitCode::from(code)
}

async fn dispatch(cli: Cli) -> u8 {
    match cli.command {
        Command::Run {
            target,
            tags,
            out,
            baseline,
            expected_failures,
            update_baseline,
            concurrency,
        } => {
            let opts = RunOptions {
                target,
                tags,
                out,
                baseline,
                expected_failures,
                update_baseline,
                scenarios: cli.scenarios,
                concurrency,
                ..RunOptions::default()
            };
            match authconform::run(&opts).await {
                Ok(summary) => {
                    for r in &summary.records {
                        println!("{:<8} {}", format!("{:?}", r.status).to_lowercase(), r.name);
                        for c in r
                            .checks
                            .iter()
                            .filter(|c| !matches!(c.status, authconform::check::Status::Passed))
                        {
                            println!(
                                "         {:?} {} ({}): {}",
                                c.status, c.id, c.spec, c.message
                            );
                        }
                    }
                    for n in summary.notes.iter().chain(summary.stale.iter()) {
                        println!("{n}");
                    }
                    if let Some(dir) = &summary.out_dir {
                        println!("reports in {}", dir.display());
                    }
                    println!("{}", summary.closing_line());
                    summary.exit_code()
                }
                Err(e) => setup_error(&e),
            }
        }
        Command::List => match scenarios(cli.scenarios.as_ref()) {
            Ok(entries) => {
                for e in &entries {
                    let specs: Vec<&str> = e.checks.iter().map(|c| c.spec.as_str()).collect();
                    println!("{}  [{}]  {}", e.name, e.tags.join(" "), specs.join("; "));
                }
                0
            }
            Err(code) => code,
        },
        Command::Explain { scenario } => match scenarios(cli.scenarios.as_ref()) {
            Ok(entries) => {
                let found = catalog::find(&entries, &scenario);
                if found.is_empty() {
                    eprintln!(
                        "authconform: no scenario matches {scenario:?}; `authconform list` shows them all"
                    );
                    return 2;
                }
                for e in found {
                    println!(
                        "{}\n  feature: {} ({})\n  tags: {}",
                        e.name,
                        e.feature,
                        e.file.display(),
                        e.tags.join(" ")
                    );
                    if let Some(d) = &e.description {
                        println!("  {}", d.trim());
                    }
                    println!("  steps:");
                    for s in &e.steps {
                        println!("    {s}");
                    }
                    println!("  checks:");
                    for c in &e.checks {
                        println!(
                            "    {} [{:?}] {}: {}",
                            c.id, c.severity, c.spec, c.assertion
                        );
                    }
                    if !e.examples.is_empty() {
                        println!("  examples: {}", e.examples.join(" | "));
                    }
                }
                0
            }
            Err(code) => code,
        },
        Command::McpClient {
            faults,
            browser,
            server_url,
        } => {
            let mut parsed = Vec::new();
            for f in &faults {
                match f.parse::<ClientFault>() {
                    Ok(x) => parsed.push(x),
                    Err(e) => {
                        eprintln!("authconform mcp-client: {e}");
                        return 2;
                    }
                }
            }
            let config = match mcp_client::Config::from_env(server_url, parsed) {
                Ok(c) => mcp_client::Config { browser, ..c },
                Err(e) => {
                    eprintln!("authconform mcp-client: {e}");
                    return 2;
                }
            };
            let (result, log) = mcp_client::run(config).await;
            for line in log {
                eprintln!("mcp-client: {line}");
            }
            match result {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("authconform mcp-client: {e}");
                    1
                }
            }
        }
        Command::ClientAdapter { faults } => {
            let mut parsed = Vec::new();
            for f in &faults {
                match f.parse::<reference::oauth_client::OAuthClientFault>() {
                    Ok(x) => parsed.push(x),
                    Err(e) => {
                        eprintln!("authconform client-adapter: {e}");
                        return 2;
                    }
                }
            }
            let client = reference::oauth_client::ReferenceClient::new(parsed, system_now());
            adapter_exit_code(serve_stdio(Reference::Client(Box::new(client))).await)
        }
        Command::AgentAdapter { faults } => {
            let mut parsed = Vec::new();
            for f in &faults {
                match f.parse::<reference::agent_server::AgentFault>() {
                    Ok(x) => parsed.push(x),
                    Err(e) => {
                        eprintln!("authconform agent-adapter: {e}");
                        return 2;
                    }
                }
            }
            let agent = reference::agent_server::ReferenceAgent::new(parsed, system_now());
            adapter_exit_code(serve_stdio(Reference::Agent(Box::new(agent))).await)
        }
        Command::Faults => {
            for m in Mutation::all() {
                println!("{:<44} {:<11} {}", m.name(), m.role(), m.description());
            }
            0
        }
        Command::Mutate { faults, out } => {
            let mut parsed = Vec::new();
            for f in &faults {
                match f.parse::<Mutation>() {
                    Ok(x) => parsed.push(x),
                    Err(e) => {
                        eprintln!("authconform: {e}");
                        return 2;
                    }
                }
            }
            match mutate::mutate(&parsed, cli.scenarios, None).await {
                Ok(report) => {
                    if !report.clean_passed {
                        println!("the clean run failed: {}", report.clean_failures.join(", "));
                    }
                    println!("{:<32} {:<8} killed by", "fault", "killed");
                    for m in &report.mutants {
                        println!(
                            "{:<32} {:<8} {}",
                            m.fault,
                            if m.killed { "yes" } else { "NO" },
                            m.killed_by.join(", ")
                        );
                    }
                    if let Err(e) = std::fs::create_dir_all(&out).and_then(|()| {
                        std::fs::write(
                            out.join("mutants.json"),
                            serde_json::to_string_pretty(&report.mutants).unwrap_or_default(),
                        )
                    }) {
                        eprintln!("authconform: cannot write {}: {e}", out.display());
                        return 2;
                    }
                    let killed = report.mutants.iter().filter(|m| m.killed).count();
                    println!(
                        "{} passed, {} failed",
                        killed,
                        report.mutants.len() - killed + usize::from(!report.clean_passed)
                    );
                    report.exit_code()
                }
                Err(e) => setup_error(&e),
            }
        }
    }
}

/// An adapter exits 1 without a word when its stdout is gone: the peer that would read it left.
fn adapter_exit_code(served: std::io::Result<()>) -> u8 {
    u8::from(served.is_err())
}

fn scenarios(dir: Option<&PathBuf>) -> Result<Vec<catalog::Entry>, u8> {
    let dir = authconform::scenarios_dir(dir).map_err(|e| setup_error(&e))?;
    catalog::load(&dir).map_err(|e| {
        eprintln!("authconform: {e}");
        2
    })
}

fn setup_error(e: &authconform::RunError) -> u8 {
    eprintln!("authconform: {e}");
    e.exit_code()
}
