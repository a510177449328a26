//! The `mock-idp` binary: a CLI around the library. `serve` is the default subcommand; `faults`
//! lists the faults; `mint` makes a token to order (`cli_mint`); `health` asks a running mock-idp
//! whether it answers (`cli_health`, the container's health check).
//!
//! Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), a minted token or a healthy server; 1
//! `mint --server` could not reach the server, or `health` found it unhealthy; 2 a configuration,
//! argument or start-up error (the message says what to fix).

mod cli_health;
mod cli_mint;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mock_idp::{Config, Fault, MockIdp, StartOptions};

#[derive(Parser)]
#[command(
    name = "mock-idp",
    version,
    about = "A strict, observable, breakable OAuth 2.1 / OpenID Connect authorization server"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the authorization server (the default).
    Serve(ServeArgs),
    /// List the faults mock-idp can be told to commit.
    Faults,
    /// Mint an access token to order (valid, or with a --flaw) from a running mock-idp or a
    /// config with pinned keys.
    Mint(cli_mint::MintArgs),
    /// Exit 0 when a mock-idp answers its discovery document, 1 when not (a container health
    /// check: no shell or curl needed).
    Health(cli_health::HealthArgs),
}

#[derive(clap::Args, Clone, Default)]
struct ServeArgs {
    /// YAML configuration file (fixtures/mock-idp.yaml is the demo).
    #[arg(long, env = "MOCK_IDP_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on; overrides the config. 127.0.0.1:0 picks a free port.
    #[arg(long)]
    listen: Option<String>,
    /// The issuer URL; overrides the config.
    #[arg(long)]
    issuer: Option<String>,
    /// Switch on a fault (repeatable); `mock-idp faults` lists them.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<String>,
    /// Serve https with a generated certificate for localhost.
    #[arg(long)]
    tls: bool,
    /// Where --tls writes the CA certificate clients should trust.
    #[arg(long, default_value = "mock-idp-ca.pem")]
    tls_ca_file: PathBuf,
    /// Log filter (tracing syntax), e.g. info or mock_idp=debug.
    #[arg(long, env = "MOCK_IDP_LOG", default_value = "info")]
    log: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Faults) => {
            for f in Fault::ALL {
                println!("{:<32} {}", f.name(), f.description());
            }
            ExitCode::SUCCESS
        }
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Mint(args)) => cli_mint::run(args),
        Some(Command::Health(args)) => cli_health::run(args),
        None => serve(cli.serve),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&args.log).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mock-idp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mock-idp: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config {
            listen: "127.0.0.1:5001".into(),
            ..Config::default()
        },
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(issuer) = args.issuer {
        config.issuer = Some(issuer);
    }
    for name in &args.faults {
        let fault: Fault = name.parse()?;
        if !config.faults.contains(&fault) {
            config.faults.push(fault);
        }
    }
    let options = StartOptions {
        tls_ca_file: args.tls.then(|| args.tls_ca_file.clone()),
        frozen_at: None,
    };
    let idp = MockIdp::start_with(config, options).await?;
    if args.tls {
        eprintln!(
            "mock-idp: CA certificate written to {}",
            args.tls_ca_file.display()
        );
    }
    for f in idp.state().faults.enabled() {
        tracing::warn!("fault on: {} ({})", f.name(), f.description());
    }
    println!("listening on {}", idp.url());
    tracing::info!(issuer = idp.issuer(), "mock-idp ready");
    shutdown_signal().await;
    tracing::info!("shutting down");
    idp.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
