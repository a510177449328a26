//! A recording upstream API: a loopback HTTP endpoint the runner hands to an MCP server's
//! upstream-calling tool, which records the `Authorization` header of every request it gets, so
//! a check can see whether the caller's token was passed through (MCP Security Best Practices,
//! Token Passthrough). Reads are bounded; it answers `200 ok` to everything.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running recorder; stops when dropped.
pub struct Recorder {
    pub url: String,
    seen: Arc<Mutex<Vec<Option<String>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("url", &self.url).finish()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Listens on 127.0.0.1, port 0.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/upstream", listener.local_addr()?);
        let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let read = async {
                        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65_536 {
                            match conn.read(&mut chunk).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                    };
                    if tokio::time::timeout(Duration::from_secs(5), read)
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buf);
                    let auth = head.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.trim()
                            .eq_ignore_ascii_case("authorization")
                            .then(|| v.trim().to_string())
                    });
                    record.lock().unwrap_or_else(|p| p.into_inner()).push(auth);
                    let _ = conn
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                        )
                        .await;
                });
            }
        });
        Ok(Self { url, seen, task })
    }

    /// The `Authorization` header of each request so far (`None`: the request had none).
    pub fn seen(&self) -> Vec<Option<String>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
