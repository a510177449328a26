//! What the reference resource server (`crate::rs`) remembers between requests: each
//! workspace's items and members, the next item id, and its JWKS copy. Also the workspace
//! [`Role`], the vocabulary of membership, which the token validation reads from a claim.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::ResourceServerConfig;
use crate::store::jwks_cache::JwksCache;

/// A workspace role; each includes the ones before it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

    /// A role name, in any case.
    pub fn parse(s: &str) -> Option<Role> {
        match s.to_ascii_lowercase().as_str() {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// One workspace's data.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// Item id → title.
    pub items: BTreeMap<String, String>,
    /// Members added through the API: username → role.
    pub members: BTreeMap<String, Role>,
}

/// What the resource server remembers between requests.
#[derive(Debug, Default)]
pub struct RsState {
    pub workspaces: Mutex<BTreeMap<String, Workspace>>,
    next_item: AtomicU64,
    pub jwks: JwksCache,
}

impl RsState {
    pub fn new(config: &ResourceServerConfig) -> Self {
        let s = Self::default();
        s.reset(config);
        s
    }

    /// Back to the configured workspaces and items, with an empty JWKS cache.
    pub fn reset(&self, config: &ResourceServerConfig) {
        let fresh = config
            .workspaces
            .iter()
            .map(|w| {
                let items = w
                    .items
                    .iter()
                    .map(|i| (i.id.clone(), i.title.clone()))
                    .collect();
                (
                    w.id.clone(),
                    Workspace {
                        items,
                        members: BTreeMap::new(),
                    },
                )
            })
            .collect();
        *self.workspaces.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
        self.next_item.store(0, Ordering::Relaxed);
        self.jwks.clear();
    }

    /// A new item id, `new-1`, `new-2`, ... (deterministic for transcripts).
    pub fn next_item_id(&self) -> String {
        let n = self.next_item.fetch_add(1, Ordering::Relaxed) + 1;
        format!("new-{n}")
    }
}
