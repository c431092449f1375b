//! Exactly once under concurrency: at most one successful charge per invoice, counted at
//! the gateway, with many concurrent set-default calls and worker runs, and with two
//! engine instances on one PostgreSQL database.

use crate::support::billing_fixture as fixture;

use dunwell::billing::{BillingEngine, RecoveryResult};
use dunwell::testing::TestDb;
use fixture::{Fixture, days, engine_on, setup, t0};
use sea_orm::DatabaseConnection;

/// Giulia's renewal failed (0341) and a good card is saved but not yet default; the
/// day-3 retry is due too, so the worker competes with the customer's requests.
async fn past_due_with_spare_card(f: &Fixture) -> String {
    f.clock.set(t0() - days(40));
    f.card(&f.customer, "4000 0000 0000 0341", "12/30").await;
    f.run_at(t0()).await;
    assert_eq!(f.sub().await.status, "past_due");
    let pm = f
        .add_card(&f.customer, "4242424242424242", "01/31", false)
        .await
        .payment_method_id;
    f.clock.set(t0() + days(3));
    pm
}

async fn race(f: &Fixture, engines: &[BillingEngine], pm: &str) {
    let mut tasks = Vec::new();
    for i in 0..24 {
        let engine = engines[i % engines.len()].clone();
        let (org, customer, pm) = (f.org.id, f.customer.id, pm.to_owned());
        tasks.push(tokio::spawn(async move {
            if i % 6 == 5 {
                engine.run_once(t0() + days(3)).await.map(|_| Vec::new())
            } else {
                engine.set_default_payment_method(org, customer, &pm).await
            }
        }));
    }
    let mut paid = 0;
    for task in tasks {
        let outcomes = task
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("a racing call failed: {e}"));
        paid += outcomes
            .iter()
            .filter(|o| o.result == RecoveryResult::Paid)
            .count();
    }
    assert!(paid <= 1, "{paid} calls report a payment");
    assert_eq!(
        f.money_moved().await,
        1,
        "exactly one successful charge at the gateway"
    );
    let inv = f.invoice().await;
    assert_eq!(inv.status, "paid");
    let succeeded = f
        .attempts()
        .await
        .into_iter()
        .filter(|a| a.outcome == "succeeded")
        .count();
    assert_eq!(succeeded, 1);
    assert_eq!(f.sub().await.status, "active");
    let receipts = f
        .email_kinds()
        .await
        .into_iter()
        .filter(|k| k == "payment_succeeded")
        .count();
    assert_eq!(receipts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_set_default_and_worker_charge_once_on_sqlite_file() {
    let dir = std::env::temp_dir().join(format!(
        "dunwell-billing-{}",
        dunwell::secret::random_bytes::<6>()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let test_db = TestDb::sqlite_file(&dir).await;
    let f = setup(&test_db.db).await;
    let pm = past_due_with_spare_card(&f).await;
    race(&f, std::slice::from_ref(&f.engine), &pm).await;
    test_db.finish().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_set_default_and_worker_charge_once_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        eprintln!("TEST_POSTGRES_URL not set: skipped");
        return;
    };
    let f = setup(&test_db.db).await;
    let pm = past_due_with_spare_card(&f).await;
    race(&f, std::slice::from_ref(&f.engine), &pm).await;
    test_db.finish().await;
}

/// Two instances: separate connection pools, separate gateway adapters, one database.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_engine_instances_on_postgres_charge_once() {
    let Some(test_db) = TestDb::postgres().await else {
        eprintln!("TEST_POSTGRES_URL not set: skipped");
        return;
    };
    let f = setup(&test_db.db).await;
    let pm = past_due_with_spare_card(&f).await;
    let second: DatabaseConnection = dunwell::db::connect(&test_db.url().unwrap()).await.unwrap();
    let (other, _) = engine_on(&second, f.clock.clone());
    race(&f, &[f.engine.clone(), other], &pm).await;
    second.close().await.ok();
    test_db.finish().await;
}
