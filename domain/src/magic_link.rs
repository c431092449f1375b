//! Customer sign-in by magic link: link expiry, the post-sign-in redirect, session lifetime.

mod return_to;
mod session;

use chrono::{DateTime, TimeDelta, Utc};

pub use return_to::ReturnTo;
pub use session::SessionPolicy;

/// How long a magic link works after it is sent.
pub const MAGIC_LINK_TTL_MINUTES: i64 = 15;

/// When a link issued at `issued_at` stops working.
pub fn magic_link_expires_at(issued_at: DateTime<Utc>) -> DateTime<Utc> {
    issued_at + TimeDelta::minutes(MAGIC_LINK_TTL_MINUTES)
}

/// Why a magic link cannot sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MagicLinkError {
    /// The link is older than its expiry.
    #[error("this sign-in link has expired")]
    Expired,
    /// The link was already used once.
    #[error("this sign-in link has already been used")]
    AlreadyUsed,
}

/// Checks whether a stored magic link may sign in at `now`.
///
/// A used link reports [`MagicLinkError::AlreadyUsed`] even when it has also expired, so
/// the customer learns the more useful fact. The TTL is enforced from `issued_at` as well
/// as from the stored `expires_at`, so a row written with a too-generous expiry still dies
/// on time.
pub fn check_magic_link(
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), MagicLinkError> {
    if used_at.is_some() {
        return Err(MagicLinkError::AlreadyUsed);
    }
    if now >= expires_at || now >= magic_link_expires_at(issued_at) {
        return Err(MagicLinkError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_time::{mins, t0};

    #[test]
    fn checks_magic_links() {
        let expires = magic_link_expires_at(t0());
        assert_eq!(expires, mins(15));
        type Case = (
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            DateTime<Utc>,
            Result<(), MagicLinkError>,
        );
        let cases: &[Case] = &[
            (expires, None, t0(), Ok(())),
            (expires, None, mins(14), Ok(())),
            (expires, None, mins(15) - TimeDelta::seconds(1), Ok(())),
            (expires, None, mins(15), Err(MagicLinkError::Expired)),
            (expires, None, mins(60), Err(MagicLinkError::Expired)),
            (mins(5), None, mins(6), Err(MagicLinkError::Expired)),
            // A row with a far-off expiry still dies after the TTL.
            (mins(600), None, mins(16), Err(MagicLinkError::Expired)),
            (
                expires,
                Some(mins(1)),
                mins(2),
                Err(MagicLinkError::AlreadyUsed),
            ),
            (
                expires,
                Some(mins(1)),
                mins(60),
                Err(MagicLinkError::AlreadyUsed),
            ),
        ];
        for (expires_at, used_at, now, expected) in cases {
            assert_eq!(
                check_magic_link(t0(), *expires_at, *used_at, *now),
                *expected,
                "now {now}"
            );
        }
    }
}
