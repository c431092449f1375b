use super::*;
use chrono::TimeZone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap()
}

fn days(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::days(n)
}

/// A past-due invoice after its first (soft) failure, method unchanged.
fn past_due(failed_attempts: u32) -> DunningState {
    DunningState {
        invoice_status: InvoiceStatus::Open,
        first_failure_at: Some(t0()),
        failed_attempts,
        last_decline: Some(DeclineCode::InsufficientFunds),
        default_method_changed_since_last_failure: false,
        subscription_status: SubscriptionStatus::PastDue,
    }
}

#[test]
fn schedules_from_the_first_failure() {
    let policy = DunningPolicy::default();
    assert_eq!(schedule(t0(), &policy), [days(3), days(5), days(7)]);
    let cases: &[(u32, Option<DateTime<Utc>>)] = &[
        (0, Some(days(3))),
        (1, Some(days(3))),
        (2, Some(days(5))),
        (3, Some(days(7))),
        (4, None),
        (u32::MAX, None),
    ];
    for (failed, expected) in cases {
        assert_eq!(
            next_attempt_at(t0(), *failed, &policy),
            *expected,
            "failed {failed}"
        );
    }
    let none = DunningPolicy::parse("").unwrap();
    assert!(schedule(t0(), &none).is_empty());
    assert_eq!(next_attempt_at(t0(), 1, &none), None);
}

#[test]
fn decides_every_branch() {
    let policy = DunningPolicy::default();
    let cancel = DunningPolicy::default().with_final_action(FinalAction::Cancel);
    let no_retries = DunningPolicy::parse("").unwrap();
    let with = |f: fn(&mut DunningState)| {
        let mut state = past_due(1);
        f(&mut state);
        state
    };
    let cases: Vec<(
        &str,
        DunningState,
        &DunningPolicy,
        DateTime<Utc>,
        DunningAction,
    )> = vec![
        // Invoice not open.
        (
            "paid",
            with(|s| s.invoice_status = InvoiceStatus::Paid),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        (
            "void",
            with(|s| s.invoice_status = InvoiceStatus::Void),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        (
            "uncollectible",
            with(|s| s.invoice_status = InvoiceStatus::Uncollectible),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        // Nothing failed yet: the renewal run owns the first charge.
        (
            "no failure",
            with(|s| s.first_failure_at = None),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        (
            "no failure, new method",
            with(|s| {
                s.first_failure_at = None;
                s.default_method_changed_since_last_failure = true;
            }),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        // Subscription over.
        (
            "canceled",
            with(|s| s.subscription_status = SubscriptionStatus::Canceled),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        (
            "canceled, new method",
            with(|s| {
                s.subscription_status = SubscriptionStatus::Canceled;
                s.default_method_changed_since_last_failure = true;
            }),
            &policy,
            days(3),
            DunningAction::Nothing,
        ),
        (
            "unpaid",
            with(|s| {
                s.subscription_status = SubscriptionStatus::Unpaid;
                s.failed_attempts = 4;
            }),
            &policy,
            days(30),
            DunningAction::Nothing,
        ),
        (
            "unpaid, new method",
            with(|s| {
                s.subscription_status = SubscriptionStatus::Unpaid;
                s.failed_attempts = 4;
                s.default_method_changed_since_last_failure = true;
            }),
            &policy,
            days(30),
            DunningAction::RetryNow,
        ),
        // The scenario: expired card, then a new default card → retry at once.
        (
            "new method after hard decline",
            with(|s| {
                s.last_decline = Some(DeclineCode::ExpiredCard);
                s.default_method_changed_since_last_failure = true;
            }),
            &policy,
            t0(),
            DunningAction::RetryNow,
        ),
        (
            "new method after retries ran out",
            with(|s| {
                s.failed_attempts = 4;
                s.default_method_changed_since_last_failure = true;
            }),
            &policy,
            days(8),
            DunningAction::RetryNow,
        ),
        (
            "active subscription waits too",
            with(|s| s.subscription_status = SubscriptionStatus::Active),
            &policy,
            days(1),
            DunningAction::WaitUntil(days(3)),
        ),
        // On schedule.
        (
            "before first retry",
            past_due(1),
            &policy,
            t0(),
            DunningAction::WaitUntil(days(3)),
        ),
        (
            "just before first retry",
            past_due(1),
            &policy,
            days(3) - TimeDelta::seconds(1),
            DunningAction::WaitUntil(days(3)),
        ),
        (
            "first retry due",
            past_due(1),
            &policy,
            days(3),
            DunningAction::RetryNow,
        ),
        (
            "first retry late",
            past_due(1),
            &policy,
            days(4),
            DunningAction::RetryNow,
        ),
        (
            "second retry pending",
            past_due(2),
            &policy,
            days(4),
            DunningAction::WaitUntil(days(5)),
        ),
        (
            "second retry due",
            past_due(2),
            &policy,
            days(5),
            DunningAction::RetryNow,
        ),
        (
            "third retry due",
            past_due(3),
            &policy,
            days(7),
            DunningAction::RetryNow,
        ),
        (
            "zero attempts treated as one",
            past_due(0),
            &policy,
            days(3),
            DunningAction::RetryNow,
        ),
        (
            "no decline code recorded",
            with(|s| s.last_decline = None),
            &policy,
            days(3),
            DunningAction::RetryNow,
        ),
        // Hard declines on an unchanged method are skipped, soft ones retried.
        (
            "hard decline skipped",
            with(|s| s.last_decline = Some(DeclineCode::ExpiredCard)),
            &policy,
            days(3),
            DunningAction::SkipRetry,
        ),
        (
            "incorrect number skipped",
            with(|s| s.last_decline = Some(DeclineCode::IncorrectNumber)),
            &policy,
            days(3),
            DunningAction::SkipRetry,
        ),
        (
            "hard decline still waits",
            with(|s| s.last_decline = Some(DeclineCode::ExpiredCard)),
            &policy,
            days(2),
            DunningAction::WaitUntil(days(3)),
        ),
        (
            "soft decline retried",
            with(|s| s.last_decline = Some(DeclineCode::CardDeclined)),
            &policy,
            days(3),
            DunningAction::RetryNow,
        ),
        // Exhausted.
        (
            "give up",
            past_due(4),
            &policy,
            days(7),
            DunningAction::GiveUp(FinalAction::MarkUnpaid),
        ),
        (
            "give up: cancel",
            past_due(4),
            &cancel,
            days(7),
            DunningAction::GiveUp(FinalAction::Cancel),
        ),
        (
            "give up after hard declines",
            with(|s| {
                s.failed_attempts = 4;
                s.last_decline = Some(DeclineCode::ExpiredCard);
            }),
            &policy,
            days(7),
            DunningAction::GiveUp(FinalAction::MarkUnpaid),
        ),
        (
            "no retries configured",
            past_due(1),
            &no_retries,
            t0(),
            DunningAction::GiveUp(FinalAction::MarkUnpaid),
        ),
    ];
    for (name, state, policy, now, expected) in cases {
        assert_eq!(next_action(&state, policy, now), expected, "case {name}");
    }
}

#[test]
fn retry_trigger_names_the_reason() {
    let mut state = past_due(1);
    assert_eq!(state.retry_trigger(), PaymentTrigger::ScheduledRetry);
    state.default_method_changed_since_last_failure = true;
    assert_eq!(state.retry_trigger(), PaymentTrigger::PaymentMethodUpdate);
}

#[test]
fn a_run_of_hard_declines_walks_the_schedule_then_gives_up() {
    // Simulates the worker: every due step is skipped, never charged, then the policy ends it.
    let policy = DunningPolicy::default();
    let mut state = past_due(1);
    state.last_decline = Some(DeclineCode::ExpiredCard);
    let mut now = t0();
    let mut skipped = 0;
    loop {
        match next_action(&state, &policy, now) {
            DunningAction::WaitUntil(at) => now = at,
            DunningAction::SkipRetry => {
                skipped += 1;
                state.failed_attempts += 1;
            }
            DunningAction::GiveUp(action) => {
                assert_eq!(action, FinalAction::MarkUnpaid);
                break;
            }
            other @ (DunningAction::Nothing | DunningAction::RetryNow) => {
                panic!("unexpected {other:?}")
            }
        }
    }
    assert_eq!(skipped, 3);
    assert_eq!(now, days(7));
}

#[test]
fn after_a_failure_retries_on_schedule_then_gives_up_unless_the_subscription_ended() {
    let policy = DunningPolicy::default();
    use AfterFailure::{AwaitNewMethod, GiveUp, RetryAt};
    use SubscriptionStatus::{Active, Canceled, PastDue, Unpaid};
    let cases: &[(Option<SubscriptionStatus>, u32, AfterFailure)] = &[
        (Some(Active), 1, RetryAt(days(3))),
        (Some(PastDue), 2, RetryAt(days(5))),
        (Some(PastDue), 3, RetryAt(days(7))),
        (Some(PastDue), 4, GiveUp),
        (None, 1, RetryAt(days(3))),
        (None, 4, GiveUp),
        (Some(Unpaid), 1, AwaitNewMethod),
        (Some(Canceled), 4, AwaitNewMethod),
    ];
    for &(sub, failed, expected) in cases {
        assert_eq!(
            after_failure(sub, t0(), failed, &policy),
            expected,
            "{sub:?} after {failed} failures"
        );
    }
}
