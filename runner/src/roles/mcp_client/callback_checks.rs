//! What a check step can assert about an MCP client whose authorization response came back
//! tampered with (`McpClientFlow::callback_tamper`): whether it redeemed anything after it, and
//! how it ended. `None` means the assertion is not one of these.

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::mcp_client::checks::{is_authorize, is_token};
use crate::roles::mcp_client::flow::CALLBACK_BOUND;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// Skipped unless a tampered authorization response went back to the client (one that never
/// asked for authorization got none).
fn tamper_delivered(w: &AuthWorld) -> Result<(), Failure> {
    match &w.mcp_client_flow().run {
        Some(r) if !r.tampered && !r.hung => Err(Failure::Skipped(
            "no authorization response went back to the client, so none could be tampered with"
                .into(),
        )),
        _ => Ok(()),
    }
}

/// `no token was requested after the tampered callback`
async fn nothing_redeemed(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    tamper_delivered(w)?;
    if !seen.iter().any(is_authorize) {
        return fail(format!(
            "the client never sent an authorization request, so no callback reached it{}",
            w.said()
        ));
    }
    // One authorization per run: every token request comes after its (tampered) response.
    match seen.iter().find(|s| is_token(s)) {
        None => Ok("no token request after the authorization request".into()),
        Some(s) => fail(format!(
            "POST {} ({}) -> {}{}",
            s.target,
            grant_type(&s.body),
            s.status,
            stateless_note(w, seen)
        )),
    }
}

/// For the state damages: a note when the client's authorization request carried no state, so
/// it had nothing to compare the response with.
fn stateless_note(w: &AuthWorld, seen: &[crate::arena::recording_proxy::Seen]) -> &'static str {
    use protocol::callback::Tamper;
    let state_damage = matches!(
        w.mcp_client_flow().callback_tamper,
        Some(Tamper::WrongState | Tamper::NoState)
    );
    let sent_state = seen
        .iter()
        .filter(|s| is_authorize(s))
        .any(|s| s.query().iter().any(|(k, _)| k == "state"));
    if state_damage && !sent_state {
        " (its authorization request carried no state, so it had none to compare)"
    } else {
        ""
    }
}

/// `grant_type=…` of a token request body, in words.
pub(crate) fn grant_type(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| format!("grant_type={v}"))
        .unwrap_or_else(|| "no grant_type".into())
}

/// `the client ended with an error, or kept waiting, after the tampered callback`
async fn ended_with_error(w: &mut AuthWorld) -> Outcome {
    w.client_seen()?;
    tamper_delivered(w)?;
    let bound = CALLBACK_BOUND.as_secs();
    match &w.mcp_client_flow().run {
        Some(r) if r.stopped_after_tamper => fail(format!(
            "still running {bound} s after the tampered callback, without a word to its user (stopped)"
        )),
        Some(r) => match r.exit {
            Some(0) => fail("the client exited 0 as if it had succeeded"),
            Some(code) => Ok(format!("exit {code}{}", w.said())),
            None => Ok(format!("ended by a signal{}", w.said())),
        },
        None => fail("the client under test was not run"),
    }
}

pub(crate) const NOTHING_REDEEMED: Evaluator = exact!(
    "no token was requested after the tampered callback",
    nothing_redeemed
);
pub(crate) const ENDED_WITH_ERROR: Evaluator =
    exact!("the client reported the refused callback", ended_with_error);

/// Every `@mcp-client` callback check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("mcp-client.callback.<id>.no-redemption", &NOTHING_REDEEMED),
    Check::new("mcp-client.callback.<id>.reported", &ENDED_WITH_ERROR),
    Check::new(
        "mcp-client.callback.iss-not-advertised.completes",
        &crate::roles::mcp_client::checks::CALLED_TOOL_ACCEPTED,
    ),
];
