//! Servers of MCP 2025-03-26 for an MCP client that still supports them (its profile lists
//! `2025-03-26` in `mcp_client.earlier_versions`; others skip these scenarios). That revision had
//! no protected resource metadata: the authorization base URL is the MCP server's origin, whose
//! RFC 8414 metadata the client asks for first, and a server without metadata has its endpoints
//! at the default paths `/authorize`, `/token` and `/register`. The Given steps make the
//! scenario's mock-idp such a server (`mcp.discovery`); the checks read what the client sent.

use cucumber::given;
use mock_idp::config::Discovery;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::{Outcome, fail, skip};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// The earlier revision these scenarios stage.
const VERSION: &str = "2025-03-26";
/// Where a 2025-03-26 client asks for the authorization server metadata: the authorization
/// base URL's RFC 8414 well-known URL.
const METADATA_PATH: &str = "/.well-known/oauth-authorization-server";
/// The default endpoint paths, relative to the authorization base URL.
const DEFAULT_PATHS: [&str; 3] = ["/authorize", "/token", "/register"];

#[given(
    regex = r"^the MCP server follows MCP 2025-03-26 with (authorization server metadata at its origin|no metadata at all)$"
)]
async fn follows_2025_03_26(w: &mut AuthWorld, how: String) {
    if !w.mcp_client_profile().supports_earlier(VERSION) {
        skip!(
            "the client does not support MCP {VERSION} servers (its profile's mcp_client.earlier_versions does not list {VERSION})"
        );
    }
    let discovery = if how.starts_with("authorization server metadata") {
        Discovery::ServerMetadata2025
    } else {
        Discovery::DefaultEndpoints2025
    };
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |c: &mut mock_idp::Config| {
            c.mcp.discovery = discovery
        }));
}

/// Whether `s` asked for the metadata at the authorization base URL.
fn asks_for_root_metadata(s: &Seen) -> bool {
    s.method == "GET" && s.path() == METADATA_PATH
}

/// Whether `s` went to an authorization server endpoint: registration, authorization or token.
fn is_oauth_endpoint(s: &Seen) -> bool {
    s.is_registration_request() || s.is_authorization_request() || s.is_token_request()
}

/// `the client fetched the authorization server metadata at the MCP server's origin before its authorization request`
async fn metadata_at_origin(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let first_authorization = seen.iter().position(Seen::is_authorization_request);
    let fetched = seen
        .iter()
        .position(|s| asks_for_root_metadata(s) && s.status == 200);
    match (fetched, first_authorization) {
        (Some(m), Some(a)) if m < a => Ok(format!(
            "GET {METADATA_PATH} (200), then the authorization request"
        )),
        (Some(_), Some(_)) => fail(format!(
            "the authorization request went out before the client fetched {METADATA_PATH}"
        )),
        (Some(_), None) => fail(format!(
            "the client fetched {METADATA_PATH} and sent no authorization request{}",
            w.said()
        )),
        (None, _) => fail(format!(
            "the client never fetched {METADATA_PATH} at the MCP server's origin{}",
            w.said()
        )),
    }
}

const METADATA_AT_ORIGIN: Evaluator = exact!(
    "the client fetched the authorization server metadata at the MCP server's origin before its authorization request",
    metadata_at_origin
);

/// `the client asked for the authorization server metadata before using any default endpoint`
async fn metadata_first(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let asked = seen.iter().position(asks_for_root_metadata);
    let first_endpoint = seen.iter().position(is_oauth_endpoint);
    match (asked, first_endpoint) {
        (Some(m), Some(e)) if m < e => Ok(format!(
            "GET {METADATA_PATH} ({}), then {} {}",
            seen[m].status,
            seen[e].method,
            seen[e].path()
        )),
        (_, Some(e)) => fail(format!(
            "{} {} went out before any request for {METADATA_PATH}",
            seen[e].method,
            seen[e].path()
        )),
        (_, None) => fail(format!(
            "the client sent no registration, authorization or token request{}",
            w.said()
        )),
    }
}

const METADATA_FIRST: Evaluator = exact!(
    "the client asked for the authorization server metadata before using any default endpoint",
    metadata_first
);

/// `the client registered at /register, authorized at /authorize and redeemed at /token of the MCP server's origin`
async fn default_paths(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    // A request for an endpoint under another path than the default one (e.g. /mcp/authorize).
    if let Some(s) = seen.iter().find(|s| {
        let p = s.path();
        DEFAULT_PATHS
            .iter()
            .any(|d| p.ends_with(d) && p != *d && !p.ends_with(&format!("/oauth{d}")))
    }) {
        return fail(format!(
            "{} {}: the default endpoints are at the origin's root ({})",
            s.method,
            s.path(),
            DEFAULT_PATHS.join(", ")
        ));
    }
    let count = |f: fn(&Seen) -> bool| seen.iter().filter(|s| f(s)).count();
    let (registrations, authorizations, tokens) = (
        count(Seen::is_registration_request),
        count(Seen::is_authorization_request),
        count(Seen::is_token_request),
    );
    if authorizations == 0 || tokens == 0 {
        return fail(format!(
            "{authorizations} authorization and {tokens} token request(s) at the default paths{}",
            w.said()
        ));
    }
    Ok(format!(
        "{registrations} registration(s) at /register, {authorizations} authorization request(s) at /authorize, {tokens} token request(s) at /token"
    ))
}

const DEFAULT_PATHS_USED: Evaluator = exact!(
    "the client registered at /register, authorized at /authorize and redeemed at /token of the MCP server's origin",
    default_paths
);

/// Every `@mcp-client` MCP 2025-03-26 check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.2025-03-26.metadata.completes",
        &crate::roles::mcp_client::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.2025-03-26.metadata.at-origin",
        &METADATA_AT_ORIGIN,
    ),
    Check::new(
        "mcp-client.2025-03-26.fallback.completes",
        &crate::roles::mcp_client::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.2025-03-26.fallback.metadata-first",
        &METADATA_FIRST,
    ),
    Check::new(
        "mcp-client.2025-03-26.fallback.default-paths",
        &DEFAULT_PATHS_USED,
    ),
];
