//! The product's acceptance scenario as a service test: an expired card fails the renewal,
//! the customer adds a new card as default, and the invoice is recovered exactly once.

use crate::support::billing_fixture as fixture;

use dunwell::billing::{RecoveryResult, list_outbox_json};
use dunwell::testing::TestDb;
use fixture::{PORTAL_KEY, PUBLIC_URL, days, setup, t0};

async fn expired_card_scenario_recovers_exactly_once(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    f.clock.set(t0() - days(40));
    // Giulia's card on file expired at the end of February 2026.
    f.card(&f.customer, "4242 4242 4242 4242", "02/26").await;

    // 1. The monthly renewal runs and fails with expired_card.
    let report = f.run_at(t0()).await;
    assert_eq!(
        (
            report.renewals,
            report.payments_failed,
            report.payments_succeeded
        ),
        (1, 1, 0),
        "{}",
        test_db.backend
    );
    let inv = f.invoice().await;
    assert_eq!(inv.number, "ACME-000001");
    assert_eq!(inv.status, "open");
    assert_eq!(inv.attempt_count, 1);
    assert_eq!(inv.first_failure_at, Some(t0()));
    assert_eq!(inv.next_attempt_at, Some(t0() + days(3)));
    assert_eq!(f.sub().await.status, "past_due");
    let attempts = f.attempts().await;
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].decline_code.as_deref(), Some("expired_card"));
    assert_eq!(attempts[0].trigger, "renewal");
    assert_eq!(f.email_kinds().await, ["invoice_created", "payment_failed"]);
    let failed = &f.emails().await[1];
    assert_eq!(failed.to_address, "giulia@example.com");
    assert_eq!(failed.locale, "it");
    assert!(
        failed.subject.starts_with("Pagamento fallito"),
        "{}",
        failed.subject
    );
    let update_link = format!(
        "{PUBLIC_URL}/portal/{PORTAL_KEY}/login?return_to=/portal/{PORTAL_KEY}/payment-methods"
    );
    assert!(
        failed.text_body.contains(&update_link),
        "{}",
        failed.text_body
    );
    assert!(
        failed
            .text_body
            .contains(&format!("{PUBLIC_URL}/portal/{PORTAL_KEY}\n"))
    );
    assert!(failed.text_body.contains("Aggiorna metodo di pagamento"));
    assert!(failed.text_body.contains("29,00 €"));
    assert!(failed.text_body.contains("la carta è scaduta"));
    assert!(
        failed
            .html_body
            .contains(&format!("<a href=\"{update_link}\">"))
    );
    assert_eq!(f.money_moved().await, 0);

    // 2–4. Later that day she signs in and adds a new card as her default.
    let later = t0() + chrono::TimeDelta::hours(2);
    f.clock.set(later);
    let added = f
        .add_card(&f.customer, "4242424242424242", "12/30", true)
        .await;

    // 5. The invoice is retried at once, on the new card, exactly once.
    assert_eq!(added.recovery.len(), 1);
    assert_eq!(added.recovery[0].result, RecoveryResult::Paid);
    assert_eq!(added.recovery[0].invoice_number, "ACME-000001");
    assert_eq!(
        added.recovery[0].amount,
        domain::Money::new(2900, domain::Currency::Eur)
    );
    let inv = f.invoice().await;
    assert_eq!(inv.status, "paid");
    assert_eq!(inv.amount_paid_minor, 2900);
    assert_eq!(inv.next_attempt_at, None);
    assert_eq!(inv.paid_at, Some(later));
    let sub = f.sub().await;
    assert_eq!(sub.status, "active");
    assert_eq!(sub.current_period_start, t0());
    assert_eq!(sub.current_period_end, t0() + chrono::Months::new(1));
    let succeeded: Vec<_> = f
        .attempts()
        .await
        .into_iter()
        .filter(|a| a.outcome == "succeeded")
        .collect();
    assert_eq!(succeeded.len(), 1);
    assert_eq!(succeeded[0].trigger, "payment_method_update");
    assert_eq!(f.money_moved().await, 1);
    assert_eq!(
        f.email_kinds().await,
        ["invoice_created", "payment_failed", "payment_succeeded"]
    );
    let receipt = &f.emails().await[2];
    assert!(
        receipt.subject.starts_with("Ricevuta"),
        "{}",
        receipt.subject
    );
    // The new card is the only default.
    let defaults: Vec<_> = f
        .methods()
        .await
        .into_iter()
        .filter(|m| m.is_default)
        .collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0].public_id, added.payment_method_id);
    assert_eq!(defaults[0].last4, "4242");

    // Setting the same default again, or running the worker, charges nothing more.
    let again = f
        .engine
        .set_default_payment_method(f.org.id, f.customer.id, &added.payment_method_id)
        .await
        .unwrap();
    assert!(again.is_empty());
    f.run_at(t0() + days(3)).await;
    assert_eq!(f.money_moved().await, 1);

    let outbox = list_outbox_json(&f.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(outbox.len(), 3);
    let first: serde_json::Value = serde_json::from_str(&outbox[1]).unwrap();
    assert_eq!(first["kind"], "payment_failed");
    assert_eq!(first["to"], "giulia@example.com");
    assert_eq!(first["status"], "queued");
    assert!(first["text"].as_str().unwrap().contains(&update_link));
}

on_each_database!(expired_card_scenario_recovers_exactly_once,);
