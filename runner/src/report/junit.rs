//! `junit.xml`: one testcase per scenario; failures carry the failing checks.

use crate::check::Status;

use super::Report;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(report: &Report<'_>) -> String {
    let t = report.totals;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"authconform\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
        report.scenarios.len(), t.failed + t.hung, t.skipped, esc(report.target), report.scenarios.len(), t.failed + t.hung, t.skipped,
        report.duration_ms as f64 / 1000.0
    ));
    for s in report.scenarios {
        out.push_str(&format!(
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            esc(&s.feature),
            esc(&s.name),
            s.duration_ms as f64 / 1000.0
        ));
        let failing: Vec<String> = s
            .checks
            .iter()
            .filter(|c| matches!(c.status, Status::Failed | Status::Hung))
            .map(|c| format!("{} ({}): {}", c.id, c.spec, c.message))
            .collect();
        match s.status {
            Status::Failed | Status::Hung => {
                let kind = if s.status == Status::Hung {
                    "hung"
                } else {
                    "failed"
                };
                out.push_str(&format!(
                    ">\n    <failure type=\"{kind}\" message=\"{}\">{}</failure>\n  </testcase>\n",
                    esc(failing.first().map(String::as_str).unwrap_or(kind)),
                    esc(&failing.join("\n"))
                ));
            }
            Status::Skipped => {
                out.push_str(&format!(
                    ">\n    <skipped message=\"{}\"/>\n  </testcase>\n",
                    esc(s.note.as_deref().unwrap_or("skipped"))
                ));
            }
            Status::Warned => {
                let warnings: Vec<String> = s
                    .checks
                    .iter()
                    .filter(|c| c.status == Status::Warned)
                    .map(|c| format!("warning {} ({}): {}", c.id, c.spec, c.message))
                    .collect();
                out.push_str(&format!(
                    ">\n    <system-out>{}</system-out>\n  </testcase>\n",
                    esc(&warnings.join("\n"))
                ));
            }
            Status::Passed => out.push_str("/>\n"),
        }
    }
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}
