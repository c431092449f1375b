//! Dunning: when to retry a failed renewal, when to skip, and when to give up.
//!
//! Everything is a pure function of the stored state, the merchant's policy and `now`, so
//! the retry worker is a thin loop and every branch is tested here.

use chrono::{DateTime, TimeDelta, Utc};

mod policy;

pub use policy::{DunningPolicy, DunningPolicyError, FinalAction};

use super::{DeclineCode, InvoiceStatus, PaymentTrigger, SubscriptionStatus};

/// What the dunning worker knows about one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DunningState {
    /// The invoice's status.
    pub invoice_status: InvoiceStatus,
    /// When the first charge of this invoice failed; `None` while nothing has failed.
    pub first_failure_at: Option<DateTime<Utc>>,
    /// Failed (or skipped) attempts since the first failure, that one included.
    pub failed_attempts: u32,
    /// The decline code of the most recent failure.
    pub last_decline: Option<DeclineCode>,
    /// The customer set a different default payment method after the most recent failure.
    pub default_method_changed_since_last_failure: bool,
    /// The subscription's status.
    pub subscription_status: SubscriptionStatus,
}

impl DunningState {
    /// The trigger to record when [`next_action`] says [`DunningAction::RetryNow`].
    pub fn retry_trigger(&self) -> PaymentTrigger {
        if self.default_method_changed_since_last_failure {
            PaymentTrigger::PaymentMethodUpdate
        } else {
            PaymentTrigger::ScheduledRetry
        }
    }
}

/// What the dunning worker should do with one invoice now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DunningAction {
    /// Nothing to do: the invoice is not open, nothing has failed, or the subscription is over.
    Nothing,
    /// Not yet: look again at this time.
    WaitUntil(DateTime<Utc>),
    /// Charge the default payment method now.
    RetryNow,
    /// A retry is due, but the last decline was hard on a method that has not changed:
    /// record a failed step without charging (a charge would certainly fail).
    SkipRetry,
    /// The last retry failed: apply the final action.
    GiveUp(FinalAction),
}

/// Decides what to do with an invoice at `now`.
///
/// A new default payment method triggers an immediate retry even outside the schedule (and
/// even once the subscription is unpaid), because the customer fixing their card is the
/// best chance of being paid. That retry counts as an attempt like any other.
pub fn next_action(
    state: &DunningState,
    policy: &DunningPolicy,
    now: DateTime<Utc>,
) -> DunningAction {
    match state.invoice_status {
        InvoiceStatus::Open => {}
        InvoiceStatus::Paid | InvoiceStatus::Void | InvoiceStatus::Uncollectible => {
            return DunningAction::Nothing;
        }
    }
    // The first charge belongs to the renewal run, not to dunning.
    let Some(first_failure_at) = state.first_failure_at else {
        return DunningAction::Nothing;
    };
    let method_changed = state.default_method_changed_since_last_failure;
    match state.subscription_status {
        SubscriptionStatus::Canceled => return DunningAction::Nothing,
        SubscriptionStatus::Unpaid => {
            // Retries have run out; only a new payment method starts another attempt.
            return if method_changed {
                DunningAction::RetryNow
            } else {
                DunningAction::Nothing
            };
        }
        SubscriptionStatus::Active
        | SubscriptionStatus::PastDue
        | SubscriptionStatus::Incomplete
        | SubscriptionStatus::Paused => {}
    }
    if method_changed {
        return DunningAction::RetryNow;
    }
    match next_attempt_at(first_failure_at, state.failed_attempts, policy) {
        None => DunningAction::GiveUp(policy.final_action()),
        Some(due) if now < due => DunningAction::WaitUntil(due),
        Some(_) => match state.last_decline {
            Some(code) if code.is_hard() => DunningAction::SkipRetry,
            Some(_) | None => DunningAction::RetryNow,
        },
    }
}

/// Every retry time of the policy for a first failure at `first_failure_at`.
pub fn schedule(first_failure_at: DateTime<Utc>, policy: &DunningPolicy) -> Vec<DateTime<Utc>> {
    policy
        .retry_days()
        .iter()
        .map(|day| add_days(first_failure_at, *day))
        .collect()
}

/// When the next retry is due after `failed_attempts` failures (the first failure counts;
/// 0 is treated as 1). `None` when retries are exhausted: give up at the next run.
pub fn next_attempt_at(
    first_failure_at: DateTime<Utc>,
    failed_attempts: u32,
    policy: &DunningPolicy,
) -> Option<DateTime<Utc>> {
    let retries_done = failed_attempts.saturating_sub(1) as usize;
    policy
        .retry_days()
        .get(retries_done)
        .map(|day| add_days(first_failure_at, *day))
}

/// What a failed attempt on an invoice leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// The next retry is scheduled at this time.
    RetryAt(DateTime<Utc>),
    /// No scheduled retry: the subscription is unpaid or canceled already, so only a new
    /// default payment method retries the invoice.
    AwaitNewMethod,
    /// That was the last retry: carry out the policy's final action now.
    GiveUp,
}

/// Decides what follows a failed attempt, given the invoice's subscription (if any), its
/// first failure and how many attempts have failed so far (the one just made included).
pub fn after_failure(
    subscription: Option<SubscriptionStatus>,
    first_failure_at: DateTime<Utc>,
    failed_attempts: u32,
    policy: &DunningPolicy,
) -> AfterFailure {
    match subscription {
        Some(SubscriptionStatus::Unpaid | SubscriptionStatus::Canceled) => {
            AfterFailure::AwaitNewMethod
        }
        Some(
            SubscriptionStatus::Active
            | SubscriptionStatus::PastDue
            | SubscriptionStatus::Incomplete
            | SubscriptionStatus::Paused,
        )
        | None => match next_attempt_at(first_failure_at, failed_attempts, policy) {
            Some(at) => AfterFailure::RetryAt(at),
            None => AfterFailure::GiveUp,
        },
    }
}

fn add_days(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    // Days are at most 60, so this only saturates at the very end of chrono's range.
    at.checked_add_signed(TimeDelta::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests;
