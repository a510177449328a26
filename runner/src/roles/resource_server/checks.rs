//! What a check step can assert about a resource server's answer: challenges (RFC 6750 §3,
//! RFC 9110 §11.6.1), refusals that are not server errors, insufficient_scope with the scope,
//! the role matrix, and workspace isolation. `None` means the assertion is not one of these.

use crate::http::user_agent::Response;
use crate::roles::authorization_server::checks::{Failure, describe};
use crate::world::AuthWorld;
use protocol::www_authenticate::{is_bearer, param};

type Outcome = Result<String, Failure>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Failed(msg.into()))
}

fn last(w: &AuthWorld) -> Result<&Response, Failure> {
    w.last
        .as_ref()
        .ok_or_else(|| Failure::Failed("no request was made".into()))
}

/// The `WWW-Authenticate` challenges, lowercased for matching.
fn challenge(r: &Response) -> Option<String> {
    let all: Vec<&str> = r
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
}

/// Evaluates a resource-server assertion, or `None` when `assertion` is not one.
pub async fn evaluate(w: &mut AuthWorld, assertion: &str) -> Option<Outcome> {
    Some(match assertion {
        "the response carries a Bearer challenge" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
            match challenge(r) {
                Some(c) if is_bearer(&c) => Ok(format!("WWW-Authenticate: {c}")),
                Some(c) => fail(format!("the challenge is not Bearer: {c}")),
                None => fail(format!("no WWW-Authenticate header on {}", describe(r))),
            }
        }
        "the challenge has no error attribute" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
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
        "the challenge says invalid_token" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
            match challenge(r).map(|c| (param(&c, "error"), c)) {
                Some((Some(e), c)) if e == "invalid_token" => Ok(c),
                Some((_, c)) => fail(format!("expected error=\"invalid_token\", got: {c}")),
                None => fail(format!("no WWW-Authenticate header on {}", describe(r))),
            }
        }
        "the resource server refuses the request" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
            if (200..300).contains(&r.status) {
                fail(format!("the request was served: {}", describe(r)))
            } else {
                Ok(format!("refused with HTTP {}", r.status))
            }
        }
        "the resource server serves the request" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
            if (200..300).contains(&r.status) {
                Ok(format!("served with HTTP {}", r.status))
            } else {
                fail(format!("refused: {}", describe(r)))
            }
        }
        "the response is not a server error" => {
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
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
        "the response is 403 insufficient_scope naming the scope" => {
            let needed = w.rs.needed_scope.clone().unwrap_or_default();
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
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
        "the operation is allowed exactly when the role permits it" => matrix(w),
        "nothing of alice's workspace is revealed" => {
            let (_, item) = w.workspace_of("alice");
            let r = match last(w) {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
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
        _ => return None,
    })
}

fn matrix(w: &AuthWorld) -> Outcome {
    let rs = w.rs_profile();
    let (Some(role), Some(op)) = (w.rs.role, w.rs.op.clone()) else {
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
