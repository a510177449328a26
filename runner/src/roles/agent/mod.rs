//! `@agent`: a multi-user agent server under test, on the agent side of the adapter contract:
//! users connect with identities, call tools, answer consent; judged by whose tokens reached the API.

pub(crate) mod checks;
pub(crate) mod flow;
mod steps;
