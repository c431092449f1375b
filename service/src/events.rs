//! Events: every state change the merchant API reports writes one row here, in the change's
//! own transaction, so an event exists exactly when its change does. The row keeps the
//! object as the API shows it right after the change.
use crate::entity::{customer, event, invoice, invoice_line, payment_method, subscription};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{CustomerId, EventId, EventKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// The row of one event (for a change's [`Batch`](crate::db::Batch) of inserts, or
/// [`record`]).
pub(crate) fn row<T: Serialize>(
    org_id: i64,
    kind: EventKind,
    object_id: &str,
    object: &T,
    now: DateTime<Utc>,
) -> Result<event::ActiveModel, DbErr> {
    let data = serde_json::to_string(object)
        .map_err(|e| DbErr::Custom(format!("event {kind}: the object did not serialize: {e}")))?;
    Ok(event::ActiveModel {
        public_id: Set(EventId::from_random(random_bytes()).to_string()),
        organization_id: Set(org_id),
        kind: Set(kind.as_str().to_owned()),
        object_id: Set(object_id.to_owned()),
        data: Set(data),
        created_at: Set(now),
        ..Default::default()
    })
}

/// Records `kind` for `object` (whose public id is `object_id`) in organization `org_id`.
/// Call it with the transaction of the change.
pub async fn record<T: Serialize>(
    db: &impl ConnectionTrait,
    org_id: i64,
    kind: EventKind,
    object_id: &str,
    object: &T,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    row(org_id, kind, object_id, object, now)?
        .insert(db)
        .await?;
    Ok(())
}

/// Records `invoice.created` for each of `invoices` (a renewal run's batch), in bulk.
pub(crate) async fn invoices_created(
    db: &impl ConnectionTrait,
    invoices: Vec<invoice::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    record_invoices(db, EventKind::InvoiceCreated, invoices, now).await
}

/// One event row per shown object, each in its organization (`orgs`, in the same order).
fn rows_of<T: Serialize>(
    kind: EventKind,
    shown: &[T],
    orgs: Vec<i64>,
    id_of: impl Fn(&T) -> &str,
    now: DateTime<Utc>,
) -> Result<Vec<event::ActiveModel>, DbErr> {
    shown
        .iter()
        .zip(orgs)
        .map(|(object, org)| row(org, kind, id_of(object), object, now))
        .collect()
}

/// Records `kind` for each of `invoices` as they now stand, in bulk.
async fn record_invoices(
    db: &impl ConnectionTrait,
    kind: EventKind,
    invoices: Vec<invoice::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let orgs: Vec<i64> = invoices.iter().map(|i| i.organization_id).collect();
    let shown = crate::console::invoice_objects_of(db, invoices)
        .await
        .map_err(|e| DbErr::Custom(format!("event {kind}: {e}")))?;
    let rows = rows_of(kind, &shown, orgs, |i| i.id.as_str(), now)?;
    crate::db::insert_chunked(db, rows).await
}

/// Records `kind` for each of `subscriptions` as they now stand, in bulk.
async fn record_subscriptions(
    db: &impl ConnectionTrait,
    kind: EventKind,
    subscriptions: Vec<subscription::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let orgs: Vec<i64> = subscriptions.iter().map(|s| s.organization_id).collect();
    let shown = crate::console::subscription_objects_of(db, subscriptions)
        .await
        .map_err(|e| DbErr::Custom(format!("event {kind}: {e}")))?;
    let rows = rows_of(kind, &shown, orgs, |s| s.id.as_str(), now)?;
    crate::db::insert_chunked(db, rows).await
}

/// Records `customer.created` for each of `customers` (an import's batch), in bulk.
pub(crate) async fn customers_created(
    db: &impl ConnectionTrait,
    customers: Vec<customer::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let kind = EventKind::CustomerCreated;
    let orgs: Vec<i64> = customers.iter().map(|c| c.organization_id).collect();
    let shown = customers
        .into_iter()
        .map(crate::console::customer_object_of)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DbErr::Custom(format!("event {kind}: {e}")))?;
    let rows = rows_of(kind, &shown, orgs, |c| c.id.as_str(), now)?;
    crate::db::insert_chunked(db, rows).await
}

/// Records `subscription.created` for each of `subscriptions` (an import's batch), in bulk.
pub(crate) async fn subscriptions_created(
    db: &impl ConnectionTrait,
    subscriptions: Vec<subscription::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    record_subscriptions(db, EventKind::SubscriptionCreated, subscriptions, now).await
}

/// Records `kind` for subscription `id` (database key) as it now stands.
pub(crate) async fn subscription_changed(
    db: &impl ConnectionTrait,
    kind: EventKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match subscription::Entity::find_by_id(id).one(db).await? {
        Some(row) => record_subscriptions(db, kind, vec![row], now).await,
        None => Ok(()),
    }
}

/// Records `invoice.created` for `inv`, just written with its `lines`, for `customer` and
/// `sub`, in the change's batch: built from the rows at hand, with no lookup in the writing
/// transaction.
pub(crate) fn invoice_created(
    batch: &mut crate::db::Batch,
    inv: &invoice::Model,
    lines: Vec<invoice_line::Model>,
    customer: &customer::Model,
    sub: &subscription::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let kind = EventKind::InvoiceCreated;
    let customers = HashMap::from([(customer.id, customer.public_id.clone())]);
    let subscriptions = HashMap::from([(sub.id, sub.public_id.clone())]);
    let lines = HashMap::from([(inv.id, lines)]);
    let shown =
        crate::console::invoice_objects_with(vec![inv.clone()], &customers, &subscriptions, lines)
            .map_err(|e| DbErr::Custom(format!("event {kind}: {e}")))?;
    let rows = rows_of(
        kind,
        &shown,
        vec![inv.organization_id],
        |i| i.id.as_str(),
        now,
    )?;
    batch.insert_many(rows);
    Ok(())
}

/// Records `kind` for invoice `id` (database key) as it now stands.
pub(crate) async fn invoice_changed(
    db: &impl ConnectionTrait,
    kind: EventKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match invoice::Entity::find_by_id(id).one(db).await? {
        Some(row) => record_invoices(db, kind, vec![row], now).await,
        None => Ok(()),
    }
}

/// Records `kind` for payment method `id` (database key) as it now stands (brand, last four,
/// expiry, default: never a token).
pub(crate) async fn payment_method_changed(
    db: &impl ConnectionTrait,
    kind: EventKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(pm) = payment_method::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let owner = customer::Entity::find_by_id(pm.customer_id)
        .one(db)
        .await?
        .and_then(|c| CustomerId::parse(&c.public_id).ok())
        .ok_or_else(|| DbErr::Custom(format!("event {kind}: no customer")))?;
    let (org_id, public_id) = (pm.organization_id, pm.public_id.clone());
    let shown = crate::console::payment_method_objects_of(&owner, vec![pm])
        .map_err(|e| DbErr::Custom(format!("event {kind}: {e}")))?;
    let shown = shown
        .first()
        .ok_or_else(|| DbErr::Custom(format!("event {kind}: no payment method")))?;
    record(db, org_id, kind, &public_id, shown, now).await
}

/// Records `kind` for each invoice of `ids` (database keys) as it now stands, in bulk (a
/// renewal run's batch).
pub(crate) async fn invoices_changed(
    db: &impl ConnectionTrait,
    kind: EventKind,
    ids: Vec<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(ids))
        .all(db)
        .await?;
    record_invoices(db, kind, rows, now).await
}

/// Records `kind` for each subscription of `ids` (database keys) as it now stands, in bulk.
pub(crate) async fn subscriptions_changed(
    db: &impl ConnectionTrait,
    kind: EventKind,
    ids: Vec<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = subscription::Entity::find()
        .filter(subscription::Column::Id.is_in(ids))
        .all(db)
        .await?;
    record_subscriptions(db, kind, rows, now).await
}
