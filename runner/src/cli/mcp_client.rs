//! `authconform mcp-client`: the reference MCP client ([`reference::mcp_client`]) on the MCP
//! conformance suite's client contract, its log on stderr. Exit 0 when it authorized and called
//! a tool, 1 when it did not, 2 on bad arguments or environment.

use reference::mcp_client::{self, ClientFault};

use super::{CliError, Verdict, parse_faults};

/// The flags of `authconform mcp-client`.
#[derive(clap::Args)]
pub struct Args {
    /// Commit this client fault (repeatable; `authconform faults` lists them).
    #[arg(long = "fault")]
    faults: Vec<String>,
    /// Authorize like a CLI: open the authorization URL with $BROWSER (else xdg-open) and
    /// wait on a loopback redirect URI.
    #[arg(long)]
    browser: bool,
    /// The MCP endpoint (streamable HTTP), e.g. http://127.0.0.1:5001/mcp.
    server_url: String,
}

/// Runs the reference MCP client once against the server URL.
pub async fn exec(args: Args) -> Result<Verdict, CliError> {
    let faults: Vec<ClientFault> = parse_faults(&args.faults, "authconform mcp-client")?;
    let config =
        mcp_client::Config::from_env(args.server_url, faults).map_err(CliError::McpClientConfig)?;
    let config = mcp_client::Config {
        browser: args.browser,
        ..config
    };
    let (result, log) = mcp_client::run(config).await;
    for line in log {
        eprintln!("mcp-client: {line}");
    }
    result.map_err(CliError::McpClientFailed)?;
    Ok(Verdict::Passed)
}
