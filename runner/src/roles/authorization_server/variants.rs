//! Hostile variants of a registered redirect URI (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3): each one
//! is something an attacker can get a victim's browser to send, and none may be accepted by an
//! authorization server that matches exactly.

/// Every variant name; a test holds the scenario outline to exactly these.
#[cfg(test)]
const NAMES: &[&str] = &[
    "unregistered",
    "prefix-extended",
    "substring-embedded",
    "case-changed",
    "trailing-slash",
    "extra-query",
    "fragment",
    "userinfo-trick",
    "encoded-traversal",
    "dot-segment",
    "suffix-host",
    "default-port",
    "percent-encoded",
];

/// The variant `name` of `registered`, or `None` for an unknown name.
pub fn derive(name: &str, registered: &str) -> Option<String> {
    let url = url::Url::parse(registered).ok()?;
    let host = url.host_str()?.to_string();
    let scheme = url.scheme();
    let after_host = registered
        .split_once(&host)
        .map(|(_, rest)| rest)
        .unwrap_or("");
    Some(match name {
        "unregistered" => "https://attacker.example/cb".to_string(),
        "prefix-extended" => format!("{registered}/../attacker"),
        "substring-embedded" => format!("https://attacker.example/?{registered}"),
        "case-changed" => {
            let upper = registered.replacen(&host, &host.to_ascii_uppercase(), 1);
            if upper == registered {
                format!("{}X", registered)
            } else {
                upper
            }
        }
        "trailing-slash" => format!("{registered}/"),
        "extra-query" => format!(
            "{registered}{}next=https://attacker.example",
            if registered.contains('?') { '&' } else { '?' }
        ),
        "fragment" => format!("{registered}#attacker"),
        "userinfo-trick" => format!("{scheme}://{host}@attacker.example{after_host}"),
        "encoded-traversal" => format!("{registered}%2F..%2F..%2Fattacker"),
        "dot-segment" => format!("{scheme}://{host}{}/attacker/..{}", port(&url), url.path()),
        "suffix-host" => format!("{scheme}://{host}.attacker.example{after_host}"),
        // The same resource after a normalizing comparison, not the same string: the port
        // spelled out (or changed, when one is given) and a path letter percent-encoded.
        "default-port" => {
            let spelled = match (url.port(), scheme) {
                (Some(p), _) => format!(":{}", p + 1),
                (None, "http") => ":80".to_string(),
                (None, _) => ":443".to_string(),
            };
            format!("{scheme}://{host}{spelled}{}", url.path())
        }
        "percent-encoded" => {
            let path = url.path();
            let encoded = match path.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
                Some((i, c)) => format!("{}%{:02X}{}", &path[..i], c as u8, &path[i + 1..]),
                None => format!("{path}%41"),
            };
            format!("{scheme}://{host}{}{encoded}", port(&url))
        }
        _ => return None,
    })
}

fn port(url: &url::Url) -> String {
    url.port().map(|p| format!(":{p}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_differs_from_the_registered_uri() {
        let reg = "https://client.example/cb";
        for name in NAMES {
            let v = derive(name, reg).unwrap();
            assert_ne!(v, reg, "{name}");
        }
        assert_eq!(
            derive("userinfo-trick", reg).unwrap(),
            "https://client.example@attacker.example/cb"
        );
        assert_eq!(
            derive("dot-segment", reg).unwrap(),
            "https://client.example/attacker/../cb"
        );
    }

    #[test]
    fn the_scenario_outline_lists_every_variant() {
        let feature =
            include_str!("../../../../scenarios/authorization-server/redirect-uri.feature");
        let listed: Vec<&str> = feature
            .lines()
            .skip_while(|l| !l.contains("| variant "))
            .skip(1)
            .map_while(|l| l.trim().strip_prefix('|'))
            .map(|l| l.trim_end_matches('|').trim())
            .collect();
        assert_eq!(listed, NAMES);
    }
}
