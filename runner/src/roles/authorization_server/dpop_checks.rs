//! The `@as` DPoP checks (RFC 9449): the token response of a DPoP request says DPoP, and the
//! access token names the proof's key. The refusals of bad proofs are endpoint errors
//! (`checks::ENDPOINT_ERROR`). The thumbprint compared is the runner's own (protocol's RFC 7638
//! code, tested on the RFC's vectors), never the server's.

use serde_json::Value;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::answer::{describe, last};
use crate::roles::authorization_server::checks::ENDPOINT_ERROR;
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// `the token response says token_type DPoP`
async fn token_type_dpop(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let j = r
        .json()
        .ok_or_else(|| Failure::Failed(format!("not JSON: {}", describe(r))))?;
    if r.status != 200 || j.get("access_token").and_then(Value::as_str).is_none() {
        return fail(format!("no access token: {}", describe(r)));
    }
    let tt = j.get("token_type").and_then(Value::as_str).unwrap_or("");
    if tt.eq_ignore_ascii_case("dpop") {
        Ok("token_type DPoP with an access token".into())
    } else {
        fail(format!(
            "token_type is {tt:?}: the client is not told the token is bound to its key"
        ))
    }
}

/// The latest access token's claims, when it is a JWT.
fn access_token_claims(w: &AuthWorld) -> Result<Value, Failure> {
    let token = w
        .as_flow()
        .flow
        .latest("access_token")
        .ok_or_else(|| Failure::Failed("no access token was issued".into()))?;
    protocol::jwt::unverified_claims(&token).ok_or_else(|| {
        Failure::Skipped(
            "the access token is opaque: its binding reaches the resources by introspection or agreement (RFC 9449 §6), not in the token".into(),
        )
    })
}

fn proof_thumbprint(w: &AuthWorld) -> Result<String, Failure> {
    w.as_flow()
        .dpop
        .as_ref()
        .map(|d| d.key.thumbprint())
        .ok_or_else(|| Failure::Failed("the scenario's client does not use DPoP".into()))
}

/// `the access token's cnf.jkt is the thumbprint of the proof's key`
async fn jkt_is_thumbprint(w: &mut AuthWorld) -> Outcome {
    let claims = access_token_claims(w)?;
    let Some(jkt) = claims.pointer("/cnf/jkt") else {
        return Err(Failure::Skipped(
            "the JWT access token carries no cnf.jkt to compare (as.dpop.bound-in-token judges that)".into(),
        ));
    };
    let want = proof_thumbprint(w)?;
    if jkt.as_str() == Some(want.as_str()) {
        Ok("cnf.jkt is the RFC 7638 thumbprint of the proof's key".into())
    } else {
        fail(format!(
            "cnf.jkt is {jkt}, the thumbprint of the proof's key is {want:?}"
        ))
    }
}

/// `a JWT access token carries cnf.jkt`
async fn bound_in_token(w: &mut AuthWorld) -> Outcome {
    let claims = access_token_claims(w)?;
    match claims.pointer("/cnf/jkt").and_then(Value::as_str) {
        Some(_) => Ok("the JWT access token carries cnf.jkt".into()),
        None => fail(format!(
            "the JWT access token has no cnf.jkt (cnf: {}): a resource reading it cannot tell it is bound",
            claims.get("cnf").unwrap_or(&Value::Null)
        )),
    }
}

/// `the token endpoint refuses the request with an error`
async fn refused_with_error(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let issued = r.json().is_some_and(|j| j.get("access_token").is_some());
    match r.error_code() {
        Some(e) if (400..500).contains(&r.status) && !issued => {
            Ok(format!("HTTP {} error {e}", r.status))
        }
        _ => fail(format!(
            "expected a 4xx error response and no token, got {}",
            describe(r)
        )),
    }
}

const REFUSED_WITH_ERROR: Evaluator = exact!(
    "the token endpoint refuses the request with an error",
    refused_with_error
);
pub(crate) const TOKEN_TYPE_DPOP: Evaluator =
    exact!("the token response says token_type DPoP", token_type_dpop);
const JKT_IS_THUMBPRINT: Evaluator = exact!(
    "the access token's cnf.jkt is the thumbprint of the proof's key",
    jkt_is_thumbprint
);
const BOUND_IN_TOKEN: Evaluator = exact!("a JWT access token carries cnf.jkt", bound_in_token);

/// Every `@as` DPoP check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("as.dpop.token-type", &TOKEN_TYPE_DPOP),
    Check::new("as.dpop.jkt", &JKT_IS_THUMBPRINT),
    Check::new("as.dpop.bound-in-token", &BOUND_IN_TOKEN),
    Check::new("as.dpop.code-other-key", &REFUSED_WITH_ERROR),
    Check::new("as.dpop.code-same-key", &TOKEN_TYPE_DPOP),
    Check::new("as.dpop.code-same-key-jkt", &JKT_IS_THUMBPRINT),
    Check::new("as.dpop.<defect>", &ENDPOINT_ERROR),
    Check::new("as.dpop.replay", &REFUSED_WITH_ERROR),
    Check::new("as.dpop.always-dpop-client", &REFUSED_WITH_ERROR),
    Check::new("as.dpop.refresh-without-proof", &REFUSED_WITH_ERROR),
    Check::new("as.dpop.refresh-other-key", &REFUSED_WITH_ERROR),
    Check::new("as.dpop.refresh-same-key", &TOKEN_TYPE_DPOP),
];
