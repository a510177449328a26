//! The clock file: how the runner moves the time of a client under test that runs as one command
//! (the MCP client contract has no channel into the process, unlike the adapters' `clock`
//! command). The runner names a file in `AUTHCONFORM_CLOCK_FILE`; it holds the whole seconds the
//! scenario's clock has moved so far (`0` at the start), one decimal line. When the mock's clock
//! moves, the runner writes the new total (a rename, so a reader never sees half a number) and
//! waits, bounded, until the client writes the same total into the file named with `.ack`
//! appended: its time source has moved that far (the recording proxy holds the MCP server's
//! answer until then, without blocking the runtime). Only for profiles with `capabilities.clock`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The environment variable naming the clock file.
pub const CLOCK_FILE_ENV: &str = "AUTHCONFORM_CLOCK_FILE";
/// How long a client may take to acknowledge a move.
pub const ACK_BOUND: Duration = Duration::from_secs(5);
const ACK_POLL: Duration = Duration::from_millis(5);

static NEXT: AtomicU64 = AtomicU64::new(0);

/// One client run's clock file, in a private folder removed when dropped.
pub struct ClockFile {
    dir: PathBuf,
    path: PathBuf,
    moved: Mutex<i64>,
    /// How long to wait for an acknowledgement (`ACK_BOUND`).
    bound: Duration,
    /// The first move the client did not acknowledge in time, said for the report.
    pub unacknowledged: Mutex<Option<String>>,
}

impl Drop for ClockFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl ClockFile {
    /// A fresh clock file holding `0`.
    pub fn create() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!(
            "authconform-clock-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot make the clock file's folder {}: {e}", dir.display()))?;
        let file = Self {
            path: dir.join("clock"),
            dir,
            moved: Mutex::new(0),
            bound: ACK_BOUND,
            unacknowledged: Mutex::new(None),
        };
        file.write(0)?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn ack_path(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".ack");
        PathBuf::from(p)
    }

    fn write(&self, total: i64) -> Result<(), String> {
        let tmp = self.dir.join("clock.tmp");
        std::fs::write(&tmp, format!("{total}\n"))
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| format!("cannot write the clock file: {e}"))
    }

    fn acknowledged(&self, total: i64) -> bool {
        std::fs::read_to_string(self.ack_path())
            .is_ok_and(|s| s.trim().parse::<i64>().ok() == Some(total))
    }

    /// Moves the client's clock `secs` further: writes the new total, which `acknowledged_by`
    /// then waits for. `None` when the file could not be written (kept in `unacknowledged`).
    pub fn advance(&self, secs: i64) -> Option<i64> {
        let total = {
            let mut moved = self.moved.lock().unwrap_or_else(|p| p.into_inner());
            *moved += secs;
            *moved
        };
        match self.write(total) {
            Ok(()) => Some(total),
            Err(e) => {
                self.note(e);
                None
            }
        }
    }

    /// Waits (at most the bound, without blocking the runtime) until the client acknowledged
    /// `total`; a move not acknowledged in time is kept in `unacknowledged`.
    pub async fn acknowledged_by(&self, total: i64) {
        let deadline = tokio::time::Instant::now() + self.bound;
        while !self.acknowledged(total) {
            if tokio::time::Instant::now() >= deadline {
                self.note(format!(
                    "the client did not acknowledge its clock moved to +{total} s within {:.0} s ({CLOCK_FILE_ENV}, docs/targets/mcp-clients.md); the profile says capabilities.clock",
                    self.bound.as_secs_f64()
                ));
                return;
            }
            tokio::time::sleep(ACK_POLL).await;
        }
    }

    fn note(&self, problem: String) {
        let mut slot = self
            .unacknowledged
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_move_is_written_and_waits_for_the_same_total() {
        let clock = ClockFile::create().unwrap();
        assert_eq!(std::fs::read_to_string(clock.path()).unwrap(), "0\n");
        let ack = clock.ack_path();
        let path = clock.path().to_path_buf();
        // A client that acknowledges what it reads.
        let client = std::thread::spawn(move || {
            for _ in 0..2000 {
                if let Ok(s) = std::fs::read_to_string(&path)
                    && s.trim() == "400"
                {
                    std::fs::write(&ack, s).unwrap();
                    return;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let total = clock.advance(400).unwrap();
        clock.acknowledged_by(total).await;
        client.join().unwrap();
        assert!(clock.unacknowledged.lock().unwrap().is_none());
        assert_eq!(std::fs::read_to_string(clock.path()).unwrap(), "400\n");
    }

    #[tokio::test]
    async fn a_client_that_never_acknowledges_is_said_not_waited_for_forever() {
        let mut clock = ClockFile::create().unwrap();
        clock.bound = Duration::from_millis(20);
        // An acknowledgement of an older total does not count.
        std::fs::write(clock.ack_path(), "0\n").unwrap();
        let total = clock.advance(60).unwrap();
        clock.acknowledged_by(total).await;
        let said = clock.unacknowledged.lock().unwrap().clone().unwrap();
        assert!(said.contains("+60 s"), "{said}");
    }

    #[test]
    fn the_folder_goes_with_the_clock() {
        let clock = ClockFile::create().unwrap();
        let dir = clock.path().parent().unwrap().to_path_buf();
        drop(clock);
        assert!(!dir.exists());
    }
}
