//! The report files `authconform run` writes (design.md, "Reports"): `report.json`,
//! `checks.json`, `junit.xml`, `summary.md`, `report.html` and `transcripts/<scenario>.yaml`. Everything here is
//! already redacted: records carry placeholders, never secrets.

pub mod baseline;

mod checks_json;
mod html;
mod junit;
mod summary;

use std::path::Path;

use serde::Serialize;

use crate::check::Status;
use crate::world::context::ScenarioRecord;

/// Scenario counts by status.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub warned: usize,
    pub skipped: usize,
    pub hung: usize,
}

impl Totals {
    pub fn of(records: &[ScenarioRecord]) -> Self {
        let mut t = Totals::default();
        for r in records {
            match r.status {
                Status::Passed => t.passed += 1,
                Status::Failed => t.failed += 1,
                Status::Warned => t.warned += 1,
                Status::Skipped => t.skipped += 1,
                Status::Hung => t.hung += 1,
            }
        }
        t
    }
}

/// The top of `report.json`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub target: &'a str,
    pub started: String,
    pub duration_ms: u64,
    pub totals: Totals,
    pub scenarios: &'a [ScenarioRecord],
}

/// A file-safe name for a scenario: lowercase words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(100).collect()
}

/// Writes every report file into `dir`.
pub fn write_all(dir: &Path, report: &Report<'_>) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("transcripts"))?;
    std::fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(report)? + "\n",
    )?;
    std::fs::write(
        dir.join("checks.json"),
        checks_json::render(report.scenarios)? + "\n",
    )?;
    std::fs::write(dir.join("junit.xml"), junit::render(report))?;
    std::fs::write(dir.join("summary.md"), summary::render(report))?;
    std::fs::write(dir.join("report.html"), html::render(report))?;
    for entry in std::fs::read_dir(dir.join("transcripts"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::remove_file(path)?;
        }
    }
    for s in report.scenarios {
        let doc = serde_json::json!({ "scenario": s.name, "feature": s.feature, "status": s.status, "exchanges": s.transcript });
        let yaml = yaml_serde::to_string(&doc).map_err(std::io::Error::other)?;
        std::fs::write(
            dir.join("transcripts")
                .join(format!("{}.yaml", slug(&s.name))),
            yaml,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn slug_is_file_safe() {
        assert_eq!(
            super::slug("redirect_uri variant \"trailing-slash\" is refused!"),
            "redirect-uri-variant-trailing-slash-is-refused"
        );
    }
}
