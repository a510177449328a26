//! `authconform run`: the scenarios against a target, one line per scenario and per check that
//! did not pass, then the closing line `N passed, N failed, N skipped`. The run itself (targets,
//! reports, baselines) is the library's [`authconform::run`]; this file only prints its summary.

use std::path::PathBuf;

use authconform::RunOptions;
use authconform::check::Status;

use super::{CliError, Verdict};

/// The flags of `authconform run`.
#[derive(clap::Args)]
pub struct Args {
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
}

/// Runs the scenarios and prints the summary; failed when a check failed or an expected
/// failure is stale.
pub async fn exec(args: Args, scenarios: Option<PathBuf>) -> Result<Verdict, CliError> {
    let opts = RunOptions {
        target: args.target,
        tags: args.tags,
        out: args.out,
        baseline: args.baseline,
        expected_failures: args.expected_failures,
        update_baseline: args.update_baseline,
        scenarios,
        concurrency: args.concurrency,
        ..RunOptions::default()
    };
    let summary = authconform::run(&opts).await?;
    for r in &summary.records {
        println!("{:<8} {}", format!("{:?}", r.status).to_lowercase(), r.name);
        for c in r
            .checks
            .iter()
            .filter(|c| !matches!(c.status, Status::Passed))
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
    Ok(Verdict::from_exit_code(summary.exit_code()))
}
