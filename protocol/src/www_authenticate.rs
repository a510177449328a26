//! Reading `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3).

/// The value of auth-param `name` in a challenge, in quoted-string or token form; names match
/// case-insensitively.
pub fn param(challenge: &str, name: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(&name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = at == 0 || matches!(lower.as_bytes()[at - 1], b' ' | b',' | b'\t');
        let rest = challenge[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        return Some(match rest.strip_prefix('"') {
            Some(q) => q.split('"').next().unwrap_or("").to_string(),
            None => rest.split([',', ' ']).next().unwrap_or("").to_string(),
        });
    }
    None
}

/// Whether one of the challenges uses the Bearer scheme (scheme names are case-insensitive).
pub fn is_bearer(challenges: &str) -> bool {
    challenges
        .split(',')
        .any(|part| part.trim_start().to_ascii_lowercase().starts_with("bearer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_parameters_quoted_or_not() {
        let c = r#"Bearer realm="x", error=invalid_token, scope="a b", resource_metadata="https://rs/.well-known/oauth-protected-resource""#;
        assert_eq!(param(c, "error").as_deref(), Some("invalid_token"));
        assert_eq!(param(c, "scope").as_deref(), Some("a b"));
        assert_eq!(
            param(c, "resource_metadata").as_deref(),
            Some("https://rs/.well-known/oauth-protected-resource")
        );
        assert_eq!(param(c, "ERROR").as_deref(), Some("invalid_token"));
        assert!(param(c, "nonce").is_none());
        assert_eq!(param(r#"Bearer realm="x""#, "error"), None);
        assert_eq!(
            param(r#"Bearer realm="x", error_description="y""#, "error"),
            None
        );
    }

    #[test]
    fn a_name_inside_another_is_not_taken() {
        assert_eq!(
            param(r#"Bearer xerror="no", error="yes""#, "error").as_deref(),
            Some("yes")
        );
    }

    #[test]
    fn bearer_scheme_any_case() {
        assert!(is_bearer("bEaReR realm=x"));
        assert!(is_bearer(r#"Basic realm="a", Bearer"#));
        assert!(!is_bearer("Basic realm=x"));
    }
}
