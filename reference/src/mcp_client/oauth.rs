//! The reference MCP client's OAuth 2.1: registration (pre-registered credentials, else
//! dynamic registration, RFC 7591), the authorization request with PKCE S256 (RFC 7636) and
//! `resource` (RFC 8707), read from the redirect without visiting it, the code exchange, and
//! refresh with rotation (OAuth 2.1 §4.3).

use protocol::pkce::{random, s256};
use serde_json::{Value, json};

use super::discovery::{Challenge, http_url, member};
use super::faults::ClientFault;
use super::http::TokenAuth;
use super::session::Session;

/// Why a refresh did not give a new token.
pub enum RefreshFailure {
    /// The refresh token is no good any more (RFC 6749 §5.2): authorize again.
    InvalidGrant,
    Other(String),
}

/// Space-separated scopes, merged without repeats, in first-seen order.
pub fn union(a: Option<&str>, b: Option<&str>) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for s in a.into_iter().chain(b).flat_map(str::split_whitespace) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    (!out.is_empty()).then(|| out.join(" "))
}

impl Session {
    /// Discovery as far as the authorization server's metadata, once per session.
    async fn discover(&mut self, challenge: &Challenge) -> Result<(), String> {
        self.find_resource_metadata(challenge).await?;
        if self.as_meta.is_none() {
            let prm = self.prm.clone().unwrap_or_default();
            let issuer = prm
                .get("authorization_servers")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .ok_or("the protected resource metadata lists no authorization_servers")?
                .to_string();
            self.as_meta = Some(self.authorization_server_metadata(&issuer).await?);
            self.issuer = issuer;
        }
        self.choose_dpop()
    }

    /// The scope to ask for first (MCP 2025-11-25, Scope Selection Strategy): the challenge's,
    /// else every scope the metadata supports, else none.
    pub fn initial_scope(&self, challenge: &Challenge) -> Option<String> {
        let supported = || {
            self.prm
                .as_ref()
                .and_then(|p| p.get("scopes_supported"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|s| !s.is_empty())
        };
        match &challenge.scope {
            Some(s) if !self.has(ClientFault::IgnoreChallengeScope) => Some(s.clone()),
            _ => supported(),
        }
    }

    /// The client's credentials: from the context, else its client ID metadata document when the
    /// server accepts them, else dynamic registration (MCP 2025-11-25, Client Registration
    /// Approaches, in that order).
    async fn register(&mut self) -> Result<TokenAuth, String> {
        if let Some(a) = &self.client {
            return Ok(a.clone());
        }
        let meta = self.as_meta.clone().unwrap_or_default();
        let ctx = &self.config.context;
        let auth = if let Some(id) = ctx.get("client_id").and_then(Value::as_str) {
            match ctx.get("client_secret").and_then(Value::as_str) {
                None => TokenAuth::None(id.into()),
                Some(secret) => {
                    let methods = meta
                        .get("token_endpoint_auth_methods_supported")
                        .and_then(Value::as_array);
                    let basic = methods.is_none_or(|m| {
                        m.iter().any(|x| x.as_str() == Some("client_secret_basic"))
                    });
                    if basic {
                        TokenAuth::Basic(id.into(), secret.into())
                    } else {
                        TokenAuth::Post(id.into(), secret.into())
                    }
                }
            }
        } else if meta
            .get("client_id_metadata_document_supported")
            .and_then(Value::as_bool)
            == Some(true)
            && !self.has(ClientFault::IgnoreMetadataDocuments)
        {
            // The client's identity is the URL of its metadata document (a public client).
            TokenAuth::None(super::session::METADATA_DOCUMENT_URL.into())
        } else {
            let endpoint = http_url(&meta, "registration_endpoint").map_err(|_| {
                "the authorization server offers no registration_endpoint and no client_id was given (MCP_CONFORMANCE_CONTEXT {\"client_id\": ...})".to_string()
            })?;
            let grants = if self.has(ClientFault::NoRefreshGrantType) {
                json!(["authorization_code"])
            } else {
                json!(["authorization_code", "refresh_token"])
            };
            let body = json!({
                "client_name": "authconform reference MCP client",
                "redirect_uris": [self.config.redirect_uri],
                "grant_types": grants,
                "response_types": ["code"],
                "token_endpoint_auth_method": "none",
            });
            let r = self.http.post_json(&endpoint, &body, &[]).await?;
            let doc = r
                .json()
                .filter(|_| r.status == 201 || r.status == 200)
                .ok_or_else(|| format!("registration refused: {} {}", r.status, r.body))?;
            let id = member(&doc, "client_id").ok_or("the registration answer has no client_id")?;
            // The method the server registered, which may not be the one asked for (RFC 7591
            // §3.2.1); RFC 7591 §2: "If unspecified or omitted, the default is
            // client_secret_basic".
            let method = member(&doc, "token_endpoint_auth_method")
                .filter(|_| !self.has(ClientFault::IgnoreRegisteredAuthMethod))
                .unwrap_or("client_secret_basic");
            match (member(&doc, "client_secret"), method) {
                (Some(secret), "client_secret_post") => TokenAuth::Post(id.into(), secret.into()),
                (Some(secret), _) => TokenAuth::Basic(id.into(), secret.into()),
                (None, _) => TokenAuth::None(id.into()),
            }
        };
        self.client = Some(auth.clone());
        Ok(auth)
    }

    /// One authorization: the request, the code read from the redirect, the exchange.
    pub async fn authorize(
        &mut self,
        challenge: &Challenge,
        scope: Option<String>,
    ) -> Result<(), String> {
        self.discover(challenge).await?;
        if self.is_machine() {
            return self.client_credentials(scope).await;
        }
        let meta = self.as_meta.clone().unwrap_or_default();
        let s256_offered = meta
            .get("code_challenge_methods_supported")
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|x| x.as_str() == Some("S256")));
        if !s256_offered && !self.has(ClientFault::IgnoreMissingPkceMethods) {
            return Err("the authorization server metadata does not list S256 in code_challenge_methods_supported: refusing to authorize (MCP 2025-11-25, Authorization Code Protection)".into());
        }
        // Only http(s) endpoints are ever visited: check before registering anything.
        let authorize = http_url(&meta, "authorization_endpoint")?;
        let token_url = http_url(&meta, "token_endpoint")?;
        let auth = self.register().await?;
        let client_id = match &auth {
            TokenAuth::None(id) | TokenAuth::Basic(id, _) | TokenAuth::Post(id, _) => id.clone(),
            TokenAuth::Assertion(_) => {
                return Err("an assertion client has no authorization code flow".into());
            }
        };
        let verifier = random(32);
        let state = random(16);
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", &client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("state", &state);
        if self.has(ClientFault::PlainPkce) {
            q.append_pair("code_challenge", &verifier)
                .append_pair("code_challenge_method", "plain");
        } else if !self.has(ClientFault::SkipPkce) {
            q.append_pair("code_challenge", &s256(&verifier))
                .append_pair("code_challenge_method", "S256");
        }
        if !self.has(ClientFault::NoResourceOnAuthorize) {
            q.append_pair("resource", self.server.as_str());
        }
        let scope = self.with_offline_access(scope, &meta);
        if let Some(s) = &scope {
            q.append_pair("scope", s);
        }
        let sep = if authorize.contains('?') { '&' } else { '?' };
        let url = format!("{authorize}{sep}{}", q.finish());
        self.authorizations += 1;
        let params = match &self.callback {
            Some(cb) => cb.authorize_in_browser(&url).await?,
            None => self.authorize_directly(&url).await?,
        };
        if params.get("state") != Some(&state) && !self.has(ClientFault::IgnoreCallbackState) {
            return Err("the redirect's state is not the one sent: not redeeming the code".into());
        }
        if let Some(e) = params.get("error") {
            return self
                .refused(format!("the authorization server refused: error={e}"))
                .await;
        }
        // RFC 9207 §2.4: an iss that is there must be the issuer; advertised, it must be there.
        let advertised = meta
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool)
            == Some(true);
        let iss = params.get("iss").map(String::as_str);
        let expected = member(&meta, "issuer");
        let same = if self.has(ClientFault::NormalizeCallbackIss) {
            iss.map(|i| i.trim_end_matches('/')) == expected.map(|e| e.trim_end_matches('/'))
        } else {
            iss == expected
        };
        if (iss.is_some() || advertised) && !same && !self.has(ClientFault::IgnoreCallbackIss) {
            return Err(
                "the redirect's iss is not the authorization server's issuer (RFC 9207 §2.4)"
                    .into(),
            );
        }
        let code = params
            .get("code")
            .ok_or("the redirect carries neither code nor error")?;
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.clone()),
            ("redirect_uri", self.config.redirect_uri.clone()),
        ];
        if !self.has(ClientFault::SkipPkce) {
            form.push(("code_verifier", verifier));
        }
        if !self.has(ClientFault::NoResourceOnToken) {
            form.push(("resource", self.server.to_string()));
        }
        let r = self.token_request(&token_url, &auth, form, true).await?;
        self.take_tokens(r.status, r.json(), scope)
            .map_err(|e| format!("the code exchange failed: {e}"))
    }

    /// The authorization request without a browser: the redirect is read, not followed.
    async fn authorize_directly(
        &self,
        url: &str,
    ) -> Result<std::collections::HashMap<String, String>, String> {
        let r = self.http.get(url, self.leak_token()).await?;
        let location = match r.header("location") {
            Some(l) if (300..400).contains(&r.status) => l.to_string(),
            _ => {
                return self
                    .refused(format!(
                        "the authorization endpoint answered {} instead of redirecting back",
                        r.status
                    ))
                    .await;
            }
        };
        let back = url::Url::parse(&location)
            .map_err(|e| format!("the redirect {location:?} is not a URL: {e}"))?;
        if !location.starts_with(&self.config.redirect_uri) {
            return Err(format!(
                "redirected to {location}, not to {}",
                self.config.redirect_uri
            ));
        }
        Ok(back.query_pairs().into_owned().collect())
    }

    /// Stores a token response; keeps the old refresh token when none was issued.
    pub(super) fn take_tokens(
        &mut self,
        status: u16,
        body: Option<Value>,
        asked: Option<String>,
    ) -> Result<(), String> {
        let doc = body.unwrap_or_default();
        let access = member(&doc, "access_token").filter(|_| status == 200);
        let Some(access) = access else {
            return Err(format!("{status} {doc}"));
        };
        self.access_token = Some(access.to_string());
        let keep_old = self.has(ClientFault::KeepOldRefreshToken) && self.refresh_token.is_some();
        if let Some(r) = member(&doc, "refresh_token")
            && !keep_old
        {
            self.refresh_token = Some(r.to_string());
        }
        self.scope = member(&doc, "scope").map(str::to_string).or(asked);
        Ok(())
    }

    /// `grant_type=refresh_token` with `resource`; a rotated refresh token replaces the old.
    pub async fn refresh(&mut self) -> Result<(), RefreshFailure> {
        let other = RefreshFailure::Other;
        let Some(rt) = self.refresh_token.clone() else {
            return Err(other("no refresh token".into()));
        };
        let meta = self.as_meta.clone().unwrap_or_default();
        let token_url = http_url(&meta, "token_endpoint").map_err(other)?;
        let mut auth = self.client.clone().ok_or(other("not registered".into()))?;
        if self.has(ClientFault::RefreshWithOtherAuthMethod) {
            auth = match auth {
                TokenAuth::Basic(id, secret) => TokenAuth::Post(id, secret),
                TokenAuth::Post(id, secret) => TokenAuth::Basic(id, secret),
                public => public,
            };
        }
        let mut form = vec![
            ("grant_type", "refresh_token".to_string()),
            ("refresh_token", rt),
        ];
        if !self.has(ClientFault::NoResourceOnToken) {
            form.push(("resource", self.server.to_string()));
        }
        if let TokenAuth::None(id) = &auth
            && self.has(ClientFault::RepeatClientId)
        {
            form.push(("client_id", id.clone()));
        }
        let twice = self
            .has(ClientFault::RefreshTwiceAtOnce)
            .then(|| form.clone());
        let mut r = self
            .token_request(&token_url, &auth, form, true)
            .await
            .map_err(other)?;
        if let Some(form) = twice {
            // As two requests that got 401 together each refresh: the later answer is kept.
            r = self
                .token_request(&token_url, &auth, form, true)
                .await
                .map_err(other)?;
        }
        if r.status == 400
            && r.json()
                .and_then(|j| member(&j, "error").map(str::to_string))
                .as_deref()
                == Some("invalid_grant")
        {
            self.refresh_token = None;
            return Err(RefreshFailure::InvalidGrant);
        }
        let scope = self.scope.clone();
        self.take_tokens(r.status, r.json(), scope)
            .map_err(|e| other(format!("refresh failed: {e}")))
    }

    /// SEP-2207: `offline_access` added to the scope where the authorization server lists it
    /// (the client wants refresh tokens), never elsewhere.
    fn with_offline_access(&self, scope: Option<String>, meta: &Value) -> Option<String> {
        let listed = meta
            .get("scopes_supported")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("offline_access")));
        if listed || self.has(ClientFault::AlwaysOfflineAccess) {
            union(scope.as_deref(), Some("offline_access"))
        } else {
            scope
        }
    }

    /// The authorization server said no: fail at once (or, with the fault, never).
    async fn refused<T>(&self, why: String) -> Result<T, String> {
        if self.has(ClientFault::HangOnRefusal) {
            std::future::pending::<()>().await;
        }
        Err(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_merge_without_repeats() {
        assert_eq!(
            union(Some("mcp:read"), Some("mcp:read mcp:write")).as_deref(),
            Some("mcp:read mcp:write")
        );
        assert_eq!(union(None, None), None);
        // RFC 7636 Appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
