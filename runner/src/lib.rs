//! authconform: conformance scenarios for OAuth 2.x, OpenID Connect and MCP authorization.
//!
//! [`run`] drives the Gherkin scenarios under `scenarios/` against a target (the embedded
//! mock-idp by default) and writes the reports; [`mutate`] proves every scenario can fail by
//! running the suite once per fault of the built-in components (mock-idp, the
//! reference MCP client [`mcp_client`]). The `authconform` binary is a thin CLI over these.

pub mod adapter;
pub mod agent;
pub mod baseline;
pub mod browser_shim;
pub mod catalog;
pub mod checks;
pub mod context;
pub mod error;
mod html_form;
pub mod launch;
pub mod mutate;
pub mod recording_proxy;
pub mod redact;
pub mod report;
pub mod run;
mod steps;
pub mod target;
pub mod target_client;
pub mod target_mcp;
pub mod target_mcp_client;
pub mod target_rs;
pub mod upstream_recorder;
pub mod variants;
pub mod world;
pub mod world_agent;
pub mod world_client;
pub mod world_mcp;
pub mod world_mcp_client;
pub mod world_rs;

pub use error::RunError;
pub use run_target::{RunOptions, RunSummary, run, scenarios_dir};

mod run_target;
