//! Baselines and expected failures. `--baseline DIR` compares this run's verdicts and transcripts
//! with an accepted run and says what changed; `--update-baseline` accepts this run.
//! `--expected-failures FILE` excuses known failures (`scenario` or `scenario:check-id`, one per
//! line, `#` comments); an excused failure that now passes is stale and fails the run.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::Status;
use crate::report::slug;
use crate::world::context::ScenarioRecord;

/// Parsed `--expected-failures` entries.
#[derive(Debug, Default, Clone)]
pub struct ExpectedFailures {
    entries: Vec<(String, Option<String>)>,
}

impl ExpectedFailures {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Self::parse(&text))
    }

    pub fn parse(text: &str) -> Self {
        let entries = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(|l| match l.rsplit_once(':') {
                Some((s, c)) if !c.contains(' ') && !c.is_empty() => {
                    (s.trim().to_string(), Some(c.trim().to_string()))
                }
                _ => (l.to_string(), None),
            })
            .collect();
        Self { entries }
    }

    /// Marks excused failures as warned (in place); returns the stale entries.
    pub fn apply(&self, records: &mut [ScenarioRecord]) -> Vec<String> {
        let mut stale = Vec::new();
        for (scenario, check) in &self.entries {
            let Some(r) = records.iter_mut().find(|r| &r.name == scenario) else {
                stale.push(format!("{scenario}: no such scenario ran"));
                continue;
            };
            let mut excused_any = false;
            for c in r
                .checks
                .iter_mut()
                .filter(|c| check.as_ref().is_none_or(|id| *id == c.id))
            {
                if matches!(c.status, Status::Failed | Status::Hung) {
                    c.status = Status::Warned;
                    c.message = format!("expected failure: {}", c.message);
                    excused_any = true;
                }
            }
            let still_failing = r
                .checks
                .iter()
                .any(|c| matches!(c.status, Status::Failed | Status::Hung));
            if excused_any && !still_failing && matches!(r.status, Status::Failed | Status::Hung) {
                r.status = Status::Warned;
            } else if check.is_none() && matches!(r.status, Status::Failed | Status::Hung) {
                // A whole scenario listed: excused however it failed (a step that hung included).
                r.status = Status::Warned;
                r.note = Some(format!(
                    "expected failure: {}",
                    r.note.as_deref().unwrap_or("the scenario failed")
                ));
            } else if !(excused_any
                || check.is_none() && matches!(r.status, Status::Failed | Status::Hung))
            {
                stale.push(match check {
                    Some(id) => {
                        format!("{scenario}:{id} is listed as an expected failure but did not fail")
                    }
                    None => format!("{scenario} is listed as an expected failure but did not fail"),
                });
            }
        }
        stale
    }
}

/// Writes this run as the accepted baseline.
pub fn update(dir: &Path, out: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("transcripts"))?;
    std::fs::copy(out.join("report.json"), dir.join("report.json"))?;
    for entry in std::fs::read_dir(dir.join("transcripts"))? {
        std::fs::remove_file(entry?.path())?;
    }
    for entry in std::fs::read_dir(out.join("transcripts"))? {
        let p = entry?.path();
        if let Some(name) = p.file_name() {
            std::fs::copy(&p, dir.join("transcripts").join(name))?;
        }
    }
    Ok(())
}

/// Lines describing how this run differs from the baseline in `dir` (empty: no difference).
pub fn diff(dir: &Path, records: &[ScenarioRecord], out: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(dir.join("report.json")).map_err(|e| {
        format!(
            "no baseline at {} ({e}); create one with --update-baseline",
            dir.display()
        )
    })?;
    let old: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}/report.json is not JSON: {e}", dir.display()))?;
    let old_status: BTreeMap<String, String> = old["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| {
            Some((
                s["name"].as_str()?.to_string(),
                s["status"].as_str()?.to_string(),
            ))
        })
        .collect();
    let mut lines = Vec::new();
    for r in records {
        let now = serde_json::to_value(r.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        match old_status.get(&r.name) {
            None => lines.push(format!("+ {}: new scenario ({now})", r.name)),
            Some(was) if *was != now => lines.push(format!("~ {}: {was} -> {now}", r.name)),
            _ => {}
        }
        let file = format!("{}.yaml", slug(&r.name));
        let (a, b) = (
            std::fs::read_to_string(dir.join("transcripts").join(&file)),
            std::fs::read_to_string(out.join("transcripts").join(&file)),
        );
        if let (Ok(a), Ok(b)) = (a, b)
            && a != b
        {
            let first = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y);
            match first {
                Some((n, (x, y))) => lines.push(format!(
                    "~ {}: transcript differs at line {}:\n    - {x}\n    + {y}",
                    r.name,
                    n + 1
                )),
                None => lines.push(format!(
                    "~ {}: transcript length differs ({} vs {} lines)",
                    r.name,
                    a.lines().count(),
                    b.lines().count()
                )),
            }
        }
    }
    for name in old_status.keys() {
        if !records.iter().any(|r| &r.name == name) {
            lines.push(format!("- {name}: in the baseline, not in this run"));
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, status: Status) -> ScenarioRecord {
        ScenarioRecord {
            name: name.into(),
            feature: "f".into(),
            tags: Vec::new(),
            status,
            duration_ms: 0,
            checks: Vec::new(),
            note: Some("the adapter did not answer in time (hung)".into()),
            transcript: Vec::new(),
        }
    }

    #[test]
    fn a_listed_scenario_is_excused_even_when_a_step_hung() {
        let expected = ExpectedFailures::parse("# known hang\nWaits forever\n");
        let mut records = vec![record("Waits forever", Status::Hung)];
        assert!(expected.apply(&mut records).is_empty());
        assert_eq!(records[0].status, Status::Warned);
        assert!(
            records[0]
                .note
                .as_deref()
                .unwrap()
                .starts_with("expected failure: ")
        );
        // Listed but passing: stale.
        let mut records = vec![record("Waits forever", Status::Passed)];
        assert_eq!(expected.apply(&mut records).len(), 1);
    }
}
