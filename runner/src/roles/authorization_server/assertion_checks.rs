//! The `@as` client assertion checks (RFC 7523 §3): a valid assertion authenticates the client,
//! every invalid one is `invalid_client` (§3.2), at whatever 4xx status RFC 6749 §5.2 allows
//! for a client that did not use the Authorization header.

use crate::check::outcome::{Outcome, fail};
use crate::roles::answer::{describe, last};
use crate::roles::authorization_server::checks::BEARER_ACCESS_TOKEN;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// `the token endpoint refuses the client with invalid_client`
async fn invalid_client(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let issued = r.json().is_some_and(|j| j.get("access_token").is_some());
    match r.error_code() {
        Some(e) if e == "invalid_client" && matches!(r.status, 400 | 401) && !issued => {
            Ok(format!("HTTP {} error invalid_client", r.status))
        }
        _ => fail(format!(
            "expected HTTP 400 or 401 with error invalid_client, got {}",
            describe(r)
        )),
    }
}

/// `the token endpoint refuses the client with invalid_client or invalid_request`
async fn invalid_client_or_request(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let issued = r.json().is_some_and(|j| j.get("access_token").is_some());
    match r.error_code() {
        Some(e) if (e == "invalid_client" || e == "invalid_request") && !issued => {
            Ok(format!("HTTP {} error {e}", r.status))
        }
        _ => fail(format!(
            "expected error invalid_client or invalid_request, got {}",
            describe(r)
        )),
    }
}

const INVALID_CLIENT_OR_REQUEST: Evaluator = exact!(
    "the token endpoint refuses the client with invalid_client or invalid_request",
    invalid_client_or_request
);
const INVALID_CLIENT: Evaluator = exact!(
    "the token endpoint refuses the client with invalid_client",
    invalid_client
);

/// Every `@as` client assertion check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "as.client-assertion.<method>.accepted",
        &BEARER_ACCESS_TOKEN,
    ),
    Check::new(
        "as.client-assertion.private_key_jwt.other-subject",
        &INVALID_CLIENT_OR_REQUEST,
    ),
    Check::new(
        "as.client-assertion.private_key_jwt.replay",
        &INVALID_CLIENT,
    ),
    Check::new("as.client-assertion.<method>.<defect>", &INVALID_CLIENT),
];
