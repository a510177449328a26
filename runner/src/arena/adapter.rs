//! The runner's side of the JSON-lines adapter contract (docs/adapters.md): an adapter process
//! on stdio, or a reference (the OAuth client, the agent server) in-process, behind one
//! interface. Commands go out one per line; answers are matched by `id`; an `open_browser` event
//! is handed to the caller at once (the runner is the browser); the agent driver reads every
//! line itself. Every read is bounded: past the limit the adapter is `hung`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use reference::agent_server::ReferenceAgent;
use reference::oauth_client::ReferenceClient;

/// What the caller waits for next.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The answer to one of the commands waited for, and that command's id.
    Answer(u64, Value),
    /// The adapter wants the user's browser at `url`.
    OpenBrowser { user: String, url: String },
}

struct Process {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    /// What the adapter said on stderr so far (at most 256 KiB), filled as it arrives: a
    /// grandchild that keeps the pipe open (a `flock` in a wrapper script) never sends EOF, and
    /// what was said before must not be lost with it.
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: tokio::task::JoinHandle<()>,
}

enum Kind {
    Reference(Box<ReferenceClient>),
    Agent(Box<ReferenceAgent>),
    Process(Box<Process>),
}

pub struct Adapter {
    kind: Kind,
    /// Lines read but not yet asked for.
    queued: VecDeque<Value>,
    answers: HashMap<String, Value>,
}

impl Adapter {
    pub fn reference(client: ReferenceClient) -> Self {
        Self {
            kind: Kind::Reference(Box::new(client)),
            queued: VecDeque::new(),
            answers: HashMap::new(),
        }
    }

    pub fn reference_agent(agent: ReferenceAgent) -> Self {
        Self {
            kind: Kind::Agent(Box::new(agent)),
            queued: VecDeque::new(),
            answers: HashMap::new(),
        }
    }

    /// Starts `command` in `dir` with `env`.
    pub fn spawn(
        command: &[String],
        dir: &std::path::Path,
        env: &[(String, String)],
    ) -> Result<Self, String> {
        let program = &command[0];
        let program = if program.contains('/') && !program.starts_with('/') {
            dir.join(program).display().to_string()
        } else {
            program.clone()
        };
        let mut child = tokio::process::Command::new(&program)
            .args(&command[1..])
            .current_dir(dir)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start the adapter {program:?}: {e}; check client.command in the profile"
                )
            })?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut err = child.stderr.take().ok_or("no stderr")?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let stderr_reader = tokio::spawn(async move {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = err.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                let mut said = sink.lock().unwrap_or_else(|p| p.into_inner());
                let room = (256 * 1024usize).saturating_sub(said.len());
                said.extend_from_slice(&chunk[..n.min(room)]);
            }
        });
        Ok(Self {
            kind: Kind::Process(Box::new(Process {
                child,
                stdin,
                lines: BufReader::new(stdout).lines(),
                stderr,
                stderr_reader,
            })),
            queued: VecDeque::new(),
            answers: HashMap::new(),
        })
    }

    /// Sends one command.
    pub async fn send(&mut self, cmd: &Value) -> Result<(), String> {
        match &mut self.kind {
            Kind::Reference(c) => {
                let out = c.handle(cmd).await;
                self.queued.extend(out);
                Ok(())
            }
            Kind::Agent(a) => {
                let out = a.handle(cmd).await;
                self.queued.extend(out);
                Ok(())
            }
            Kind::Process(p) => {
                let line = format!("{cmd}\n");
                // An adapter that stops reading its stdin must not hang the run either.
                tokio::time::timeout(Duration::from_secs(10), p.stdin.write_all(line.as_bytes()))
                    .await
                    .map_err(|_| "the adapter did not read its stdin for 10 s (hung)".to_string())?
                    .map_err(|e| format!("the adapter's stdin closed: {e}"))
            }
        }
    }

    /// The next line the adapter writes (an answer, an event), waiting until `deadline`.
    pub async fn next(&mut self, deadline: tokio::time::Instant) -> Result<Value, String> {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        self.next_line(left).await
    }

    async fn next_line(&mut self, limit: Duration) -> Result<Value, String> {
        if let Some(v) = self.queued.pop_front() {
            return Ok(v);
        }
        match &mut self.kind {
            Kind::Reference(_) | Kind::Agent(_) => {
                Err("the reference has nothing more to say".into())
            }
            Kind::Process(p) => loop {
                let line = tokio::time::timeout(limit, p.lines.next_line())
                    .await
                    .map_err(|_| "the adapter did not answer in time (hung)".to_string())?
                    .map_err(|e| format!("reading the adapter: {e}"))?
                    .ok_or("the adapter exited")?;
                if line.trim().is_empty() {
                    continue;
                }
                return serde_json::from_str(&line).map_err(|e| {
                    format!("the adapter wrote a line that is not JSON ({e}): {line}")
                });
            },
        }
    }

    /// Waits for the answer to any of `ids`, or an `open_browser` event, whichever comes first,
    /// until `deadline` (log lines and other answers do not extend it).
    pub async fn wait(
        &mut self,
        ids: &[u64],
        deadline: tokio::time::Instant,
    ) -> Result<Reply, String> {
        loop {
            for id in ids {
                if let Some(a) = self.answers.remove(&id.to_string()) {
                    return Ok(Reply::Answer(*id, a));
                }
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let v = self.next_line(left).await?;
            if v.get("event").and_then(Value::as_str) == Some("open_browser") {
                return Ok(Reply::OpenBrowser {
                    user: v.get("user").and_then(Value::as_str).unwrap_or("").into(),
                    url: v.get("url").and_then(Value::as_str).unwrap_or("").into(),
                });
            }
            if let Some(i) = v.get("id") {
                // `2` and `"2"` are the same command.
                let k = i
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string());
                self.answers.insert(k, v);
            }
        }
    }

    /// Closes stdin and collects what the adapter said on stderr (bounded).
    pub async fn close(self) -> String {
        match self.kind {
            Kind::Reference(_) | Kind::Agent(_) => String::new(),
            Kind::Process(p) => {
                let Process {
                    mut child,
                    stdin,
                    stderr,
                    mut stderr_reader,
                    ..
                } = *p;
                drop(stdin);
                if tokio::time::timeout(Duration::from_secs(2), child.wait())
                    .await
                    .is_err()
                {
                    let _ = child.kill().await;
                }
                // The rest of what it said, for a moment; then what arrived is what it said.
                if tokio::time::timeout(Duration::from_secs(1), &mut stderr_reader)
                    .await
                    .is_err()
                {
                    stderr_reader.abort();
                }
                let said = stderr.lock().unwrap_or_else(|p| p.into_inner());
                String::from_utf8_lossy(&said).into_owned()
            }
        }
    }
}
