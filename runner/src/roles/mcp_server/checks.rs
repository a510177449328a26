//! What a check step can assert about an MCP server: its challenge (RFC 9728 §5.1
//! `resource_metadata`, the `scope` of MCP's scope challenge), its protected resource metadata
//! (RFC 9728 §3), whose identity a tool answered for, and whether an event stream opened.
//! `None` means the assertion is not one of these.

use serde_json::Value;

use crate::roles::authorization_server::checks::{Failure, describe};
use crate::roles::mcp_server::flow::jsonrpc_messages;
use crate::world::AuthWorld;
use protocol::www_authenticate::param;

type Outcome = Result<String, Failure>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Failed(msg.into()))
}

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

/// Evaluates an MCP-server assertion, or `None` when `assertion` is not one.
pub async fn evaluate(w: &mut AuthWorld, assertion: &str) -> Option<Outcome> {
    Some(match assertion {
        "the challenge names the resource metadata" => {
            challenge(w).and_then(|c| match param(&c, "resource_metadata") {
                Some(u) => Ok(format!("resource_metadata={u}")),
                None => fail(format!("the challenge has no resource_metadata: {c}")),
            })
        }
        "the challenge carries a scope" => challenge(w).and_then(|c| match param(&c, "scope") {
            Some(s) if !s.is_empty() => Ok(format!("scope={s}")),
            _ => fail(format!("the challenge names no scope: {c}")),
        }),
        "the protected resource metadata was found" => match &w.mcp.metadata {
            Some((url, _)) => Ok(format!("found at {url}")),
            None => fail(
                "neither the challenge nor the well-known URLs led to protected resource metadata",
            ),
        },
        "the protected resource metadata names the MCP server as its resource" => {
            let want = match w.mcp_url() {
                Ok(u) => u,
                Err(e) => return Some(fail(e)),
            };
            match &w.mcp.metadata {
                Some((_, m)) => match m.get("resource").and_then(Value::as_str) {
                    Some(r) if r == want => Ok(format!("resource {r}")),
                    other => fail(format!("resource is {other:?}, the server is {want}")),
                },
                None => fail("no protected resource metadata was found"),
            }
        }
        "the protected resource metadata lists an authorization server" => match &w.mcp.metadata {
            Some((_, m)) => match m.get("authorization_servers").and_then(Value::as_array) {
                Some(a) if !a.is_empty() => Ok(format!("authorization_servers {a:?}")),
                _ => fail(format!("no authorization_servers in {m}")),
            },
            None => fail("no protected resource metadata was found"),
        },
        "the MCP server refuses the tool call" => match &w.last {
            Some(r) if !(200..300).contains(&r.status) => {
                Ok(format!("refused with HTTP {}", r.status))
            }
            Some(r) => {
                let messages = jsonrpc_messages(r);
                let refused = messages.iter().any(|m| {
                    m.get("error").is_some()
                        || m.pointer("/result/isError") == Some(&Value::Bool(true))
                });
                if refused {
                    Ok("refused inside MCP (a JSON-RPC error or a tool error)".into())
                } else {
                    fail(format!("the tool ran: {}", describe(r)))
                }
            }
            None => fail("no request was made"),
        },
        "the upstream API was called" => match &w.mcp.upstream {
            Some(r) if !r.seen().is_empty() => {
                Ok(format!("{} upstream request(s)", r.seen().len()))
            }
            Some(_) => fail("the upstream tool made no request to the recording API"),
            None => fail("no recording upstream was set up"),
        },
        "the upstream API never received alice's token" => {
            let alice = crate::roles::mcp_server::flow::token_of(w, "alice").unwrap_or_default();
            match &w.mcp.upstream {
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
        "the tool answered for alice" => named(w, "alice"),
        "the tool answered for bob" => named(w, "bob"),
        "no event stream was opened" => match &w.last {
            Some(r)
                if r.status == 200
                    && r.header("content-type")
                        .is_some_and(|c| c.starts_with("text/event-stream")) =>
            {
                fail("an event stream opened for a request without a valid token")
            }
            Some(r) => Ok(format!("HTTP {}, no stream", r.status)),
            None => fail("no request was made"),
        },
        _ => return None,
    })
}

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
