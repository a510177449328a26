//! `authconform checks`: the catalogue of checks, one entry per check id (an outline's rows
//! each give their own), with its severity, spec references and the quoted sentence that sets
//! the severity. Reading them is the catalogue's ([`authconform::check::catalog::checks`]); this
//! file only prints.

use std::collections::HashSet;
use std::path::PathBuf;

use authconform::check::catalog;

use super::{CliError, Verdict};

/// How `authconform checks` prints.
#[derive(clap::Args)]
pub struct Args {
    /// `text` (default) or `json` (an array of {id, severity, spec, assertion, quote}).
    #[arg(long, default_value = "text")]
    format: String,
}

/// Prints every check once, in the order the feature files give them.
pub fn exec(args: Args, scenarios: Option<&PathBuf>) -> Result<Verdict, CliError> {
    let dir = authconform::scenarios_dir(scenarios)?;
    let entries = catalog::checks(&dir).map_err(CliError::Catalog)?;
    let mut seen = HashSet::new();
    let unique: Vec<_> = entries
        .into_iter()
        .filter(|e| seen.insert(e.check.id.clone()))
        .collect();
    match args.format.as_str() {
        "json" => {
            let rows: Vec<serde_json::Value> = unique
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.check.id,
                        "severity": e.check.severity.word(),
                        "spec": e.check.spec,
                        "assertion": e.check.assertion,
                        "quote": e.check.quote,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        _ => {
            for e in &unique {
                let c = &e.check;
                println!("{}  {}  {}", c.id, c.severity.word(), c.spec);
                println!("    {}", c.assertion);
                match &c.quote {
                    Some(q) => println!("    \u{201c}{q}\u{201d}"),
                    None => println!("    (no quoted sentence)"),
                }
            }
        }
    }
    Ok(Verdict::Passed)
}
