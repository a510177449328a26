//! The `@as` ID-JAG checks (draft-ietf-oauth-identity-assertion-authz-grant): as a resource
//! authorization server the target redeems a valid ID-JAG, refuses every defective one with
//! `invalid_grant` (RFC 7523 §3.1) and issues no refresh token; as an IdP it answers a token
//! exchange with a typed, signed ID-JAG naming the user, the audience and the client, and
//! refuses to exchange an ID token that is not the client's own or not its own signature.

use serde_json::Value;

use crate::check::outcome::{Failure, Outcome, fail};
use crate::roles::answer::{describe, last};
use crate::roles::authorization_server::checks::{
    BEARER_ACCESS_TOKEN, ENDPOINT_ERROR, verified_claims,
};
use crate::roles::authorization_server::id_jag::{ID_JAG_TOKEN_TYPE, ID_JAG_TYP};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// `the token response carries no refresh token`
async fn no_refresh_token(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let Some(j) = r.json().filter(|_| r.status == 200) else {
        return Err(Failure::Skipped(format!(
            "no token was issued ({}), so there is no token response to judge",
            describe(r)
        )));
    };
    if j.get("refresh_token").is_some() {
        fail("the token response carries a refresh_token")
    } else {
        Ok("the token response has no refresh_token".into())
    }
}

/// `the token exchange answers with an ID-JAG`
async fn answers_with_id_jag(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let j = r.json().filter(|_| r.status == 200).ok_or_else(|| {
        Failure::Failed(format!(
            "expected HTTP 200 with an ID-JAG, got {}",
            describe(r)
        ))
    })?;
    let field = |k: &str| j.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut wrong = Vec::new();
    if field("issued_token_type") != ID_JAG_TOKEN_TYPE {
        wrong.push(format!(
            "issued_token_type is {:?}",
            field("issued_token_type")
        ));
    }
    if !field("token_type").eq_ignore_ascii_case("N_A") {
        wrong.push(format!("token_type is {:?}, not N_A", field("token_type")));
    }
    if field("access_token").is_empty() {
        wrong.push("there is no access_token (the ID-JAG)".into());
    }
    if wrong.is_empty() {
        Ok(format!(
            "HTTP 200, issued_token_type {ID_JAG_TOKEN_TYPE}, token_type N_A"
        ))
    } else {
        fail(wrong.join("; "))
    }
}

fn issued(w: &AuthWorld) -> Result<String, Failure> {
    w.as_flow()
        .issued_id_jag
        .clone()
        .ok_or_else(|| Failure::Failed("the token exchange issued no ID-JAG".into()))
}

/// `the ID-JAG is typed oauth-id-jag+jwt`
async fn typed(w: &mut AuthWorld) -> Outcome {
    let jag = issued(w)?;
    let typ = protocol::jwt::unverified_part(&jag, 0)
        .and_then(|h| h.get("typ").and_then(Value::as_str).map(str::to_string));
    match typ {
        Some(t) if t.eq_ignore_ascii_case(ID_JAG_TYP) => Ok(format!("typ {t}")),
        other => fail(format!("the ID-JAG's typ is {other:?}, not {ID_JAG_TYP}")),
    }
}

/// `the ID-JAG verifies against the JWKS and names the issuer, the user, the audience and the client`
async fn names_its_parties(w: &mut AuthWorld) -> Outcome {
    let jag = issued(w)?;
    let header = jsonwebtoken::decode_header(&jag)
        .map_err(|e| Failure::Failed(format!("the ID-JAG is not a JWS: {e}")))?;
    let c = verified_claims(w, &jag, &header).await?;
    let missing: Vec<&str> = ["iss", "sub", "aud", "client_id", "jti", "exp", "iat"]
        .into_iter()
        .filter(|k| c.get(*k).is_none())
        .collect();
    if !missing.is_empty() {
        return fail(format!("REQUIRED claims missing: {}", missing.join(", ")));
    }
    let user = w
        .as_flow()
        .id_token
        .as_deref()
        .and_then(protocol::jwt::unverified_sub);
    let audience = w
        .ctx
        .profile
        .id_jag
        .as_ref()
        .and_then(|j| j.audience.clone());
    let aud_ok = match &c["aud"] {
        Value::String(a) => Some(a) == audience.as_ref(),
        Value::Array(a) => a.len() == 1 && a[0].as_str() == audience.as_deref(),
        _ => false,
    };
    let mut wrong = Vec::new();
    if c["iss"] != w.issuer.as_str() {
        wrong.push(format!("iss is {}, the issuer is {}", c["iss"], w.issuer));
    }
    if c["sub"].as_str() != user.as_deref() {
        wrong.push(format!("sub is {}, the ID token's is {user:?}", c["sub"]));
    }
    if !aud_ok {
        wrong.push(format!(
            "aud is {}, the audience asked for is {audience:?}",
            c["aud"]
        ));
    }
    if c["client_id"].as_str().is_none_or(str::is_empty) {
        wrong.push(format!("client_id is {}", c["client_id"]));
    }
    if wrong.is_empty() {
        Ok(
            "signed by the server's key; iss, sub, aud, client_id, jti, exp and iat as expected"
                .into(),
        )
    } else {
        fail(wrong.join("; "))
    }
}

/// `the token exchange is refused`
async fn exchange_refused(w: &mut AuthWorld) -> Outcome {
    let r = last(w)?;
    let issued = r.json().is_some_and(|j| j.get("access_token").is_some());
    match r.error_code() {
        Some(e) if (400..500).contains(&r.status) && !issued => {
            Ok(format!("HTTP {} error {e}", r.status))
        }
        _ => fail(format!(
            "expected a 4xx token error and no ID-JAG, got {}",
            describe(r)
        )),
    }
}

const NO_REFRESH_TOKEN: Evaluator = exact!(
    "the token response carries no refresh token",
    no_refresh_token
);
const ANSWERS_WITH_ID_JAG: Evaluator = exact!(
    "the token exchange answers with an ID-JAG",
    answers_with_id_jag
);
const TYPED: Evaluator = exact!("the ID-JAG is typed oauth-id-jag+jwt", typed);
const NAMES_ITS_PARTIES: Evaluator = exact!(
    "the ID-JAG verifies against the JWKS and names the issuer, the user, the audience and the client",
    names_its_parties
);
const EXCHANGE_REFUSED: Evaluator = exact!("the token exchange is refused", exchange_refused);

/// Every `@as` ID-JAG check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new("as.id-jag.accepted", &BEARER_ACCESS_TOKEN),
    Check::new("as.id-jag.no-refresh-token", &NO_REFRESH_TOKEN),
    Check::new("as.id-jag.replay", &ENDPOINT_ERROR),
    Check::new("as.id-jag.<defect>", &ENDPOINT_ERROR),
    Check::new("as.token-exchange.response", &ANSWERS_WITH_ID_JAG),
    Check::new("as.token-exchange.no-refresh-token", &NO_REFRESH_TOKEN),
    Check::new("as.token-exchange.typ", &TYPED),
    Check::new("as.token-exchange.claims", &NAMES_ITS_PARTIES),
    Check::new("as.token-exchange.<defect>", &EXCHANGE_REFUSED),
];
