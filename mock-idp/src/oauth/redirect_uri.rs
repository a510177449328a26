//! redirect_uri matching (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3): exact string comparison, plus the
//! RFC 8252 §7.3 loopback rule (any port for `127.0.0.1` and `[::1]`) where the client enables
//! it. Comparison is on strings, never on parsed and normalized URLs, so `/a/../b`, case changes
//! or percent-encoding tricks cannot match a registered URI.

use crate::config::ClientConfig;
use crate::faults::{Fault, FaultSet};

/// How a received redirect_uri was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Exact,
    /// RFC 8252 §7.3: a loopback redirect with a port the registration did not name.
    LoopbackPort,
    /// Only the client's single registered URI exists and the request named none.
    Defaulted,
    /// A fault let it through.
    Fault(Fault),
}

/// Why a redirect_uri was refused; the authorization endpoint must not redirect to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub registered: Vec<String>,
    pub received: Option<String>,
    pub reason: String,
}

/// Decides where an authorization response for `client` may go.
pub fn check(
    client: &ClientConfig,
    received: Option<&str>,
    faults: &FaultSet,
) -> Result<(String, Match), Mismatch> {
    let mismatch = |reason: String| Mismatch {
        registered: client.redirect_uris.clone(),
        received: received.map(str::to_string),
        reason,
    };
    let Some(received) = received else {
        return match client.redirect_uris.as_slice() {
            [only] => Ok((only.clone(), Match::Defaulted)),
            [] => Err(mismatch("the client has no registered redirect URI".into())),
            _ => Err(mismatch(
                "redirect_uri is required: the client registered several (RFC 6749 §3.1.2.3)"
                    .into(),
            )),
        };
    };
    if client.redirect_uris.iter().any(|r| r == received) {
        return Ok((received.to_string(), Match::Exact));
    }
    if client.loopback_any_port
        && client
            .redirect_uris
            .iter()
            .any(|r| loopback_equal_but_port(r, received))
    {
        return Ok((received.to_string(), Match::LoopbackPort));
    }
    if faults.has(Fault::AcceptAnyRedirectUri) && url::Url::parse(received).is_ok() {
        return Ok((
            received.to_string(),
            Match::Fault(Fault::AcceptAnyRedirectUri),
        ));
    }
    if faults.has(Fault::NormalizeRedirectUri)
        && let Some(n) = normalized(received)
        && client
            .redirect_uris
            .iter()
            .any(|r| normalized(r).as_deref() == Some(n.as_str()))
    {
        return Ok((
            received.to_string(),
            Match::Fault(Fault::NormalizeRedirectUri),
        ));
    }
    if faults.has(Fault::PrefixMatchRedirectUri)
        && client
            .redirect_uris
            .iter()
            .any(|r| received.starts_with(r.as_str()))
    {
        return Ok((
            received.to_string(),
            Match::Fault(Fault::PrefixMatchRedirectUri),
        ));
    }
    Err(mismatch(describe_difference(
        &client.redirect_uris,
        received,
    )))
}

/// What a normalizing matcher compares (the fault `normalize-redirect-uri`): the URL as the
/// `url` crate serializes it (scheme and host lower case, default port dropped, dot segments
/// resolved), percent-encoded letters and digits decoded, lower case, no trailing slash.
fn normalized(uri: &str) -> Option<String> {
    let parsed = url::Url::parse(uri).ok()?.to_string();
    let mut out = String::with_capacity(parsed.len());
    let bytes = parsed.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| u8::from_str_radix(&parsed[i + 1..i + 3], 16).ok())
            .flatten()
            .filter(u8::is_ascii_alphanumeric);
        match decoded {
            Some(b) => {
                out.push(b as char);
                i += 3;
            }
            None => {
                out.push(bytes[i] as char);
                i += 1;
            }
        }
    }
    Some(out.to_ascii_lowercase().trim_end_matches('/').to_string())
}

/// `(scheme-and-host, port, rest)` of an `http://127.0.0.1[:port]/...` or `http://[::1][:port]/...`.
fn split_loopback(uri: &str) -> Option<(&'static str, Option<&str>, &str)> {
    for host in ["http://127.0.0.1", "http://[::1]"] {
        if let Some(after) = uri.strip_prefix(host) {
            let (port, rest) = match after.strip_prefix(':') {
                Some(p) => {
                    let end = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
                    if end == 0 {
                        return None;
                    }
                    (Some(&p[..end]), &p[end..])
                }
                None => (None, after),
            };
            if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
                return None;
            }
            let host: &'static str = if host.contains("127") {
                "http://127.0.0.1"
            } else {
                "http://[::1]"
            };
            return Some((host, port, rest));
        }
    }
    None
}

fn loopback_equal_but_port(registered: &str, received: &str) -> bool {
    match (split_loopback(registered), split_loopback(received)) {
        (Some((h1, _, rest1)), Some((h2, _, rest2))) => {
            let norm = |r: &str| {
                if r.is_empty() {
                    "/".to_string()
                } else {
                    r.to_string()
                }
            };
            h1 == h2 && norm(rest1) == norm(rest2)
        }
        _ => false,
    }
}

/// Says in words how `received` differs from the closest registered URI.
pub fn describe_difference(registered: &[String], received: &str) -> String {
    let Some(closest) = registered.iter().max_by_key(|r| common_prefix(r, received)) else {
        return "the client has no registered redirect URI".into();
    };
    let at = common_prefix(closest, received);
    if received.len() > closest.len() && at == closest.len() {
        format!(
            "{received:?} extends the registered {closest:?} with {:?}; matching is exact",
            &received[at..]
        )
    } else if closest.eq_ignore_ascii_case(received) {
        format!(
            "{received:?} differs from the registered {closest:?} only in letter case; matching is exact"
        )
    } else {
        format!(
            "{received:?} is not registered; closest is {closest:?}, which differs from character {}",
            at + 1
        )
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(uris: &[&str], loopback: bool) -> ClientConfig {
        let yaml =
            format!("client_id: c\nredirect_uris: {uris:?}\nloopback_any_port: {loopback}\n");
        yaml_serde::from_str(&yaml).unwrap()
    }

    fn ok(c: &ClientConfig, uri: &str) -> bool {
        check(c, Some(uri), &FaultSet::default()).is_ok()
    }

    #[test]
    fn hostile_variants_of_a_registered_uri_are_refused() {
        let c = client(&["https://app.example.com/cb"], false);
        assert!(ok(&c, "https://app.example.com/cb"));
        for bad in [
            "https://app.example.com/cb/",
            "https://app.example.com/cb?x=1",
            "https://app.example.com/cb#frag",
            "https://app.example.com/CB",
            "https://APP.example.com/cb",
            "https://app.example.com/cbx",
            "https://app.example.com/cb/../cb",
            "https://app.example.com/cb%2F..%2Fevil",
            "https://app.example.com@evil.example/cb",
            "https://evil.example/https://app.example.com/cb",
            "https://app.example.com.evil.example/cb",
            "http://app.example.com/cb",
            "https://app.example.com:443/cb",
        ] {
            assert!(!ok(&c, bad), "{bad} must not match");
        }
    }

    #[test]
    fn loopback_rule_allows_any_port_but_the_same_path() {
        let c = client(
            &["http://127.0.0.1/callback", "http://[::1]/callback"],
            true,
        );
        assert!(ok(&c, "http://127.0.0.1:53412/callback"));
        assert!(ok(&c, "http://[::1]:8080/callback"));
        assert!(!ok(&c, "http://127.0.0.1:53412/callback/evil"));
        assert!(!ok(&c, "http://127.0.0.1:53412/Callback"));
        assert!(!ok(&c, "http://localhost:53412/callback"));
        assert!(!ok(&c, "http://127.0.0.1.evil.example:80/callback"));
        assert!(!ok(&c, "http://127.0.0.1:80@evil.example/callback"));
        let strict = client(&["http://127.0.0.1/callback"], false);
        assert!(!ok(&strict, "http://127.0.0.1:53412/callback"));
    }

    #[test]
    fn missing_redirect_uri_defaults_only_to_a_single_registration() {
        let one = client(&["https://a.example/cb"], false);
        assert_eq!(
            check(&one, None, &FaultSet::default()).unwrap().1,
            Match::Defaulted
        );
        let two = client(&["https://a.example/cb", "https://b.example/cb"], false);
        assert!(check(&two, None, &FaultSet::default()).is_err());
    }

    #[test]
    fn faults_bend_matching() {
        let c = client(&["https://app.example.com/cb"], false);
        let prefix = FaultSet::with(&[Fault::PrefixMatchRedirectUri]);
        assert!(check(&c, Some("https://app.example.com/cb.evil"), &prefix).is_ok());
        assert!(check(&c, Some("https://evil.example/cb"), &prefix).is_err());
        let any = FaultSet::with(&[Fault::AcceptAnyRedirectUri]);
        assert!(check(&c, Some("https://evil.example/cb"), &any).is_ok());
        let normalize = FaultSet::with(&[Fault::NormalizeRedirectUri]);
        for same_after_normalizing in [
            "https://APP.example.com/cb",
            "https://app.example.com:443/cb",
            "https://app.example.com/x/../cb",
            "https://app.example.com/%63b",
            "https://app.example.com/cb/",
        ] {
            let (to, _) = check(&c, Some(same_after_normalizing), &normalize).unwrap();
            assert_eq!(to, same_after_normalizing, "redirects to the URI as sent");
            assert!(check(&c, Some(same_after_normalizing), &FaultSet::default()).is_err());
        }
        assert!(
            check(
                &c,
                Some("https://app.example.com@evil.example/cb"),
                &normalize
            )
            .is_err()
        );
    }

    #[test]
    fn difference_is_described() {
        let d = describe_difference(
            &["http://localhost:8000/auth/redirect".into()],
            "http://localhost:8000/auth/redirect/x",
        );
        assert!(d.contains("extends"), "{d}");
    }
}
