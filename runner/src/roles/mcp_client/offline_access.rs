//! SEP-2207 (OIDC-flavored refresh token guidance) for an MCP client: a client that can keep a
//! refresh token says so in its registration (`grant_types` with `refresh_token`), and asks for
//! `offline_access` only from an authorization server that lists it. The Given steps make the
//! scenario's authorization server list `offline_access` or not; the checks read what the client
//! sent.

use cucumber::given;
use serde_json::Value;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::mcp_client::checks::{every_authorization, query};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

#[given(regex = r"^the authorization server (lists|does not list) offline_access$")]
async fn lists_offline_access(w: &mut AuthWorld, how: String) {
    let listed = how == "lists";
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |c: &mut mock_idp::Config| {
            c.offline_access = listed
        }));
}

/// `the client's registration lists refresh_token in grant_types`
async fn registers_refresh_grant(w: &mut AuthWorld) -> Outcome {
    let seen = w.client_seen()?;
    let Some(reg) = seen.iter().find(|s| s.is_registration_request()) else {
        return Err(Failure::Skipped(format!(
            "the client did not register dynamically, so there is no registration to read{}",
            w.said()
        )));
    };
    let body: Value = serde_json::from_str(&reg.body).unwrap_or(Value::Null);
    let grants: Vec<&str> = body
        .get("grant_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if grants.contains(&"refresh_token") {
        Ok(format!("grant_types {}", grants.join(" ")))
    } else if body.get("grant_types").is_none() {
        // RFC 7591 §2: omitted means authorization_code alone.
        fail("the registration has no grant_types (RFC 7591 §2: authorization_code alone)")
    } else {
        fail(format!(
            "grant_types {} without refresh_token",
            grants.join(" ")
        ))
    }
}

/// `no authorization request asks for offline_access`
async fn never_asks_offline_access(w: &mut AuthWorld) -> Outcome {
    every_authorization(w, |s| {
        let scope = query(s, "scope").unwrap_or_default();
        if scope.split(' ').any(|x| x == "offline_access") {
            Err(format!("scope {scope:?} asks for offline_access"))
        } else {
            Ok(())
        }
    })
}

const REGISTERS_REFRESH_GRANT: Evaluator = exact!(
    "the client's registration lists refresh_token in grant_types",
    registers_refresh_grant
);
const NEVER_ASKS_OFFLINE_ACCESS: Evaluator = exact!(
    "no authorization request asks for offline_access",
    never_asks_offline_access
);

/// Every `@mcp-client` SEP-2207 check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.offline-access.grant-types",
        &REGISTERS_REFRESH_GRANT,
    ),
    Check::new(
        "mcp-client.offline-access.not-listed",
        &NEVER_ASKS_OFFLINE_ACCESS,
    ),
];
