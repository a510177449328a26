//! The resource-server side of a scenario: tokens minted to order by the embedded mock-idp (the
//! issuer the resource server under test trusts), requests built from the profile's operation
//! templates, key rotation at the issuer, and letting the resource server's JWKS cache expire.

use std::sync::Arc;

use mock_idp::mint::{Flaw, MintRequest};
use protocol::dpop::ProofKey;
use reqwest::Method;
use serde_json::Value;

use crate::check::outcome::skip;
use crate::http::dpop_proof::{self, Defect, ProofFor};
use crate::http::user_agent::{ClientAuth, Response};
use crate::target::resource_server::{ResourceServerProfile, Role};
use crate::world::AuthWorld;
use crate::world::role_states::{RoleState, RoleStates};

/// The state of a resource-server scenario.
#[derive(Debug, Default, Clone)]
pub struct RsFlow {
    /// The token the next call carries.
    pub token: Option<String>,
    /// The role and operation of the last role-matrix call.
    pub role: Option<Role>,
    pub op: Option<String>,
    /// The active signing key before a rotation.
    pub previous_kid: Option<String>,
    /// The scope the last call needed, for insufficient_scope checks.
    pub needed_scope: Option<String>,
    /// The DPoP key the token is bound to, once a DPoP-bound token was minted.
    pub dpop_key: Option<Arc<ProofKey>>,
}

impl RoleState for RsFlow {}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(RsFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn rs_flow(&self) -> &RsFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn rs_flow_mut(&mut self) -> &mut RsFlow {
        self.roles.get_mut()
    }
}

/// What a minted token says.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    pub user: String,
    /// The role in the user's own workspace; none: no roles claim.
    pub role: Option<Role>,
    pub scope: String,
    pub flaw: Option<Flaw>,
    pub expires_in: Option<i64>,
    pub not_before: Option<i64>,
    pub kid: Option<String>,
    /// Bind the token to this DPoP key thumbprint (`cnf.jkt`, RFC 9449 §6.1).
    pub dpop_jkt: Option<String>,
}

impl TokenSpec {
    pub fn new(user: &str, role: Option<Role>, scope: String) -> Self {
        Self {
            user: user.into(),
            role,
            scope,
            flaw: None,
            expires_in: None,
            not_before: None,
            kid: None,
            dpop_jkt: None,
        }
    }
}

/// How a call presents its credential.
#[derive(Debug, Clone)]
pub enum Credential {
    None,
    /// `Authorization: <scheme word><token>` (normally `Bearer `).
    Header(String),
    /// `?access_token=` only.
    Query,
    /// `Authorization: DPoP <token>` and a proof by the flow's DPoP key with this defect.
    Dpop(Defect),
}

impl AuthWorld {
    /// The resource server section of the profile (the scenario is skipped without one).
    pub fn rs_profile(&self) -> ResourceServerProfile {
        self.ctx.profile.resource_server().clone()
    }

    pub fn mock(&self) -> Result<&mock_idp::MockIdp, String> {
        self.idp
            .as_ref()
            .ok_or_else(|| "the runner's mock-idp is not running".to_string())
    }

    /// `text` with `{mock}` replaced by the embedded mock-idp's URL.
    pub fn rs_expand(&self, text: &str) -> Result<String, String> {
        Ok(text.replace("{mock}", self.mock()?.url().trim_end_matches('/')))
    }

    /// The workspace id of `user` (alice or bob) and its existing item.
    pub fn workspace_of(&self, user: &str) -> (String, String) {
        let rs = self.rs_profile();
        let w = if user == "bob" {
            rs.workspaces.bob
        } else {
            rs.workspaces.alice
        };
        (w.id, w.item)
    }

    /// Mints a token at the mock-idp and makes it the one the next call carries.
    pub async fn mint_token(&mut self, spec: &TokenSpec) -> Result<String, String> {
        self.ensure_target().await?;
        let rs = self.rs_profile();
        let mut claims = serde_json::Map::new();
        if let Some(role) = spec.role {
            let (ws, _) = self.workspace_of(&spec.user);
            claims.insert(rs.roles_claim.clone(), rs.roles_claim_value(&ws, role));
        }
        if let Some(jkt) = &spec.dpop_jkt {
            claims.insert("cnf".into(), serde_json::json!({ "jkt": jkt }));
        }
        let issuer = match &rs.issuer {
            Some(i) => self.rs_expand(i)?,
            None => self.mock()?.issuer().to_string(),
        };
        let req = MintRequest {
            sub: Some(spec.user.clone()),
            iss: Some(issuer),
            aud: Some(Value::String(self.rs_expand(&rs.audience)?)),
            scope: Some(spec.scope.clone()).filter(|s| !s.is_empty()),
            client_id: Some("authconform".into()),
            expires_in: spec.expires_in,
            not_before: spec.not_before,
            kid: spec.kid.clone(),
            claims,
            flaw: spec.flaw,
            ..Default::default()
        };
        let token = self.mint_raw(&req)?;
        self.rs_flow_mut().token = Some(token.clone());
        Ok(token)
    }

    /// Mints `req` at the runner's mock-idp; the token is registered for redaction.
    pub fn mint_raw(&mut self, req: &MintRequest) -> Result<String, String> {
        let minted = mock_idp::mint::mint(self.mock()?.state(), req).map_err(|e| e.to_string())?;
        self.agent.redactor.register("access_token", &minted.token);
        Ok(minted.token)
    }

    /// Sets a token that is not a JWT at all.
    pub fn set_raw_token(&mut self, token: &str) {
        self.agent.redactor.register("access_token", token);
        self.rs_flow_mut().token = Some(token.to_string());
    }

    /// Calls operation `op` in `user`'s workspace with `cred`; unmapped operations skip.
    pub async fn rs_call(
        &mut self,
        op: &str,
        user: &str,
        item: Option<String>,
        cred: Credential,
    ) -> Result<Response, String> {
        self.ensure_target().await?;
        let rs = self.rs_profile();
        let Some(template) = rs.operations.get(op).cloned() else {
            skip!(
                "the profile maps no request to {op} (resource_server.operations.{op}), so it cannot be judged"
            );
        };
        let (ws, default_item) = self.workspace_of(user);
        let path = template
            .path
            .replace("{workspace}", &ws)
            .replace("{item}", &item.unwrap_or(default_item))
            .replace("{member}", "hatter");
        let mut url = format!(
            "{}{path}",
            self.rs_expand(&rs.base_url)?.trim_end_matches('/')
        );
        let token = self.rs_flow().token.clone().unwrap_or_default();
        let mut headers: Vec<(String, String)> = Vec::new();
        match &cred {
            Credential::None => {}
            Credential::Header(scheme) => {
                headers.push(("authorization".into(), format!("{scheme}{token}")));
            }
            Credential::Query => {
                let sep = if url.contains('?') { '&' } else { '?' };
                let q: String = form_urlencoded::byte_serialize(token.as_bytes()).collect();
                url = format!("{url}{sep}access_token={q}");
            }
            Credential::Dpop(_) => {
                headers.push(("authorization".into(), format!("DPoP {token}")));
            }
        }
        let method = Method::from_bytes(template.method.to_ascii_uppercase().as_bytes())
            .map_err(|e| e.to_string())?;
        if let Credential::Dpop(defect) = cred
            && let Some(p) = self.rs_proof(method.as_str(), &url, &token, defect)?
        {
            self.agent.redactor.register("dpop_proof", &p);
            headers.push(("dpop".into(), p));
        }
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = self
            .agent
            .send(
                method,
                &url,
                &ClientAuth::None,
                &h,
                None,
                template.body.as_ref(),
            )
            .await?;
        self.last = Some(resp.clone());
        Ok(resp)
    }

    /// The DPoP proof of a call to `url` with `token` by the flow's key, with `defect`.
    fn rs_proof(
        &self,
        method: &str,
        url: &str,
        token: &str,
        defect: Defect,
    ) -> Result<Option<String>, String> {
        let key = self
            .rs_flow()
            .dpop_key
            .clone()
            .ok_or("no DPoP-bound token was minted (a Given step is missing)")?;
        let req = ProofFor {
            method,
            uri: url,
            now: self.target_now(),
            access_token: Some(token),
            nonce: None,
        };
        Ok(dpop_proof::proof(&key, &req, defect))
    }

    /// A GET of `path` (from the resource server's base URL) with extra headers.
    pub async fn rs_get(
        &mut self,
        path: &str,
        headers: &[(String, String)],
    ) -> Result<Response, String> {
        self.ensure_target().await?;
        let base = self.rs_expand(&self.rs_profile().base_url)?;
        let url = format!("{}{path}", base.trim_end_matches('/'));
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = self
            .agent
            .send(Method::GET, &url, &ClientAuth::None, &h, None, None)
            .await?;
        self.last = Some(resp.clone());
        Ok(resp)
    }

    /// Publishes a new active signing key at the issuer; the previous one stays published.
    pub async fn rotate_issuer_key(&mut self) -> Result<(), String> {
        self.ensure_target().await?;
        let state = self.mock()?.state();
        let active = state.keys.ring().active().clone();
        let new = mock_idp::keys::SigningKey::generate(active.alg, Some("rotated-key".into()))
            .map_err(|e| e.to_string())?;
        state
            .keys
            .rotate(new, state.now(), state.config.tokens.key_overlap)
            .map_err(|e| e.to_string())?;
        self.rs_flow_mut().previous_kid = Some(active.kid.clone());
        Ok(())
    }

    /// Stops publishing the key that was active before the rotation.
    pub fn remove_previous_key(&mut self) -> Result<(), String> {
        let kid = self
            .rs_flow()
            .previous_kid
            .clone()
            .ok_or("no key was rotated out in this scenario")?;
        self.mock()?
            .state()
            .keys
            .remove(&kid)
            .map_err(|e| e.to_string())
    }

    /// Lets `secs` pass for the resource server: the built-in one reads the mock's clock; an
    /// external one its own, so the runner waits when the profile allows that long a wait.
    pub async fn rs_pass_time(&mut self, secs: i64) -> Result<(), String> {
        self.ensure_target().await?;
        if self.ctx.profile.is_builtin() {
            self.mock()?.state().clock.advance(secs);
            return Ok(());
        }
        let max = self.ctx.profile.capabilities.max_wait_seconds;
        if secs >= 0 && (secs as u64) <= max {
            tokio::time::sleep(std::time::Duration::from_secs(secs as u64)).await;
            return Ok(());
        }
        skip!(
            "{secs} s must pass at the resource server, but the profile allows waiting only {max} s (capabilities.max_wait_seconds)"
        )
    }
}
