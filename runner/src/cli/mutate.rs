//! `authconform mutate`: the mutation self-test ([`authconform::engine::mutate`]) for all faults
//! or the `--fault` ones; a table of which scenario killed each, mutants.json in `--out`, and the
//! closing line `N passed, N failed` (a surviving mutant, or a failing clean run, fails).

use std::path::PathBuf;

use authconform::engine::mutate::{self, Mutation};

use super::{CliError, Verdict, parse_faults};

/// The flags of `authconform mutate`.
#[derive(clap::Args)]
pub struct Args {
    /// Only this fault (repeatable).
    #[arg(long = "fault")]
    faults: Vec<String>,
    /// Where mutants.json goes.
    #[arg(long, default_value = "target/authconform/mutants")]
    out: PathBuf,
}

/// Runs the mutation self-test, prints the table and writes mutants.json; failed when a
/// mutant survived or the clean run failed.
pub async fn exec(args: Args, scenarios: Option<PathBuf>) -> Result<Verdict, CliError> {
    let faults: Vec<Mutation> = parse_faults(&args.faults, "authconform")?;
    let report = mutate::mutate(&faults, scenarios, None).await?;
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
    let out = args.out;
    std::fs::create_dir_all(&out)
        .and_then(|()| {
            std::fs::write(
                out.join("mutants.json"),
                serde_json::to_string_pretty(&report.mutants).unwrap_or_default(),
            )
        })
        .map_err(|source| CliError::WriteMutants { dir: out, source })?;
    let killed = report.mutants.iter().filter(|m| m.killed).count();
    println!(
        "{} passed, {} failed",
        killed,
        report.mutants.len() - killed + usize::from(!report.clean_passed)
    );
    Ok(Verdict::from_exit_code(report.exit_code()))
}
