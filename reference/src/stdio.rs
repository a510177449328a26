//! A reference implementation served on the JSON-lines adapter contract (docs/adapters.md) over
//! the process's stdio, as `authconform client-adapter` and `authconform agent-adapter` run it:
//! one command per line in, the reference's replies out, one per line, until stdin closes. This
//! module owns the framing and the system clock; what a command means stays with the reference,
//! and nothing but replies goes to stdout.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncWrite, AsyncWriteExt as _};

use crate::agent_server::ReferenceAgent;
use crate::oauth_client::{Now, ReferenceClient};

/// A built-in reference that can speak the adapter contract on stdio.
pub enum Reference {
    /// The reference OAuth client / auth provider.
    Client(Box<ReferenceClient>),
    /// The reference multi-user agent server.
    Agent(Box<ReferenceAgent>),
}

impl Reference {
    async fn handle(&mut self, cmd: &Value) -> Vec<Value> {
        match self {
            Reference::Client(c) => c.handle(cmd).await,
            Reference::Agent(a) => a.handle(cmd).await,
        }
    }
}

/// The system clock, for a reference on stdio (its peer cannot move the runner's mock clock).
pub fn system_now() -> Now {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    })
}

/// Serves `reference` on stdin and stdout until stdin closes (or cannot be read): `Ok`; an
/// error only when stdout cannot be written, that is when the peer stopped reading.
pub async fn serve_stdio(reference: Reference) -> std::io::Result<()> {
    serve_lines(
        reference,
        tokio::io::BufReader::new(tokio::io::stdin()),
        tokio::io::stdout(),
    )
    .await
}

/// [`serve_stdio`] over any pair of streams: blank lines are skipped, a line that is not JSON
/// gets a `bad_json` reply, and the replies to each command are flushed before the next is read.
async fn serve_lines(
    mut reference: Reference,
    input: impl AsyncBufRead + Unpin,
    mut out: impl AsyncWrite + Unpin,
) -> std::io::Result<()> {
    let mut lines = input.lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim().is_empty() {
            continue;
        }
        let replies = match serde_json::from_str::<Value>(&line) {
            Ok(cmd) => reference.handle(&cmd).await,
            Err(e) => vec![json!({"error": "bad_json", "message": e.to_string()})],
        };
        for r in replies {
            out.write_all(format!("{r}\n").as_bytes()).await?;
        }
        // A peer that stopped reading shows up on the next write; a failed flush alone ends
        // nothing.
        let _ = out.flush().await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blank_lines_are_skipped_and_a_line_that_is_not_json_gets_bad_json() {
        let client = ReferenceClient::new(Vec::new(), system_now());
        let mut out = Vec::new();
        serve_lines(
            Reference::Client(Box::new(client)),
            &b"not json\n\n   \n"[..],
            &mut out,
        )
        .await
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"error\":\"bad_json\",\"message\":\"expected ident at line 1 column 2\"}\n"
        );
    }
}
