//! The reference MCP client as a machine client (MCP's OAuth client credentials extension,
//! SEP-1046): in the conformance scenarios `auth/client-credentials-*` it gets its token with the
//! `client_credentials` grant and no user, authenticating with the context's credentials: a
//! `private_key_jwt` assertion (RFC 7523 §2.2) made with `private_key_pem`, else its
//! `client_secret` in HTTP Basic; `resource` names the MCP server as always. As a workload (MCP's
//! workload identity federation extension, SEP-1933; the scenario `auth/wif-jwt-bearer`) it
//! presents the workload JWT it was given (`valid_jwt`) with the JWT-bearer grant (RFC 7523
//! §2.1), as a public client.

use serde_json::json;

use super::discovery::{http_url, member};
use super::faults::ClientFault;
use super::http::TokenAuth;
use super::session::Session;

/// RFC 7523 §2.1's grant type.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

impl Session {
    /// Whether this run is a machine client's or a workload's (the conformance scenario says so).
    pub(super) fn is_machine(&self) -> bool {
        (self.config.scenario.starts_with("auth/client-credentials") || self.is_workload())
            && !self.has(ClientFault::MachineAsUser)
    }

    fn is_workload(&self) -> bool {
        self.config.scenario == "auth/wif-jwt-bearer"
    }

    /// The client credentials grant with the context's credentials.
    pub(super) async fn client_credentials(&mut self, scope: Option<String>) -> Result<(), String> {
        let meta = self.as_meta.clone().unwrap_or_default();
        let token_url = http_url(&meta, "token_endpoint")?;
        let ctx = self.config.context.clone();
        let id = member(&ctx, "client_id")
            .ok_or("a machine client needs its client_id in MCP_CONFORMANCE_CONTEXT")?
            .to_string();
        if self.is_workload() {
            let jwt = member(&ctx, "valid_jwt")
                .ok_or("a workload needs its identity JWT (valid_jwt) in MCP_CONFORMANCE_CONTEXT")?
                .to_string();
            return self.present_workload_jwt(&token_url, id, jwt, scope).await;
        }
        let auth = match (
            member(&ctx, "private_key_pem"),
            member(&ctx, "client_secret"),
        ) {
            (Some(pem), _) => TokenAuth::Assertion(self.assertion(&id, pem)?),
            (None, Some(secret)) => TokenAuth::Basic(id, secret.to_string()),
            (None, None) => {
                return Err("a machine client needs client_secret or private_key_pem in MCP_CONFORMANCE_CONTEXT".into());
            }
        };
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if !self.has(ClientFault::NoResourceOnToken) {
            form.push(("resource", self.server.to_string()));
        }
        if let Some(s) = &scope {
            form.push(("scope", s.clone()));
        }
        let r = self.token_request(&token_url, &auth, form, false).await?;
        self.take_tokens(r.status, r.json(), scope)
            .map_err(|e| format!("the client credentials grant failed: {e}"))
    }

    /// The JWT-bearer grant with the workload's identity JWT, as a public client.
    async fn present_workload_jwt(
        &mut self,
        token_url: &str,
        client_id: String,
        jwt: String,
        scope: Option<String>,
    ) -> Result<(), String> {
        let (mut form, auth) = if self.has(ClientFault::WorkloadJwtAsClientAssertion) {
            let form = vec![("grant_type", "client_credentials".to_string())];
            (form, TokenAuth::Assertion(jwt))
        } else {
            let form = vec![("grant_type", JWT_BEARER.to_string()), ("assertion", jwt)];
            (form, TokenAuth::None(client_id))
        };
        if !self.has(ClientFault::NoResourceOnToken) {
            form.push(("resource", self.server.to_string()));
        }
        if let Some(s) = &scope {
            form.push(("scope", s.clone()));
        }
        let r = self.token_request(token_url, &auth, form, false).await?;
        self.take_tokens(r.status, r.json(), scope)
            .map_err(|e| format!("the JWT-bearer grant failed: {e}"))
    }

    /// A fresh assertion about the client for this authorization server (RFC 7523 §3): `iss`
    /// and `sub` the client, `aud` the issuer, a minute's `exp`, a `jti` of its own.
    fn assertion(&self, client_id: &str, pem: &str) -> Result<String, String> {
        let key = protocol::dpop::ProofKey::from_pkcs8_pem(pem)
            .map_err(|e| format!("MCP_CONFORMANCE_CONTEXT private_key_pem: {e}"))?;
        let now = self.now();
        let sub = if self.has(ClientFault::AssertionAboutOther) {
            "another-client"
        } else {
            client_id
        };
        let claims = json!({
            "iss": client_id,
            "sub": sub,
            "aud": self.issuer,
            "iat": now,
            "exp": now + 60,
            "jti": protocol::pkce::random(16),
        });
        Ok(key.sign(&json!({"alg": "ES256", "typ": "JWT"}), &claims))
    }
}
