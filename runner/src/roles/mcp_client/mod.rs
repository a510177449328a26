//! `@mcp-client`: an MCP client under test, run on the MCP conformance command contract against
//! a fresh mock-idp behind the recording proxy; judged from what it sent.

pub(crate) mod backcompat;
pub(crate) mod callback_checks;
pub(crate) mod checks;
pub(crate) mod client_auth_checks;
mod client_credentials;
pub(crate) mod client_credentials_checks;
pub(crate) mod dpop;
pub(crate) mod flow;
pub(crate) mod offline_access;
mod steps;
pub(crate) mod workload;
