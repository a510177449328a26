//! `@client`: an OAuth client or auth provider under test, driven through the JSON-lines
//! adapter contract with the runner as its browser and mock-idp as its authorization server.

pub(crate) mod checks;
pub(crate) mod flow;
mod steps;
