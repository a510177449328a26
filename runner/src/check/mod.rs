//! Checks, the unit of the verdict: a stable id, a severity taken from the spec's own word, the
//! spec references, and what was observed. A check step in a feature file reads
//! `check "as.pkce.wrong-verifier" MUST (RFC 7636 §4.6): <assertion>`, so the spec reference of a
//! check lives next to the check.

pub mod catalog;
pub mod outcome;

use serde::Serialize;

/// How much a failed check weighs (design.md: MUST → failure, SHOULD → warning, policy → warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Must,
    Should,
    Policy,
}

impl Severity {
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "MUST" => Some(Severity::Must),
            "SHOULD" => Some(Severity::Should),
            "POLICY" => Some(Severity::Policy),
            _ => None,
        }
    }
}

/// A check's verdict (and a scenario's, in `report.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Warned,
    Skipped,
    Failed,
    Hung,
}

impl Status {
    /// The lowercase word reports use.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Warned => "warned",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
            Status::Hung => "hung",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub status: Status,
    pub severity: Severity,
    pub spec: String,
    pub message: String,
}

/// A parsed check header: `check "<id>" <SEVERITY> (<spec>): <assertion>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckStep {
    pub id: String,
    pub severity: Severity,
    pub spec: String,
    pub assertion: String,
}

static CHECK_RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"^check "([a-z0-9][a-z0-9._-]*)" (MUST|SHOULD|POLICY) \(([^)]+)\): (.+)$"#)
        .expect("check regex")
});

/// The regex a check step matches (used by the step registry and the catalog).
pub fn check_regex() -> &'static regex::Regex {
    &CHECK_RE
}

impl CheckStep {
    pub fn parse(text: &str) -> Option<Self> {
        let c = CHECK_RE.captures(text)?;
        Some(Self {
            id: c[1].to_string(),
            severity: Severity::parse(&c[2])?,
            spec: c[3].to_string(),
            assertion: c[4].to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_check_step() {
        let c = CheckStep::parse(r#"check "as.pkce.wrong-verifier" MUST (RFC 7636 §4.6): the token endpoint answers "invalid_grant""#).unwrap();
        assert_eq!(c.id, "as.pkce.wrong-verifier");
        assert_eq!(c.severity, Severity::Must);
        assert_eq!(c.spec, "RFC 7636 §4.6");
        assert_eq!(c.assertion, r#"the token endpoint answers "invalid_grant""#);
        assert!(CheckStep::parse("check \"x\" MAYBE (a): b").is_none());
    }
}
