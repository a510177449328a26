//! The scenario catalog for `authconform list`, `explain` and `checks`: reads the feature files
//! (without running them) and lists scenarios with their tags, checks and spec references, and
//! every check as it runs (scenario outlines expanded) with its quoted sentence.

use std::path::{Path, PathBuf};

use cucumber::gherkin::{Feature, GherkinEnv};

use crate::check::CheckStep;

/// One scenario as written.
#[derive(Debug, Clone)]
pub struct Entry {
    pub feature: String,
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub steps: Vec<String>,
    pub checks: Vec<CheckStep>,
    pub examples: Vec<String>,
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            feature_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "feature") {
            out.push(p);
        }
    }
    Ok(())
}

/// Every scenario under `dir`.
pub fn load(dir: &Path) -> Result<Vec<Entry>, String> {
    let mut files = Vec::new();
    feature_files(dir, &mut files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for file in files {
        let f = Feature::parse_path(&file, GherkinEnv::default())
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let background: Vec<String> = f
            .background
            .iter()
            .flat_map(|b| b.steps.iter())
            .map(|s| format!("{}{}", s.keyword, s.value))
            .collect();
        for s in f
            .scenarios
            .iter()
            .chain(f.rules.iter().flat_map(|r| r.scenarios.iter()))
        {
            let steps: Vec<String> = background
                .iter()
                .cloned()
                .chain(
                    s.steps
                        .iter()
                        .map(|st| format!("{}{}", st.keyword, st.value)),
                )
                .collect();
            let checks = s
                .steps
                .iter()
                .filter_map(|st| CheckStep::of_step(&st.value, st.docstring.as_deref()))
                .collect();
            let examples = s
                .examples
                .iter()
                .filter_map(|e| e.table.as_ref())
                .flat_map(|t| t.rows.iter().skip(1).map(|r| r.join(", ")))
                .collect();
            out.push(Entry {
                feature: f.name.clone(),
                file: file.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                tags: f
                    .tags
                    .iter()
                    .chain(s.tags.iter())
                    .map(|t| format!("@{t}"))
                    .collect(),
                steps,
                checks,
                examples,
            });
        }
    }
    Ok(out)
}

/// The entries whose name contains `query` (case-insensitive), or whose check id equals it.
pub fn find<'a>(entries: &'a [Entry], query: &str) -> Vec<&'a Entry> {
    let q = query.to_lowercase();
    entries
        .iter()
        .filter(|e| e.name.to_lowercase().contains(&q) || e.checks.iter().any(|c| c.id == query))
        .collect()
}

/// One check as it runs: outline placeholders replaced by an example row's values.
#[derive(Debug, Clone)]
pub struct CheckEntry {
    pub file: PathBuf,
    pub scenario: String,
    pub check: CheckStep,
}

/// Every check step under `dir`, scenario outlines expanded (one entry per example row), with
/// its quote; a check step that does not parse is an error naming the file and the text.
pub fn checks(dir: &Path) -> Result<Vec<CheckEntry>, String> {
    let mut files = Vec::new();
    feature_files(dir, &mut files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for file in files {
        let f = Feature::parse_path(&file, GherkinEnv::default())
            .map_err(|e| format!("{}: {e}", file.display()))?;
        for s in f
            .scenarios
            .iter()
            .chain(f.rules.iter().flat_map(|r| r.scenarios.iter()))
        {
            for row in example_rows(s) {
                let fill = |text: &str| {
                    row.iter().fold(text.to_string(), |t, (k, v)| {
                        t.replace(&format!("<{k}>"), v)
                    })
                };
                for st in s.steps.iter().filter(|st| st.value.starts_with("check ")) {
                    let text = fill(&st.value);
                    let quote = st.docstring.as_deref().map(fill);
                    let check = CheckStep::of_step(&text, quote.as_deref()).ok_or_else(|| {
                        format!("{}: malformed check step {text:?}", file.display())
                    })?;
                    out.push(CheckEntry {
                        file: file.clone(),
                        scenario: fill(&s.name),
                        check,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The example rows of a scenario outline as (placeholder, value) pairs; one empty row for a
/// plain scenario.
fn example_rows(s: &cucumber::gherkin::Scenario) -> Vec<Vec<(String, String)>> {
    let mut rows = Vec::new();
    for t in s.examples.iter().filter_map(|e| e.table.as_ref()) {
        let Some((header, values)) = t.rows.split_first() else {
            continue;
        };
        for r in values {
            rows.push(header.iter().cloned().zip(r.iter().cloned()).collect());
        }
    }
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    rows
}
