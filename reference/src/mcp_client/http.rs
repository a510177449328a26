//! The reference MCP client's HTTP: never follows redirects (an authorization redirect is read,
//! not visited), bounds every exchange, and reads event-stream answers as their JSON-RPC
//! messages.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// How long one exchange may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// An answer, read whole.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The JSON-RPC messages of a JSON or event-stream body.
    pub fn messages(&self) -> Vec<Value> {
        if self
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/event-stream"))
        {
            self.body
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .filter_map(|d| serde_json::from_str(d.trim()).ok())
                .collect()
        } else {
            match self.json() {
                Some(Value::Array(a)) => a,
                Some(v) => vec![v],
                None => Vec::new(),
            }
        }
    }
}

/// RFC 7523 §2.2's `client_assertion_type`.
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Client authentication at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone)]
pub enum TokenAuth {
    /// A public client: `client_id` in the body.
    None(String),
    Basic(String, String),
    Post(String, String),
    /// A JWT assertion (RFC 7523 §2.2), made for this one request.
    Assertion(String),
}

pub struct Http {
    client: reqwest::Client,
}

impl Http {
    pub fn new() -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self { client })
    }

    async fn read(req: reqwest::RequestBuilder, what: &str) -> Result<Resp, String> {
        let r = req.send().await.map_err(|e| format!("{what}: {e}"))?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.text().await.map_err(|e| format!("{what}: {e}"))?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    pub async fn get(&self, url: &str, bearer: Option<&str>) -> Result<Resp, String> {
        let mut req = self.client.get(url);
        if let Some(t) = bearer {
            req = req.bearer_auth(t);
        }
        Self::read(req, &format!("GET {url}")).await
    }

    /// A form POST to the token endpoint with the client's authentication (and a DPoP proof).
    pub async fn token(
        &self,
        url: &str,
        auth: &TokenAuth,
        mut form: Vec<(&'static str, String)>,
        bearer: Option<&str>,
        dpop_proof: Option<String>,
    ) -> Result<Resp, String> {
        let mut req = self.client.post(url);
        if let Some(p) = dpop_proof {
            req = req.header("dpop", p);
        }
        match auth {
            TokenAuth::None(id) => form.push(("client_id", id.clone())),
            TokenAuth::Basic(id, secret) => {
                let enc =
                    |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                let creds = STANDARD.encode(format!("{}:{}", enc(id), enc(secret)));
                req = req.header("authorization", format!("Basic {creds}"));
            }
            TokenAuth::Post(id, secret) => {
                form.push(("client_id", id.clone()));
                form.push(("client_secret", secret.clone()));
            }
            TokenAuth::Assertion(jwt) => {
                form.push(("client_assertion_type", ASSERTION_TYPE.into()));
                form.push(("client_assertion", jwt.clone()));
            }
        }
        if let Some(t) = bearer
            && !matches!(auth, TokenAuth::Basic(..))
        {
            req = req.bearer_auth(t);
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let req = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        Self::read(req, &format!("POST {url}")).await
    }

    pub async fn post_json(
        &self,
        url: &str,
        body: &Value,
        headers: &[(&str, String)],
    ) -> Result<Resp, String> {
        let mut req = self.client.post(url).json(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        Self::read(req, &format!("POST {url}")).await
    }
}
