//! Assembling and running the server: `app(state) -> Router`, the request journal middleware,
//! and [`MockIdp`], the embeddable handle (port 0, graceful shutdown). The binary adds only a CLI.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json};
use serde_json::json;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::journal::{Decision, redact_query};
use crate::keys::KeyError;
use crate::oauth::{self, discovery};
use crate::request_id::{RequestId, RequestTarget};
use crate::state::{AppState, Tenant};
use crate::{admin, api_me, tls};

/// Every route mock-idp serves, over `state`.
pub fn app(state: AppState) -> Router {
    let root = Tenant(None);
    let mut router = Router::new()
        .merge(oauth::issuer_routes().layer(Extension(root.clone())))
        .route(
            "/.well-known/oauth-authorization-server",
            get(discovery::serve).layer(Extension(root)),
        )
        .route("/api/me", get(api_me::me))
        .merge(crate::rs::routes())
        .merge(crate::mcp::routes(state.clone()))
        .merge(crate::ui::routes());
    if !state.config.mcp.discovery.has_server_metadata() {
        router = router.merge(oauth::default_endpoint_routes().layer(Extension(Tenant(None))));
    }
    for t in &state.config.tenants {
        let tenant = Tenant(Some(Arc::from(t.as_str())));
        router = router
            .nest(
                &format!("/{t}"),
                oauth::issuer_routes().layer(Extension(tenant.clone())),
            )
            .route(
                &format!("/.well-known/oauth-authorization-server/{t}"),
                get(discovery::serve).layer(Extension(tenant.clone())),
            )
            .route(
                &format!("/.well-known/openid-configuration/{t}"),
                get(discovery::serve).layer(Extension(tenant)),
            );
    }
    router
        .nest("/_admin", admin::routes(state.clone()))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            journal_request,
        ))
        .with_state(state)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": "not_found", "error_description": "no such endpoint; see /.well-known/openid-configuration"}))).into_response()
}

/// Gives each request an id and records it (method, redacted path, status) in the journal.
async fn journal_request(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = s.next_request_id();
    req.extensions_mut().insert(RequestId(id));
    let target = RequestTarget {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
    };
    req.extensions_mut().insert(target);
    let method = req.method().clone();
    let path = redact_query(req.uri().path(), req.uri().query());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    s.record(
        Some(id),
        Decision::info("http", "request", format!("{method} {path} -> {status}"))
            .detail("method", method.as_str())
            .detail("path", path)
            .detail("status", status),
    );
    resp
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "cannot listen on {addr}: {source}; choose another address with --listen (127.0.0.1:0 picks a free port)"
    )]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("signing keys: {0}")]
    Keys(#[from] KeyError),
    #[error("TLS: {0}")]
    Tls(String),
}

/// How to start beyond the config.
#[derive(Debug, Default, Clone)]
pub struct StartOptions {
    /// Serve https with a generated certificate, writing the CA certificate (PEM) here.
    pub tls_ca_file: Option<std::path::PathBuf>,
    /// A clock to use instead of the system clock (tests freeze it).
    pub frozen_at: Option<i64>,
}

/// A running mock-idp.
pub struct MockIdp {
    url: String,
    addr: SocketAddr,
    state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MockIdp {
    /// Starts serving `config` over http; `listen` with port 0 picks a free port.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        Self::start_with(config, StartOptions::default()).await
    }

    /// Starts with extra options (TLS, a frozen clock).
    pub async fn start_with(config: Config, options: StartOptions) -> Result<Self, StartError> {
        config.validate().map_err(|message| ConfigError {
            source_name: "<config>".into(),
            message,
        })?;
        let listener =
            std::net::TcpListener::bind(&config.listen).map_err(|source| StartError::Bind {
                addr: config.listen.clone(),
                source,
            })?;
        listener
            .set_nonblocking(true)
            .map_err(|source| StartError::Bind {
                addr: config.listen.clone(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen.clone(),
            source,
        })?;
        let scheme = if options.tls_ca_file.is_some() {
            "https"
        } else {
            "http"
        };
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        let url = format!("{scheme}://{host}:{}", addr.port());
        let base = config.issuer.clone().unwrap_or_else(|| url.clone());
        let clock = match options.frozen_at {
            Some(t) => Clock::frozen_at(t),
            None => Clock::system(),
        };
        let state = AppState::new(config, base, clock)?;
        let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = match &options.tls_ca_file {
            None => {
                let listener = tokio::net::TcpListener::from_std(listener).map_err(|source| {
                    StartError::Bind {
                        addr: url.clone(),
                        source,
                    }
                })?;
                tokio::spawn(async move {
                    let serve = axum::serve(listener, service).with_graceful_shutdown(async {
                        let _ = rx.await;
                    });
                    if let Err(e) = serve.await {
                        tracing::error!("server stopped: {e}");
                    }
                })
            }
            Some(ca_file) => {
                let rustls = tls::server_config(ca_file).await.map_err(StartError::Tls)?;
                let handle = axum_server::Handle::new();
                let h2 = handle.clone();
                tokio::spawn(async move {
                    let _ = rx.await;
                    h2.graceful_shutdown(Some(std::time::Duration::from_secs(1)));
                });
                let server = axum_server::from_tcp_rustls(listener, rustls)
                    .map_err(|e| StartError::Tls(e.to_string()))?;
                tokio::spawn(async move {
                    if let Err(e) = server.handle(handle).serve(service).await {
                        tracing::error!("server stopped: {e}");
                    }
                })
            }
        };
        Ok(Self {
            url,
            addr,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The URL the server answers at, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The issuer of the root tenant (the configured one, or [`MockIdp::url`]).
    pub fn issuer(&self) -> &str {
        &self.state.base_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The live state: clock, faults, journal, registry.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn shutdown(mut self) {
        // Open MCP event streams would hold a graceful shutdown forever.
        self.state.mcp.shutdown.cancel();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockIdp {
    fn drop(&mut self) {
        self.state.mcp.shutdown.cancel();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
