//! Billing states and codes, stored as snake_case strings in database columns.

pub mod dunning;
pub mod invoice;
pub mod pay_now;
pub mod proration;

use chrono::{DateTime, Months, Utc};

string_enum! {
    /// Where a subscription stands.
    pub enum SubscriptionStatus {
        /// Paid up.
        Active => "active",
        /// A renewal failed and is being retried.
        PastDue => "past_due",
        /// Ended; nothing more is charged.
        Canceled => "canceled",
        /// Retries ran out; the invoice stays open until the customer fixes their payment method.
        Unpaid => "unpaid",
        /// Created by staff to start at once with no payment method on file: its first
        /// invoice waits, never attempted, until the customer adds one.
        Incomplete => "incomplete",
        /// Paused by the customer: no invoices until it resumes (on its day, or when they
        /// resume it).
        Paused => "paused",
    }
}

impl SubscriptionStatus {
    /// Whether a subscription in this status still bills: only then can it be cancelled at
    /// the period end, or such a cancellation be undone.
    pub const fn bills(self) -> bool {
        match self {
            SubscriptionStatus::Active | SubscriptionStatus::PastDue => true,
            SubscriptionStatus::Canceled
            | SubscriptionStatus::Unpaid
            | SubscriptionStatus::Incomplete
            | SubscriptionStatus::Paused => false,
        }
    }

    /// The statuses that still bill.
    pub fn billing() -> impl Iterator<Item = SubscriptionStatus> {
        SubscriptionStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.bills())
    }
}

/// How far staff may move an organization's test clock in one step: 1 to
/// [`ClockDays::MAX`] days (the console's form, its service and the CLI share it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDays(u32);

impl ClockDays {
    /// The most days one step may take: a year, leap day included.
    pub const MAX: u32 = 366;

    /// `days`, when within 1 to [`Self::MAX`].
    pub fn new(days: u32) -> Option<ClockDays> {
        (1..=Self::MAX).contains(&days).then_some(ClockDays(days))
    }

    /// A typed number of days (surrounding spaces allowed).
    pub fn parse(raw: &str) -> Option<ClockDays> {
        raw.trim().parse().ok().and_then(Self::new)
    }

    /// The number of days.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// What the customer may do with a subscription's cancellation right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelChoice {
    /// It bills and runs on: it can be cancelled at the period end.
    Cancel,
    /// It is set to end with its period, which has not ended: the cancellation can be undone.
    Resume,
    /// Neither: it no longer bills, or its period is over.
    Neither,
}

/// Decides [`CancelChoice`] from the subscription's state and the organization's now.
pub fn cancel_choice(
    status: SubscriptionStatus,
    cancel_at_period_end: bool,
    period_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CancelChoice {
    match (status.bills() && period_end > now, cancel_at_period_end) {
        (true, false) => CancelChoice::Cancel,
        (true, true) => CancelChoice::Resume,
        (false, _) => CancelChoice::Neither,
    }
}

string_enum! {
    /// Where an invoice stands.
    pub enum InvoiceStatus {
        /// Awaiting payment.
        Open => "open",
        /// Paid in full.
        Paid => "paid",
        /// Cancelled by the merchant; never to be paid.
        Void => "void",
        /// Written off after retries ran out.
        Uncollectible => "uncollectible",
    }
}

string_enum! {
    /// How often a plan bills.
    pub enum BillingInterval {
        /// Every seven days.
        Week => "week",
        /// Every calendar month.
        Month => "month",
        /// Every calendar year.
        Year => "year",
    }
}

impl BillingInterval {
    /// Calendar months per period; `None` for weeks, which are counted in days.
    const fn months(self) -> Option<u32> {
        match self {
            BillingInterval::Week => None,
            BillingInterval::Month => Some(1),
            BillingInterval::Year => Some(12),
        }
    }

    /// The end of the period that starts at `from`: the same day of the next month (or
    /// year), clamped to the month's last day (Jan 31 → Feb 28/29).
    ///
    /// Chaining `advance` drifts after a clamp (Jan 31 → Feb 28 → Mar 28); to keep a
    /// subscription on its anchor day use [`BillingInterval::advance_periods`] from the anchor.
    pub fn advance(self, from: DateTime<Utc>) -> DateTime<Utc> {
        self.advance_periods(from, 1)
    }

    /// The start of the `periods`-th period after `anchor`, with end-of-month clamping
    /// computed from the anchor each time (Jan 31 → Feb 28 → Mar 31).
    ///
    /// Saturates at chrono's maximum date instead of panicking (only reachable in year 262 143).
    pub fn advance_periods(self, anchor: DateTime<Utc>, periods: u32) -> DateTime<Utc> {
        match self.months() {
            Some(months) => periods
                .checked_mul(months)
                .and_then(|months| anchor.checked_add_months(Months::new(months))),
            None => chrono::TimeDelta::try_weeks(i64::from(periods))
                .and_then(|weeks| anchor.checked_add_signed(weeks)),
        }
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The most periods of this interval one billing period may span: a year, as card
    /// networks and processors expect (52 weeks, 12 months, 1 year).
    pub const fn max_count(self) -> u16 {
        match self {
            BillingInterval::Week => 52,
            BillingInterval::Month => 12,
            BillingInterval::Year => 1,
        }
    }

    /// `amount` per `count` of this interval as an amount per month (for the MRR figure):
    /// a week is 12/52 of a month. Rounds toward zero.
    pub fn monthly(self, amount_minor: i64, count: u16) -> i64 {
        let count = i128::from(count.max(1));
        let amount = i128::from(amount_minor);
        let monthly = match self {
            BillingInterval::Week => amount * 52 / (12 * count),
            BillingInterval::Month => amount / count,
            BillingInterval::Year => amount / (12 * count),
        };
        i64::try_from(monthly).unwrap_or(i64::MAX)
    }
}

string_enum! {
    /// Why a payment attempt was made.
    pub enum PaymentTrigger {
        /// The regular renewal charge of a new invoice.
        Renewal => "renewal",
        /// A dunning retry on the schedule.
        ScheduledRetry => "scheduled_retry",
        /// The customer changed their default payment method while an invoice was past due.
        PaymentMethodUpdate => "payment_method_update",
        /// The customer pressed "Pay now" on an open invoice in the portal. It does not
        /// use up the merchant's scheduled retries (see [`pay_now`](crate::billing::pay_now)).
        PayNow => "pay_now",
    }
}

impl PaymentTrigger {
    /// Whether the customer set this attempt off in the portal (a new default method, or
    /// "Pay now"): a success is revenue recovered through the portal.
    pub const fn is_customer_recovery(self) -> bool {
        match self {
            PaymentTrigger::PaymentMethodUpdate | PaymentTrigger::PayNow => true,
            PaymentTrigger::Renewal | PaymentTrigger::ScheduledRetry => false,
        }
    }
}

string_enum! {
    /// The kind of a saved payment method.
    pub enum PaymentMethodKind {
        /// A debit or credit card.
        Card => "card",
        /// A SEPA direct-debit mandate on an IBAN.
        SepaDebit => "sepa_debit",
    }
}

string_enum! {
    /// How a payment attempt ended.
    pub enum AttemptOutcome {
        /// The money was collected.
        Succeeded => "succeeded",
        /// The charge was declined or errored; see the [`DeclineCode`].
        Failed => "failed",
    }
}

string_enum! {
    /// Why a charge failed, as reported by the gateway.
    pub enum DeclineCode {
        /// Declined by the issuer without a specific reason.
        CardDeclined => "card_declined",
        /// Not enough money on the account.
        InsufficientFunds => "insufficient_funds",
        /// The card has expired.
        ExpiredCard => "expired_card",
        /// A temporary error at the processor.
        ProcessingError => "processing_error",
        /// The SEPA debit was refused by the bank.
        SepaDebitFailed => "sepa_debit_failed",
        /// The card number is wrong.
        IncorrectNumber => "incorrect_number",
    }
}

impl DeclineCode {
    /// A hard decline will fail again on the same payment method, so retrying it only
    /// annoys the issuer (and can get the merchant flagged): wait for a new method.
    pub const fn is_hard(self) -> bool {
        match self {
            DeclineCode::ExpiredCard | DeclineCode::IncorrectNumber => true,
            DeclineCode::CardDeclined
            | DeclineCode::InsufficientFunds
            | DeclineCode::ProcessingError
            | DeclineCode::SepaDebitFailed => false,
        }
    }

    /// The translation key of the message shown to the customer, e.g. `"decline.expired_card"`.
    pub const fn customer_message_key(self) -> &'static str {
        match self {
            DeclineCode::CardDeclined => "decline.card_declined",
            DeclineCode::InsufficientFunds => "decline.insufficient_funds",
            DeclineCode::ExpiredCard => "decline.expired_card",
            DeclineCode::ProcessingError => "decline.processing_error",
            DeclineCode::SepaDebitFailed => "decline.sepa_debit_failed",
            DeclineCode::IncorrectNumber => "decline.incorrect_number",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_customer_set_off_counts_as_recovered_through_the_portal() {
        assert!(PaymentTrigger::PaymentMethodUpdate.is_customer_recovery());
        assert!(PaymentTrigger::PayNow.is_customer_recovery());
        assert!(!PaymentTrigger::Renewal.is_customer_recovery());
        assert!(!PaymentTrigger::ScheduledRetry.is_customer_recovery());
    }

    #[test]
    fn the_test_clock_moves_one_to_366_days_at_a_time() {
        for (raw, days) in [
            ("1", Some(1)),
            (" 30 ", Some(30)),
            ("366", Some(366)),
            ("0", None),
            ("367", None),
            ("-1", None),
            ("2.5", None),
            ("", None),
            ("abc", None),
        ] {
            assert_eq!(ClockDays::parse(raw).map(ClockDays::get), days, "{raw:?}");
        }
    }

    #[test]
    fn a_subscription_can_be_cancelled_while_it_bills_and_resumed_until_its_period_ends() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let later = now + chrono::TimeDelta::days(3);
        let earlier = now - chrono::TimeDelta::days(3);
        use CancelChoice::*;
        use SubscriptionStatus::*;
        for (status, at_end, period_end, expected) in [
            (Active, false, later, Cancel),
            (PastDue, false, later, Cancel),
            (Active, true, later, Resume),
            (PastDue, true, later, Resume),
            (Active, false, earlier, Neither),
            (Active, true, now, Neither),
            (Canceled, false, later, Neither),
            (Unpaid, false, later, Neither),
            (Unpaid, true, later, Neither),
        ] {
            assert_eq!(
                cancel_choice(status, at_end, period_end, now),
                expected,
                "{status:?} at_end={at_end} {period_end}"
            );
        }
        assert_eq!(
            SubscriptionStatus::billing().collect::<Vec<_>>(),
            vec![Active, PastDue]
        );
    }
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()
    }

    #[test]
    fn every_string_enum_round_trips() {
        fn check<T: Copy + PartialEq + core::fmt::Debug>(
            all: &[T],
            as_str: fn(T) -> &'static str,
            parse: fn(&str) -> Result<T, crate::ParseEnumError>,
        ) {
            for v in all {
                assert_eq!(parse(as_str(*v)), Ok(*v));
                assert!(
                    as_str(*v)
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_')
                );
            }
        }
        check(
            SubscriptionStatus::ALL,
            SubscriptionStatus::as_str,
            SubscriptionStatus::parse,
        );
        check(
            InvoiceStatus::ALL,
            InvoiceStatus::as_str,
            InvoiceStatus::parse,
        );
        check(
            BillingInterval::ALL,
            BillingInterval::as_str,
            BillingInterval::parse,
        );
        check(
            PaymentTrigger::ALL,
            PaymentTrigger::as_str,
            PaymentTrigger::parse,
        );
        check(
            PaymentMethodKind::ALL,
            PaymentMethodKind::as_str,
            PaymentMethodKind::parse,
        );
        check(
            AttemptOutcome::ALL,
            AttemptOutcome::as_str,
            AttemptOutcome::parse,
        );
        check(DeclineCode::ALL, DeclineCode::as_str, DeclineCode::parse);
        assert_eq!(SubscriptionStatus::PastDue.as_str(), "past_due");
        assert_eq!(PaymentMethodKind::SepaDebit.as_str(), "sepa_debit");
        assert_eq!(
            PaymentTrigger::PaymentMethodUpdate.as_str(),
            "payment_method_update"
        );
    }

    #[test]
    fn decline_codes() {
        let cases: &[(DeclineCode, bool, &str)] = &[
            (DeclineCode::CardDeclined, false, "decline.card_declined"),
            (
                DeclineCode::InsufficientFunds,
                false,
                "decline.insufficient_funds",
            ),
            (DeclineCode::ExpiredCard, true, "decline.expired_card"),
            (
                DeclineCode::ProcessingError,
                false,
                "decline.processing_error",
            ),
            (
                DeclineCode::SepaDebitFailed,
                false,
                "decline.sepa_debit_failed",
            ),
            (
                DeclineCode::IncorrectNumber,
                true,
                "decline.incorrect_number",
            ),
        ];
        for (code, hard, key) in cases {
            assert_eq!(code.is_hard(), *hard);
            assert_eq!(code.customer_message_key(), *key);
            assert_eq!(*key, format!("decline.{}", code.as_str()));
        }
    }

    #[test]
    fn advances_by_calendar_periods() {
        let cases: &[(BillingInterval, DateTime<Utc>, DateTime<Utc>)] = &[
            (BillingInterval::Month, at(2026, 1, 15), at(2026, 2, 15)),
            (BillingInterval::Month, at(2026, 1, 31), at(2026, 2, 28)),
            (BillingInterval::Month, at(2028, 1, 31), at(2028, 2, 29)),
            (BillingInterval::Month, at(2026, 3, 31), at(2026, 4, 30)),
            (BillingInterval::Month, at(2026, 12, 31), at(2027, 1, 31)),
            (BillingInterval::Year, at(2026, 6, 1), at(2027, 6, 1)),
            (BillingInterval::Year, at(2028, 2, 29), at(2029, 2, 28)),
            (BillingInterval::Week, at(2026, 12, 28), at(2027, 1, 4)),
        ];
        for (interval, from, expected) in cases {
            assert_eq!(interval.advance(*from), *expected, "{interval} from {from}");
        }
        let anchor = at(2026, 1, 31);
        assert_eq!(
            BillingInterval::Month.advance_periods(anchor, 2),
            at(2026, 3, 31)
        );
        assert_eq!(BillingInterval::Month.advance_periods(anchor, 0), anchor);
        assert_eq!(
            BillingInterval::Year.advance_periods(anchor, u32::MAX),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            BillingInterval::Week.advance_periods(anchor, 2),
            at(2026, 2, 14)
        );
        assert_eq!(
            BillingInterval::Week.advance_periods(anchor, u32::MAX),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn monthly_amounts_for_the_mrr_figure() {
        assert_eq!(BillingInterval::Month.monthly(2900, 1), 2900);
        assert_eq!(BillingInterval::Month.monthly(3000, 3), 1000);
        assert_eq!(BillingInterval::Year.monthly(12000, 1), 1000);
        assert_eq!(BillingInterval::Week.monthly(1200, 1), 5200);
        assert_eq!(BillingInterval::Week.monthly(1200, 2), 2600);
        assert_eq!(BillingInterval::Month.monthly(i64::MAX, 0), i64::MAX);
    }
}
