//! The reference OAuth client / auth provider for the `@client` scenarios: what they expect of an
//! auth provider, as code, speaking the JSON-lines adapter contract (docs/adapters.md) in-process
//! (and on stdio as `authconform client-adapter`). Providers: `oauth2_auth_code` (state, PKCE
//! S256, nonce, the registered client authentication, ID token validation, refresh on expiry, one
//! re-authorization on `invalid_grant`), `client_credentials` (cached until shortly before
//! expiry), `api_key` (four schemes) and `http_basic` (RFC 7617). Faults of its own for the
//! mutation self-test.

mod faults;
pub(crate) mod id_token;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use protocol::pkce::{random, s256};
use serde::Deserialize;
use serde_json::{Map, Value, json};

pub use faults::OAuthClientFault;

/// Renew a client-credentials token this long before it expires.
pub const RENEW_BEFORE: i64 = 30;

/// The client's clock (the mock's, in-process; the system's on stdio).
pub type Now = Arc<dyn Fn() -> i64 + Send + Sync>;

#[derive(Debug, Clone, Deserialize)]
struct AuthCode {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
    token_endpoint_auth_method: String,
    redirect_uri: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default = "yes")]
    use_pkce: bool,
    #[serde(default)]
    openid: bool,
    /// The server's metadata says it puts `iss` in every authorization response (RFC 9207).
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
struct ClientCredentials {
    token_endpoint: String,
    client_id: String,
    client_secret: String,
    token_endpoint_auth_method: String,
    #[serde(default)]
    scopes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ApiKey {
    scheme: String,
    key: String,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Basic {
    username: String,
    password: String,
}

enum Provider {
    AuthCode(AuthCode),
    ClientCredentials(ClientCredentials),
    ApiKey(ApiKey),
    Basic(Basic),
}

#[derive(Debug, Clone)]
struct Tokens {
    access: String,
    refresh: Option<String>,
    expires_at: Option<i64>,
}

struct Pending {
    /// The command answered when the callback comes (authenticate or headers).
    id: Value,
    state: String,
    verifier: String,
    nonce: String,
}

/// What a provider produced for a command.
enum Outcome {
    Headers(Map<String, Value>),
    /// The user must go through the browser (again).
    Browser(String),
}

pub struct ReferenceClient {
    faults: Vec<OAuthClientFault>,
    now: Now,
    http: reqwest::Client,
    provider: Option<Provider>,
    users: HashMap<String, Tokens>,
    pending: HashMap<String, Pending>,
    service: Option<Tokens>,
    /// Seconds the adapter contract's `clock` command moved this client's time forward.
    advanced: i64,
}

fn answer(id: &Value, headers: Option<Map<String, Value>>) -> Value {
    match headers {
        Some(h) => json!({"id": id, "ok": true, "headers": h}),
        None => json!({"id": id, "ok": true}),
    }
}

fn error(id: &Value, code: &str, message: impl Into<String>) -> Value {
    json!({"id": id, "error": code, "message": message.into()})
}

impl ReferenceClient {
    pub fn new(faults: Vec<OAuthClientFault>, now: Now) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        Self {
            faults,
            now,
            http,
            provider: None,
            users: HashMap::new(),
            pending: HashMap::new(),
            service: None,
            advanced: 0,
        }
    }

    /// The client's time: its clock, moved by every `clock` command.
    fn now(&self) -> i64 {
        (self.now)() + self.advanced
    }

    fn has(&self, f: OAuthClientFault) -> bool {
        self.faults.contains(&f)
    }

    /// One command in, the lines it produces out (answers and events).
    pub async fn handle(&mut self, cmd: &Value) -> Vec<Value> {
        let id = cmd.get("id").cloned().unwrap_or(Value::Null);
        let user = cmd
            .get("user")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match cmd.get("op").and_then(Value::as_str).unwrap_or("") {
            "configure" => match self.configure(cmd) {
                Ok(()) => vec![answer(&id, None)],
                Err(e) => vec![error(&id, "bad_config", e)],
            },
            "authenticate" | "headers" => match self.headers(&user).await {
                Ok(Outcome::Headers(h)) => vec![answer(&id, Some(h))],
                Ok(Outcome::Browser(url)) => self.open_browser(&id, &user, url),
                Err(e) => vec![error(&id, "failed", e)],
            },
            "request" => {
                let url = cmd.get("url").and_then(Value::as_str).unwrap_or("");
                match self.headers(&user).await {
                    Ok(Outcome::Headers(h)) => match self.send_mcp(url, &h).await {
                        Ok(status) => vec![json!({"id": id, "ok": true, "status": status})],
                        Err(e) => vec![error(&id, "request_failed", e)],
                    },
                    Ok(Outcome::Browser(url)) => self.open_browser(&id, &user, url),
                    Err(e) => vec![error(&id, "failed", e)],
                }
            }
            "clock" => match cmd.get("advance_seconds").and_then(Value::as_i64) {
                Some(secs) if secs >= 0 => {
                    self.advanced += secs;
                    vec![answer(&id, None)]
                }
                _ => vec![error(
                    &id,
                    "bad_command",
                    "clock needs advance_seconds, a whole number of seconds, 0 or more",
                )],
            },
            "callback" => {
                let url = cmd.get("url").and_then(Value::as_str).unwrap_or("");
                let Some(pending) = self.pending.remove(&user) else {
                    return vec![error(&id, "unexpected", "no authorization is under way")];
                };
                match self.finish(&user, url, &pending).await {
                    Ok(()) => match self.headers(&user).await {
                        Ok(Outcome::Headers(h)) => {
                            vec![answer(&id, None), answer(&pending.id, Some(h))]
                        }
                        Ok(Outcome::Browser(_)) | Err(_) => vec![
                            answer(&id, None),
                            error(&pending.id, "failed", "no token after the callback"),
                        ],
                    },
                    Err(e) => vec![
                        error(&id, "callback_refused", e.clone()),
                        error(&pending.id, "authorization_failed", e),
                    ],
                }
            }
            other => vec![error(&id, "unsupported", format!("unknown op {other:?}"))],
        }
    }

    /// One MCP request (initialize) to `url` with the provider's headers; its status.
    async fn send_mcp(&self, url: &str, headers: &Map<String, Value>) -> Result<u16, String> {
        let mut req = self
            .http
            .post(url)
            .header("accept", "application/json, text/event-stream")
            .json(
                &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                    "protocolVersion": "2025-11-25",
                    "capabilities": {},
                    "clientInfo": {"name": "authconform-reference-client", "version": "1"}
                }}),
            );
        for (k, v) in headers {
            let v = v.as_str().unwrap_or("");
            if self.has(OAuthClientFault::McpAlwaysBearer) {
                // The credential without its scheme or prefix (the last word), as a Bearer token.
                let token = v.rsplit(' ').next().unwrap_or(v);
                req = req.header("authorization", format!("Bearer {token}"));
            } else {
                req = req.header(k.as_str(), v);
            }
        }
        let r = req.send().await.map_err(|e| format!("POST {url}: {e}"))?;
        Ok(r.status().as_u16())
    }

    fn configure(&mut self, cmd: &Value) -> Result<(), String> {
        let config = cmd.get("config").cloned().unwrap_or(json!({}));
        let kind = cmd.get("provider").and_then(Value::as_str).unwrap_or("");
        let bad = |e: serde_json::Error| format!("{kind} config: {e}");
        self.provider = Some(match kind {
            "oauth2_auth_code" => Provider::AuthCode(serde_json::from_value(config).map_err(bad)?),
            "client_credentials" => {
                Provider::ClientCredentials(serde_json::from_value(config).map_err(bad)?)
            }
            "api_key" => Provider::ApiKey(serde_json::from_value(config).map_err(bad)?),
            "http_basic" => Provider::Basic(serde_json::from_value(config).map_err(bad)?),
            other => return Err(format!("unsupported provider {other:?}")),
        });
        Ok(())
    }

    fn open_browser(&mut self, id: &Value, user: &str, url: String) -> Vec<Value> {
        if let Some(p) = self.pending.get_mut(user) {
            p.id = id.clone();
        }
        let mut out = vec![json!({"event": "open_browser", "user": user, "url": url})];
        // Fault: more authorizations at once than the one a failed refresh calls for.
        if self.has(OAuthClientFault::ReauthorizeLoop) && self.users.contains_key(user) {
            out.push(json!({"event": "open_browser", "user": user, "url": url}));
        }
        out
    }

    async fn headers(&mut self, user: &str) -> Result<Outcome, String> {
        let mut h = Map::new();
        match self.provider.as_ref().ok_or("not configured")? {
            Provider::ApiKey(k) => {
                let (name, value) = match k.scheme.as_str() {
                    "bearer" => ("Authorization", format!("Bearer {}", k.key)),
                    "x_api_key" if self.has(OAuthClientFault::WrongApiKeyHeader) => {
                        ("Authorization", format!("Bearer {}", k.key))
                    }
                    "x_api_key" => ("X-API-Key", k.key.clone()),
                    "basic" => ("Authorization", format!("Basic {}", k.key)),
                    "custom" => (
                        k.header.as_deref().ok_or("custom scheme without header")?,
                        format!("{}{}", k.prefix.as_deref().unwrap_or(""), k.key),
                    ),
                    other => return Err(format!("unknown API key scheme {other:?}")),
                };
                h.insert(name.to_string(), json!(value));
            }
            Provider::Basic(b) => {
                // RFC 7617 §2: user-id ":" password, UTF-8, base64; no form encoding.
                let pair = if self.has(OAuthClientFault::BasicFormEncoded) {
                    let enc =
                        |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                    format!("{}:{}", enc(&b.username), enc(&b.password))
                } else {
                    format!("{}:{}", b.username, b.password)
                };
                h.insert(
                    "Authorization".into(),
                    json!(format!("Basic {}", STANDARD.encode(pair))),
                );
            }
            Provider::ClientCredentials(_) => {
                let token = self.service_token().await?;
                h.insert("Authorization".into(), json!(format!("Bearer {token}")));
            }
            Provider::AuthCode(_) => return self.user_token(user).await,
        }
        Ok(Outcome::Headers(h))
    }

    /// The token endpoint request with the registered client authentication.
    async fn token_request(
        &self,
        url: &str,
        client_id: &str,
        secret: Option<&str>,
        method: &str,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<(u16, Value), String> {
        let mut req = self.http.post(url);
        let method =
            if method == "client_secret_basic" && self.has(OAuthClientFault::WrongClientAuth) {
                "client_secret_post"
            } else if method == "client_secret_post" && self.has(OAuthClientFault::AlwaysBasic) {
                "client_secret_basic"
            } else {
                method
            };
        match (method, secret) {
            ("client_secret_basic", Some(s)) => {
                // RFC 6749 §2.3.1: each part form-encoded, then base64.
                let enc =
                    |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                req = req.header(
                    "authorization",
                    format!(
                        "Basic {}",
                        STANDARD.encode(format!("{}:{}", enc(client_id), enc(s)))
                    ),
                );
            }
            ("client_secret_post", Some(s)) => {
                form.push(("client_id", client_id.into()));
                form.push(("client_secret", s.into()));
            }
            _ => form.push(("client_id", client_id.into())),
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let r = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("POST {url}: {e}"))?;
        let status = r.status().as_u16();
        let json = r.json::<Value>().await.unwrap_or(Value::Null);
        Ok((status, json))
    }

    fn tokens_from(&self, doc: &Value, old_refresh: Option<String>) -> Result<Tokens, String> {
        let access = doc
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("no access_token in {doc}"))?;
        Ok(Tokens {
            access: access.to_string(),
            refresh: doc
                .get("refresh_token")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or(old_refresh),
            expires_at: doc
                .get("expires_in")
                .and_then(Value::as_i64)
                .map(|s| self.now() + s),
        })
    }

    async fn service_token(&mut self) -> Result<String, String> {
        let now = self.now();
        if let Some(t) = &self.service
            && !self.has(OAuthClientFault::NoTokenCache)
        {
            let fresh = t.expires_at.is_none_or(|e| now < e - RENEW_BEFORE);
            if fresh || self.has(OAuthClientFault::NoRenewal) {
                return Ok(t.access.clone());
            }
        }
        let Some(Provider::ClientCredentials(c)) = &self.provider else {
            return Err("not a client-credentials provider".into());
        };
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if !c.scopes.is_empty() {
            form.push(("scope", c.scopes.join(" ")));
        }
        let (status, doc) = self
            .token_request(
                &c.token_endpoint,
                &c.client_id,
                Some(&c.client_secret),
                &c.token_endpoint_auth_method,
                form,
            )
            .await?;
        if status != 200 {
            return Err(format!("client_credentials refused: {status} {doc}"));
        }
        let t = self.tokens_from(&doc, None)?;
        let access = t.access.clone();
        self.service = Some(t);
        Ok(access)
    }

    async fn user_token(&mut self, user: &str) -> Result<Outcome, String> {
        let Some(Provider::AuthCode(c)) = &self.provider else {
            return Err("not an authorization-code provider".into());
        };
        let c = c.clone();
        let Some(t) = self.users.get(user).cloned() else {
            return Ok(Outcome::Browser(self.start(user, &c)));
        };
        let expired = t.expires_at.is_some_and(|e| self.now() >= e);
        if !expired || self.has(OAuthClientFault::NoRefresh) {
            let mut h = Map::new();
            h.insert(
                "Authorization".into(),
                json!(format!("Bearer {}", t.access)),
            );
            return Ok(Outcome::Headers(h));
        }
        if let Some(rt) = t.refresh.clone() {
            // The fault: the secret's masked display form, as a provider that hands its secret
            // wrapper (pydantic's SecretStr) to the HTTP library instead of the secret.
            let secret = match c.client_secret.as_deref() {
                Some(_) if self.has(OAuthClientFault::MaskedSecretOnRefresh) => Some("**********"),
                s => s,
            };
            let (status, doc) = self
                .token_request(
                    &c.token_endpoint,
                    &c.client_id,
                    secret,
                    &c.token_endpoint_auth_method,
                    vec![
                        ("grant_type", "refresh_token".into()),
                        ("refresh_token", rt.clone()),
                    ],
                )
                .await?;
            if status == 200 {
                let fresh = self.tokens_from(&doc, Some(rt))?;
                let access = fresh.access.clone();
                self.users.insert(user.to_string(), fresh);
                let mut h = Map::new();
                h.insert("Authorization".into(), json!(format!("Bearer {access}")));
                return Ok(Outcome::Headers(h));
            }
            if doc.get("error").and_then(Value::as_str) != Some("invalid_grant") {
                return Err(format!("refresh refused: {status} {doc}"));
            }
        }
        // No refresh token, or it is no good: one clean re-authorization.
        Ok(Outcome::Browser(self.start(user, &c)))
    }

    /// A new authorization request for `user`; its URL.
    fn start(&mut self, user: &str, c: &AuthCode) -> String {
        let state = random(16);
        let verifier = random(32);
        let nonce = random(16);
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", &c.client_id)
            .append_pair("redirect_uri", &c.redirect_uri)
            .append_pair("state", &state);
        let mut scopes = c.scopes.clone();
        if c.openid && !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".into());
        }
        if !scopes.is_empty() {
            q.append_pair("scope", &scopes.join(" "));
        }
        if c.openid {
            q.append_pair("nonce", &nonce);
        }
        if c.use_pkce && !self.has(OAuthClientFault::SkipPkce) {
            q.append_pair("code_challenge", &s256(&verifier))
                .append_pair("code_challenge_method", "S256");
        }
        let sep = if c.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        self.pending.insert(
            user.to_string(),
            Pending {
                id: Value::Null,
                state,
                verifier,
                nonce,
            },
        );
        format!("{}{sep}{}", c.authorization_endpoint, q.finish())
    }

    /// The browser came back: check it, redeem the code, validate the ID token.
    async fn finish(&mut self, user: &str, url: &str, p: &Pending) -> Result<(), String> {
        let Some(Provider::AuthCode(c)) = &self.provider else {
            return Err("not an authorization-code provider".into());
        };
        let c = c.clone();
        let back = url::Url::parse(url).map_err(|e| format!("the callback is not a URL: {e}"))?;
        let params: HashMap<String, String> = back.query_pairs().into_owned().collect();
        let state_ok = params.get("state") == Some(&p.state);
        if !state_ok && !self.has(OAuthClientFault::IgnoreState) {
            return Err(
                "the callback's state is not the one sent: the code is not redeemed".into(),
            );
        }
        // RFC 9207 §2.4: a present iss must be the server the request went to; a missing one is
        // refused when the server said it always sends it.
        if !self.has(OAuthClientFault::IgnoreIss) {
            match params.get("iss") {
                Some(iss) if iss != &c.issuer => {
                    return Err(format!(
                        "the callback's iss {iss:?} is not the authorization server the request went to: the code is not redeemed"
                    ));
                }
                None if c.authorization_response_iss_parameter_supported => {
                    return Err("the callback has no iss though the authorization server always sends one: the code is not redeemed".into());
                }
                _ => {}
            }
        }
        let grant_anyway = self.has(OAuthClientFault::RedeemWithoutCode);
        if let Some(e) = params.get("error")
            && !grant_anyway
        {
            return Err(format!("the authorization server refused: {e}"));
        }
        let code = match params.get("code") {
            Some(code) => code.clone(),
            None if grant_anyway => String::new(),
            None => return Err("the callback carries no code".into()),
        };
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code),
            ("redirect_uri", c.redirect_uri.clone()),
        ];
        if c.use_pkce && !self.has(OAuthClientFault::SkipPkce) {
            form.push(("code_verifier", p.verifier.clone()));
        }
        let (status, doc) = self
            .token_request(
                &c.token_endpoint,
                &c.client_id,
                c.client_secret.as_deref(),
                &c.token_endpoint_auth_method,
                form,
            )
            .await?;
        if status != 200 {
            return Err(format!("the code exchange failed: {status} {doc}"));
        }
        if c.openid && !self.has(OAuthClientFault::SkipIdTokenValidation) {
            let token = doc
                .get("id_token")
                .and_then(Value::as_str)
                .ok_or("no id_token though openid was asked for")?;
            id_token::validate(
                &self.http,
                &c.jwks_uri,
                token,
                &id_token::Expected {
                    issuer: &c.issuer,
                    client_id: &c.client_id,
                    nonce: Some(&p.nonce),
                    now: self.now(),
                },
            )
            .await?;
        }
        let tokens = self.tokens_from(&doc, None)?;
        self.users.insert(user.to_string(), tokens);
        Ok(())
    }
}
