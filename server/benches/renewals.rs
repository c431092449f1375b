//! Renewal throughput: N subscriptions fall due at once (10% on a card whose charges
//! decline) and one `run_once` renews them all. Each (backend, N) runs in a child process
//! so its peak RSS is its own. `cargo bench -p dunwell --bench renewals [-- N…]`;
//! PostgreSQL too when `TEST_POSTGRES_URL` is set (a fresh database, dropped after).
use chrono::{Duration, Utc};
use dunwell::billing::{BillingEngine, FixedClock, PaymentGateway, SandboxGateway};
use dunwell::entity::{customer, payment_method, plan, sandbox_gateway_token, subscription};
use dunwell::testing::TestDb;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::sync::Arc;
use std::time::Instant;

const CHUNK: usize = 400;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--one") {
        let backend = args[1].clone();
        let n: usize = args[2].parse().expect("a count");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(run_one(&backend, n));
        return;
    }
    let counts: Vec<usize> = if args.is_empty() {
        vec![10_000, 100_000]
    } else {
        args.iter().filter_map(|a| a.parse().ok()).collect()
    };
    let mut backends = vec!["sqlite"];
    if pg_url().is_some() {
        backends.push("postgres");
    }
    println!(
        "backend   subscriptions  renewals/s  failed  run_s   peak_rss_MB  rss_growth_during_run_MB  recovery_p50_ms  recovery_p99_ms  recovered"
    );
    let exe = std::env::current_exe().unwrap();
    for backend in backends {
        for &n in &counts {
            let out = std::process::Command::new(&exe)
                .args(["--one", backend, &n.to_string()])
                .output()
                .expect("child runs");
            if !out.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
                std::process::exit(1);
            }
            print!("{}", String::from_utf8_lossy(&out.stdout));
        }
    }
}

fn pg_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Peak and current resident set size of this process, in MB.
fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

async fn run_one(backend: &str, n: usize) {
    let dir = std::env::temp_dir().join(format!("dunwell-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tdb = match backend {
        "postgres" => TestDb::postgres().await.expect("TEST_POSTGRES_URL is set"),
        _ => TestDb::sqlite_file(&dir).await,
    };
    let db = tdb.db.clone();
    let now = Utc::now();
    let org = dunwell::orgs::create(&db, "bench", "Bench Ltd", true, now - Duration::days(60))
        .await
        .unwrap();
    let plan = plan::ActiveModel {
        public_id: Set("plan_benchbenchbenchbe".into()),
        organization_id: Set(org.id),
        name: Set("Pro".into()),
        amount_minor: Set(2900),
        currency: Set("EUR".into()),
        interval: Set("month".into()),
        created_at: Set(now - Duration::days(60)),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();

    // Bulk set-up: customers, gateway tokens, default cards, due subscriptions.
    let id = |prefix: &str, i: usize| format!("{prefix}{i:016}");
    for start in (0..n).step_by(CHUNK) {
        let range = start..(start + CHUNK).min(n);
        customer::Entity::insert_many(range.clone().map(|i| customer::ActiveModel {
            public_id: Set(id("cus_", i)),
            organization_id: Set(org.id),
            email: Set(format!("c{i}@bench.test")),
            name: Set(format!("Customer {i}")),
            locale: Set(if i % 2 == 0 { "en" } else { "it" }.into()),
            created_at: Set(now - Duration::days(60)),
            ..Default::default()
        }))
        .exec(&db)
        .await
        .unwrap();
        sandbox_gateway_token::Entity::insert_many(range.clone().map(|i| {
            sandbox_gateway_token::ActiveModel {
                token: Set(id("tok_", i)),
                kind: Set("card".into()),
                brand: Set(Some("visa".into())),
                last4: Set("4242".into()),
                exp_month: Set(Some(12)),
                exp_year: Set(Some(2099)),
                // Every tenth card saves fine and declines every charge (4000 0000 0000 0341).
                behavior: Set(if i % 10 == 9 {
                    "always_decline"
                } else {
                    "succeed"
                }
                .into()),
                created_at: Set(now - Duration::days(60)),
                ..Default::default()
            }
        }))
        .exec(&db)
        .await
        .unwrap();
    }
    // Customer ids are 1..=n in insertion order on a fresh database.
    for start in (0..n).step_by(CHUNK) {
        let range = start..(start + CHUNK).min(n);
        payment_method::Entity::insert_many(range.clone().map(|i| payment_method::ActiveModel {
            public_id: Set(id("pm_", i)),
            organization_id: Set(org.id),
            customer_id: Set(i as i64 + 1),
            kind: Set("card".into()),
            brand: Set(Some("visa".into())),
            last4: Set("4242".into()),
            exp_month: Set(Some(12)),
            exp_year: Set(Some(2099)),
            holder_name: Set(Some(format!("Customer {i}"))),
            gateway_token: Set(id("tok_", i)),
            is_default: Set(true),
            expiry_reminder_30_sent_at: Set(None),
            expiry_reminder_7_sent_at: Set(None),
            removed_at: Set(None),
            created_at: Set(now - Duration::days(60)),
            ..Default::default()
        }))
        .exec(&db)
        .await
        .unwrap();
        subscription::Entity::insert_many(range.map(|i| subscription::ActiveModel {
            public_id: Set(id("sub_", i)),
            organization_id: Set(org.id),
            customer_id: Set(i as i64 + 1),
            plan_id: Set(plan.id),
            status: Set("active".into()),
            current_period_start: Set(now - Duration::days(31)),
            current_period_end: Set(now - Duration::minutes(1)),
            cancel_at_period_end: Set(false),
            cancel_reason: Set(None),
            cancel_comment: Set(None),
            canceled_at: Set(None),
            created_at: Set(now - Duration::days(60)),
            updated_at: Set(now - Duration::days(60)),
            ..Default::default()
        }))
        .exec(&db)
        .await
        .unwrap();
    }

    let clock = Arc::new(FixedClock::new(now));
    let gateway: Arc<dyn PaymentGateway> = Arc::new(SandboxGateway::new(db.clone()));
    let engine = BillingEngine::new(db.clone(), gateway, clock, "http://127.0.0.1:3000");
    let (_, rss_before) = rss_mb();
    let started = Instant::now();
    let report = engine.run_once(now).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let (peak, rss_after) = rss_mb();
    assert_eq!(
        report.renewals as usize, n,
        "every due subscription renewed: {report:?}"
    );

    // Instant recovery: each past-due customer saves a good card, then sets it as the
    // default; timed from the set-default call to its return with the invoice paid.
    let past_due = subscription::Entity::find()
        .filter(subscription::Column::Status.eq("past_due"))
        .limit(1000)
        .all(&db)
        .await
        .unwrap();
    let card = domain::CardNumber::parse("4242 4242 4242 4242").unwrap();
    let expiry = domain::ExpiryDate::from_parts(12, 2099).unwrap();
    let mut samples = Vec::with_capacity(past_due.len());
    for sub in &past_due {
        let added = engine
            .add_card(
                org.id,
                sub.customer_id,
                &card,
                expiry,
                &domain::CardholderName::parse("Bench").unwrap(),
                false,
            )
            .await
            .unwrap();
        let t = Instant::now();
        let outcomes = engine
            .set_default_payment_method(org.id, sub.customer_id, &added.payment_method_id)
            .await
            .unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o.result, dunwell::billing::RecoveryResult::Paid)),
            "{outcomes:?}"
        );
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "{backend:<9} {n:>13}  {:>10.0}  {:>6}  {elapsed:>6.1}  {peak:>11.1}  {:>24.1}  {:>15.2}  {:>15.2}  {:>9}",
        n as f64 / elapsed,
        report.payments_failed,
        rss_after - rss_before,
        pct(0.50),
        pct(0.99),
        samples.len()
    );
    tdb.finish().await;
    let _ = std::fs::remove_dir_all(&dir);
}
