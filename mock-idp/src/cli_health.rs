//! `mock-idp health`: is a mock-idp answering? GETs its OpenID discovery document and checks that
//! it is a JSON object naming an issuer. Made for container health checks, which have no shell or
//! curl in the image (the Dockerfile's HEALTHCHECK runs it).
//!
//! The server's address: `--url`, else `MOCK_IDP_HEALTH_URL`, else the address in
//! `MOCK_IDP_LISTEN` (an unspecified address such as 0.0.0.0 is asked on loopback), else
//! `http://127.0.0.1:5001`. Proxy variables are ignored: the probe goes straight to the server.
//!
//! Exit codes (Docker's): 0 healthy; 1 not (no answer within the timeout, an error status, not a
//! discovery document, or a URL that cannot be used). Argument errors exit 2 (clap).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

const DISCOVERY: &str = "/.well-known/openid-configuration";
const DEFAULT_URL: &str = "http://127.0.0.1:5001";

#[derive(clap::Args, Clone, Debug)]
pub struct HealthArgs {
    /// The server's base URL (its issuer URL, or where it listens), e.g. http://127.0.0.1:5001;
    /// a URL that already ends in /.well-known/... is fetched as it is.
    /// Default: the address in MOCK_IDP_LISTEN, else http://127.0.0.1:5001.
    #[arg(long, env = "MOCK_IDP_HEALTH_URL")]
    url: Option<String>,
    /// Give up after this many milliseconds (connect and answer together).
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    timeout_ms: u64,
}

/// Runs `mock-idp health`.
pub fn run(args: HealthArgs) -> ExitCode {
    let base = args.url.clone().unwrap_or_else(|| {
        std::env::var("MOCK_IDP_LISTEN")
            .ok()
            .and_then(|l| url_for_listen(&l))
            .unwrap_or_else(|| DEFAULT_URL.to_string())
    });
    let url = discovery_url(&base);
    match probe(&url, Duration::from_millis(args.timeout_ms.max(1))) {
        Ok(issuer) => {
            println!("healthy: {url} names issuer {issuer}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("mock-idp health: unhealthy: {url}: {why}");
            ExitCode::from(1)
        }
    }
}

/// The URL to probe for a listen address: loopback for an unspecified address.
fn url_for_listen(listen: &str) -> Option<String> {
    let listen = listen.trim();
    if listen.is_empty() {
        return None;
    }
    match listen.parse::<SocketAddr>() {
        Ok(addr) => {
            let ip = match addr.ip() {
                IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
                ip => ip,
            };
            Some(format!("http://{}", SocketAddr::new(ip, addr.port())))
        }
        // host:port with a name, e.g. localhost:5001
        Err(_) => Some(format!("http://{listen}")),
    }
}

fn discovery_url(base: &str) -> String {
    if base.contains("/.well-known/") {
        base.to_string()
    } else {
        format!("{}{DISCOVERY}", base.trim_end_matches('/'))
    }
}

fn probe(url: &str, timeout: Duration) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
        let answer = async {
            let resp = client
                .get(url)
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|e| format!("no answer: {}", chain(&e)))?;
            let status = resp.status();
            if status != reqwest::StatusCode::OK {
                return Err(format!("answered {status}"));
            }
            let body: serde_json::Value = resp
                .json()
                .await
                .map_err(|e| format!("not a JSON discovery document: {e}"))?;
            body.get("issuer")
                .and_then(|i| i.as_str())
                .map(str::to_string)
                .ok_or_else(|| "the discovery document names no issuer".to_string())
        };
        // The client's own timeouts bound each phase; this bounds the whole probe.
        tokio::time::timeout(timeout, answer)
            .await
            .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
    })
}

/// An error with its causes ("error sending request" alone does not say "connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_become_loopback_urls() {
        assert_eq!(
            url_for_listen("0.0.0.0:5001").as_deref(),
            Some("http://127.0.0.1:5001")
        );
        assert_eq!(
            url_for_listen("[::]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(
            url_for_listen("127.0.0.2:5001").as_deref(),
            Some("http://127.0.0.2:5001")
        );
        assert_eq!(
            url_for_listen("localhost:5001").as_deref(),
            Some("http://localhost:5001")
        );
        assert_eq!(url_for_listen(" "), None);
    }

    #[test]
    fn the_discovery_document_is_appended_once() {
        assert_eq!(
            discovery_url("http://127.0.0.1:5001/"),
            "http://127.0.0.1:5001/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("http://h/tenant1/.well-known/openid-configuration"),
            "http://h/tenant1/.well-known/openid-configuration"
        );
    }
}
