//! The reference multi-user agent server for the `@agent` scenarios: what they expect of a
//! server whose tool calls a protected API on behalf of many users, as code, speaking the agent
//! side of the JSON-lines adapter contract (docs/adapters.md, "Multi-user agent servers")
//! in-process. A caller is who its verified identity token says (signature against the issuer's
//! JWKS, `iss`, `aud`, `exp`); cookies and query parameters name nobody; anonymous callers get no
//! downstream token. Each user's downstream tokens come from their own consent (the reference
//! OAuth client, keyed by user), the prompt goes to the caller's connection, and the callback is
//! matched to the call that started it by `state`. Faults of its own for the mutation self-test.

mod faults;

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

pub use faults::AgentFault;

use crate::oauth_client::id_token::{self, Expected};
use crate::oauth_client::{Now, OAuthClientFault, ReferenceClient};

/// How the server verifies its callers' identity tokens.
#[derive(Debug, Clone, Deserialize)]
struct Identity {
    issuer: String,
    jwks_uri: String,
    audience: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Config {
    api: String,
    identity: Identity,
}

/// Who the server takes a connection's caller to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Caller {
    User(String),
    Anonymous,
}

/// A call waiting for its user's consent.
#[derive(Debug, Clone)]
struct Waiting {
    call: Value,
    key: String,
    /// The connection the call came on.
    connection: String,
}

pub struct ReferenceAgent {
    faults: Vec<AgentFault>,
    now: Now,
    http: reqwest::Client,
    /// The downstream OAuth client, its tokens kept per user key.
    client: ReferenceClient,
    config: Option<Config>,
    connections: HashMap<String, Caller>,
    /// Connections in the order they were opened.
    opened: Vec<String>,
    /// Calls waiting for consent, by the `state` of their authorization request.
    waiting: HashMap<String, Waiting>,
    /// The states of `waiting`, oldest first (fault `agent-callback-fifo`).
    order: Vec<String>,
    /// Fault `agent-single-pending-consent`: the one slot.
    slot: Option<Waiting>,
    next_internal: u64,
    calls_made: u64,
    /// The last headers answer any call used (fault `agent-denied-falls-back`).
    last_headers: Option<Value>,
}

fn answer(id: &Value, result: Value) -> Value {
    json!({"id": id, "ok": true, "result": result})
}

fn ok(id: &Value) -> Value {
    json!({"id": id, "ok": true})
}

fn error(id: &Value, code: &str, message: impl Into<String>) -> Value {
    json!({"id": id, "error": code, "message": message.into()})
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The `state` of an authorization request or of a callback URL.
fn state_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
}

impl ReferenceAgent {
    pub fn new(faults: Vec<AgentFault>, now: Now) -> Self {
        // Fault: the OAuth client behind it checks neither state nor iss.
        let client_faults = if faults.contains(&AgentFault::UncheckedCallback) {
            vec![OAuthClientFault::IgnoreState, OAuthClientFault::IgnoreIss]
        } else {
            Vec::new()
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        Self {
            faults,
            client: ReferenceClient::new(client_faults, now.clone()),
            now,
            http,
            config: None,
            connections: HashMap::new(),
            opened: Vec::new(),
            waiting: HashMap::new(),
            order: Vec::new(),
            slot: None,
            next_internal: 0,
            calls_made: 0,
            last_headers: None,
        }
    }

    fn has(&self, f: AgentFault) -> bool {
        self.faults.contains(&f)
    }

    /// One command in, the lines it produces out (answers and events).
    pub async fn handle(&mut self, cmd: &Value) -> Vec<Value> {
        let id = cmd.get("id").cloned().unwrap_or(Value::Null);
        let connection = str_of(cmd, "connection").to_string();
        match str_of(cmd, "op") {
            "configure" => self.configure(&id, cmd).await,
            "connect" => {
                let identity = cmd.get("identity").cloned().unwrap_or(json!({}));
                match self.identify(&identity).await {
                    Ok(caller) => {
                        self.connections.insert(connection.clone(), caller);
                        self.opened.push(connection);
                        vec![ok(&id)]
                    }
                    Err(e) => vec![error(&id, "unauthenticated", e)],
                }
            }
            "call" => self.call(&id, &connection).await,
            "callback" => self.callback(&id, &connection, str_of(cmd, "url")).await,
            other => vec![error(&id, "unsupported", format!("unknown op {other:?}"))],
        }
    }

    async fn configure(&mut self, id: &Value, cmd: &Value) -> Vec<Value> {
        let config = cmd.get("config").cloned().unwrap_or(json!({}));
        match serde_json::from_value::<Config>(config.clone()) {
            Ok(c) => self.config = Some(c),
            Err(e) => return vec![error(id, "bad_config", format!("agent config: {e}"))],
        }
        let inner = json!({"id": "configure", "op": "configure", "provider": "oauth2_auth_code", "config": config});
        match self.client.handle(&inner).await.first() {
            Some(a) if a.get("ok").is_some() => vec![ok(id)],
            Some(a) => vec![error(id, "bad_config", str_of(a, "message"))],
            None => vec![error(id, "bad_config", "the OAuth client said nothing")],
        }
    }

    /// Who a connection's identity makes the caller: a verified token's subject, else nobody.
    async fn identify(&self, identity: &Value) -> Result<Caller, String> {
        let named = str_of(identity, "user").to_string();
        match str_of(identity, "kind") {
            "token" => {
                let token = str_of(identity, "token");
                let c = self.config.as_ref().ok_or("not configured")?;
                // Fault: whatever audience the token names is taken as this server's.
                let audience = if self.has(AgentFault::NoAudienceCheck) {
                    protocol::jwt::unverified_claims(token)
                        .and_then(|c| c.get("aud")?.as_str().map(String::from))
                        .unwrap_or_else(|| c.identity.audience.clone())
                } else {
                    c.identity.audience.clone()
                };
                let verified = id_token::validate(
                    &self.http,
                    &c.identity.jwks_uri,
                    token,
                    &Expected {
                        issuer: &c.identity.issuer,
                        client_id: &audience,
                        nonce: None,
                        now: (self.now)(),
                    },
                )
                .await;
                let claims = match verified {
                    Ok(claims) => claims,
                    Err(_) if self.has(AgentFault::UnverifiedJwt) => {
                        protocol::jwt::unverified_claims(token).ok_or("not a JWT")?
                    }
                    Err(e) => {
                        return Err(format!("the identity token is not acceptable: {e}"));
                    }
                };
                match claims.get("sub").and_then(Value::as_str) {
                    Some(sub) if !sub.is_empty() => Ok(Caller::User(sub.to_string())),
                    _ => Err("the identity token names no subject".into()),
                }
            }
            // Nobody signed these: they name a user, they do not prove one.
            "cookie" if self.has(AgentFault::TrustSessionCookie) => Ok(Caller::User(named)),
            "query" if self.has(AgentFault::TrustQueryIdentity) => Ok(Caller::User(named)),
            "cookie" | "query" | "anonymous" => Ok(Caller::Anonymous),
            other => Err(format!("unknown identity kind {other:?}")),
        }
    }

    /// The key the caller's downstream tokens are kept under, or `None` for nobody.
    fn token_key(&mut self, caller: &Caller) -> Option<String> {
        self.calls_made += 1;
        let user = match caller {
            Caller::User(u) => u.clone(),
            Caller::Anonymous if self.has(AgentFault::AnonymousDefault) => "default".into(),
            Caller::Anonymous => return None,
        };
        Some(if self.has(AgentFault::SharedTokenCache) {
            "everyone".into()
        } else if self.has(AgentFault::NoTokenCache) {
            format!("{user}#{}", self.calls_made)
        } else {
            user
        })
    }

    async fn call(&mut self, id: &Value, connection: &str) -> Vec<Value> {
        let Some(caller) = self.connections.get(connection).cloned() else {
            return vec![error(
                id,
                "not_connected",
                format!("no open connection {connection:?}"),
            )];
        };
        let Some(key) = self.token_key(&caller) else {
            return vec![error(
                id,
                "unauthenticated",
                "the tool acts with the caller's own authorization; an anonymous caller has none",
            )];
        };
        self.next_internal += 1;
        let inner = json!({"id": format!("h{}", self.next_internal), "op": "headers", "user": key});
        let out = self.client.handle(&inner).await;
        let mut lines = Vec::new();
        for line in out {
            if line.get("event").and_then(Value::as_str) == Some("open_browser") {
                let url = str_of(&line, "url").to_string();
                let w = Waiting {
                    call: id.clone(),
                    key: key.clone(),
                    connection: connection.to_string(),
                };
                if self.has(AgentFault::SinglePendingConsent) {
                    self.slot = Some(w);
                } else if let Some(state) = state_of(&url) {
                    self.order.push(state.clone());
                    self.waiting.insert(state, w);
                }
                let to = if self.has(AgentFault::ConsentToLatestConnection) {
                    self.opened.last().cloned().unwrap_or_default()
                } else {
                    connection.to_string()
                };
                lines.push(json!({"event": "consent", "connection": to, "url": url}));
            } else if line.get("headers").is_some() {
                lines.push(self.use_tool(id, &line).await);
                self.last_headers = Some(line);
            } else if line.get("error").is_some() {
                lines.push(error(id, "authorization_failed", str_of(&line, "message")));
            }
        }
        lines
    }

    /// The tool itself: the API requested with the caller's headers.
    async fn use_tool(&self, id: &Value, headers_answer: &Value) -> Value {
        let Some(c) = &self.config else {
            return error(id, "not_configured", "configure first");
        };
        let mut req = self.http.get(&c.api);
        if let Some(h) = headers_answer.get("headers").and_then(Value::as_object) {
            for (k, v) in h {
                req = req.header(k.as_str(), v.as_str().unwrap_or(""));
            }
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => {
                let body = r.text().await.unwrap_or_default();
                answer(
                    id,
                    serde_json::from_str(&body).unwrap_or(Value::String(body)),
                )
            }
            Ok(r) => error(
                id,
                "api_refused",
                format!("the API answered {}", r.status()),
            ),
            Err(e) => error(id, "api_unreachable", e.to_string()),
        }
    }

    async fn callback(&mut self, id: &Value, connection: &str, url: &str) -> Vec<Value> {
        let found = if self.has(AgentFault::UncheckedCallback)
            && !state_of(url).is_some_and(|s| self.waiting.contains_key(&s))
        {
            // The caller's own waiting call, whatever the callback's state says.
            let state = self
                .waiting
                .iter()
                .find(|(_, w)| w.connection == connection)
                .map(|(s, _)| s.clone());
            state.and_then(|s| self.waiting.remove(&s))
        } else if self.has(AgentFault::SinglePendingConsent) {
            self.slot.take()
        } else if self.has(AgentFault::CallbackFifo) {
            // The oldest waiting consent, whatever the callback's state says.
            let oldest = self.order.iter().position(|s| self.waiting.contains_key(s));
            oldest
                .map(|i| self.order.remove(i))
                .and_then(|s| self.waiting.remove(&s))
        } else {
            state_of(url).and_then(|s| self.waiting.remove(&s))
        };
        let Some(w) = found else {
            return vec![error(
                id,
                "unknown_state",
                "no consent under way has this state: the callback is not redeemed",
            )];
        };
        self.next_internal += 1;
        let inner = json!({"id": format!("c{}", self.next_internal), "op": "callback", "user": w.key, "url": url});
        let out = self.client.handle(&inner).await;
        let mut lines = vec![ok(id)];
        let mut answered = false;
        for line in out {
            if line.get("id").and_then(Value::as_str) == Some(&format!("c{}", self.next_internal)) {
                if let Some(e) = line.get("error") {
                    lines[0] = error(
                        id,
                        e.as_str().unwrap_or("refused"),
                        str_of(&line, "message"),
                    );
                }
                continue;
            }
            if line.get("headers").is_some() {
                lines.push(self.use_tool(&w.call, &line).await);
                self.last_headers = Some(line);
                answered = true;
            } else if let (true, Some(last)) = (
                line.get("error").is_some() && self.has(AgentFault::DeniedFallsBack),
                self.last_headers.clone(),
            ) {
                lines.push(self.use_tool(&w.call, &last).await);
                answered = true;
            } else if line.get("error").is_some() {
                lines.push(error(
                    &w.call,
                    "authorization_failed",
                    str_of(&line, "message"),
                ));
                answered = true;
            }
        }
        if !answered {
            lines.push(error(
                &w.call,
                "authorization_failed",
                "the consent did not give a token",
            ));
        }
        lines
    }
}
