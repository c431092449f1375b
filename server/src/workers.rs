//! Background work: the billing engine and email delivery, each a loop around the same
//! `run_once(now)` that tests and the test clock drive directly.
use crate::billing::{
    BillingEngine, Clock, DeliveryWorker, LogMailer, Mailer, SmtpMailer, SystemClock,
};
use crate::config::Config;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the engine looks for due renewals, retries and reminders.
pub const BILLING_INTERVAL: Duration = Duration::from_secs(60);
/// How often queued emails are delivered.
pub const DELIVERY_INTERVAL: Duration = Duration::from_secs(5);
/// How often due webhook deliveries are looked for (a round sends up to
/// `service::webhooks::BATCH` at once and the next round starts right after a full one).
pub const WEBHOOK_INTERVAL: Duration = Duration::from_millis(500);
/// How often the API's expired `Idempotency-Key`s are deleted.
pub const HOUSEKEEPING_INTERVAL: Duration = Duration::from_secs(3600);

/// The sender address of outgoing email.
pub fn from_address(config: &Config) -> String {
    let host = url::Url::parse(config.public_url.as_str())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|h| h.contains('.') && h.parse::<std::net::IpAddr>().is_err())
        .unwrap_or_else(|| "dunwell.localhost".into());
    format!("Dunwell <billing@{host}>")
}

/// The mailer `SMTP_URL` asks for; without it, emails stay in the outbox.
pub fn mailer(config: &Config) -> Result<Arc<dyn Mailer>, String> {
    match &config.smtp_url {
        Some(url) => SmtpMailer::from_url(url.as_str(), &from_address(config))
            .map(|m| Arc::new(m) as Arc<dyn Mailer>)
            .map_err(|e| format!("SMTP_URL: {e}")),
        None => Ok(Arc::new(LogMailer)),
    }
}

/// Running workers; [`Workers::stop`] ends them after their current run.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts the billing and delivery loops. Without `SMTP_URL` only billing runs and
    /// emails wait in the outbox (`dunwell outbox list`).
    pub fn start(
        db: DatabaseConnection,
        engine: BillingEngine,
        mailer: Option<Arc<dyn Mailer>>,
        webhooks: service::webhooks::WebhookDispatcher,
    ) -> Workers {
        let (stop, rx) = watch::channel(false);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let mut handles = Vec::new();
        {
            let clock = clock.clone();
            handles.push(spawn_loop(
                "billing",
                BILLING_INTERVAL,
                rx.clone(),
                move || {
                    let engine = engine.clone();
                    let now = clock.now();
                    async move {
                        engine
                            .run_once(now)
                            .await
                            .map(|r| format!("{r:?}"))
                            .map_err(|e| e.to_string())
                    }
                },
            ));
        }
        {
            let (clock, db) = (clock.clone(), db.clone());
            handles.push(spawn_loop(
                "housekeeping",
                HOUSEKEEPING_INTERVAL,
                rx.clone(),
                move || {
                    let db = db.clone();
                    let now = clock.now();
                    async move {
                        service::console::purge_idempotency_keys(&service::db::writer(&db), now)
                            .await
                            .map(|n| format!("{n} expired idempotency keys deleted"))
                            .map_err(|e| e.to_string())
                    }
                },
            ));
        }
        {
            let clock = clock.clone();
            handles.push(spawn_loop(
                "webhooks",
                WEBHOOK_INTERVAL,
                rx.clone(),
                move || {
                    let webhooks = webhooks.clone();
                    let now = clock.now();
                    async move {
                        // A full round means more is due: keep going before sleeping.
                        let mut total = service::webhooks::DispatchReport::default();
                        loop {
                            let r = webhooks.run_once(now).await.map_err(|e| e.to_string())?;
                            total.queued += r.queued;
                            total.delivered += r.delivered;
                            total.failed += r.failed;
                            total.disabled += r.disabled;
                            if r.delivered + r.failed < service::webhooks::BATCH as usize {
                                return Ok(format!("{total:?}"));
                            }
                        }
                    }
                },
            ));
        }
        if let Some(mailer) = mailer {
            let worker = Arc::new(DeliveryWorker::new(db, mailer));
            handles.push(spawn_loop("delivery", DELIVERY_INTERVAL, rx, move || {
                let worker = worker.clone();
                let now = clock.now();
                async move {
                    worker
                        .run_once(now)
                        .await
                        .map(|r| format!("{r:?}"))
                        .map_err(|e| e.to_string())
                }
            }));
        }
        Workers { stop, handles }
    }

    /// Signals the loops to stop and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

fn spawn_loop<F, Fut>(
    name: &'static str,
    every: Duration,
    mut stop: watch::Receiver<bool>,
    mut run: F,
) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<String, String>> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => break,
            }
            // A failed run is logged and retried on the next tick; work is picked up
            // where it stopped because every run starts from the database.
            match run().await {
                Ok(report) => tracing::debug!(worker = name, %report, "worker run finished"),
                Err(error) => tracing::warn!(worker = name, %error, "worker run failed"),
            }
            if *stop.borrow() {
                break;
            }
        }
    })
}
