//! `checks.json`: a flat array shaped like the MCP conformance suite's checks
//! (`id, name, description, status SUCCESS|FAILURE|WARNING|SKIPPED|INFO, specReferences, details`).

use serde_json::{Value, json};

use crate::check::Status;
use crate::world::context::ScenarioRecord;

pub fn render(records: &[ScenarioRecord]) -> serde_json::Result<String> {
    let mut out: Vec<Value> = Vec::new();
    for r in records {
        for c in &r.checks {
            let status = match c.status {
                Status::Passed => "SUCCESS",
                Status::Failed | Status::Hung => "FAILURE",
                Status::Warned => "WARNING",
                Status::Skipped => "SKIPPED",
            };
            out.push(json!({
                "id": c.id,
                "name": c.id,
                "description": format!("{} — {}", r.name, c.spec),
                "status": status,
                "specReferences": c.spec.split(';').map(|s| json!({"id": s.trim()})).collect::<Vec<_>>(),
                "details": {"scenario": r.name, "severity": c.severity, "message": c.message, "quote": c.quote},
            }));
        }
        if r.status == Status::Skipped && r.checks.is_empty() {
            out.push(json!({
                "id": format!("scenario.{}", super::slug(&r.name)),
                "name": r.name,
                "description": r.name,
                "status": "SKIPPED",
                "specReferences": [],
                "details": {"scenario": r.name, "message": r.note},
            }));
        }
    }
    serde_json::to_string_pretty(&out)
}
