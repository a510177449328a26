//! Starting and stopping an implementation under test described by a profile's `start`: run the
//! command, poll the readiness URL within a bounded time, stop it afterwards.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::target::StartSpec;

/// A started implementation; stopped on drop.
pub struct Launched {
    child: Option<Child>,
    stop_command: Option<String>,
    dir: std::path::PathBuf,
}

/// Starts `spec.command` in `dir` with `env` added and waits until `ready_url` answers 2xx.
pub async fn start(
    spec: &StartSpec,
    dir: &Path,
    env: &[(String, String)],
) -> Result<Launched, String> {
    let child = Command::new("sh")
        .arg("-c")
        .arg(&spec.command)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", spec.command))?;
    let mut launched = Launched {
        child: Some(child),
        stop_command: spec.stop_command.clone(),
        dir: dir.to_path_buf(),
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(spec.ready_timeout_seconds);
    loop {
        if let Some(c) = launched.child.as_mut()
            && let Ok(Some(status)) = c.try_wait()
        {
            return Err(format!(
                "{:?} exited with {status} before it was ready",
                spec.command
            ));
        }
        if let Ok(r) = client.get(&spec.ready_url).send().await
            && r.status().is_success()
        {
            return Ok(launched);
        }
        if Instant::now() >= deadline {
            launched.stop();
            return Err(format!(
                "{} did not answer 2xx within {} s",
                spec.ready_url, spec.ready_timeout_seconds
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

impl Launched {
    /// Stops the implementation (its stop command, else kill).
    pub fn stop(&mut self) {
        if let Some(cmd) = self.stop_command.take() {
            let _ = Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .current_dir(&self.dir)
                .status();
        }
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        self.stop();
    }
}
