//! What plays the world around a client under test: the recording proxy in front of mock-idp,
//! the browser shim a CLI opens URLs with, the adapter processes of the JSON-lines contract, the
//! upstream API an MCP server calls. Arena pieces record and tamper; they never judge.

pub mod adapter;
pub mod browser_shim;
pub mod recording_proxy;
pub mod upstream_recorder;
