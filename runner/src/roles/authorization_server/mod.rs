//! `@as`: an authorization server under test. The runner plays client, user and browser: it
//! sends authorization requests, plays the target's login and consent pages, redeems codes,
//! refreshes, registers, revokes and introspects, and judges each answer.

pub(crate) mod assertion_checks;
pub(crate) mod checks;
pub(crate) mod client_assertion;
pub(crate) mod delivery;
pub(crate) mod dpop;
pub(crate) mod dpop_checks;
pub(crate) mod flow;
pub(crate) mod id_jag;
pub(crate) mod id_jag_checks;
mod pages;
mod steps;
pub(crate) mod variants;
