//! Limits against abuse of the public endpoints: card testing through the portal's "add a
//! payment method", and floods of failed staff sign-ins. Pure decisions over counts the
//! caller reads (from the database, so the limits hold across processes) and the time.

use chrono::{DateTime, TimeDelta, Utc};

/// How many refused payment methods a customer, or a client address, may try within
/// [`PaymentMethodLimits::window`], and how many methods a customer may keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentMethodLimits {
    /// Refused attempts per customer within the window.
    pub declines_per_customer: u32,
    /// Refused attempts per client address within the window (across customers).
    pub declines_per_client: u32,
    /// The sliding window; a refusal lasts until the oldest counted decline leaves it.
    pub window: TimeDelta,
    /// Saved (not removed) payment methods per customer.
    pub max_saved: u32,
}

impl Default for PaymentMethodLimits {
    fn default() -> Self {
        Self {
            declines_per_customer: 5,
            declines_per_client: 10,
            window: TimeDelta::hours(1),
            max_saved: 10,
        }
    }
}

/// What the caller counted before trying to save a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaymentMethodActivity {
    /// The customer's refused attempts since [`PaymentMethodLimits::since`].
    pub customer_declines: u64,
    /// The client address's refused attempts since then (0 when the address is unknown).
    pub client_declines: u64,
    /// The customer's saved methods.
    pub saved: u64,
}

/// Why a payment method may not be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentMethodRefusal {
    /// Too many refusals in the window: wait (the cool-down) before trying again.
    #[error("too many refused payment methods; try again later")]
    CoolingDown,
    /// The customer keeps as many methods as allowed.
    #[error("the most payment methods a customer may keep are saved")]
    TooManySaved,
}

impl PaymentMethodLimits {
    /// The start of the window that ends at `now`.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether another method may be tried, given the counts.
    pub fn check(&self, activity: PaymentMethodActivity) -> Result<(), PaymentMethodRefusal> {
        if activity.customer_declines >= u64::from(self.declines_per_customer)
            || activity.client_declines >= u64::from(self.declines_per_client)
        {
            return Err(PaymentMethodRefusal::CoolingDown);
        }
        if activity.saved >= u64::from(self.max_saved) {
            return Err(PaymentMethodRefusal::TooManySaved);
        }
        Ok(())
    }
}

/// A global budget of failed staff sign-ins per window, on top of the per-address limit:
/// a storm from many addresses cannot keep the password hasher busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailedSignInBudget {
    /// Failed sign-ins allowed across all addresses per window.
    pub per_window: u32,
    /// The window.
    pub window: TimeDelta,
}

impl Default for FailedSignInBudget {
    fn default() -> Self {
        Self {
            per_window: 60,
            window: TimeDelta::minutes(1),
        }
    }
}

impl FailedSignInBudget {
    /// Whether another attempt may be checked, given the failures counted in the window.
    pub fn allows(&self, failures_in_window: u64) -> bool {
        failures_in_window < u64::from(self.per_window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn activity(customer: u64, client: u64, saved: u64) -> PaymentMethodActivity {
        PaymentMethodActivity {
            customer_declines: customer,
            client_declines: client,
            saved,
        }
    }

    #[test]
    fn cases() {
        let limits = PaymentMethodLimits::default();
        let cases = [
            (activity(0, 0, 0), Ok(())),
            (activity(4, 9, 9), Ok(())),
            (activity(5, 0, 0), Err(PaymentMethodRefusal::CoolingDown)),
            (activity(0, 10, 0), Err(PaymentMethodRefusal::CoolingDown)),
            (activity(0, 0, 10), Err(PaymentMethodRefusal::TooManySaved)),
            // The cool-down is the clearer message when both apply.
            (activity(5, 0, 10), Err(PaymentMethodRefusal::CoolingDown)),
        ];
        for (input, expected) in cases {
            assert_eq!(limits.check(input), expected, "{input:?}");
        }
    }

    #[test]
    fn the_window_ends_now() {
        let limits = PaymentMethodLimits::default();
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(now - limits.since(now), TimeDelta::hours(1));
    }

    #[test]
    fn the_sign_in_budget_refuses_once_spent() {
        let budget = FailedSignInBudget::default();
        assert!(budget.allows(59));
        assert!(!budget.allows(60));
    }

    proptest! {
        #[test]
        fn below_every_limit_is_allowed(customer in 0u64..5, client in 0u64..10, saved in 0u64..10) {
            prop_assert_eq!(PaymentMethodLimits::default().check(activity(customer, client, saved)), Ok(()));
        }

        #[test]
        fn more_activity_never_turns_a_refusal_into_a_yes(customer in 0u64..20, client in 0u64..20, saved in 0u64..20, extra in 0u64..5) {
            let limits = PaymentMethodLimits::default();
            if limits.check(activity(customer, client, saved)).is_err() {
                prop_assert!(limits.check(activity(customer + extra, client + extra, saved + extra)).is_err());
            }
        }
    }
}
