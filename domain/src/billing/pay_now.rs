//! "Pay now": a customer charging an open invoice from the portal, with a method already
//! saved. The charge is the engine's usual attempt (claimed, exactly once); these rules say
//! when a press may charge at all, and keep such presses out of the merchant's schedule.
use super::DeclineCode;
use chrono::{DateTime, TimeDelta, Utc};

/// How long a method that was just declined on an invoice rests before "Pay now" may try it
/// again on that invoice. A soft decline (insufficient funds) may pass minutes later; a
/// burst of presses must not become a burst of charges.
pub const PAY_NOW_COOLDOWN: TimeDelta = TimeDelta::minutes(5);

/// The most recent recorded attempt on the invoice with the method "Pay now" would charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayNowAttempt {
    /// The method it charged (none: there was no method to charge).
    pub method_id: Option<i64>,
    /// Its decline, when it failed with one.
    pub decline: Option<DeclineCode>,
    /// Whether it failed.
    pub failed: bool,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// Why "Pay now" did not charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayNowRefusal {
    /// The method's last charge on this invoice was refused for good (expired, wrong
    /// number): charging it again would certainly fail.
    #[error("this payment method was declined for good ({0}); choose another")]
    DeclinedForGood(DeclineCode),
    /// The method was declined on this invoice less than [`PAY_NOW_COOLDOWN`] ago.
    #[error("this payment method was just declined; try again after {retry_after}")]
    JustDeclined {
        /// When it may be tried again.
        retry_after: DateTime<Utc>,
    },
}

/// Whether "Pay now" may charge method `method_id` for an invoice on which that method's
/// last attempt was `last`, at `now`. A success, or an attempt with another method or
/// without one, never stands in the way.
pub fn check_pay_now(
    last: Option<PayNowAttempt>,
    method_id: i64,
    now: DateTime<Utc>,
) -> Result<(), PayNowRefusal> {
    let Some(last) = last else { return Ok(()) };
    if !last.failed || last.method_id != Some(method_id) {
        return Ok(());
    }
    if let Some(code) = last.decline.filter(|c| c.is_hard()) {
        return Err(PayNowRefusal::DeclinedForGood(code));
    }
    let retry_after = last.at + PAY_NOW_COOLDOWN;
    if now < retry_after {
        return Err(PayNowRefusal::JustDeclined { retry_after });
    }
    Ok(())
}

/// The failed attempts that count against the merchant's retry schedule: every attempt made
/// so far (`attempts`) except the customer's own "Pay now" presses after the first failure
/// (`pay_now_attempts`), so a customer trying their card cannot bring the final action
/// (cancel, unpaid) forward. A press that was itself the first failure counts: it starts
/// the schedule.
pub fn scheduled_failures(attempts: u32, pay_now_attempts: u32) -> u32 {
    attempts.saturating_sub(pay_now_attempts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 10, minute, 0).unwrap()
    }

    fn failed(method: i64, decline: DeclineCode, minute: u32) -> Option<PayNowAttempt> {
        Some(PayNowAttempt {
            method_id: Some(method),
            decline: Some(decline),
            failed: true,
            at: at(minute),
        })
    }

    #[test]
    fn a_first_attempt_or_another_method_may_charge() {
        assert_eq!(check_pay_now(None, 7, at(0)), Ok(()));
        let last = failed(7, DeclineCode::ExpiredCard, 0);
        assert_eq!(check_pay_now(last, 8, at(0)), Ok(()));
    }

    #[test]
    fn a_method_declined_for_good_is_refused_however_long_ago() {
        let last = failed(7, DeclineCode::ExpiredCard, 0);
        assert_eq!(
            check_pay_now(last, 7, at(59)),
            Err(PayNowRefusal::DeclinedForGood(DeclineCode::ExpiredCard))
        );
    }

    #[test]
    fn a_soft_decline_rests_for_the_cooldown_then_may_charge_again() {
        let last = failed(7, DeclineCode::InsufficientFunds, 0);
        assert_eq!(
            check_pay_now(last, 7, at(4)),
            Err(PayNowRefusal::JustDeclined { retry_after: at(5) })
        );
        assert_eq!(check_pay_now(last, 7, at(5)), Ok(()));
    }

    #[test]
    fn an_attempt_without_a_method_or_a_success_never_blocks() {
        let none = Some(PayNowAttempt {
            method_id: None,
            decline: None,
            failed: true,
            at: at(0),
        });
        assert_eq!(check_pay_now(none, 7, at(0)), Ok(()));
        let paid = Some(PayNowAttempt {
            method_id: Some(7),
            decline: None,
            failed: false,
            at: at(0),
        });
        assert_eq!(check_pay_now(paid, 7, at(0)), Ok(()));
    }

    #[test]
    fn pay_now_presses_do_not_count_against_the_schedule() {
        assert_eq!(scheduled_failures(5, 3), 2);
        assert_eq!(scheduled_failures(2, 2), 0);
        assert_eq!(scheduled_failures(1, 4), 0);
    }
}
