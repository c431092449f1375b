//! SQLite in WAL mode with a pool of connections: a transaction that reads and then writes
//! must not fail with `SQLITE_BUSY_SNAPSHOT` (517, "database is locked") when another
//! connection commits in between, as the delivery worker does while marking emails sent.
//! Every transaction starts with [`dunwell::db::begin_write`] (`BEGIN IMMEDIATE` on SQLite).
//! The merchant API's writes, which run on the writer's own thread on a file, land too.

use crate::api_keys::make_key;
use crate::support::shop::staff;
use async_trait::async_trait;
use chrono::Utc;
use domain::{RequestRate, StaffRole};
use dunwell::billing::{DeliveryWorker, Mailer, NewEmail, OutgoingEmail, RenderedEmail};
use dunwell::entity::{customer, invoice, organization};
use dunwell::testing::{TestDb, spawn_app_with};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::sync::Arc;

const TASKS: i64 = 8;
const ROUNDS: i64 = 25;

/// Delivers everything at once, so the worker commits one write after another.
struct Instant;

#[async_trait]
impl Mailer for Instant {
    async fn send(&self, _email: &OutgoingEmail) -> Result<(), String> {
        Ok(())
    }
}

/// One read-then-write transaction: read the invoice sequence, yield so other
/// connections commit meanwhile, write it back plus one.
async fn bump(db: &DatabaseConnection, org_id: i64) -> Result<(), sea_orm::DbErr> {
    let txn = dunwell::db::begin_write(db).await?;
    let seq = organization::Entity::find_by_id(org_id)
        .one(&txn)
        .await?
        .expect("the organization exists")
        .next_invoice_seq;
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    organization::Entity::update_many()
        .col_expr(organization::Column::NextInvoiceSeq, Expr::value(seq + 1))
        .filter(organization::Column::Id.eq(org_id))
        .exec(&txn)
        .await?;
    txn.commit().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_then_write_transactions_survive_concurrent_commits_on_sqlite_wal() {
    let dir = crate::support::TempDir::new("writers");
    let test_db = TestDb::sqlite_file(dir.path()).await;
    let db = test_db.db.clone();
    let org = dunwell::orgs::create(&db, "acme", "Acme", true, Utc::now())
        .await
        .unwrap();
    let start = org.next_invoice_seq;
    // ~400 queued emails for the worker to mark sent while the transactions run.
    for i in 0..400 {
        let email = NewEmail {
            organization_id: Some(org.id),
            customer_id: None,
            to: format!("c{i}@example.com"),
            kind: dunwell::billing::EmailKind::InvoiceCreated,
            locale: domain::Locale::En,
            rendered: RenderedEmail {
                subject: "s".into(),
                text_body: "t".into(),
                html_body: "h".into(),
            },
            magic_link_id: None,
        };
        dunwell::billing::queue_email(&db, email, Utc::now())
            .await
            .unwrap();
    }
    let mut worker = DeliveryWorker::new(db.clone(), Arc::new(Instant));
    worker.batch_size = 400;
    let delivery = tokio::spawn(async move { worker.run_once(Utc::now()).await });
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..ROUNDS {
                bump(&db, org.id).await?;
            }
            Ok::<(), sea_orm::DbErr>(())
        }));
    }
    for task in tasks {
        task.await
            .unwrap()
            .unwrap_or_else(|e| panic!("a read-then-write transaction failed: {e}"));
    }
    assert_eq!(delivery.await.unwrap().unwrap().sent, 400);
    let seq = organization::Entity::find_by_id(org.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .next_invoice_seq;
    assert_eq!(seq, start + TASKS * ROUNDS, "no update was lost");
    test_db.finish().await;
}

/// `POST /v1{path}` with `key`: the status and the JSON answer.
async fn post_v1(address: &str, key: &str, path: &str, body: Value) -> (u16, Value) {
    let res = dunwell::testing::client()
        .post(format!("{address}/v1{path}"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// On a SQLite file the merchant API's writes run on the writer's own thread
/// (`db::on_writer_thread`): forty customers and subscriptions made eight at a time all
/// land, their first invoices take forty consecutive numbers, and a taken email is still
/// refused by the unique index, from that thread, as `email.taken`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn api_writes_on_a_sqlite_file_all_land_in_turn() {
    // Arrange
    let dir = crate::support::TempDir::new("api-writers");
    let test_db = TestDb::sqlite_file(dir.path()).await;
    let app = spawn_app_with(&test_db.db, |c| {
        c.limits.api_rate = RequestRate {
            per_second: 10_000,
            burst: 10_000,
        };
    })
    .await;
    let admin = staff(&app, "acme", "admin@acme.test", StaffRole::Admin).await;
    let (_, key) = make_key(&app, &admin, "Acme app").await;
    let price = json!({"name": "Pro", "unit_amount": 2900, "currency": "eur", "recurring": {"interval": "month"}});
    let (status, price) = post_v1(&app.address, &key, "/prices", price).await;
    assert_eq!(status, 200, "{price}");

    // Act
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..8 {
        let (address, key, price) = (app.address.clone(), key.clone(), price["id"].clone());
        tasks.spawn(async move {
            let mut answers = Vec::new();
            for i in 0..5 {
                let body = json!({"email": format!("c{t}-{i}@example.com"), "name": "Marco"});
                let (status, customer) = post_v1(&address, &key, "/customers", body).await;
                answers.push((status, customer.clone()));
                let body = json!({"customer": customer["id"], "price": price});
                answers.push(post_v1(&address, &key, "/subscriptions", body).await);
            }
            answers
        });
    }
    let answers = tasks.join_all().await.concat();
    let again = json!({"email": "c3-2@example.com", "name": "Again"});
    let (taken, refusal) = post_v1(&app.address, &key, "/customers", again).await;

    // Assert
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    assert_eq!(
        (taken, &refusal["error"]["code"]),
        (422, &json!("email.taken"))
    );
    let mut numbers: Vec<u64> = invoice::Entity::find()
        .all(&test_db.db)
        .await
        .unwrap()
        .iter()
        .map(|i| i.number.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers.len(), 40);
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "one number each, none skipped: {numbers:?}"
    );
    assert_eq!(
        customer::Entity::find().count(&test_db.db).await.unwrap(),
        40,
        "the refused email wrote nothing"
    );
    test_db.finish().await;
}

/// A write on the writer's thread stops when its caller is dropped (a request's client gone,
/// its timeout): its transaction rolls back, nothing is written and the next writer goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_caller_aborts_its_write_on_the_writer_thread() {
    // Arrange
    let dir = crate::support::TempDir::new("abort");
    let test_db = TestDb::sqlite_file(dir.path()).await;
    let db = test_db.db.clone();
    let org = dunwell::orgs::create(&db, "acme", "Acme", true, Utc::now())
        .await
        .unwrap();
    let (began, has_begun) = tokio::sync::oneshot::channel();
    let work = {
        let db = db.clone();
        async move {
            let txn = dunwell::db::begin_write(&db).await?;
            organization::Entity::update_many()
                .col_expr(organization::Column::NextInvoiceSeq, Expr::value(999))
                .filter(organization::Column::Id.eq(org.id))
                .exec(&txn)
                .await?;
            let _ = began.send(());
            // Never commits on its own.
            std::future::pending::<()>().await;
            txn.commit().await
        }
    };
    let caller = tokio::spawn({
        let db = db.clone();
        async move { dunwell::db::on_writer_thread(&db, work).await }
    });
    has_begun.await.unwrap();

    // Act
    caller.abort();
    let _ = caller.await;

    // Assert
    let next = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        dunwell::db::begin_write(&db),
    )
    .await
    .expect("the writer is free again")
    .unwrap();
    let seq = organization::Entity::find_by_id(org.id)
        .one(&next)
        .await
        .unwrap()
        .unwrap()
        .next_invoice_seq;
    next.commit().await.unwrap();
    assert_eq!(seq, org.next_invoice_seq, "the dropped write rolled back");
    test_db.finish().await;
}
