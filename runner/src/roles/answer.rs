//! What the checks of every server role read from the last answer: the response itself, a short
//! account of it for messages, its challenges, and the evaluators of its status.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::http::user_agent::Response;
use crate::roles::registry::{Evaluator, pattern};
use crate::world::AuthWorld;

/// The last response, or a failure saying no request was made.
pub(crate) fn last(w: &AuthWorld) -> Result<&Response, Failure> {
    w.last
        .as_ref()
        .ok_or_else(|| Failure::Failed("no request was made".into()))
}

/// A short account of a response for failure messages.
pub(crate) fn describe(r: &Response) -> String {
    match r.json() {
        Some(j) => format!("HTTP {} {}", r.status, j),
        None => format!(
            "HTTP {}{}",
            r.status,
            r.location()
                .map(|l| format!(" Location: {l}"))
                .unwrap_or_default()
        ),
    }
}

/// The `WWW-Authenticate` challenges of a response, joined.
pub(crate) fn challenge(r: &Response) -> Option<String> {
    let all: Vec<&str> = r
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
}

static STATUS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(STATUS_PATTERN).expect("status regex"));
const STATUS_PATTERN: &str = r"^the response status is (\d{3})$";

/// `the response status is NNN`
async fn status(w: &mut AuthWorld, assertion: &str) -> Outcome {
    let want: u16 = STATUS_RE
        .captures(assertion)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(0);
    let r = last(w)?;
    if r.status == want {
        Ok(format!("HTTP {want}"))
    } else {
        fail(format!("expected HTTP {want}, got {}", describe(r)))
    }
}

pub(crate) const STATUS: Evaluator = pattern!(STATUS_PATTERN, status);
