//! Tampering with an authorization response on its way back to the client (RFC 6749 §4.1.2):
//! what an attacker, or a browser caught in a CSRF or mix-up attack, delivers to the redirect URI
//! instead of what the authorization server sent. The runner applies it where the response passes
//! through its hands: the browser it plays for OAuth clients and agent servers, and the recording
//! proxy in front of an MCP client's authorization server. No verdict here: only the rewriting.

/// How the authorization response (the redirect's query) is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// `state` replaced with one the client never sent (added where the response had none).
    WrongState,
    /// `state` removed.
    NoState,
    /// The code replaced by `error=access_denied` (state and iss kept).
    Error,
    /// `code` removed.
    NoCode,
    /// `iss` replaced with another server's (only where there is one).
    WrongIss,
    /// `iss` removed.
    NoIss,
    /// `iss` with a trailing slash: the same URL after normalization, not the same string.
    TrailingSlashIss,
    /// `iss` set to another server's, added where the response had none.
    ForeignIss,
}

/// The issuer a tampered `iss` names.
pub const FOREIGN_ISSUER: &str = "https://attacker.example";

/// `location` (the redirect to the client's redirect URI) as tampered by `t`; unchanged when it
/// is not a URL.
pub fn tamper(location: &str, t: Tamper) -> String {
    let Ok(mut u) = url::Url::parse(location) else {
        return location.to_string();
    };
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    let replace = |name: &str, value: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| {
                if k == name {
                    (k.clone(), value(v))
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect()
    };
    let without = |name: &str| -> Vec<(String, String)> {
        pairs.iter().filter(|(k, _)| k != name).cloned().collect()
    };
    let kept: Vec<(String, String)> = match t {
        Tamper::WrongState if pairs.iter().any(|(k, _)| k == "state") => {
            replace("state", &|_| "forged-state".into())
        }
        Tamper::WrongState => pairs
            .iter()
            .cloned()
            .chain([("state".to_string(), "forged-state".to_string())])
            .collect(),
        Tamper::NoState => without("state"),
        Tamper::NoCode => without("code"),
        Tamper::WrongIss => replace("iss", &|_| FOREIGN_ISSUER.into()),
        Tamper::NoIss => without("iss"),
        Tamper::TrailingSlashIss => replace("iss", &|v| format!("{v}/")),
        Tamper::ForeignIss => without("iss")
            .into_iter()
            .chain([("iss".to_string(), FOREIGN_ISSUER.to_string())])
            .collect(),
        Tamper::Error => pairs
            .iter()
            .filter(|(k, _)| k == "state" || k == "iss")
            .cloned()
            .chain([("error".to_string(), "access_denied".to_string())])
            .collect(),
    };
    u.query_pairs_mut().clear().extend_pairs(kept);
    u.to_string()
}

/// Whether `location` is an authorization response: a redirect carrying `code` or `error`.
pub fn is_authorization_response(location: &str) -> bool {
    url::Url::parse(location)
        .is_ok_and(|u| u.query_pairs().any(|(k, _)| k == "code" || k == "error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACK: &str = "http://127.0.0.1:9/cb?code=c1&state=s1&iss=https%3A%2F%2Fas.example";

    fn query(u: &str) -> Vec<(String, String)> {
        url::Url::parse(u)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.into(), v.into())
    }

    #[test]
    fn each_tamper_changes_only_its_parameter() {
        assert_eq!(
            query(&tamper(BACK, Tamper::WrongState)),
            [
                pair("code", "c1"),
                pair("state", "forged-state"),
                pair("iss", "https://as.example")
            ]
        );
        assert_eq!(
            query(&tamper(BACK, Tamper::NoState)),
            [pair("code", "c1"), pair("iss", "https://as.example")]
        );
        assert_eq!(
            query(&tamper(BACK, Tamper::NoCode)),
            [pair("state", "s1"), pair("iss", "https://as.example")]
        );
        assert_eq!(
            query(&tamper(BACK, Tamper::TrailingSlashIss))[2],
            pair("iss", "https://as.example/")
        );
        assert_eq!(
            query(&tamper(BACK, Tamper::Error)),
            [
                pair("state", "s1"),
                pair("iss", "https://as.example"),
                pair("error", "access_denied")
            ]
        );
    }

    #[test]
    fn a_foreign_iss_or_a_forged_state_is_added_where_there_was_none() {
        let none = "http://127.0.0.1:9/cb?code=c1&state=s1";
        assert_eq!(
            query(&tamper(none, Tamper::WrongIss)).len(),
            2,
            "WrongIss only replaces"
        );
        assert_eq!(
            query(&tamper(none, Tamper::ForeignIss))[2],
            pair("iss", FOREIGN_ISSUER)
        );
    }

    #[test]
    fn only_redirects_with_a_code_or_an_error_are_authorization_responses() {
        assert!(is_authorization_response(BACK));
        assert!(is_authorization_response(
            "http://x/cb?error=access_denied&state=s"
        ));
        assert!(!is_authorization_response(
            "http://as/login?next=%2Fauthorize"
        ));
        assert!(!is_authorization_response("/relative?code=1"));
    }
}
