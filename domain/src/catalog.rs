//! The catalog: what a subscription pays. A price has a name (a [`crate::DisplayName`]), an amount in one currency,
//! a recurrence (every `count` weeks, months or years) and optional trial days. Once a
//! price has subscriptions it is never repriced in place: staff archive it and make a new one.

use crate::billing::BillingInterval;
use crate::money::{Currency, Money};
use chrono::NaiveDate;

/// Why an amount typed for a price is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceAmountError {
    /// Not a number in the currency's decimals, zero, negative or above the limit.
    #[error("the amount is not a positive number in the currency's decimals")]
    Invalid,
}

/// The largest amount one price may charge per period, in major units of any currency.
pub const MAX_PRICE_MAJOR: i64 = 1_000_000;

/// Parses a price amount typed in major units (`"29"`, `"29,90"`): more than zero, at most
/// [`MAX_PRICE_MAJOR`] major units, in the currency's decimals.
pub fn parse_price_amount(input: &str, currency: Currency) -> Result<Money, PriceAmountError> {
    let money = Money::parse_major(input, currency).map_err(|_| PriceAmountError::Invalid)?;
    price_amount_from_minor(money.amount_minor, currency)
}

/// A price's amount given in minor units (the API's `unit_amount`): above zero, at most
/// [`MAX_PRICE_MAJOR`] major units.
pub fn price_amount_from_minor(minor: i64, currency: Currency) -> Result<Money, PriceAmountError> {
    let limit = MAX_PRICE_MAJOR * 10_i64.pow(currency.exponent());
    if minor <= 0 || minor > limit {
        return Err(PriceAmountError::Invalid);
    }
    Ok(Money::new(minor, currency))
}

/// How often a price bills: every `count` weeks, months or years, a year at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    interval: BillingInterval,
    count: u16,
}

/// Why a recurrence is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    /// Not a whole number from 1 to the interval's maximum.
    #[error("the interval count is not from 1 to {max}")]
    Count {
        /// The interval's maximum count.
        max: u16,
    },
}

impl Recurrence {
    /// Every `count` of `interval`, when `count` is from 1 to [`BillingInterval::max_count`].
    pub fn new(interval: BillingInterval, count: u16) -> Result<Recurrence, RecurrenceError> {
        let max = interval.max_count();
        if (1..=max).contains(&count) {
            Ok(Recurrence { interval, count })
        } else {
            Err(RecurrenceError::Count { max })
        }
    }

    /// A count typed in a form (surrounding spaces allowed).
    pub fn parse(interval: BillingInterval, count: &str) -> Result<Recurrence, RecurrenceError> {
        let max = interval.max_count();
        let count = count
            .trim()
            .parse()
            .map_err(|_| RecurrenceError::Count { max })?;
        Recurrence::new(interval, count)
    }

    /// Weeks, months or years.
    pub const fn interval(self) -> BillingInterval {
        self.interval
    }

    /// How many of them one period spans.
    pub const fn count(self) -> u16 {
        self.count
    }
}

/// Free days before a subscription's first charge: 0 to [`TrialDays::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrialDays(u16);

impl TrialDays {
    /// The longest trial: two years.
    pub const MAX: u16 = 730;

    /// A number typed in a form; empty means no trial.
    pub fn parse(input: &str) -> Option<TrialDays> {
        let input = input.trim();
        if input.is_empty() {
            return Some(TrialDays(0));
        }
        input
            .parse::<u16>()
            .ok()
            .filter(|d| *d <= Self::MAX)
            .map(TrialDays)
    }

    /// `n` days, when at most [`Self::MAX`].
    pub fn new(n: u16) -> Option<TrialDays> {
        (n <= Self::MAX).then_some(TrialDays(n))
    }

    /// The number of days.
    pub const fn get(self) -> u16 {
        self.0
    }
}

/// How many units of a price a subscription bills: 1 to [`Quantity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(u32);

impl Quantity {
    /// The most units one subscription may bill.
    pub const MAX: u32 = 10_000;

    /// A number typed in a form; empty means one.
    pub fn parse(input: &str) -> Option<Quantity> {
        let input = input.trim();
        if input.is_empty() {
            return Some(Quantity(1));
        }
        input.parse::<u32>().ok().and_then(Self::new)
    }

    /// `n`, when within 1 to [`Self::MAX`].
    pub fn new(n: u32) -> Option<Quantity> {
        (1..=Self::MAX).contains(&n).then_some(Quantity(n))
    }

    /// The number of units.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// When a new subscription starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStart {
    /// Today: its first invoice (after any trial) is made at once.
    Now,
    /// A later day, at the organization's midnight UTC of that day.
    On(NaiveDate),
}

impl SubscriptionStart {
    /// The furthest ahead a start may be set: a year.
    pub const MAX_AHEAD_DAYS: i64 = 366;

    /// A date typed in a form (`YYYY-MM-DD`); empty, today or yesterday (a day of slack
    /// for time zones) mean now. Further back, or more than a year ahead, is refused.
    pub fn parse(input: &str, today: NaiveDate) -> Option<SubscriptionStart> {
        let input = input.trim();
        if input.is_empty() {
            return Some(SubscriptionStart::Now);
        }
        let date = NaiveDate::parse_from_str(input, "%Y-%m-%d").ok()?;
        let days = (date - today).num_days();
        match days {
            -1 | 0 => Some(SubscriptionStart::Now),
            1..=Self::MAX_AHEAD_DAYS => Some(SubscriptionStart::On(date)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_one_to_ten_thousand_and_empty_is_one() {
        assert_eq!(Quantity::parse("").map(Quantity::get), Some(1));
        assert_eq!(Quantity::parse(" 3 ").map(Quantity::get), Some(3));
        assert_eq!(Quantity::parse("10000").map(Quantity::get), Some(10_000));
        for bad in ["0", "-1", "10001", "1.5", "x"] {
            assert_eq!(Quantity::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_start_is_now_up_to_a_day_back_and_at_most_a_year_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let on = |s: &str| SubscriptionStart::parse(s, today);
        assert_eq!(on(""), Some(SubscriptionStart::Now));
        assert_eq!(on("2026-12-03"), Some(SubscriptionStart::Now));
        assert_eq!(on("2026-12-02"), Some(SubscriptionStart::Now));
        assert_eq!(
            on("2026-12-10"),
            Some(SubscriptionStart::On(
                NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()
            ))
        );
        assert!(on("2027-12-04").is_some());
        for bad in [
            "2026-12-01",
            "2027-12-05",
            "03/12/2026",
            "2026-13-01",
            "soon",
        ] {
            assert_eq!(on(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn amounts_are_positive_in_the_currency_decimals_and_bounded() {
        assert_eq!(
            parse_price_amount("29,90", Currency::Eur)
                .unwrap()
                .amount_minor,
            2990
        );
        assert_eq!(
            parse_price_amount("1000000", Currency::Eur)
                .unwrap()
                .amount_minor,
            100_000_000
        );
        for bad in [
            "0",
            "-5",
            "",
            "abc",
            "1.234",
            "1000000.01",
            "99999999999999999999",
        ] {
            assert_eq!(
                parse_price_amount(bad, Currency::Eur),
                Err(PriceAmountError::Invalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_period_spans_at_most_a_year() {
        assert_eq!(
            Recurrence::parse(BillingInterval::Month, " 3 ")
                .unwrap()
                .count(),
            3
        );
        assert!(Recurrence::new(BillingInterval::Week, 52).is_ok());
        assert_eq!(
            Recurrence::new(BillingInterval::Week, 53),
            Err(RecurrenceError::Count { max: 52 })
        );
        assert_eq!(
            Recurrence::new(BillingInterval::Month, 13),
            Err(RecurrenceError::Count { max: 12 })
        );
        assert_eq!(
            Recurrence::new(BillingInterval::Year, 2),
            Err(RecurrenceError::Count { max: 1 })
        );
        for bad in ["0", "", "-1", "two", "70000"] {
            assert!(
                Recurrence::parse(BillingInterval::Month, bad).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn trial_days_are_optional_and_bounded() {
        assert_eq!(TrialDays::parse(""), Some(TrialDays(0)));
        assert_eq!(TrialDays::parse(" 14 ").map(TrialDays::get), Some(14));
        assert_eq!(TrialDays::parse("730").map(TrialDays::get), Some(730));
        assert_eq!(TrialDays::parse("731"), None);
        assert_eq!(TrialDays::parse("-1"), None);
        assert_eq!(TrialDays::parse("1.5"), None);
    }

    #[test]
    fn minor_amounts_follow_the_price_rules() {
        assert_eq!(
            price_amount_from_minor(2990, Currency::Eur),
            Ok(Money::new(2990, Currency::Eur))
        );
        assert_eq!(
            price_amount_from_minor(0, Currency::Eur),
            Err(PriceAmountError::Invalid)
        );
        assert_eq!(
            price_amount_from_minor(-100, Currency::Eur),
            Err(PriceAmountError::Invalid)
        );
        assert!(price_amount_from_minor(MAX_PRICE_MAJOR * 100, Currency::Eur).is_ok());
        assert_eq!(
            price_amount_from_minor(MAX_PRICE_MAJOR * 100 + 1, Currency::Eur),
            Err(PriceAmountError::Invalid)
        );
        assert_eq!(TrialDays::new(730).map(TrialDays::get), Some(730));
        assert_eq!(TrialDays::new(731), None);
    }
}
