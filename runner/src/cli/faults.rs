//! `authconform faults`: every fault of the built-in components (mock-idp, the reference MCP and
//! OAuth clients, the reference agent server), one line each: name, role, what it breaks. The
//! table is the library's ([`authconform::engine::mutate::Mutation::all`]).

use authconform::engine::mutate::Mutation;

use super::{CliError, Verdict};

/// Prints the fault table.
pub fn exec() -> Result<Verdict, CliError> {
    for m in Mutation::all() {
        println!("{:<44} {:<11} {}", m.name(), m.role(), m.description());
    }
    Ok(Verdict::Passed)
}
