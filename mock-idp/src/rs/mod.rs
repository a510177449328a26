//! The reference resource server: a workspace API whose access depends on workspace roles in a
//! token claim and on scopes (`/api/workspaces/...`), endpoints protected by API keys in four
//! schemes (`/api/keyed/{name}`) and an HTTP Basic endpoint (`/api/basic`). It validates bearer
//! tokens as an independent resource server would: from a cached JWKS, with a small leeway, and
//! answers per RFC 6750. Its deviations are the `rs-*` faults.
//!
//! This module owns the routes; what the server remembers (items, members, the JWKS copy) is in
//! `crate::store::resource_server`. `token` validates bearer tokens, `jwks_cache` decides when
//! the JWKS copy is fetched, `workspaces` and `api_keys` serve the endpoints.

mod api_keys;
mod jwks_cache;
pub mod token;
mod workspaces;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

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
