//! The `@as` flow: the state of an authorization in progress (client, state, PKCE verifier,
//! code, tokens, metadata, device authorization) and what the runner does as client, user and
//! browser: authorization requests, playing the target's login and consent pages, redeeming
//! codes, token requests with the registered client authentication.

use std::collections::BTreeMap;

use protocol::pkce::{random, s256};
use serde_json::Value;

use crate::http::html_form;
use crate::http::user_agent::{ClientAuth, Response};
use crate::roles::authorization_server::client_assertion::AssertionKey;
use crate::roles::authorization_server::delivery::{self, Delivery, join};
use crate::roles::authorization_server::dpop::DpopClient;
use crate::target::{ClientSpec, UaStep};
use crate::world::AuthWorld;
use crate::world::role_states::{RoleState, RoleStates};

/// The state of the authorization flow in progress.
#[derive(Debug, Default, Clone)]
pub struct Flow {
    pub state: Option<String>,
    pub verifier: Option<String>,
    pub redirect_uri: Option<String>,
    /// Query parameters of the redirect back to the client.
    pub callback: Option<BTreeMap<String, String>>,
    pub code: Option<String>,
    /// Every successful token response, oldest first.
    pub token_responses: Vec<Value>,
    /// Every navigation the server sent the browser on that left the target or carried an
    /// authorization response, wherever it went.
    pub deliveries: Vec<Delivery>,
}

impl Flow {
    pub fn latest(&self, field: &str) -> Option<String> {
        self.token_responses
            .iter()
            .rev()
            .find_map(|t| t.get(field).and_then(Value::as_str).map(str::to_string))
    }

    pub fn first(&self, field: &str) -> Option<String> {
        self.token_responses
            .iter()
            .find_map(|t| t.get(field).and_then(Value::as_str).map(str::to_string))
    }
}

/// The `@as` role's state in one scenario.
#[derive(Debug, Default)]
pub struct AsFlow {
    /// The metadata document, once fetched.
    pub metadata: Option<Value>,
    /// The client chosen by a Given step.
    pub client: Option<ClientSpec>,
    pub flow: Flow,
    /// The device authorization response (RFC 8628 §3.2), when one was requested.
    pub device: Option<Value>,
    /// Set once the scenario's client uses DPoP: every token request then carries a proof.
    pub dpop: Option<DpopClient>,
    /// How a client registered for a JWT assertion signs it (RFC 7523 §2.2).
    pub assertion_key: Option<AssertionKey>,
    /// The last client assertion sent, for a replay.
    pub last_assertion: Option<String>,
    /// The last ID-JAG presented, for a replay.
    pub last_id_jag: Option<String>,
    /// An ID token the client holds, to exchange for an ID-JAG.
    pub id_token: Option<String>,
    /// The ID-JAG a token exchange issued.
    pub issued_id_jag: Option<String>,
}

impl RoleState for AsFlow {}

/// Registers this role's state for a new scenario (the role table calls it).
pub(crate) fn init(states: &mut RoleStates) {
    states.insert(AsFlow::default());
}

impl AuthWorld {
    /// This role's state.
    pub(crate) fn as_flow(&self) -> &AsFlow {
        self.roles.get()
    }

    /// This role's state, to change.
    pub(crate) fn as_flow_mut(&mut self) -> &mut AsFlow {
        self.roles.get_mut()
    }
}

/// Where [`AuthWorld::play`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// The browser is sent back to the client's redirect URI.
    Callback,
    /// Every step of the script was submitted and a page answered 200.
    ScriptDone,
}

/// Whether an error from a user-agent flow is the target not answering (rather than the flow
/// stopping where the server decided to stop it).
pub fn is_transport_error(e: &str) -> bool {
    e.contains("(hung)") || e.starts_with("request failed") || e.starts_with("reading the response")
}

/// Whether the user approves or denies at the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
}

impl AuthWorld {
    /// The metadata document, fetched once from the RFC 8414 URL, else the OIDC one.
    pub async fn metadata(&mut self) -> Result<Value, String> {
        if let Some(m) = &self.as_flow().metadata {
            return Ok(m.clone());
        }
        self.ensure_target().await?;
        let mut errors = Vec::new();
        for url in well_known_urls(&self.issuer) {
            match self.agent.get(&url).await {
                Ok(r) if r.status == 200 => {
                    if let Some(j) = r.json() {
                        self.as_flow_mut().metadata = Some(j.clone());
                        return Ok(j);
                    }
                    errors.push(format!("{url}: not JSON"));
                }
                Ok(r) => errors.push(format!("{url}: HTTP {}", r.status)),
                Err(e) => errors.push(format!("{url}: {e}")),
            }
        }
        Err(format!(
            "no authorization server metadata: {}",
            errors.join("; ")
        ))
    }

    /// An endpoint URL: the profile's override, else the metadata's `<name>_endpoint`.
    pub async fn endpoint(&mut self, name: &str) -> Result<String, String> {
        let e = &self.ctx.profile.endpoints;
        let configured = match name {
            "authorization" => &e.authorization,
            "token" => &e.token,
            "jwks" => &e.jwks,
            "registration" => &e.registration,
            "revocation" => &e.revocation,
            "introspection" => &e.introspection,
            "device_authorization" => &e.device_authorization,
            "userinfo" => &e.userinfo,
            _ => &None,
        };
        if let Some(url) = configured {
            return Ok(url.clone());
        }
        let m = self.metadata().await?;
        let key = if name == "jwks" {
            "jwks_uri".to_string()
        } else {
            format!("{name}_endpoint")
        };
        m.get(&key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("the metadata has no {key}"))
    }

    /// The client chosen by a Given step.
    pub fn client(&self) -> ClientSpec {
        self.as_flow()
            .client
            .clone()
            .unwrap_or_else(|| self.ctx.profile.clients().confidential.clone())
    }

    pub fn auth_of(c: &ClientSpec) -> ClientAuth {
        match (c.method(), &c.client_secret) {
            ("client_secret_basic", Some(s)) => ClientAuth::Basic {
                id: c.client_id.clone(),
                secret: s.clone(),
            },
            _ => ClientAuth::None,
        }
    }

    /// Adds a client's credentials to a form for `client_secret_post` and `none`.
    pub fn with_client_form(
        c: &ClientSpec,
        mut form: Vec<(String, String)>,
    ) -> Vec<(String, String)> {
        match c.method() {
            "client_secret_post" => {
                form.push(("client_id".into(), c.client_id.clone()));
                form.push((
                    "client_secret".into(),
                    c.client_secret.clone().unwrap_or_default(),
                ));
            }
            "none" => form.push(("client_id".into(), c.client_id.clone())),
            _ => {}
        }
        form
    }

    /// POSTs to the token endpoint as `client`.
    pub async fn token_request(
        &mut self,
        client: &ClientSpec,
        form: Vec<(String, String)>,
    ) -> Result<Response, String> {
        let url = self.endpoint("token").await?;
        let form = Self::with_client_form(client, form);
        let resp = self
            .send_token_request(&url, &Self::auth_of(client), &form)
            .await?;
        if resp.status == 200
            && let Some(j) = resp.json()
        {
            self.as_flow_mut().flow.token_responses.push(j);
        }
        self.last = Some(resp.clone());
        Ok(resp)
    }

    /// The redirect URI the current client uses. One registered on the loopback IP without a
    /// port gets the profile's `loopback_redirect_port` (default 53682): RFC 8252 §7.3 lets a
    /// native client choose its port when it asks.
    pub fn redirect_uri(&self) -> String {
        let c = self.client();
        let uri = c.redirect_uri.unwrap_or_default();
        match uri.strip_prefix("http://127.0.0.1/") {
            Some(rest) => format!(
                "http://127.0.0.1:{}/{rest}",
                self.ctx.profile.loopback_redirect_port
            ),
            None => uri,
        }
    }

    /// Sends the authorization request (PKCE S256, random state) with `overrides` applied
    /// (`None` removes a parameter), and returns the first response without following it.
    pub async fn start_authorization(
        &mut self,
        overrides: &[(&str, Option<String>)],
    ) -> Result<Response, String> {
        self.ensure_target().await?;
        let c = self.client();
        let verifier = random(32);
        let challenge = s256(&verifier);
        let state = random(16);
        let mut params: Vec<(String, Option<String>)> = vec![
            ("response_type".into(), Some("code".into())),
            ("client_id".into(), Some(c.client_id.clone())),
            ("redirect_uri".into(), Some(self.redirect_uri())),
            ("scope".into(), c.scope.clone()),
            ("state".into(), Some(state.clone())),
            ("code_challenge".into(), Some(challenge)),
            ("code_challenge_method".into(), Some("S256".into())),
        ];
        params.extend(
            self.ctx
                .profile
                .authorize_params
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone()))),
        );
        for (k, v) in overrides {
            match params.iter_mut().find(|(pk, _)| pk == k) {
                Some(p) => p.1 = v.clone(),
                None => params.push((k.to_string(), v.clone())),
            }
        }
        let get = |k: &str| {
            params
                .iter()
                .find(|(pk, _)| pk == k)
                .and_then(|(_, v)| v.clone())
        };
        self.as_flow_mut().flow = Flow {
            state: get("state"),
            verifier: get("code_challenge").map(|_| verifier),
            redirect_uri: get("redirect_uri"),
            ..Flow::default()
        };
        let url = self.endpoint("authorization").await?;
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                params
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v))),
            )
            .finish();
        let sep = if url.contains('?') { '&' } else { '?' };
        let resp = self.agent.get(&format!("{url}{sep}{query}")).await?;
        self.last = Some(resp.clone());
        self.capture_callback(&resp);
        Ok(resp)
    }

    /// Records where `resp` sends the browser (any [`Delivery`]); when it goes to exactly the
    /// redirect URI of the request, its parameters (query, fragment or form_post) are the
    /// callback.
    fn capture_callback(&mut self, resp: &Response) -> bool {
        let Some(d) = delivery::delivery(resp, &self.target_origin()) else {
            return false;
        };
        let flow = &mut self.as_flow_mut().flow;
        flow.deliveries.push(d.clone());
        let exact = flow.redirect_uri.as_deref().is_some_and(|r| d.goes_to(r));
        if exact {
            flow.code = d.params.get("code").cloned();
            flow.callback = Some(d.params);
        }
        exact
    }

    /// The target's origin: navigations elsewhere leave it.
    fn target_origin(&self) -> String {
        url::Url::parse(&self.issuer)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }

    /// Plays the user from `resp` on: follows redirects within the target, signs in and answers
    /// the consent page, until the browser is sent back to the client (at most 12 pages). A
    /// denial the profile cannot give (`consent: none`, no `consent.deny`) skips the scenario.
    pub async fn drive_to_callback(
        &mut self,
        resp: Response,
        decision: Decision,
    ) -> Result<(), String> {
        let profile = &self.ctx.profile;
        let login = profile.login.clone();
        let answer = match decision {
            Decision::Approve => profile.consent.approve.clone(),
            Decision::Deny => profile.consent.consent_denial(),
        };
        self.play(resp, login, answer, &[], Until::Callback)
            .await
            .map(|_| ())
    }

    /// Plays steps on the target's pages from `resp`: follows redirects that stay on the target,
    /// and on each page plays the first remaining `required` step that fits (a form with its
    /// fields, checkboxes, options and button, or its link), else the first `optional` one
    /// (login, when asked). `vars` adds `{name}` substitutions to `{username}` and `{password}`.
    /// When no step fits, the error describes the page (forms, buttons, links).
    pub async fn play(
        &mut self,
        mut resp: Response,
        mut optional: Vec<UaStep>,
        mut required: Vec<UaStep>,
        vars: &[(&str, &str)],
        until: Until,
    ) -> Result<Response, String> {
        use super::pages::{self, origin_of};
        let user = self.ctx.profile.users[0].clone();
        let mut subs = vec![
            ("username", user.username.as_str()),
            ("password", user.password.as_deref().unwrap_or("")),
        ];
        subs.extend_from_slice(vars);
        let vars = subs;
        let target_origin = origin_of(&self.issuer);
        for _ in 0..12 {
            if until == Until::Callback {
                if self.capture_callback(&resp) {
                    return Ok(resp);
                }
                if let Some(d) = delivery::delivery(&resp, &target_origin) {
                    return Err(format!(
                        "the browser was sent off the target, to {}",
                        d.describe()
                    ));
                }
            }
            if resp.is_redirect() {
                let next = join(&resp.url, resp.location().unwrap_or_default());
                if origin_of(&next) != target_origin {
                    return Err(format!("the browser was sent off the target, to {next}"));
                }
                resp = self.agent.get(&next).await?;
                self.last = Some(resp.clone());
                continue;
            }
            if resp.status != 200 {
                return Err(format!(
                    "the flow stopped at HTTP {} ({})",
                    resp.status,
                    html_form::title(&resp.body).unwrap_or_default()
                ));
            }
            if until == Until::ScriptDone && required.is_empty() {
                return Ok(resp);
            }
            let page = html_form::page(&resp.body);
            let Some(fit) = pages::fit(&page, &resp.url, &required, &optional, &vars) else {
                return Err(pages::no_step_fits(&page, &resp.url, &required, &optional));
            };
            if fit.required {
                required.remove(fit.index);
            } else {
                optional.remove(fit.index);
            }
            self.agent.step = format!(
                "{} (user agent: {})",
                self.agent.step.split(" (user agent").next().unwrap_or(""),
                fit.label
            );
            // The browser goes only where the target sends it, and never off the loopback
            // target: a link or GET form to the client's redirect URI delivers the response
            // there (the client is not listening, so it is read, not sent).
            let url = fit.action.url().to_string();
            if origin_of(&url) != target_origin {
                if until == Until::Callback
                    && let pages::Action::Follow { .. } | pages::Action::Submit { post: false, .. } =
                        &fit.action
                    && self.capture_callback(&pages::navigation(&resp, &url))
                {
                    return Ok(resp);
                }
                return Err(format!(
                    "the page sends the browser off the target, to {url}"
                ));
            }
            resp = match &fit.action {
                pages::Action::Submit {
                    post: true, fields, ..
                } => {
                    self.agent
                        .post_form(&url, &ClientAuth::None, fields)
                        .await?
                }
                pages::Action::Submit { .. } | pages::Action::Follow { .. } => {
                    self.agent.get(&url).await?
                }
            };
            self.last = Some(resp.clone());
        }
        Err("the flow did not finish within 12 pages".into())
    }

    /// The whole authorization: request, login, consent; afterwards `flow.callback` is set.
    pub async fn authorize(
        &mut self,
        overrides: &[(&str, Option<String>)],
        decision: Decision,
    ) -> Result<(), String> {
        let resp = self.start_authorization(overrides).await?;
        self.drive_to_callback(resp, decision).await
    }

    /// Redeems the current code as `client` with `verifier` (None: omit it).
    pub async fn redeem(
        &mut self,
        client: &ClientSpec,
        verifier: Option<String>,
        redirect_uri: Option<String>,
    ) -> Result<Response, String> {
        let code = self
            .as_flow()
            .flow
            .code
            .clone()
            .ok_or("no authorization code was obtained")?;
        let mut form = vec![
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("code".to_string(), code),
        ];
        if let Some(r) = redirect_uri {
            form.push(("redirect_uri".into(), r));
        }
        if let Some(v) = verifier {
            form.push(("code_verifier".into(), v));
        }
        self.token_request(client, form).await
    }
}

/// The metadata URLs of an issuer: RFC 8414 (path inserted) first, then OIDC (path appended).
pub fn well_known_urls(issuer: &str) -> Vec<String> {
    let Ok(u) = url::Url::parse(issuer) else {
        return vec![];
    };
    let origin = u.origin().ascii_serialization();
    let path = u.path().trim_end_matches('/');
    vec![
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
        format!("{origin}{path}/.well-known/openid-configuration"),
    ]
}
