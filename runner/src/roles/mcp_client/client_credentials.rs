//! The client of MCP's OAuth client credentials extension (`io.modelcontextprotocol/oauth-client-credentials`,
//! SEP-1046) as the scenarios stage it: a client pre-registered for the `client_credentials`
//! grant with a secret (`client_secret_basic`) or a key (`private_key_jwt`), registration
//! closed, and the credentials handed over in `MCP_CONFORMANCE_CONTEXT` the way the conformance
//! suite does (`client_id` with `client_secret`, or with `private_key_pem` and
//! `signing_algorithm`). A client whose profile does not list the extension skips them.

use cucumber::given;
use serde_json::json;

use crate::check::outcome::skip;
use crate::world::AuthWorld;

/// The extension's identifier (the conformance suite's `extensionId`).
pub const EXTENSION: &str = "io.modelcontextprotocol/oauth-client-credentials";
/// The pre-registered machine client.
pub const CLIENT_ID: &str = "mcp-machine-client";
pub const CLIENT_SECRET: &str = "mcp-machine-client-secret";
/// The machine client's test key (P-256): its PKCS#8 PEM goes to the client, its public JWK to
/// the mock. A key for a test on loopback: it protects nothing.
pub const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOaSG8hNQAyagT40l
cRJtTKUSgwYBIrEDQFZjQDTqDOehRANCAAS9f0WGJYINtm55oGpbi1I7pIETS7nb
uGTzli++AY3xRiqgBjTpcZopTB5I6TTL5RYJqqinwf+FDlM0IxTFMF0b
-----END PRIVATE KEY-----
";
pub const KEY_X: &str = "vX9FhiWCDbZueaBqW4tSO6SBE0u527hk85YvvgGN8UY";
pub const KEY_Y: &str = "KqAGNOlxmilMHkjpNMvlFgmqqKfB_4UOUzQjFMUwXRs";

#[given(regex = r"^the client holds client credentials for (client_secret_basic|private_key_jwt)$")]
async fn holds_client_credentials(w: &mut AuthWorld, method: String) -> Result<(), String> {
    if !w.mcp_client_profile().implements(EXTENSION) {
        skip!(
            "the client does not implement the OAuth client credentials extension (its profile's mcp_client.extensions does not list {EXTENSION})"
        );
    }
    let mut client = json!({
        "client_id": CLIENT_ID,
        "client_name": "pre-registered MCP machine client",
        "token_endpoint_auth_method": method,
        "grant_types": ["client_credentials"],
        "response_types": [],
        "scope": "mcp:read mcp:write",
    });
    let flow = w.mcp_client_flow_mut();
    flow.context.insert("client_id".into(), json!(CLIENT_ID));
    if method == "private_key_jwt" {
        client["jwks"] = json!({"keys": [{"kty": "EC", "crv": "P-256", "x": KEY_X, "y": KEY_Y}]});
        flow.context
            .insert("private_key_pem".into(), json!(KEY_PEM));
        flow.context
            .insert("signing_algorithm".into(), json!("ES256"));
    } else {
        client["client_secret"] = json!(CLIENT_SECRET);
        flow.context
            .insert("client_secret".into(), json!(CLIENT_SECRET));
        w.agent.redactor.register("client_secret", CLIENT_SECRET);
    }
    let client = serde_json::from_value::<mock_idp::config::ClientConfig>(client)
        .map_err(|e| format!("the machine client's configuration: {e}"))?;
    let only = client.auth_method();
    w.mcp_client_flow_mut()
        .tweaks
        .push(Box::new(move |c: &mut mock_idp::Config| {
            c.registration.enabled = false;
            c.registration.only_auth_method = Some(only);
            c.clients.push(client);
        }));
    Ok(())
}
