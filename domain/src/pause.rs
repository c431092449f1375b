//! Pausing a subscription from the portal: the customer asks, the pause begins when the
//! period they paid for ends (no invoice while paused) and lasts until a day they choose,
//! within the merchant's longest pause. Resuming ends it at once and starts a new period
//! from then; a pause not yet begun is simply withdrawn.
use crate::SubscriptionStatus;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The longest pause a merchant allows, in days: 1 to [`PauseLimit::MAX_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PauseLimit(u16);

/// Why a limit or a resume day was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PauseError {
    /// Not a whole number of days from 1 to [`PauseLimit::MAX_DAYS`].
    #[error("the longest pause is a number of days from 1 to 365")]
    LimitInvalid,
    /// Not a `YYYY-MM-DD` day.
    #[error("not a date")]
    DateInvalid,
    /// On or before the day the pause begins.
    #[error("the subscription resumes after the pause begins")]
    TooSoon,
    /// Further than the merchant's longest pause from its start.
    #[error("longer than the longest pause allowed")]
    TooLong,
}

impl PauseLimit {
    /// The most a merchant may allow: a year.
    pub const MAX_DAYS: u16 = 365;
    /// What a new portal allows.
    pub const DEFAULT: PauseLimit = PauseLimit(90);

    /// A limit of `days` days.
    pub fn new(days: i64) -> Result<Self, PauseError> {
        u16::try_from(days)
            .ok()
            .filter(|d| (1..=Self::MAX_DAYS).contains(d))
            .map(PauseLimit)
            .ok_or(PauseError::LimitInvalid)
    }

    /// From a form's text.
    pub fn parse(raw: &str) -> Result<Self, PauseError> {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| PauseError::LimitInvalid)
            .and_then(Self::new)
    }

    /// Days.
    pub const fn days(self) -> u16 {
        self.0
    }
}

/// The days a customer may choose to resume on, for a pause beginning at `starts` (the
/// period's end): from the day after it begins to `limit` days after, both included.
pub fn resume_window(starts: DateTime<Utc>, limit: PauseLimit) -> (NaiveDate, NaiveDate) {
    let day = starts.date_naive();
    (
        day + TimeDelta::days(1),
        day + TimeDelta::days(i64::from(limit.days())),
    )
}

/// The instant a pause beginning at `starts` ends when the customer chose to resume on
/// `raw` (`YYYY-MM-DD`): that day at the time of day the period ended, so the new period
/// is whole days. Refused outside [`resume_window`].
pub fn resume_on(
    raw: &str,
    starts: DateTime<Utc>,
    limit: PauseLimit,
) -> Result<DateTime<Utc>, PauseError> {
    let day =
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| PauseError::DateInvalid)?;
    let (first, last) = resume_window(starts, limit);
    if day < first {
        return Err(PauseError::TooSoon);
    }
    if day > last {
        return Err(PauseError::TooLong);
    }
    Ok(day.and_time(starts.time()).and_utc())
}

/// What the customer may do about pausing a subscription now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseChoice {
    /// Ask for a pause from the period's end.
    Pause,
    /// A pause is asked for and has not begun: withdraw it.
    Withdraw,
    /// Paused: resume now.
    Resume,
    /// None of these (past due, ending, ended, not started, in its trial, or its period
    /// already over).
    Neither,
}

/// Whether the current period of a subscription (from `period_start` to `period_end`,
/// with its free trial ending at `trial_end`) was invoiced: not the empty period before a
/// start date, nor a trial. Only such a period can be "the period paid for" a pause
/// begins after.
pub fn period_billed(
    period_start: DateTime<Utc>,
    period_end: DateTime<Utc>,
    trial_end: Option<DateTime<Utc>>,
) -> bool {
    period_start < period_end && trial_end.is_none_or(|t| t < period_end)
}

/// [`PauseChoice`] for a subscription in `status` whose period ends at `period_end` (and
/// was invoiced: `billed`, see [`period_billed`]), set to end with it
/// (`cancel_at_period_end`) or to pause then (`pause_asked`), at `now`. Only a paid-up
/// subscription pauses: one past due owes money first, one ending has nothing left to
/// pause, one in its trial or not yet started has paid for no period.
pub fn pause_choice(
    status: SubscriptionStatus,
    billed: bool,
    cancel_at_period_end: bool,
    pause_asked: bool,
    period_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> PauseChoice {
    match status {
        SubscriptionStatus::Paused => PauseChoice::Resume,
        SubscriptionStatus::Active if period_end <= now || cancel_at_period_end || !billed => {
            PauseChoice::Neither
        }
        SubscriptionStatus::Active if pause_asked => PauseChoice::Withdraw,
        SubscriptionStatus::Active => PauseChoice::Pause,
        SubscriptionStatus::PastDue
        | SubscriptionStatus::Canceled
        | SubscriptionStatus::Unpaid
        | SubscriptionStatus::Incomplete => PauseChoice::Neither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn limits_are_one_day_to_a_year() {
        assert_eq!(PauseLimit::parse(" 30 ").map(PauseLimit::days), Ok(30));
        assert_eq!(PauseLimit::new(365).map(PauseLimit::days), Ok(365));
        for bad in ["0", "366", "-1", "1.5", "", "ninety"] {
            assert_eq!(
                PauseLimit::parse(bad),
                Err(PauseError::LimitInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn resume_day_must_fall_in_the_window() {
        let starts = at(2026, 1, 31, 9);
        let limit = PauseLimit::new(30).unwrap();
        assert_eq!(
            resume_window(starts, limit),
            (
                NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
            )
        );
        assert_eq!(
            resume_on("2026-02-01", starts, limit),
            Ok(at(2026, 2, 1, 9))
        );
        assert_eq!(
            resume_on("2026-03-02", starts, limit),
            Ok(at(2026, 3, 2, 9))
        );
        assert_eq!(
            resume_on("2026-01-31", starts, limit),
            Err(PauseError::TooSoon)
        );
        assert_eq!(
            resume_on("2026-03-03", starts, limit),
            Err(PauseError::TooLong)
        );
        assert_eq!(
            resume_on("2026-02-30", starts, limit),
            Err(PauseError::DateInvalid)
        );
        assert_eq!(
            resume_on("tomorrow", starts, limit),
            Err(PauseError::DateInvalid)
        );
    }

    #[test]
    fn only_a_paid_up_subscription_with_time_left_pauses() {
        let end = at(2026, 2, 1, 0);
        let before = at(2026, 1, 20, 0);
        use SubscriptionStatus as S;
        let choice =
            |s, billed, canceling, asked, now| pause_choice(s, billed, canceling, asked, end, now);
        assert_eq!(
            choice(S::Active, true, false, false, before),
            PauseChoice::Pause
        );
        assert_eq!(
            choice(S::Active, true, false, true, before),
            PauseChoice::Withdraw
        );
        assert_eq!(
            choice(S::Active, true, true, false, before),
            PauseChoice::Neither
        );
        assert_eq!(
            choice(S::Active, true, false, false, end),
            PauseChoice::Neither
        );
        assert_eq!(
            choice(S::Active, false, false, false, before),
            PauseChoice::Neither
        );
        assert_eq!(
            choice(S::Paused, true, false, false, end),
            PauseChoice::Resume
        );
        for s in [S::PastDue, S::Canceled, S::Unpaid, S::Incomplete] {
            assert_eq!(choice(s, true, false, false, before), PauseChoice::Neither);
        }
    }

    #[test]
    fn a_trial_or_a_period_before_the_start_was_not_billed() {
        let (start, end) = (at(2026, 1, 1, 9), at(2026, 2, 1, 9));
        assert!(period_billed(start, end, None));
        assert!(
            !period_billed(end, end, None),
            "the empty period before a start date"
        );
        assert!(!period_billed(start, end, Some(end)), "the trial");
        assert!(
            period_billed(start, end, Some(start)),
            "a period after the trial"
        );
    }

    proptest! {
        /// Every day the window offers is accepted and resumes after the pause begins, at
        /// most the limit later; the days just outside it are refused.
        #[test]
        fn the_window_is_what_resume_on_accepts(
            start_secs in 1_700_000_000i64..1_900_000_000,
            days in 1i64..=365,
            pick in 0u16..365,
        ) {
            let starts = DateTime::from_timestamp(start_secs, 0).unwrap();
            let limit = PauseLimit::new(days).unwrap();
            let (first, last) = resume_window(starts, limit);
            let day = first + TimeDelta::days(i64::from(pick % limit.days()));
            let resumes = resume_on(&day.to_string(), starts, limit).unwrap();
            prop_assert!(resumes > starts);
            prop_assert!(resumes - starts <= TimeDelta::days(days));
            let before = (first - TimeDelta::days(1)).to_string();
            let after = (last + TimeDelta::days(1)).to_string();
            prop_assert_eq!(resume_on(&before, starts, limit), Err(PauseError::TooSoon));
            prop_assert_eq!(resume_on(&after, starts, limit), Err(PauseError::TooLong));
        }
    }
}
