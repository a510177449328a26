//! The workload of MCP's workload identity federation extension (`io.modelcontextprotocol/auth/wif`,
//! SEP-1933) as the scenarios stage it: the authorization server trusts a workload identity
//! issuer (mock-idp `jwt_bearer` with `subjects: any`) and knows the workload as a public client
//! for the JWT-bearer grant (RFC 7523 §2.1); the client gets, in `MCP_CONFORMANCE_CONTEXT` as the
//! conformance suite passes them, `client_id`, the workload JWT (`valid_jwt`) and two it must not
//! need (`wrong_audience_jwt`, `expired_jwt`). The JWTs are signed when the client starts, for the
//! scenario's authorization server and on its clock. A client whose profile does not list the
//! extension skips these scenarios.

use cucumber::given;
use serde_json::{Map, Value, json};

use crate::check::outcome::{Outcome, skip};
use crate::roles::mcp_client::checks::grant_without_user;
use crate::roles::mcp_client::client_credentials::{KEY_PEM, KEY_X, KEY_Y};
use crate::roles::registry::{Check, Evaluator, exact};
use crate::world::AuthWorld;

/// The extension's identifier (the conformance suite's `extensionId`).
pub const EXTENSION: &str = "io.modelcontextprotocol/auth/wif";
/// The workload identity issuer the authorization server trusts.
const ISSUER: &str = "https://workloads.authconform.test";
/// The workload's client at the authorization server, and its subject at the issuer.
const CLIENT_ID: &str = "mcp-workload";
const SUBJECT: &str = "system:serviceaccount:agents:mcp-workload";
/// RFC 7523 §2.1's grant type.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

#[given("the client runs as a workload with an identity token")]
async fn runs_as_workload(w: &mut AuthWorld) -> Result<(), String> {
    if !w.mcp_client_profile().implements(EXTENSION) {
        skip!(
            "the client does not implement workload identity federation (its profile's mcp_client.extensions does not list {EXTENSION})"
        );
    }
    let issuer = serde_json::from_value::<mock_idp::config::TrustedIssuer>(json!({
        "issuer": ISSUER,
        "subjects": "any",
        "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": KEY_X, "y": KEY_Y}]},
    }))
    .map_err(|e| format!("the workload issuer's configuration: {e}"))?;
    let client = serde_json::from_value::<mock_idp::config::ClientConfig>(json!({
        "client_id": CLIENT_ID,
        "client_name": "MCP workload",
        "token_endpoint_auth_method": "none",
        "grant_types": [JWT_BEARER],
        "response_types": [],
        "scope": "mcp:read mcp:write",
    }))
    .map_err(|e| format!("the workload client's configuration: {e}"))?;
    let flow = w.mcp_client_flow_mut();
    flow.workload = true;
    flow.tweaks.push(Box::new(move |c: &mut mock_idp::Config| {
        c.registration.enabled = false;
        c.registration.only_auth_method = Some(mock_idp::config::AuthMethod::None);
        c.jwt_bearer.issuers.push(issuer);
        c.clients.push(client);
    }));
    Ok(())
}

/// The context members of a workload run: its client and three JWTs about it, signed for
/// `issuer` (the scenario's authorization server) at `now`: the one to use, one for another
/// audience, one expired a minute ago. Each is registered with the redactor.
pub fn context(w: &mut AuthWorld, now: i64) -> Result<Map<String, Value>, String> {
    let key = protocol::dpop::ProofKey::from_pkcs8_pem(KEY_PEM)?;
    let sign = |aud: &str, exp: i64| {
        key.sign(
            &json!({"alg": "ES256", "typ": "JWT"}),
            &json!({"iss": ISSUER, "sub": SUBJECT, "aud": aud, "iat": exp - 300, "exp": exp,
                    "jti": protocol::pkce::random(16)}),
        )
    };
    let issuer = w.issuer.clone();
    let jwts = [
        ("valid_jwt", sign(&issuer, now + 300)),
        (
            "wrong_audience_jwt",
            sign("https://wrong.example", now + 300),
        ),
        ("expired_jwt", sign(&issuer, now - 60)),
    ];
    let mut out = Map::new();
    out.insert("client_id".into(), json!(CLIENT_ID));
    for (name, jwt) in jwts {
        w.agent.redactor.register(name, &jwt);
        if name == "valid_jwt" {
            w.mcp_client_flow_mut().workload_jwt = Some(jwt.clone());
        }
        out.insert(name.into(), json!(jwt));
    }
    Ok(out)
}

/// `every token request uses the JWT-bearer grant with the workload JWT and no authorization request was sent`
async fn jwt_bearer_with_workload_jwt(w: &mut AuthWorld) -> Outcome {
    let given = w.mcp_client_flow().workload_jwt.clone().unwrap_or_default();
    grant_without_user(w, JWT_BEARER, "JWT-bearer", |s| {
        if s.form_value("assertion").as_deref() == Some(given.as_str()) {
            Ok(())
        } else {
            Err("the assertion is not the workload JWT it was given (valid_jwt)".into())
        }
    })
}

const JWT_BEARER_WITH_WORKLOAD_JWT: Evaluator = exact!(
    "every token request uses the JWT-bearer grant with the workload JWT and no authorization request was sent",
    jwt_bearer_with_workload_jwt
);

/// Every `@mcp-client` workload identity check id and its evaluator.
pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "mcp-client.wif.completes",
        &crate::roles::mcp_client::checks::USED_SERVER_ACCEPTED,
    ),
    Check::new("mcp-client.wif.grant", &JWT_BEARER_WITH_WORKLOAD_JWT),
    Check::new(
        "mcp-client.wif.resource",
        &crate::roles::mcp_client::checks::TOKEN_REQUESTS_NAME_RESOURCE,
    ),
];
