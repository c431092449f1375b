//! Settings → Webhooks: the endpoints a merchant's app hears events at, their signing
//! secrets (shown once, rotatable, sealed at rest), on/off, and the delivery log with replay.
//! Owners and admins only; every change is audited.
use super::api_keys::minute;
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{event, webhook_attempt, webhook_delivery, webhook_endpoint};
use crate::secret::random_bytes;
use crate::webhooks::WebhookSecret;
use chrono::{DateTime, Utc};
use domain::{
    DeliveryStatus, EventFilter, EventId, EventKind, WEBHOOK_MAX_ENDPOINTS, WebhookDeliveryId,
    WebhookEndpointId, WebhookUrl, webhook_delivered,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use wire::console::{
    FreshWebhookSecret, WebhookAttemptRow, WebhookEndpointList, WebhookEndpointRow, WebhookLog,
};
use wire::error::{Conflict, FieldCode};

/// Tries shown in an endpoint's log.
const LOG_ROWS: u64 = 100;

/// A new endpoint as the form sends it.
pub struct WebhookEndpointForm<'a> {
    pub url: &'a str,
    pub description: &'a str,
    /// Event type names; none: all.
    pub events: Vec<&'a str>,
}

/// A checked new endpoint.
pub struct NewWebhookEndpoint {
    url: WebhookUrl,
    description: String,
    filter: EventFilter,
}

impl NewWebhookEndpoint {
    /// Checks the form; `allow_insecure` (tests) accepts `http://` and internal hosts.
    pub fn check(
        form: &WebhookEndpointForm<'_>,
        allow_insecure: bool,
    ) -> Result<Self, ConsoleError> {
        let url = WebhookUrl::parse(form.url, allow_insecure).map_err(|e| {
            ConsoleError::field(
                "url",
                match e {
                    domain::WebhookUrlError::Malformed => FieldCode::Invalid,
                    domain::WebhookUrlError::NotHttps => FieldCode::NotHttps,
                    domain::WebhookUrlError::Internal => FieldCode::InternalAddress,
                },
            )
        })?;
        let description = form.description.trim();
        if description.chars().count() > 200 || description.chars().any(char::is_control) {
            return Err(ConsoleError::field("description", FieldCode::Invalid));
        }
        let filter = EventFilter::parse(form.events.iter().copied())
            .map_err(|_| ConsoleError::field("events", FieldCode::Invalid))?;
        Ok(Self {
            url,
            description: description.to_owned(),
            filter,
        })
    }
}

/// Deliveries made due at `now` again, their tries starting over.
fn requeue(now: DateTime<Utc>) -> sea_orm::UpdateMany<webhook_delivery::Entity> {
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(DeliveryStatus::Pending.as_str()),
        )
        .col_expr(webhook_delivery::Column::Tries, Expr::value(0))
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Some(now)),
        )
}

fn row(e: &webhook_endpoint::Model) -> Result<WebhookEndpointRow, ConsoleError> {
    Ok(WebhookEndpointRow {
        id: WebhookEndpointId::parse(&e.public_id)
            .map_err(|_| ConsoleError::Internal(format!("webhook endpoint {}: bad id", e.id)))?,
        url: e.url.clone(),
        description: e.description.clone(),
        events: match EventFilter::from_stored(&e.event_filter) {
            EventFilter::All => Vec::new(),
            EventFilter::Only(kinds) => kinds.iter().map(|k| k.as_str().to_owned()).collect(),
        },
        enabled: e.enabled,
        disabled_for_failures: !e.enabled && e.disabled_reason.as_deref() == Some("failing"),
        failing_since: e.failing_since.map(minute),
        created: minute(e.created_at),
    })
}

/// Endpoint `id` of the actor's organization.
async fn find(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &WebhookEndpointId,
) -> Result<webhook_endpoint::Model, ConsoleError> {
    webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OrganizationId.eq(actor.org_id()))
        .filter(webhook_endpoint::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

impl ConsoleService {
    /// Whether endpoints may be `http://` and internal (tests only).
    pub fn webhook_allow_insecure(&self) -> bool {
        self.config.webhook_allow_insecure
    }

    /// The organization's endpoints, oldest first.
    pub async fn webhook_endpoints(
        &self,
        actor: &AdminActor,
    ) -> Result<WebhookEndpointList, ConsoleError> {
        actor.require_change()?;
        let endpoints = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::OrganizationId.eq(actor.org_id()))
            .order_by_asc(webhook_endpoint::Column::Id)
            .all(&self.db)
            .await?
            .iter()
            .map(row)
            .collect::<Result<_, _>>()?;
        Ok(WebhookEndpointList {
            endpoints,
            event_types: EventKind::ALL
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            fresh: None,
            allow_insecure: self.config.webhook_allow_insecure,
        })
    }

    /// Adds an endpoint; it hears events recorded from now on. Its secret is returned this
    /// once.
    pub async fn create_webhook_endpoint(
        &self,
        actor: &AdminActor,
        new: NewWebhookEndpoint,
    ) -> Result<FreshWebhookSecret, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let count = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::OrganizationId.eq(actor.org_id()))
            .count(&txn)
            .await?;
        if count >= WEBHOOK_MAX_ENDPOINTS as u64 {
            return Err(ConsoleError::Conflict(Conflict::TooManyEndpoints));
        }
        let last_event: Option<i64> = event::Entity::find()
            .select_only()
            .column_as(event::Column::Id.max(), "max")
            .filter(event::Column::OrganizationId.eq(actor.org_id()))
            .into_tuple::<Option<i64>>()
            .one(&txn)
            .await?
            .flatten();
        let id = WebhookEndpointId::from_random(random_bytes());
        let secret = WebhookSecret::generate();
        webhook_endpoint::ActiveModel {
            public_id: Set(id.as_str().to_owned()),
            organization_id: Set(actor.org_id()),
            url: Set(new.url.as_str().to_owned()),
            description: Set(new.description),
            event_filter: Set(new.filter.to_stored()),
            secret_sealed: Set(self.config.secret_key.seal(secret.expose())),
            enabled: Set(true),
            disabled_reason: Set(None),
            failing_since: Set(None),
            last_event_id: Set(last_event.unwrap_or(0)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let details = format!("{}: {} ({})", id, new.url.as_str(), new.filter.to_stored());
        audit::commit(txn, actor, "webhook_endpoint.created", details, now).await?;
        Ok(FreshWebhookSecret {
            id,
            secret: secret.expose().to_owned(),
        })
    }

    /// The secret just made or rotated, to show it once: only if `secret` is endpoint `id`'s
    /// current one (a forged or stale cookie shows nothing).
    pub async fn fresh_webhook_secret(
        &self,
        actor: &AdminActor,
        id: &WebhookEndpointId,
        secret: &str,
    ) -> Result<Option<FreshWebhookSecret>, ConsoleError> {
        actor.require_change()?;
        let endpoint = match find(&self.db, actor, id).await {
            Ok(e) => e,
            Err(ConsoleError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let current = self.config.secret_key.open(&endpoint.secret_sealed).ok();
        let same = current.is_some_and(|c| {
            use subtle::ConstantTimeEq;
            bool::from(c.as_bytes().ct_eq(secret.as_bytes()))
        });
        Ok(same.then(|| FreshWebhookSecret {
            id: id.clone(),
            secret: secret.to_owned(),
        }))
    }

    /// A new secret for an endpoint; the old one stops signing at once.
    pub async fn rotate_webhook_secret(
        &self,
        actor: &AdminActor,
        id: &WebhookEndpointId,
    ) -> Result<FreshWebhookSecret, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let endpoint = find(&txn, actor, id).await?;
        let secret = WebhookSecret::generate();
        let mut active: webhook_endpoint::ActiveModel = endpoint.into();
        active.secret_sealed = Set(self.config.secret_key.seal(secret.expose()));
        active.update(&txn).await?;
        audit::commit(
            txn,
            actor,
            "webhook_endpoint.secret_rotated",
            id.to_string(),
            now,
        )
        .await?;
        Ok(FreshWebhookSecret {
            id: id.clone(),
            secret: secret.expose().to_owned(),
        })
    }

    /// Turns an endpoint on or off. Turned on, it resumes with events recorded while it was
    /// off (their deliveries are made then) and its failure clock restarts.
    pub async fn set_webhook_endpoint_enabled(
        &self,
        actor: &AdminActor,
        id: &WebhookEndpointId,
        enabled: bool,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let endpoint = find(&txn, actor, id).await?;
        if endpoint.enabled == enabled {
            return Ok(());
        }
        let mut active: webhook_endpoint::ActiveModel = endpoint.into();
        active.enabled = Set(enabled);
        active.disabled_reason = Set((!enabled).then(|| "manual".to_owned()));
        active.failing_since = Set(None);
        active.update(&txn).await?;
        let action = if enabled {
            "webhook_endpoint.enabled"
        } else {
            "webhook_endpoint.disabled"
        };
        audit::commit(txn, actor, action, id.to_string(), now).await
    }

    /// Deletes an endpoint with its deliveries and log.
    pub async fn delete_webhook_endpoint(
        &self,
        actor: &AdminActor,
        id: &WebhookEndpointId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let endpoint = find(&txn, actor, id).await?;
        let deliveries: Vec<i64> = webhook_delivery::Entity::find()
            .select_only()
            .column(webhook_delivery::Column::Id)
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
            .into_tuple()
            .all(&txn)
            .await?;
        for chunk in deliveries.chunks(500) {
            webhook_attempt::Entity::delete_many()
                .filter(webhook_attempt::Column::DeliveryId.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
        }
        webhook_delivery::Entity::delete_many()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
            .exec(&txn)
            .await?;
        webhook_endpoint::Entity::delete_by_id(endpoint.id)
            .exec(&txn)
            .await?;
        let details = format!("{}: {}", id, endpoint.url);
        audit::commit(txn, actor, "webhook_endpoint.deleted", details, now).await
    }

    /// An endpoint's log: its latest tries, newest first, and how many deliveries wait or
    /// were given up.
    pub async fn webhook_log(
        &self,
        actor: &AdminActor,
        id: &WebhookEndpointId,
    ) -> Result<WebhookLog, ConsoleError> {
        actor.require_change()?;
        let endpoint = find(&self.db, actor, id).await?;
        let attempts = webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::EndpointId.eq(endpoint.id))
            .order_by_desc(webhook_attempt::Column::Id)
            .limit(LOG_ROWS)
            .all(&self.db)
            .await?;
        let delivery_ids: Vec<i64> = attempts.iter().map(|a| a.delivery_id).collect();
        let deliveries: HashMap<i64, webhook_delivery::Model> = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Id.is_in(delivery_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        let events =
            crate::webhooks::events_by_id(&self.db, deliveries.values().map(|d| d.event_id))
                .await?;
        let bad = |what: &str| ConsoleError::Internal(format!("webhook log: bad {what}"));
        let mut rows = Vec::with_capacity(attempts.len());
        for a in attempts {
            let Some(d) = deliveries.get(&a.delivery_id) else {
                continue;
            };
            let Some(e) = events.get(&d.event_id) else {
                continue;
            };
            rows.push(WebhookAttemptRow {
                delivery: WebhookDeliveryId::parse(&d.public_id).map_err(|_| bad("delivery"))?,
                event: EventId::parse(&e.public_id).map_err(|_| bad("event"))?,
                event_type: e.kind.clone(),
                at: a.attempted_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                status_code: a.status_code.and_then(|s| u16::try_from(s).ok()),
                duration_ms: a.duration_ms,
                succeeded: a.error.is_none()
                    && a.status_code
                        .and_then(|s| u16::try_from(s).ok())
                        .is_some_and(webhook_delivered),
                error: a.error,
                delivery_status: DeliveryStatus::parse(&d.status).map_err(|_| bad("status"))?,
            });
        }
        let count = |status: DeliveryStatus| {
            webhook_delivery::Entity::find()
                .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
                .filter(webhook_delivery::Column::Status.eq(status.as_str()))
                .count(&self.db)
        };
        Ok(WebhookLog {
            pending: count(DeliveryStatus::Pending).await?,
            failed: count(DeliveryStatus::Failed).await?,
            endpoint: row(&endpoint)?,
            attempts: rows,
        })
    }

    /// Sends delivery `id` again, now, whatever its state (its tries start over).
    pub async fn replay_webhook_delivery(
        &self,
        actor: &AdminActor,
        endpoint: &WebhookEndpointId,
        id: &WebhookDeliveryId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let endpoint = find(&txn, actor, endpoint).await?;
        let replayed = requeue(now)
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
            .filter(webhook_delivery::Column::PublicId.eq(id.as_str()))
            .exec(&txn)
            .await?;
        if replayed.rows_affected != 1 {
            return Err(ConsoleError::NotFound);
        }
        audit::commit(txn, actor, "webhook_delivery.replayed", id.to_string(), now).await
    }

    /// Sends again every delivery of the endpoint given up since `since`; returns how many.
    pub async fn replay_failed_webhooks(
        &self,
        actor: &AdminActor,
        endpoint: &WebhookEndpointId,
        since: DateTime<Utc>,
    ) -> Result<u64, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let endpoint = find(&txn, actor, endpoint).await?;
        let replayed = requeue(now)
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Failed.as_str()))
            .filter(webhook_delivery::Column::CreatedAt.gte(since))
            .exec(&txn)
            .await?
            .rows_affected;
        let details = format!("{}: {replayed} since {}", endpoint.public_id, minute(since));
        audit::commit(txn, actor, "webhook_delivery.replayed_failed", details, now).await?;
        Ok(replayed)
    }
}
