//! What a check step can assert about an MCP server: its challenge (RFC 9728 §5.1
//! `resource_metadata`, the `scope` of MCP's scope challenge), its protected resource metadata
//! (RFC 9728 §3), whose identity a tool answered for, and whether an event stream opened.
//! `None` means the assertion is not one of these.

use serde_json::Value;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::answer::describe;
use crate::roles::mcp_server::flow::jsonrpc_messages;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;
use protocol::www_authenticate::param;

fn challenge(w: &AuthWorld) -> Result<String, Failure> {
    let r = w
        .last
        .as_ref()
        .ok_or_else(|| Failure::Failed("no request was made".into()))?;
    r.header("www-authenticate")
        .map(str::to_string)
        .ok_or_else(|| Failure::Failed(format!("no WWW-Authenticate on {}", describe(r))))
}

/// The text of the first tool result in the last response.
fn tool_text(w: &AuthWorld) -> Result<String, Failure> {
    let r = w
        .last
        .as_ref()
        .ok_or_else(|| Failure::Failed("no request was made".into()))?;
    let messages = jsonrpc_messages(r);
    let result = messages.iter().find_map(|m| m.get("result"));
    match result {
        Some(res) if res.get("isError") != Some(&Value::Bool(true)) => Ok(res
            .get("content")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(|b| b.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()),
        Some(res) => fail(format!("the tool answered with an error: {res}")),
        None => fail(format!("no tool result: {}", describe(r))),
    }
}

/// `the challenge names the resource metadata`
async fn challenge_names_metadata(w: &mut AuthWorld) -> Outcome {
    challenge(w).and_then(|c| match param(&c, "resource_metadata") {
        Some(u) => Ok(format!("resource_metadata={u}")),
        None => fail(format!("the challenge has no resource_metadata: {c}")),
    })
}

/// `the challenge carries a scope`
async fn challenge_has_scope(w: &mut AuthWorld) -> Outcome {
    challenge(w).and_then(|c| match param(&c, "scope") {
        Some(s) if !s.is_empty() => Ok(format!("scope={s}")),
        _ => fail(format!("the challenge names no scope: {c}")),
    })
}

/// `the protected resource metadata was found`
async fn prm_found(w: &mut AuthWorld) -> Outcome {
    match &w.mcp_flow().metadata {
        Some((url, _)) => Ok(format!("found at {url}")),
        None => {
            fail("neither the challenge nor the well-known URLs led to protected resource metadata")
        }
    }
}

/// `the protected resource metadata names the MCP server as its resource`
async fn prm_resource_is_server(w: &mut AuthWorld) -> Outcome {
    let want = match w.mcp_url() {
        Ok(u) => u,
        Err(e) => return fail(e),
    };
    match &w.mcp_flow().metadata {
        Some((_, m)) => match m.get("resource").and_then(Value::as_str) {
            Some(r) if r == want => Ok(format!("resource {r}")),
            other => fail(format!("resource is {other:?}, the server is {want}")),
        },
        None => fail("no protected resource metadata was found"),
    }
}

/// `the protected resource metadata lists an authorization server`
async fn prm_lists_as(w: &mut AuthWorld) -> Outcome {
    match &w.mcp_flow().metadata {
        Some((_, m)) => match m.get("authorization_servers").and_then(Value::as_array) {
            Some(a) if !a.is_empty() => Ok(format!("authorization_servers {a:?}")),
            _ => fail(format!("no authorization_servers in {m}")),
        },
        None => fail("no protected resource metadata was found"),
    }
}

/// `the MCP server refuses the tool call`
async fn tool_call_refused(w: &mut AuthWorld) -> Outcome {
    match &w.last {
        Some(r) if !(200..300).contains(&r.status) => Ok(format!("refused with HTTP {}", r.status)),
        Some(r) => {
            let messages = jsonrpc_messages(r);
            let refused = messages.iter().any(|m| {
                m.get("error").is_some() || m.pointer("/result/isError") == Some(&Value::Bool(true))
            });
            if refused {
                Ok("refused inside MCP (a JSON-RPC error or a tool error)".into())
            } else {
                fail(format!("the tool ran: {}", describe(r)))
            }
        }
        None => fail("no request was made"),
    }
}

/// `the upstream API was called`
async fn upstream_called(w: &mut AuthWorld) -> Outcome {
    match &w.mcp_flow().upstream {
        Some(r) if !r.seen().is_empty() => Ok(format!("{} upstream request(s)", r.seen().len())),
        Some(_) => fail("the upstream tool made no request to the recording API"),
        None => fail("no recording upstream was set up"),
    }
}

/// `the upstream API never received alice's token`
async fn upstream_never_got_alices_token(w: &mut AuthWorld) -> Outcome {
    let alice = crate::roles::mcp_server::flow::token_of(w, "alice").unwrap_or_default();
    match &w.mcp_flow().upstream {
        Some(r) => {
            let leaked = r
                .seen()
                .iter()
                .flatten()
                .any(|a| !alice.is_empty() && a.contains(&alice));
            if leaked {
                fail("the upstream API received alice's own token: token passthrough")
            } else {
                Ok("the upstream saw only the server's own credentials".into())
            }
        }
        None => fail("no recording upstream was set up"),
    }
}

/// `the tool answered for alice`
async fn answered_for_alice(w: &mut AuthWorld) -> Outcome {
    named(w, "alice")
}

/// `no event stream was opened`
async fn no_event_stream(w: &mut AuthWorld) -> Outcome {
    match &w.last {
        Some(r)
            if r.status == 200
                && r.header("content-type")
                    .is_some_and(|c| c.starts_with("text/event-stream")) =>
        {
            fail("an event stream opened for a request without a valid token")
        }
        Some(r) => Ok(format!("HTTP {}, no stream", r.status)),
        None => fail("no request was made"),
    }
}

pub(crate) const CHALLENGE_NAMES_METADATA: Evaluator = exact!(
    "the challenge names the resource metadata",
    challenge_names_metadata
);
pub(crate) const CHALLENGE_HAS_SCOPE: Evaluator =
    exact!("the challenge carries a scope", challenge_has_scope);
pub(crate) const PRM_FOUND: Evaluator =
    exact!("the protected resource metadata was found", prm_found);
pub(crate) const PRM_RESOURCE_IS_SERVER: Evaluator = exact!(
    "the protected resource metadata names the MCP server as its resource",
    prm_resource_is_server
);
pub(crate) const PRM_LISTS_AS: Evaluator = exact!(
    "the protected resource metadata lists an authorization server",
    prm_lists_as
);
pub(crate) const TOOL_CALL_REFUSED: Evaluator =
    exact!("the MCP server refuses the tool call", tool_call_refused);
pub(crate) const UPSTREAM_CALLED: Evaluator =
    exact!("the upstream API was called", upstream_called);
pub(crate) const UPSTREAM_NEVER_GOT_ALICES_TOKEN: Evaluator = exact!(
    "the upstream API never received alice's token",
    upstream_never_got_alices_token
);
pub(crate) const ANSWERED_FOR_ALICE: Evaluator =
    exact!("the tool answered for alice", answered_for_alice);
pub(crate) const NO_EVENT_STREAM: Evaluator = exact!("no event stream was opened", no_event_stream);

fn named(w: &AuthWorld, user: &str) -> Outcome {
    let text = tool_text(w)?;
    let sub = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("sub").and_then(Value::as_str).map(str::to_string));
    match sub {
        Some(s) if s == user => Ok(format!("the tool saw sub {s}")),
        Some(s) => fail(format!("the tool saw sub {s}, not {user}")),
        None if text.contains(user) => Ok(format!("the tool's answer names {user}")),
        None => fail(format!("the tool's answer does not name {user}: {text}")),
    }
}

/// Every `@mcp` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("mcp.no-credentials.401", &crate::roles::answer::STATUS),
    Check::new(
        "mcp.no-credentials.challenge",
        &crate::roles::resource_server::checks::BEARER_CHALLENGE,
    ),
    Check::new(
        "mcp.no-credentials.no-error",
        &crate::roles::resource_server::checks::CHALLENGE_WITHOUT_ERROR,
    ),
    Check::new("mcp.challenge.resource-metadata", &CHALLENGE_NAMES_METADATA),
    Check::new("mcp.challenge.scope", &CHALLENGE_HAS_SCOPE),
    Check::new("mcp.prm.found", &PRM_FOUND),
    Check::new("mcp.prm.resource", &PRM_RESOURCE_IS_SERVER),
    Check::new("mcp.prm.authorization-servers", &PRM_LISTS_AS),
    Check::new("mcp.step-up.refused", &TOOL_CALL_REFUSED),
    Check::new(
        "mcp.step-up.403",
        &crate::roles::resource_server::checks::INSUFFICIENT_SCOPE_NAMED,
    ),
    Check::new(
        "mcp.session.bound-to-user",
        &crate::roles::resource_server::checks::REQUEST_REFUSED,
    ),
    Check::new(
        "mcp.session.no-5xx",
        &crate::roles::resource_server::checks::NO_SERVER_ERROR,
    ),
    Check::new("mcp.sse.no-stream-without-token", &NO_EVENT_STREAM),
    Check::new("mcp.sse.401", &crate::roles::answer::STATUS),
    Check::new("mcp.upstream.called", &UPSTREAM_CALLED),
    Check::new(
        "mcp.upstream.no-passthrough",
        &UPSTREAM_NEVER_GOT_ALICES_TOKEN,
    ),
    Check::new(
        "mcp.scope.read-refused",
        &crate::roles::resource_server::checks::REQUEST_REFUSED,
    ),
    Check::new(
        "mcp.scope.read-403",
        &crate::roles::resource_server::checks::INSUFFICIENT_SCOPE_NAMED,
    ),
    Check::new(
        "mcp.valid-token.initialize",
        &crate::roles::resource_server::checks::REQUEST_SERVED,
    ),
    Check::new("mcp.valid-token.identity", &ANSWERED_FOR_ALICE),
    Check::new(
        "mcp.audience.refused",
        &crate::roles::resource_server::checks::REQUEST_REFUSED,
    ),
    Check::new("mcp.audience.401", &crate::roles::answer::STATUS),
    Check::new("mcp.bad-token.<flaw>.401", &crate::roles::answer::STATUS),
    Check::new(
        "mcp.bad-token.<flaw>.challenge",
        &crate::roles::resource_server::checks::BEARER_CHALLENGE,
    ),
    Check::new(
        "mcp.query-token.refused",
        &crate::roles::resource_server::checks::REQUEST_REFUSED,
    ),
    Check::new("mcp.origin.403", &crate::roles::answer::STATUS),
    Check::new("mcp.protocol-version.400", &crate::roles::answer::STATUS),
    Check::new("mcp.legacy-sse.no-stream", &NO_EVENT_STREAM),
    Check::new("mcp.legacy-sse.401", &crate::roles::answer::STATUS),
];
