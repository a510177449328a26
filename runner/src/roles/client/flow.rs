//! The `@client` part of a scenario: the provider the client under test is configured as, its
//! adapter (the reference client in-process, or a process on the JSON-lines contract), and the
//! runner playing the user's browser: it visits every URL the adapter opens, signs in as the user
//! at the mock-idp (automatic login), and hands the landing URL back as the callback, tampered
//! with when the scenario says so. The mock-idp, its recording proxy and the record are the ones
//! of `world_mcp_client`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::arena::adapter::{Adapter, Reply};
use crate::target::client::ClientProfile;
use crate::world::AuthWorld;
use crate::world::role_states::{RoleState, RoleStates};
use reference::oauth_client::ReferenceClient;
use std::future::Future;
use std::pin::Pin;

/// The confidential client registered for the provider under test.
pub const CLIENT_ID: &str = "authconform-client";
pub const CLIENT_SECRET: &str = "authconform-client-secret";
/// The client-credentials client.
pub const SERVICE_ID: &str = "authconform-service";
pub const SERVICE_SECRET: &str = "authconform-service-secret";
/// The environment variable holding the profile's `redirect_uri` for every driven command
/// (adapters and MCP clients): a client that listens for its own callbacks takes its port there.
pub const REDIRECT_URI_ENV: &str = "AUTHCONFORM_REDIRECT_URI";

pub use protocol::callback::{Tamper, tamper};

/// The damage a scenario's words name (the phrases of the `@client`, `@mcp-client` and `@agent`
/// callback steps).
pub(crate) fn damage(words: &str) -> Result<Tamper, String> {
    Ok(match words {
        "a wrong state" | "a forged state" => Tamper::WrongState,
        "no state" => Tamper::NoState,
        "error=access_denied" => Tamper::Error,
        "no code" => Tamper::NoCode,
        "a wrong iss" => Tamper::WrongIss,
        "another issuer's iss" => Tamper::ForeignIss,
        "no iss" => Tamper::NoIss,
        "its iss followed by a slash" => Tamper::TrailingSlashIss,
        other => {
            return Err(format!(
                "no such damage {other:?} (a defect in the feature file)"
            ));
        }
    })
}

#[derive(Default)]
pub struct ClientFlow {
    pub adapter: Option<Adapter>,
    /// The provider kind and its configuration (members may use `{target}`, filled at start).
    pub provider: Option<(String, Value)>,
    pub tamper: Option<Tamper>,
    next_id: u64,
    /// The last answer the adapter gave to a runner command.
    pub last: Option<Value>,
    /// Callbacks delivered to the adapter (after any tampering), in order.
    pub callbacks: Vec<String>,
}

impl RoleState for ClientFlow {
    /// The adapter under test stops with the scenario; what it said explains a failure.
    fn stop(&mut self) -> Option<Pin<Box<dyn Future<Output = String> + Send>>> {
        let adapter = self.adapter.take()?;
        Some(Box::pin(adapter.close()))
    }
}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(ClientFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn client_flow(&self) -> &ClientFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn client_flow_mut(&mut self) -> &mut ClientFlow {
        self.roles.get_mut()
    }
}

impl AuthWorld {
    pub fn client_profile(&self) -> &ClientProfile {
        self.ctx.profile.client()
    }

    fn client_limit(&self) -> Duration {
        Duration::from_secs(self.client_profile().timeout_seconds)
    }

    /// Starts the mock and the adapter, and configures the provider.
    async fn client_ready(&mut self) -> Result<(), String> {
        if self.client_flow().adapter.is_some() {
            return Ok(());
        }
        let profile = self.client_profile().clone();
        let (kind, config) = self
            .client_flow()
            .provider
            .clone()
            .ok_or("the scenario did not say which provider the client under test is")?;
        self.mcp_client_start().await?;
        let adapter = if profile.reference {
            Adapter::reference(ReferenceClient::new(
                self.ctx.oauth_client_faults.clone(),
                self.mock_now()?,
            ))
        } else {
            self.spawn_adapter(&profile)?
        };
        let config: Value = serde_json::from_str(
            &config
                .to_string()
                .replace("{target}", self.issuer.trim_end_matches('/')),
        )
        .map_err(|e| format!("provider config: {e}"))?;
        self.client_flow_mut().adapter = Some(adapter);
        let answer = self
            .client_command(json!({"op": "configure", "provider": kind, "config": config}))
            .await?;
        if answer.get("error").and_then(Value::as_str) == Some("unsupported") {
            crate::check::outcome::skip!(
                "the adapter does not support the {kind} provider: {}",
                answer.get("message").and_then(Value::as_str).unwrap_or("")
            );
        }
        Ok(())
    }

    /// The mock's clock, for a reference implementation running in-process.
    pub(crate) fn mock_now(&self) -> Result<reference::oauth_client::Now, String> {
        let state = self.mock()?.state().clone();
        Ok(std::sync::Arc::new(move || state.clock.now()))
    }

    /// Starts a driven profile's adapter process (`client:` or `agent:`) in the profile's folder,
    /// its redirect URI in `AUTHCONFORM_REDIRECT_URI` (where a provider that listens for its own
    /// callbacks learns its port).
    pub(crate) fn spawn_adapter(&self, profile: &ClientProfile) -> Result<Adapter, String> {
        let dir = std::fs::canonicalize(&self.ctx.profile_dir)
            .unwrap_or_else(|_| self.ctx.profile_dir.clone());
        let mut env: Vec<(String, String)> = profile
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        env.push((REDIRECT_URI_ENV.into(), profile.redirect_uri.clone()));
        Adapter::spawn(&profile.command, &dir, &env)
    }

    /// Sends a command and plays the browser until its answer arrives; the answer.
    pub async fn client_command(&mut self, cmd: Value) -> Result<Value, String> {
        let result = self.client_command_inner(cmd).await;
        // The record goes into the transcript however the command ended (a hung one too).
        self.record_client_exchanges();
        result
    }

    async fn client_command_inner(&mut self, mut cmd: Value) -> Result<Value, String> {
        let deadline = tokio::time::Instant::now() + self.client_limit();
        self.client_flow_mut().next_id += 1;
        let id = self.client_flow().next_id;
        cmd["id"] = json!(id);
        let adapter = self
            .client_flow_mut()
            .adapter
            .as_mut()
            .ok_or("no adapter")?;
        adapter.send(&cmd).await?;
        // The command, then every callback delivered for it: a callback the client turns away
        // with an error is its answer to the attempt, even when the command itself keeps
        // waiting for a better callback (a refusal needs no timeout to be seen).
        let mut waiting = vec![id];
        loop {
            let adapter = self
                .client_flow_mut()
                .adapter
                .as_mut()
                .ok_or("no adapter")?;
            match adapter.wait(&waiting, deadline).await? {
                Reply::Answer(from, a) if from == id => {
                    self.client_flow_mut().last = Some(a.clone());
                    return Ok(a);
                }
                Reply::Answer(_, a) if a.get("error").is_some() => {
                    // A refused callback answers the attempt; what the client does in the next
                    // moment (redeem the code anyway?) still counts: a short bounded settle.
                    self.client_flow_mut().last = Some(a.clone());
                    let settle =
                        (tokio::time::Instant::now() + Duration::from_secs(1)).min(deadline);
                    let adapter = self
                        .client_flow_mut()
                        .adapter
                        .as_mut()
                        .ok_or("no adapter")?;
                    if let Ok(Reply::Answer(_, own)) = adapter.wait(&[id], settle).await
                        && own.get("error").is_none()
                    {
                        self.client_flow_mut().last = Some(own);
                    }
                    return Ok(self.client_flow().last.clone().unwrap_or(a));
                }
                Reply::Answer(..) => {}
                Reply::OpenBrowser { user, url } => {
                    let landing = self.browse(&user, &url).await?;
                    let Some(landing) = landing else {
                        // The browser stopped short of the redirect URI (an error page, another
                        // scheme): the user sees that; the client hears nothing.
                        continue;
                    };
                    self.client_flow_mut().next_id += 1;
                    waiting.push(self.client_flow().next_id);
                    self.client_flow_mut().callbacks.push(landing.clone());
                    let cb = json!({"id": self.client_flow().next_id, "op": "callback", "user": user, "url": landing});
                    let adapter = self
                        .client_flow_mut()
                        .adapter
                        .as_mut()
                        .ok_or("no adapter")?;
                    adapter.send(&cb).await?;
                }
            }
        }
    }

    /// The browser: requests `url` as `user` and returns where it lands on the redirect URI
    /// (tampered with as the scenario says), or `None` when it never gets there.
    async fn browse(&mut self, user: &str, url: &str) -> Result<Option<String>, String> {
        let redirect = self.client_profile().redirect_uri.clone();
        let landing = browse_as(user, url, &redirect).await?;
        Ok(landing.map(|location| match self.client_flow().tamper {
            None => location,
            Some(t) => tamper(&location, t),
        }))
    }

    /// Time passes for the client and the mock: the mock's clock moves (the reference client
    /// reads it); an external adapter's clock moves by the contract's `clock` command where the
    /// profile says it takes one (`capabilities.clock`), else it needs real seconds, up to
    /// `capabilities.max_wait_seconds`.
    pub async fn client_pass_time(&mut self, secs: i64) -> Result<(), String> {
        self.client_ready().await?;
        self.mock()?.state().clock.advance(secs);
        if self.client_profile().reference {
            return Ok(());
        }
        let caps = self.ctx.profile.capabilities.clone();
        if caps.clock {
            return self.client_advance_clock(secs).await;
        }
        if secs < 0 || secs as u64 > caps.max_wait_seconds {
            crate::check::outcome::skip!(
                "{secs} s must pass for the client, but its adapter takes no clock command (capabilities.clock) and the profile allows waiting only {} s (capabilities.max_wait_seconds)",
                caps.max_wait_seconds
            );
        }
        tokio::time::sleep(Duration::from_secs(secs as u64)).await;
        Ok(())
    }

    /// `{"op": "clock", "advance_seconds": N}`: the adapter moves its implementation's time. Its
    /// answer is no answer to anything a check reads; an `unsupported` one skips the scenario.
    async fn client_advance_clock(&mut self, secs: i64) -> Result<(), String> {
        let last = self.client_flow().last.clone();
        let answer = self
            .client_command(json!({"op": "clock", "advance_seconds": secs}))
            .await?;
        self.client_flow_mut().last = last;
        match answer.get("error").and_then(Value::as_str) {
            None => Ok(()),
            Some("unsupported") => crate::check::outcome::skip!(
                "the adapter cannot move its clock ({}), though the profile says it can (capabilities.clock)",
                answer
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("no message")
            ),
            Some(e) => Err(format!(
                "the adapter did not move its clock by {secs} s: {e}: {}",
                answer.get("message").and_then(Value::as_str).unwrap_or("")
            )),
        }
    }

    /// `{"op": "request", "user", "url", "via": "mcp"}`: the implementation sends one request to
    /// the mock's MCP server with `user`'s credentials, through its own MCP client; the recording
    /// proxy keeps what arrived. An `unsupported` answer skips the scenario.
    pub async fn client_send_mcp_request(&mut self, user: &str) -> Result<(), String> {
        self.client_ready().await?;
        self.agent.step = format!("request {user} via mcp");
        let url = format!("{}/mcp", self.issuer.trim_end_matches('/'));
        let answer = self
            .client_command(json!({"op": "request", "user": user, "url": url, "via": "mcp"}))
            .await?;
        if answer.get("error").and_then(Value::as_str) == Some("unsupported") {
            crate::check::outcome::skip!(
                "the adapter cannot send a request through the implementation's MCP client: {}",
                answer.get("message").and_then(Value::as_str).unwrap_or("")
            );
        }
        Ok(())
    }

    /// Asks the adapter for `user`'s headers (authenticating first when `first` says so).
    pub async fn client_ask(&mut self, op: &str, user: &str) -> Result<Value, String> {
        self.client_ready().await?;
        self.agent.step = format!("{op} {user}");
        self.client_command(json!({"op": op, "user": user})).await
    }
}

/// The user's browser: requests `url` as `user` (automatic login at the mock with `login_hint`)
/// and returns where it lands on `redirect`, or `None` when it never gets there (an error page,
/// a scheme other than http(s), a redirect elsewhere).
pub(crate) async fn browse_as(
    user: &str,
    url: &str,
    redirect: &str,
) -> Result<Option<String>, String> {
    let parsed = match url::Url::parse(url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => u,
        _ => return Ok(None),
    };
    // The person signs in: a login_hint the client sent itself is replaced, not repeated
    // (the mock refuses repeated parameters).
    let mut visit = parsed.clone();
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != "login_hint")
        .collect();
    visit
        .query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("login_hint", user);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let r = http
        .get(visit.as_str())
        .send()
        .await
        .map_err(|e| format!("the browser could not open {url}: {e}"))?;
    let Some(location) = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return Ok(None);
    };
    if !location.starts_with(redirect) {
        return Ok(None);
    }
    Ok(Some(location))
}
