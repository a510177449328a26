//! What a check step can assert about an MCP client whose authorization response came back
//! tampered with (`McpClientFlow::callback_tamper`): whether it redeemed anything after it, and
//! how it ended. `None` means the assertion is not one of these.

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::mcp_client::flow::CALLBACK_BOUND;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// Skipped unless a tampered authorization response went back to the client (one that never
/// asked for authorization got none). Read after `client_seen`, which makes a hung run `hung`.
fn tamper_delivered(w: &AuthWorld) -> Result<(), Failure> {
    let flow = w.mcp_client_flow();
    if flow
        .tampered_at
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_none()
    {
        return Err(Failure::Skipped(
            "no authorization response went back to the client, so none could be tampered with"
                .into(),
        ));
    }
    Ok(())
}

/// `no token was requested after the tampered callback`
async fn nothing_redeemed(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    tamper_delivered(w)?;
    // One authorization per run: every token request comes after its (tampered) response.
    match seen.iter().find(|s| s.is_token_request()) {
        None => Ok("no token request after the authorization request".into()),
        Some(s) => fail(format!(
            "POST {} ({}) -> {}{}",
            s.target,
            grant_type(s),
            s.status,
            stateless_note(w, seen)
        )),
    }
}

/// For the state damages: a note when the client's authorization request carried no state, so
/// it had nothing to compare the response with.
fn stateless_note(w: &AuthWorld, seen: &[Seen]) -> &'static str {
    use protocol::callback::Tamper;
    let state_damage = matches!(
        w.mcp_client_flow().callback_tamper,
        Some(Tamper::WrongState | Tamper::NoState)
    );
    let sent_state = seen
        .iter()
        .filter(|s| s.is_authorization_request())
        .any(|s| s.query().iter().any(|(k, _)| k == "state"));
    if state_damage && !sent_state {
        " (its authorization request carried no state, so it had none to compare)"
    } else {
        ""
    }
}

/// `grant_type=…` of a token request, in words.
pub(crate) fn grant_type(s: &Seen) -> String {
    s.form_value("grant_type")
        .map(|v| format!("grant_type={v}"))
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
