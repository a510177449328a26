//! The scenario catalog for `authconform list` and `explain`: reads the feature files (without
//! running them) and lists scenarios with their tags, checks and spec references.

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
                .filter_map(|st| CheckStep::parse(&st.value))
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
