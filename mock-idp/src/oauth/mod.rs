//! The authorization server and OpenID provider: one set of routes per issuer (the root issuer
//! and each path issuer), on the Authlib demo's paths.

pub mod authorize;
mod authorize_pages;
pub mod client_assertion;
pub mod client_auth;
mod device;
pub mod discovery;
pub mod id_jag;
mod introspect;
pub mod issue;
pub mod pkce;
pub mod redirect_uri;
mod register;
mod revoke;
pub mod scope;
mod token;
mod token_client_credentials;
mod token_code;
mod token_device;
pub mod token_exchange;
pub mod token_jwt_bearer;
mod token_refresh;
mod token_request;
mod userinfo;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// The URL of `issuer`'s token endpoint, as DPoP proofs (`htu`) and client assertions (`aud`)
/// name it: the default path `/token` when the server plays MCP 2025-03-26 without metadata.
pub fn token_endpoint(s: &AppState, issuer: &str) -> String {
    if s.config.mcp.discovery.has_server_metadata() {
        format!("{issuer}/oauth/token")
    } else {
        format!("{issuer}/token")
    }
}

/// MCP 2025-03-26's default endpoint paths (Fallbacks for Servers without Metadata Discovery),
/// served at the root beside the usual ones when `mcp.discovery` plays such a server.
pub fn default_endpoint_routes() -> Router<AppState> {
    Router::new()
        .route("/authorize", get(authorize::get).post(authorize::post))
        .route("/token", post(token::post))
        .route("/register", post(register::register))
}

/// The routes of one issuer, relative to the issuer URL. The RFC 8414 well-known URL is not here:
/// for path issuers it is inserted before the path, so `app` mounts it at the root.
pub fn issuer_routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery::serve))
        .route(
            "/oauth/authorize",
            get(authorize::get).post(authorize::post),
        )
        .route("/oauth/token", post(token::post))
        .route("/oauth/register", post(register::register))
        .route("/oauth/revoke", post(revoke::revoke))
        .route("/oauth/introspect", post(introspect::introspect))
        .route("/oauth/device_authorization", post(device::authorization))
        .route("/device", get(device::page_get).post(device::page_post))
        .route(
            "/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .route("/jwks", get(discovery::jwks))
}
