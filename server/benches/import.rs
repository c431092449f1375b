//! CSV import throughput and memory, and the customers page at that size.
//!
//! For each backend (SQLite file; PostgreSQL when `TEST_POSTGRES_URL` is set) and each N
//! (default 10,000 and 100,000), a child process (so its peak RSS is its own) writes two CSV
//! files, N customers and N subscriptions (one each), and imports them through the same
//! service call as `dunwell import` (a streamed file: the check pass, then the write pass).
//! It prints rows/s per file, for both (a customer with their subscription: the two files'
//! time together) and the process's peak RSS. Then, at N customers, it times the
//! customers page in-process: 300 searches by email prefix (index ranges), 60 searches by a
//! part no email or name starts with (the "contains" fallback, a scan: what every search
//! was before) and 100 plain pages (one in the middle of the list), p50/p99. `cargo bench -p dunwell --bench import [-- N…]`.
use chrono::{Duration, Utc};
use dunwell::billing::{BillingEngine, PaymentGateway, SandboxGateway, SystemClock};
use dunwell::config::{Config, Limits, PublicUrl};
use dunwell::console::{ConsoleService, ImportProgress, ImportSource};
use dunwell::entity::plan;
use dunwell::portal::PortalDirectory;
use dunwell::testing::TestDb;
use sea_orm::{ActiveModelTrait, Set};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

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
    if std::env::var("TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        backends.push("postgres");
    }
    println!(
        "backend   rows     customers_rows/s  subscriptions_rows/s  both_rows/s  peak_rss_MB  search_p50_ms  search_p99_ms  contains_p50_ms  contains_p99_ms  page_p50_ms  page_p99_ms"
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

/// Peak resident set size of this process, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    let i = ((sorted_ms.len() as f64 - 1.0) * p).round() as usize;
    sorted_ms[i]
}

async fn run_one(backend: &str, n: usize) {
    let dir = std::env::temp_dir().join(format!("dunwell-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tdb = match backend {
        "postgres" => TestDb::postgres().await.expect("TEST_POSTGRES_URL is set"),
        _ => TestDb::sqlite_file(&dir).await,
    };
    let db = tdb.db.clone();
    let now = Utc::now();
    let org = dunwell::orgs::create(&db, "bench", "Bench Srl", true, now - Duration::days(1))
        .await
        .unwrap()
        .id;
    let owner = domain::EmailAddress::parse("owner@bench.test").unwrap();
    dunwell::staff::create_staff(
        &db,
        "bench",
        &owner,
        "a-long-bench-password",
        domain::StaffRole::Owner,
    )
    .await
    .unwrap();
    plan::ActiveModel {
        public_id: Set("plan_benchbenchbenchb".into()),
        organization_id: Set(org),
        name: Set("Pro".into()),
        amount_minor: Set(2900),
        currency: Set("EUR".into()),
        interval: Set("month".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();

    // The files, streamed to disk.
    let customers = dir.join("customers.csv");
    let subscriptions = dir.join("subscriptions.csv");
    let next = (now + Duration::days(15)).format("%Y-%m-%d").to_string();
    {
        let mut c = std::io::BufWriter::new(std::fs::File::create(&customers).unwrap());
        let mut s = std::io::BufWriter::new(std::fs::File::create(&subscriptions).unwrap());
        writeln!(c, "external_id,email,name,language,billing_address,tax_id").unwrap();
        writeln!(s, "external_id,customer,price,quantity,next_billing_date").unwrap();
        for i in 0..n {
            writeln!(
                c,
                "crm-{i},customer{i}@example.com,Customer {i},{},\"Via Roma {i}\n20100 Milano\",",
                if i % 2 == 0 { "it" } else { "en" }
            )
            .unwrap();
            writeln!(s, "sub-{i},crm-{i},plan_benchbenchbenchb,1,{next}").unwrap();
        }
    }

    let config = Config {
        database_url: tdb.url().unwrap_or_default(),
        public_url: PublicUrl::parse("http://127.0.0.1:3000").unwrap(),
        smtp_url: None,
        demo: false,
        listen: None,
        metrics_token: None,
        secret_key: dunwell::seal::SecretKey::generate(),
        webhook_allow_insecure: false,
        limits: Limits::default(),
    };
    let gateway: Arc<dyn PaymentGateway> = Arc::new(SandboxGateway::new(db.clone()));
    let engine = BillingEngine::new(
        db.clone(),
        gateway,
        Arc::new(SystemClock),
        "http://127.0.0.1:3000",
    );
    let console = ConsoleService::new(
        db.clone(),
        Arc::new(config),
        engine,
        PortalDirectory::default(),
    );
    let actor = console.operator("bench", None).await.unwrap();

    let mut rates = Vec::new();
    for (kind, path) in [
        (domain::ImportKind::Customers, &customers),
        (domain::ImportKind::Subscriptions, &subscriptions),
    ] {
        let started = Instant::now();
        let done = console
            .run_import(
                &actor,
                kind,
                &ImportSource::File(path.clone()),
                ImportProgress::Silent,
            )
            .await
            .unwrap_or_else(|e| panic!("{kind:?} import refused: {e:?}"));
        assert_eq!(done.new_rows, n as u64, "every row is new");
        rates.push(n as f64 / started.elapsed().as_secs_f64());
    }
    let peak = peak_rss_mb();

    // The customers page at N customers.
    let mut search = Vec::new();
    for i in 0..300 {
        let prefix = format!("customer{}", (i * 7919) % n);
        let t = Instant::now();
        let page = console.customers(&actor, &prefix, "", 1).await.unwrap();
        search.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(page.total >= 1, "{prefix} finds its customer");
    }
    // No email or name starts so: the search falls back to "contains", a scan (what every
    // search did before the prefix indexes).
    let mut anywhere = Vec::new();
    for i in 0..60 {
        let part = format!("ustomer{}", (i * 7919) % n);
        let t = Instant::now();
        let page = console.customers(&actor, &part, "", 1).await.unwrap();
        anywhere.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(page.total >= 1, "{part} finds its customer");
    }
    let mut pages = Vec::new();
    for i in 0..100u64 {
        let t = Instant::now();
        let page = if i % 2 == 0 { 1 } else { (n as u64 / 25) / 2 };
        console.customers(&actor, "", "", page).await.unwrap();
        pages.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    search.sort_by(f64::total_cmp);
    anywhere.sort_by(f64::total_cmp);
    pages.sort_by(f64::total_cmp);
    println!(
        "{backend:<9} {n:<8} {:>16.0}  {:>20.0}  {:>11.0}  {peak:>11.1}  {:>13.2}  {:>13.2}  {:>16.2}  {:>16.2}  {:>11.2}  {:>11.2}",
        rates[0],
        rates[1],
        // A customer with their subscription: both files' time for one row of each.
        1.0 / (1.0 / rates[0] + 1.0 / rates[1]),
        percentile(&search, 0.5),
        percentile(&search, 0.99),
        percentile(&anywhere, 0.5),
        percentile(&anywhere, 0.99),
        percentile(&pages, 0.5),
        percentile(&pages, 0.99),
    );
    drop(console);
    drop(db);
    tdb.finish().await;
    std::fs::remove_dir_all(&dir).ok();
}
