//! The debugger: the journal as a page, newest first, each refusal with its reason in plain words
//! and, where the decision recorded them, the facts behind it; a redirect_uri mismatch shows the
//! registered and received URIs side by side with where they start to differ marked. Filters by
//! client, user and outcome. The journal holds no secrets (journal.rs), so neither does this page.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::nav::nav;
use crate::journal::{Entry, Filter, Outcome};
use crate::pages::{esc, page};
use crate::session;
use crate::state::AppState;

/// At most this many entries on the page.
const SHOWN: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    client_id: Option<String>,
    user: Option<String>,
    /// `refused` (the default), `all`.
    show: Option<String>,
}

/// `a` and `b` as HTML with the part of `b` after their longest common prefix (and the rest of
/// `a`) marked: where a near-miss goes wrong.
pub fn mark_difference(a: &str, b: &str) -> (String, String) {
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or(a.len().min(b.len()));
    // Back to a char boundary of `b` too (the prefix is equal, so the same byte offset).
    let mark = |s: &str| {
        let (same, diff) = s.split_at(common.min(s.len()));
        if diff.is_empty() {
            esc(same)
        } else {
            format!("{}<mark>{}</mark>", esc(same), esc(diff))
        }
    };
    (mark(a), mark(b))
}

fn when(at: i64) -> String {
    // UTC, seconds: days since the epoch by the civil-from-days algorithm.
    let (days, secs) = (at.div_euclid(86_400), at.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The registered-versus-received comparison of a redirect_uri mismatch.
fn mismatch(e: &Entry) -> Option<String> {
    let received = e.details.get("received")?.as_str()?;
    let registered: Vec<&str> = e
        .details
        .get("registered")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let rows: String = registered
        .iter()
        .map(|r| {
            let (reg, got) = mark_difference(r, received);
            format!("<tr><td><code>{reg}</code></td><td><code>{got}</code></td></tr>")
        })
        .collect();
    let rows = if rows.is_empty() {
        format!(
            "<tr><td>(none registered)</td><td><code>{}</code></td></tr>",
            esc(received)
        )
    } else {
        rows
    };
    Some(format!(
        "<table><caption>redirect_uri: registered and received (the difference is marked)</caption>\
<thead><tr><th scope=\"col\">Registered</th><th scope=\"col\">Received</th></tr></thead><tbody>{rows}</tbody></table>\
<p>The redirect_uri must equal a registered one exactly, character for character (RFC 6749 §3.1.2.3; RFC 9700 §4.1.3).</p>"
    ))
}

fn facts(e: &Entry) -> String {
    if e.code.ends_with("redirect_uri_mismatch")
        && let Some(m) = mismatch(e)
    {
        return m;
    }
    if e.details.is_empty() {
        return String::new();
    }
    let items: String = e
        .details
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("<li>{}: <code>{}</code></li>", esc(k), esc(&v))
        })
        .collect();
    format!("<ul>{items}</ul>")
}

fn entry_html(e: &Entry) -> String {
    let outcome = match e.outcome {
        Outcome::Refused => "refused",
        Outcome::Accepted => "accepted",
        Outcome::Info => "info",
    };
    let who: Vec<String> = [
        e.client_id
            .as_deref()
            .map(|c| format!("client <code>{}</code>", esc(c))),
        e.user
            .as_deref()
            .map(|u| format!("user <strong>{}</strong>", esc(u))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let class = if e.outcome == Outcome::Refused {
        " class=\"error\""
    } else {
        ""
    };
    format!(
        "<article{class} id=\"entry-{seq}\"><h3>#{seq} {endpoint}: {outcome} <code>{code}</code></h3>\
<p><time>{at}</time> UTC{who}</p><p>{reason}</p>{facts}</article>",
        seq = e.seq,
        endpoint = esc(&e.endpoint),
        code = esc(&e.code),
        at = when(e.at),
        who = if who.is_empty() {
            String::new()
        } else {
            format!(" · {}", who.join(" · "))
        },
        reason = esc(&e.reason),
        facts = facts(e),
    )
}

/// `GET /debugger`.
pub async fn debugger(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let user = session::session_user(&s, &headers);
    let all = q.show.as_deref() == Some("all");
    let filter = Filter {
        client_id: q.client_id.clone().filter(|c| !c.is_empty()),
        user: q.user.clone().filter(|u| !u.is_empty()),
        outcome: (!all).then_some(Outcome::Refused),
        ..Filter::default()
    };
    let mut entries: Vec<Entry> = s
        .journal
        .query(&filter)
        .into_iter()
        // The request lines say only "GET /x -> 200": the decisions say why.
        .filter(|e| e.code != "request")
        .collect();
    entries.reverse();
    let total = entries.len();
    entries.truncate(SHOWN);
    let list: String = if entries.is_empty() {
        format!(
            "<p>Nothing {} yet{}.</p>",
            if all { "recorded" } else { "refused" },
            if filter.client_id.is_some() || filter.user.is_some() {
                " for this filter"
            } else {
                ""
            }
        )
    } else {
        entries.iter().map(entry_html).collect()
    };
    let checked = |yes: bool| if yes { " checked" } else { "" };
    let body = format!(
        "{nav}<p>Every decision mock-idp made, newest first ({shown} of {total}), in plain words. The same as JSON: \
<a href=\"/_admin/journal\">/_admin/journal</a>.</p>\
<form method=\"get\" action=\"/debugger\"><fieldset><legend>Filter</legend>\
<label for=\"client_id\">Client id</label><input id=\"client_id\" name=\"client_id\" value=\"{client}\">\
<label for=\"user\">User</label><input id=\"user\" name=\"user\" value=\"{user_q}\">\
<p><input type=\"radio\" id=\"show-refused\" name=\"show\" value=\"refused\"{r}><label for=\"show-refused\" style=\"display:inline\">refusals only</label> \
<input type=\"radio\" id=\"show-all\" name=\"show\" value=\"all\"{a}><label for=\"show-all\" style=\"display:inline\">every decision</label></p>\
<button type=\"submit\">Show</button></fieldset></form>\
<h2>{heading}</h2>{list}",
        nav = nav(user.as_deref()),
        shown = entries.len(),
        client = esc(q.client_id.as_deref().unwrap_or("")),
        user_q = esc(q.user.as_deref().unwrap_or("")),
        r = checked(!all),
        a = checked(all),
        heading = if all { "Decisions" } else { "Refusals" },
    );
    page(StatusCode::OK, "Debugger", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_difference_is_marked_from_where_it_starts() {
        let (a, b) = mark_difference(
            "http://localhost:8000/auth/redirect",
            "http://localhost:8000/auth/redirect/",
        );
        assert_eq!(a, "http://localhost:8000/auth/redirect");
        assert_eq!(b, "http://localhost:8000/auth/redirect<mark>/</mark>");
        let (a, b) = mark_difference("https://a.example/cb", "http://a.example/cb");
        assert_eq!(a, "http<mark>s://a.example/cb</mark>");
        assert_eq!(b, "http<mark>://a.example/cb</mark>");
        // Escaped, and multi-byte text does not split a character.
        let (a, b) = mark_difference("https://ä.example/<x>", "https://ö.example/<x>");
        assert_eq!(a, "https://<mark>ä.example/&lt;x&gt;</mark>");
        assert_eq!(b, "https://<mark>ö.example/&lt;x&gt;</mark>");
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(when(0), "1970-01-01 00:00:00");
        assert_eq!(when(1_795_000_000), "2026-11-18 11:06:40");
    }
}
