//! The `@mcp-client` checks of MCP's OAuth client credentials extension (SEP-1046): the client
//! gets its token with the `client_credentials` grant and no user (no authorization request),
//! and every token request authenticates as the pre-registered client with the method it was
//! given: its secret, or a `private_key_jwt` assertion (RFC 7523 §2.2, §3) that names it as `iss`
//! and `sub`, is for this authorization server, and verifies with its key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::arena::recording_proxy::Seen;
use crate::check::outcome::Outcome;
use crate::roles::mcp_client::checks::{
    TOKEN_REQUESTS_NAME_RESOURCE, USED_SERVER_ACCEPTED, every_token, grant_without_user,
};
use crate::roles::mcp_client::client_credentials::{CLIENT_ID, CLIENT_SECRET, KEY_X, KEY_Y};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// RFC 7523 §2.2's `client_assertion_type`.
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// `the client got its token with the client_credentials grant and sent no authorization request`
async fn machine_grant(w: &mut AuthWorld) -> Outcome {
    grant_without_user(w, "client_credentials", "client_credentials", |_| Ok(()))
}

/// `every token request authenticates as the pre-registered client with its secret`
async fn with_secret(w: &mut AuthWorld) -> Outcome {
    every_request(w, |s| {
        let basic = s
            .header("authorization")
            .and_then(|h| h.strip_prefix("Basic "))
            .and_then(|b| STANDARD.decode(b.trim()).ok())
            .and_then(|b| String::from_utf8(b).ok());
        let expected = format!("{CLIENT_ID}:{CLIENT_SECRET}");
        let in_body = s.form_value("client_id").as_deref() == Some(CLIENT_ID)
            && s.form_value("client_secret").as_deref() == Some(CLIENT_SECRET);
        match basic {
            Some(b) if b == expected && s.form_value("client_secret").is_none() => Ok(()),
            Some(_) => Err("HTTP Basic with other credentials".into()),
            None if in_body => Ok(()),
            None => Err("neither HTTP Basic nor client_id and client_secret in the body".into()),
        }
    })
}

/// `every token request authenticates as the pre-registered client with a private_key_jwt assertion`
async fn with_assertion(w: &mut AuthWorld) -> Outcome {
    let issuer = w.issuer.clone();
    every_request(w, |s| {
        if s.form_value("client_assertion_type").as_deref() != Some(ASSERTION_TYPE) {
            return Err(format!(
                "client_assertion_type {:?}",
                s.form_value("client_assertion_type")
            ));
        }
        if s.header("authorization").is_some() || s.form_value("client_secret").is_some() {
            return Err(
                "a secret besides the assertion (RFC 6749 §2.3: one method per request)".into(),
            );
        }
        let jwt = s
            .form_value("client_assertion")
            .ok_or("no client_assertion")?;
        judge_assertion(&jwt, &issuer)
    })
}

/// RFC 7523 §3: `iss` and `sub` the client, `aud` this server, an `exp`, and a signature that
/// verifies with the client's registered key.
fn judge_assertion(jwt: &str, issuer: &str) -> Result<(), String> {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
    let key = DecodingKey::from_ec_components(KEY_X, KEY_Y).map_err(|e| e.to_string())?;
    let mut v = Validation::new(Algorithm::ES256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let c = decode::<Value>(jwt, &key, &v)
        .map_err(|e| format!("the assertion does not verify with the client's key: {e}"))?
        .claims;
    if c["iss"] != CLIENT_ID || c["sub"] != CLIENT_ID {
        return Err(format!(
            "iss {} and sub {} are not both the client_id {CLIENT_ID:?} (RFC 7523 §3 items 1, 2)",
            c["iss"], c["sub"]
        ));
    }
    let token_endpoint = format!("{}/oauth/token", issuer.trim_end_matches('/'));
    let names =
        |a: &str| a.trim_end_matches('/') == issuer.trim_end_matches('/') || a == token_endpoint;
    let for_us = match &c["aud"] {
        Value::String(a) => names(a),
        Value::Array(a) => a.iter().filter_map(Value::as_str).any(names),
        _ => false,
    };
    if !for_us {
        return Err(format!(
            "aud {} names neither the issuer nor its token endpoint (RFC 7523 §3 item 3)",
            c["aud"]
        ));
    }
    if !c["exp"].is_number() {
        return Err("no exp (RFC 7523 §3 item 4)".into());
    }
    Ok(())
}

/// Every token request passes `ok` (a secret or an assertion as the pre-registered client).
fn every_request(w: &AuthWorld, ok: impl Fn(&Seen) -> Result<(), String>) -> Outcome {
    every_token(w, None, ok).map(|m| format!("{m}, each as the pre-registered client"))
}

const MACHINE_GRANT: Evaluator = exact!(
    "the client got its token with the client_credentials grant and sent no authorization request",
    machine_grant
);
const WITH_SECRET: Evaluator = exact!(
    "every token request authenticates as the pre-registered client with its secret",
    with_secret
);
const WITH_ASSERTION: Evaluator = exact!(
    "every token request authenticates as the pre-registered client with a private_key_jwt assertion",
    with_assertion
);

/// Every `@mcp-client` client credentials check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.client-credentials.<method>.completes",
        &USED_SERVER_ACCEPTED,
    ),
    Check::new(
        "mcp-client.client-credentials.<method>.grant",
        &MACHINE_GRANT,
    ),
    Check::new(
        "mcp-client.client-credentials.<method>.resource",
        &TOKEN_REQUESTS_NAME_RESOURCE,
    ),
    Check::new(
        "mcp-client.client-credentials.client_secret_basic.auth",
        &WITH_SECRET,
    ),
    Check::new(
        "mcp-client.client-credentials.private_key_jwt.auth",
        &WITH_ASSERTION,
    ),
];
