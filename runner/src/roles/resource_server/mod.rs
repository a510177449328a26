//! `@rs`: a resource server under test. The runner mints tokens from its mock-idp (valid and
//! deliberately broken), calls the API as each role of the matrix, and judges the answers.

pub(crate) mod checks;
pub(crate) mod flow;
mod steps;
