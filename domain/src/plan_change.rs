//! Plan changes a customer makes in the portal: which prices and quantities they may choose,
//! and when a change takes effect. A change that costs more per period (an upgrade) takes
//! effect at once and its prorated difference is invoiced and charged now
//! ([`crate::prorate`]); one that costs the same or less (a downgrade) waits for the period's
//! end, so nothing paid is refunded and nothing is owed.
use crate::{BillingInterval, Money, Quantity};

/// The quantities a customer may choose: `min` to `max` units, both within
/// [`Quantity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawQuantityRange")]
pub struct QuantityRange {
    min: u32,
    max: u32,
}

/// A range as it crosses the wire, checked into a [`QuantityRange`].
#[derive(serde::Deserialize)]
struct RawQuantityRange {
    min: i64,
    max: i64,
}

impl TryFrom<RawQuantityRange> for QuantityRange {
    type Error = QuantityRangeError;
    fn try_from(raw: RawQuantityRange) -> Result<Self, Self::Error> {
        QuantityRange::new(raw.min, raw.max)
    }
}

/// Why a quantity range was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityRangeError {
    /// The least is not a whole number from 1 to [`Quantity::MAX`].
    #[error("the least quantity is a whole number from 1 to 10000")]
    Min,
    /// The most is not a whole number from the least to [`Quantity::MAX`].
    #[error("the most is a whole number from the least to 10000")]
    Max,
}

impl QuantityRange {
    /// `min` to `max` units.
    pub fn new(min: i64, max: i64) -> Result<Self, QuantityRangeError> {
        let unit = |n: i64| {
            u32::try_from(n)
                .ok()
                .and_then(Quantity::new)
                .map(Quantity::get)
        };
        let min = unit(min).ok_or(QuantityRangeError::Min)?;
        let max = unit(max)
            .filter(|m| *m >= min)
            .ok_or(QuantityRangeError::Max)?;
        Ok(QuantityRange { min, max })
    }

    /// The two fields of a form: both empty is no range (the quantity stays as it is).
    pub fn parse(min: &str, max: &str) -> Result<Option<Self>, QuantityRangeError> {
        let (min, max) = (min.trim(), max.trim());
        if min.is_empty() && max.is_empty() {
            return Ok(None);
        }
        let min = min.parse::<i64>().map_err(|_| QuantityRangeError::Min)?;
        let max = max.parse::<i64>().map_err(|_| QuantityRangeError::Max)?;
        QuantityRange::new(min, max).map(Some)
    }

    /// The least.
    pub const fn min(self) -> u32 {
        self.min
    }

    /// The most.
    pub const fn max(self) -> u32 {
        self.max
    }

    /// Whether `n` units are within the range.
    pub const fn contains(self, n: u32) -> bool {
        self.min <= n && n <= self.max
    }
}

/// A price as a plan change sees it: what one unit costs each period, and the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceTerms {
    /// One unit for one period.
    pub unit: Money,
    /// The period's interval.
    pub interval: BillingInterval,
    /// How many intervals a period spans.
    pub interval_count: u16,
}

impl PriceTerms {
    /// Whether a subscription can move between the two prices in the middle of a period:
    /// the same currency and the same period (a proration is over days of one period).
    pub fn switchable_with(&self, other: &PriceTerms) -> bool {
        self.unit.currency == other.unit.currency
            && self.interval == other.interval
            && self.interval_count == other.interval_count
    }
}

/// When a change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTiming {
    /// Now: it costs more per period, and the rest of the period is invoiced at once.
    Now,
    /// At the period's end: it costs the same or less.
    AtPeriodEnd,
}

/// Why a plan change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanChangeError {
    /// The price is not one the merchant lets customers choose, or it cannot replace the
    /// current one (another currency or period).
    #[error("this price cannot be chosen")]
    PriceNotAllowed,
    /// The quantity is outside the merchant's range (or the range allows no change).
    #[error("this quantity cannot be chosen")]
    QuantityNotAllowed,
    /// The same price and quantity as now.
    #[error("nothing would change")]
    NoChange,
    /// A period's amount does not fit.
    #[error("the amount is too large")]
    Amount,
}

impl PlanChangeError {
    /// The form's field it is shown beside: `quantity` or `price`.
    pub const fn field(self) -> &'static str {
        match self {
            PlanChangeError::QuantityNotAllowed => "quantity",
            PlanChangeError::PriceNotAllowed
            | PlanChangeError::NoChange
            | PlanChangeError::Amount => "price",
        }
    }
}

/// A change the rules allow: when it takes effect, and a full period's amount before and
/// after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanChange {
    /// Now (an upgrade) or at the period's end.
    pub timing: ChangeTiming,
    /// A full period of the current price and quantity.
    pub old_full: Money,
    /// A full period of the new price and quantity.
    pub new_full: Money,
}

/// What the customer has and what they ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanChoice {
    /// The current price.
    pub current: PriceTerms,
    /// The current quantity.
    pub current_quantity: u32,
    /// The price asked for.
    pub target: PriceTerms,
    /// Whether the price asked for is the current one.
    pub same_price: bool,
    /// Whether the merchant lists the price asked for (the current one is always kept).
    pub listed: bool,
    /// The quantity asked for.
    pub quantity: u32,
    /// Whether the current period was invoiced (not a free trial): in a trial nothing was
    /// paid, so any change takes effect now with nothing due.
    pub billed: bool,
}

/// Checks a change against the merchant's rules: a listed price (or the current one) of
/// the same currency and period; the current quantity, or one within `range`; something
/// that changes. An upgrade (a higher period amount) takes effect now, anything else at the
/// period's end; during a trial, everything now.
pub fn plan_change(
    choice: PlanChoice,
    range: Option<QuantityRange>,
) -> Result<PlanChange, PlanChangeError> {
    let c = choice;
    if !(c.same_price || c.listed) || !c.current.switchable_with(&c.target) {
        return Err(PlanChangeError::PriceNotAllowed);
    }
    let quantity_ok = c.quantity == c.current_quantity
        || (Quantity::new(c.quantity).is_some() && range.is_some_and(|r| r.contains(c.quantity)));
    if !quantity_ok {
        return Err(PlanChangeError::QuantityNotAllowed);
    }
    if c.same_price && c.quantity == c.current_quantity {
        return Err(PlanChangeError::NoChange);
    }
    let full = |unit: Money, q: u32| {
        unit.checked_mul(i64::from(q))
            .map_err(|_| PlanChangeError::Amount)
    };
    let old_full = full(c.current.unit, c.current_quantity)?;
    let new_full = full(c.target.unit, c.quantity)?;
    let timing = if !c.billed || new_full.amount_minor > old_full.amount_minor {
        ChangeTiming::Now
    } else {
        ChangeTiming::AtPeriodEnd
    };
    Ok(PlanChange {
        timing,
        old_full,
        new_full,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn monthly(minor: i64) -> PriceTerms {
        PriceTerms {
            unit: Money::new(minor, Currency::Eur),
            interval: BillingInterval::Month,
            interval_count: 1,
        }
    }

    fn choice(current: i64, target: i64, quantity: u32) -> PlanChoice {
        PlanChoice {
            current: monthly(current),
            current_quantity: 1,
            target: monthly(target),
            same_price: current == target,
            listed: true,
            quantity,
            billed: true,
        }
    }

    #[test]
    fn a_dearer_price_takes_effect_now_and_a_cheaper_one_at_the_period_end() {
        let up = plan_change(choice(1_000, 3_000, 1), None).unwrap();
        let down = plan_change(choice(3_000, 1_000, 1), None).unwrap();

        assert_eq!(up.timing, ChangeTiming::Now);
        assert_eq!(
            (up.old_full.amount_minor, up.new_full.amount_minor),
            (1_000, 3_000)
        );
        assert_eq!(down.timing, ChangeTiming::AtPeriodEnd);
    }

    #[test]
    fn during_a_trial_a_cheaper_price_takes_effect_now() {
        let mut c = choice(3_000, 1_000, 1);
        c.billed = false;

        assert_eq!(plan_change(c, None).unwrap().timing, ChangeTiming::Now);
    }

    #[test]
    fn a_price_of_the_same_amount_waits_for_the_period_end() {
        let mut c = choice(1_000, 1_000, 1);
        c.same_price = false;

        assert_eq!(
            plan_change(c, None).unwrap().timing,
            ChangeTiming::AtPeriodEnd
        );
    }

    #[test]
    fn an_unlisted_price_is_refused_but_the_current_one_is_kept() {
        let mut c = choice(1_000, 3_000, 1);
        c.listed = false;
        assert_eq!(plan_change(c, None), Err(PlanChangeError::PriceNotAllowed));

        let mut same = choice(1_000, 1_000, 2);
        same.listed = false;
        let range = QuantityRange::new(1, 5).unwrap();
        assert_eq!(
            plan_change(same, Some(range)).unwrap().timing,
            ChangeTiming::Now
        );
    }

    #[test]
    fn another_currency_or_period_is_refused() {
        let mut c = choice(1_000, 3_000, 1);
        c.target.unit = Money::new(3_000, Currency::Usd);
        assert_eq!(plan_change(c, None), Err(PlanChangeError::PriceNotAllowed));

        let mut c = choice(1_000, 3_000, 1);
        c.target.interval = BillingInterval::Year;
        assert_eq!(plan_change(c, None), Err(PlanChangeError::PriceNotAllowed));

        let mut c = choice(1_000, 3_000, 1);
        c.target.interval_count = 3;
        assert_eq!(plan_change(c, None), Err(PlanChangeError::PriceNotAllowed));
    }

    #[test]
    fn the_quantity_stays_without_a_range_and_keeps_within_one() {
        assert_eq!(
            plan_change(choice(1_000, 3_000, 2), None),
            Err(PlanChangeError::QuantityNotAllowed)
        );
        let range = QuantityRange::new(2, 5).unwrap();
        assert!(plan_change(choice(1_000, 3_000, 5), Some(range)).is_ok());
        assert_eq!(
            plan_change(choice(1_000, 3_000, 6), Some(range)),
            Err(PlanChangeError::QuantityNotAllowed)
        );
        // The current quantity is kept even outside the range.
        assert!(plan_change(choice(1_000, 3_000, 1), Some(range)).is_ok());
    }

    #[test]
    fn the_same_price_and_quantity_is_no_change() {
        assert_eq!(
            plan_change(choice(1_000, 1_000, 1), None),
            Err(PlanChangeError::NoChange)
        );
    }

    #[test]
    fn fewer_units_of_the_same_price_wait_for_the_period_end() {
        let mut c = choice(1_000, 1_000, 1);
        c.current_quantity = 4;
        let range = QuantityRange::new(1, 10).unwrap();

        assert_eq!(
            plan_change(c, Some(range)).unwrap().timing,
            ChangeTiming::AtPeriodEnd
        );
    }

    #[test]
    fn a_quantity_range_is_checked_field_by_field() {
        assert_eq!(QuantityRange::parse("", " "), Ok(None));
        assert_eq!(
            QuantityRange::parse("2", "8")
                .unwrap()
                .map(|r| (r.min(), r.max())),
            Some((2, 8))
        );
        assert_eq!(QuantityRange::parse("0", "8"), Err(QuantityRangeError::Min));
        assert_eq!(QuantityRange::parse("x", "8"), Err(QuantityRangeError::Min));
        assert_eq!(QuantityRange::parse("3", ""), Err(QuantityRangeError::Max));
        assert_eq!(QuantityRange::parse("3", "2"), Err(QuantityRangeError::Max));
        assert_eq!(
            QuantityRange::parse("1", "10001"),
            Err(QuantityRangeError::Max)
        );
        assert!(serde_json::from_str::<QuantityRange>(r#"{"min":5,"max":1}"#).is_err());
    }

    proptest! {
        /// Exactly the changes that raise a period's amount take effect now.
        #[test]
        fn only_a_dearer_period_takes_effect_now(
            current in 0i64..1_000_000,
            target in 0i64..1_000_000,
            current_quantity in 1u32..50,
            quantity in 1u32..50,
        ) {
            let c = PlanChoice {
                current: monthly(current),
                current_quantity,
                target: monthly(target),
                same_price: false,
                listed: true,
                quantity,
                billed: true,
            };
            let range = QuantityRange::new(1, 50).ok();
            let change = plan_change(c, range).unwrap();
            let dearer = target * i64::from(quantity) > current * i64::from(current_quantity);
            prop_assert_eq!(change.timing == ChangeTiming::Now, dearer);
        }
    }
}
