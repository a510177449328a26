//! mock-idp: a strict, observable, deliberately breakable OAuth 2.1 / OpenID Connect
//! authorization server, with the resource endpoints tests need.
//!
//! Embed it in a test with [`MockIdp::start`] (port 0), or build the router yourself with
//! [`app`] over an [`AppState`]. Every time decision reads the one [`clock::Clock`]; every
//! decision lands in the one [`journal::Journal`]; every deliberate deviation is a
//! [`faults::Fault`].

pub mod admin;
mod api_me;
pub mod bearer;
pub mod clock;
pub mod config;
pub mod dpop;
pub mod error;
pub mod faults;
pub mod grants;
pub mod journal;
pub mod jwt;
pub mod keys;
pub mod mcp;
pub mod mint;
pub mod oauth;
pub mod pages;
pub mod params;
pub mod public_jwk;
pub mod registry;
pub mod request_id;
pub mod rs;
pub mod server;
pub mod session;
pub mod state;
pub mod store;
pub mod tls;
pub mod ui;

pub use config::Config;
pub use faults::Fault;
pub use server::{MockIdp, StartError, StartOptions, app};
pub use state::AppState;
