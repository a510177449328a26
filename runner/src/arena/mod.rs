//! What plays the world around a client under test: the recording proxy in front of mock-idp,
//! the browser shim a CLI opens URLs with, the clock file that moves a command's time, the adapter processes of the JSON-lines contract, the
//! upstream API an MCP server calls. Arena pieces record and tamper; they never judge.

pub mod adapter;
pub mod browser_shim;
pub mod clock_file;
pub mod recording_proxy;
pub mod upstream_recorder;
