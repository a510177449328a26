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
    /// The word a check step writes: `MUST`, `SHOULD` or `POLICY`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Must => "MUST",
            Severity::Should => "SHOULD",
            Severity::Policy => "POLICY",
        }
    }

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
    /// The spec's sentence that sets the severity (the check step's doc string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// A parsed check step: `check "<id>" <SEVERITY> (<spec>): <assertion>`, and under it, as the
/// step's doc string, the quoted sentence of the spec that sets the severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckStep {
    pub id: String,
    pub severity: Severity,
    pub spec: String,
    pub assertion: String,
    /// The spec's sentence, quoted (the step's doc string), trimmed; `None` when missing.
    pub quote: Option<String>,
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
            quote: None,
        })
    }

    /// The check of a step: its text and its doc string (the quote).
    pub fn of_step(text: &str, docstring: Option<&str>) -> Option<Self> {
        let mut c = Self::parse(text)?;
        c.quote = docstring
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|q| !q.is_empty());
        Some(c)
    }

    /// The problem with this check's quote, if any: a MUST check must quote a sentence that
    /// binds with MUST, MUST NOT, REQUIRED, SHALL or SHALL NOT (RFC 2119), a SHOULD check one
    /// with SHOULD, SHOULD NOT, RECOMMENDED or NOT RECOMMENDED; a POLICY check says why the
    /// practice is policy (no sentence requires it).
    pub fn quote_problem(&self) -> Option<String> {
        let Some(q) = &self.quote else {
            return Some("no quoted sentence (a doc string under the check step)".into());
        };
        let words = |ws: &[&str]| ws.iter().any(|w| contains_word(q, w));
        match self.severity {
            Severity::Must if !words(&["MUST", "REQUIRED", "SHALL"]) => Some(format!(
                "a MUST check quotes no MUST, REQUIRED or SHALL: {q:?}"
            )),
            Severity::Should if !words(&["SHOULD", "RECOMMENDED"]) => Some(format!(
                "a SHOULD check quotes no SHOULD or RECOMMENDED: {q:?}"
            )),
            _ => None,
        }
    }
}

/// Whether `word` (upper case, as RFC 2119 keywords are written) stands in `text` as a word.
fn contains_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w == word)
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
        assert_eq!(c.quote, None);
        assert!(CheckStep::parse("check \"x\" MAYBE (a): b").is_none());
    }

    #[test]
    fn a_quote_must_carry_the_severity_s_keyword() {
        let header = |sev: &str| format!(r#"check "x.y" {sev} (RFC 1 §1): the thing holds"#);
        let must = |q: &str| CheckStep::of_step(&header("MUST"), Some(q)).unwrap();
        assert!(must("The server MUST refuse it.").quote_problem().is_none());
        assert!(must("It is REQUIRED.").quote_problem().is_none());
        assert!(
            must("The client SHOULD refuse it.")
                .quote_problem()
                .is_some()
        );
        assert!(must("It is a MUSTARD rule.").quote_problem().is_some());
        let should = CheckStep::of_step(&header("SHOULD"), Some("is NOT RECOMMENDED")).unwrap();
        assert!(should.quote_problem().is_none());
        let policy = CheckStep::of_step(&header("POLICY"), Some("mock-idp's choice")).unwrap();
        assert!(policy.quote_problem().is_none());
        assert!(
            CheckStep::of_step(&header("MUST"), None)
                .unwrap()
                .quote_problem()
                .is_some()
        );
        assert_eq!(
            CheckStep::of_step(&header("MUST"), Some("  a\n   MUST  b "))
                .unwrap()
                .quote
                .as_deref(),
            Some("a MUST b")
        );
    }
}
