//! Fixed instants for the tests of time rules.
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

/// Noon, 1 March 2026 (UTC).
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// `n` minutes after [`t0`].
pub(crate) fn mins(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(n)
}
