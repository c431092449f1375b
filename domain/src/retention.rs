//! The retention offer: one discount a merchant may show a customer who is about to cancel,
//! a percent off every invoice whose period starts within a number of months from the next
//! period (the one not yet paid when the offer is accepted): three months of a monthly plan
//! are its next three invoices; a yearly plan's next invoice gets it once, as a repeating
//! coupon does with Stripe.
//! It is offered once per subscription: accepted, or passed over by cancelling anyway.
use crate::{InvoiceLine, Money, SubscriptionStatus};
use chrono::{DateTime, Months, Utc};

/// A percent off and how many months it lasts: 1–99 % (the customer still pays something:
/// a free period is a pause), for 1–24 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawRetentionOffer")]
pub struct RetentionOffer {
    percent: u8,
    months: u8,
}

/// An offer as it crosses the wire, checked into a [`RetentionOffer`].
#[derive(serde::Deserialize)]
struct RawRetentionOffer {
    percent: i64,
    months: i64,
}

impl TryFrom<RawRetentionOffer> for RetentionOffer {
    type Error = RetentionOfferError;
    fn try_from(raw: RawRetentionOffer) -> Result<Self, Self::Error> {
        RetentionOffer::new(raw.percent, raw.months)
    }
}

/// Why an offer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RetentionOfferError {
    /// Not a whole number from 1 to 99.
    #[error("the discount is a whole percent from 1 to 99")]
    Percent,
    /// Not a whole number from 1 to 24.
    #[error("the offer lasts from 1 to 24 months")]
    Months,
}

impl RetentionOffer {
    /// The largest discount.
    pub const MAX_PERCENT: u8 = 99;
    /// The longest offer.
    pub const MAX_MONTHS: u8 = 24;

    /// `percent` off for `months` months.
    pub fn new(percent: i64, months: i64) -> Result<Self, RetentionOfferError> {
        let percent = u8::try_from(percent)
            .ok()
            .filter(|p| (1..=Self::MAX_PERCENT).contains(p))
            .ok_or(RetentionOfferError::Percent)?;
        let months = u8::try_from(months)
            .ok()
            .filter(|m| (1..=Self::MAX_MONTHS).contains(m))
            .ok_or(RetentionOfferError::Months)?;
        Ok(RetentionOffer { percent, months })
    }

    /// From a form's two fields; both empty is no offer.
    pub fn parse(percent: &str, months: &str) -> Result<Option<Self>, RetentionOfferError> {
        let (percent, months) = (percent.trim(), months.trim());
        if percent.is_empty() && months.is_empty() {
            return Ok(None);
        }
        let percent = percent
            .parse::<i64>()
            .map_err(|_| RetentionOfferError::Percent)?;
        let months = months
            .parse::<i64>()
            .map_err(|_| RetentionOfferError::Months)?;
        Self::new(percent, months).map(Some)
    }

    /// The percent off.
    pub const fn percent(self) -> u8 {
        self.percent
    }

    /// How many months it lasts.
    pub const fn months(self) -> u8 {
        self.months
    }

    /// Accepted during the period ending at `next_period` (when the next one starts), the
    /// discount applies to invoices whose period starts from then until this instant, the
    /// offer's months later.
    pub fn ends_at(self, next_period: DateTime<Utc>) -> DateTime<Utc> {
        next_period
            .checked_add_months(Months::new(u32::from(self.months)))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// The offer a customer about to cancel sees: the merchant's, for an active subscription
/// that is not ending already and was never offered it (accepted, or passed over by
/// cancelling).
pub fn offer_for(
    offer: Option<RetentionOffer>,
    status: SubscriptionStatus,
    cancel_at_period_end: bool,
    offered_before: bool,
) -> Option<RetentionOffer> {
    offer.filter(|_| {
        status == SubscriptionStatus::Active && !cancel_at_period_end && !offered_before
    })
}

/// A discount a subscription carries: `percent` off until `ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discount {
    /// 1–99.
    pub percent: u8,
    /// Invoices whose period starts at or after this pay the full price.
    pub ends_at: DateTime<Utc>,
}

impl Discount {
    /// The discount, if any, an invoice for the period starting at `period_start` gets.
    pub fn on(self, period_start: DateTime<Utc>) -> Option<u8> {
        (period_start < self.ends_at).then_some(self.percent)
    }
}

/// `percent` off `subtotal`, rounded down to the minor unit: never more than the subtotal,
/// and with at most 99 % off, a positive subtotal leaves something to pay.
pub fn percent_off(subtotal: Money, percent: u8) -> Money {
    let percent = i128::from(percent.min(100));
    let off = i128::from(subtotal.amount_minor.max(0)) * percent / 100;
    Money::new(i64::try_from(off).unwrap_or(0), subtotal.currency)
}

/// The discount line for `percent` off `subtotal` (a negative amount), described with
/// `description` in the customer's language.
pub fn discount_line(subtotal: Money, percent: u8, description: String) -> Option<InvoiceLine> {
    let off = percent_off(subtotal, percent);
    off.is_positive().then(|| InvoiceLine {
        description,
        quantity: 1,
        unit: Money::new(-off.amount_minor, off.currency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, InvoiceTotals};
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn an_offer_is_1_to_99_percent_for_1_to_24_months() {
        assert!(RetentionOffer::new(1, 1).is_ok());
        assert!(RetentionOffer::new(99, 24).is_ok());
        assert_eq!(RetentionOffer::new(0, 3), Err(RetentionOfferError::Percent));
        assert_eq!(
            RetentionOffer::new(100, 3),
            Err(RetentionOfferError::Percent)
        );
        assert_eq!(RetentionOffer::new(20, 0), Err(RetentionOfferError::Months));
        assert_eq!(
            RetentionOffer::new(20, 25),
            Err(RetentionOfferError::Months)
        );
    }

    #[test]
    fn a_form_with_both_fields_empty_is_no_offer() {
        assert_eq!(RetentionOffer::parse(" ", ""), Ok(None));
        let offer = RetentionOffer::parse("20", " 3 ").unwrap().unwrap();
        assert_eq!((offer.percent(), offer.months()), (20, 3));
        assert_eq!(
            RetentionOffer::parse("20", ""),
            Err(RetentionOfferError::Months)
        );
        assert_eq!(
            RetentionOffer::parse("", "3"),
            Err(RetentionOfferError::Percent)
        );
        assert_eq!(
            RetentionOffer::parse("2.5", "3"),
            Err(RetentionOfferError::Percent)
        );
    }

    #[test]
    fn the_offer_is_shown_once_to_an_active_subscription_not_ending() {
        let offer = RetentionOffer::new(20, 3).ok();
        assert_eq!(
            offer_for(offer, SubscriptionStatus::Active, false, false),
            offer
        );
        assert_eq!(
            offer_for(None, SubscriptionStatus::Active, false, false),
            None
        );
        assert_eq!(
            offer_for(offer, SubscriptionStatus::Active, false, true),
            None,
            "once"
        );
        assert_eq!(
            offer_for(offer, SubscriptionStatus::Active, true, false),
            None,
            "ending"
        );
        for status in [
            SubscriptionStatus::PastDue,
            SubscriptionStatus::Paused,
            SubscriptionStatus::Unpaid,
            SubscriptionStatus::Canceled,
            SubscriptionStatus::Incomplete,
        ] {
            assert_eq!(offer_for(offer, status, false, false), None, "{status:?}");
        }
    }

    #[test]
    fn the_discount_covers_the_periods_of_its_months_from_the_next_one() {
        let next = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap();
        let offer = RetentionOffer::new(20, 2).unwrap();
        let ends = offer.ends_at(next);
        assert_eq!(ends, Utc.with_ymd_and_hms(2026, 3, 31, 10, 0, 0).unwrap());
        let discount = Discount {
            percent: 20,
            ends_at: ends,
        };
        // A monthly plan: the periods starting Jan 31 and Feb 28, not the third.
        let second = next.checked_add_months(Months::new(1)).unwrap();
        assert_eq!(discount.on(next), Some(20));
        assert_eq!(discount.on(second), Some(20));
        assert_eq!(discount.on(ends), None);
        // A yearly plan: its next invoice, once.
        let year_later = next.checked_add_months(Months::new(12)).unwrap();
        assert_eq!(discount.on(year_later), None);
    }

    #[test]
    fn a_stored_offer_is_checked_when_read_back() {
        let ok: RetentionOffer = serde_json::from_str(r#"{"percent":20,"months":3}"#).unwrap();
        assert_eq!((ok.percent(), ok.months()), (20, 3));
        assert!(serde_json::from_str::<RetentionOffer>(r#"{"percent":0,"months":3}"#).is_err());
        assert!(serde_json::from_str::<RetentionOffer>(r#"{"percent":20,"months":99}"#).is_err());
    }

    #[test]
    fn percent_off_rounds_down_to_the_cent() {
        let eur = |m| Money::new(m, Currency::Eur);
        assert_eq!(percent_off(eur(2900), 20), eur(580));
        assert_eq!(percent_off(eur(999), 15), eur(149), "149.85 rounds down");
        assert_eq!(percent_off(eur(1), 99), eur(0));
        assert_eq!(discount_line(eur(1), 50, "x".into()), None, "nothing off");
        let line = discount_line(eur(2900), 20, "20% off".into()).unwrap();
        assert_eq!(line.amount(), Ok(eur(-580)));
    }

    proptest! {
        /// The discount is never negative nor above the subtotal, and the invoice it is a
        /// line of always leaves something to pay.
        #[test]
        fn a_discount_never_exceeds_the_subtotal(amount in 1i64..=100_000_000, percent in 1u8..=99) {
            let subtotal = Money::new(amount, Currency::Eur);
            let off = percent_off(subtotal, percent);
            prop_assert!(off.amount_minor >= 0);
            prop_assert!(off.amount_minor <= amount);
            // Within one minor unit of the exact percentage, never above it.
            let exact = i128::from(amount) * i128::from(percent);
            prop_assert!(i128::from(off.amount_minor) * 100 <= exact);
            prop_assert!(exact - i128::from(off.amount_minor) * 100 < 100);
            let plan = InvoiceLine { description: "plan".into(), quantity: 1, unit: subtotal };
            let mut lines = vec![plan];
            lines.extend(discount_line(subtotal, percent, "off".into()));
            let totals = InvoiceTotals::compute(&lines).unwrap();
            prop_assert!(totals.total.is_positive());
            prop_assert_eq!(totals.total.amount_minor, amount - off.amount_minor);
        }

        /// A larger percent never takes off less.
        #[test]
        fn more_percent_never_costs_more(amount in 1i64..=100_000_000, a in 1u8..=99, b in 1u8..=99) {
            let subtotal = Money::new(amount, Currency::Eur);
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(percent_off(subtotal, lo).amount_minor <= percent_off(subtotal, hi).amount_minor);
        }
    }
}
