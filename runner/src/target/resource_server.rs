//! The `resource_server:` section of a target profile: where a resource server under test
//! answers, how its operations map to the workspace role matrix, which claims and scopes it
//! reads, its API keys and Basic credentials, and where the runner's embedded mock-idp (the
//! issuer the resource server must trust) listens.
//!
//! `{mock}` in `base_url`, `audience` and `issuer` stands for the embedded mock-idp's URL.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A workspace role of the matrix; each includes the ones before it (the reference resource
/// server's own type, so the runner and the mock cannot disagree on the roles).
pub use mock_idp::rs::token::Role;

/// Which of the three scopes an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    Read,
    Write,
    Admin,
}

/// The operations of the role matrix, with the least role and scope each needs unless the
/// profile says otherwise.
pub const OPERATIONS: [(&str, Role, ScopeKind); 7] = [
    ("list_items", Role::Viewer, ScopeKind::Read),
    ("read_item", Role::Viewer, ScopeKind::Read),
    ("create_item", Role::Editor, ScopeKind::Write),
    ("update_item", Role::Editor, ScopeKind::Write),
    ("delete_item", Role::Editor, ScopeKind::Write),
    ("list_members", Role::Viewer, ScopeKind::Read),
    ("manage_members", Role::Admin, ScopeKind::Admin),
];

/// The API-key schemes, by their profile key.
pub const API_KEY_SCHEMES: [&str; 4] = ["bearer", "x_api_key", "basic", "custom"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceServerProfile {
    /// Where the resource server answers; `{mock}` for the built-in one.
    pub base_url: String,
    /// The `aud` it expects (tokens are minted with it).
    pub audience: String,
    /// The issuer it trusts; default `{mock}`.
    #[serde(default)]
    pub issuer: Option<String>,
    /// For an external resource server: the address the runner's mock-idp listens on, so the
    /// resource server can be configured to trust `http://<address>` and its `/jwks`.
    #[serde(default)]
    pub mock_idp_listen: Option<String>,
    /// The claim carrying workspace roles.
    #[serde(default = "default_roles_claim")]
    pub roles_claim: String,
    /// `map` (`{"ws": "editor"}`) or `list` (`["ws:editor"]`).
    #[serde(default)]
    pub roles_format: RolesFormat,
    /// How the resource server spells each role in the claim.
    #[serde(default)]
    pub role_names: RoleNames,
    #[serde(default)]
    pub scopes: Scopes,
    /// The clock skew it tolerates on `exp`/`nbf` (the checks allow this much, no more).
    #[serde(default = "default_leeway")]
    pub leeway_seconds: i64,
    /// How long it keeps a fetched JWKS.
    #[serde(default = "default_jwks_cache")]
    pub jwks_cache_seconds: i64,
    /// It runs in an explicitly insecure mode that accepts unsigned tokens.
    #[serde(default)]
    pub insecure_quickstart: bool,
    /// It takes DPoP-bound tokens (RFC 9449 §7) besides bearer tokens: the DPoP scenarios run
    /// (without it they are skipped; an RFC 6750-only server is not bound by them).
    #[serde(default)]
    pub dpop: bool,
    /// alice's and bob's workspaces, each with an existing item.
    pub workspaces: Workspaces,
    /// Request templates by operation name (`list_items`, `read_item`, ...); unmapped
    /// operations are skipped.
    #[serde(default)]
    pub operations: BTreeMap<String, Operation>,
    /// API-key endpoints by scheme (`bearer`, `x_api_key`, `basic`, `custom`).
    #[serde(default)]
    pub api_keys: BTreeMap<String, ApiKeyEndpoint>,
    /// An HTTP Basic endpoint.
    #[serde(default)]
    pub basic: Option<BasicEndpoint>,
}

fn default_roles_claim() -> String {
    "workspaces".into()
}
fn default_leeway() -> i64 {
    60
}
fn default_jwks_cache() -> i64 {
    300
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RolesFormat {
    #[default]
    Map,
    List,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleNames {
    pub viewer: String,
    pub editor: String,
    pub admin: String,
}

impl Default for RoleNames {
    fn default() -> Self {
        Self {
            viewer: "viewer".into(),
            editor: "editor".into(),
            admin: "admin".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scopes {
    pub read: String,
    pub write: String,
    pub admin: String,
}

impl Default for Scopes {
    fn default() -> Self {
        Self {
            read: "workspace:read".into(),
            write: "workspace:write".into(),
            admin: "workspace:admin".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspaces {
    pub alice: WorkspaceRef,
    pub bob: WorkspaceRef,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceRef {
    pub id: String,
    /// An item that exists in it.
    pub item: String,
}

/// One request template: `{workspace}`, `{item}` and `{member}` are filled in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub body: Option<Value>,
    /// Overrides the matrix's least role for this operation.
    #[serde(default)]
    pub least_role: Option<Role>,
    /// Overrides which scope the operation needs.
    #[serde(default)]
    pub scope: Option<ScopeKind>,
    /// For create_item: the JSON field of the response holding the new item's id.
    #[serde(default)]
    pub id_field: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyEndpoint {
    /// Path (from base_url) of a GET the key protects.
    pub path: String,
    pub key: String,
    /// The custom scheme's header name.
    #[serde(default)]
    pub header: Option<String>,
    /// The custom scheme's prefix before the key.
    #[serde(default)]
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicEndpoint {
    pub path: String,
    pub username: String,
    pub password: String,
}

impl ResourceServerProfile {
    /// Checks the section; errors are (key, message).
    pub fn validate(&self, builtin: bool) -> Result<(), (String, String)> {
        let k = |s: &str| format!("resource_server.{s}");
        for name in self.operations.keys() {
            if !OPERATIONS.iter().any(|(n, _, _)| n == name) {
                return Err((
                    k(&format!("operations.{name}")),
                    format!(
                        "unknown operation; the matrix has {}",
                        OPERATIONS.map(|o| o.0).join(", ")
                    ),
                ));
            }
        }
        for (name, op) in &self.operations {
            if reqwest::Method::from_bytes(op.method.to_ascii_uppercase().as_bytes()).is_err() {
                return Err((
                    k(&format!("operations.{name}.method")),
                    format!("{:?} is not an HTTP method", op.method),
                ));
            }
            if !op.path.starts_with('/') {
                return Err((
                    k(&format!("operations.{name}.path")),
                    "write a path from base_url, starting with /".into(),
                ));
            }
        }
        for (scheme, e) in &self.api_keys {
            if !API_KEY_SCHEMES.contains(&scheme.as_str()) {
                return Err((
                    k(&format!("api_keys.{scheme}")),
                    format!("unknown scheme; use {}", API_KEY_SCHEMES.join(", ")),
                ));
            }
            if scheme == "custom" && e.header.is_none() {
                return Err((
                    k("api_keys.custom.header"),
                    "the custom scheme needs the header name, e.g. X-Custom-Auth".into(),
                ));
            }
        }
        if !builtin && self.mock_idp_listen.is_none() {
            return Err((
                k("mock_idp_listen"),
                "set the address the runner's mock-idp listens on (e.g. 127.0.0.1:5055) and configure the resource server to trust http://<that address> and its /jwks".into(),
            ));
        }
        if let Some(l) = &self.mock_idp_listen
            && l.parse::<std::net::SocketAddr>().is_err()
        {
            return Err((
                k("mock_idp_listen"),
                format!("{l:?} is not an address like 127.0.0.1:5055"),
            ));
        }
        if !(0..=3600).contains(&self.leeway_seconds)
            || !(0..=86_400).contains(&self.jwks_cache_seconds)
        {
            return Err((
                k("leeway_seconds"),
                "leeway_seconds must be 0..=3600 and jwks_cache_seconds 0..=86400".into(),
            ));
        }
        Ok(())
    }

    /// The least role and scope `op` needs at this resource server.
    pub fn requirement(&self, op: &str) -> Option<(Role, ScopeKind)> {
        let (_, role, scope) = OPERATIONS.iter().find(|(n, _, _)| *n == op)?;
        let o = self.operations.get(op);
        Some((
            o.and_then(|o| o.least_role).unwrap_or(*role),
            o.and_then(|o| o.scope).unwrap_or(*scope),
        ))
    }

    pub fn scope(&self, kind: ScopeKind) -> &str {
        match kind {
            ScopeKind::Read => &self.scopes.read,
            ScopeKind::Write => &self.scopes.write,
            ScopeKind::Admin => &self.scopes.admin,
        }
    }

    /// Every scope of the three, space-separated.
    pub fn all_scopes(&self) -> String {
        format!(
            "{} {} {}",
            self.scopes.read, self.scopes.write, self.scopes.admin
        )
    }

    pub fn role_name(&self, role: Role) -> &str {
        match role {
            Role::Viewer => &self.role_names.viewer,
            Role::Editor => &self.role_names.editor,
            Role::Admin => &self.role_names.admin,
        }
    }

    /// The roles claim value giving `role` in `workspace`.
    pub fn roles_claim_value(&self, workspace: &str, role: Role) -> Value {
        let name = self.role_name(role);
        match self.roles_format {
            RolesFormat::Map => serde_json::json!({ workspace: name }),
            RolesFormat::List => serde_json::json!([format!("{workspace}:{name}")]),
        }
    }
}
