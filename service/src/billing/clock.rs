//! Injected time. An organization's "now" is the clock's now plus its test-clock offset.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Mutex;

/// The source of the current time for the billing workers.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to (tests, demos).
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = at;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: TimeDelta) {
        let mut now = self.lock();
        *now += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A panic while holding this lock cannot leave a DateTime half-written.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

/// An organization's time: `now` shifted by its test-clock offset.
pub fn org_time(now: DateTime<Utc>, clock_offset_seconds: i64) -> DateTime<Utc> {
    now.checked_add_signed(TimeDelta::seconds(clock_offset_seconds))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let clock = FixedClock::new(t0);
        assert_eq!(clock.now(), t0);
        clock.advance(TimeDelta::days(2));
        assert_eq!(clock.now(), t0 + TimeDelta::days(2));
        clock.set(t0);
        assert_eq!(clock.now(), t0);
        assert_eq!(org_time(t0, 86_400), t0 + TimeDelta::days(1));
    }
}
