//! The MCP-client part of a scenario (its mock-idp, proxy and record serve the `@client`
//! scenarios too, see `world_client`): the variant of the mock-idp the client will meet (set by
//! Given steps before anything starts), the mock behind its recording proxy with automatic login,
//! one run of the client under test on the MCP conformance client contract (the reference client
//! in-process, or a command with a bounded wait: past it the verdict is `hung`), and what the
//! proxy saw, for the checks and the transcript.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use mock_idp::config::LoginMode;
use mock_idp::{MockIdp, StartOptions};
use serde_json::{Map, Value, json};

use crate::arena::clock_file::{CLOCK_FILE_ENV, ClockFile};
use crate::arena::recording_proxy::{self, RecordingProxy, Seen};
use crate::http::user_agent::Response;
use crate::target::mcp_client::McpClientProfile;
use crate::world::role_states::{RoleState, RoleStates};
use crate::world::{AuthWorld, BUILTIN_CLOCK};

/// Seconds a replaced refresh token may come back in a client scenario: the race of two
/// refreshes sent at once happens at one instant of the frozen clock, and every expiry a
/// scenario stages advances the clock further than this.
const REFRESH_REUSE_GRACE: i64 = 60;

/// A change to the scenario's mock-idp configuration.
pub type Tweak = Box<dyn FnOnce(&mut mock_idp::Config) + Send + Sync>;

/// What the scenario does to the client's access token mid-session.
#[derive(Debug, Clone, Copy)]
pub enum MidSession {
    /// The mock's clock (and a client's that follows it, `capabilities.clock`) moves this far.
    Expire(i64),
    /// The mock's clock alone moves this far (the client's stays: a clock skew): the MCP server
    /// refuses a token the client's clock says is good, as it would a revoked one.
    ServerClockAhead(i64),
}

/// How one run of the client under test ended.
#[derive(Debug, Clone)]
pub struct ClientRun {
    /// `Some(0)` success; `None` when it was stopped (hung) or killed by a signal.
    pub exit: Option<i32>,
    pub hung: bool,
    /// The end of what it said on stderr (redacted when reported).
    pub said: String,
    /// URLs it opened in the browser (the runner's shim).
    pub opened: Vec<crate::arena::browser_shim::Opened>,
    /// It was still running `CALLBACK_BOUND` after a tampered callback reached it, and was
    /// stopped (a client that keeps waiting for a genuine callback is not hung).
    pub stopped_after_tamper: bool,
}

/// How long a client may take, after a tampered callback, to report or finish.
pub const CALLBACK_BOUND: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct McpClientFlow {
    pub tweaks: Vec<Tweak>,
    /// Members added to `MCP_CONFORMANCE_CONTEXT` (e.g. a pre-registered client).
    pub context: Map<String, Value>,
    /// The client runs as a workload: its identity JWTs join the context when it starts.
    pub workload: bool,
    /// The workload JWT the client was given (`valid_jwt`).
    pub workload_jwt: Option<String>,
    /// What happens to the client's token once after each of these JSON-RPC methods first
    /// succeeds (an expiry on both clocks, or on the server's alone).
    pub mid_session: Option<(MidSession, Vec<String>)>,
    /// Members replaced in the authorization server metadata the client gets (an `issuer` that
    /// is not the server's, an `authorization_endpoint` with a `javascript:` URL).
    pub metadata_overrides: Map<String, Value>,
    /// Replace the ID token of every token response with one minted with this flaw (a mint
    /// flaw name, or `wrong-nonce`): a provider that misbehaves.
    pub id_token_flaw: Option<String>,
    /// Stamp every `/api/me` answer with `"served": "api-N"` (N counts the answers), so an
    /// agent's reply can be tied to the API request it came from.
    pub stamp_api: bool,
    pub proxy: Option<RecordingProxy>,
    /// Publish the MCP server at an origin of its own (a second proxy), apart from the
    /// authorization server's.
    pub separate_mcp_origin: bool,
    pub mcp_proxy: Option<RecordingProxy>,
    /// The MCP server's URL as the client is given it.
    pub mcp_url: Option<String>,
    pub run: Option<ClientRun>,
    pub seen: Vec<Seen>,
    /// Tamper with the authorization response on its way back to the client: the recording
    /// proxy rewrites the first redirect carrying a code or an error, whoever follows it (the
    /// runner's browser, or a client that reads the redirect itself).
    pub callback_tamper: Option<protocol::callback::Tamper>,
    /// When the tampered response went back (set by the proxy).
    pub tampered_at: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
    /// The client command's clock file, when the profile says `capabilities.clock`: the mock's
    /// clock and the client's move together.
    pub clock_file: Option<Arc<ClockFile>>,
}

impl RoleState for McpClientFlow {}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(McpClientFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn mcp_client_flow(&self) -> &McpClientFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn mcp_client_flow_mut(&mut self) -> &mut McpClientFlow {
        self.roles.get_mut()
    }
}

impl AuthWorld {
    pub fn mcp_client_profile(&self) -> &McpClientProfile {
        self.ctx.profile.mcp_client()
    }

    /// Starts the mock-idp for a client under test: automatic login as alice, the scenario's
    /// variant, its issuer the recording proxy's address.
    pub(crate) async fn mcp_client_start(&mut self) -> Result<(), String> {
        if self.mcp_client_flow().proxy.is_some() {
            return Ok(());
        }
        let mut config = self
            .ctx
            .mock_config
            .clone()
            .ok_or("no mock-idp configuration for the client under test")?;
        for f in &self.ctx.faults {
            if !config.faults.contains(f) {
                config.faults.push(*f);
            }
        }
        // No scenario of a client under test uses the assertion grants the built-in @as target
        // offers: its authorization server does not advertise them.
        config.without_assertion_grants();
        config.login.mode = LoginMode::Auto;
        config.login.default_user = Some("alice".into());
        // The AS of a client scenario imposes no policy the spec leaves to it: a step-up to a
        // scope the metadata lists is granted whatever the client registered.
        config.registration.restrict_scope = false;
        // Nor does it cost a client its grant for two refreshes sent at once: a replaced refresh
        // token presented again within a minute gets the token that replaced it (the grace
        // FAPI 2.0 asks of rotating servers; Auth0, Okta, WSO2 and django-oauth-toolkit have
        // one). After the grace, a replay revokes the family. The feature file states it.
        config.tokens.refresh_reuse_grace = REFRESH_REUSE_GRACE;
        for t in self.mcp_client_flow_mut().tweaks.drain(..) {
            t(&mut config);
        }
        let (listener, url) = recording_proxy::bind()
            .await
            .map_err(|e| format!("the recording proxy cannot listen: {e}"))?;
        config.issuer = Some(url.clone());
        config.listen = "127.0.0.1:0".into();
        let second = if self.mcp_client_flow().separate_mcp_origin {
            let (l, u) = recording_proxy::bind()
                .await
                .map_err(|e| format!("the second proxy cannot listen: {e}"))?;
            config.mcp.public_url = Some(format!("{u}/mcp"));
            Some((l, u))
        } else {
            None
        };
        let frozen = if self.ctx.profile.is_builtin() {
            BUILTIN_CLOCK
        } else {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(BUILTIN_CLOCK)
        };
        let idp = MockIdp::start_with(
            config,
            StartOptions {
                frozen_at: Some(frozen),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| format!("the mock-idp did not start: {e}"))?;
        // Only an MCP client command has a clock file (an adapter takes the `clock` command).
        let moves_client_clock = self.ctx.profile.capabilities.clock
            && !self.ctx.profile.is_builtin()
            && self
                .ctx
                .profile
                .mcp_client
                .as_ref()
                .is_some_and(|c| !c.reference);
        if moves_client_clock {
            self.mcp_client_flow_mut().clock_file = Some(Arc::new(ClockFile::create()?));
        }
        let client_clock = self.mcp_client_flow().clock_file.clone();
        let hook = self
            .mcp_client_flow()
            .mid_session
            .clone()
            .map(|(event, after)| {
                let state = idp.state().clone();
                // Each JSON-RPC method fires once: the first successful request naming it.
                let fired: Vec<AtomicBool> = after.iter().map(|_| AtomicBool::new(false)).collect();
                Arc::new(move |seen: &Seen| {
                    if seen.method != "POST" || seen.path() != "/mcp" || seen.status >= 300 {
                        return None;
                    }
                    for (method, done) in after.iter().zip(&fired) {
                        if seen.body.contains(&format!("\"{method}\""))
                            && !done.swap(true, Ordering::SeqCst)
                        {
                            match event {
                                MidSession::Expire(secs) => {
                                    state.clock.advance(secs);
                                    // The answer waits for the client's clock to follow.
                                    let clock = client_clock.clone()?;
                                    let total = clock.advance(secs)?;
                                    return Some(Box::pin(async move {
                                        clock.acknowledged_by(total).await;
                                    })
                                        as recording_proxy::HookWait);
                                }
                                MidSession::ServerClockAhead(secs) => state.clock.advance(secs),
                            }
                        }
                    }
                    None
                }) as recording_proxy::Hook
            });
        let overrides = self.mcp_client_flow().metadata_overrides.clone();
        let flaw = self.mcp_client_flow().id_token_flaw.clone();
        let mint_state = idp.state().clone();
        let stamp = self
            .mcp_client_flow()
            .stamp_api
            .then(|| Arc::new(AtomicU64::new(0)));
        let rewrite = (!overrides.is_empty() || flaw.is_some() || stamp.is_some()).then(|| {
            Arc::new(move |path: &str, body: &str| {
                if let Some(n) = &stamp
                    && path.ends_with("/api/me")
                {
                    let mut doc: Value = serde_json::from_str(body).ok()?;
                    let served = n.fetch_add(1, Ordering::SeqCst) + 1;
                    doc.as_object_mut()?
                        .insert("served".into(), json!(format!("api-{served}")));
                    return Some(doc.to_string());
                }
                if path.ends_with("/oauth/token") {
                    return flaw
                        .as_deref()
                        .and_then(|f| flawed_id_token(&mint_state, body, f));
                }
                if overrides.is_empty()
                    || (!path.starts_with("/.well-known/oauth-authorization-server")
                        && !path.contains("/.well-known/openid-configuration"))
                {
                    return None;
                }
                let mut doc: Value = serde_json::from_str(body).ok()?;
                let members = doc.as_object_mut()?;
                for (k, v) in &overrides {
                    members.insert(k.clone(), v.clone());
                }
                Some(doc.to_string())
            }) as recording_proxy::Rewrite
        });
        let location = self.mcp_client_flow().callback_tamper.map(|damage| {
            let at = self.mcp_client_flow().tampered_at.clone();
            Arc::new(move |location: &str| {
                let mut at = at.lock().unwrap_or_else(|p| p.into_inner());
                if at.is_some() || !protocol::callback::is_authorization_response(location) {
                    return None;
                }
                *at = Some(std::time::Instant::now());
                Some(protocol::callback::tamper(location, damage))
            }) as recording_proxy::LocationRewrite
        });
        let rewrites = recording_proxy::Rewrites {
            body: rewrite,
            location,
        };
        let proxy =
            RecordingProxy::start(listener, url.clone(), idp.url(), hook.clone(), rewrites)?;
        self.mcp_client_flow_mut().mcp_url = Some(format!("{url}/mcp"));
        if let Some((l, u)) = second {
            let p = RecordingProxy::start_into(
                l,
                u.clone(),
                idp.url(),
                hook,
                recording_proxy::Rewrites::default(),
                proxy.record(),
            )?;
            self.agent.redactor.fixed(&u, "{mcp-origin}");
            self.mcp_client_flow_mut().mcp_url = Some(format!("{u}/mcp"));
            self.mcp_client_flow_mut().mcp_proxy = Some(p);
        }
        self.agent.redactor.fixed(&url, "{target}");
        self.agent.redactor.fixed(idp.url(), "{mock}");
        self.issuer = url;
        self.idp = Some(idp);
        self.mcp_client_flow_mut().proxy = Some(proxy);
        Ok(())
    }

    /// Runs the client under test once against the scenario's MCP server.
    pub async fn mcp_client_connect(&mut self, scenario: &str) -> Result<(), String> {
        let profile = self.mcp_client_profile().clone();
        self.mcp_client_start().await?;
        let server = self
            .mcp_client_flow()
            .mcp_url
            .clone()
            .unwrap_or_else(|| format!("{}/mcp", self.issuer));
        let mut context = self.mcp_client_flow().context.clone();
        if self.mcp_client_flow().workload {
            let now = self
                .idp
                .as_ref()
                .map_or(BUILTIN_CLOCK, |idp| idp.state().now());
            context.extend(crate::roles::mcp_client::workload::context(self, now)?);
        }
        context.insert("name".into(), json!(scenario));
        let context = Value::Object(context).to_string();
        let limit = Duration::from_secs(profile.timeout_seconds);
        let run = if profile.reference {
            let faults = self.ctx.client_faults.clone();
            let config = reference::mcp_client::Config {
                server_url: server,
                scenario: scenario.to_string(),
                protocol_version: profile.protocol_version.clone(),
                context: serde_json::from_str(&context).unwrap_or_default(),
                redirect_uri: profile.redirect_uri.clone(),
                browser: false,
                faults,
                now: self.idp.as_ref().map(|idp| idp.state().now()),
            };
            match tokio::time::timeout(limit, reference::mcp_client::run(config)).await {
                Ok((result, log)) => ClientRun {
                    stopped_after_tamper: false,
                    opened: Vec::new(),
                    exit: Some(i32::from(result.is_err())),
                    hung: false,
                    said: log
                        .into_iter()
                        .chain(result.err())
                        .collect::<Vec<_>>()
                        .join("\n"),
                },
                Err(_) => ClientRun {
                    stopped_after_tamper: false,
                    opened: Vec::new(),
                    exit: None,
                    hung: true,
                    said: String::new(),
                },
            }
        } else {
            self.run_command(&profile, &server, scenario, &context, limit)
                .await?
        };
        self.agent.step = format!("the client under test ({scenario})");
        self.record_client_exchanges();
        self.mcp_client_flow_mut().run = Some(run);
        if let Some(problem) = self.mcp_client_flow().clock_file.as_ref().and_then(|c| {
            c.unacknowledged
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        }) {
            return Err(problem);
        }
        Ok(())
    }

    /// Takes what the proxy saw since the last call into `seen` and the transcript.
    pub fn record_client_exchanges(&mut self) {
        let seen = self
            .mcp_client_flow()
            .proxy
            .as_ref()
            .map(RecordingProxy::seen)
            .unwrap_or_default();
        let new = seen.len().saturating_sub(self.mcp_client_flow().seen.len());
        for s in &seen[seen.len() - new..] {
            let mut headers = reqwest::header::HeaderMap::new();
            for (k, v) in &s.response_headers {
                if let (Ok(k), Ok(v)) = (
                    reqwest::header::HeaderName::from_bytes(k.as_bytes()),
                    reqwest::header::HeaderValue::from_str(v),
                ) {
                    headers.append(k, v);
                }
            }
            let url = format!("{}{}", s.origin, s.target);
            let response = Response {
                status: s.status,
                headers,
                body: s.response_body.clone(),
                url: url.clone(),
            };
            self.agent
                .record_observed(&s.method, &url, &s.headers, &s.body, &response);
        }
        self.mcp_client_flow_mut().seen = seen;
    }

    async fn run_command(
        &self,
        profile: &McpClientProfile,
        server: &str,
        scenario: &str,
        context: &str,
        limit: Duration,
    ) -> Result<ClientRun, String> {
        let dir = std::fs::canonicalize(&self.ctx.profile_dir)
            .unwrap_or_else(|_| self.ctx.profile_dir.clone());
        let program = &profile.command[0];
        let program = if program.contains('/') && !program.starts_with('/') {
            dir.join(program).display().to_string()
        } else {
            program.clone()
        };
        let shim = crate::arena::browser_shim::BrowserShim::create()?;
        let clock_env = self
            .mcp_client_flow()
            .clock_file
            .as_ref()
            .map(|c| (CLOCK_FILE_ENV, c.path().to_path_buf()));
        let mut child = tokio::process::Command::new(&program)
            .args(&profile.command[1..])
            .arg(server)
            .current_dir(&dir)
            .envs(&profile.env)
            .env("MCP_CONFORMANCE_SCENARIO", scenario)
            .env(
                "MCP_CONFORMANCE_PROTOCOL_VERSION",
                &profile.protocol_version,
            )
            .env("MCP_CONFORMANCE_CONTEXT", context)
            .env(
                crate::roles::client::flow::REDIRECT_URI_ENV,
                &profile.redirect_uri,
            )
            .envs(shim.env())
            .envs(clock_env)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start the MCP client {program:?}: {e}; check mcp_client.command in the profile"
                )
            })?;
        // stderr is read by a task of its own, so what the client said survives it being stopped.
        let mut stderr = child.stderr.take();
        let said = tokio::spawn(async move {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                use tokio::io::AsyncReadExt as _;
                let _ = s.take(256 * 1024).read_to_end(&mut buf).await;
            }
            buf
        });
        let tampered_at = self.mcp_client_flow().tampered_at.clone();
        let after_tamper = async move {
            loop {
                let at = *tampered_at.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(at) = at {
                    tokio::time::sleep_until((at + CALLBACK_BOUND).into()).await;
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        // Some(exit) when the client ended, None when it was stopped after a tampered callback.
        let waited = tokio::time::timeout(limit, async {
            tokio::select! {
                status = child.wait() => Some(status),
                () = shim.serve() => unreachable!("the shim serves until dropped"),
                () = after_tamper => None,
            }
        })
        .await;
        let (exit, hung, stopped_after_tamper) = match waited {
            Ok(Some(status)) => (status.ok().and_then(|s| s.code()), false, false),
            Ok(None) => {
                let _ = child.kill().await;
                (None, false, true)
            }
            Err(_) => {
                let _ = child.kill().await;
                (None, true, false)
            }
        };
        let out = tokio::time::timeout(Duration::from_secs(2), said)
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let opened = shim
            .opened
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        Ok(ClientRun {
            stopped_after_tamper,
            opened,
            exit,
            hung,
            // A hung client's last words are cut off mid-run: not reported (as before).
            said: if hung {
                String::new()
            } else {
                tail(&String::from_utf8_lossy(&out), 20)
            },
        })
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The token response `body` with its ID token replaced by one minted with `flaw`, keeping the
/// original's subject, audience and nonce (unless the flaw is the nonce).
fn flawed_id_token(state: &mock_idp::AppState, body: &str, flaw: &str) -> Option<String> {
    let mut doc: Value = serde_json::from_str(body).ok()?;
    let original = doc.get("id_token")?.as_str()?.to_string();
    let claims = protocol::jwt::unverified_claims(&original)?;
    let mut extra = Map::new();
    let nonce = if flaw == "wrong-nonce" {
        Some(json!("forged-nonce"))
    } else {
        claims.get("nonce").cloned()
    };
    if let Some(n) = nonce {
        extra.insert("nonce".into(), n);
    }
    let req = mock_idp::mint::MintRequest {
        sub: claims.get("sub").and_then(Value::as_str).map(String::from),
        aud: claims.get("aud").cloned(),
        // The flaw decides the lifetime when it is about time.
        expires_in: (flaw != "expired").then_some(300),
        typ: Some("JWT".into()),
        claims: extra,
        flaw: if flaw == "wrong-nonce" {
            None
        } else {
            serde_json::from_value(json!(flaw)).ok()
        },
        ..Default::default()
    };
    let minted = mock_idp::mint::mint(state, &req).ok()?;
    doc["id_token"] = json!(minted.token);
    Some(doc.to_string())
}
