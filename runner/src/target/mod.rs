//! Target profiles: what the implementation under test is, where it answers, which clients and
//! users it has, how a user logs in and consents, what the runner may do to it (clock, faults),
//! and optionally how to start and stop it. `builtin` is the embedded mock-idp.
//!
//! A profile error names the file, the key and the fix.

pub mod client;
pub mod endpoints;
pub mod id_jag;
pub mod launch;
pub mod mcp_client;
pub mod mcp_server;
pub mod resource_server;
pub mod user_agent;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use endpoints::Endpoints;
pub use user_agent::{Answers, UaStep};

/// Text of the built-in profile and of the mock-idp config it starts.
pub const BUILTIN_PROFILE: &str = include_str!("../../../fixtures/targets/builtin.yaml");
pub const BUILTIN_MOCK_CONFIG: &str =
    include_str!("../../../fixtures/targets/builtin-mock-idp.yaml");

/// A target profile problem.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {key}: {message}")]
pub struct ProfileError {
    pub file: String,
    pub key: String,
    pub message: String,
}

/// An implementation under test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetProfile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Start the embedded mock-idp for every scenario (the built-in target).
    #[serde(default)]
    pub builtin: Option<Builtin>,
    /// The issuer; its metadata is fetched from the RFC 8414 / OIDC well-known URLs.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Endpoints, for a server without metadata or to override it; `none` for an optional
    /// endpoint the target does not have (see [`Endpoints`]).
    #[serde(default)]
    pub endpoints: Endpoints,
    /// The clients of an authorization server under test (`@as`).
    #[serde(default)]
    pub clients: Option<Clients>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
    /// Both sides of the ID-JAG (`@as`): an issuer the target trusts, an audience it issues for.
    #[serde(default)]
    pub id_jag: Option<crate::target::id_jag::IdJagProfile>,
    /// A resource server under test (`@rs`).
    #[serde(default)]
    pub resource_server: Option<crate::target::resource_server::ResourceServerProfile>,
    /// An MCP server under test (`@mcp-server`).
    #[serde(default)]
    pub mcp_server: Option<crate::target::mcp_server::McpServerProfile>,
    /// An OAuth client or auth provider under test (`@client`).
    #[serde(default)]
    pub client: Option<crate::target::client::ClientProfile>,
    /// An MCP client under test (`@mcp-client`).
    #[serde(default)]
    pub mcp_client: Option<crate::target::mcp_client::McpClientProfile>,
    /// A multi-user agent server under test (`@agent`), driven like a client.
    #[serde(default)]
    pub agent: Option<crate::target::client::ClientProfile>,
    /// What the user agent does on the login page: steps that fill and submit a form or follow a
    /// link ([`UaStep`]).
    #[serde(default)]
    pub login: Vec<UaStep>,
    /// What the user does on the consent page: `approve` and `deny` steps, or `none` when the
    /// target asks no consent (then signing in approves, and a deny scenario is skipped).
    #[serde(default)]
    pub consent: Answers,
    /// What the user does on the device verification page (RFC 8628 §3.3); values may use
    /// `{user_code}`, `{username}` and `{password}`. Login steps are played first where needed.
    #[serde(default)]
    pub device: Answers,
    /// Extra parameters of every authorization request the runner sends as client, for a
    /// target that needs them (for example `{prompt: consent}`); a scenario's own parameter
    /// wins. The runner's own parameters (response_type, client_id, redirect_uri, scope, state,
    /// code_challenge, code_challenge_method) cannot be set here.
    #[serde(default)]
    pub authorize_params: BTreeMap<String, String>,
    /// The port the runner puts into a loopback redirect URI registered without one
    /// (`http://127.0.0.1/callback`: RFC 8252 §7.3 lets a native client pick its port when it
    /// asks); default 53682.
    #[serde(default = "default_loopback_redirect_port")]
    pub loopback_redirect_port: u16,
    #[serde(default)]
    pub capabilities: Capabilities,
    /// POLICY checks (what mock-idp does beyond the specs) fail instead of warning.
    #[serde(default)]
    pub strict: bool,
    /// Scenarios at once (default 16); lower it for a slow implementation.
    #[serde(default)]
    pub concurrency: Option<usize>,
    #[serde(default)]
    pub start: Option<StartSpec>,
    /// A CA certificate (PEM) to trust for an https target.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Builtin {
    /// mock-idp config; `builtin` means the one compiled into the runner.
    #[serde(default)]
    pub config: Option<String>,
    #[serde(default)]
    pub faults: Vec<mock_idp::Fault>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clients {
    /// A confidential client with the authorization_code and refresh_token grants.
    pub confidential: ClientSpec,
    /// A second confidential client, for binding checks (codes and refresh tokens of another client).
    #[serde(default)]
    pub other_confidential: Option<ClientSpec>,
    /// A public client (PKCE required).
    #[serde(default)]
    pub public: Option<ClientSpec>,
    /// A confidential client with the client_credentials grant.
    #[serde(default)]
    pub service: Option<ClientSpec>,
    /// A client with the device_code grant (RFC 8628).
    #[serde(default)]
    pub device: Option<ClientSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// `client_secret_basic` (default with a secret), `client_secret_post` or `none`.
    #[serde(default)]
    pub auth_method: Option<String>,
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl ClientSpec {
    pub fn method(&self) -> &str {
        self.auth_method
            .as_deref()
            .unwrap_or(if self.client_secret.is_some() {
                "client_secret_basic"
            } else {
                "none"
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
}

/// What the runner may do to the target beyond plain HTTP.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// The runner can move the target's clock: an authorization or resource server's through
    /// `/_admin/clock`, a client adapter's with the contract's `clock` command.
    #[serde(default)]
    pub clock: bool,
    /// The runner can switch the target's faults.
    #[serde(default)]
    pub faults: bool,
    /// Checks may wait this many seconds of real time for something to expire (0: never wait).
    #[serde(default)]
    pub max_wait_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartSpec {
    /// Shell command that starts the target (run with `sh -c`, in the profile's folder).
    pub command: String,
    /// Polled until it answers 2xx.
    pub ready_url: String,
    #[serde(default = "default_ready_timeout")]
    pub ready_timeout_seconds: u64,
    /// Shell command that stops it; default: the started process is killed.
    #[serde(default)]
    pub stop_command: Option<String>,
}

fn default_ready_timeout() -> u64 {
    60
}

/// The runner's loopback redirect port when the profile names none.
pub const DEFAULT_LOOPBACK_REDIRECT_PORT: u16 = 53682;

fn default_loopback_redirect_port() -> u16 {
    DEFAULT_LOOPBACK_REDIRECT_PORT
}

/// Authorization request parameters the runner sets itself, which `authorize_params` cannot.
const RUNNER_AUTHORIZE_PARAMS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

impl TargetProfile {
    /// The built-in target.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN_PROFILE, "builtin").expect("the built-in profile is valid")
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<(Self, PathBuf), ProfileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
            file: file.clone(),
            key: "(file)".into(),
            message: format!("cannot read it ({e}); pass an existing profile with --target"),
        })?;
        let profile = Self::parse(&text, &file)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok((profile, dir))
    }

    pub fn parse(text: &str, file: &str) -> Result<Self, ProfileError> {
        let err = |key: String, message: String| ProfileError {
            file: file.to_string(),
            key,
            message,
        };
        let value: yaml_serde::Value = yaml_serde::from_str(text)
            .map_err(|e| err("(yaml)".into(), format!("not valid YAML: {e}")))?;
        let profile: TargetProfile = serde_path_to_error::deserialize(value).map_err(|e| {
            let key = e.path().to_string();
            err(
                if key == "." {
                    "(top level)".into()
                } else {
                    key
                },
                e.into_inner().to_string(),
            )
        })?;
        profile.validate().map_err(|(k, m)| err(k, m))?;
        Ok(profile)
    }

    fn validate(&self) -> Result<(), (String, String)> {
        if let Some(rs) = &self.resource_server {
            rs.validate(self.builtin.is_some())?;
        }
        if let Some(m) = &self.mcp_server {
            m.validate(self.builtin.is_some())?;
        }
        if let Some(c) = &self.mcp_client {
            c.validate()?;
        }
        if let Some(c) = &self.client {
            c.validate()?;
        }
        if let Some(a) = &self.agent {
            a.validate_as("agent")?;
        }
        self.endpoints.validate()?;
        user_agent::validate_steps("login", &self.login)?;
        self.consent.validate("consent")?;
        self.device.validate("device")?;
        if let Some(k) = self
            .authorize_params
            .keys()
            .find(|k| RUNNER_AUTHORIZE_PARAMS.contains(&k.as_str()))
        {
            let fix = match k.as_str() {
                "scope" => "set the scope per client (clients.<name>.scope)",
                "redirect_uri" => "set the redirect URI per client (clients.<name>.redirect_uri)",
                "client_id" => "set it per client (clients.<name>.client_id)",
                _ => "the runner sets it itself, and scenarios change it on purpose",
            };
            return Err((
                format!("authorize_params.{k}"),
                format!("{k} cannot be an extra parameter: {fix}"),
            ));
        }
        if self.loopback_redirect_port == 0 {
            return Err((
                "loopback_redirect_port".into(),
                "a port from 1 to 65535 (default 53682)".into(),
            ));
        }
        let Some(clients) = &self.clients else {
            if self.resource_server.is_none()
                && self.mcp_server.is_none()
                && self.mcp_client.is_none()
                && self.client.is_none()
                && self.agent.is_none()
            {
                return Err((
                    "(top level)".into(),
                    "describe what is under test: clients (an authorization server), resource_server, mcp_server, mcp_client, client and/or agent".into(),
                ));
            }
            return Ok(());
        };
        if self.builtin.is_none() && self.issuer.is_none() && self.endpoints.token.is_none() {
            return Err(("issuer".into(), "set issuer (or endpoints.authorization and endpoints.token) so the runner knows where the server is".into()));
        }
        if let Some(i) = &self.issuer
            && url::Url::parse(i).is_err()
        {
            return Err((
                "issuer".into(),
                format!("{i:?} is not a URL; write it like https://idp.example.com"),
            ));
        }
        let mut listed = vec![("clients.confidential", &clients.confidential)];
        listed.extend(
            clients
                .other_confidential
                .as_ref()
                .map(|c| ("clients.other_confidential", c)),
        );
        listed.extend(clients.public.as_ref().map(|c| ("clients.public", c)));
        listed.extend(clients.service.as_ref().map(|c| ("clients.service", c)));
        for (key, c) in listed {
            if !matches!(
                c.method(),
                "client_secret_basic" | "client_secret_post" | "none"
            ) {
                return Err((
                    format!("{key}.auth_method"),
                    format!(
                        "{:?} is not one of client_secret_basic, client_secret_post, none",
                        c.method()
                    ),
                ));
            }
            if c.method() != "none" && c.client_secret.is_none() {
                return Err((
                    format!("{key}.client_secret"),
                    format!("{} needs client_secret", c.method()),
                ));
            }
            if !matches!(key, "clients.service" | "clients.device") && c.redirect_uri.is_none() {
                return Err((
                    format!("{key}.redirect_uri"),
                    "set the redirect URI registered for this client".into(),
                ));
            }
        }
        if self.users.is_empty() {
            return Err((
                "users".into(),
                "list at least one test user (username, password)".into(),
            ));
        }
        if self.builtin.is_none() && self.login.is_empty() {
            return Err((
                "login".into(),
                "describe how the user logs in: a list of {fill: {...}, submit: LABEL} steps"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Whether this is the embedded mock-idp.
    pub fn is_builtin(&self) -> bool {
        self.builtin.is_some()
    }

    /// Whether the profile has the top-level section `name` (the role table says which section
    /// makes a target play which role).
    pub fn has_section(&self, name: &str) -> bool {
        match name {
            "clients" => self.clients.is_some(),
            "resource_server" => self.resource_server.is_some(),
            "mcp_server" => self.mcp_server.is_some(),
            "mcp_client" => self.mcp_client.is_some(),
            "client" => self.client.is_some(),
            "agent" => self.agent.is_some(),
            _ => false,
        }
    }

    /// The authorization server's clients; a scenario needing them is skipped without.
    pub fn clients(&self) -> &Clients {
        required(&self.clients, "authorization server", "clients")
    }

    /// The MCP server section; a scenario needing it is skipped without.
    pub fn mcp_server(&self) -> &crate::target::mcp_server::McpServerProfile {
        required(&self.mcp_server, "MCP server", "mcp_server")
    }

    /// Where the runner's mock-idp listens for an external resource or MCP server.
    pub fn mock_idp_listen(&self) -> Option<&str> {
        self.resource_server
            .as_ref()
            .and_then(|r| r.mock_idp_listen.as_deref())
            .or_else(|| {
                self.mcp_server
                    .as_ref()
                    .and_then(|m| m.mock_idp_listen.as_deref())
            })
    }

    /// The resource server section; a scenario needing it is skipped without.
    pub fn resource_server(&self) -> &crate::target::resource_server::ResourceServerProfile {
        required(&self.resource_server, "resource server", "resource_server")
    }

    /// The OAuth client section; a scenario needing it is skipped without.
    pub fn client(&self) -> &crate::target::client::ClientProfile {
        required(&self.client, "OAuth client", "client")
    }

    /// The agent server section; a scenario needing it is skipped without.
    pub fn agent(&self) -> &crate::target::client::ClientProfile {
        required(&self.agent, "agent server", "agent")
    }

    /// The MCP client section; a scenario needing it is skipped without.
    pub fn mcp_client(&self) -> &crate::target::mcp_client::McpClientProfile {
        required(&self.mcp_client, "MCP client", "mcp_client")
    }

    /// Skips the scenario when the profile says the target has no `name` endpoint
    /// (`endpoints.<name>: none`).
    pub fn skip_without_endpoint(&self, name: &str) {
        if self.endpoints.is_absent(name) {
            crate::check::outcome::skip!(
                "the target has no {} endpoint (the profile says endpoints.{name}: none)",
                name.replace('_', " ")
            );
        }
    }
}

/// The profile section `key`, or the scenario is skipped: the target plays no such role.
fn required<'a, T>(section: &'a Option<T>, what: &str, key: &str) -> &'a T {
    match section {
        Some(s) => s,
        None => crate::check::outcome::skip!("the target profile describes no {what} ({key})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_parses() {
        let p = TargetProfile::builtin();
        assert!(p.is_builtin());
        assert!(p.capabilities.clock && p.capabilities.faults);
    }

    #[test]
    fn every_fixture_profile_parses() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/targets");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            // builtin-mock-idp.yaml is the mock's config, not a profile.
            if !name.ends_with(".yaml") || name == "builtin-mock-idp.yaml" {
                continue;
            }
            if let Err(e) = TargetProfile::load(&path) {
                panic!("{e}");
            }
            read += 1;
        }
        assert!(read >= 2, "read {read} profiles in {}", dir.display());
    }

    #[test]
    fn errors_name_the_key_and_the_fix() {
        let e = TargetProfile::parse("name: x\nissuer: https://a.example\nclients:\n  confidential:\n    client_id: c\n    client_secret: s\n    redirect_uri: https://c/cb\nusers: [{username: u}]\nlogin: [{submit: Go}]\nclock: true\n", "p.yaml").unwrap_err().to_string();
        assert!(e.starts_with("p.yaml: ") && e.contains("clock"), "{e}");
        let e = TargetProfile::parse("name: x\nclients:\n  confidential:\n    client_id: c\n    redirect_uri: https://c/cb\n    auth_method: client_secret_post\nusers: [{username: u}]\n", "p.yaml").unwrap_err().to_string();
        assert!(e.contains("issuer"), "{e}");
    }

    /// A minimal `@as` profile with `extra` appended.
    fn with(extra: &str) -> Result<TargetProfile, ProfileError> {
        TargetProfile::parse(
            &format!(
                "name: x\nissuer: https://a.example\nclients:\n  confidential:\n    client_id: c\n    client_secret: s\n    redirect_uri: https://c/cb\nusers: [{{username: u}}]\nlogin: [{{submit: Go}}]\n{extra}"
            ),
            "p.yaml",
        )
    }

    fn error(extra: &str) -> String {
        with(extra).unwrap_err().to_string()
    }

    #[test]
    fn the_user_agent_steps_follow_check_and_select() {
        let p = with("consent:\n  approve: [{check: {scope_email: Email}, select: {account: work}, submit: Allow}]\n  deny: [{follow: \"[ Cancel ]\"}]\n").unwrap();
        let approve = &p.consent.approve[0];
        assert_eq!(approve.check["scope_email"], "Email");
        assert_eq!(approve.select["account"], "work");
        assert_eq!(p.consent.deny[0].follow.as_deref(), Some("[ Cancel ]"));
        assert!(!p.consent.none);
    }

    #[test]
    fn a_follow_step_takes_no_other_key() {
        let e = error("consent:\n  deny: [{submit: Deny}, {follow: Cancel, submit: Deny}]\n");
        assert_eq!(
            e,
            "p.yaml: consent.deny[1].follow: a follow step only follows a link; put fill, check, select and submit in a step of their own"
        );
        let e = error("device:\n  approve: [{follow: \" \"}]\n");
        assert!(
            e.starts_with("p.yaml: device.approve[0].follow: name the link"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_step_key_is_named() {
        let e = error("device:\n  approve: [{click: Go}]\n");
        assert!(
            e.starts_with("p.yaml: device.approve[0].click: unknown field `click`"),
            "{e}"
        );
    }

    #[test]
    fn consent_none_and_its_misspellings() {
        let p = with("consent: none\n").unwrap();
        assert!(p.consent.none && p.consent.approve.is_empty() && p.consent.deny.is_empty());
        let e = error("consent: nothing\n");
        assert!(
            e.starts_with("p.yaml: consent: invalid value: string \"nothing\", expected none, or {approve: [steps], deny: [steps]}"),
            "{e}"
        );
        let e = error("consent:\n  aprove: []\n");
        assert!(
            e.starts_with("p.yaml: consent.aprove: unknown field `aprove`"),
            "{e}"
        );
    }

    #[test]
    fn an_optional_endpoint_can_be_none() {
        let p = with("endpoints:\n  introspection: none\n  registration: none\n  revocation: https://a.example/revoke\n").unwrap();
        assert!(p.endpoints.is_absent("introspection") && p.endpoints.is_absent("registration"));
        assert!(!p.endpoints.is_absent("revocation"));
        assert_eq!(p.endpoints.introspection, None);
        assert_eq!(
            p.endpoints.revocation.as_deref(),
            Some("https://a.example/revoke")
        );
        let e = error("endpoints:\n  token: none\n");
        assert!(
            e.starts_with("p.yaml: endpoints.token: only an optional endpoint (registration, revocation, introspection, device_authorization) can be none"),
            "{e}"
        );
        let e = error("endpoints:\n  introspection: /introspect\n");
        assert!(
            e.starts_with("p.yaml: endpoints.introspection: \"/introspect\" is not a URL")
                && e.ends_with("or none if the target has no such endpoint"),
            "{e}"
        );
        let e = error("endpoints:\n  introspect: none\n");
        assert!(
            e.starts_with("p.yaml: endpoints.introspect: unknown field `introspect`"),
            "{e}"
        );
    }

    #[test]
    fn authorize_params_are_extra_parameters_only() {
        let p =
            with("authorize_params: {prompt: consent, acr_values: urn:mace:incommon:iap:silver}\n")
                .unwrap();
        assert_eq!(p.authorize_params["prompt"], "consent");
        assert_eq!(with("").unwrap().authorize_params.len(), 0);
        let e = error("authorize_params: {scope: openid}\n");
        assert_eq!(
            e,
            "p.yaml: authorize_params.scope: scope cannot be an extra parameter: set the scope per client (clients.<name>.scope)"
        );
        let e = error("authorize_params: {state: fixed}\n");
        assert!(e.starts_with("p.yaml: authorize_params.state: "), "{e}");
        let e = error("authorize_params: {prompt: [consent]}\n");
        assert!(e.starts_with("p.yaml: authorize_params.prompt: "), "{e}");
    }

    #[test]
    fn the_loopback_redirect_port_defaults_to_53682() {
        assert_eq!(with("").unwrap().loopback_redirect_port, 53682);
        assert_eq!(
            with("loopback_redirect_port: 8400\n")
                .unwrap()
                .loopback_redirect_port,
            8400
        );
        let e = error("loopback_redirect_port: 0\n");
        assert_eq!(
            e,
            "p.yaml: loopback_redirect_port: a port from 1 to 65535 (default 53682)"
        );
        let e = error("loopback_redirect_port: 70000\n");
        assert!(e.starts_with("p.yaml: loopback_redirect_port: "), "{e}");
    }
}
