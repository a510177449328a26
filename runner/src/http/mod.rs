//! The runner's HTTP side: the user agent every scenario sends through (it records the
//! transcript), the HTML forms it fills, and the redaction every recorded byte passes.

pub(crate) mod dpop_proof;
pub(crate) mod html_form;
pub mod redact;
pub mod user_agent;
