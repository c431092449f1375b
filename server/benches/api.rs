//! The merchant API under load: a merchant's app creating a customer and then their
//! subscription (two requests: `POST /v1/customers`, `POST /v1/subscriptions`), through real
//! HTTP on a SQLite file, with the key's rate limit raised out of the way.
//!
//! `cargo bench -p dunwell --bench api [-- OPS CONCURRENCY]` (default 2,000 customers with
//! a subscription each, 16 clients at once). Each subscription has no card on file, as a new
//! customer's does: it starts `incomplete` with its first invoice open and an "add a payment
//! method" email queued, the heaviest path of the two. Prints requests/s and the latency
//! percentiles of each kind of request. Client and server share the machine's cores.
use domain::{RequestRate, StaffRole};
use dunwell::testing::{TestDb, client, set_cookie, spawn_app_with};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

/// The server binary's allocator (see `src/main.rs`), so the bench measures what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let i = ((sorted_ms.len() as f64 - 1.0) * p).round() as usize;
    sorted_ms[i]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ops = args.first().copied().unwrap_or(2_000);
    let concurrency = args.get(1).copied().unwrap_or(16).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(ops, concurrency));
}

async fn run(ops: usize, concurrency: usize) {
    let dir = std::env::temp_dir().join(format!("dunwell-api-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tdb = TestDb::sqlite_file(&dir).await;
    let app = spawn_app_with(&tdb.db, |c| {
        c.limits.api_rate = RequestRate {
            per_second: 1_000_000,
            burst: 1_000_000,
        };
    })
    .await;
    let email = domain::EmailAddress::parse("owner@bench.test").unwrap();
    dunwell::staff::create_staff(
        &app.state.db,
        "bench",
        &email,
        "a-long-bench-password",
        StaffRole::Owner,
    )
    .await
    .unwrap();
    let signed = app
        .call(
            "/api/console/sign_in",
            &[
                ("email", "owner@bench.test"),
                ("password", "a-long-bench-password"),
            ],
            None,
        )
        .await;
    let staff = set_cookie(&signed, "dw_staff").expect("signed in");
    let made = app
        .call(
            "/api/console/create_api_key",
            &[("name", "Bench")],
            Some(&staff),
        )
        .await;
    let fresh = set_cookie(&made, "dw_new_api_key").expect("a key");
    let key = fresh.split_once(':').expect("id:secret").1.to_owned();
    let http = client();
    let price: Value = http
        .post(format!("{}/v1/prices", app.address))
        .bearer_auth(&key)
        .json(&json!({"name": "Pro", "unit_amount": 2900, "currency": "EUR", "recurring": {"interval": "month"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let price = price["id"].as_str().expect("a price").to_owned();

    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, key, price, next) = (http.clone(), key.clone(), price.clone(), next.clone());
        let base = app.address.clone();
        workers.spawn(async move {
            let (mut customers, mut subscriptions) = (Vec::new(), Vec::new());
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= ops {
                    break;
                }
                let t = Instant::now();
                let res = http
                    .post(format!("{base}/v1/customers"))
                    .bearer_auth(&key)
                    .json(&json!({"email": format!("c{i}@bench.example"), "name": format!("Customer {i}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "customer {i}");
                let customer: Value = res.json().await.unwrap();
                customers.push(t.elapsed().as_secs_f64() * 1000.0);
                let t = Instant::now();
                let res = http
                    .post(format!("{base}/v1/subscriptions"))
                    .bearer_auth(&key)
                    .json(&json!({"customer": customer["id"], "price": price}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "subscription {i}");
                let _ = res.bytes().await.unwrap();
                subscriptions.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            (customers, subscriptions)
        });
    }
    let (mut customers, mut subscriptions) = (Vec::new(), Vec::new());
    while let Some(done) = workers.join_next().await {
        let (c, s) = done.unwrap();
        customers.extend(c);
        subscriptions.extend(s);
    }
    let secs = started.elapsed().as_secs_f64();
    let mut all: Vec<f64> = customers.iter().chain(&subscriptions).copied().collect();
    for v in [&mut customers, &mut subscriptions, &mut all] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "ops  clients  requests/s  ops/s  all_p50_ms  all_p99_ms  customer_p99_ms  subscription_p99_ms"
    );
    println!(
        "{ops}  {concurrency}  {:.0}  {:.0}  {:.2}  {:.2}  {:.2}  {:.2}",
        all.len() as f64 / secs,
        ops as f64 / secs,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&customers, 0.99),
        percentile(&subscriptions, 0.99),
    );
    tdb.finish().await;
    let _ = std::fs::remove_dir_all(&dir);
}
