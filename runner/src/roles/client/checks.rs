//! What a check step can assert about an OAuth client or auth provider under test: its answers
//! over the adapter contract (headers, refusals) and the requests the recording proxy saw it
//! make at the mock-idp. `None` means the assertion is not one of these. (Assertions about
//! authorization and token requests shared with MCP clients live in `mcp_client_assertions`.)

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::steps::{API_KEY, BASIC_PASSWORD, BASIC_USER};
use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::client::flow::{CLIENT_ID, SERVICE_ID};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

fn token_requests<'a>(seen: &'a [Seen], grant: &str) -> Vec<&'a Seen> {
    seen.iter()
        .filter(|s| s.is_token_request())
        .filter(|s| {
            s.form()
                .iter()
                .any(|(k, v)| k == "grant_type" && v == grant)
        })
        .collect()
}

fn last_answer(w: &AuthWorld) -> Result<&Value, Failure> {
    w.client_flow()
        .last
        .as_ref()
        .ok_or_else(|| Failure::Failed("the client under test was not asked anything".into()))
}

fn headers(w: &AuthWorld) -> Result<Map<String, Value>, Failure> {
    let a = last_answer(w)?;
    if let Some(e) = a.get("error") {
        return fail(format!(
            "the client under test answered {e}: {}",
            a.get("message").and_then(Value::as_str).unwrap_or("")
        ));
    }
    Ok(a.get("headers")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default())
}

fn exactly(h: &Map<String, Value>, name: &str, value: &str) -> Outcome {
    // Names only: a value that differs may still be a credential in another encoding.
    let got: Vec<String> = h
        .iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case(name) && v != value {
                format!("{k:?} (with another value)")
            } else {
                format!("{k:?}")
            }
        })
        .collect();
    match h.iter().next() {
        Some((k, v)) if h.len() == 1 && k.eq_ignore_ascii_case(name) && v == value => {
            Ok(format!("{name}: <the configured credential>"))
        }
        _ => fail(format!(
            "expected exactly one header {name}; got [{}]",
            got.join("; ")
        )),
    }
}

/// The client id a Basic header carries (RFC 6749 §2.3.1 form-encoding undone).
fn basic_client(s: &Seen) -> Option<String> {
    let b = s.header("authorization")?.strip_prefix("Basic ")?;
    let raw = String::from_utf8(STANDARD.decode(b.trim()).ok()?).ok()?;
    let id = raw.split_once(':')?.0;
    Some(
        form_urlencoded::parse(format!("x={id}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default(),
    )
}

/// `the client under test answered with credentials`
async fn answered_with_credentials(w: &mut AuthWorld) -> Outcome {
    headers(w).and_then(|h| {
        if h.is_empty() {
            fail("no headers")
        } else {
            Ok(format!("{} header(s)", h.len()))
        }
    })
}

/// `the client under test refused`
async fn client_refused(w: &mut AuthWorld) -> Outcome {
    reached(w).and_then(|()| {
        nonce_was_sent(w)?;
        last_answer(w).and_then(|a| match a.get("error") {
            Some(e) => Ok(format!(
                "{e}: {}",
                a.get("message").and_then(Value::as_str).unwrap_or("")
            )),
            None => fail(format!("the client under test answered {a}")),
        })
    })
}

/// `no token was requested after the callback`: any grant counts (a client that falls back to
/// another grant, client credentials say, after a failed callback has not ended the attempt).
async fn no_token_after_callback(w: &mut AuthWorld) -> Outcome {
    reached(w).and_then(|()| {
        let after: Vec<String> = w
            .mcp_client_flow()
            .seen
            .iter()
            .filter(|s| s.is_token_request())
            .map(|s| {
                let grant = s
                    .form()
                    .into_iter()
                    .find(|(k, _)| k == "grant_type")
                    .map(|(_, v)| v)
                    .unwrap_or_else(|| "no grant_type".into());
                format!("POST {} grant_type={grant} -> {}", s.path(), s.status)
            })
            .collect();
        if after.is_empty() {
            Ok("no token request".into())
        } else {
            fail(format!(
                "the client requested a token: {}",
                after.join("; ")
            ))
        }
    })
}

/// The credential header an API-key scheme prescribes: (name, value).
fn api_key_header(w: &AuthWorld) -> (&'static str, String) {
    let scheme = w
        .client_flow()
        .provider
        .as_ref()
        .and_then(|(_, c)| c.get("scheme").and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    let (name, value) = match scheme.as_str() {
        "bearer" => ("Authorization", format!("Bearer {API_KEY}")),
        "x_api_key" => ("X-API-Key", API_KEY.to_string()),
        "basic" => ("Authorization", format!("Basic {API_KEY}")),
        _ => ("X-Custom-Auth", format!("Token {API_KEY}")),
    };
    (name, value)
}

/// `the headers are exactly the ones the API-key scheme prescribes`
async fn api_key_headers(w: &mut AuthWorld) -> Outcome {
    let (name, value) = api_key_header(w);
    headers(w).and_then(|h| exactly(&h, name, &value))
}

/// Header names that carry a credential in these scenarios.
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "x-api-key", "x-custom-auth"];

/// Every request that reached the MCP server carried exactly the credential header `name` with
/// `value`, and no other credential header.
fn mcp_requests_carry(w: &AuthWorld, name: &str, value: &str) -> Outcome {
    let seen = &w.mcp_client_flow().seen;
    let to_mcp: Vec<&Seen> = seen.iter().filter(|s| s.path() == "/mcp").collect();
    if to_mcp.is_empty() {
        return fail("no request reached the MCP server");
    }
    for (i, s) in to_mcp.iter().enumerate() {
        let creds: Map<String, Value> = s
            .headers
            .iter()
            .filter(|(k, _)| CREDENTIAL_HEADERS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        if let Err(Failure::Failed(e)) = exactly(&creds, name, value) {
            return fail(format!("request {} ({} /mcp): {e}", i + 1, s.method));
        }
    }
    Ok(format!(
        "{} request(s) to the MCP server, each with {name}: <the configured credential>",
        to_mcp.len()
    ))
}

/// `every request to the MCP server carried exactly the header the API-key scheme prescribes`
async fn mcp_api_key_header(w: &mut AuthWorld) -> Outcome {
    let (name, value) = api_key_header(w);
    mcp_requests_carry(w, name, &value)
}

/// `every request to the MCP server carried the Basic header RFC 7617 encodes`
async fn mcp_basic_header(w: &mut AuthWorld) -> Outcome {
    let want = format!(
        "Basic {}",
        STANDARD.encode(format!("{BASIC_USER}:{BASIC_PASSWORD}"))
    );
    mcp_requests_carry(w, "authorization", &want)
}

/// `the Authorization header is Basic with the user and password as RFC 7617 encodes them`
async fn basic_header(w: &mut AuthWorld) -> Outcome {
    let want = format!(
        "Basic {}",
        STANDARD.encode(format!("{BASIC_USER}:{BASIC_PASSWORD}"))
    );
    headers(w).and_then(|h| exactly(&h, "Authorization", &want))
}

/// Every token request the client made, each held to `wrong` (what is wrong with it, if
/// anything), named by its grant; `method` is what a passing request used, for the message.
fn every_token_request(
    w: &AuthWorld,
    method: &str,
    wrong: impl Fn(&Seen) -> Option<&'static str>,
) -> Outcome {
    let all: Vec<&Seen> = w
        .mcp_client_flow()
        .seen
        .iter()
        .filter(|s| s.is_token_request())
        .collect();
    if all.is_empty() {
        return fail("the client made no token request");
    }
    let bad: Vec<String> = all
        .iter()
        .filter_map(|s| {
            let why = wrong(s)?;
            let grant = s
                .form()
                .into_iter()
                .find(|(k, _)| k == "grant_type")
                .map(|(_, v)| v)
                .unwrap_or_default();
            Some(format!("{grant} request {why}"))
        })
        .collect();
    if bad.is_empty() {
        Ok(format!(
            "{} token request(s), each with {method}",
            all.len()
        ))
    } else {
        fail(bad.join("; "))
    }
}

/// The server did not recognise the credentials as the client's.
fn refused_as_invalid_client(s: &Seen) -> bool {
    s.response_body.contains("\"invalid_client\"")
}

/// `every token request authenticates with HTTP Basic as the registered client`
async fn token_requests_use_basic(w: &mut AuthWorld) -> Outcome {
    every_token_request(w, "HTTP Basic", |s| {
        let id = basic_client(s);
        if refused_as_invalid_client(s) {
            Some("refused as invalid_client: not the registered client's Basic credentials")
        } else if (id.as_deref() != Some(CLIENT_ID) && id.as_deref() != Some(SERVICE_ID))
            || s.form().iter().any(|(k, _)| k == "client_secret")
        {
            Some("without the Basic credentials of the registered client (client_secret_basic)")
        } else {
            None
        }
    })
}

/// `every token request authenticates with client_secret_post as the registered client`: the
/// registered client's id and secret in the body, no Authorization header (one method per
/// request, RFC 6749 §2.3), and the server took them.
async fn token_requests_use_post(w: &mut AuthWorld) -> Outcome {
    every_token_request(w, "client_secret_post", |s| {
        let form = s.form();
        let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if s.header("authorization").is_some() {
            Some("with an Authorization header instead of (or besides) the body credentials")
        } else if field("client_id").as_deref() != Some(CLIENT_ID) {
            Some("with no client_id of the registered client in the body")
        } else if field("client_secret").is_none() {
            Some("with no client_secret in the body")
        } else if refused_as_invalid_client(s) {
            Some("refused as invalid_client: not the registered client's secret")
        } else {
            None
        }
    })
}

/// `the client made exactly one client-credentials token request`
async fn one_service_token_request(w: &mut AuthWorld) -> Outcome {
    match token_requests(&w.mcp_client_flow().seen, "client_credentials").len() {
        1 => Ok("one token request; the token was reused".into()),
        n => fail(format!("{n} client_credentials token requests")),
    }
}

/// `the client made a second client-credentials token request`
async fn second_service_token_request(w: &mut AuthWorld) -> Outcome {
    match token_requests(&w.mcp_client_flow().seen, "client_credentials").len() {
        2 => Ok("the expired token was renewed".into()),
        n => fail(format!(
            "{n} client_credentials token request(s); the token expired, a new one was due"
        )),
    }
}

pub(crate) const ANSWERED_WITH_CREDENTIALS: Evaluator = exact!(
    "the client under test answered with credentials",
    answered_with_credentials
);
pub(crate) const CLIENT_REFUSED: Evaluator =
    exact!("the client under test refused", client_refused);
pub(crate) const NO_TOKEN_AFTER_CALLBACK: Evaluator = exact!(
    "no token was requested after the callback",
    no_token_after_callback
);
pub(crate) const API_KEY_HEADERS: Evaluator = exact!(
    "the headers are exactly the ones the API-key scheme prescribes",
    api_key_headers
);
pub(crate) const BASIC_HEADER: Evaluator = exact!(
    "the Authorization header is Basic with the user and password as RFC 7617 encodes them",
    basic_header
);
pub(crate) const TOKEN_REQUESTS_USE_BASIC: Evaluator = exact!(
    "every token request authenticates with HTTP Basic as the registered client",
    token_requests_use_basic
);
pub(crate) const TOKEN_REQUESTS_USE_POST: Evaluator = exact!(
    "every token request authenticates with client_secret_post as the registered client",
    token_requests_use_post
);
pub(crate) const MCP_API_KEY_HEADER: Evaluator = exact!(
    "every request to the MCP server carried exactly the header the API-key scheme prescribes",
    mcp_api_key_header
);
pub(crate) const MCP_BASIC_HEADER: Evaluator = exact!(
    "every request to the MCP server carried the Basic header RFC 7617 encodes",
    mcp_basic_header
);
pub(crate) const ONE_SERVICE_TOKEN_REQUEST: Evaluator = exact!(
    "the client made exactly one client-credentials token request",
    one_service_token_request
);
pub(crate) const SECOND_SERVICE_TOKEN_REQUEST: Evaluator = exact!(
    "the client made a second client-credentials token request",
    second_service_token_request
);

/// The point a refusal is about was reached: the tampered callback was delivered, or the flawed
/// ID token was handed over in a successful code exchange. A client that fails before proves
/// nothing about the case (and fails the check).
fn reached(w: &AuthWorld) -> Result<(), Failure> {
    if w.mcp_client_flow().proxy.is_none() {
        return fail("the client under test was not run");
    }
    if w.client_flow().tamper.is_some() && w.client_flow().callbacks.is_empty() {
        return fail(
            "the client never sent the user to the authorization server, so it never got the callback this scenario is about",
        );
    }
    if w.mcp_client_flow().id_token_flaw.is_some()
        && !token_requests(&w.mcp_client_flow().seen, "authorization_code")
            .iter()
            .any(|s| s.status == 200 && s.response_body.contains("id_token"))
    {
        return fail("the client never redeemed a code, so the flawed ID token never reached it");
    }
    Ok(())
}

/// OIDC Core §3.1.3.7 item 11 binds only "if a nonce value was sent in the Authentication
/// Request" (nonce is OPTIONAL in the code flow, §3.1.2.1): without one there is nothing the
/// client could have compared, so the wrong-nonce case cannot be judged.
fn nonce_was_sent(w: &AuthWorld) -> Result<(), Failure> {
    if w.mcp_client_flow().id_token_flaw.as_deref() != Some("wrong-nonce") {
        return Ok(());
    }
    let sent = w.mcp_client_flow().seen.iter().any(|s| {
        s.path().ends_with("/oauth/authorize") && s.query().iter().any(|(k, _)| k == "nonce")
    });
    if sent {
        Ok(())
    } else {
        Err(Failure::Skipped(
            "the client sent no nonce in its authorization request (OPTIONAL in the code flow, OIDC Core §3.1.2.1), so item 11 has nothing to bind".into(),
        ))
    }
}

/// Every `@client` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("client.auth-code.credentials", &ANSWERED_WITH_CREDENTIALS),
    Check::new(
        "client.auth-code.pkce",
        &crate::roles::mcp_client::checks::AUTHORIZATIONS_USE_S256,
    ),
    Check::new(
        "client.auth-code.verifier",
        &crate::roles::mcp_client::checks::EXCHANGES_CARRY_VERIFIER,
    ),
    Check::new("client.auth-code.client-auth", &TOKEN_REQUESTS_USE_BASIC),
    Check::new(
        "client.auth-code.post.credentials",
        &ANSWERED_WITH_CREDENTIALS,
    ),
    Check::new(
        "client.auth-code.post.client-auth",
        &TOKEN_REQUESTS_USE_POST,
    ),
    Check::new(
        "client.callback.<id>.no-redemption",
        &NO_TOKEN_AFTER_CALLBACK,
    ),
    Check::new("client.callback.<id>.refused", &CLIENT_REFUSED),
    Check::new("client.api-key.<scheme>.header", &API_KEY_HEADERS),
    Check::new("client.mcp.api-key.<scheme>.header", &MCP_API_KEY_HEADER),
    Check::new("client.mcp.basic.header", &MCP_BASIC_HEADER),
    Check::new("client.basic.header", &BASIC_HEADER),
    Check::new("client.service.credentials", &ANSWERED_WITH_CREDENTIALS),
    Check::new("client.service.cached", &ONE_SERVICE_TOKEN_REQUEST),
    Check::new("client.service.renewed", &SECOND_SERVICE_TOKEN_REQUEST),
    Check::new("client.service.renewed.auth", &TOKEN_REQUESTS_USE_BASIC),
    Check::new("client.id-token.valid.accepted", &ANSWERED_WITH_CREDENTIALS),
    Check::new("client.id-token.<flaw>.refused", &CLIENT_REFUSED),
    Check::new(
        "client.refresh.used",
        &crate::roles::mcp_client::checks::REFRESHED_WITH_GRANT,
    ),
    Check::new("client.refresh.client-auth", &TOKEN_REQUESTS_USE_BASIC),
    Check::new("client.refresh.credentials", &ANSWERED_WITH_CREDENTIALS),
    Check::new(
        "client.refresh.invalid-grant.reauthorized-once",
        &crate::roles::mcp_client::checks::REAUTHORIZED_EXACTLY_ONCE,
    ),
    Check::new(
        "client.refresh.invalid-grant.credentials",
        &ANSWERED_WITH_CREDENTIALS,
    ),
];
