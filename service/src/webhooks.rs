//! Webhooks: events delivered to the merchant's endpoints as the Standard Webhooks
//! specification describes (`webhook-id`, `webhook-timestamp`, `webhook-signature` =
//! `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`).
//!
//! Two steps, both in [`WebhookDispatcher::run_once`]:
//! 1. **Fan-out**: for each enabled endpoint, the organization's events after the endpoint's
//!    cursor become delivery rows (one per event it hears), and the cursor moves, in one
//!    transaction. Events are written in their change's transaction, so no change is missed.
//! 2. **Delivery**: due deliveries are leased (their due time moves a minute ahead), sent at
//!    once in parallel, and their outcome recorded with one log row per try. A crash between
//!    sending and recording leaves the lease to run out: the delivery is sent again (at least
//!    once, never dropped). Failures are retried on [`domain::webhook_retry_delay`]'s schedule;
//!    an endpoint failing for [`domain::WEBHOOK_DISABLE_AFTER_DAYS`] is disabled and its owners
//!    emailed.
use crate::billing::outbox::{NewEmail, queue_email};
use crate::billing::templates::{EmailKind, TemplateVars, default_template, render_template};
use crate::entity::{
    audit_event, event, organization, staff_user, webhook_attempt, webhook_delivery,
    webhook_endpoint,
};
use crate::seal::SecretKey;
use crate::secret::random_bytes;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeDelta, Utc};
use domain::{
    DeliveryStatus, EventFilter, EventKind, StaffRole, WEBHOOK_RESPONSE_KEEP_BYTES,
    WEBHOOK_TIMEOUT_SECS, WebhookDeliveryId, WebhookUrl, is_internal_address, webhook_delivered,
    webhook_endpoint_exhausted, webhook_retry_delay,
};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a worker holds a delivery it is sending; past it, the delivery is due again.
/// Longer than the receiver's timeout, so a live send is never doubled by this instance.
pub const LEASE: TimeDelta = TimeDelta::seconds(60);
/// Deliveries sent in one round, all at once.
pub const BATCH: u64 = 256;
/// Events turned into deliveries per endpoint and transaction.
const FAN_OUT_BATCH: u64 = 1000;

/// An endpoint's signing secret: `whsec_` + base64 of 24 random bytes; the HMAC key is the
/// decoded bytes. `Debug` prints nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

impl WebhookSecret {
    /// The prefix of every secret.
    pub const PREFIX: &'static str = "whsec_";

    /// A new random secret.
    pub fn generate() -> Self {
        Self(format!(
            "{}{}",
            Self::PREFIX,
            STANDARD.encode(random_bytes::<24>())
        ))
    }

    /// A secret as text; `None` unless `whsec_` + base64.
    pub fn parse(raw: &str) -> Option<Self> {
        let body = raw.strip_prefix(Self::PREFIX)?;
        STANDARD.decode(body).ok().filter(|k| !k.is_empty())?;
        Some(Self(raw.to_owned()))
    }

    /// The text to show the merchant (once) and to seal.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &str) -> String {
        let key = STANDARD
            .decode(&self.0[Self::PREFIX.len()..])
            .unwrap_or_default();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .expect("HMAC takes a key of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    /// Deliveries made from new events.
    pub queued: usize,
    /// Tries answered 2xx.
    pub delivered: usize,
    /// Tries that failed (to be retried, or given up).
    pub failed: usize,
    /// Endpoints disabled for failing too long.
    pub disabled: usize,
}

/// A DNS resolver that refuses names resolving to any internal address (SSRF), unless
/// insecure targets are allowed (tests). Pinning the checked addresses for the connection
/// closes the gap a second lookup (DNS rebinding) would open.
struct PublicOnly {
    allow_insecure: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.allow_insecure;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow && addrs.iter().any(|a| is_internal_address(a.ip())) {
                return Err("the endpoint's name resolves to an internal address".into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Makes ring the process's TLS crypto provider, which every `reqwest` client of the process
/// needs (the build enables no default provider); idempotent.
pub fn install_tls_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err: another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The HTTP client of deliveries: TLS with the Mozilla roots, the receiver's timeout, no
/// redirects (a redirect could lead inside), no proxy, the SSRF-checking resolver.
pub fn http_client(allow_insecure: bool) -> reqwest::Client {
    install_tls_provider();
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(Duration::from_secs(WEBHOOK_TIMEOUT_SECS))
        .connect_timeout(Duration::from_secs(WEBHOOK_TIMEOUT_SECS))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("Dunwell-Webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(PublicOnly { allow_insecure }))
        .build()
        .expect("the webhook HTTP client builds")
}

/// Sends due webhook deliveries; see the module's documentation.
#[derive(Clone)]
pub struct WebhookDispatcher {
    db: DatabaseConnection,
    key: SecretKey,
    client: reqwest::Client,
    allow_insecure: bool,
    public_url: String,
}

/// One send's outcome.
struct Tried {
    delivery: webhook_delivery::Model,
    at: DateTime<Utc>,
    status_code: Option<u16>,
    duration_ms: i64,
    error: Option<String>,
    body: Option<String>,
}

impl WebhookDispatcher {
    /// A dispatcher over `db`, opening secrets with `key`.
    pub fn new(
        db: DatabaseConnection,
        key: SecretKey,
        allow_insecure: bool,
        public_url: &str,
    ) -> Self {
        Self {
            db,
            key,
            client: http_client(allow_insecure),
            allow_insecure,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// One round: new events become deliveries, then every due delivery is tried once.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<DispatchReport, DbErr> {
        let queued = self.fan_out(now).await?;
        let mut report = self.deliver_due(now).await?;
        report.queued = queued;
        Ok(report)
    }

    /// Rounds until nothing is due at `now` (tests, the benchmark).
    pub async fn drain(&self, now: DateTime<Utc>) -> Result<DispatchReport, DbErr> {
        let mut total = DispatchReport::default();
        loop {
            let r = self.run_once(now).await?;
            total.queued += r.queued;
            total.delivered += r.delivered;
            total.failed += r.failed;
            total.disabled += r.disabled;
            if r.queued == 0 && r.delivered == 0 && r.failed == 0 {
                return Ok(total);
            }
        }
    }

    /// New events of each enabled endpoint's organization become its deliveries.
    async fn fan_out(&self, now: DateTime<Utc>) -> Result<usize, DbErr> {
        let endpoints = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .all(&self.db)
            .await?;
        let mut queued = 0;
        for endpoint in endpoints {
            let filter = EventFilter::from_stored(&endpoint.event_filter);
            let mut cursor = endpoint.last_event_id;
            loop {
                let txn = crate::db::begin_write(&self.db).await?;
                let events = event::Entity::find()
                    .filter(event::Column::OrganizationId.eq(endpoint.organization_id))
                    .filter(event::Column::Id.gt(cursor))
                    .order_by_asc(event::Column::Id)
                    .limit(FAN_OUT_BATCH)
                    .all(&txn)
                    .await?;
                let Some(last) = events.last().map(|e| e.id) else {
                    break;
                };
                let rows: Vec<webhook_delivery::ActiveModel> = events
                    .iter()
                    .filter(|e| EventKind::parse(&e.kind).is_ok_and(|k| filter.matches(k)))
                    .map(|e| webhook_delivery::ActiveModel {
                        public_id: Set(WebhookDeliveryId::from_random(random_bytes()).to_string()),
                        organization_id: Set(endpoint.organization_id),
                        endpoint_id: Set(endpoint.id),
                        event_id: Set(e.id),
                        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
                        tries: Set(0),
                        next_attempt_at: Set(Some(now)),
                        last_attempt_at: Set(None),
                        last_status_code: Set(None),
                        last_error: Set(None),
                        created_at: Set(now),
                        ..Default::default()
                    })
                    .collect();
                queued += rows.len();
                crate::db::insert_chunked(&txn, rows).await?;
                // Moves only from where this round read it: a concurrent round's move wins.
                let moved = webhook_endpoint::Entity::update_many()
                    .col_expr(webhook_endpoint::Column::LastEventId, Expr::value(last))
                    .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                    .filter(webhook_endpoint::Column::LastEventId.eq(cursor))
                    .exec(&txn)
                    .await?;
                if moved.rows_affected != 1 {
                    txn.rollback().await?;
                    break;
                }
                txn.commit().await?;
                cursor = last;
                if events.len() < FAN_OUT_BATCH as usize {
                    break;
                }
            }
        }
        Ok(queued)
    }

    /// Leases the due deliveries of enabled endpoints, sends them, records the outcomes.
    async fn deliver_due(&self, now: DateTime<Utc>) -> Result<DispatchReport, DbErr> {
        let due: Vec<webhook_delivery::Model> = webhook_delivery::Entity::find()
            .join(
                JoinType::InnerJoin,
                webhook_delivery::Relation::Endpoint.def(),
            )
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .order_by_asc(webhook_delivery::Column::Id)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        if due.is_empty() {
            return Ok(DispatchReport::default());
        }
        let lease = now + LEASE;
        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
        webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(Some(lease)),
            )
            .filter(webhook_delivery::Column::Id.is_in(ids.clone()))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
            .exec(&crate::db::writer(&self.db))
            .await?;
        // What this round holds: rows now carrying its lease (another round's lease differs).
        let mine = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Id.is_in(ids))
            .filter(webhook_delivery::Column::NextAttemptAt.eq(Some(lease)))
            .all(&self.db)
            .await?;
        let endpoint_ids: Vec<i64> = mine.iter().map(|d| d.endpoint_id).collect();
        let endpoints: HashMap<i64, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let events = events_by_id(&self.db, mine.iter().map(|d| d.event_id)).await?;
        let mut secrets: HashMap<i64, Option<WebhookSecret>> = HashMap::new();
        let mut sends = tokio::task::JoinSet::new();
        for delivery in mine {
            let (Some(endpoint), Some(event)) = (
                endpoints.get(&delivery.endpoint_id),
                events.get(&delivery.event_id),
            ) else {
                continue;
            };
            let secret = secrets
                .entry(endpoint.id)
                .or_insert_with(|| {
                    self.key
                        .open(&endpoint.secret_sealed)
                        .ok()
                        .and_then(|s| WebhookSecret::parse(&s))
                })
                .clone();
            let body = crate::console::event_object_of(event.clone())
                .ok()
                .and_then(|e| serde_json::to_string(&e).ok());
            let url = WebhookUrl::parse(&endpoint.url, self.allow_insecure);
            let client = self.client.clone();
            let msg_id = event.public_id.clone();
            sends.spawn(async move {
                let started = Instant::now();
                let outcome = match (secret, body, url) {
                    (None, _, _) => Err("the signing secret does not open with this server's key (DUNWELL_SECRET_KEY changed?)".to_owned()),
                    (_, None, _) => Err("the event could not be read".to_owned()),
                    (_, _, Err(e)) => Err(format!("refused: {e}")),
                    (Some(secret), Some(body), Ok(url)) => {
                        send(&client, url.as_str(), &msg_id, &secret, body).await
                    }
                };
                let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
                let (status_code, body, error) = match outcome {
                    Ok((status, body)) if webhook_delivered(status) => (Some(status), Some(body), None),
                    Ok((status, body)) => (
                        Some(status),
                        Some(body),
                        Some(format!("the receiver answered {status}")),
                    ),
                    Err(e) => (None, None, Some(e)),
                };
                Tried {
                    delivery,
                    at: now,
                    status_code,
                    duration_ms,
                    error,
                    body,
                }
            });
        }
        let mut tried = Vec::new();
        while let Some(done) = sends.join_next().await {
            match done {
                Ok(t) => tried.push(t),
                // A panicked send is retried when its lease runs out.
                Err(e) => tracing::error!(error = %e, "a webhook send panicked"),
            }
        }
        self.record(tried, &endpoints, now).await
    }

    /// Writes each try's log row and the deliveries' and endpoints' new state, in one
    /// transaction.
    async fn record(
        &self,
        tried: Vec<Tried>,
        endpoints: &HashMap<i64, webhook_endpoint::Model>,
        now: DateTime<Utc>,
    ) -> Result<DispatchReport, DbErr> {
        let mut report = DispatchReport::default();
        if tried.is_empty() {
            return Ok(report);
        }
        let txn = crate::db::begin_write(&self.db).await?;
        let mut logs = Vec::with_capacity(tried.len());
        // Per endpoint: did anything succeed this round, did anything fail.
        let mut health: HashMap<i64, (bool, bool)> = HashMap::new();
        for t in tried {
            let ok = t.error.is_none();
            let tries = t.delivery.tries.saturating_add(1);
            let (status, next) = if ok {
                (DeliveryStatus::Succeeded, None)
            } else {
                match webhook_retry_delay(u32::try_from(tries).unwrap_or(u32::MAX)) {
                    Some(delay) => (DeliveryStatus::Pending, Some(now + delay)),
                    None => (DeliveryStatus::Failed, None),
                }
            };
            if ok {
                report.delivered += 1;
            } else {
                report.failed += 1;
            }
            let entry = health.entry(t.delivery.endpoint_id).or_default();
            entry.0 |= ok;
            entry.1 |= !ok;
            webhook_delivery::Entity::update_many()
                .col_expr(
                    webhook_delivery::Column::Status,
                    Expr::value(status.as_str()),
                )
                .col_expr(webhook_delivery::Column::Tries, Expr::value(tries))
                .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(next))
                .col_expr(
                    webhook_delivery::Column::LastAttemptAt,
                    Expr::value(Some(t.at)),
                )
                .col_expr(
                    webhook_delivery::Column::LastStatusCode,
                    Expr::value(t.status_code.map(i32::from)),
                )
                .col_expr(
                    webhook_delivery::Column::LastError,
                    Expr::value(t.error.clone()),
                )
                .filter(webhook_delivery::Column::Id.eq(t.delivery.id))
                .exec(&txn)
                .await?;
            logs.push(webhook_attempt::ActiveModel {
                delivery_id: Set(t.delivery.id),
                endpoint_id: Set(t.delivery.endpoint_id),
                attempted_at: Set(t.at),
                status_code: Set(t.status_code.map(i32::from)),
                duration_ms: Set(t.duration_ms),
                error: Set(t.error),
                response_body: Set(t.body),
                ..Default::default()
            });
        }
        crate::db::insert_chunked(&txn, logs).await?;
        for (endpoint_id, (any_ok, any_failed)) in health {
            let Some(endpoint) = endpoints.get(&endpoint_id) else {
                continue;
            };
            if any_ok {
                if endpoint.failing_since.is_some() {
                    webhook_endpoint::Entity::update_many()
                        .col_expr(
                            webhook_endpoint::Column::FailingSince,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        )
                        .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
                        .exec(&txn)
                        .await?;
                }
            } else if any_failed {
                match endpoint.failing_since {
                    None => {
                        webhook_endpoint::Entity::update_many()
                            .col_expr(
                                webhook_endpoint::Column::FailingSince,
                                Expr::value(Some(now)),
                            )
                            .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
                            .exec(&txn)
                            .await?;
                    }
                    Some(since) if webhook_endpoint_exhausted(since, now) => {
                        self.disable_failing(&txn, endpoint, since, now).await?;
                        report.disabled += 1;
                    }
                    Some(_) => {}
                }
            }
        }
        txn.commit().await?;
        Ok(report)
    }

    /// Disables an endpoint that failed for days, audits it and emails the owners.
    async fn disable_failing(
        &self,
        txn: &impl ConnectionTrait,
        endpoint: &webhook_endpoint::Model,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let changed = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
            .col_expr(
                webhook_endpoint::Column::DisabledReason,
                Expr::value(Some("failing")),
            )
            .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .exec(txn)
            .await?;
        if changed.rows_affected != 1 {
            return Ok(());
        }
        tracing::warn!(endpoint = %endpoint.public_id, "webhook endpoint disabled after days of failures");
        audit_event::ActiveModel {
            organization_id: Set(endpoint.organization_id),
            actor: Set("system".to_owned()),
            action: Set("webhook_endpoint.disabled".to_owned()),
            details: Set(format!(
                "{}: failing since {}",
                endpoint.public_id,
                since.format("%Y-%m-%d %H:%M")
            )),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let Some(org) = organization::Entity::find_by_id(endpoint.organization_id)
            .one(txn)
            .await?
        else {
            return Ok(());
        };
        let locale = crate::console::staff_locale(&org);
        let owners = staff_user::Entity::find()
            .filter(staff_user::Column::OrganizationId.eq(org.id))
            .filter(staff_user::Column::Role.eq(StaffRole::Owner.as_str()))
            .all(txn)
            .await?;
        let mut vars = TemplateVars::new();
        vars.insert("company_name".into(), org.name.clone());
        vars.insert("endpoint_url".into(), endpoint.url.clone());
        vars.insert(
            "failing_since".into(),
            since.format("%Y-%m-%d %H:%M").to_string(),
        );
        vars.insert(
            "webhooks_link".into(),
            format!("{}/admin/settings/webhooks", self.public_url),
        );
        let (subject, body) = default_template(EmailKind::WebhookDisabled, locale);
        let rendered = render_template(EmailKind::WebhookDisabled, locale, subject, body, &vars)
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        for owner in owners {
            queue_email(
                txn,
                NewEmail {
                    organization_id: Some(org.id),
                    customer_id: None,
                    to: owner.email,
                    kind: EmailKind::WebhookDisabled,
                    locale,
                    rendered: rendered.clone(),
                    magic_link_id: None,
                },
                now,
            )
            .await?;
        }
        Ok(())
    }
}

/// The events of `ids` (database keys), by key.
pub(crate) async fn events_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, event::Model>, DbErr> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(event::Entity::find()
        .filter(event::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect())
}

/// POSTs `body` signed, and reads at most [`WEBHOOK_RESPONSE_KEEP_BYTES`] of the answer.
async fn send(
    client: &reqwest::Client,
    url: &str,
    msg_id: &str,
    secret: &WebhookSecret,
    body: String,
) -> Result<(u16, String), String> {
    // The real time, not the engine's clock: receivers refuse timestamps off by minutes.
    let timestamp = Utc::now().timestamp();
    let signature = secret.sign(msg_id, timestamp, &body);
    let mut response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(describe)?;
    let status = response.status().as_u16();
    let mut kept = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = WEBHOOK_RESPONSE_KEEP_BYTES.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if kept.len() >= WEBHOOK_RESPONSE_KEEP_BYTES {
                    break;
                }
            }
            Ok(None) => break,
            // The status came: the answer counts, whatever happened to its body.
            Err(_) => break,
        }
    }
    Ok((status, String::from_utf8_lossy(&kept).into_owned()))
}

/// A send's failure in words for the delivery log (never the secret or the body).
fn describe(e: reqwest::Error) -> String {
    use std::error::Error as _;
    let mut cause = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let what = if e.is_timeout() {
        format!("no answer within {WEBHOOK_TIMEOUT_SECS} s")
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    if cause.is_empty() {
        what
    } else {
        format!("{what}: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's reference vector.
    #[test]
    fn signs_like_the_specification() {
        let secret =
            WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn secrets_are_whsec_and_base64() {
        let s = WebhookSecret::generate();
        assert!(s.expose().starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse(s.expose()), Some(s.clone()));
        assert_eq!(WebhookSecret::parse("whsec_!!"), None);
        assert_eq!(WebhookSecret::parse("sk_abc"), None);
        assert!(!format!("{s:?}").contains("whsec_"));
    }
}
