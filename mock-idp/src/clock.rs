//! The one clock. Every expiry decision in mock-idp reads time from here, never from the system
//! directly, so tests and scenarios make a token expire by advancing the clock instead of sleeping.
//!
//! The clock is the system time plus an offset that `POST /_admin/clock` moves forward (or sets).
//! Reading it is two atomic loads: cheap enough for the token endpoint's hot path.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Virtual time in whole seconds since the Unix epoch.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
    /// When frozen, `now()` returns `frozen_at` and real time no longer moves it.
    frozen: AtomicBool,
    frozen_at: AtomicI64,
}

impl Clock {
    /// A clock that follows the system time.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock stopped at `unix_secs`; it moves only when advanced.
    pub fn frozen_at(unix_secs: i64) -> Self {
        let clock = Self::default();
        clock.freeze_at(unix_secs);
        clock
    }

    /// The current virtual time in seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        if self.frozen.load(Ordering::Acquire) {
            return self.frozen_at.load(Ordering::Acquire);
        }
        system_secs() + self.offset_secs.load(Ordering::Acquire)
    }

    /// Moves virtual time forward (or back, with a negative value) by `secs`.
    pub fn advance(&self, secs: i64) {
        if self.frozen.load(Ordering::Acquire) {
            self.frozen_at.fetch_add(secs, Ordering::AcqRel);
        } else {
            self.offset_secs.fetch_add(secs, Ordering::AcqRel);
        }
    }

    /// Sets virtual time to `unix_secs`, keeping it running (or frozen) as it was.
    pub fn set(&self, unix_secs: i64) {
        if self.frozen.load(Ordering::Acquire) {
            self.frozen_at.store(unix_secs, Ordering::Release);
        } else {
            self.offset_secs
                .store(unix_secs - system_secs(), Ordering::Release);
        }
    }

    /// Stops the clock at `unix_secs`.
    pub fn freeze_at(&self, unix_secs: i64) {
        self.frozen_at.store(unix_secs, Ordering::Release);
        self.frozen.store(true, Ordering::Release);
    }

    /// Lets the clock run again from where it stands.
    pub fn unfreeze(&self) {
        let now = self.now();
        self.offset_secs
            .store(now - system_secs(), Ordering::Release);
        self.frozen.store(false, Ordering::Release);
    }

    /// Back to system time, not frozen.
    pub fn reset(&self) {
        self.frozen.store(false, Ordering::Release);
        self.offset_secs.store(0, Ordering::Release);
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::Acquire)
    }

    /// Seconds between system time and virtual time.
    pub fn offset(&self) -> i64 {
        self.now() - system_secs()
    }
}

fn system_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_when_advanced() {
        let clock = Clock::frozen_at(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(61);
        assert_eq!(clock.now(), 1_061);
        clock.set(5);
        assert_eq!(clock.now(), 5);
    }

    #[test]
    fn advancing_a_running_clock_shifts_it_by_the_offset() {
        let clock = Clock::system();
        let before = clock.now();
        clock.advance(3_600);
        let after = clock.now();
        assert!(
            (3_600..=3_602).contains(&(after - before)),
            "{before} {after}"
        );
        clock.reset();
        assert!(clock.now() - before < 3);
    }
}
