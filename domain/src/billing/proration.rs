//! Proration of a plan change in the middle of a paid period, to the day.
//!
//! The customer gets back the unused days of the plan they leave and pays for the same days
//! of the plan they move to. Both parts are the same function of a full period's amount
//! (rounded down to the minor unit), so:
//! - the credit never exceeds what the period was billed for the plan left;
//! - switching from A to B and back on the same day costs nothing: the second change's
//!   credit is exactly the first's charge, and its charge the first's credit.
use crate::money::{Currency, Money};
use chrono::{DateTime, NaiveDate, Utc};

/// Why a change cannot be prorated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProrationError {
    /// The two prices are in different currencies.
    #[error("the prices are in different currencies")]
    CurrencyMismatch,
    /// The period ends on or before the day it starts.
    #[error("the period has no days")]
    EmptyPeriod,
    /// The change is not within the period (from its start, until before its end).
    #[error("the change is outside the current period")]
    OutsidePeriod,
    /// A full period's amount is negative.
    #[error("a period's amount cannot be negative")]
    NegativeAmount,
}

/// What a change on a given day costs, in the prices' currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proration {
    /// The unused days of the plan left: at most what the period was billed for it.
    pub credit: Money,
    /// The same days of the new plan.
    pub charge: Money,
    /// `charge - credit`: negative when the new plan costs less (a credit to the customer).
    pub due: Money,
    /// Days from the change to the period's end, the change's own day included (none on
    /// the period's last calendar day when it ends after midnight).
    pub days_left: i64,
    /// Days in the period.
    pub days_in_period: i64,
}

/// The unused part of `full` over `days_left` of `days`, rounded down.
fn part(full: i64, days_left: i64, days: i64) -> i64 {
    // Exact in i128: |full| < 2^63 and days_left <= days, so the quotient fits in i64.
    let exact = i128::from(full) * i128::from(days_left) / i128::from(days);
    i64::try_from(exact).unwrap_or(full)
}

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.date_naive()
}

/// The proration of moving, at `at`, from a plan billed `old_full` for the period
/// `[start, end)` to one billed `new_full` for a full period of the same length.
///
/// Days are UTC calendar days; the day of the change is billed at the new price.
pub fn prorate(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    at: DateTime<Utc>,
    old_full: Money,
    new_full: Money,
) -> Result<Proration, ProrationError> {
    if old_full.currency != new_full.currency {
        return Err(ProrationError::CurrencyMismatch);
    }
    if old_full.amount_minor < 0 || new_full.amount_minor < 0 {
        return Err(ProrationError::NegativeAmount);
    }
    let days_in_period = (day(end) - day(start)).num_days();
    if days_in_period <= 0 {
        return Err(ProrationError::EmptyPeriod);
    }
    if at < start || at >= end {
        return Err(ProrationError::OutsidePeriod);
    }
    let days_left = (day(end) - day(at)).num_days();
    let currency: Currency = new_full.currency;
    let credit = part(old_full.amount_minor, days_left, days_in_period);
    let charge = part(new_full.amount_minor, days_left, days_in_period);
    Ok(Proration {
        credit: Money::new(credit, currency),
        charge: Money::new(charge, currency),
        due: Money::new(charge - credit, currency),
        days_left,
        days_in_period,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    fn on(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    /// A change `into` days (and 8 hours) after the start of a `days`-day period that
    /// starts on `start`.
    fn change_after(start: DateTime<Utc>, days: i64, into: i64, old: i64, new: i64) -> Proration {
        let at = start + TimeDelta::days(into) + TimeDelta::hours(8);
        prorate(start, start + TimeDelta::days(days), at, eur(old), eur(new)).unwrap()
    }

    #[test]
    fn an_upgrade_halfway_through_a_thirty_day_period_costs_half_the_difference() {
        let p = change_after(on(2026, 4, 1, 9), 30, 15, 1_000, 3_000);

        assert_eq!((p.days_left, p.days_in_period), (15, 30));
        assert_eq!(p.credit, eur(500));
        assert_eq!(p.charge, eur(1_500));
        assert_eq!(p.due, eur(1_000));
    }

    #[test]
    fn on_the_first_day_the_whole_period_is_credited_and_charged() {
        let p = change_after(on(2026, 2, 1, 0), 28, 0, 999, 1_999);

        assert_eq!(
            (p.credit, p.charge, p.due),
            (eur(999), eur(1_999), eur(1_000))
        );
    }

    #[test]
    fn a_downgrade_is_a_credit() {
        let p = change_after(on(2026, 1, 1, 0), 10, 9, 1_000, 0);

        assert_eq!((p.days_left, p.credit, p.due), (1, eur(100), eur(-100)));
    }

    #[test]
    fn amounts_round_down_to_the_minor_unit() {
        // 1,000 × 1/3 = 333.33…: 333 either way.
        let p = change_after(on(2026, 1, 1, 0), 3, 2, 1_000, 1_000);

        assert_eq!((p.credit, p.charge, p.due), (eur(333), eur(333), eur(0)));
    }

    #[test]
    fn a_change_on_the_last_day_of_a_period_ending_after_midnight_prorates_nothing() {
        let (start, end) = (on(2026, 1, 1, 9), on(2026, 1, 31, 9));

        let p = prorate(start, end, on(2026, 1, 31, 8), eur(3_000), eur(6_000)).unwrap();

        assert_eq!((p.days_left, p.due), (0, eur(0)));
        assert_eq!(
            prorate(start, end, on(2026, 1, 1, 8), eur(3_000), eur(6_000)),
            Err(ProrationError::OutsidePeriod)
        );
    }

    #[test]
    fn refuses_what_cannot_be_prorated() {
        let (start, end) = (on(2026, 1, 1, 0), on(2026, 2, 1, 0));
        let usd = Money::new(100, Currency::Usd);

        assert_eq!(
            prorate(start, end, start, eur(100), usd),
            Err(ProrationError::CurrencyMismatch)
        );
        assert_eq!(
            prorate(start, start, start, eur(100), eur(200)),
            Err(ProrationError::EmptyPeriod)
        );
        assert_eq!(
            prorate(start, end, end, eur(100), eur(200)),
            Err(ProrationError::OutsidePeriod)
        );
        assert_eq!(
            prorate(start, end, start - TimeDelta::days(1), eur(100), eur(200)),
            Err(ProrationError::OutsidePeriod)
        );
        assert_eq!(
            prorate(start, end, start, eur(-1), eur(200)),
            Err(ProrationError::NegativeAmount)
        );
    }

    /// A period of 1 to 400 days, a change at an instant within it, and two full-period
    /// amounts.
    fn change() -> impl Strategy<Value = (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>, i64, i64)> {
        (
            1i64..=400,
            0i64..86_400,
            0i64..10_000_000_000,
            0i64..10_000_000_000,
        )
            .prop_flat_map(|(days, secs, old, new)| {
                (0..days * 86_400).prop_map(move |into| {
                    let start = on(2026, 1, 1, 0) + TimeDelta::seconds(secs);
                    let at = start + TimeDelta::seconds(into);
                    (start, start + TimeDelta::days(days), at, old, new)
                })
            })
    }

    proptest! {
        #[test]
        fn the_credit_never_exceeds_what_was_billed((start, end, at, old, new) in change()) {
            let p = prorate(start, end, at, eur(old), eur(new)).unwrap();

            prop_assert!(p.credit.amount_minor >= 0);
            prop_assert!(p.credit.amount_minor <= old);
            prop_assert!(p.charge.amount_minor <= new);
            prop_assert!(p.days_left >= 0 && p.days_left <= p.days_in_period);
        }

        #[test]
        fn switching_back_and_forth_in_one_day_costs_nothing(
            (start, end, at, old, new) in change(),
            later in 0i64..86_400,
        ) {
            let there = prorate(start, end, at, eur(old), eur(new)).unwrap();
            // Later the same day, before its midnight and the period's end.
            let midnight = at.date_naive().and_hms_opt(23, 59, 59).unwrap().and_utc();
            let back_at = (at + TimeDelta::seconds(later))
                .min(midnight)
                .min(end - TimeDelta::seconds(1))
                .max(at);
            let back = prorate(start, end, back_at, eur(new), eur(old)).unwrap();

            prop_assert_eq!(there.due.amount_minor + back.due.amount_minor, 0);
            prop_assert_eq!(back.credit, there.charge);
        }
    }
}
