//! What an evaluator answers: a pass with what it saw, or why not (failed, hung, or not
//! judgeable here and so skipped), and the `skip!` that stops a whole scenario as skipped.

/// Why a check did not pass.
#[derive(Debug)]
pub enum Failure {
    /// The target did something the check forbids (a failure or a warning, by severity).
    Failed(String),
    /// The target did not answer in time.
    Hung(String),
    /// The check cannot be judged against this target.
    Skipped(String),
}

/// An evaluator's verdict: `Ok` with a short account of what passed.
pub type Outcome = Result<String, Failure>;

/// A failed outcome with `msg`.
pub fn fail<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Failed(msg.into()))
}

/// Prefix of a panic message that skips (rather than fails) a scenario.
pub const SKIP: &str = "authconform-skip: ";

/// Stops the scenario as skipped, with the reason.
macro_rules! skip {
    ($($arg:tt)*) => { panic!("{}{}", $crate::check::outcome::SKIP, format!($($arg)*)) };
}
pub(crate) use skip;
