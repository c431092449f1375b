//! Every dunning branch, card-expiry reminders, cancel at period end, typed errors and the
//! crash-between-charge-and-record case, on every test database.

use crate::support::billing_fixture as fixture;

use dunwell::billing::{BillingError, PaymentGateway};
use dunwell::entity::invoice;
use dunwell::testing::TestDb;
use fixture::{Fixture, add_customer, add_subscription, days, setup, t0};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Giulia with a saved card `number` (valid until 12/30) and a failed renewal at t0.
async fn failed_renewal(f: &Fixture, number: &str) -> String {
    f.clock.set(t0() - days(40));
    let pm = f.card(&f.customer, number, "12/30").await;
    let report = f.run_at(t0()).await;
    assert_eq!(report.payments_failed, 1);
    assert_eq!(f.sub().await.status, "past_due");
    pm
}

async fn scheduled_retry_succeeds(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    let pm = failed_renewal(&f, "4000 0000 0000 9995").await;
    assert_eq!(
        f.attempts().await[0].decline_code.as_deref(),
        Some("insufficient_funds")
    );
    // Not due yet: nothing happens a day later.
    let report = f.run_at(t0() + days(1)).await;
    assert_eq!(report.retries, 0);
    // She tops up her account; the day-3 retry collects.
    f.set_behavior(&pm, "succeed").await;
    let report = f.run_at(t0() + days(3)).await;
    assert_eq!(
        (report.retries, report.payments_succeeded),
        (1, 1),
        "{}",
        test_db.backend
    );
    let inv = f.invoice().await;
    assert_eq!(inv.status, "paid");
    assert_eq!(inv.attempt_count, 2);
    assert_eq!(f.attempts().await[1].trigger, "scheduled_retry");
    assert_eq!(f.sub().await.status, "active");
    assert_eq!(f.money_moved().await, 1);
    assert_eq!(
        f.email_kinds().await.last().map(String::as_str),
        Some("payment_succeeded")
    );
}

async fn failed_retry_reschedules_then_gives_up_as_unpaid(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    let report = f.run_at(t0() + days(3)).await;
    assert_eq!((report.retries, report.payments_failed), (1, 1));
    let inv = f.invoice().await;
    assert_eq!(inv.attempt_count, 2);
    assert_eq!(inv.next_attempt_at, Some(t0() + days(5)));
    assert_eq!(inv.first_failure_at, Some(t0()));
    f.run_at(t0() + days(5)).await;
    assert_eq!(f.invoice().await.next_attempt_at, Some(t0() + days(7)));
    // The last retry fails: the default final action marks the subscription unpaid and
    // leaves the invoice open for a future payment method.
    let report = f.run_at(t0() + days(7)).await;
    assert_eq!(report.gave_up, 1);
    let inv = f.invoice().await;
    assert_eq!(
        (inv.status.as_str(), inv.attempt_count, inv.next_attempt_at),
        ("open", 4, None)
    );
    assert_eq!(f.sub().await.status, "unpaid");
    let report = f.run_at(t0() + days(30)).await;
    assert_eq!(report.retries + report.renewals, 0);
    assert_eq!(f.gateway.charge_count().await.unwrap(), 4);
    assert!(f.attempts().await.iter().all(|a| a.outcome == "failed"));
    // A new card still collects the unpaid invoice.
    let added = f
        .add_card(&f.customer, "5555555555554444", "01/31", true)
        .await;
    assert_eq!(
        added.recovery[0].result,
        dunwell::billing::RecoveryResult::Paid
    );
    assert_eq!(f.sub().await.status, "active");
}

async fn giving_up_cancels_when_the_policy_says_so(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    f.set_final_action("cancel").await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    let report = f.engine.advance_clock("acme", 8).await.unwrap();
    assert_eq!(report.total.retries, 3, "{report}");
    assert_eq!(report.total.gave_up, 1);
    let inv = f.invoice().await;
    assert_eq!(inv.status, "uncollectible");
    assert_eq!(inv.next_attempt_at, None);
    let sub = f.sub().await;
    assert_eq!(sub.status, "canceled");
    assert_eq!(sub.cancel_reason.as_deref(), Some("payment_failed"));
    assert_eq!(
        f.email_kinds().await.last().map(String::as_str),
        Some("subscription_canceled")
    );
    let text = report.to_string();
    assert!(text.contains("acme: clock moved from 2026-03-01"), "{text}");
    assert!(text.contains("gave up 1"), "{text}");
}

async fn hard_decline_on_the_same_card_skips_the_charge(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    f.clock.set(t0() - days(40));
    f.card(&f.customer, "4242 4242 4242 4242", "02/26").await;
    f.run_at(t0()).await;
    assert_eq!(f.gateway.charge_count().await.unwrap(), 1);
    let report = f.run_at(t0() + days(3)).await;
    assert_eq!(
        (
            report.retries_skipped,
            report.retries,
            report.payments_failed
        ),
        (1, 0, 1)
    );
    // No second charge reached the gateway, yet the step counts.
    assert_eq!(f.gateway.charge_count().await.unwrap(), 1);
    let attempts = f.attempts().await;
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1].trigger, "scheduled_retry");
    assert_eq!(attempts[1].gateway_reference, None);
    assert_eq!(attempts[1].decline_code.as_deref(), Some("expired_card"));
    assert_eq!(f.invoice().await.next_attempt_at, Some(t0() + days(5)));
}

async fn a_canceled_subscription_gets_no_retries(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    dunwell::entity::subscription::Entity::update_many()
        .col_expr(
            dunwell::entity::subscription::Column::Status,
            Expr::value("canceled"),
        )
        .filter(dunwell::entity::subscription::Column::Id.eq(f.sub.id))
        .exec(&f.db)
        .await
        .unwrap();
    let report = f.run_at(t0() + days(3)).await;
    assert_eq!(report.retries, 0);
    assert_eq!(f.gateway.charge_count().await.unwrap(), 1);
    assert_eq!(f.invoice().await.next_attempt_at, None);
    // Nor does a new default payment method charge it.
    let added = f
        .add_card(&f.customer, "4242424242424242", "01/31", true)
        .await;
    assert!(added.recovery.is_empty());
    assert_eq!(f.money_moved().await, 0);
}

async fn no_default_method_fails_without_a_charge(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    let report = f.run_at(t0()).await;
    assert_eq!(report.payments_failed, 1);
    assert_eq!(f.gateway.charge_count().await.unwrap(), 0);
    let attempts = f.attempts().await;
    assert_eq!(
        (
            attempts[0].payment_method_id,
            attempts[0].decline_code.as_deref()
        ),
        (None, None)
    );
    let failed = f.emails().await.pop().unwrap();
    assert!(
        failed
            .text_body
            .contains("non c'è alcun metodo di pagamento"),
        "{}",
        failed.text_body
    );
}

async fn cancel_at_period_end_and_renewal_numbering(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    f.clock.set(t0() - days(40));
    f.card(&f.customer, "4242 4242 4242 4242", "12/30").await;
    let marco = add_customer(&f.db, &f.org, "marco@example.com", "Marco", "en").await;
    f.card(&marco, "5555 5555 5555 4444", "12/30").await;
    add_subscription(&f.db, &f.org, &f.plan, &marco, t0() - days(1)).await;
    let leaving = add_customer(&f.db, &f.org, "leo@example.com", "Leo", "en").await;
    let leaving_sub = add_subscription(&f.db, &f.org, &f.plan, &leaving, t0()).await;
    dunwell::entity::subscription::Entity::update_many()
        .col_expr(
            dunwell::entity::subscription::Column::CancelAtPeriodEnd,
            Expr::value(true),
        )
        .filter(dunwell::entity::subscription::Column::Id.eq(leaving_sub.id))
        .exec(&f.db)
        .await
        .unwrap();
    let report = f.run_at(t0()).await;
    assert_eq!(
        (report.renewals, report.payments_succeeded, report.canceled),
        (2, 2, 1),
        "{report}"
    );
    // Time order: Marco's period ended first, so his invoice has the first number.
    let numbers: Vec<_> = f
        .invoices()
        .await
        .into_iter()
        .map(|i| (i.customer_id, i.number))
        .collect();
    assert_eq!(
        numbers,
        [
            (marco.id, "ACME-000001".to_owned()),
            (f.customer.id, "ACME-000002".to_owned())
        ]
    );
    let leaving_sub = dunwell::entity::subscription::Entity::find_by_id(leaving_sub.id)
        .one(&f.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(leaving_sub.status, "canceled");
    // The customer was told when they asked to cancel (the portal sends that email);
    // the period's end does not tell them again.
    let kinds = f.email_kinds().await;
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "subscription_canceled")
            .count(),
        0
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "payment_succeeded").count(),
        2
    );
    // Nothing is due any more.
    let report = f.run_at(t0() + days(1)).await;
    assert_eq!(report, dunwell::billing::RunReport::default());
}

async fn card_expiry_reminders_are_sent_once_each(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    // Valid through 31 March 2026; the subscription renews far later.
    dunwell::entity::subscription::Entity::update_many()
        .col_expr(
            dunwell::entity::subscription::Column::CurrentPeriodEnd,
            Expr::value(t0() + days(365)),
        )
        .exec(&f.db)
        .await
        .unwrap();
    f.card(&f.customer, "4242 4242 4242 4242", "03/26").await;
    let report = f.run_at(t0() - days(2)).await; // 27 Feb: 32 days left
    assert_eq!(report.reminders, 0);
    let report = f.run_at(t0()).await; // 1 Mar: 30 days left
    assert_eq!(report.reminders, 1);
    assert_eq!(f.run_at(t0() + days(1)).await.reminders, 0);
    assert_eq!(f.run_at(t0() + days(22)).await.reminders, 0); // 23 Mar: 8 days left
    assert_eq!(f.run_at(t0() + days(23)).await.reminders, 1); // 24 Mar: 7 days left
    assert_eq!(f.run_at(t0() + days(24)).await.reminders, 0);
    let emails = f.emails().await;
    assert_eq!(emails.len(), 2);
    assert!(emails.iter().all(|e| e.kind == "card_expiring"));
    assert!(emails[0].subject.contains("4242"), "{}", emails[0].subject);
    assert!(emails[0].text_body.contains("03/26"));
}

async fn set_default_refuses_other_customers_methods_and_writes_nothing(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    let other = add_customer(&f.db, &f.org, "other@example.com", "Other", "en").await;
    let theirs = f.card(&other, "4242 4242 4242 4242", "12/30").await;
    let err = f
        .engine
        .set_default_payment_method(f.org.id, f.customer.id, &theirs)
        .await
        .unwrap_err();
    assert!(matches!(err, BillingError::NotYourPaymentMethod), "{err:?}");
    let err = f
        .engine
        .set_default_payment_method(f.org.id, f.customer.id, "pm_aaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert!(matches!(err, BillingError::UnknownPaymentMethod), "{err:?}");
    let err = f
        .engine
        .set_default_payment_method(f.org.id + 1000, f.customer.id, &theirs)
        .await
        .unwrap_err();
    assert!(matches!(err, BillingError::UnknownOrganization), "{err:?}");
    // Her method is still the default, the invoice untouched, nothing charged.
    assert_eq!(f.invoice().await.attempt_count, 1);
    assert_eq!(f.money_moved().await, 0);
}

/// The engine charged, then crashed before recording: on restart the same attempt is
/// resumed with the same idempotency key and the gateway replays its first answer.
async fn a_crash_between_charge_and_record_does_not_charge_twice(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    let inv = f.invoice().await;
    // A new default card is saved without its recovery having run (the crash)…
    let pm = f
        .add_card(&f.customer, "4242424242424242", "01/31", false)
        .await
        .payment_method_id;
    let token = f
        .methods()
        .await
        .into_iter()
        .find(|m| m.public_id == pm)
        .unwrap()
        .gateway_token;
    // …after the claim of attempt 2 and the charge at the gateway had happened.
    let key = format!("{}-attempt-2", inv.public_id);
    let amount = domain::Money::new(2900, domain::Currency::Eur);
    let first = f
        .gateway
        .charge(&token, amount, &key, t0().date_naive())
        .await
        .unwrap();
    assert!(matches!(
        first,
        dunwell::billing::ChargeOutcome::Succeeded { .. }
    ));
    invoice::Entity::update_many()
        .col_expr(invoice::Column::AttemptCount, Expr::value(2))
        .filter(invoice::Column::Id.eq(inv.id))
        .exec(&f.db)
        .await
        .unwrap();
    assert_eq!(f.money_moved().await, 1);
    // Restart, minutes later: the customer's set-default resumes attempt 2.
    f.clock.set(t0() + chrono::TimeDelta::minutes(10));
    let outcomes = f
        .engine
        .set_default_payment_method(f.org.id, f.customer.id, &pm)
        .await
        .unwrap();
    assert_eq!(
        outcomes[0].result,
        dunwell::billing::RecoveryResult::Paid,
        "{}",
        test_db.backend
    );
    assert_eq!(f.money_moved().await, 1);
    let inv = f.invoice().await;
    assert_eq!((inv.status.as_str(), inv.attempt_count), ("paid", 2));
    let attempts = f.attempts().await;
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1].idempotency_key, key);
}

/// The simplest crash: the gateway saw the key before the engine ever ran the attempt.
async fn a_key_already_charged_is_replayed_not_repeated(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    failed_renewal(&f, "4000 0000 0000 0341").await;
    let inv = f.invoice().await;
    let pm = f
        .add_card(&f.customer, "4242424242424242", "01/31", false)
        .await
        .payment_method_id;
    let token = f
        .methods()
        .await
        .into_iter()
        .find(|m| m.public_id == pm)
        .unwrap()
        .gateway_token;
    let key = format!("{}-attempt-2", inv.public_id);
    f.gateway
        .charge(
            &token,
            domain::Money::new(2900, domain::Currency::Eur),
            &key,
            t0().date_naive(),
        )
        .await
        .unwrap();
    let outcomes = f
        .engine
        .set_default_payment_method(f.org.id, f.customer.id, &pm)
        .await
        .unwrap();
    assert_eq!(outcomes[0].result, dunwell::billing::RecoveryResult::Paid);
    assert_eq!(f.money_moved().await, 1);
    assert_eq!(f.gateway.charge_count().await.unwrap(), 2); // the 0341 decline + this one
}

on_each_database!(
    scheduled_retry_succeeds,
    failed_retry_reschedules_then_gives_up_as_unpaid,
    giving_up_cancels_when_the_policy_says_so,
    hard_decline_on_the_same_card_skips_the_charge,
    a_canceled_subscription_gets_no_retries,
    no_default_method_fails_without_a_charge,
    cancel_at_period_end_and_renewal_numbering,
    card_expiry_reminders_are_sent_once_each,
    set_default_refuses_other_customers_methods_and_writes_nothing,
    a_crash_between_charge_and_record_does_not_charge_twice,
    a_key_already_charged_is_replayed_not_repeated,
);
