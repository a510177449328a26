//! The MCP-server side of a scenario: the runner speaks streamable HTTP itself (raw JSON-RPC
//! over POST, event streams by GET), so every header and every answer is observable. Tokens are
//! minted for the server's resource by the embedded mock-idp, the issuer the server trusts.

use mock_idp::mint::{Flaw, MintRequest};
use reqwest::Method;
use serde_json::{Value, json};

use crate::http::user_agent::{ClientAuth, Response};
use crate::target::mcp_server::McpServerProfile;
use crate::world::AuthWorld;
use crate::world::role_states::{RoleState, RoleStates};

/// The state of an MCP-server scenario.
#[derive(Debug, Default, Clone)]
pub struct McpFlow {
    /// Tokens by user.
    pub tokens: Vec<(String, String)>,
    /// The `Mcp-Session-Id` a user's initialize opened.
    pub sessions: Vec<(String, String)>,
    /// The next JSON-RPC id.
    pub next_id: u64,
    /// The protected resource metadata the runner found, and where.
    pub metadata: Option<(String, Value)>,
    /// The recording upstream API handed to the server's upstream tool.
    pub upstream: Option<std::sync::Arc<crate::arena::upstream_recorder::Recorder>>,
}

impl RoleState for McpFlow {}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(McpFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn mcp_flow(&self) -> &McpFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn mcp_flow_mut(&mut self) -> &mut McpFlow {
        self.roles.get_mut()
    }
}

/// Extra request shaping for one MCP call.
#[derive(Debug, Clone, Default)]
pub struct McpCall {
    /// Whose token to send (none: no Authorization).
    pub as_user: Option<String>,
    /// Whose session id to send.
    pub session_of: Option<String>,
    pub origin: Option<String>,
    pub protocol_version: Option<String>,
    /// Send the token as `?access_token=` instead of the header.
    pub token_in_query: bool,
}

impl AuthWorld {
    pub fn mcp_profile(&self) -> McpServerProfile {
        self.ctx.profile.mcp_server().clone()
    }

    pub fn mcp_url(&self) -> Result<String, String> {
        self.rs_expand(&self.mcp_profile().url)
    }

    fn mcp_resource(&self) -> Result<String, String> {
        let p = self.mcp_profile();
        self.rs_expand(p.resource.as_deref().unwrap_or(&p.url))
    }

    /// Mints a token for `user` with `scope`, for the MCP server's resource (or `audience`).
    pub async fn mint_mcp_token(
        &mut self,
        user: &str,
        scope: &str,
        flaw: Option<Flaw>,
        audience: Option<String>,
    ) -> Result<(), String> {
        self.ensure_target().await?;
        let aud = match audience {
            Some(a) => a,
            None => self.mcp_resource()?,
        };
        let req = MintRequest {
            sub: Some(user.into()),
            iss: Some(self.mock()?.issuer().to_string()),
            aud: Some(Value::String(aud)),
            scope: Some(scope.to_string()),
            client_id: Some("authconform".into()),
            flaw,
            ..Default::default()
        };
        let token = self.mint_raw(&req)?;
        self.mcp_flow_mut().tokens.retain(|(u, _)| u != user);
        self.mcp_flow_mut().tokens.push((user.into(), token));
        Ok(())
    }

    /// Sets a token for `user` that is not a JWT at all.
    pub fn set_raw_mcp_token(&mut self, user: &str, token: &str) {
        self.agent.redactor.register("access_token", token);
        self.mcp_flow_mut().tokens.retain(|(u, _)| u != user);
        self.mcp_flow_mut().tokens.push((user.into(), token.into()));
    }

    fn lookup(list: &[(String, String)], user: &str) -> Option<String> {
        list.iter().find(|(u, _)| u == user).map(|(_, v)| v.clone())
    }

    /// Sends `method` to the MCP endpoint: POST with a JSON-RPC body, or GET (an event stream).
    pub async fn mcp_send(
        &mut self,
        method: Method,
        body: Option<Value>,
        call: &McpCall,
    ) -> Result<Response, String> {
        self.ensure_target().await?;
        let p = self.mcp_profile();
        let mut url = self.mcp_url()?;
        let mut headers: Vec<(String, String)> = vec![(
            "accept".into(),
            if method == Method::GET {
                "text/event-stream".into()
            } else {
                "application/json, text/event-stream".into()
            },
        )];
        let token = call
            .as_user
            .as_deref()
            .and_then(|u| Self::lookup(&self.mcp_flow().tokens, u));
        if let Some(t) = token {
            if call.token_in_query {
                let q: String = form_urlencoded::byte_serialize(t.as_bytes()).collect();
                url = format!("{url}?access_token={q}");
            } else {
                headers.push(("authorization".into(), format!("Bearer {t}")));
            }
        }
        if let Some(sid) = call
            .session_of
            .as_deref()
            .and_then(|u| Self::lookup(&self.mcp_flow().sessions, u))
        {
            headers.push(("mcp-session-id".into(), sid));
        }
        headers.push((
            "mcp-protocol-version".into(),
            call.protocol_version.clone().unwrap_or(p.protocol_version),
        ));
        if let Some(o) = &call.origin {
            headers.push(("origin".into(), o.clone()));
        }
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = self
            .agent
            .send(method, &url, &ClientAuth::None, &h, None, body.as_ref())
            .await?;
        self.last = Some(resp.clone());
        Ok(resp)
    }

    fn next_id(&mut self) -> u64 {
        self.mcp_flow_mut().next_id += 1;
        self.mcp_flow().next_id
    }

    /// `initialize` (then `notifications/initialized` when it succeeded); remembers the session.
    pub async fn mcp_initialize(&mut self, call: &McpCall) -> Result<Response, String> {
        let version = self.mcp_profile().protocol_version;
        let id = self.next_id();
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
            "protocolVersion": version, "capabilities": {},
            "clientInfo": {"name": "authconform", "version": env!("CARGO_PKG_VERSION")}}});
        let resp = self.mcp_send(Method::POST, Some(body), call).await?;
        if resp.status == 200 {
            if let (Some(user), Some(sid)) = (&call.as_user, resp.header("mcp-session-id")) {
                let sid = sid.to_string();
                self.agent.redactor.register("mcp_session", &sid);
                self.mcp_flow_mut().sessions.retain(|(u, _)| u != user);
                self.mcp_flow_mut().sessions.push((user.clone(), sid));
            }
            let mut follow = call.clone();
            follow.session_of = call.as_user.clone();
            let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
            self.mcp_send(Method::POST, Some(note), &follow).await?;
            self.last = Some(resp.clone());
        }
        Ok(resp)
    }

    /// `tools/call` of `tool` with `arguments`.
    pub async fn mcp_call_tool(
        &mut self,
        tool: &str,
        arguments: Value,
        call: &McpCall,
    ) -> Result<Response, String> {
        let id = self.next_id();
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}});
        self.mcp_send(Method::POST, Some(body), call).await
    }
}

/// The token minted for `user` in this scenario.
pub fn token_of(w: &AuthWorld, user: &str) -> Option<String> {
    w.mcp_flow()
        .tokens
        .iter()
        .find(|(u, _)| u == user)
        .map(|(_, t)| t.clone())
}

/// The JSON-RPC messages of a response: a JSON body, or the `data:` lines of an event stream.
pub fn jsonrpc_messages(r: &Response) -> Vec<Value> {
    if let Some(j) = r.json() {
        return match j {
            Value::Array(a) => a,
            one => vec![one],
        };
    }
    r.body
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str(d.trim()).ok())
        .collect()
}
