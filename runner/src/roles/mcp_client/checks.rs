//! What a check step can assert about an MCP client under test, judged from the exchanges the
//! recording proxy saw (the client's requests as sent, the mock's answers) and from how the run
//! ended. `None` means the assertion is not one of these.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;
use protocol::www_authenticate::param;

/// Where mock-idp publishes the metadata when it is not at the well-known URLs.
pub const CUSTOM_PRM_PATH: &str = mock_idp::mcp::CUSTOM_METADATA_PATH;

fn is_mcp(s: &Seen) -> bool {
    s.path() == "/mcp"
}

pub(super) fn query(s: &Seen, name: &str) -> Option<String> {
    s.query()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn json(s: &Seen) -> Option<Value> {
    serde_json::from_str(&s.response_body).ok()
}

/// Access tokens the token endpoint issued, in order.
fn issued(seen: &[Seen]) -> Vec<String> {
    seen.iter()
        .filter(|s| s.is_token_request() && s.status == 200)
        .filter_map(|s| {
            json(s).and_then(|j| {
                j.get("access_token")
                    .and_then(Value::as_str)
                    .map(String::from)
            })
        })
        .collect()
}

fn scopes(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// The client id a token request authenticated as (Basic, else the form's client_id).
fn token_client(s: &Seen) -> Option<String> {
    let basic = s
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Basic ")
                .or_else(|| h.strip_prefix("basic "))
        })
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|c| c.split_once(':').map(|(id, _)| id.to_string()))
        .map(|id| {
            form_urlencoded::parse(id.as_bytes())
                .map(|(k, _)| k.into_owned())
                .next()
                .unwrap_or(id)
        });
    basic.or_else(|| s.form_value("client_id"))
}

impl AuthWorld {
    /// What the client under test sent; a client killed at its time limit makes every check
    /// that reads it `hung`.
    pub(super) fn client_seen(&self) -> Result<&[Seen], Failure> {
        if self.mcp_client_flow().proxy.is_none() {
            return fail("the client under test was not run");
        }
        self.client_hung()?;
        Ok(&self.mcp_client_flow().seen)
    }

    pub(super) fn client_server_url(&self) -> String {
        self.mcp_client_flow()
            .mcp_url
            .clone()
            .unwrap_or_else(|| format!("{}/mcp", self.issuer))
    }

    fn client_hung(&self) -> Result<(), Failure> {
        match &self.mcp_client_flow().run {
            Some(r) if r.hung => Err(Failure::Hung(format!(
                "the client did not finish within {} s (hung)",
                self.ctx
                    .profile
                    .mcp_client
                    .as_ref()
                    .map(|c| c.timeout_seconds)
                    .unwrap_or_default()
            ))),
            _ => Ok(()),
        }
    }

    fn authorizations(&self) -> Result<Vec<&Seen>, Failure> {
        Ok(self
            .client_seen()?
            .iter()
            .filter(|s| s.is_authorization_request())
            .collect())
    }

    pub(super) fn said(&self) -> String {
        self.mcp_client_flow()
            .run
            .as_ref()
            .map(|r| r.said.lines().last().unwrap_or("").to_string())
            .filter(|s| !s.is_empty())
            .map(|s| format!(" (it said: {s})"))
            .unwrap_or_default()
    }
}

/// `the client called a tool with a token the server accepted`
async fn called_tool_accepted(w: &mut AuthWorld) -> Outcome {
    called_tool(w)
}

/// `the client reported the failure`
async fn reports_failure(w: &mut AuthWorld) -> Outcome {
    reported_failure(w)
}

/// `no authorization request was sent`
async fn no_authorization_request(w: &mut AuthWorld) -> Outcome {
    no_authorization(w)
}

/// `the client fetched the protected resource metadata named in the challenge`
async fn prm_from_challenge_url(w: &mut AuthWorld) -> Outcome {
    prm_from_challenge(w)
}

/// `the client fetched the protected resource metadata at the path-inserted well-known URL`
async fn prm_path_inserted(w: &mut AuthWorld) -> Outcome {
    fetched(w, "/.well-known/oauth-protected-resource/mcp")
}

/// `the client looked for the authorization server metadata at the RFC 8414 path-inserted URL first`
async fn looked_for_rfc8414_first(w: &mut AuthWorld) -> Outcome {
    as_metadata_order(w)
}

/// `every authorization request carries a PKCE S256 challenge`
async fn authorizations_use_s256(w: &mut AuthWorld) -> Outcome {
    every_authorization(w, |s| {
        match (
            query(s, "code_challenge"),
            query(s, "code_challenge_method"),
        ) {
            (Some(c), Some(m)) if m == "S256" && c.len() >= 43 => Ok(()),
            (c, m) => Err(format!(
                "code_challenge {}, code_challenge_method {m:?}",
                if c.is_some() { "present" } else { "missing" }
            )),
        }
    })
}

/// `every code exchange carries a code_verifier`: RFC 7636 §4.5, "REQUIRED, if the
/// code_challenge parameter was included in the authorization request. MUST NOT be used
/// otherwise." Each exchange is held to the authorization request its code answered (whether a
/// challenge was sent at all is the pkce check's business).
async fn exchanges_carry_verifier(w: &mut AuthWorld) -> Outcome {
    let authorizations = w.authorizations()?;
    let challenged = |code: Option<String>| -> Option<bool> {
        let code = code?;
        authorizations
            .iter()
            .find(|a| redirected_code(a).as_deref() == Some(code.as_str()))
            .map(|a| query(a, "code_challenge").is_some())
    };
    let any_challenge = authorizations
        .iter()
        .any(|a| query(a, "code_challenge").is_some());
    every_token(w, Some("authorization_code"), |s| {
        let sent_challenge = challenged(s.form_value("code")).unwrap_or(any_challenge);
        match (sent_challenge, s.form_value("code_verifier").is_some()) {
            (true, true) | (false, false) => Ok(()),
            (true, false) => {
                Err("no code_verifier, though its authorization request carried a code_challenge".into())
            }
            (false, true) => Err(
                "a code_verifier, though its authorization request carried no code_challenge (MUST NOT be used otherwise)".into(),
            ),
        }
    })
}

/// The code an authorization request's answer redirected with (in its Location's query).
fn redirected_code(a: &Seen) -> Option<String> {
    let location = a.response_header("location")?;
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
}

/// `every authorization request names the MCP server as its resource`
async fn authorizations_name_resource(w: &mut AuthWorld) -> Outcome {
    let want = w.client_server_url();
    every_authorization(w, move |s| match query(s, "resource") {
        Some(r) if r == want => Ok(()),
        other => Err(format!("resource {other:?}, the MCP server is {want}")),
    })
}

/// `every token request names the MCP server as its resource`
async fn token_requests_name_resource(w: &mut AuthWorld) -> Outcome {
    let want = w.client_server_url();
    every_token(w, None, move |s| match s.form_value("resource") {
        Some(r) if r == want => Ok(()),
        other => Err(format!(
            "{} request with resource {other:?}, the MCP server is {want}",
            s.form_value("grant_type").unwrap_or_default()
        )),
    })
}

/// `the first authorization request asks for the challenge's scope`
async fn first_scope_from_challenge(w: &mut AuthWorld) -> Outcome {
    first_scope(w, |s| {
        (s.as_deref() == Some("mcp:read"))
            .then_some(())
            .ok_or(format!(
                "scope {}; the challenge said \"mcp:read\"",
                shown(&s)
            ))
    })
}

/// `the first authorization request asks for every scope the metadata supports`
async fn first_scope_from_metadata(w: &mut AuthWorld) -> Outcome {
    first_scope(w, |s| {
        let got = s.as_deref().map(scopes).unwrap_or_default();
        (got.contains(&"mcp:read") && got.contains(&"mcp:write"))
            .then_some(())
            .ok_or(format!(
                "scope {}; scopes_supported is \"mcp:read mcp:write\"",
                shown(&s)
            ))
    })
}

/// `the first authorization request carries no scope`
async fn first_scope_omitted(w: &mut AuthWorld) -> Outcome {
    first_scope(w, |s| match s {
        None => Ok(()),
        Some(s) => Err(format!(
            "scope {s:?}, though neither the challenge nor the metadata named one"
        )),
    })
}

/// `after the 403 the client asked for the scope it named`
async fn step_up_asks_named_scope(w: &mut AuthWorld) -> Outcome {
    step_up_scope(w)
}

/// `the client made at most 3 step-up attempts`
async fn step_ups_bounded(w: &mut AuthWorld) -> Outcome {
    step_up_bound(w)
}

/// `the access token never appears in a URL`
async fn token_not_in_url(w: &mut AuthWorld) -> Outcome {
    token_never_in_url(w)
}

/// `every MCP request after the first token carries it in the Authorization header`
async fn token_in_authorization_header(w: &mut AuthWorld) -> Outcome {
    header_after_token(w)
}

/// `the access token is sent to the MCP server only`
async fn token_only_to_mcp_server(w: &mut AuthWorld) -> Outcome {
    token_only_to_mcp(w)
}

/// `the access token never goes to another origin than the MCP server's`
async fn token_stays_on_origin(w: &mut AuthWorld) -> Outcome {
    token_only_to_mcp_origin(w)
}

/// `every refresh request names the MCP server as its resource`
async fn refresh_names_resource(w: &mut AuthWorld) -> Outcome {
    refresh_resource(w)
}

/// Skipped unless the authorization server gave the client a refresh token: a client that
/// registered without the refresh_token grant, or got none, cannot be judged on refreshing.
fn refresh_token_issued(w: &AuthWorld) -> Result<(), Failure> {
    let seen = w.client_seen()?;
    let issued = seen.iter().any(|s| {
        s.is_token_request()
            && s.status == 200
            && json(s).is_some_and(|j| j.get("refresh_token").and_then(Value::as_str).is_some())
    });
    if issued {
        Ok(())
    } else {
        Err(Failure::Skipped(
            "the authorization server issued the client no refresh token (did it register with the refresh_token grant?), so refreshing cannot be judged".into(),
        ))
    }
}

/// `the client refreshed its token with the refresh_token grant`
async fn refreshed_with_grant(w: &mut AuthWorld) -> Outcome {
    w.client_hung()?;
    refresh_token_issued(w)?;
    w.client_seen().and_then(|seen| {
        match seen.iter().find(|s| s.is_token_request() && s.form_value("grant_type").as_deref() == Some("refresh_token")) {
            Some(s) => Ok(format!("refresh request answered {}", s.status)),
            None => fail(format!(
                "no refresh_token grant was used after the token expired ({} authorization requests instead)",
                seen.iter().filter(|s| s.is_authorization_request()).count()
            )),
        }
    })
}

/// `after invalid_grant the client authorized exactly once more`
async fn reauthorized_exactly_once(w: &mut AuthWorld) -> Outcome {
    reauthorized_once(w)
}

/// `every refresh request presents the newest refresh token`
async fn refresh_presents_newest(w: &mut AuthWorld) -> Outcome {
    newest_refresh_token(w)
}

/// `the client never sent a refresh while another with the same refresh token was unanswered`
async fn one_refresh_at_a_time(w: &mut AuthWorld) -> Outcome {
    overlapping_refreshes(w)
}

/// `the client never used the legacy SSE transport`
async fn never_legacy_sse(w: &mut AuthWorld) -> Outcome {
    no_sse_fallback(w)
}

/// `the token requests authenticate as the pre-registered client`
async fn authenticates_as_pre_registered(w: &mut AuthWorld) -> Outcome {
    every_token(w, None, |s| {
        let with_secret =
            s.header("authorization").is_some() || s.form_value("client_secret").is_some();
        match token_client(s) {
            Some(id) if id == "mcp-pre-registered" && with_secret => Ok(()),
            other => Err(format!(
                "authenticated as {other:?}, with a secret: {with_secret}"
            )),
        }
    })
}

/// `the client did not register dynamically`
async fn no_dynamic_registration(w: &mut AuthWorld) -> Outcome {
    w.client_seen().and_then(
        |seen| match seen.iter().find(|s| s.is_registration_request()) {
            None => Ok("no registration request".into()),
            Some(s) => fail(format!("POST {} -> {}", s.target, s.status)),
        },
    )
}

/// `the authorization request uses the client id the registration returned`
async fn uses_registered_client_id(w: &mut AuthWorld) -> Outcome {
    registered_id_used(w)
}

/// `every authorization request uses a client ID metadata document URL as client_id`
async fn uses_metadata_document_id(w: &mut AuthWorld) -> Outcome {
    every_authorization(w, |s| match query(s, "client_id") {
        Some(c) if c.starts_with("https://") => Ok(()),
        other => Err(format!(
            "client_id {other:?} is not a metadata document URL"
        )),
    })
}

/// `the client opened no URL but an http(s) one in the browser`
async fn opened_only_http_urls(w: &mut AuthWorld) -> Outcome {
    opened_only_http(w)
}

pub(crate) const CALLED_TOOL_ACCEPTED: Evaluator = exact!(
    "the client called a tool with a token the server accepted",
    called_tool_accepted
);
pub(crate) const REPORTS_FAILURE: Evaluator =
    exact!("the client reported the failure", reports_failure);
pub(crate) const NO_AUTHORIZATION_REQUEST: Evaluator = exact!(
    "no authorization request was sent",
    no_authorization_request
);
pub(crate) const PRM_FROM_CHALLENGE_URL: Evaluator = exact!(
    "the client fetched the protected resource metadata named in the challenge",
    prm_from_challenge_url
);
pub(crate) const PRM_PATH_INSERTED: Evaluator = exact!(
    "the client fetched the protected resource metadata at the path-inserted well-known URL",
    prm_path_inserted
);
pub(crate) const LOOKED_FOR_RFC8414_FIRST: Evaluator = exact!(
    "the client looked for the authorization server metadata at the RFC 8414 path-inserted URL first",
    looked_for_rfc8414_first
);
pub(crate) const AUTHORIZATIONS_USE_S256: Evaluator = exact!(
    "every authorization request carries a PKCE S256 challenge",
    authorizations_use_s256
);
pub(crate) const EXCHANGES_CARRY_VERIFIER: Evaluator = exact!(
    "every code exchange carries a code_verifier",
    exchanges_carry_verifier
);
pub(crate) const AUTHORIZATIONS_NAME_RESOURCE: Evaluator = exact!(
    "every authorization request names the MCP server as its resource",
    authorizations_name_resource
);
pub(crate) const TOKEN_REQUESTS_NAME_RESOURCE: Evaluator = exact!(
    "every token request names the MCP server as its resource",
    token_requests_name_resource
);
pub(crate) const FIRST_SCOPE_FROM_CHALLENGE: Evaluator = exact!(
    "the first authorization request asks for the challenge's scope",
    first_scope_from_challenge
);
pub(crate) const FIRST_SCOPE_FROM_METADATA: Evaluator = exact!(
    "the first authorization request asks for every scope the metadata supports",
    first_scope_from_metadata
);
pub(crate) const FIRST_SCOPE_OMITTED: Evaluator = exact!(
    "the first authorization request carries no scope",
    first_scope_omitted
);
pub(crate) const STEP_UP_ASKS_NAMED_SCOPE: Evaluator = exact!(
    "after the 403 the client asked for the scope it named",
    step_up_asks_named_scope
);
pub(crate) const STEP_UPS_BOUNDED: Evaluator = exact!(
    "the client made at most 3 step-up attempts",
    step_ups_bounded
);
pub(crate) const TOKEN_NOT_IN_URL: Evaluator =
    exact!("the access token never appears in a URL", token_not_in_url);
pub(crate) const TOKEN_IN_AUTHORIZATION_HEADER: Evaluator = exact!(
    "every MCP request after the first token carries it in the Authorization header",
    token_in_authorization_header
);
pub(crate) const TOKEN_ONLY_TO_MCP_SERVER: Evaluator = exact!(
    "the access token is sent to the MCP server only",
    token_only_to_mcp_server
);
pub(crate) const TOKEN_STAYS_ON_ORIGIN: Evaluator = exact!(
    "the access token never goes to another origin than the MCP server's",
    token_stays_on_origin
);
pub(crate) const REFRESH_NAMES_RESOURCE: Evaluator = exact!(
    "every refresh request names the MCP server as its resource",
    refresh_names_resource
);
pub(crate) const REFRESHED_WITH_GRANT: Evaluator = exact!(
    "the client refreshed its token with the refresh_token grant",
    refreshed_with_grant
);
pub(crate) const REAUTHORIZED_EXACTLY_ONCE: Evaluator = exact!(
    "after invalid_grant the client authorized exactly once more",
    reauthorized_exactly_once
);
pub(crate) const REFRESH_PRESENTS_NEWEST: Evaluator = exact!(
    "every refresh request presents the newest refresh token",
    refresh_presents_newest
);
pub(crate) const ONE_REFRESH_AT_A_TIME: Evaluator = exact!(
    "the client never sent a refresh while another with the same refresh token was unanswered",
    one_refresh_at_a_time
);
pub(crate) const NEVER_LEGACY_SSE: Evaluator = exact!(
    "the client never used the legacy SSE transport",
    never_legacy_sse
);
pub(crate) const AUTHENTICATES_AS_PRE_REGISTERED: Evaluator = exact!(
    "the token requests authenticate as the pre-registered client",
    authenticates_as_pre_registered
);
pub(crate) const NO_DYNAMIC_REGISTRATION: Evaluator = exact!(
    "the client did not register dynamically",
    no_dynamic_registration
);
pub(crate) const USES_REGISTERED_CLIENT_ID: Evaluator = exact!(
    "the authorization request uses the client id the registration returned",
    uses_registered_client_id
);
pub(crate) const USES_METADATA_DOCUMENT_ID: Evaluator = exact!(
    "every authorization request uses a client ID metadata document URL as client_id",
    uses_metadata_document_id
);
pub(crate) const OPENED_ONLY_HTTP_URLS: Evaluator = exact!(
    "the client opened no URL but an http(s) one in the browser",
    opened_only_http_urls
);

fn called_tool(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    let seen = w.client_seen()?;
    let call = seen.iter().find(|s| {
        is_mcp(s) && s.status == 200 && s.bearer().is_some() && s.body.contains("\"tools/call\"")
    });
    match call {
        Some(_) => Ok("a tools/call with a bearer token was answered 200".into()),
        None => fail(format!(
            "no tools/call was answered 200 ({} requests to /mcp, {} authorization requests){}",
            seen.iter().filter(|s| is_mcp(s)).count(),
            seen.iter().filter(|s| s.is_authorization_request()).count(),
            w.said()
        )),
    }
}

/// What a scenario about discovery, registration or scope selection needs of the client: an
/// MCP request after the initialize (a tools/list is enough) answered with its token.
fn used_server_with_token(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let used = seen.iter().find(|s| {
        is_mcp(s)
            && s.status == 200
            && (s.bearer().is_some() || s.dpop_token().is_some())
            && !s.body.contains("\"initialize\"")
            && !s.body.contains("\"notifications/")
    });
    match used {
        Some(s) => Ok(format!(
            "an MCP request with a {} token was answered 200 ({})",
            if s.bearer().is_some() {
                "bearer"
            } else {
                "DPoP-bound"
            },
            mcp_method(&s.body).unwrap_or("a request")
        )),
        None => fail(format!(
            "no MCP request past initialize was answered 200 with a token ({} requests to /mcp, {} authorization requests){}",
            seen.iter().filter(|s| is_mcp(s)).count(),
            seen.iter().filter(|s| s.is_authorization_request()).count(),
            w.said()
        )),
    }
}

/// The JSON-RPC method of a request body, if it names one.
fn mcp_method(body: &str) -> Option<&str> {
    let at = body.find("\"method\"")?;
    let rest = body[at + 8..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    rest.split('"').next()
}

/// `the client used the MCP server with a token the server accepted`
async fn used_server_accepted(w: &mut AuthWorld) -> Outcome {
    used_server_with_token(w)
}

pub(crate) const USED_SERVER_ACCEPTED: Evaluator = exact!(
    "the client used the MCP server with a token the server accepted",
    used_server_accepted
);

fn reported_failure(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    // Exiting non-zero before talking to the server reports nothing about the case at hand.
    if w.client_seen()?.is_empty() {
        return fail(format!(
            "the client never contacted the server, so its failure is not a refusal{}",
            w.said()
        ));
    }
    match &w.mcp_client_flow().run {
        Some(r) if r.exit != Some(0) => Ok(format!(
            "exit {}{}",
            r.exit
                .map(|c| c.to_string())
                .unwrap_or_else(|| "by signal".into()),
            w.said()
        )),
        Some(_) => fail("the client exited 0 as if it had succeeded"),
        None => fail("the client under test was not run"),
    }
}

fn fetched(w: &AuthWorld, path: &str) -> Outcome {
    let seen = w.client_seen()?;
    match seen.iter().find(|s| s.method == "GET" && s.path() == path) {
        Some(s) => Ok(format!("GET {path} -> {}", s.status)),
        None => fail(format!(
            "the client never fetched {path}; it fetched: {}",
            seen.iter()
                .filter(|s| s.method == "GET")
                .map(|s| s.path().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn prm_from_challenge(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let named = seen.iter().filter(|s| s.status == 401).find_map(|s| {
        s.response_header("www-authenticate")
            .and_then(|c| param(c, "resource_metadata"))
    });
    let Some(named) = named else {
        return fail("no 401 challenge named resource_metadata");
    };
    let path = url::Url::parse(&named)
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let first_prm = seen.iter().find(|s| {
        s.method == "GET"
            && (s.path() == path
                || s.path()
                    .starts_with("/.well-known/oauth-protected-resource"))
    });
    match first_prm {
        Some(s) if s.path() == path => Ok(format!("GET {path} first")),
        Some(s) => fail(format!(
            "the challenge named {path}, the client fetched {} first",
            s.path()
        )),
        None => fail(format!("the client never fetched {path}")),
    }
}

fn as_metadata_order(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let first = seen.iter().find(|s| {
        s.method == "GET"
            && (s.path().contains("/.well-known/oauth-authorization-server")
                || s.path().contains("/.well-known/openid-configuration"))
    });
    let want = "/.well-known/oauth-authorization-server/tenant1";
    match first {
        Some(s) if s.path() == want => Ok(format!("GET {want} first")),
        Some(s) => fail(format!(
            "the first metadata request was {}; MCP 2025-11-25 lists {want} first for the issuer {{target}}/tenant1",
            s.path()
        )),
        None => fail("the client never asked for authorization server metadata"),
    }
}

pub(super) fn every_authorization(
    w: &AuthWorld,
    ok: impl Fn(&Seen) -> Result<(), String>,
) -> Outcome {
    let all = w.authorizations()?;
    if all.is_empty() {
        return fail(format!(
            "the client sent no authorization request{}",
            w.said()
        ));
    }
    for (i, s) in all.iter().enumerate() {
        if let Err(e) = ok(s) {
            return fail(format!("authorization request {}: {e}", i + 1));
        }
    }
    Ok(format!("{} authorization request(s)", all.len()))
}

/// Every token request of `grant` (all with `None`) passes `ok`; skipped when there is none.
pub(super) fn every_token(
    w: &AuthWorld,
    grant: Option<&str>,
    ok: impl Fn(&Seen) -> Result<(), String>,
) -> Outcome {
    let seen = w.client_seen()?;
    let all: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.is_token_request())
        .filter(|s| grant.is_none_or(|g| s.form_value("grant_type").as_deref() == Some(g)))
        .collect();
    if all.is_empty() {
        // Nothing to hold to the sentence; that the flow never got this far is `completes`'s.
        return Err(Failure::Skipped(format!(
            "the client sent no such token request{}",
            w.said()
        )));
    }
    for (i, s) in all.iter().enumerate() {
        if let Err(e) = ok(s) {
            return fail(format!("token request {}: {e} -> {}", i + 1, s.status));
        }
    }
    Ok(format!("{} token request(s)", all.len()))
}

/// A flow without a user (`what` names it): no authorization request, and every token request
/// uses `grant` and passes `ok`.
pub(super) fn grant_without_user(
    w: &AuthWorld,
    grant: &str,
    what: &str,
    ok: impl Fn(&Seen) -> Result<(), String>,
) -> Outcome {
    let seen = w.client_seen()?;
    if let Some(a) = seen.iter().find(|s| s.is_authorization_request()) {
        return fail(format!(
            "the client sent an authorization request (GET {}): a user flow, not {what}",
            a.path()
        ));
    }
    let all: Vec<&Seen> = seen.iter().filter(|s| s.is_token_request()).collect();
    if all.is_empty() {
        return fail(format!("the client sent no token request{}", w.said()));
    }
    for (i, s) in all.iter().enumerate() {
        let used = s.form_value("grant_type").unwrap_or_default();
        if used != grant {
            return fail(format!("token request {}: grant_type {used:?}", i + 1));
        }
        if let Err(e) = ok(s) {
            return fail(format!("token request {}: {e}", i + 1));
        }
    }
    Ok(format!(
        "{} {what} token request(s), no authorization request",
        all.len()
    ))
}

fn first_scope(w: &AuthWorld, ok: impl Fn(Option<String>) -> Result<(), String>) -> Outcome {
    let all = w.authorizations()?;
    let Some(first) = all.first() else {
        return fail(format!(
            "the client sent no authorization request{}",
            w.said()
        ));
    };
    let scope = query(first, "scope");
    ok(scope.clone()).map_err(Failure::Failed)?;
    Ok(format!("scope {}", shown(&scope)))
}

/// Index of the first 403 insufficient_scope answer.
fn first_403(seen: &[Seen]) -> Option<usize> {
    seen.iter().position(|s| {
        is_mcp(s)
            && s.status == 403
            && s.response_header("www-authenticate")
                .and_then(|c| param(c, "error"))
                .as_deref()
                == Some("insufficient_scope")
    })
}

fn step_up_scope(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let Some(at) = first_403(seen) else {
        return fail("the MCP server never answered 403 insufficient_scope");
    };
    let Some(wanted) = seen[at]
        .response_header("www-authenticate")
        .and_then(|c| param(c, "scope"))
        .filter(|s| !s.is_empty())
    else {
        return Err(Failure::Skipped(
            "the 403 named no scope, so no scope to step up to can be judged".into(),
        ));
    };
    let next = seen[at..].iter().find(|s| s.is_authorization_request());
    match next {
        Some(s) => {
            let asked = query(s, "scope").unwrap_or_default();
            let missing: Vec<&str> = scopes(&wanted)
                .into_iter()
                .filter(|x| !scopes(&asked).contains(x))
                .collect();
            if missing.is_empty() {
                Ok(format!("re-authorized for {asked:?}"))
            } else {
                fail(format!(
                    "re-authorized for {asked:?}, without {} the 403 named",
                    missing.join(" ")
                ))
            }
        }
        None => fail(format!(
            "the client did not authorize again after 403 insufficient_scope (scope {wanted:?}){}",
            w.said()
        )),
    }
}

fn step_up_bound(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    let seen = w.client_seen()?;
    let Some(at) = first_403(seen) else {
        return fail("the MCP server never answered 403 insufficient_scope");
    };
    let attempts: Vec<&Seen> = seen[at..]
        .iter()
        .filter(|s| s.is_authorization_request())
        .collect();
    // The authorization server ending the flow says nothing about the client's own limit.
    let refused = attempts.last().and_then(|last| {
        let location = url::Url::parse(last.response_header("location")?).ok()?;
        location
            .query_pairs()
            .find(|(k, _)| k == "error")
            .map(|(_, v)| v.into_owned())
    });
    if let Some(error) = refused
        && attempts.len() <= reference::mcp_client::MAX_STEP_UPS as usize
    {
        return Err(Failure::Skipped(format!(
            "the authorization server refused step-up attempt {} ({error}), so the client's own limit was never reached",
            attempts.len()
        )));
    }
    let attempts = attempts.len();
    if attempts == 0 {
        return Err(Failure::Skipped(
            "the client did not step up at all, so its limit cannot be judged".into(),
        ));
    }
    if attempts <= reference::mcp_client::MAX_STEP_UPS as usize {
        Ok(format!(
            "{attempts} step-up authorization(s), then it stopped"
        ))
    } else {
        fail(format!(
            "{attempts} authorization requests after the first 403"
        ))
    }
}

/// Where a token goes cannot be judged when none was issued: that the client got none is what
/// the scenario's `completes` check (and the step before) says.
fn no_token_to_follow(w: &AuthWorld) -> Failure {
    Failure::Skipped(format!(
        "no access token was issued, so where one goes cannot be judged{}",
        w.said()
    ))
}

fn token_never_in_url(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let tokens = issued(seen);
    if tokens.is_empty() {
        return Err(no_token_to_follow(w));
    }
    for s in seen {
        if tokens.iter().any(|t| s.target.contains(t.as_str()))
            || s.query().iter().any(|(k, _)| k == "access_token")
        {
            return fail(format!(
                "{} {} carries the access token in its URL",
                s.method,
                s.path()
            ));
        }
    }
    Ok(format!("{} requests, no token in a URL", seen.len()))
}

fn header_after_token(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let Some(first) = seen
        .iter()
        .position(|s| s.is_token_request() && s.status == 200)
    else {
        return Err(no_token_to_follow(w));
    };
    let tokens = issued(seen);
    let mcp: Vec<&Seen> = seen[first..].iter().filter(|s| is_mcp(s)).collect();
    if mcp.is_empty() {
        return fail("no MCP request after the token was issued");
    }
    for s in &mcp {
        match s.bearer() {
            Some(t) if tokens.iter().any(|x| x == t) => {}
            Some(_) => {
                return fail(format!(
                    "{} /mcp carries a bearer token the server did not issue",
                    s.method
                ));
            }
            None => return fail(format!("{} /mcp without an Authorization header", s.method)),
        }
    }
    Ok(format!(
        "{} MCP requests, each with the token in the header",
        mcp.len()
    ))
}

/// Whether a request carries one of `tokens`: as its bearer, in its URL or in its body.
fn carries_token(s: &Seen, tokens: &[String]) -> bool {
    s.bearer().is_some_and(|b| tokens.iter().any(|t| t == b))
        || tokens
            .iter()
            .any(|t| s.target.contains(t.as_str()) || s.body.contains(t.as_str()))
}

fn token_only_to_mcp(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let tokens = issued(seen);
    if tokens.is_empty() {
        return Err(no_token_to_follow(w));
    }
    for s in seen.iter().filter(|s| !is_mcp(s)) {
        if carries_token(s, &tokens) {
            return fail(format!(
                "{} {} (not the MCP server) was sent the access token",
                s.method,
                s.path()
            ));
        }
    }
    Ok("the token went to /mcp only".into())
}

fn reauthorized_once(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    refresh_token_issued(w)?;
    let seen = w.client_seen()?;
    let refused = seen.iter().position(|s| {
        s.is_token_request()
            && s.form_value("grant_type").as_deref() == Some("refresh_token")
            && json(s)
                .and_then(|j| j.get("error").and_then(Value::as_str).map(String::from))
                .as_deref()
                == Some("invalid_grant")
    });
    let Some(at) = refused else {
        let refreshes: Vec<String> = seen
            .iter()
            .filter(|s| {
                s.is_token_request()
                    && s.form_value("grant_type").as_deref() == Some("refresh_token")
            })
            .map(|s| {
                let error = json(s)
                    .and_then(|j| j.get("error").and_then(Value::as_str).map(String::from))
                    .unwrap_or_else(|| "no error".into());
                format!("{} ({error})", s.status)
            })
            .collect();
        return fail(if refreshes.is_empty() {
            "no refresh request was refused with invalid_grant (the client did not refresh)"
                .to_string()
        } else {
            format!(
                "no refresh request was refused with invalid_grant: the client's refresh request(s) were answered {} before the grant itself was judged",
                refreshes.join(", ")
            )
        });
    };
    match seen[at..]
        .iter()
        .filter(|s| s.is_authorization_request())
        .count()
    {
        1 => Ok("one authorization after invalid_grant".into()),
        0 => fail(format!("no authorization after invalid_grant{}", w.said())),
        n => fail(format!("{n} authorizations after invalid_grant")),
    }
}

fn registered_id_used(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let registered = seen
        .iter()
        .filter(|s| s.is_registration_request() && s.status == 201)
        .find_map(|s| {
            json(s).and_then(|j| j.get("client_id").and_then(Value::as_str).map(String::from))
        });
    let Some(id) = registered else {
        return fail(format!(
            "the client did not register (no 201 from the registration endpoint){}",
            w.said()
        ));
    };
    every_authorization(w, |s| match query(s, "client_id") {
        Some(c) if c == id => Ok(()),
        other => Err(format!("client_id {other:?}, registered as {id}")),
    })
}

fn opened_only_http(w: &AuthWorld) -> Outcome {
    let Some(run) = &w.mcp_client_flow().run else {
        return fail("the client under test was not run");
    };
    let bad: Vec<&str> = run
        .opened
        .iter()
        .map(|o| o.url.as_str())
        .filter(|u| !(u.starts_with("http://") || u.starts_with("https://")))
        .collect();
    if run.opened.is_empty() {
        // A client that never uses a browser cannot show what it would open.
        Err(Failure::Skipped(
            "the client opened nothing in the browser (it does not authorize through one)".into(),
        ))
    } else if bad.is_empty() {
        Ok(format!(
            "{} URL(s) opened in the browser, all http(s)",
            run.opened.len()
        ))
    } else {
        fail(format!(
            "the client asked the browser to open {}",
            bad.join(", ")
        ))
    }
}

/// An optional scope as a person reads it.
fn shown(scope: &Option<String>) -> String {
    match scope {
        Some(s) => format!("{s:?}"),
        None => "(none)".into(),
    }
}

fn refresh_resource(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    if !seen.iter().any(|s| {
        s.is_token_request() && s.form_value("grant_type").as_deref() == Some("refresh_token")
    }) {
        return Err(Failure::Skipped(
            "the client made no refresh request, so its resource cannot be judged".into(),
        ));
    }
    let want = w.client_server_url();
    every_token(w, Some("refresh_token"), move |s| {
        match s.form_value("resource") {
            Some(r) if r == want => Ok(()),
            other => Err(format!("resource {other:?}, the MCP server is {want}")),
        }
    })
}

/// Every refresh request presents the newest refresh token the client had demonstrably received
/// when it sent the request: the one of the last token answer whose access token it had used
/// before (a refresh that overlaps another cannot know that one's answer; RFC 6749 §6 binds
/// the client once it has the new token).
fn newest_refresh_token(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    refresh_token_issued(w)?;
    let seen = w.client_seen()?;
    let tokens: Vec<&Seen> = seen.iter().filter(|s| s.is_token_request()).collect();
    // The newest answer the client demonstrably had read before `arrived`.
    let issued_before = |arrived: u64| {
        tokens
            .iter()
            .filter(|t| t.status == 200 && t.answered < arrived)
            .filter(|t| answer_read_before(seen, t, arrived))
            .filter_map(|t| {
                let r = json(t)?.get("refresh_token")?.as_str()?.to_string();
                Some((t.answered, r))
            })
            .max_by_key(|(answered, _)| *answered)
            .map(|(_, r)| r)
    };
    let first_issued = tokens
        .iter()
        .filter(|t| t.status == 200)
        .min_by_key(|t| t.answered)
        .and_then(|t| json(t)?.get("refresh_token")?.as_str().map(str::to_string));
    let refreshes = refreshes_by_arrival(seen);
    for (n, s) in refreshes.iter().enumerate() {
        let newest = issued_before(s.arrived).or_else(|| first_issued.clone());
        let sent = s.form_value("refresh_token");
        if sent != newest {
            return fail(format!(
                "refresh {} presented {}, not the newest refresh token issued before it was sent",
                n + 1,
                if newest.is_some() && sent.is_some() {
                    "an older refresh token"
                } else {
                    "no refresh token"
                }
            ));
        }
    }
    if refreshes.len() < 2 {
        return Err(Failure::Skipped(format!(
            "the client refreshed {} time(s); rotation shows from the second refresh",
            refreshes.len()
        )));
    }
    let overlapping = refreshes
        .windows(2)
        .filter(|p| p[1].arrived < p[0].answered)
        .count();
    Ok(format!(
        "{} refreshes, each with the newest refresh token issued before it was sent{}",
        refreshes.len(),
        if overlapping > 0 {
            format!(" ({overlapping} sent while another was in flight)")
        } else {
            String::new()
        }
    ))
}

/// Two refresh requests with one refresh token, the second sent before the client had read the
/// first one's answer: before it arrived, the access token that answer carried was never used.
fn overlapping_refreshes(w: &AuthWorld) -> Outcome {
    w.client_hung()?;
    refresh_token_issued(w)?;
    let seen = w.client_seen()?;
    let refreshes = refreshes_by_arrival(seen);
    if refreshes.is_empty() {
        return Err(Failure::Skipped("the client never refreshed".into()));
    }
    for (i, first) in refreshes.iter().enumerate() {
        if first.status != 200 {
            continue;
        }
        let token = first.form_value("refresh_token");
        let unread_when = |later: &Seen| !answer_read_before(seen, first, later.arrived);
        if let Some(j) = refreshes[i + 1..]
            .iter()
            .position(|s| s.form_value("refresh_token") == token && unread_when(s))
        {
            return fail(format!(
                "refresh {} presented the refresh token of refresh {} before the client had used that one's answer (answered {}, then {})",
                i + j + 2,
                i + 1,
                first.status,
                refreshes[i + j + 1].status
            ));
        }
    }
    Ok(format!("{} refresh(es), one at a time", refreshes.len()))
}

/// The refresh requests, in the order they reached the proxy.
fn refreshes_by_arrival(seen: &[Seen]) -> Vec<&Seen> {
    let mut refreshes: Vec<&Seen> = seen
        .iter()
        .filter(|s| {
            s.is_token_request() && s.form_value("grant_type").as_deref() == Some("refresh_token")
        })
        .collect();
    refreshes.sort_by_key(|s| s.arrived);
    refreshes
}

/// Whether the client demonstrably read a token answer before `arrived`: a request that arrived
/// after the answer left, and before `arrived`, carried the access token it issued. (An answer
/// that merely left the proxy may still be in flight to the client.)
fn answer_read_before(seen: &[Seen], answer: &Seen, arrived: u64) -> bool {
    let Some(access) =
        json(answer).and_then(|j| j.get("access_token")?.as_str().map(str::to_string))
    else {
        return false;
    };
    seen.iter().any(|x| {
        x.arrived < arrived && x.answered > answer.answered && x.bearer() == Some(access.as_str())
    })
}

fn token_only_to_mcp_origin(w: &AuthWorld) -> Outcome {
    if !w.mcp_client_flow().separate_mcp_origin {
        return Err(Failure::Skipped(
            "the MCP server shares its authorization server's origin in this scenario".into(),
        ));
    }
    let seen = w.client_seen()?;
    let tokens = issued(seen);
    if tokens.is_empty() {
        return Err(no_token_to_follow(w));
    }
    let mcp_origin = url::Url::parse(&w.client_server_url())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    for s in seen.iter().filter(|s| s.origin != mcp_origin) {
        if carries_token(s, &tokens) {
            return fail(format!(
                "{} {} at the authorization server's origin was sent the access token",
                s.method,
                s.path()
            ));
        }
    }
    Ok("the token went to the MCP server's origin only".into())
}

fn is_metadata(s: &Seen) -> bool {
    s.method == "GET"
        && (s.path().contains("/.well-known/")
            || s.path() == crate::roles::mcp_client::checks::CUSTOM_PRM_PATH)
}

/// Used where a client must stop before authorizing: it must have read the metadata that tells
/// it to stop (a client that never got that far proves nothing).
fn no_authorization(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    if !seen.iter().any(is_metadata) {
        return fail(format!(
            "the client fetched no metadata, so it never reached the point where it had to stop{}",
            w.said()
        ));
    }
    match seen.iter().find(|s| s.is_authorization_request()) {
        None => Ok("the client read the metadata and did not ask for authorization".into()),
        Some(s) => fail(format!(
            "the client sent an authorization request: GET {}",
            s.target
        )),
    }
}

/// MCP 2025-11-25 Transports, Backwards Compatibility: the legacy fallback is a GET expecting an
/// event stream (at the server URL or the old `/sse`); after a 401 it must not be tried without
/// a token.
fn no_sse_fallback(w: &AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let Some(first_401) = seen.iter().position(|s| is_mcp(s) && s.status == 401) else {
        return fail(format!(
            "the MCP server never challenged the client (it sent no request to /mcp){}",
            w.said()
        ));
    };
    let fallback = seen[first_401..].iter().find(|s| {
        s.path() == "/sse"
            || s.path() == "/messages"
            || (is_mcp(s)
                && s.method == "GET"
                && s.bearer().is_none()
                && s.header("accept")
                    .is_some_and(|a| a.contains("text/event-stream")))
    });
    match fallback {
        None => Ok("after the 401, no event-stream request without a token".into()),
        Some(s) => fail(format!(
            "{} {} without a token after the 401 -> {}",
            s.method, s.target, s.status
        )),
    }
}

/// Every `@mcp-client` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("mcp-client.discovery.completes", &USED_SERVER_ACCEPTED),
    Check::new(
        "mcp-client.discovery.prm-from-challenge",
        &PRM_FROM_CHALLENGE_URL,
    ),
    Check::new(
        "mcp-client.discovery.well-known.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.discovery.well-known.path-inserted",
        &PRM_PATH_INSERTED,
    ),
    Check::new(
        "mcp-client.discovery.challenge-only.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.discovery.challenge-only.prm-from-challenge",
        &PRM_FROM_CHALLENGE_URL,
    ),
    Check::new(
        "mcp-client.discovery.path-issuer.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.discovery.path-issuer.order",
        &LOOKED_FOR_RFC8414_FIRST,
    ),
    Check::new(
        "mcp-client.discovery.resource-mismatch.no-authorization",
        &NO_AUTHORIZATION_REQUEST,
    ),
    Check::new(
        "mcp-client.discovery.resource-mismatch.reported",
        &REPORTS_FAILURE,
    ),
    Check::new(
        "mcp-client.discovery.issuer-mismatch.no-authorization",
        &NO_AUTHORIZATION_REQUEST,
    ),
    Check::new(
        "mcp-client.discovery.issuer-mismatch.reported",
        &REPORTS_FAILURE,
    ),
    Check::new("mcp-client.pkce.s256", &AUTHORIZATIONS_USE_S256),
    Check::new("mcp-client.pkce.verifier", &EXCHANGES_CARRY_VERIFIER),
    Check::new(
        "mcp-client.pkce.methods-missing.no-authorization",
        &NO_AUTHORIZATION_REQUEST,
    ),
    Check::new("mcp-client.pkce.methods-missing.reported", &REPORTS_FAILURE),
    Check::new(
        "mcp-client.resource.authorize",
        &AUTHORIZATIONS_NAME_RESOURCE,
    ),
    Check::new("mcp-client.resource.token", &TOKEN_REQUESTS_NAME_RESOURCE),
    Check::new(
        "mcp-client.authorization-url.<scheme>.not-opened",
        &OPENED_ONLY_HTTP_URLS,
    ),
    Check::new(
        "mcp-client.authorization-url.<scheme>.reported",
        &REPORTS_FAILURE,
    ),
    Check::new(
        "mcp-client.registration.dcr.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.registration.dcr.client-id",
        &USES_REGISTERED_CLIENT_ID,
    ),
    Check::new(
        "mcp-client.registration.pre-registered.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.registration.pre-registered.credentials",
        &AUTHENTICATES_AS_PRE_REGISTERED,
    ),
    Check::new(
        "mcp-client.registration.pre-registered.no-dcr",
        &NO_DYNAMIC_REGISTRATION,
    ),
    Check::new("mcp-client.registration.refused.reported", &REPORTS_FAILURE),
    Check::new(
        "mcp-client.registration.cimd.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.registration.cimd.client-id",
        &USES_METADATA_DOCUMENT_ID,
    ),
    Check::new(
        "mcp-client.registration.cimd.no-dcr",
        &NO_DYNAMIC_REGISTRATION,
    ),
    Check::new(
        "mcp-client.scope.from-challenge.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.scope.from-challenge",
        &FIRST_SCOPE_FROM_CHALLENGE,
    ),
    Check::new(
        "mcp-client.scope.from-metadata.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new("mcp-client.scope.from-metadata", &FIRST_SCOPE_FROM_METADATA),
    Check::new("mcp-client.scope.omitted", &FIRST_SCOPE_OMITTED),
    Check::new("mcp-client.step-up.scope", &STEP_UP_ASKS_NAMED_SCOPE),
    Check::new("mcp-client.step-up.completes", &CALLED_TOOL_ACCEPTED),
    Check::new("mcp-client.step-up.bounded", &STEP_UPS_BOUNDED),
    Check::new("mcp-client.step-up.reported", &REPORTS_FAILURE),
    Check::new("mcp-client.token.header", &TOKEN_IN_AUTHORIZATION_HEADER),
    Check::new("mcp-client.token.not-in-url", &TOKEN_NOT_IN_URL),
    Check::new("mcp-client.token.only-to-mcp", &TOKEN_ONLY_TO_MCP_SERVER),
    Check::new("mcp-client.transport.no-sse-fallback", &NEVER_LEGACY_SSE),
    Check::new("mcp-client.refresh.completes", &CALLED_TOOL_ACCEPTED),
    Check::new("mcp-client.revoked.completes", &CALLED_TOOL_ACCEPTED),
    Check::new("mcp-client.refresh.used", &REFRESHED_WITH_GRANT),
    Check::new("mcp-client.refresh.resource", &REFRESH_NAMES_RESOURCE),
    Check::new(
        "mcp-client.refresh.token-only-to-mcp",
        &TOKEN_ONLY_TO_MCP_SERVER,
    ),
    Check::new(
        "mcp-client.refresh.invalid-grant.reauthorized-once",
        &REAUTHORIZED_EXACTLY_ONCE,
    ),
    Check::new(
        "mcp-client.refresh.invalid-grant.completes",
        &CALLED_TOOL_ACCEPTED,
    ),
    Check::new(
        "mcp-client.refresh.rotation.newest",
        &REFRESH_PRESENTS_NEWEST,
    ),
    Check::new(
        "mcp-client.refresh.rotation.completes",
        &CALLED_TOOL_ACCEPTED,
    ),
    Check::new(
        "mcp-client.refresh.rotation.one-at-a-time",
        &ONE_REFRESH_AT_A_TIME,
    ),
    Check::new("mcp-client.cross-origin.completes", &CALLED_TOOL_ACCEPTED),
    Check::new(
        "mcp-client.cross-origin.resource",
        &AUTHORIZATIONS_NAME_RESOURCE,
    ),
    Check::new(
        "mcp-client.cross-origin.token-stays",
        &TOKEN_STAYS_ON_ORIGIN,
    ),
];
