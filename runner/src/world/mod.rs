//! The cucumber World of one scenario: the run's context, the user agent every request goes
//! through, the target (a fresh embedded mock-idp for the built-in target, else the issuer of the
//! profile), the last answer, the checks recorded, and each role's state in a map keyed by type.
//! It knows no role: each role's flow lives in `roles/<role>/flow.rs`.

pub mod context;
pub mod role_states;

use std::sync::Arc;

use mock_idp::{MockIdp, StartOptions};

use crate::check::CheckResult;
use crate::check::outcome::skip;
use crate::http::user_agent::{Agent, ClientAuth, Response};
use crate::world::context::{RUN, RunContext};
use role_states::RoleStates;

/// The frozen start of the built-in target's clock, so transcripts are byte-identical.
pub const BUILTIN_CLOCK: i64 = 1_800_000_000;

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct AuthWorld {
    pub ctx: Arc<RunContext>,
    pub agent: Agent,
    pub idp: Option<MockIdp>,
    pub issuer: String,
    pub last: Option<Response>,
    pub checks: Vec<CheckResult>,
    /// Every role's state (the role table registers each before the scenario starts).
    pub roles: RoleStates,
    /// Seconds the runner moved an external target's clock (`capabilities.clock`).
    pub clock_moved: i64,
}

impl std::fmt::Debug for AuthWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthWorld")
            .field("issuer", &self.issuer)
            .field("checks", &self.checks.len())
            .finish_non_exhaustive()
    }
}

impl AuthWorld {
    fn new() -> Self {
        let ctx = RUN.with(Arc::clone);
        Self {
            agent: Agent::new(&ctx.roots),
            ctx,
            idp: None,
            issuer: String::new(),
            last: None,
            checks: Vec::new(),
            roles: RoleStates::default(),
            clock_moved: 0,
        }
    }

    /// The target's now, in seconds: the built-in mock-idp's clock, else this machine's clock
    /// plus what the runner moved the target's (what a proof's `iat` must be near).
    pub fn target_now(&self) -> i64 {
        if let Some(idp) = &self.idp {
            return idp.state().now();
        }
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        system + self.clock_moved
    }

    /// Starts the built-in mock-idp (once per scenario) or settles the external issuer.
    pub async fn ensure_target(&mut self) -> Result<(), String> {
        if !self.issuer.is_empty() {
            return Ok(());
        }
        if let Some(config) = &self.ctx.mock_config {
            let mut config = config.clone();
            if !self.ctx.profile.is_builtin() {
                // The mock only supports an external target here: it offers what that target's
                // scenarios use, not the assertion grants the built-in @as target is judged on.
                config.without_assertion_grants();
            }
            for f in &self.ctx.faults {
                if !config.faults.contains(f) {
                    config.faults.push(*f);
                }
            }
            let idp = MockIdp::start_with(
                config,
                StartOptions {
                    // An external resource server judges tokens by its own (real) clock.
                    frozen_at: self.ctx.profile.is_builtin().then_some(BUILTIN_CLOCK),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| format!("the built-in mock-idp did not start: {e}"))?;
            let placeholder = if self.ctx.profile.is_builtin() {
                "{target}"
            } else {
                "{mock}"
            };
            self.agent.redactor.fixed(idp.url(), placeholder);
            self.issuer = idp.issuer().to_string();
            self.idp = Some(idp);
        } else {
            let issuer = self.ctx.profile.issuer.clone().unwrap_or_default();
            self.agent.redactor.fixed(&issuer, "{target}");
            self.issuer = issuer;
        }
        let clients = self.ctx.profile.clients.iter();
        for c in clients.flat_map(|c| {
            [
                Some(&c.confidential),
                c.other_confidential.as_ref(),
                c.service.as_ref(),
            ]
            .into_iter()
            .flatten()
        }) {
            if let Some(s) = &c.client_secret {
                self.agent.redactor.register("client_secret", s);
            }
        }
        for u in &self.ctx.profile.users {
            if let Some(p) = &u.password {
                self.agent.redactor.register("password", p);
            }
        }
        Ok(())
    }

    /// Lets `secs` seconds pass at the target: the built-in mock-idp's clock moves; an external
    /// target with `capabilities.clock` has its mock-idp admin clock moved; otherwise the runner
    /// waits in real time when the profile allows that long a wait, and skips if it does not.
    pub async fn pass_time(&mut self, secs: i64) -> Result<(), String> {
        if let Some(idp) = &self.idp {
            idp.state().clock.advance(secs);
            return Ok(());
        }
        let caps = self.ctx.profile.capabilities.clone();
        if caps.clock {
            let origin = url::Url::parse(&self.issuer)
                .map(|u| u.origin().ascii_serialization())
                .map_err(|e| e.to_string())?;
            let body = serde_json::json!({ "advance": secs });
            let r = self
                .agent
                .send(
                    reqwest::Method::POST,
                    &format!("{origin}/_admin/clock"),
                    &ClientAuth::None,
                    &[],
                    None,
                    Some(&body),
                )
                .await?;
            return if r.status == 200 {
                self.clock_moved += secs;
                Ok(())
            } else {
                Err(format!(
                    "moving the target's clock failed: HTTP {}",
                    r.status
                ))
            };
        }
        if secs >= 0 && (secs as u64) <= caps.max_wait_seconds {
            tokio::time::sleep(std::time::Duration::from_secs(secs as u64)).await;
            return Ok(());
        }
        skip!(
            "{secs} s must pass at the target, but the profile allows waiting only {} s (capabilities.max_wait_seconds)",
            caps.max_wait_seconds
        )
    }
}
