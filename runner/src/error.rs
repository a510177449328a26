//! The runner's errors and their exit codes (design.md): 0 all passed, 1 a check failed (or a
//! stale expected failure), 2 a setup error (bad target profile, bad options, the implementation
//! under test did not start).

/// Why `authconform` could not produce a verdict.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("target profile: {0}")]
    Profile(#[from] crate::target::ProfileError),
    #[error(transparent)]
    Tags(#[from] crate::engine::driver::BadTags),
    #[error("scenarios: {0}")]
    Scenarios(String),
    #[error("the implementation under test did not start: {0}")]
    Launch(String),
    #[error("the built-in mock-idp configuration: {0}")]
    MockConfig(String),
    #[error("writing reports to {dir}: {source}")]
    Reports { dir: String, source: std::io::Error },
    #[error("{0}")]
    Usage(String),
}

impl RunError {
    /// Every setup error exits with 2.
    pub fn exit_code(&self) -> u8 {
        2
    }
}
