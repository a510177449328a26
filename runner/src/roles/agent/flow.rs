//! The `@agent` part of a scenario: a multi-user agent server under test (the reference agent
//! server in-process, or an adapter process on the agent side of the JSON-lines contract), the
//! people behind its connections, and the runner playing each person's browser: a consent prompt
//! that reaches a connection is signed in to by whoever is really behind that connection. Every
//! call is kept with the stretch of the recording proxy's record it covers, so the checks can say
//! whose token reached the API for whose call. The mock-idp and the proxy are those of
//! `world_mcp_client`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{Value, json};

use crate::arena::adapter::Adapter;
use crate::roles::client::flow::{Tamper, browse_as, tamper};
use crate::roles::mcp_client::flow::CALLBACK_BOUND;
use crate::target::client::ClientProfile;
use crate::world::AuthWorld;
use crate::world::role_states::{RoleState, RoleStates};
use reference::agent_server::ReferenceAgent;
use std::future::Future;
use std::pin::Pin;

/// The agent server's downstream client at the mock.
pub const AGENT_CLIENT_ID: &str = "authconform-agent";
pub const AGENT_CLIENT_SECRET: &str = "authconform-agent-secret";
/// The audience of the identity tokens the agent server's callers present.
pub const AGENT_AUDIENCE: &str = "authconform-agent-server";

/// One call of the tool.
#[derive(Debug, Clone)]
pub struct AgentCall {
    pub connection: String,
    /// Who is really behind the connection.
    pub person: String,
    /// The adapter's answer (`None`: none came).
    pub answer: Option<Value>,
    /// The stretch of the proxy's record (`seen[from..to]`) made while the call's batch ran.
    pub window: (usize, usize),
    /// Calls sent together share a batch (and a window).
    pub batch: usize,
}

impl AgentCall {
    /// The user the API said the token was for, when the call was answered with its result.
    pub fn result_user(&self) -> Option<String> {
        self.result_doc()?
            .get("username")?
            .as_str()
            .map(String::from)
    }

    /// The API's answer as the call returned it: a JSON object, or a string holding one.
    pub fn result_doc(&self) -> Option<Value> {
        let a = self.answer.as_ref()?;
        if a.get("ok") != Some(&Value::Bool(true)) {
            return None;
        }
        match a.get("result")? {
            Value::Object(_) => a.get("result").cloned(),
            Value::String(s) => serde_json::from_str::<Value>(s.trim())
                .ok()
                .filter(Value::is_object),
            _ => None,
        }
    }

    /// The `served` stamp of the API answer the call returned (see `stamp_api`).
    pub fn served(&self) -> Option<String> {
        self.result_doc()?.get("served")?.as_str().map(String::from)
    }
}

/// A tampered consent callback as the runner delivered it.
#[derive(Debug, Clone)]
pub struct TamperedCallback {
    pub person: String,
    pub connection: String,
    /// Where the proxy's record stood when it was delivered (`seen[from..]` came after).
    pub from: usize,
    pub at: std::time::Instant,
}

/// A consent prompt as it reached a connection.
#[derive(Debug, Clone)]
pub struct Consent {
    pub connection: String,
    /// Who signed in at the mock for it (the person behind `connection`).
    pub person: String,
    /// Whether a call on that connection was waiting when it arrived.
    pub call_waiting: bool,
}

#[derive(Default)]
pub struct AgentFlow {
    pub adapter: Option<Adapter>,
    next_id: u64,
    /// Connection → the person really behind it.
    pub people: BTreeMap<String, String>,
    /// Connection → what it presented, in words.
    pub presented: BTreeMap<String, String>,
    /// (connection, person) in the order they were opened.
    pub opened: Vec<(String, String)>,
    /// Connection → how it presented itself.
    pub kinds: BTreeMap<String, Presented>,
    /// What went wrong on the way to an answer (callbacks refused, a browser that stopped
    /// short), for the message of a batch that did not finish.
    pub notes: Vec<String>,
    /// Connections the server turned away, with its answer.
    pub turned_away: BTreeMap<String, Value>,
    pub calls: Vec<AgentCall>,
    pub consents: Vec<Consent>,
    /// People whose browser comes back from every consent prompt tampered with: a denial
    /// (`error=access_denied`, RFC 6749 §4.1.2.1), or an attacker's forged or swapped response.
    pub tampers: BTreeMap<String, Tamper>,
    /// The tampered callbacks delivered, in order.
    pub tampered: Vec<TamperedCallback>,
    /// Connections whose call was still waiting `CALLBACK_BOUND` after a tampered callback, and
    /// was given up (a server that ignores a forged callback is not hung).
    pub given_up: BTreeSet<String>,
    batches: usize,
    /// Where the current batch's prompts start in `consents`.
    batch_consents_from: usize,
}

impl RoleState for AgentFlow {
    /// The adapter under test stops with the scenario; what it said explains a failure.
    fn stop(&mut self) -> Option<Pin<Box<dyn Future<Output = String> + Send>>> {
        let adapter = self.adapter.take()?;
        Some(Box::pin(adapter.close()))
    }
}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(AgentFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn agent_flow(&self) -> &AgentFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn agent_flow_mut(&mut self) -> &mut AgentFlow {
        self.roles.get_mut()
    }
}

/// How a connection presents itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The person's own identity token, minted and signed by the mock for the agent server.
    OwnToken,
    /// A JWT claiming to be someone with `alg: none` and no signature.
    UnsignedJwt,
    /// A JWT claiming to be someone, signed by a key the issuer never published.
    ForeignKeyJwt,
    /// The claimed person's real identity token, expired.
    ExpiredJwt,
    /// The claimed person's token, signed by the issuer, for another audience.
    WrongAudienceJwt,
    /// A token naming the claimed person, signed by the mock's key but with another `iss`.
    WrongIssuerJwt,
    /// `alg: HS256` keyed with the issuer's public key (algorithm confusion).
    Hs256Jwt,
    /// A session cookie naming someone.
    Cookie,
    /// A query parameter naming someone.
    Query,
    Anonymous,
}

impl AuthWorld {
    pub fn agent_profile(&self) -> &ClientProfile {
        self.ctx.profile.agent()
    }

    fn agent_limit(&self) -> Duration {
        Duration::from_secs(self.agent_profile().timeout_seconds)
    }

    /// Starts the mock, the proxy and the adapter, and configures the server.
    async fn agent_ready(&mut self) -> Result<(), String> {
        if self.agent_flow().adapter.is_some() {
            return Ok(());
        }
        let profile = self.agent_profile().clone();
        self.mcp_client_start().await?;
        let adapter = if profile.reference {
            Adapter::reference_agent(ReferenceAgent::new(
                self.ctx.agent_faults.clone(),
                self.mock_now()?,
            ))
        } else {
            self.spawn_adapter(&profile)?
        };
        self.agent_flow_mut().adapter = Some(adapter);
        let target = self.issuer.trim_end_matches('/').to_string();
        let config = json!({
            "issuer": target,
            "authorization_endpoint": format!("{target}/oauth/authorize"),
            "token_endpoint": format!("{target}/oauth/token"),
            "jwks_uri": format!("{target}/jwks"),
            "client_id": AGENT_CLIENT_ID,
            "client_secret": AGENT_CLIENT_SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
            "redirect_uri": profile.redirect_uri,
            "scopes": ["openid", "profile"],
            "use_pkce": true,
            // RFC 9207: the mock sends `iss` in every authorization response and says so.
            "authorization_response_iss_parameter_supported": true,
            "api": format!("{target}/api/me"),
            "identity": {
                "issuer": target,
                "jwks_uri": format!("{target}/jwks"),
                "audience": AGENT_AUDIENCE,
            },
        });
        let answer = self
            .agent_one(json!({"op": "configure", "config": config}))
            .await?;
        if answer.get("error").is_some() {
            return Err(format!(
                "the agent server under test could not be configured: {answer}"
            ));
        }
        Ok(())
    }

    /// The identity a connection presents, as the contract carries it.
    fn identity(&self, person: &str, claimed: &str, how: Presented) -> Result<Value, String> {
        use mock_idp::mint::{Flaw, MintRequest, mint};
        let minted = |flaw: Option<Flaw>, sub: &str| -> Result<String, String> {
            let state = self.mock()?.state().clone();
            mint(
                &state,
                &MintRequest {
                    sub: Some(sub.to_string()),
                    aud: Some(json!(AGENT_AUDIENCE)),
                    // The flaw decides the lifetime when it is about time.
                    expires_in: (flaw != Some(Flaw::Expired)).then_some(3600),
                    flaw,
                    ..Default::default()
                },
            )
            .map(|m| m.token)
            .map_err(|e| format!("minting an identity token: {e}"))
        };
        Ok(match how {
            Presented::OwnToken => json!({"kind": "token", "token": minted(None, person)?}),
            Presented::UnsignedJwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::AlgNone), claimed)?})
            }
            Presented::ForeignKeyJwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::UnknownKid), claimed)?})
            }
            Presented::ExpiredJwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::Expired), claimed)?})
            }
            Presented::WrongAudienceJwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::WrongAudience), claimed)?})
            }
            Presented::WrongIssuerJwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::WrongIssuer), claimed)?})
            }
            Presented::Hs256Jwt => {
                json!({"kind": "token", "token": minted(Some(Flaw::Hs256PublicKey), claimed)?})
            }
            Presented::Cookie => json!({"kind": "cookie", "user": claimed}),
            Presented::Query => json!({"kind": "query", "user": claimed}),
            Presented::Anonymous => json!({"kind": "anonymous"}),
        })
    }

    /// `person` opens `connection`, presenting themselves as `how` says (claiming `claimed`).
    pub async fn agent_connect(
        &mut self,
        connection: &str,
        person: &str,
        claimed: &str,
        how: Presented,
    ) -> Result<(), String> {
        self.agent_ready().await?;
        let identity = self.identity(person, claimed, how)?;
        if let Some(t) = identity.get("token").and_then(Value::as_str) {
            self.agent.redactor.register("identity_token", t);
        }
        self.agent.step = format!("{person} connects");
        let answer = self
            .agent_one(json!({"op": "connect", "connection": connection, "identity": identity}))
            .await?;
        if answer.get("error").and_then(Value::as_str) == Some("unsupported") {
            crate::check::outcome::skip!(
                "the adapter cannot present this identity ({how:?}): {}",
                answer.get("message").and_then(Value::as_str).unwrap_or("")
            );
        }
        self.agent_flow_mut()
            .people
            .insert(connection.into(), person.into());
        self.agent_flow_mut()
            .opened
            .push((connection.into(), person.into()));
        self.agent_flow_mut().kinds.insert(connection.into(), how);
        self.agent_flow_mut()
            .presented
            .insert(connection.into(), describe(person, claimed, how));
        if answer.get("error").is_some() {
            self.agent_flow_mut()
                .turned_away
                .insert(connection.into(), answer);
        }
        Ok(())
    }

    /// Sends one command and waits for its answer (no browsing: configure, connect).
    async fn agent_one(&mut self, mut cmd: Value) -> Result<Value, String> {
        let deadline = tokio::time::Instant::now() + self.agent_limit();
        self.agent_flow_mut().next_id += 1;
        let id = self.agent_flow().next_id;
        cmd["id"] = json!(id);
        let adapter = self.agent_flow_mut().adapter.as_mut().ok_or("no adapter")?;
        adapter.send(&cmd).await?;
        let result = loop {
            match adapter.next(deadline).await {
                Ok(v) if answer_id(&v) == Some(id) => break Ok(v),
                Ok(_) => {}
                Err(e) => break Err(e),
            }
        };
        self.record_client_exchanges();
        result
    }

    /// The people on `connections` call the tool, all at once; the runner plays each one's
    /// browser for every consent prompt until every call is answered (or time runs out: hung).
    pub async fn agent_calls(&mut self, connections: &[String]) -> Result<(), String> {
        self.agent_calls_answering(connections, false).await
    }

    /// As `agent_calls`; with `reverse`, the people answer the consent prompts in the reverse
    /// order of their arrival.
    pub async fn agent_calls_answering(
        &mut self,
        connections: &[String],
        reverse: bool,
    ) -> Result<(), String> {
        let mut held: Vec<Value> = Vec::new();
        self.agent_ready().await?;
        self.record_client_exchanges();
        let from = self.mcp_client_flow().seen.len();
        let batch = self.agent_flow().batches;
        self.agent_flow_mut().batches += 1;
        self.agent_flow_mut().batch_consents_from = self.agent_flow().consents.len();
        let limit = self.agent_limit();
        let mut ids = BTreeMap::new();
        for c in connections {
            self.agent_flow_mut().next_id += 1;
            let id = self.agent_flow().next_id;
            let person = self.agent_flow().people.get(c).cloned().unwrap_or_default();
            ids.insert(id, self.agent_flow().calls.len());
            self.agent_flow_mut().calls.push(AgentCall {
                connection: c.clone(),
                person,
                answer: None,
                window: (from, from),
                batch,
            });
            let cmd = json!({"id": id, "op": "call", "connection": c});
            let adapter = self.agent_flow_mut().adapter.as_mut().ok_or("no adapter")?;
            adapter.send(&cmd).await?;
        }
        self.agent.step = format!("{} call(s) of the tool", connections.len());
        // Each answer or prompt for a waiting call earns another `limit`, but never past the
        // batch's cap: a server that prompts forever is hung, not a hung run.
        let cap = tokio::time::Instant::now() + limit * 3;
        let mut deadline = tokio::time::Instant::now() + limit;
        let mut open = ids.len();
        let mut outcome = Ok(());
        self.agent_flow_mut().notes.clear();
        while open > 0 {
            let given_up_at = self.agent_tamper_bound(&ids);
            let until = given_up_at.map_or(deadline.min(cap), |t| deadline.min(cap).min(t));
            let adapter = self.agent_flow_mut().adapter.as_mut().ok_or("no adapter")?;
            let line = match adapter.next(until).await {
                Ok(l) => l,
                // The in-process reference says at once that it has nothing more to say.
                Err(_)
                    if given_up_at.is_some_and(|t| {
                        tokio::time::Instant::now() >= t || self.agent_profile().reference
                    }) =>
                {
                    // Every waiting call had a tampered callback: ignoring one is not hanging.
                    let waiting: Vec<String> = ids
                        .values()
                        .map(|i| &self.agent_flow().calls[*i])
                        .filter(|c| c.answer.is_none())
                        .map(|c| c.connection.clone())
                        .collect();
                    self.agent_flow_mut().given_up.extend(waiting);
                    break;
                }
                Err(e) => {
                    let notes = if self.agent_flow().notes.is_empty() {
                        String::new()
                    } else {
                        format!(" (on the way: {})", self.agent_flow().notes.join("; "))
                    };
                    outcome = Err(format!(
                        "{open} of {} call(s) unanswered: {e}{notes}",
                        connections.len()
                    ));
                    break;
                }
            };
            if let Some(i) = answer_id(&line).and_then(|id| ids.get(&id)) {
                let call = &mut self.agent_flow_mut().calls[*i];
                if call.answer.is_none() {
                    call.answer = Some(line);
                    open -= 1;
                    deadline = tokio::time::Instant::now() + limit;
                }
                continue;
            }
            if line.get("event").and_then(Value::as_str) == Some("consent") {
                if reverse {
                    // Hold the prompts until every waiting call has one, then answer the
                    // newest first: callbacks must be matched by state, not by order.
                    held.push(line);
                    if held.len() < open {
                        continue;
                    }
                    for l in std::mem::take(&mut held).into_iter().rev() {
                        self.agent_consent(&l, &ids).await?;
                    }
                    deadline = tokio::time::Instant::now() + limit;
                } else if self.agent_consent(&line, &ids).await? {
                    deadline = tokio::time::Instant::now() + limit;
                }
            } else if let Some(e) = line.get("error") {
                // A callback the server turned away: why a call may never be answered.
                self.agent_flow_mut().notes.push(format!(
                    "a callback was answered {e}: {}",
                    line.get("message").and_then(Value::as_str).unwrap_or("")
                ));
            }
        }
        self.record_client_exchanges();
        let to = self.mcp_client_flow_mut().seen.len();
        for call in self
            .agent_flow_mut()
            .calls
            .iter_mut()
            .filter(|c| c.batch == batch)
        {
            call.window = (from, to);
        }
        outcome
    }

    /// When to give up the batch's waiting calls: `CALLBACK_BOUND` after the last tampered
    /// callback, if every call still waiting had one (else `None`: wait as usual).
    fn agent_tamper_bound(&self, ids: &BTreeMap<u64, usize>) -> Option<tokio::time::Instant> {
        let flow = self.agent_flow();
        let mut last = None;
        for i in ids.values() {
            let call = &flow.calls[*i];
            if call.answer.is_some() {
                continue;
            }
            let at = flow
                .tampered
                .iter()
                .filter(|t| t.connection == call.connection)
                .map(|t| t.at)
                .max()?;
            last = last.max(Some(at));
        }
        last.map(|at| (at + CALLBACK_BOUND).into())
    }

    /// A consent prompt reached a connection: its person signs in and the browser comes back.
    /// Whether the prompt was one a waiting call on that connection could need.
    async fn agent_consent(
        &mut self,
        event: &Value,
        ids: &BTreeMap<u64, usize>,
    ) -> Result<bool, String> {
        let connection = event
            .get("connection")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let url = event.get("url").and_then(Value::as_str).unwrap_or("");
        let Some(person) = self.agent_flow().people.get(&connection).cloned() else {
            // A prompt for a connection nobody opened: nobody sees it.
            self.agent_flow_mut().consents.push(Consent {
                connection,
                person: String::new(),
                call_waiting: false,
            });
            return Ok(false);
        };
        // One prompt per call of this batch on this connection that is still waiting: a second
        // prompt for one call, or prompts for other connections' calls, are not the caller's.
        let waiting = ids
            .values()
            .filter(|i| {
                let c = &self.agent_flow().calls[**i];
                c.connection == connection && c.answer.is_none()
            })
            .count();
        let calls_here = ids
            .values()
            .filter(|i| self.agent_flow().calls[**i].connection == connection)
            .count();
        let flow = self.agent_flow();
        let prompted_here = flow
            .consents
            .iter()
            .skip(flow.batch_consents_from)
            .filter(|k| k.connection == connection)
            .count();
        let call_waiting = waiting > 0 && prompted_here < calls_here;
        self.agent_flow_mut().consents.push(Consent {
            connection: connection.clone(),
            person: person.clone(),
            call_waiting,
        });
        let redirect = self.agent_profile().redirect_uri.clone();
        let Some(mut landing) = browse_as(&person, url, &redirect).await? else {
            self.agent_flow_mut().notes.push(format!(
                "{person}'s browser did not come back to {redirect} from the prompt on connection {connection:?}"
            ));
            return Ok(call_waiting);
        };
        if let Some(t) = self.agent_flow().tampers.get(&person).copied() {
            landing = tamper(&landing, t);
            self.record_client_exchanges();
            let from = self.mcp_client_flow().seen.len();
            self.agent_flow_mut().tampered.push(TamperedCallback {
                person: person.clone(),
                connection: connection.clone(),
                from,
                at: std::time::Instant::now(),
            });
        }
        self.agent_flow_mut().next_id += 1;
        let cmd = json!({"id": self.agent_flow().next_id, "op": "callback", "connection": connection, "url": landing});
        let adapter = self.agent_flow_mut().adapter.as_mut().ok_or("no adapter")?;
        adapter.send(&cmd).await?;
        Ok(call_waiting)
    }
}

fn answer_id(v: &Value) -> Option<u64> {
    let i = v.get("id")?;
    i.as_u64().or_else(|| i.as_str()?.parse().ok())
}

fn describe(person: &str, claimed: &str, how: Presented) -> String {
    match how {
        Presented::OwnToken => format!("{person}'s own identity token"),
        Presented::UnsignedJwt => format!("an unsigned JWT claiming to be {claimed}"),
        Presented::ForeignKeyJwt => {
            format!("a JWT claiming to be {claimed}, signed by a key the issuer never published")
        }
        Presented::ExpiredJwt => format!("{claimed}'s expired identity token"),
        Presented::WrongAudienceJwt => format!("{claimed}'s identity token for another audience"),
        Presented::WrongIssuerJwt => format!("a JWT naming {claimed} with another issuer"),
        Presented::Hs256Jwt => format!("an HS256 JWT naming {claimed}, keyed with the public key"),
        Presented::Cookie => format!("a session cookie naming {claimed}"),
        Presented::Query => format!("a query parameter naming {claimed}"),
        Presented::Anonymous => "no identity".into(),
    }
}
