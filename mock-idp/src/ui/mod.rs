//! The demo web UI (design.md, "A demo IdP"): a home page to sign in or sign up by username (as
//! the Authlib demo server does), the signed-in user's clients and a form to create one (its id
//! and secret shown once), and a debugger that lists the journal with every refusal explained,
//! a redirect_uri mismatch shown side by side. Server-rendered with the layout of `pages`, no
//! external assets, readable without CSS; forms carry a CSRF token bound to the session.

mod clients;
mod debugger;
mod home;
mod nav;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use debugger::mark_difference;

/// The UI's routes (at the root: `/`, `/login`, `/logout`, `/clients`, `/clients/new`,
/// `/debugger`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", post(home::login))
        .route("/logout", post(home::logout))
        .route("/clients", post(clients::create))
        .route("/clients/new", get(clients::form))
        .route("/debugger", get(debugger::debugger))
}
