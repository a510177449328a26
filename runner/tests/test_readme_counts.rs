//! The README's scenario counts are the suite's: each "`@role`, N scenarios" in README.md must
//! equal the scenarios of that role tag as they run (an outline counts once per example row).

use std::collections::BTreeMap;
use std::path::Path;

use authconform::check::catalog;

#[test]
fn readme_scenario_counts_match_the_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let entries = catalog::load(&root.join("scenarios")).expect("the scenarios parse");
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for e in &entries {
        for t in &e.tags {
            *counted.entry(t.clone()).or_default() += e.examples.len().max(1);
        }
    }
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let said = regex::Regex::new(r"\(`(@[a-z-]+)`,\s+(\d+)\s+scenarios").expect("regex");
    let mut claims = 0;
    for c in said.captures_iter(&readme) {
        claims += 1;
        let (tag, n) = (&c[1], c[2].parse::<usize>().expect("a number"));
        assert_eq!(
            counted.get(tag).copied().unwrap_or(0),
            n,
            "README.md says {tag} has {n} scenarios"
        );
    }
    assert_eq!(
        claims, 6,
        "README.md names the count of each of the six roles"
    );
}
