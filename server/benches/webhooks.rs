//! Webhook delivery under load: a backlog of events (default 100,000) for one endpoint, sent
//! by the dispatcher the server runs (fan-out, lease, signed POSTs in parallel, one log row
//! per try) to a local receiver over real HTTP, on a SQLite file.
//!
//! `cargo bench -p dunwell --bench webhooks [-- EVENTS]`. Prints deliveries/s and the
//! process's resident memory at the start, at every tenth of the backlog and at the end, to
//! show that draining a large backlog keeps memory flat. Receiver, dispatcher and database
//! share the machine's cores.
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use dunwell::entity::{event, webhook_endpoint};
use dunwell::testing::{TestDb, spawn_app};
use dunwell::webhooks::WebhookSecret;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Resident memory of this process, in MiB.
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let events: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(events));
}

async fn run(events: usize) {
    let dir = std::env::temp_dir().join(format!("dunwell-webhook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tdb = TestDb::sqlite_file(&dir).await;
    let app = spawn_app(&tdb.db).await;
    let db = &app.state.db;
    let email = domain::EmailAddress::parse("owner@bench.test").unwrap();
    dunwell::staff::create_staff(
        db,
        "bench",
        &email,
        "a-long-bench-password",
        domain::StaffRole::Owner,
    )
    .await
    .unwrap();
    let org = dunwell::entity::organization::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();

    // The receiver: answers 204 to every delivery and counts them.
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let receiver = Router::new().route(
        "/hook",
        post(move |_body: String| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    webhook_endpoint::ActiveModel {
        public_id: Set("we_benchbenchbenchbe".into()),
        organization_id: Set(org.id),
        url: Set(format!("http://{addr}/hook")),
        description: Set("bench".into()),
        event_filter: Set("*".into()),
        secret_sealed: Set(app
            .state
            .config
            .secret_key
            .seal(WebhookSecret::generate().expose())),
        enabled: Set(true),
        disabled_reason: Set(None),
        failing_since: Set(None),
        last_event_id: Set(0),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    // The backlog: `events` customer.created events, as the API writes them.
    let now = chrono::Utc::now();
    let rows: Vec<event::ActiveModel> = (0..events)
        .map(|i| {
            let id = format!("cus_{:016}", i).replace(|c: char| c.is_ascii_digit(), "a");
            event::ActiveModel {
                public_id: Set(format!("evt_{}", base32(i))),
                organization_id: Set(org.id),
                kind: Set("customer.created".into()),
                object_id: Set(id.clone()),
                data: Set(format!(
                    r#"{{"id":"{id}","object":"customer","email":"c{i}@example.com","name":"Customer {i}","metadata":{{}}}}"#
                )),
                created_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    dunwell::db::insert_chunked(db, rows).await.unwrap();
    let rss_start = rss_mib();
    println!("backlog: {events} events for one endpoint; RSS at start {rss_start:.0} MiB");

    let hooks = app.webhooks();
    let started = Instant::now();
    let mut marks = Vec::new();
    let mut next_mark = events / 10;
    let mut peak = rss_start;
    loop {
        let r = hooks.run_once(chrono::Utc::now()).await.unwrap();
        peak = peak.max(rss_mib());
        let done = received.load(Ordering::Relaxed);
        if done >= next_mark && next_mark > 0 {
            marks.push((done, rss_mib()));
            next_mark += events / 10;
        }
        if r.queued == 0 && r.delivered == 0 && r.failed == 0 {
            break;
        }
        assert_eq!(r.failed, 0, "the receiver refused deliveries");
    }
    let secs = started.elapsed().as_secs_f64();
    let delivered = received.load(Ordering::Relaxed);
    let attempts = dunwell::entity::webhook_attempt::Entity::find()
        .count(db)
        .await
        .unwrap();
    println!(
        "delivered {delivered} in {secs:.1} s: {:.0} deliveries/s ({attempts} log rows)",
        delivered as f64 / secs
    );
    for (done, rss) in marks {
        println!("  after {done:>7} deliveries: RSS {rss:.0} MiB");
    }
    println!(
        "RSS: start {rss_start:.0} MiB, peak {peak:.0} MiB, end {:.0} MiB",
        rss_mib()
    );
    assert_eq!(delivered, events, "every event delivered once");
    tdb.finish().await;
    std::fs::remove_dir_all(&dir).ok();
}

/// A 16-character base32 body for a bench id.
fn base32(mut n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = [b'a'; 16];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[n % 32];
        n /= 32;
    }
    String::from_utf8(out.to_vec()).unwrap()
}
