//! SQLite in WAL mode with a pool of connections: a transaction that reads and then writes
//! must not fail with `SQLITE_BUSY_SNAPSHOT` (517, "database is locked") when another
//! connection commits in between, as the delivery worker does while marking emails sent.
//! Every transaction starts with [`dunwell::db::begin_write`] (`BEGIN IMMEDIATE` on SQLite).

use async_trait::async_trait;
use chrono::Utc;
use dunwell::billing::{DeliveryWorker, Mailer, NewEmail, OutgoingEmail, RenderedEmail};
use dunwell::entity::organization;
use dunwell::testing::TestDb;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
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
