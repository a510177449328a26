//! The reference resource server: a workspace API whose access depends on workspace roles in a
//! token claim and on scopes (`/api/workspaces/...`), endpoints protected by API keys in four
//! schemes (`/api/keyed/{name}`) and an HTTP Basic endpoint (`/api/basic`). It validates bearer
//! tokens as an independent resource server would: from a cached JWKS, with a small leeway, and
//! answers per RFC 6750. Its deviations are the `rs-*` faults.
//!
//! This module owns the routes and the server's own state (items, members, the JWKS cache);
//! `token` validates bearer tokens, `workspaces` and `api_keys` serve the endpoints.

mod api_keys;
mod jwks_cache;
pub mod token;
mod workspaces;

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::Router;
use axum::routing::get;

use crate::config::ResourceServerConfig;
use crate::state::AppState;

pub use jwks_cache::JwksCache;
pub use token::{Principal, Role};

/// The routes of the reference resource server.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/workspaces", get(workspaces::list_workspaces))
        .route(
            "/api/workspaces/{ws}/items",
            get(workspaces::list_items).post(workspaces::create_item),
        )
        .route(
            "/api/workspaces/{ws}/items/{item}",
            get(workspaces::read_item)
                .put(workspaces::update_item)
                .delete(workspaces::delete_item),
        )
        .route(
            "/api/workspaces/{ws}/members",
            get(workspaces::list_members),
        )
        .route(
            "/api/workspaces/{ws}/members/{user}",
            axum::routing::put(workspaces::manage_member),
        )
        .route("/api/keyed/{name}", get(api_keys::keyed))
        .route("/api/basic", get(api_keys::basic))
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
    next_item: std::sync::atomic::AtomicU64,
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
        self.next_item
            .store(0, std::sync::atomic::Ordering::Relaxed);
        self.jwks.clear();
    }

    /// A new item id, `new-1`, `new-2`, ... (deterministic for transcripts).
    pub fn next_item_id(&self) -> String {
        let n = self
            .next_item
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        format!("new-{n}")
    }
}
