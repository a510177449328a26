//! `authconform list`: one line per scenario with its tags and the spec lines its checks follow.

use std::path::PathBuf;

use super::{CliError, Verdict, load_catalog};

/// Prints one line per scenario.
pub fn exec(scenarios: Option<&PathBuf>) -> Result<Verdict, CliError> {
    for e in &load_catalog(scenarios)? {
        let specs: Vec<&str> = e.checks.iter().map(|c| c.spec.as_str()).collect();
        println!("{}  [{}]  {}", e.name, e.tags.join(" "), specs.join("; "));
    }
    Ok(Verdict::Passed)
}
