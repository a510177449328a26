//! authconform: conformance scenarios for OAuth 2.x, OpenID Connect and MCP authorization.
//!
//! [`run`] drives the Gherkin scenarios under `scenarios/` against a target (the embedded
//! mock-idp by default) and writes the reports; [`engine::mutate`] proves every scenario can
//! fail by running the suite once per fault of the built-in components (mock-idp and the
//! reference implementations of the `reference` crate). The `authconform` binary is a thin CLI
//! over these.
//!
//! Arrows point one way: engine → roles → arena → world → {check, target, http, report}.

pub mod arena;
pub mod check;
pub mod engine;
pub mod error;
pub mod http;
pub mod report;
mod roles;
pub mod target;
pub mod world;

pub use engine::run::{RunOptions, RunSummary, run, scenarios_dir};
pub use error::RunError;
