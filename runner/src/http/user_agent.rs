//! The runner's user agent: plays the client and the user's browser against a target. It sends
//! real HTTP over loopback, never follows redirects on its own (every hop is a decision the
//! scenario makes), keeps cookies, fills login and consent forms, and records every exchange,
//! redacted at the source, for the transcript.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::http::html_form;
use crate::http::redact::Redactor;

/// How long one HTTP exchange may take before the target counts as hung.
pub const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A response as the scenario sees it (unredacted; never written anywhere).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    pub url: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The `error` member of a JSON error body.
    pub fn error_code(&self) -> Option<String> {
        self.json()
            .and_then(|j| j.get("error").and_then(Value::as_str).map(str::to_string))
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status) && self.location().is_some()
    }
}

/// One recorded request/response pair, already redacted.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    pub step: String,
    pub request: Recorded,
    pub response: Recorded,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// Client authentication for a request.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    Basic { id: String, secret: String },
    None,
}

/// The user agent of one scenario.
pub struct Agent {
    client: reqwest::Client,
    cookies: Vec<(String, String, String)>,
    pub redactor: Redactor,
    pub exchanges: Vec<Exchange>,
    /// Label of the step now running, for the transcript.
    pub step: String,
}

const RECORDED_HEADERS: &[&str] = &[
    "content-type",
    "location",
    "www-authenticate",
    "cache-control",
    "pragma",
];

impl Agent {
    pub fn new(extra_roots: &[reqwest::Certificate]) -> Self {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(EXCHANGE_TIMEOUT)
            .connect_timeout(Duration::from_secs(5));
        for c in extra_roots {
            builder = builder.add_root_certificate(c.clone());
        }
        Self {
            client: builder.build().expect("an HTTP client"),
            cookies: Vec::new(),
            redactor: Redactor::default(),
            exchanges: Vec::new(),
            step: String::new(),
        }
    }

    fn origin(url: &str) -> String {
        url::Url::parse(url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }

    /// Sends a request and records it. `form` is sent urlencoded; `json` as JSON.
    pub async fn send(
        &mut self,
        method: Method,
        url: &str,
        auth: &ClientAuth,
        headers: &[(&str, &str)],
        form: Option<&[(String, String)]>,
        json: Option<&Value>,
    ) -> Result<Response, String> {
        let mut req = self.client.request(method.clone(), url);
        let mut rec_headers = BTreeMap::new();
        if let ClientAuth::Basic { id, secret } = auth {
            let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let creds = STANDARD.encode(format!("{}:{}", enc(id), enc(secret)));
            self.redactor.register("client_secret", secret);
            self.redactor.register("basic_credentials", &creds);
            req = req.header("authorization", format!("Basic {creds}"));
        }
        for (k, v) in headers {
            if k.eq_ignore_ascii_case("authorization")
                && let Some(t) = v
                    .strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            {
                self.redactor.register("bearer", t);
            }
            req = req.header(*k, *v);
            rec_headers.insert(k.to_ascii_lowercase(), v.to_string());
        }
        if matches!(auth, ClientAuth::Basic { .. }) {
            rec_headers.insert("authorization".into(), "Basic <client credentials>".into());
        }
        let origin = Self::origin(url);
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .filter(|(o, _, _)| *o == origin)
            .map(|(_, k, v)| format!("{k}={v}"))
            .collect();
        if !cookie.is_empty() {
            req = req.header("cookie", cookie.join("; "));
        }
        if let Some(q) = url.split_once('?').map(|(_, q)| q) {
            self.redactor.register_form(q);
        }
        let mut rec_body = None;
        if let Some(form) = form {
            let encoded = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter())
                .finish();
            self.redactor.register_form(&encoded);
            rec_body = Some(encoded.clone());
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encoded);
            rec_headers.insert(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            );
        } else if let Some(json) = json {
            self.redactor.register_json(json);
            rec_body = Some(serde_json::to_string(json).unwrap_or_default());
            req = req.json(json);
            rec_headers.insert("content-type".into(), "application/json".into());
        }
        let request = Recorded {
            method: Some(method.to_string()),
            url: Some(url.to_string()),
            status: None,
            headers: rec_headers,
            body: rec_body,
        };
        let result = req.send().await;
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                let why = if e.is_timeout() {
                    format!("no answer within {} s (hung)", EXCHANGE_TIMEOUT.as_secs())
                } else {
                    format!("request failed: {e}")
                };
                self.record(
                    request,
                    Recorded {
                        method: None,
                        url: None,
                        status: None,
                        headers: BTreeMap::new(),
                        body: Some(why.clone()),
                    },
                );
                return Err(why);
            }
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        for sc in headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            if let Some((k, v)) = sc.split(';').next().and_then(|kv| kv.split_once('=')) {
                self.redactor.register("cookie", v.trim());
                self.cookies
                    .retain(|(o, n, _)| !(*o == origin && n == k.trim()));
                self.cookies
                    .push((origin.clone(), k.trim().to_string(), v.trim().to_string()));
            }
        }
        let event_stream = method == Method::GET
            && headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("text/event-stream"));
        // A GET event stream never ends: that it opened is the observation; its body is not read.
        let body = if event_stream {
            drop(resp);
            String::new()
        } else {
            match tokio::time::timeout(EXCHANGE_TIMEOUT, resp.text()).await {
                Ok(Ok(b)) => b,
                Ok(Err(e)) => return Err(format!("reading the response failed: {e}")),
                Err(_) => return Err("the response body did not arrive in time (hung)".into()),
            }
        };
        let response = Response {
            status,
            headers,
            body,
            url: url.to_string(),
        };
        let recorded = self.record_response(&response);
        self.record(request, recorded);
        Ok(response)
    }

    /// Records an exchange another party made (a client under test, seen by the recording
    /// proxy): its secrets are registered like the agent's own, and only the headers that
    /// matter to authorization are kept (the Authorization value as a placeholder).
    pub fn record_observed(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        response: &Response,
    ) {
        if let Some(q) = url.split_once('?').map(|(_, q)| q) {
            self.redactor.register_form(q);
        }
        let mut rec_headers = BTreeMap::new();
        for (k, v) in headers {
            let kept = match k.as_str() {
                "authorization" => match v.split_once(' ') {
                    Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => {
                        self.redactor.register("access_token", t.trim());
                        v.clone()
                    }
                    Some((scheme, _)) => format!("{scheme} <client credentials>"),
                    None => "<credentials>".into(),
                },
                "mcp-session-id" => {
                    self.redactor.register("mcp_session", v);
                    v.clone()
                }
                "content-type" | "mcp-protocol-version" | "origin" | "x-api-key" => v.clone(),
                _ => continue,
            };
            rec_headers.insert(k.clone(), kept);
        }
        let content_type = rec_headers.get("content-type").cloned().unwrap_or_default();
        let rec_body = if body.is_empty() {
            None
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            self.redactor.register_form(body);
            Some(body.to_string())
        } else if let Ok(j) = serde_json::from_str::<Value>(body) {
            self.redactor.register_json(&j);
            Some(serde_json::to_string(&j).unwrap_or_default())
        } else {
            Some(format!("({} bytes)", body.len()))
        };
        if let Some(sid) = response.header("mcp-session-id") {
            self.redactor.register("mcp_session", sid);
        }
        // A registration answer's client_id is random: a placeholder keeps transcripts stable.
        if let Some(id) = response
            .json()
            .filter(|j| j.get("redirect_uris").is_some())
            .and_then(|j| {
                j.get("client_id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
        {
            self.redactor.register("client_id", &id);
        }
        let request = Recorded {
            method: Some(method.to_string()),
            url: Some(url.to_string()),
            status: None,
            headers: rec_headers,
            body: rec_body,
        };
        let recorded = self.record_response(response);
        self.record(request, recorded);
    }

    fn record_response(&mut self, r: &Response) -> Recorded {
        if let Some(loc) = r.location()
            && let Some((_, q)) = loc.split_once('?')
        {
            self.redactor.register_form(q);
        }
        let mut headers = BTreeMap::new();
        for name in RECORDED_HEADERS {
            if let Some(v) = r.header(name) {
                headers.insert(name.to_string(), v.to_string());
            }
        }
        if r.headers.contains_key("set-cookie") {
            headers.insert("set-cookie".into(), "<cookie>".into());
        }
        let content_type = r.header("content-type").unwrap_or("");
        let body = if r.body.is_empty() {
            None
        } else if content_type.contains("json") {
            match r.json() {
                Some(mut j) => {
                    self.redactor.register_json(&j);
                    normalize_times(&mut j);
                    Some(serde_json::to_string_pretty(&j).unwrap_or_default())
                }
                None => Some(format!("(invalid JSON, {} bytes)", r.body.len())),
            }
        } else if content_type.starts_with("text/event-stream") {
            // The JSON-RPC messages of the stream (its `data:` lines), like a JSON body.
            let mut messages: Vec<Value> = r
                .body
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .filter_map(|d| serde_json::from_str(d.trim()).ok())
                .collect();
            for m in &mut messages {
                self.redactor.register_json(m);
                normalize_times(m);
            }
            Some(format!(
                "(event stream) {}",
                serde_json::to_string_pretty(&messages).unwrap_or_default()
            ))
        } else if content_type.contains("html") {
            Some(format!(
                "(HTML page: {})",
                html_form::title(&r.body).unwrap_or_else(|| "untitled".into())
            ))
        } else {
            Some(format!(
                "({} bytes of {})",
                r.body.len(),
                if content_type.is_empty() {
                    "unknown type"
                } else {
                    content_type
                }
            ))
        };
        Recorded {
            method: None,
            url: None,
            status: Some(r.status),
            headers,
            body,
        }
    }

    fn record(&mut self, request: Recorded, response: Recorded) {
        self.exchanges.push(Exchange {
            step: self.step.clone(),
            request,
            response,
        });
    }

    /// The exchanges so far, with every secret known now replaced (values learned after an
    /// exchange was recorded are replaced too).
    pub fn redacted_exchanges(&self) -> Vec<Exchange> {
        let r = &self.redactor;
        let fix = |o: &Option<String>| o.as_ref().map(|s| r.apply(s));
        self.exchanges
            .iter()
            .map(|e| Exchange {
                step: r.apply(&e.step),
                request: Recorded {
                    method: e.request.method.clone(),
                    url: fix(&e.request.url),
                    status: e.request.status,
                    headers: e
                        .request
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), r.apply(v)))
                        .collect(),
                    body: fix(&e.request.body),
                },
                response: Recorded {
                    method: None,
                    url: None,
                    status: e.response.status,
                    headers: e
                        .response
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), r.apply(v)))
                        .collect(),
                    body: fix(&e.response.body),
                },
            })
            .collect()
    }

    pub async fn get(&mut self, url: &str) -> Result<Response, String> {
        self.send(Method::GET, url, &ClientAuth::None, &[], None, None)
            .await
    }

    pub async fn post_form(
        &mut self,
        url: &str,
        auth: &ClientAuth,
        form: &[(String, String)],
    ) -> Result<Response, String> {
        self.send(Method::POST, url, auth, &[], Some(form), None)
            .await
    }
}

/// JSON members holding wall-clock times: replaced by `<time>` in transcripts so that runs
/// against real servers compare (the built-in target's frozen clock makes them stable anyway).
const TIME_FIELDS: &[&str] = &["exp", "iat", "nbf", "auth_time", "client_id_issued_at"];

fn normalize_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if TIME_FIELDS.contains(&k.as_str()) && x.is_number() {
                    *x = Value::String("<time>".into());
                } else {
                    normalize_times(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_times),
        _ => {}
    }
}
