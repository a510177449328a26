//! `report.html`: one self-contained page (no external assets, readable without CSS): the totals,
//! and per scenario its checks and a sequence diagram (inline SVG) of the redacted exchanges.

use crate::check::Status;
use crate::http::user_agent::Exchange;

use super::Report;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn status_class(s: Status) -> &'static str {
    s.label()
}

/// The request line of an exchange without the origin (`{target}` stays as it is).
fn short(e: &Exchange) -> String {
    let url = e.request.url.as_deref().unwrap_or("");
    let path = url.strip_prefix("{target}").unwrap_or(url);
    let path: String = path.chars().take(70).collect();
    format!("{} {path}", e.request.method.as_deref().unwrap_or(""))
}

/// A sequence diagram: the runner (client and browser) on the left, the target on the right.
fn sequence_svg(exchanges: &[Exchange]) -> String {
    const ROW: usize = 44;
    let height = 40 + exchanges.len() * ROW + 20;
    let (left, right) = (90, 610);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"700\" height=\"{height}\" role=\"img\" aria-label=\"sequence of {} exchanges\">\
<text x=\"{left}\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">runner</text><text x=\"{right}\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">target</text>\
<line x1=\"{left}\" y1=\"24\" x2=\"{left}\" y2=\"{height}\" stroke=\"#999\"/><line x1=\"{right}\" y1=\"24\" x2=\"{right}\" y2=\"{height}\" stroke=\"#999\"/>",
        exchanges.len()
    );
    for (i, e) in exchanges.iter().enumerate() {
        let y = 40 + i * ROW;
        let status = e
            .response
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "no answer".into());
        let color = match e.response.status {
            Some(s) if s < 400 => "#2e7d32",
            Some(_) => "#b00020",
            None => "#e65100",
        };
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#333\" marker-end=\"url(#a)\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\
<line x1=\"{right}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-dasharray=\"4 3\" marker-end=\"url(#a)\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"{color}\">{}</text>",
            right - 6, left + 6, y - 4, esc(&short(e)),
            y + 16, left + 6, y + 16, right - 6, y + 13, esc(&status),
        ));
    }
    svg.push_str("<defs><marker id=\"a\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs></svg>");
    svg
}

pub fn render(report: &Report<'_>) -> String {
    let t = report.totals;
    let mut body = format!(
        "<h1>authconform: {}</h1>\n<p>{} passed, {} failed, {} warned, {} skipped, {} hung — {} scenarios in {} ms</p>\n",
        esc(report.target),
        t.passed,
        t.failed,
        t.warned,
        t.skipped,
        t.hung,
        report.scenarios.len(),
        report.duration_ms
    );
    body.push_str(
        "<table><thead><tr><th>scenario</th><th>feature</th><th>status</th></tr></thead><tbody>\n",
    );
    for (i, s) in report.scenarios.iter().enumerate() {
        body.push_str(&format!(
            "<tr><td><a href=\"#s{i}\">{}</a></td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
            esc(&s.name),
            esc(&s.feature),
            status_class(s.status),
            status_class(s.status)
        ));
    }
    body.push_str("</tbody></table>\n");
    for (i, s) in report.scenarios.iter().enumerate() {
        let open = if matches!(s.status, Status::Failed | Status::Hung | Status::Warned) {
            " open"
        } else {
            ""
        };
        body.push_str(&format!(
            "<section id=\"s{i}\"><details{open}><summary><h2>{} <span class=\"{}\">{}</span></h2></summary>\n<p>{} · {}</p>\n",
            esc(&s.name), status_class(s.status), status_class(s.status), esc(&s.feature), esc(&s.tags.join(" "))
        ));
        if let Some(n) = &s.note {
            body.push_str(&format!("<p class=\"note\">{}</p>\n", esc(n)));
        }
        body.push_str("<table><thead><tr><th>check</th><th>severity</th><th>spec</th><th>status</th><th>observed</th></tr></thead><tbody>\n");
        for c in &s.checks {
            body.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{:?}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
                esc(&c.id), c.severity, esc(&c.spec), status_class(c.status), status_class(c.status), esc(&c.message)
            ));
        }
        body.push_str("</tbody></table>\n<h3>Sequence</h3>\n");
        body.push_str(&sequence_svg(&s.transcript));
        body.push_str("\n<h3>Exchanges</h3>\n<ol>\n");
        for e in &s.transcript {
            body.push_str(&format!(
                "<li><p>{} — {}</p><pre>{}</pre></li>\n",
                esc(&e.step),
                esc(&short(e)),
                esc(&format!(
                    "{}\n→ HTTP {}\n{}",
                    e.request.body.as_deref().unwrap_or(""),
                    e.response
                        .status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "no answer".into()),
                    e.response.body.as_deref().unwrap_or("")
                ))
            ));
        }
        body.push_str("</ol></details></section>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>authconform: {}</title><style>\
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}}\
.passed{{color:#2e7d32}}.failed,.hung{{color:#b00020;font-weight:bold}}.warned{{color:#e65100}}.skipped{{color:#666}}summary h2{{display:inline;font-size:1.1rem}}\
pre{{background:#f5f5f5;padding:.5rem;overflow-x:auto;font-size:.8rem}}.note{{border-left:4px solid #e65100;padding-left:.5rem}}</style></head>\n<body>\n{body}</body></html>\n",
        esc(report.target)
    )
}
