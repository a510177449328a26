//! THE list of parameter and field names whose values are credentials: mock-idp's journal and
//! the runner's reports both redact them (the runner also replaces its own list of volatile,
//! non-secret values, such as `state`, for byte-identical transcripts).

/// Form, query and JSON names whose values are secrets or bearer credentials.
pub const SECRET_NAMES: &[&str] = &[
    "code",
    "code_verifier",
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "device_code",
    "password",
    "client_assertion",
    "assertion",
    "admin_token",
    "registration_access_token",
];

/// Whether a parameter or field of this name carries a secret.
pub fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.contains(&name)
}
