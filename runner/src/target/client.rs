//! The `client:` section of a target profile: an OAuth client or auth provider under test, driven
//! through the JSON-lines adapter contract (docs/adapters.md) against a fresh mock-idp per
//! scenario, the runner playing the browser. `reference: true` is the built-in reference client.
//! The `agent:` section (a multi-user agent server, `@agent`) has the same shape.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientProfile {
    /// The adapter's command line; relative paths are resolved against the profile's folder.
    #[serde(default)]
    pub command: Vec<String>,
    /// The built-in reference OAuth client, in-process (its faults are the mutation test's).
    #[serde(default)]
    pub reference: bool,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// How long one answer may take before the verdict is `hung` (default 30).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// The redirect URI the provider uses (registered for it at the mock).
    #[serde(default = "default_redirect")]
    pub redirect_uri: String,
}

fn default_timeout() -> u64 {
    30
}
fn default_redirect() -> String {
    "http://localhost:8000/auth/redirect".into()
}

impl ClientProfile {
    pub fn validate(&self) -> Result<(), (String, String)> {
        self.validate_as("client")
    }

    /// Validation naming the keys of `section` (`client`, `agent`: the same shape).
    pub fn validate_as(&self, section: &str) -> Result<(), (String, String)> {
        validate_driven(
            section,
            self.reference,
            &self.command,
            "give the adapter's command line (docs/adapters.md)",
            self.timeout_seconds,
            &self.redirect_uri,
        )
    }
}

/// The checks every section describing a driven client shares (`client:`, `mcp_client:`): a
/// command or the reference, a time limit, a redirect URI; errors name `section`'s keys.
pub(crate) fn validate_driven(
    section: &str,
    reference: bool,
    command: &[String],
    command_hint: &str,
    timeout_seconds: u64,
    redirect_uri: &str,
) -> Result<(), (String, String)> {
    if reference != command.is_empty() {
        return Err((
            format!("{section}.command"),
            format!(
                "{command_hint} or `reference: true` for the built-in reference client, not both"
            ),
        ));
    }
    if timeout_seconds == 0 || timeout_seconds > 600 {
        return Err((
            format!("{section}.timeout_seconds"),
            "between 1 and 600: how long it may take before it counts as hung".into(),
        ));
    }
    url::Url::parse(redirect_uri).map_err(|e| {
        (
            format!("{section}.redirect_uri"),
            format!("not a URL ({e}); the redirect URI the client sends"),
        )
    })?;
    Ok(())
}
