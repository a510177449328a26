//! Configuration: the YAML file (`fixtures/mock-idp.yaml` is the demo default), its types, its
//! defaults and its validation. Unknown keys are rejected with the file and the key path; every
//! string may use `${VAR:-default}`.
//!
//! This module only describes and checks configuration; it builds no runtime state.

mod assertion_grants;
mod dpop;
mod interpolate;
mod mcp;
mod resource_server;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::faults::Fault;

pub use assertion_grants::{
    AssertionProfile, IdJagAudience, JwtBearerConfig, SubjectRule, TokenExchangeConfig,
    TrustedIssuer,
};
pub use dpop::{DPOP_ALGS, DpopConfig};
pub use mcp::{Discovery, McpConfig};
pub use resource_server::{
    ApiKeyConfig, ApiKeyScheme, BasicUser, ItemConfig, ResourceServerConfig, WorkspaceConfig,
    WorkspaceScopes,
};

/// A configuration problem, naming where it is and how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct ConfigError {
    /// The file (or `<inline>`) the configuration came from.
    pub source_name: String,
    pub message: String,
}

/// mock-idp's whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The issuer identifier. Unset: the URL the server is reachable at (`http://127.0.0.1:PORT`).
    #[serde(default)]
    pub issuer: Option<String>,
    /// Address to listen on; port 0 picks a free port.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Take the issuer from `X-Forwarded-Proto`/`X-Forwarded-Host` (behind a trusted proxy only).
    #[serde(default)]
    pub trust_proxy: bool,
    /// Path issuers served besides the root one: `tenant1` serves `{issuer}/tenant1`.
    #[serde(default)]
    pub tenants: Vec<String>,
    /// When set, the admin API requires `Authorization: Bearer <admin_token>` from every caller;
    /// when unset, it answers loopback callers only.
    #[serde(default)]
    pub admin_token: Option<String>,
    #[serde(default)]
    pub login: LoginConfig,
    #[serde(default)]
    pub tokens: TokenConfig,
    /// Signing keys, the first one active. Default: one generated ES256 key.
    #[serde(default = "default_keys")]
    pub keys: Vec<KeySpec>,
    #[serde(default)]
    pub registration: RegistrationConfig,
    /// Resource indicators (RFC 8707) clients may ask for, besides the built-in `{base}/api` and
    /// `{base}/mcp`.
    #[serde(default)]
    pub resources: Vec<String>,
    /// `aud` of access tokens requested without a `resource`. Default: `{base}/api`.
    #[serde(default)]
    pub default_audience: Option<String>,
    #[serde(default)]
    pub users: Vec<UserConfig>,
    #[serde(default)]
    pub clients: Vec<ClientConfig>,
    /// Faults switched on at start.
    #[serde(default)]
    pub faults: Vec<Fault>,
    #[serde(default)]
    pub limits: Limits,
    /// The reference resource server (workspace API, API keys, HTTP Basic).
    #[serde(default)]
    pub resource_server: ResourceServerConfig,
    /// The protected MCP server's metadata variants.
    #[serde(default)]
    pub mcp: McpConfig,
    /// DPoP (RFC 9449): proofs at the token endpoint, DPoP-bound tokens at the resources.
    #[serde(default)]
    pub dpop: DpopConfig,
    /// The JWT-bearer grant (RFC 7523 §2.1): the issuers whose assertions, ID-JAGs among them,
    /// the token endpoint takes as grants.
    #[serde(default)]
    pub jwt_bearer: JwtBearerConfig,
    /// Token exchange (RFC 8693) issuing ID-JAGs for the resource authorization servers named.
    #[serde(default)]
    pub token_exchange: TokenExchangeConfig,
    /// List `offline_access` in `scopes_supported` (OIDC Core §11; the convention MCP's SEP-2207
    /// lets a client that wants a refresh token use) and grant it on request. Off by default.
    #[serde(default)]
    pub offline_access: bool,
    /// RFC 9207: `iss` in every authorization response, and
    /// `authorization_response_iss_parameter_supported: true` in the metadata. `false` plays an
    /// authorization server without RFC 9207: neither sent nor advertised.
    #[serde(default = "yes")]
    pub authorization_response_iss: bool,
}

fn yes() -> bool {
    true
}

fn default_listen() -> String {
    "127.0.0.1:5001".to_string()
}

fn default_keys() -> Vec<KeySpec> {
    vec![KeySpec {
        alg: SigningAlg::ES256,
        kid: None,
        private_key_file: None,
        private_key_pem: None,
    }]
}

impl Default for Config {
    fn default() -> Self {
        Self {
            issuer: None,
            listen: "127.0.0.1:0".to_string(),
            trust_proxy: false,
            tenants: Vec::new(),
            admin_token: None,
            login: LoginConfig::default(),
            tokens: TokenConfig::default(),
            keys: default_keys(),
            registration: RegistrationConfig::default(),
            resources: Vec::new(),
            default_audience: None,
            users: Vec::new(),
            clients: Vec::new(),
            faults: Vec::new(),
            limits: Limits::default(),
            resource_server: ResourceServerConfig::default(),
            mcp: McpConfig::default(),
            dpop: DpopConfig::default(),
            jwt_bearer: JwtBearerConfig::default(),
            token_exchange: TokenExchangeConfig::default(),
            offline_access: false,
            authorization_response_iss: true,
        }
    }
}

/// How the authorization endpoint finds out who the user is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginConfig {
    #[serde(default)]
    pub mode: LoginMode,
    /// In `auto` mode, the user when the request has no `login_hint`.
    #[serde(default)]
    pub default_user: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMode {
    /// Login and consent as HTML forms (the demo).
    #[default]
    Form,
    /// No pages: the user is `login_hint` (or `default_user`) and consent is given at once.
    Auto,
}

/// Lifetimes, in seconds of the mock's clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokenConfig {
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub id_token_ttl: i64,
    pub code_ttl: i64,
    pub device_code_ttl: i64,
    pub device_poll_interval: i64,
    /// How long a rotated-out signing key stays published.
    pub key_overlap: i64,
    /// How long a refresh token replaced by rotation may be presented again, answered with the
    /// token that replaced it, before a replay revokes the family (RFC 9700 §4.14.2 leaves
    /// detection to the server; Auth0's reuse interval and Okta's grace period are this).
    /// 0 (the default): any replay revokes.
    pub refresh_reuse_grace: i64,
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            access_token_ttl: 3600,
            refresh_token_ttl: 30 * 24 * 3600,
            id_token_ttl: 3600,
            code_ttl: 60,
            device_code_ttl: 600,
            device_poll_interval: 5,
            key_overlap: 24 * 3600,
            refresh_reuse_grace: 0,
        }
    }
}

/// A JWS algorithm mock-idp signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SigningAlg {
    ES256,
    RS256,
    EdDSA,
}

impl SigningAlg {
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::ES256 => "ES256",
            SigningAlg::RS256 => "RS256",
            SigningAlg::EdDSA => "EdDSA",
        }
    }
}

/// One signing key: generated at start unless a PKCS#8 PEM file is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    pub alg: SigningAlg,
    /// Default: the RFC 7638 thumbprint, shortened.
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub private_key_file: Option<String>,
    /// The PKCS#8 PEM itself (e.g. from `${MOCK_IDP_SIGNING_KEY}`); never logged or published.
    #[serde(default, skip_serializing)]
    pub private_key_pem: Option<String>,
}

/// Dynamic client registration (RFC 7591).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationConfig {
    pub enabled: bool,
    /// Advertise `client_id_metadata_document_supported` (OAuth Client ID Metadata Document, the
    /// MCP 2025-11-25 registration approach). The mock does not fetch documents: a client's
    /// document is a `clients` entry whose `client_id` is the document's URL.
    pub client_id_metadata_documents: bool,
    /// An authorization request may ask only for the client's registered scope (true, the
    /// default: RFC 7591 §2 lets the server restrict it); false grants any scope the metadata
    /// lists (`scopes_supported`), as the MCP conformance suite's authorization server does, so
    /// a client's step-up to a scope it did not register is not refused for policy.
    pub restrict_scope: bool,
    /// The one token endpoint authentication method the server supports: the metadata's
    /// `token_endpoint_auth_methods_supported` lists only it, and dynamic registration registers
    /// every client with it, whatever the client asked (RFC 7591 §3.2.1: the server "MAY reject or
    /// replace any of the client's requested metadata values"). Unset: every method, as asked.
    pub only_auth_method: Option<AuthMethod>,
}

impl Default for RegistrationConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            client_id_metadata_documents: false,
            restrict_scope: true,
            only_auth_method: None,
        }
    }
}

/// Request size limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub journal_capacity: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            journal_capacity: 10_000,
        }
    }
}

/// A test user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub username: String,
    /// Unset: the login form asks for the username only (like the Authlib demo).
    #[serde(default, skip_serializing)]
    pub password: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Extra claims put in tokens for this user (roles, workspaces, ...).
    #[serde(default)]
    pub claims: serde_json::Map<String, serde_json::Value>,
}

/// How a client authenticates at the token endpoint (RFC 7591 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    /// A JWT signed with a key of the client's `jwks` (RFC 7523 §2.2, OIDC Core §9).
    PrivateKeyJwt,
    /// A JWT MACed with the client secret (HS256, OIDC Core §9).
    ClientSecretJwt,
    None,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::ClientSecretJwt => "client_secret_jwt",
            AuthMethod::None => "none",
        }
    }
}

macro_rules! grant_types {
    ($( $variant:ident = $name:literal ),+ $(,)?) => {
        /// A grant type the token endpoint knows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum GrantType {
            $( #[serde(rename = $name)] $variant, )+
        }

        impl GrantType {
            /// Every grant type, in table order: the order metadata advertises them in
            /// (`grant_types_supported`) and the UI lists them in.
            pub const ALL: [GrantType; [$( $name ),+].len()] = [ $( GrantType::$variant, )+ ];

            /// The `grant_type` value on the wire (RFC 6749 §4, RFC 8628 §3.4).
            pub fn as_str(self) -> &'static str {
                match self { $( GrantType::$variant => $name, )+ }
            }
        }
    };
}

// The one table of grant types: a new grant is one line here (and a handler, which the token
// endpoint's exhaustive match asks for); the metadata follows.
grant_types! {
    AuthorizationCode = "authorization_code",
    RefreshToken = "refresh_token",
    ClientCredentials = "client_credentials",
    DeviceCode = "urn:ietf:params:oauth:grant-type:device_code",
    JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer",
    TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange",
}

impl Config {
    /// Switches the JWT-bearer grant and token exchange off (neither taken nor advertised).
    pub fn without_assertion_grants(&mut self) {
        self.jwt_bearer = JwtBearerConfig::default();
        self.token_exchange = TokenExchangeConfig::default();
    }

    /// Whether the token endpoint takes `grant` at all (and the metadata advertises it): the
    /// assertion grants only once something is configured for them.
    pub fn grant_enabled(&self, grant: GrantType) -> bool {
        match grant {
            GrantType::JwtBearer => !self.jwt_bearer.issuers.is_empty(),
            GrantType::TokenExchange => !self.token_exchange.id_jag_audiences.is_empty(),
            _ => true,
        }
    }
}

impl GrantType {
    /// The grant type whose wire value is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// A pre-registered client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    pub client_id: String,
    /// Unset for public clients.
    #[serde(default, skip_serializing)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub client_name: Option<String>,
    #[serde(default)]
    pub client_uri: Option<String>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default = "default_grants")]
    pub grant_types: Vec<GrantType>,
    #[serde(default = "default_response_types")]
    pub response_types: Vec<String>,
    /// Space-separated scopes the client may ask for.
    #[serde(default = "default_scope")]
    pub scope: String,
    /// Default: `client_secret_basic` with a secret, `none` without.
    #[serde(default)]
    pub token_endpoint_auth_method: Option<AuthMethod>,
    /// Default: required for public clients (always) and not for confidential ones.
    #[serde(default)]
    pub require_pkce: Option<bool>,
    /// Accept `code_challenge_method=plain` from this client (RFC 7636 §4.2; discouraged).
    #[serde(default)]
    pub allow_plain_pkce: bool,
    /// RFC 8252 §7.3: a loopback IP redirect_uri matches with any port.
    #[serde(default)]
    pub loopback_any_port: bool,
    /// Resource indicators this client may ask for; unset: every known resource.
    #[serde(default)]
    pub allowed_resources: Option<Vec<String>>,
    /// The client always uses DPoP: token requests without a proof are refused (RFC 9449 §5.2,
    /// "the authorization server MUST reject token requests from the client that do not
    /// contain the DPoP header").
    #[serde(default)]
    pub dpop_bound_access_tokens: bool,
    /// The public keys of a `private_key_jwt` client, a JWK Set (RFC 7591 §2 `jwks`).
    #[serde(default)]
    pub jwks: Option<serde_json::Value>,
}

fn default_grants() -> Vec<GrantType> {
    vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
}

fn default_response_types() -> Vec<String> {
    vec!["code".to_string()]
}

fn default_scope() -> String {
    "openid profile email".to_string()
}

impl ClientConfig {
    /// The method this client must use at the token endpoint.
    pub fn auth_method(&self) -> AuthMethod {
        self.token_endpoint_auth_method
            .unwrap_or(if self.client_secret.is_some() {
                AuthMethod::ClientSecretBasic
            } else {
                AuthMethod::None
            })
    }

    /// Whether the client has no secret.
    pub fn is_public(&self) -> bool {
        self.auth_method() == AuthMethod::None
    }

    /// Whether the authorization endpoint demands a code_challenge from this client.
    pub fn pkce_required(&self) -> bool {
        self.is_public() || self.require_pkce.unwrap_or(false)
    }

    /// Checks the client on its own; `at` names it in messages.
    pub fn validate(&self, at: &str) -> Result<(), String> {
        if self.client_id.is_empty() {
            return Err(format!("{at}.client_id: must not be empty"));
        }
        match (self.auth_method(), &self.client_secret) {
            (AuthMethod::None, Some(_)) => {
                return Err(format!(
                    "{at}.client_secret: a client with token_endpoint_auth_method none has no secret; remove it or choose client_secret_basic"
                ));
            }
            (AuthMethod::PrivateKeyJwt, _) => {
                let keys = self
                    .jwks
                    .as_ref()
                    .and_then(|j| j.get("keys"))
                    .and_then(|k| k.as_array());
                if keys.is_none_or(|k| k.is_empty()) {
                    return Err(format!(
                        "{at}.jwks: private_key_jwt needs the client's public keys, a JWK Set {{\"keys\": [...]}}"
                    ));
                }
            }
            (m, None) if m != AuthMethod::None => {
                return Err(format!(
                    "{at}.client_secret: {} needs a secret; set client_secret or use token_endpoint_auth_method: none",
                    m.as_str()
                ));
            }
            _ => {}
        }
        if self.is_public() && self.require_pkce == Some(false) {
            return Err(format!(
                "{at}.require_pkce: public clients always use PKCE (RFC 9700 §2.1.1); remove the key, or start with --fault allow-pkce-downgrade to break this on purpose"
            ));
        }
        if self.grant_types.contains(&GrantType::ClientCredentials) && self.is_public() {
            return Err(format!(
                "{at}.grant_types: client_credentials needs a confidential client (RFC 6749 §4.4)"
            ));
        }
        for (i, uri) in self.redirect_uris.iter().enumerate() {
            check_redirect_uri(uri).map_err(|e| format!("{at}.redirect_uris[{i}]: {e}"))?;
        }
        if self.grant_types.contains(&GrantType::AuthorizationCode) && self.redirect_uris.is_empty()
        {
            return Err(format!(
                "{at}.redirect_uris: the authorization_code grant needs at least one redirect URI"
            ));
        }
        Ok(())
    }
}

/// A redirect URI must be absolute, without fragment (RFC 6749 §3.1.2), and not a script scheme.
pub fn check_redirect_uri(uri: &str) -> Result<url::Url, String> {
    let parsed =
        url::Url::parse(uri).map_err(|e| format!("{uri:?} is not an absolute URI ({e})"))?;
    if parsed.fragment().is_some() {
        return Err(format!(
            "{uri:?} has a fragment; redirect URIs must not (RFC 6749 §3.1.2)"
        ));
    }
    if matches!(
        parsed.scheme(),
        "javascript" | "data" | "file" | "vbscript" | "blob"
    ) {
        return Err(format!(
            "{uri:?} uses the {} scheme, which can never be a redirect",
            parsed.scheme()
        ));
    }
    Ok(parsed)
}

impl Config {
    /// Reads, interpolates and validates a YAML file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source_name: name.clone(),
            message: format!("cannot read the file ({e}); pass an existing file with --config"),
        })?;
        Self::from_yaml(&text, &name, &|v| std::env::var(v).ok())
    }

    /// Parses YAML text; `source_name` names it in errors; `env` resolves `${VAR}`.
    pub fn from_yaml(
        text: &str,
        source_name: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let err = |message: String| ConfigError {
            source_name: source_name.to_string(),
            message,
        };
        let mut value: yaml_serde::Value =
            yaml_serde::from_str(text).map_err(|e| err(format!("not valid YAML: {e}")))?;
        if matches!(value, yaml_serde::Value::Null) {
            value = yaml_serde::Value::Mapping(Default::default());
        }
        interpolate::interpolate(&mut value, "", env).map_err(err)?;
        let config: Config = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let at = if path == "." {
                "top level".to_string()
            } else {
                path
            };
            err(format!("{at}: {}", e.into_inner()))
        })?;
        config.validate().map_err(err)?;
        Ok(config)
    }

    /// Cross-field checks that serde cannot express.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(issuer) = &self.issuer {
            check_issuer(issuer)?;
        }
        self.listen.parse::<std::net::SocketAddr>().map_err(|e| {
            format!(
                "listen: {:?} is not an address like 127.0.0.1:5001 ({e})",
                self.listen
            )
        })?;
        for (i, t) in self.tenants.iter().enumerate() {
            let ok = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !matches!(
                    t.as_str(),
                    "oauth"
                        | "api"
                        | "mcp"
                        | "device"
                        | "jwks"
                        | "userinfo"
                        | "_admin"
                        | "login"
                        | "logout"
                        | "clients"
                        | "debugger"
                );
            if !ok {
                return Err(format!(
                    "tenants[{i}]: {t:?} must be one path segment of letters, digits, - or _, and not a reserved path"
                ));
            }
        }
        if self.keys.is_empty() {
            return Err("keys: at least one signing key is needed; remove the key to get a generated ES256 key".into());
        }
        let mut users = HashSet::new();
        for (i, u) in self.users.iter().enumerate() {
            if u.username.is_empty() || !users.insert(u.username.as_str()) {
                return Err(format!(
                    "users[{i}].username: {:?} is empty or used twice",
                    u.username
                ));
            }
            if let Some(reserved) = u
                .claims
                .keys()
                .find(|k| RESERVED_CLAIMS.contains(&k.as_str()))
            {
                return Err(format!(
                    "users[{i}].claims.{reserved}: mock-idp sets this claim itself; choose another name"
                ));
            }
        }
        if let Some(d) = &self.login.default_user
            && !users.contains(d.as_str())
        {
            return Err(format!(
                "login.default_user: {d:?} is not one of users[].username"
            ));
        }
        let mut clients = HashSet::new();
        for (i, c) in self.clients.iter().enumerate() {
            c.validate(&format!("clients[{i}]"))?;
            if !clients.insert(c.client_id.as_str()) {
                return Err(format!(
                    "clients[{i}].client_id: {:?} is used twice",
                    c.client_id
                ));
            }
        }
        for (i, r) in self.resources.iter().enumerate() {
            check_resource(r).map_err(|e| format!("resources[{i}]: {e}"))?;
        }
        self.resource_server.validate()?;
        self.mcp.validate(&self.tenants)?;
        self.dpop.validate()?;
        self.jwt_bearer.validate()?;
        self.token_exchange.validate()?;
        let t = &self.tokens;
        for (name, v) in [
            ("access_token_ttl", t.access_token_ttl),
            ("refresh_token_ttl", t.refresh_token_ttl),
            ("id_token_ttl", t.id_token_ttl),
            ("code_ttl", t.code_ttl),
            ("device_code_ttl", t.device_code_ttl),
            ("device_poll_interval", t.device_poll_interval),
        ] {
            if !(1..=MAX_LIFETIME).contains(&v) {
                return Err(format!(
                    "tokens.{name}: must be between 1 and {MAX_LIFETIME} seconds (ten years), got {v}"
                ));
            }
        }
        if !(0..=MAX_LIFETIME).contains(&t.refresh_reuse_grace) {
            return Err(format!(
                "tokens.refresh_reuse_grace: must be between 0 and {MAX_LIFETIME} seconds, got {}",
                t.refresh_reuse_grace
            ));
        }
        Ok(())
    }
}

/// The longest lifetime accepted for anything: ten years, far from any overflow of `now + ttl`.
const MAX_LIFETIME: i64 = 10 * 365 * 24 * 3600;

/// Claims mock-idp puts in tokens itself; user `claims` may not override them.
const RESERVED_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "client_id",
    "scope",
    "auth_time",
    "azp",
    "nonce",
    "at_hash",
    "preferred_username",
];

fn check_issuer(issuer: &str) -> Result<(), String> {
    let url =
        url::Url::parse(issuer).map_err(|e| format!("issuer: {issuer:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!(
            "issuer: {issuer:?} must be an http(s) URL without query or fragment (RFC 8414 §2)"
        ));
    }
    if issuer.ends_with('/') {
        return Err(format!(
            "issuer: {issuer:?} must not end with '/'; write {:?}",
            issuer.trim_end_matches('/')
        ));
    }
    Ok(())
}

/// RFC 8707 §2: a resource is an absolute URI without a fragment.
pub fn check_resource(resource: &str) -> Result<(), String> {
    let url =
        url::Url::parse(resource).map_err(|_| format!("{resource:?} is not an absolute URI"))?;
    if url.fragment().is_some() {
        return Err(format!("{resource:?} has a fragment (RFC 8707 §2)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Config, ConfigError> {
        Config::from_yaml(yaml, "test.yaml", &|_| None)
    }

    #[test]
    fn a_grant_types_wire_value_is_its_config_name_and_parses_back() {
        for g in GrantType::ALL {
            assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
            assert_eq!(GrantType::parse(g.as_str()), Some(g));
        }
    }

    #[test]
    fn unknown_keys_name_the_file_and_the_key() {
        let err = parse("clients:\n  - client_id: a\n    redirect_uri: http://x/cb\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("test.yaml: clients[0]"), "{err}");
        assert!(err.contains("redirect_uri"), "{err}");
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.listen, "127.0.0.1:5001");
        assert_eq!(config.keys[0].alg, SigningAlg::ES256);
    }

    #[test]
    fn public_client_cannot_opt_out_of_pkce() {
        let err = parse(
            "clients:\n  - client_id: p\n    redirect_uris: [http://127.0.0.1/cb]\n    require_pkce: false\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("clients[0].require_pkce") && err.contains("allow-pkce-downgrade"),
            "{err}"
        );
    }

    #[test]
    fn fragment_in_redirect_uri_is_refused() {
        let err =
            parse("clients:\n  - client_id: p\n    redirect_uris: ['http://127.0.0.1/cb#x']\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("redirect_uris[0]") && err.contains("fragment"),
            "{err}"
        );
    }

    #[test]
    fn user_claims_cannot_override_token_claims() {
        let err = parse("users:\n  - username: a\n    claims: { sub: admin }\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("users[0].claims.sub"), "{err}");
    }

    #[test]
    fn lifetimes_are_bounded() {
        let err = parse("tokens: { access_token_ttl: 9223372036854775807 }")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("tokens.access_token_ttl") && err.contains("ten years"),
            "{err}"
        );
    }

    #[test]
    fn unknown_fault_in_config_is_refused() {
        let err = parse("faults: [skip-everything]").unwrap_err().to_string();
        assert!(
            err.contains("faults[0]") && err.contains("unknown fault"),
            "{err}"
        );
    }

    #[test]
    fn demo_config_parses_with_defaults() {
        let text = include_str!("../../fixtures/mock-idp.yaml");
        let config = Config::from_yaml(text, "mock-idp.yaml", &|_| None).unwrap();
        assert_eq!(config.issuer.as_deref(), Some("http://localhost:5001"));
        let demo = config
            .clients
            .iter()
            .find(|c| c.client_id == "demo-confidential")
            .unwrap();
        assert_eq!(demo.client_secret.as_deref(), Some("demo-secret"));
        assert_eq!(demo.auth_method(), AuthMethod::ClientSecretPost);
    }
}
