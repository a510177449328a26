//! The reference client's browser mode (`authconform mcp-client --browser`), the way CLIs
//! authorize: a loopback redirect URI on a port of its own (RFC 8252 §7.3), the authorization
//! URL handed to the user's browser (`$BROWSER`, else `xdg-open`), and the code taken from the one
//! request the browser makes to the loopback listener. Every wait is bounded.

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long the user (or the runner's browser shim) has to come back.
const CALLBACK_WAIT: Duration = Duration::from_secs(60);

/// The loopback listener the browser is sent back to.
pub struct Callback {
    listener: TcpListener,
    pub redirect_uri: String,
}

impl Callback {
    pub async fn bind() -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot listen for the authorization callback: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("callback listener: {e}"))?
            .port();
        Ok(Self {
            listener,
            redirect_uri: format!("http://127.0.0.1:{port}/callback"),
        })
    }

    /// Opens `url` in the browser and waits for the redirect back; its query parameters.
    pub async fn authorize_in_browser(&self, url: &str) -> Result<HashMap<String, String>, String> {
        let opener = std::env::var("BROWSER")
            .ok()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "xdg-open".into());
        let status = tokio::time::timeout(
            Duration::from_secs(10),
            tokio::process::Command::new(&opener)
                .arg(url)
                .stdin(std::process::Stdio::null())
                .status(),
        )
        .await
        .map_err(|_| format!("the browser opener {opener:?} did not return within 10 s"))?
        .map_err(|e| format!("cannot open a browser with {opener:?}: {e}; set BROWSER"))?;
        if !status.success() {
            return Err(format!("the browser opener {opener:?} failed ({status})"));
        }
        tokio::time::timeout(CALLBACK_WAIT, self.one_callback())
            .await
            .map_err(|_| {
                format!(
                    "nobody came back to {} within {} s",
                    self.redirect_uri,
                    CALLBACK_WAIT.as_secs()
                )
            })?
    }

    /// Serves one request on the listener and returns its query parameters.
    async fn one_callback(&self) -> Result<HashMap<String, String>, String> {
        loop {
            let (mut sock, _) = self
                .listener
                .accept()
                .await
                .map_err(|e| format!("callback listener: {e}"))?;
            let mut buf = vec![0u8; 8192];
            let n = tokio::time::timeout(Duration::from_secs(5), sock.read(&mut buf))
                .await
                .map_err(|_| "the callback request did not arrive".to_string())?
                .map_err(|e| format!("reading the callback: {e}"))?;
            let head = String::from_utf8_lossy(&buf[..n]);
            let target = head
                .lines()
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .unwrap_or("")
                .to_string();
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            let body = "authconform reference client: you can close this window\n";
            let status = if path == "/callback" {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = sock
                .write_all(
                    format!(
                        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
            if path == "/callback" {
                return Ok(form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect());
            }
        }
    }
}
