//! Test support: fresh, migrated databases. Every service and HTTP test runs on SQLite,
//! and on PostgreSQL too when `TEST_POSTGRES_URL` is set (each test gets its own
//! database, created here and dropped when the test finishes).
use crate::db;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// A migrated database for one test. Drop it with [`TestDb::finish`] (PostgreSQL
/// databases are dropped there; a panicking test leaves its database for inspection).
pub struct TestDb {
    pub db: DatabaseConnection,
    pub backend: &'static str,
    admin_url: Option<String>,
    name: Option<String>,
}

impl TestDb {
    /// A fresh in-memory SQLite database, migrated.
    pub async fn sqlite() -> TestDb {
        let db = db::open("sqlite::memory:")
            .await
            .expect("in-memory SQLite opens");
        TestDb {
            db,
            backend: "sqlite",
            admin_url: None,
            name: None,
        }
    }

    /// A fresh SQLite file database (for tests that need several connections).
    pub async fn sqlite_file(dir: &std::path::Path) -> TestDb {
        let url = format!("sqlite://{}/test.db", dir.display());
        let db = db::open(&url).await.expect("SQLite file database opens");
        TestDb {
            db,
            backend: "sqlite",
            admin_url: None,
            name: None,
        }
    }

    /// A fresh PostgreSQL database, migrated, when `TEST_POSTGRES_URL` is set. Panics when
    /// it is not but `DUNWELL_REQUIRE_POSTGRES=1` (CI): a required database that is missing
    /// fails the run instead of passing it on SQLite alone.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_url()?;
        let name = format!("dunwell_test_{}", hex_suffix());
        on_server(&admin_url, format!("CREATE DATABASE \"{name}\"")).await;
        let url = with_database(&admin_url, &name);
        let db = db::open(&url)
            .await
            .expect("test database opens and migrates");
        Some(TestDb {
            db,
            backend: "postgres",
            admin_url: Some(admin_url),
            name: Some(name),
        })
    }

    /// The URL of this database, for a second connection (a second "instance").
    pub fn url(&self) -> Option<String> {
        match (&self.admin_url, &self.name) {
            (Some(admin), Some(name)) => Some(with_database(admin, name)),
            _ => None,
        }
    }

    /// Closes the connection and drops a PostgreSQL database.
    pub async fn finish(self) {
        let TestDb {
            db,
            admin_url,
            name,
            ..
        } = self;
        db.close().await.ok();
        if let (Some(admin_url), Some(name)) = (admin_url, name) {
            on_server(
                &admin_url,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await;
        }
    }
}

/// Runs one statement on the PostgreSQL server itself (create or drop a test database).
async fn on_server(admin_url: &str, sql: String) {
    let admin = db::connect(admin_url)
        .await
        .expect("TEST_POSTGRES_URL answers");
    admin
        .execute_raw(Statement::from_string(admin.get_database_backend(), sql))
        .await
        .expect("the PostgreSQL server runs the statement");
    admin.close().await.ok();
}

/// `TEST_POSTGRES_URL`, or `None` when PostgreSQL is not configured (and not required).
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let required = std::env::var("DUNWELL_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    assert!(
        url.is_some() || !required,
        "DUNWELL_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
    );
    url
}

fn hex_suffix() -> String {
    crate::secret::random_bytes::<8>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Replaces the database name (the URL path) of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_POSTGRES_URL is a URL");
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

/// A running server for black-box HTTP tests: bound to port 0 on 127.0.0.1 over the
/// given database, with the sandbox gateway and a fixed clock.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    pub state: crate::state::AppState,
    pub clock: std::sync::Arc<crate::billing::FixedClock>,
}

/// Starts the app on a free port and returns once it accepts connections.
pub async fn spawn_app(db: &DatabaseConnection) -> TestApp {
    spawn_app_with(db, |_| ()).await
}

/// [`spawn_app`] with a configuration changed by `configure` first.
pub async fn spawn_app_with(
    db: &DatabaseConnection,
    configure: impl FnOnce(&mut crate::config::Config),
) -> TestApp {
    spawn_app_with_metrics(db, configure, None).await
}

/// [`spawn_app_with`], with `/metrics` rendering `metrics` (a test's own recorder; no
/// recorder is installed for the whole test process).
pub async fn spawn_app_with_metrics(
    db: &DatabaseConnection,
    configure: impl FnOnce(&mut crate::config::Config),
    metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
) -> TestApp {
    use crate::billing::{BillingEngine, FixedClock, PaymentGateway, SandboxGateway};
    use std::sync::Arc;
    let listener = crate::http::bind(([127, 0, 0, 1], 0).into()).expect("a free port");
    let addr = listener.local_addr().expect("bound address");
    let address = format!("http://{addr}");
    let config = crate::config::Config {
        database_url: "sqlite::memory:".into(),
        public_url: crate::config::PublicUrl::parse(&address).expect("valid URL"),
        smtp_url: None,
        demo: true,
        listen: Some(addr),
        metrics_token: None,
        secret_key: crate::seal::SecretKey::generate(),
        webhook_allow_insecure: true,
        limits: crate::config::Limits::default(),
    };
    let mut config = config;
    configure(&mut config);
    let options = leptos::config::LeptosOptions::builder()
        .output_name("dunwell")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let gateway: Arc<dyn PaymentGateway> = Arc::new(SandboxGateway::new(db.clone()));
    let engine = BillingEngine::new(db.clone(), gateway, clock.clone(), address.clone());
    let state = crate::state::AppState::new(db.clone(), config, options, engine, metrics);
    let app = crate::http::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("test server runs");
    });
    TestApp {
        address,
        state,
        clock,
    }
}

/// Keeps every email "sent" through it.
#[derive(Default)]
pub struct RecordingMailer(std::sync::Mutex<Vec<crate::billing::OutgoingEmail>>);

#[async_trait::async_trait]
impl crate::billing::Mailer for RecordingMailer {
    async fn send(&self, email: &crate::billing::OutgoingEmail) -> Result<(), String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(email.clone());
        Ok(())
    }
}

impl TestApp {
    /// Waits for the work requests left running (sign-in links are queued after the
    /// answer), then delivers every queued email through a recording mailer and returns
    /// what went out, as the recipients would get it.
    pub async fn deliver_emails(&self) -> Vec<crate::billing::OutgoingEmail> {
        use crate::billing::Clock;
        self.state.background.idle().await;
        let mailer = std::sync::Arc::new(RecordingMailer::default());
        let worker = crate::billing::DeliveryWorker::new(self.state.db.clone(), mailer.clone());
        // A run takes a batch; the demo alone queues more than one.
        loop {
            let report = worker
                .run_once(self.clock.now())
                .await
                .expect("the outbox is delivered");
            if report.sent + report.retried + report.failed == 0 {
                break;
            }
        }
        mailer.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Delivers the queued emails and returns the token of the last sign-in link sent to
    /// `to`, if any.
    pub async fn sign_in_token(&self, to: &str) -> Option<String> {
        self.deliver_emails()
            .await
            .into_iter()
            .rev()
            .filter(|m| m.to == to)
            .find_map(|m| link_token(&m.text_body))
    }
}

/// An HTTP client that does not follow redirects: tests look at them.
pub fn client() -> reqwest::Client {
    crate::webhooks::install_tls_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// `pairs` as an `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The `name=value` of the `Set-Cookie` named `name` in a response, if any.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

impl TestApp {
    /// The webhook dispatcher the server would run, over this app's database and key.
    pub fn webhooks(&self) -> crate::webhooks::WebhookDispatcher {
        crate::webhooks::WebhookDispatcher::new(
            self.state.db.clone(),
            self.state.config.secret_key.clone(),
            self.state.config.webhook_allow_insecure,
            &self.address,
        )
    }

    /// Loads the demo into this app's (empty) database; returns the demo portal's key.
    pub async fn load_demo(&self) -> String {
        use sea_orm::EntityTrait;
        crate::demo::load_into_empty(&self.state.db, &self.state.config, &self.state.engine)
            .await
            .expect("the demo loads");
        crate::entity::portal_settings::Entity::find()
            .one(&self.state.db)
            .await
            .expect("settings read")
            .and_then(|s| s.portal_key)
            .expect("the demo portal has a key")
    }

    /// A server function at `path` called directly, as a script would (the status and
    /// JSON body tell the outcome), with `cookie` when given.
    pub async fn call(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        self.post_form(path, pairs, cookie, None).await
    }

    /// A form at `path` submitted by a browser without JavaScript (it accepts HTML, so a
    /// server function answers with a redirect), with `cookie` when given.
    pub async fn submit(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        self.post_form(path, pairs, cookie, Some("text/html")).await
    }

    async fn post_form(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        cookie: Option<&str>,
        accept: Option<&str>,
    ) -> reqwest::Response {
        let mut req = client()
            .post(format!("{}{path}", self.address))
            .header("origin", &self.address)
            .header("referer", format!("{}/", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs));
        if let Some(accept) = accept {
            req = req.header("accept", accept);
        }
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.expect("the server answers")
    }

    /// A page at `path`, as a browser asks for it, with `cookie` when given.
    pub async fn page(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut req = client()
            .get(format!("{}{path}", self.address))
            .header("accept", "text/html");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.expect("the server answers")
    }

    /// Signs `email` in to the portal `key` through a magic link, as the customer would;
    /// returns the session cookie (`dw_customer=…`).
    pub async fn portal_sign_in(&self, key: &str, email: &str) -> String {
        self.call(
            "/api/portal/request_link",
            &[("key", key), ("email", email)],
            None,
        )
        .await;
        let token = self
            .sign_in_token(email)
            .await
            .expect("a sign-in email was sent");
        let res = self
            .call(
                "/api/portal/sign_in",
                &[("key", key), ("token", &token)],
                None,
            )
            .await;
        set_cookie(&res, "dw_customer").expect("a session cookie")
    }
}

/// The `token=` value of the first sign-in link in an email's text.
pub fn link_token(text: &str) -> Option<String> {
    let at = text.find("/login/verify?token=")? + "/login/verify?token=".len();
    Some(
        text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}
