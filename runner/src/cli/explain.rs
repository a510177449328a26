//! `authconform explain SCENARIO`: what the scenarios matching a name fragment or a check id do,
//! what they check and which spec lines they follow. Finding them is the catalogue's
//! ([`authconform::check::catalog::find`]); this file only prints.

use std::path::PathBuf;

use authconform::check::catalog;

use super::{CliError, Verdict, load_catalog};

/// The argument of `authconform explain`: a name fragment or a check id.
#[derive(clap::Args)]
pub struct Args {
    scenario: String,
}

/// Prints every scenario matching the argument; a setup error when none does.
pub fn exec(args: Args, scenarios: Option<&PathBuf>) -> Result<Verdict, CliError> {
    let entries = load_catalog(scenarios)?;
    let found = catalog::find(&entries, &args.scenario);
    if found.is_empty() {
        return Err(CliError::NoSuchScenario {
            query: args.scenario,
        });
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
            if let Some(q) = &c.quote {
                println!("      \u{201c}{q}\u{201d}");
            }
        }
        if !e.examples.is_empty() {
            println!("  examples: {}", e.examples.join(" | "));
        }
    }
    Ok(Verdict::Passed)
}
