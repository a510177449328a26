//! What a check step can assert about a resource server's answer: challenges (RFC 6750 §3,
//! RFC 9110 §11.6.1), refusals that are not server errors, insufficient_scope with the scope,
//! the role matrix, and workspace isolation. `None` means the assertion is not one of these.

use crate::check::outcome::{Failure, Outcome, fail};
use crate::http::user_agent::Response;
use crate::roles::answer::{challenge, describe, last};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;
use protocol::www_authenticate::{is_bearer, param};

/// `the response carries a Bearer challenge`
async fn bearer_challenge(w: &mut AuthWorld) -> Outcome {
    let r = refused_answer(w)?;
    match challenge(r) {
        Some(c) if is_bearer(&c) => Ok(format!("WWW-Authenticate: {c}")),
        Some(c) => fail(format!("the challenge is not Bearer: {c}")),
        None => fail(format!("no WWW-Authenticate header on {}", describe(r))),
    }
}

/// `the response carries a DPoP challenge naming the proof algorithms`
async fn dpop_challenge(w: &mut AuthWorld) -> Outcome {
    let r = refused_answer(w)?;
    let Some(c) = challenge(r) else {
        return fail(format!("no WWW-Authenticate header on {}", describe(r)));
    };
    // The DPoP challenge: the scheme word at the start, or after the comma ending another one.
    let lower = c.to_ascii_lowercase();
    let at = lower.match_indices("dpop").map(|(i, _)| i).find(|&i| {
        let starts = lower[..i].trim_end().is_empty() || lower[..i].trim_end().ends_with(',');
        starts && lower[i + 4..].chars().next().is_none_or(|ch| ch == ' ')
    });
    match at {
        Some(i) if param(&c[i..], "algs").is_some() => Ok(format!("WWW-Authenticate: {c}")),
        Some(_) => fail(format!("the DPoP challenge names no algs: {c}")),
        None => fail(format!("no DPoP challenge: {c}")),
    }
}

/// The last answer, when it refused the request; a request the server served has no challenge
/// to judge (the check of the refusal itself fails instead), so a challenge check is skipped.
fn refused_answer(w: &AuthWorld) -> Result<&Response, Failure> {
    let r = last(w)?;
    if (200..300).contains(&r.status) {
        return Err(Failure::Skipped(format!(
            "the request was served ({}), so there is no challenge to judge",
            describe(r)
        )));
    }
    Ok(r)
}

/// `the challenge has no error attribute`
async fn challenge_without_error(w: &mut AuthWorld) -> Outcome {
    let r = refused_answer(w)?;
    match challenge(r) {
        Some(c) => match param(&c, "error") {
            Some(e) => fail(format!(
                "the challenge says error={e:?} to a request that sent no credentials: {c}"
            )),
            None => Ok(format!("no error attribute: {c}")),
        },
        None => fail("no WWW-Authenticate header"),
    }
}

/// `the challenge says invalid_token`
async fn challenge_invalid_token(w: &mut AuthWorld) -> Outcome {
    let r = refused_answer(w)?;
    match challenge(r).map(|c| (param(&c, "error"), c)) {
        Some((Some(e), c)) if e == "invalid_token" => Ok(c),
        Some((_, c)) => fail(format!("expected error=\"invalid_token\", got: {c}")),
        None => fail(format!("no WWW-Authenticate header on {}", describe(r))),
    }
}

/// `the resource server refuses the request`
async fn request_refused(w: &mut AuthWorld) -> Outcome {
    let r = match last(w) {
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    if (200..300).contains(&r.status) {
        fail(format!("the request was served: {}", describe(r)))
    } else {
        Ok(format!("refused with HTTP {}", r.status))
    }
}

/// `the resource server serves the request`
async fn request_served(w: &mut AuthWorld) -> Outcome {
    let r = match last(w) {
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    if (200..300).contains(&r.status) {
        Ok(format!("served with HTTP {}", r.status))
    } else {
        fail(format!("refused: {}", describe(r)))
    }
}

/// `the response is not a server error`
async fn no_server_error(w: &mut AuthWorld) -> Outcome {
    let r = match last(w) {
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    if r.status >= 500 {
        fail(format!(
            "HTTP {}: bad input from a client made the server fail",
            r.status
        ))
    } else {
        Ok(format!("HTTP {}", r.status))
    }
}

/// `the response is 403 insufficient_scope naming the scope`
async fn insufficient_scope_named(w: &mut AuthWorld) -> Outcome {
    let needed = w.rs_flow().needed_scope.clone().unwrap_or_default();
    let r = match last(w) {
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    let c = challenge(r).unwrap_or_default();
    let error = param(&c, "error");
    let scope = param(&c, "scope");
    if r.status != 403 || error.as_deref() != Some("insufficient_scope") {
        fail(format!(
            "expected 403 with error=\"insufficient_scope\", got HTTP {} WWW-Authenticate: {c:?}",
            r.status
        ))
    } else if !scope
        .as_deref()
        .is_some_and(|s| s.split(' ').any(|x| x == needed))
    {
        fail(format!(
            "the challenge does not name the scope {needed:?} it needs: {c}"
        ))
    } else {
        Ok(c)
    }
}

/// `the operation is allowed exactly when the role permits it`
async fn role_matrix_holds(w: &mut AuthWorld) -> Outcome {
    matrix(w)
}

/// `nothing of alice's workspace is revealed`
async fn alice_workspace_hidden(w: &mut AuthWorld) -> Outcome {
    let (_, item) = w.workspace_of("alice");
    let r = match last(w) {
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    if (200..300).contains(&r.status) || r.body.contains(&item) {
        fail(format!(
            "bob got an answer about alice's workspace: {}",
            describe(r)
        ))
    } else if !matches!(r.status, 403 | 404) {
        fail(format!("expected 403 or 404, got HTTP {}", r.status))
    } else {
        Ok(format!("HTTP {} without alice's data", r.status))
    }
}

pub(crate) const BEARER_CHALLENGE: Evaluator =
    exact!("the response carries a Bearer challenge", bearer_challenge);
pub(crate) const CHALLENGE_WITHOUT_ERROR: Evaluator = exact!(
    "the challenge has no error attribute",
    challenge_without_error
);
pub(crate) const CHALLENGE_INVALID_TOKEN: Evaluator =
    exact!("the challenge says invalid_token", challenge_invalid_token);
const DPOP_CHALLENGE: Evaluator = exact!(
    "the response carries a DPoP challenge naming the proof algorithms",
    dpop_challenge
);
pub(crate) const REQUEST_REFUSED: Evaluator =
    exact!("the resource server refuses the request", request_refused);
pub(crate) const REQUEST_SERVED: Evaluator =
    exact!("the resource server serves the request", request_served);
pub(crate) const NO_SERVER_ERROR: Evaluator =
    exact!("the response is not a server error", no_server_error);
pub(crate) const INSUFFICIENT_SCOPE_NAMED: Evaluator = exact!(
    "the response is 403 insufficient_scope naming the scope",
    insufficient_scope_named
);
pub(crate) const ROLE_MATRIX_HOLDS: Evaluator = exact!(
    "the operation is allowed exactly when the role permits it",
    role_matrix_holds
);
pub(crate) const ALICE_WORKSPACE_HIDDEN: Evaluator = exact!(
    "nothing of alice's workspace is revealed",
    alice_workspace_hidden
);

fn matrix(w: &AuthWorld) -> Outcome {
    let rs = w.rs_profile();
    let (Some(role), Some(op)) = (w.rs_flow().role, w.rs_flow().op.clone()) else {
        return fail("no role-matrix call was made");
    };
    let Some((least, _)) = rs.requirement(&op) else {
        return fail(format!("{op} is not in the matrix"));
    };
    let r = last(w)?;
    let allowed = role >= least;
    let served = (200..300).contains(&r.status);
    match (allowed, served) {
        (true, true) => Ok(format!(
            "{} may {op} (least role {}): HTTP {}",
            role.as_str(),
            least.as_str(),
            r.status
        )),
        (false, false) if matches!(r.status, 403 | 404) => Ok(format!(
            "{} may not {op} (least role {}): HTTP {}",
            role.as_str(),
            least.as_str(),
            r.status
        )),
        (false, false) => fail(format!(
            "{} may not {op}; expected 403 (or 404), got {}",
            role.as_str(),
            describe(r)
        )),
        (true, false) => fail(format!(
            "{} may {op} (least role {}), but got {}",
            role.as_str(),
            least.as_str(),
            describe(r)
        )),
        (false, true) => fail(format!(
            "{} may not {op} (least role {}), but it was served: HTTP {}",
            role.as_str(),
            least.as_str(),
            r.status
        )),
    }
}

/// Every `@rs` check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("rs.api-key.<scheme>.accepted", &REQUEST_SERVED),
    Check::new(
        "rs.api-key.<scheme>.wrong-key",
        &crate::roles::answer::STATUS,
    ),
    Check::new("rs.api-key.<scheme>.no-key", &crate::roles::answer::STATUS),
    Check::new("rs.api-key.<scheme>.not-in-<other>", &REQUEST_REFUSED),
    Check::new("rs.basic.accepted", &REQUEST_SERVED),
    Check::new("rs.basic.wrong-password", &crate::roles::answer::STATUS),
    Check::new(
        "rs.basic.challenge",
        &crate::roles::authorization_server::checks::BASIC_CHALLENGE,
    ),
    Check::new("rs.bad-token.<flaw>.refused", &REQUEST_REFUSED),
    Check::new("rs.bad-token.<flaw>.no-5xx", &NO_SERVER_ERROR),
    Check::new("rs.bad-token.<flaw>.challenge", &BEARER_CHALLENGE),
    Check::new("rs.bad-token.<flaw>.401", &crate::roles::answer::STATUS),
    Check::new(
        "rs.bad-token.<flaw>.invalid-token",
        &CHALLENGE_INVALID_TOKEN,
    ),
    Check::new("rs.no-credentials.401", &crate::roles::answer::STATUS),
    Check::new("rs.no-credentials.challenge", &BEARER_CHALLENGE),
    Check::new("rs.no-credentials.no-error", &CHALLENGE_WITHOUT_ERROR),
    Check::new("rs.bearer.case-insensitive", &REQUEST_SERVED),
    Check::new("rs.query-token.refused", &REQUEST_REFUSED),
    Check::new("rs.query-token.401", &crate::roles::answer::STATUS),
    Check::new("rs.keys.new-key-accepted", &REQUEST_SERVED),
    Check::new("rs.keys.removed-key-refused", &REQUEST_REFUSED),
    Check::new("rs.dpop.accepted", &REQUEST_SERVED),
    Check::new("rs.dpop.as-bearer", &REQUEST_REFUSED),
    Check::new("rs.dpop.no-proof", &REQUEST_REFUSED),
    Check::new("rs.dpop.no-proof.challenge", &DPOP_CHALLENGE),
    Check::new("rs.dpop.<defect>", &REQUEST_REFUSED),
    Check::new("rs.leeway.exp", &REQUEST_REFUSED),
    Check::new("rs.leeway.exp.invalid-token", &CHALLENGE_INVALID_TOKEN),
    Check::new("rs.leeway.nbf", &REQUEST_REFUSED),
    Check::new("rs.quickstart.unsigned-refused", &REQUEST_REFUSED),
    Check::new("rs.quickstart.no-5xx", &NO_SERVER_ERROR),
    Check::new("rs.scope.<op>.refused", &REQUEST_REFUSED),
    Check::new("rs.scope.<op>.challenge", &BEARER_CHALLENGE),
    Check::new(
        "rs.scope.<op>.insufficient-scope",
        &INSUFFICIENT_SCOPE_NAMED,
    ),
    Check::new("rs.roles.<role>.<op>", &ROLE_MATRIX_HOLDS),
    Check::new("rs.roles.<role>.<op>.no-5xx", &NO_SERVER_ERROR),
    Check::new("rs.isolation.<op>", &ALICE_WORKSPACE_HIDDEN),
];
