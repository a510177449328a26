//! What a check step can assert about how an MCP client authenticates at the token endpoint:
//! as the client it registered (the registration response's `client_id`, `client_secret` and
//! `token_endpoint_auth_method`, RFC 7591 §3.2.1; or the pre-registered client of the scenario's
//! context), with the registered method, on every token request or on every refresh.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// The client as registered: what every token request must authenticate as.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Registered {
    id: String,
    secret: Option<String>,
    method: String,
}

/// How one token request authenticated: its method, client id and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Presented {
    method: &'static str,
    id: Option<String>,
    secret: Option<String>,
}

/// The registration the client got: the last successful dynamic registration's answer, else the
/// pre-registered client of the scenario's context (registered for `client_secret_basic`).
fn registered(w: &AuthWorld, seen: &[Seen]) -> Option<Registered> {
    let answer = seen
        .iter()
        .rev()
        .filter(|s| s.is_registration_request())
        .filter(|s| (200..300).contains(&s.status))
        .find_map(|s| serde_json::from_str::<Value>(&s.response_body).ok());
    if let Some(doc) = answer {
        let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        return Some(Registered {
            id: text("client_id")?,
            secret: text("client_secret"),
            // RFC 7591 §2: "If unspecified or omitted, the default is client_secret_basic".
            method: text("token_endpoint_auth_method")
                .unwrap_or_else(|| "client_secret_basic".into()),
        });
    }
    let context = &w.mcp_client_flow().context;
    let id = context.get("client_id").and_then(Value::as_str)?;
    Some(Registered {
        id: id.to_string(),
        secret: context
            .get("client_secret")
            .and_then(Value::as_str)
            .map(str::to_string),
        method: "client_secret_basic".into(),
    })
}

/// One `application/x-www-form-urlencoded` part of a Basic credential (RFC 6749 §2.3.1).
fn form_decoded(part: &str) -> String {
    form_urlencoded::parse(format!("v={part}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| part.to_string())
}

fn presented(s: &Seen) -> Presented {
    let basic = s
        .header("authorization")
        .and_then(|h| {
            h.get(..6)
                .filter(|p| p.eq_ignore_ascii_case("basic "))
                .map(|_| &h[6..])
        })
        .map(|b| {
            STANDARD
                .decode(b.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default()
        });
    if let Some(pair) = basic {
        let (id, secret) = pair.split_once(':').unwrap_or((pair.as_str(), ""));
        return Presented {
            method: "client_secret_basic",
            id: Some(form_decoded(id)),
            secret: Some(form_decoded(secret)),
        };
    }
    let id = s.form_value("client_id");
    // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were omitted
    // from the request": an empty client_secret presents no secret.
    if let Some(secret) = s.form_value("client_secret").filter(|v| !v.is_empty()) {
        return Presented {
            method: "client_secret_post",
            id,
            secret: Some(secret),
        };
    }
    if s.form_value("client_assertion").is_some() {
        return Presented {
            method: "a client assertion",
            id,
            secret: None,
        };
    }
    Presented {
        method: "none",
        id,
        secret: None,
    }
}

/// Whether a token request authenticated as `r`, with its method and credentials.
fn as_registered(r: &Registered, s: &Seen) -> Result<(), String> {
    let p = presented(s);
    if p.method != r.method {
        return Err(format!(
            "{} with {}, but the client is registered for {}",
            super::callback_checks::grant_type(s),
            p.method,
            r.method
        ));
    }
    if p.id.as_deref() != Some(r.id.as_str()) {
        return Err(format!(
            "{} as client {:?}, not the registered one",
            super::callback_checks::grant_type(s),
            p.id.unwrap_or_default()
        ));
    }
    if r.method != "none" && p.secret != r.secret {
        return Err(format!(
            "{} with another secret than the registered one",
            super::callback_checks::grant_type(s)
        ));
    }
    Ok(())
}

/// Every token request of `grant` (all grants with `None`) authenticates as registered.
fn every_token_as_registered(w: &AuthWorld, grant: Option<&str>) -> Outcome {
    let seen = w.client_seen()?;
    let Some(r) = registered(w, seen) else {
        return Err(Failure::Skipped(format!(
            "the client neither registered nor was given a client{}",
            w.said()
        )));
    };
    super::checks::every_token(w, grant, |s| as_registered(&r, s))
        .map(|m| format!("{m}, each with {} as the registered client", r.method))
}

/// `no token request repeats a parameter`
async fn no_repeated_parameter(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let all: Vec<&Seen> = seen.iter().filter(|s| s.is_token_request()).collect();
    if all.is_empty() {
        return Err(Failure::Skipped(format!(
            "the client sent no token request{}",
            w.said()
        )));
    }
    for (i, s) in all.iter().enumerate() {
        let names: Vec<String> = s.form().into_iter().map(|(k, _)| k).collect();
        if let Some(twice) = names
            .iter()
            .find(|n| names.iter().filter(|m| m == n).count() > 1)
        {
            return fail(format!(
                "token request {} ({}) has {twice} {} times",
                i + 1,
                super::callback_checks::grant_type(s),
                names.iter().filter(|m| *m == twice).count()
            ));
        }
    }
    Ok(format!(
        "{} token request(s), each parameter once",
        all.len()
    ))
}

/// `every token request authenticates as the registered client, with its registered method`
async fn token_requests_as_registered(w: &mut AuthWorld) -> Outcome {
    every_token_as_registered(w, None)
}

/// `every refresh request authenticates as the registered client, with its registered method`
async fn refreshes_as_registered(w: &mut AuthWorld) -> Outcome {
    every_token_as_registered(w, Some("refresh_token"))
}

pub(crate) const TOKEN_REQUESTS_AS_REGISTERED: Evaluator = exact!(
    "every token request authenticates as the registered client, with its registered method",
    token_requests_as_registered
);
pub(crate) const NO_REPEATED_PARAMETER: Evaluator = exact!(
    "no token request repeats a parameter",
    no_repeated_parameter
);
pub(crate) const REFRESHES_AS_REGISTERED: Evaluator = exact!(
    "every refresh request authenticates as the registered client, with its registered method",
    refreshes_as_registered
);

/// Every `@mcp-client` client-authentication check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.token-auth.<id>.registered-method",
        &TOKEN_REQUESTS_AS_REGISTERED,
    ),
    Check::new(
        "mcp-client.token-auth.<id>.completes",
        &super::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.token-auth.<id>.parameters-once",
        &NO_REPEATED_PARAMETER,
    ),
    Check::new("mcp-client.refresh.client-auth", &REFRESHES_AS_REGISTERED),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn token_request(headers: &[(&str, &str)], body: &str) -> Seen {
        Seen {
            method: "POST".into(),
            target: "/oauth/token".into(),
            headers: headers
                .iter()
                .chain(&[("content-type", "application/x-www-form-urlencoded")])
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
            ..Seen::default()
        }
    }

    fn registered(method: &str) -> Registered {
        Registered {
            id: "c1".into(),
            secret: (method != "none").then(|| "s e".into()),
            method: method.into(),
        }
    }

    #[test]
    fn basic_is_decoded_as_form_parts() {
        // "c1:s+e": the secret "s e" form-encoded, as RFC 6749 §2.3.1 asks.
        let s = token_request(
            &[("authorization", "Basic YzE6cytl")],
            "grant_type=authorization_code",
        );
        assert_eq!(
            as_registered(&registered("client_secret_basic"), &s),
            Ok(())
        );
        let said = as_registered(&registered("client_secret_post"), &s).unwrap_err();
        assert!(
            said.contains(
                "with client_secret_basic, but the client is registered for client_secret_post"
            ),
            "{said}"
        );
    }

    #[test]
    fn post_none_and_a_wrong_secret_are_told_apart() {
        let post = token_request(
            &[],
            "grant_type=refresh_token&client_id=c1&client_secret=s+e",
        );
        assert_eq!(
            as_registered(&registered("client_secret_post"), &post),
            Ok(())
        );
        let none = token_request(&[], "grant_type=refresh_token&client_id=c1");
        assert_eq!(as_registered(&registered("none"), &none), Ok(()));
        // An empty client_secret is no secret (RFC 6749 §3.2).
        let empty = token_request(&[], "grant_type=refresh_token&client_id=c1&client_secret=");
        assert_eq!(as_registered(&registered("none"), &empty), Ok(()));
        assert!(as_registered(&registered("client_secret_post"), &none).is_err());
        let wrong = token_request(&[], "grant_type=refresh_token&client_id=c1&client_secret=x");
        let said = as_registered(&registered("client_secret_post"), &wrong).unwrap_err();
        assert!(said.contains("another secret"), "{said}");
        let other = token_request(&[], "grant_type=refresh_token&client_id=c2");
        let said = as_registered(&registered("none"), &other).unwrap_err();
        assert!(said.contains("as client \"c2\""), "{said}");
    }
}
