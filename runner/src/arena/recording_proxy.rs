//! The recording proxy in front of the mock-idp when a client is under test: the client talks
//! to the proxy's address (the mock's issuer), the proxy forwards every request to the mock and
//! keeps the exchange as the client sent it (every header, the body), unredacted and in memory
//! only: the scenario judges the client from these records, and the transcript is made from them
//! through the scenario's redactor. Event streams (`GET` answered `text/event-stream`) are passed
//! through as they flow and recorded without their body. A hook sees each exchange once it is
//! recorded, before the client gets the answer (the scenario uses it to move the mock's clock at
//! the right moment).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// How long the proxy waits for the mock (it answers at once; this bounds a wedged run).
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(15);
/// Bodies above this are refused (no client under test needs more).
const MAX_BODY: usize = 1 << 20;

/// One exchange, as the client sent it and as the mock answered.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The proxy's own origin (`http://127.0.0.1:port`): where the client sent it.
    pub origin: String,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Request headers, names lowercase, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    /// Empty for an event stream passed through.
    pub response_body: String,
    /// When the request arrived and when its answer left, on one counter the proxy steps for
    /// both: requests that overlap are told apart from requests made one after another (the
    /// order of `seen` is the order answers left).
    pub arrived: u64,
    pub answered: u64,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// Query parameters of the request URL.
    pub fn query(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .map(|(_, q)| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default()
    }

    /// Form parameters of a urlencoded request body.
    pub fn form(&self) -> Vec<(String, String)> {
        if self
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
        {
            form_urlencoded::parse(self.body.as_bytes())
                .into_owned()
                .collect()
        } else {
            Vec::new()
        }
    }

    /// A request to the mock's token endpoint (`POST …/oauth/token`, or MCP 2025-03-26's default
    /// `/token`).
    pub fn is_token_request(&self) -> bool {
        self.method == "POST" && (self.path().ends_with("/oauth/token") || self.path() == "/token")
    }

    /// A request to the mock's authorization endpoint (`GET …/oauth/authorize`, or MCP
    /// 2025-03-26's default `/authorize`).
    pub fn is_authorization_request(&self) -> bool {
        self.method == "GET"
            && (self.path().ends_with("/oauth/authorize") || self.path() == "/authorize")
    }

    /// A dynamic registration request (`POST …/oauth/register`, or MCP 2025-03-26's default
    /// `/register`).
    pub fn is_registration_request(&self) -> bool {
        self.method == "POST"
            && (self.path().ends_with("/oauth/register") || self.path() == "/register")
    }

    /// A form parameter of the request body.
    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The bearer token of the Authorization header.
    pub fn bearer(&self) -> Option<&str> {
        let h = self.header("authorization")?;
        let (scheme, rest) = h.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
    }

    /// The access token sent with the `DPoP` scheme (RFC 9449 §7.1).
    pub fn dpop_token(&self) -> Option<&str> {
        let h = self.header("authorization")?;
        let (scheme, rest) = h.split_once(' ')?;
        scheme.eq_ignore_ascii_case("dpop").then(|| rest.trim())
    }
}

/// Called with each exchange once recorded.
pub type Hook = Arc<dyn Fn(&Seen) -> Option<HookWait> + Send + Sync>;
/// What a hook may ask the proxy to wait for before the client gets its answer.
pub type HookWait = futures::future::BoxFuture<'static, ()>;

/// Given a request path and the mock's answer body, a replacement body (or `None`): the test
/// rig's way to present a variant the mock itself would not serve (what the client gets, and
/// what is recorded, is the replacement).
pub type Rewrite = Arc<dyn Fn(&str, &str) -> Option<String> + Send + Sync>;

/// Given the `Location` of a redirect, a replacement (or `None`): the test rig's way to change
/// what comes back through the browser (a tampered authorization response). What the client
/// gets, and what is recorded, is the replacement.
pub type LocationRewrite = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What the proxy may change on the way back: bodies and redirect locations.
#[derive(Clone, Default)]
pub struct Rewrites {
    pub body: Option<Rewrite>,
    pub location: Option<LocationRewrite>,
}

#[derive(Clone)]
struct Shared {
    origin: String,
    upstream: String,
    client: reqwest::Client,
    seen: Arc<Mutex<Vec<Seen>>>,
    hook: Option<Hook>,
    rewrites: Rewrites,
}

/// The counter `Seen::arrived` and `Seen::answered` read: one for the process, so exchanges seen
/// by several proxies (an authorization server's and an MCP server's) order against each other.
static TICKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn tick() -> u64 {
    TICKS.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

/// A running proxy; stops when dropped.
pub struct RecordingProxy {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A bound listener, so the mock can be told the proxy's URL before the proxy starts.
pub async fn bind() -> std::io::Result<(tokio::net::TcpListener, String)> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let url = format!("http://{}", listener.local_addr()?);
    Ok((listener, url))
}

impl RecordingProxy {
    pub fn start(
        listener: tokio::net::TcpListener,
        url: String,
        upstream: &str,
        hook: Option<Hook>,
        rewrites: Rewrites,
    ) -> Result<Self, String> {
        Self::start_into(listener, url, upstream, hook, rewrites, Arc::default())
    }

    /// Like `start`, recording into `seen` (shared with another proxy: one record, in arrival
    /// order, of a client that talks to two origins).
    pub fn start_into(
        listener: tokio::net::TcpListener,
        url: String,
        upstream: &str,
        hook: Option<Hook>,
        rewrites: Rewrites,
        seen: Arc<Mutex<Vec<Seen>>>,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("proxy client: {e}"))?;
        let shared = Shared {
            origin: url.clone(),
            upstream: upstream.trim_end_matches('/').to_string(),
            client,
            seen: seen.clone(),
            hook,
            rewrites,
        };
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { url, seen, task })
    }

    /// The record, to share with a second proxy.
    pub fn record(&self) -> Arc<Mutex<Vec<Seen>>> {
        self.seen.clone()
    }

    /// Every exchange so far, oldest first.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn bad_gateway(why: String) -> Response {
    (
        StatusCode::BAD_GATEWAY,
        axum::Json(serde_json::json!({"error": "proxy", "error_description": why})),
    )
        .into_response()
}

async fn forward(State(s): State<Shared>, req: Request) -> Response {
    let arrived = tick();
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(e) => return bad_gateway(format!("reading the request: {e}")),
    };
    let mut up = s
        .client
        .request(method.clone(), format!("{}{target}", s.upstream))
        .body(body.clone());
    for (k, v) in &headers {
        if !matches!(k.as_str(), "host" | "content-length" | "connection") {
            up = up.header(k, v);
        }
    }
    let resp = match tokio::time::timeout(UPSTREAM_TIMEOUT, up.send()).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return bad_gateway(format!("the mock did not answer: {e}")),
        Err(_) => return bad_gateway("the mock did not answer in time".into()),
    };
    let status = resp.status();
    let response_headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "content-length" | "transfer-encoding"))
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            let v = match &s.rewrites.location {
                Some(r) if k == "location" && status.is_redirection() => r(&v).unwrap_or(v),
                _ => v,
            };
            (k.as_str().to_string(), v)
        })
        .collect();
    let stream = method == axum::http::Method::GET
        && resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"));
    let (out_body, recorded_body) = if stream {
        (Body::from_stream(resp.bytes_stream()), String::new())
    } else {
        match tokio::time::timeout(UPSTREAM_TIMEOUT, resp.bytes()).await {
            Ok(Ok(b)) => {
                let text = String::from_utf8_lossy(&b).into_owned();
                let path = target.split('?').next().unwrap_or("");
                match s.rewrites.body.as_ref().and_then(|r| r(path, &text)) {
                    Some(new) => (Body::from(new.clone()), new),
                    None => (Body::from(b), text),
                }
            }
            _ => return bad_gateway("the mock's answer did not arrive".into()),
        }
    };
    let seen = Seen {
        origin: s.origin.clone(),
        method: method.to_string(),
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        status: status.as_u16(),
        response_headers: response_headers.clone(),
        response_body: recorded_body,
        arrived,
        answered: tick(),
    };
    s.seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(seen.clone());
    if let Some(wait) = s.hook.as_ref().and_then(|h| h(&seen)) {
        wait.await;
    }
    let mut out = Response::new(out_body);
    *out.status_mut() = status;
    for (k, v) in response_headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            out.headers_mut().append(k, v);
        }
    }
    out
}
