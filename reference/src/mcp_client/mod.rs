//! The reference MCP client (`authconform mcp-client URL`): what the `@mcp-client` scenarios
//! expect a client to do, written down as code, with faults of its own for the mutation
//! self-test. It follows the MCP conformance suite's client contract (server URL as the last
//! argument; `MCP_CONFORMANCE_SCENARIO`, `MCP_CONFORMANCE_PROTOCOL_VERSION`,
//! `MCP_CONFORMANCE_CONTEXT`), speaks streamable HTTP, and authorizes as MCP 2025-11-25 says:
//! discovery from the 401 challenge, PKCE S256 or nothing, `resource` on every authorization and
//! token request, the token only in the `Authorization` header, refresh on an expired token
//! (once re-authorizing on `invalid_grant`), step-up on 403 `insufficient_scope` at most 3 times,
//! and never the legacy SSE transport. The run: initialize, tools/list, call `test-tool` (else
//! the first tool listed), done.

mod browser;
mod discovery;
mod dpop;
mod faults;
mod http;
mod machine;
mod oauth;
mod session;

use serde_json::{Value, json};

pub use faults::ClientFault;
pub use session::{Config, MAX_STEP_UPS, METADATA_DOCUMENT_URL, Session};

use discovery::Challenge;
use http::Resp;
use oauth::RefreshFailure;

impl Session {
    async fn post(&mut self, body: &Value) -> Result<Resp, String> {
        let mut headers = vec![("accept", "application/json, text/event-stream".to_string())];
        if let Some(t) = self.access_token.clone() {
            headers.push(("authorization", self.authorization(&t)));
            let url = self.server.to_string();
            if let Some(p) = self.dpop_proof("POST", &url, Some(&t)) {
                headers.push(("dpop", p));
            }
        }
        if let Some(s) = &self.mcp_session {
            headers.push(("mcp-session-id", s.clone()));
        }
        if let Some(v) = &self.protocol_version {
            headers.push(("mcp-protocol-version", v.clone()));
        }
        let mut url = self.server.clone();
        if let Some(t) = self
            .access_token
            .as_deref()
            .filter(|_| self.has(ClientFault::TokenInQuery))
        {
            url.query_pairs_mut().append_pair("access_token", t);
        }
        self.http.post_json(url.as_str(), body, &headers).await
    }

    /// Sends one JSON-RPC message, authorizing, refreshing and stepping up as needed.
    async fn send(&mut self, body: Value) -> Result<Resp, String> {
        let mut step_ups = 0;
        let mut resent = 0;
        let mut refreshed = false;
        let mut reauthorized = false;
        let mut nonces_taken = 0;
        loop {
            let r = self.post(&body).await?;
            if self.resource_nonce_asked(&r) && nonces_taken < 2 {
                nonces_taken += 1;
                self.log
                    .push("401 use_dpop_nonce: sending again with the server's nonce".into());
                continue;
            }
            let challenge = Challenge::parse(r.header("www-authenticate"));
            match r.status {
                401 if self.access_token.is_none() => {
                    if self.has(ClientFault::SseFallback) {
                        let sse = format!("{}/sse", self.server.origin().ascii_serialization());
                        let _ = self.http.get(&sse, None).await;
                    }
                    self.log.push("401 without a token: authorizing".into());
                    let scope = self.initial_scope_after_discovery(&challenge).await?;
                    self.authorize(&challenge, scope).await?;
                }
                401 if self.has(ClientFault::ResendRefusedToken) => {
                    resent += 1;
                    if resent > 3 {
                        return Err("still 401 after sending the token again".into());
                    }
                    self.log.push("401 with a token: sending it again".into());
                }
                401 => {
                    if !refreshed
                        && self.refresh_token.is_some()
                        && !self.has(ClientFault::NoRefresh)
                    {
                        refreshed = true;
                        self.log.push("401 with a token: refreshing".into());
                        match self.refresh().await {
                            Ok(()) => continue,
                            Err(RefreshFailure::InvalidGrant) => {
                                self.log
                                    .push("refresh refused (invalid_grant): authorizing".into());
                            }
                            Err(RefreshFailure::Other(e)) => return Err(e),
                        }
                    } else if reauthorized {
                        return Err(format!(
                            "still 401 after authorizing again: {}",
                            r.header("www-authenticate").unwrap_or("")
                        ));
                    }
                    reauthorized = true;
                    let rounds = if self.has(ClientFault::ReauthorizeLoop) {
                        3
                    } else {
                        1
                    };
                    for _ in 0..rounds {
                        let scope = self.scope.clone();
                        self.authorize(&challenge, scope).await?;
                    }
                }
                403 if challenge.error.as_deref() == Some("insufficient_scope") => {
                    step_ups += 1;
                    let limit = if self.has(ClientFault::StepUpForever) {
                        20
                    } else {
                        MAX_STEP_UPS
                    };
                    if self.has(ClientFault::NoStepUp) || step_ups > limit {
                        return Err(format!(
                            "403 insufficient_scope (scope {}); gave up after {} step-up attempts",
                            challenge.scope.as_deref().unwrap_or("none named"),
                            step_ups - 1
                        ));
                    }
                    self.log.push(format!(
                        "403 insufficient_scope: re-authorizing for {}",
                        challenge.scope.as_deref().unwrap_or("the same scope")
                    ));
                    let scope = oauth::union(self.scope.as_deref(), challenge.scope.as_deref());
                    self.authorize(&challenge, scope).await?;
                }
                200 | 202 => {
                    if let Some(s) = r.header("mcp-session-id") {
                        self.mcp_session = Some(s.to_string());
                    }
                    return Ok(r);
                }
                other => {
                    return Err(format!(
                        "the MCP server answered {other}: {}",
                        r.body.chars().take(300).collect::<String>()
                    ));
                }
            }
        }
    }

    async fn initial_scope_after_discovery(
        &mut self,
        challenge: &Challenge,
    ) -> Result<Option<String>, String> {
        self.find_resource_metadata(challenge).await?;
        Ok(self.initial_scope(challenge))
    }

    /// A request and its result (a JSON-RPC error is a failure).
    async fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        let r = self
            .send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await?;
        let answer = r
            .messages()
            .into_iter()
            .find(|m| m.get("id") == Some(&json!(id)))
            .ok_or_else(|| format!("{method}: no answer with id {id}"))?;
        if let Some(e) = answer.get("error") {
            return Err(format!("{method}: {e}"));
        }
        Ok(answer.get("result").cloned().unwrap_or(Value::Null))
    }

    /// The whole run: initialize, tools/list, one tool call.
    pub async fn run(&mut self) -> Result<(), String> {
        if self.config.browser {
            let cb = browser::Callback::bind().await?;
            self.config.redirect_uri = cb.redirect_uri.clone();
            self.callback = Some(cb);
        }
        let init = self
            .request(
                "initialize",
                json!({
                    "protocolVersion": self.config.protocol_version,
                    "capabilities": {},
                    "clientInfo": {"name": "authconform-reference-client", "version": env!("CARGO_PKG_VERSION")},
                }),
            )
            .await?;
        self.protocol_version = init
            .get("protocolVersion")
            .and_then(Value::as_str)
            .map(str::to_string);
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await?;
        let tools = self.request("tools/list", json!({})).await?;
        let names: Vec<String> = tools
            .get("tools")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|x| x.get("name").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let tool = names
            .iter()
            .find(|n| *n == "test-tool")
            .or(names.first())
            .cloned()
            .ok_or("the server lists no tools")?;
        let result = self
            .request("tools/call", json!({"name": tool, "arguments": {}}))
            .await?;
        if result.get("isError") == Some(&Value::Bool(true)) {
            return Err(format!("{tool} answered an error: {result}"));
        }
        self.log.push(format!(
            "called {tool} after {} authorization(s)",
            self.authorizations
        ));
        Ok(())
    }
}

/// Runs the reference client once.
pub async fn run(config: Config) -> (Result<(), String>, Vec<String>) {
    let mut s = match Session::new(config) {
        Ok(s) => s,
        Err(e) => return (Err(e), Vec::new()),
    };
    let r = s.run().await;
    (r, s.log)
}
