//! How long signed-in sessions last.

use chrono::{DateTime, TimeDelta, Utc};

/// How long a signed-in session lasts: it ends after `idle` without activity, and after
/// `absolute` no matter what (so a stolen cookie does not live forever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// The longest gap between two requests.
    pub idle: TimeDelta,
    /// The longest lifetime since sign-in.
    pub absolute: TimeDelta,
}

impl SessionPolicy {
    /// Portal customers: 30 minutes idle, 12 hours at most.
    pub const CUSTOMER: SessionPolicy = SessionPolicy {
        idle: TimeDelta::minutes(30),
        absolute: TimeDelta::hours(12),
    };

    /// Merchant staff: 2 hours idle, 7 days at most.
    pub const STAFF: SessionPolicy = SessionPolicy {
        idle: TimeDelta::hours(2),
        absolute: TimeDelta::days(7),
    };

    /// Whether a session created at `created_at` and last used at `last_seen_at` is still
    /// valid at `now`. Timestamps in the future (clock skew, tampering) are not valid.
    pub fn is_valid(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        created_at <= last_seen_at
            && last_seen_at <= now
            && now - last_seen_at < self.idle
            && now - created_at < self.absolute
    }

    /// When the session ends if it sees no more activity (for cookie expiry and sliding renewal).
    pub fn expires_at(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        (last_seen_at + self.idle).min(created_at + self.absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_time::{mins, t0};

    #[test]
    fn session_lifetimes() {
        let customer = SessionPolicy::CUSTOMER;
        let staff = SessionPolicy::STAFF;
        let hours = |n: i64| t0() + TimeDelta::hours(n);
        type Case = (
            SessionPolicy,
            DateTime<Utc>,
            DateTime<Utc>,
            DateTime<Utc>,
            bool,
        );
        let cases: &[Case] = &[
            (customer, t0(), t0(), t0(), true),
            (customer, t0(), t0(), mins(29), true),
            (customer, t0(), t0(), mins(30), false),
            (
                customer,
                t0(),
                hours(11),
                hours(11) + TimeDelta::minutes(29),
                true,
            ),
            (
                customer,
                t0(),
                hours(11) + TimeDelta::minutes(50),
                hours(12),
                false,
            ),
            (customer, t0(), t0(), t0() - TimeDelta::seconds(1), false),
            (customer, t0(), t0() - TimeDelta::seconds(1), t0(), false),
            (staff, t0(), t0(), mins(119), true),
            (staff, t0(), t0(), mins(120), false),
            (
                staff,
                t0(),
                hours(24 * 7 - 1),
                hours(24 * 7 - 1) + TimeDelta::minutes(59),
                true,
            ),
            (staff, t0(), hours(24 * 7 - 1), hours(24 * 7), false),
        ];
        for (policy, created, seen, now, expected) in cases {
            assert_eq!(
                policy.is_valid(*created, *seen, *now),
                *expected,
                "{created} {seen} {now}"
            );
        }
        assert_eq!(customer.expires_at(t0(), t0()), mins(30));
        assert_eq!(
            customer.expires_at(t0(), hours(12) - TimeDelta::minutes(5)),
            hours(12)
        );
    }
}
