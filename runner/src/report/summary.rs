//! `summary.md`: the table a person reads first. Every failure names the check, the spec line,
//! what the check observed (its message) and the scenario's last exchange (the transcript has
//! them all).

use crate::check::Status;

use super::Report;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report<'_>) -> String {
    let t = report.totals;
    let mut out = format!(
        "# authconform: {}\n\n{} passed, {} failed, {} warned, {} skipped, {} hung ({} scenarios, {} ms)\n\n| scenario | status | checks |\n|---|---|---|\n",
        report.target,
        t.passed,
        t.failed,
        t.warned,
        t.skipped,
        t.hung,
        report.scenarios.len(),
        report.duration_ms
    );
    for s in report.scenarios {
        let ok = s
            .checks
            .iter()
            .filter(|c| c.status == Status::Passed)
            .count();
        let status = match s.status {
            Status::Failed | Status::Hung => format!("**{}**", s.status.label()),
            other => other.label().to_string(),
        };
        out.push_str(&format!(
            "| {} | {status} | {ok}/{} |\n",
            cell(&s.name),
            s.checks.len()
        ));
    }
    let problems: Vec<_> = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::Hung | Status::Warned))
        .collect();
    if !problems.is_empty() {
        out.push_str("\n## Failures and warnings\n");
        for s in problems {
            out.push_str(&format!("\n### {}\n\n", s.name));
            for c in s
                .checks
                .iter()
                .filter(|c| !matches!(c.status, Status::Passed | Status::Skipped))
            {
                out.push_str(&format!(
                    "- **{:?}** `{}` ({}): {}\n",
                    c.status, c.id, c.spec, c.message
                ));
                if let Some(q) = &c.quote {
                    out.push_str(&format!("  > {q}\n"));
                }
            }
            if let Some(last) = s.transcript.last() {
                out.push_str(&format!(
                    "- last exchange: `{} {}` → HTTP {}\n",
                    last.request.method.as_deref().unwrap_or(""),
                    last.request.url.as_deref().unwrap_or(""),
                    last.response
                        .status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "no answer".into())
                ));
            }
            out.push_str(&format!(
                "- transcript: `transcripts/{}.yaml`\n",
                super::slug(&s.name)
            ));
        }
    }
    let skipped: Vec<_> = report
        .scenarios
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .collect();
    if !skipped.is_empty() {
        out.push_str("\n## Skipped\n\n");
        for s in skipped {
            out.push_str(&format!(
                "- {}: {}\n",
                s.name,
                s.note.as_deref().unwrap_or("")
            ));
        }
    }
    out
}
