//! Configuration of the reference resource server (`resource_server:`): how it validates bearer
//! tokens (issuer, audience, leeway, JWKS caching, the insecure quickstart switch), where it reads
//! workspace roles and which scopes it demands, its workspaces, its API keys and Basic users.

use serde::{Deserialize, Serialize};

/// The reference resource server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResourceServerConfig {
    /// `false` lets every request through, like platforms whose authentication is opt-in.
    pub auth_enabled: bool,
    /// Accept unsigned (`alg: none`) tokens. Insecure; for quickstart setups only.
    pub insecure_quickstart: bool,
    /// The `aud` tokens must carry; default the default audience (`{base}/api`).
    pub audience: Option<String>,
    /// The `iss` tokens must carry; default the root issuer.
    pub issuer: Option<String>,
    /// The claim holding workspace roles: a map `{workspace: role}` or a list of
    /// `"workspace:role"` strings; roles are `viewer`, `editor`, `admin`.
    pub roles_claim: String,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway: i64,
    /// Seconds a fetched JWKS is used before it is fetched again.
    pub jwks_cache_ttl: i64,
    /// Least seconds between two refetches caused by an unknown `kid`.
    pub jwks_refetch_interval: i64,
    pub scopes: WorkspaceScopes,
    pub workspaces: Vec<WorkspaceConfig>,
    pub api_keys: Vec<ApiKeyConfig>,
    pub basic_users: Vec<BasicUser>,
}

impl Default for ResourceServerConfig {
    fn default() -> Self {
        Self {
            auth_enabled: true,
            insecure_quickstart: false,
            audience: None,
            issuer: None,
            roles_claim: "workspaces".into(),
            leeway: 30,
            jwks_cache_ttl: 300,
            jwks_refetch_interval: 30,
            scopes: WorkspaceScopes::default(),
            workspaces: Vec::new(),
            api_keys: Vec::new(),
            basic_users: Vec::new(),
        }
    }
}

/// The scope each kind of workspace operation needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkspaceScopes {
    pub read: String,
    pub write: String,
    pub admin: String,
}

impl Default for WorkspaceScopes {
    fn default() -> Self {
        Self {
            read: "workspace:read".into(),
            write: "workspace:write".into(),
            admin: "workspace:admin".into(),
        }
    }
}

/// A workspace and the items it starts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceConfig {
    pub id: String,
    #[serde(default)]
    pub items: Vec<ItemConfig>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemConfig {
    pub id: String,
    pub title: String,
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyScheme {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `X-API-Key: <key>`.
    XApiKey,
    /// `Authorization: Basic <key>` (the key as configured, e.g. base64 of `user:password`).
    Basic,
    /// `<header>: <prefix><key>`.
    Custom,
}

impl ApiKeyScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKeyScheme::Bearer => "bearer",
            ApiKeyScheme::XApiKey => "x_api_key",
            ApiKeyScheme::Basic => "basic",
            ApiKeyScheme::Custom => "custom",
        }
    }
}

/// An endpoint `GET /api/keyed/{name}` protected by one API key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyConfig {
    pub name: String,
    pub scheme: ApiKeyScheme,
    /// The header name of the `custom` scheme.
    #[serde(default)]
    pub header: Option<String>,
    /// What precedes the key in the `custom` header (e.g. `Token `); default nothing.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The key itself; never logged or published.
    #[serde(skip_serializing)]
    pub key: String,
}

/// A user of the HTTP Basic endpoint `GET /api/basic` (RFC 7617).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicUser {
    pub username: String,
    #[serde(skip_serializing)]
    pub password: String,
}

impl ResourceServerConfig {
    /// Cross-field checks; errors name the key and the fix.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("leeway", self.leeway),
            ("jwks_cache_ttl", self.jwks_cache_ttl),
            ("jwks_refetch_interval", self.jwks_refetch_interval),
        ] {
            if !(0..=86_400).contains(&v) {
                return Err(format!(
                    "resource_server.{name}: must be between 0 and 86400 seconds, got {v}"
                ));
            }
        }
        if self.roles_claim.is_empty() {
            return Err("resource_server.roles_claim: name the claim that holds workspace roles, e.g. workspaces".into());
        }
        let mut names = std::collections::HashSet::new();
        for (i, k) in self.api_keys.iter().enumerate() {
            let at = format!("resource_server.api_keys[{i}]");
            let ok_name = !k.name.is_empty()
                && k.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok_name || !names.insert(k.name.as_str()) {
                return Err(format!(
                    "{at}.name: {:?} must be a unique path segment of letters, digits, - or _",
                    k.name
                ));
            }
            if k.key.is_empty() {
                return Err(format!("{at}.key: must not be empty"));
            }
            match (k.scheme, &k.header) {
                (ApiKeyScheme::Custom, None) => {
                    return Err(format!(
                        "{at}.header: the custom scheme needs a header name, e.g. X-Custom-Auth"
                    ));
                }
                (ApiKeyScheme::Custom, Some(h))
                    if axum::http::HeaderName::from_bytes(h.as_bytes()).is_err() =>
                {
                    return Err(format!("{at}.header: {h:?} is not a valid header name"));
                }
                (s, Some(_)) if s != ApiKeyScheme::Custom => {
                    return Err(format!(
                        "{at}.header: only the custom scheme takes a header name ({} has its own)",
                        s.as_str()
                    ));
                }
                _ => {}
            }
        }
        for (i, w) in self.workspaces.iter().enumerate() {
            if w.id.is_empty() || w.id.contains('/') {
                return Err(format!(
                    "resource_server.workspaces[{i}].id: {:?} must be a non-empty path segment",
                    w.id
                ));
            }
        }
        Ok(())
    }
}
