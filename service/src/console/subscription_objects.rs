//! Subscriptions as the merchant API (`/v1/subscriptions`) sees them. Making, canceling and
//! resuming one are the console's own operations.
use super::customers::find as find_customer;
use super::subscriptions::find;
use super::{AdminActor, ConsoleError, ConsoleService};
use crate::entity::{customer, plan, subscription};
use chrono::{DateTime, Utc};
use domain::{CustomerId, EventKind, PageLimit, PlanId, SubscriptionId, SubscriptionStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use wire::api::{List, ObjectKind, Subscription};

/// Subscriptions with their customer's and price's public ids.
pub(crate) async fn objects(
    db: &impl ConnectionTrait,
    rows: Vec<subscription::Model>,
) -> Result<Vec<Subscription>, ConsoleError> {
    let customer_ids: Vec<i64> = rows.iter().map(|s| s.customer_id).collect();
    let plan_ids: Vec<i64> = rows
        .iter()
        .flat_map(|s| [Some(s.plan_id), s.scheduled_plan_id])
        .flatten()
        .collect();
    let customers: HashMap<i64, String> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .column(customer::Column::PublicId)
        .filter(customer::Column::Id.is_in(customer_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let plans: HashMap<i64, String> = plan::Entity::find()
        .select_only()
        .column(plan::Column::Id)
        .column(plan::Column::PublicId)
        .filter(plan::Column::Id.is_in(plan_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    objects_with(rows, &customers, &plans)
}

/// Subscriptions as the API shows them, given their customers' and prices' public ids by
/// database key.
fn objects_with(
    rows: Vec<subscription::Model>,
    customers: &HashMap<i64, String>,
    plans: &HashMap<i64, String>,
) -> Result<Vec<Subscription>, ConsoleError> {
    rows.into_iter()
        .map(|s| {
            let bad =
                |what: &str| ConsoleError::Internal(format!("subscription {}: bad {what}", s.id));
            let customer = customers
                .get(&s.customer_id)
                .and_then(|c| CustomerId::parse(c).ok())
                .ok_or_else(|| bad("customer"))?;
            let price_of = |id: i64| {
                plans
                    .get(&id)
                    .and_then(|p| PlanId::parse(p).ok())
                    .ok_or_else(|| bad("price"))
            };
            let price = price_of(s.plan_id)?;
            let scheduled_price = s.scheduled_plan_id.map(price_of).transpose()?;
            Ok(Subscription {
                id: SubscriptionId::parse(&s.public_id).map_err(|_| bad("id"))?,
                object: ObjectKind::Subscription,
                customer,
                price,
                status: s.status,
                quantity: u32::try_from(s.quantity).map_err(|_| bad("quantity"))?,
                current_period_start: s.current_period_start.timestamp(),
                current_period_end: s.current_period_end.timestamp(),
                pause_resumes_at: s.pause_resumes_at.map(|t| t.timestamp()),
                discount_percent: s.discount_percent.and_then(|p| u8::try_from(p).ok()),
                discount_ends_at: s.discount_ends_at.map(|t| t.timestamp()),
                scheduled_price,
                scheduled_quantity: s.scheduled_quantity.and_then(|q| u32::try_from(q).ok()),
                cancel_at_period_end: s.cancel_at_period_end,
                canceled_at: s.canceled_at.map(|t| t.timestamp()),
                trial_end: s.trial_end.map(|t| t.timestamp()),
                external_id: s.external_id,
                created: s.created_at.timestamp(),
            })
        })
        .collect()
}

/// Records `kind` for subscription `id` (database key) as it now stands, in the change's
/// transaction.
pub(super) async fn subscription_event(
    db: &impl ConnectionTrait,
    kind: EventKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    Ok(crate::events::subscription_changed(db, kind, id, now).await?)
}

/// Records `kind` for `sub` as it now stands, given its customer and price at hand (no
/// lookup: the change's transaction holds the write lock).
pub(super) fn subscription_event_of(
    batch: &mut crate::db::Batch,
    kind: EventKind,
    sub: &subscription::Model,
    customer: &customer::Model,
    price: &plan::Model,
    now: DateTime<Utc>,
) -> Result<Subscription, ConsoleError> {
    let customers = HashMap::from([(customer.id, customer.public_id.clone())]);
    let plans = HashMap::from([(price.id, price.public_id.clone())]);
    let mut one = objects_with(vec![sub.clone()], &customers, &plans)?;
    let shown = one.pop().ok_or(ConsoleError::NotFound)?;
    let org = sub.organization_id;
    batch.insert(crate::events::row(
        org,
        kind,
        shown.id.as_str(),
        &shown,
        now,
    )?);
    Ok(shown)
}

impl ConsoleService {
    /// One subscription of the actor's organization (`NotFound` for another's).
    pub async fn subscription_object(
        &self,
        actor: &AdminActor,
        id: &SubscriptionId,
    ) -> Result<Subscription, ConsoleError> {
        let row = find(&self.db, actor, id).await?;
        let mut one = objects(&self.db, vec![row]).await?;
        one.pop().ok_or(ConsoleError::NotFound)
    }

    /// A page of the organization's subscriptions, newest first, optionally of one customer
    /// and in one status, after `starting_after`.
    pub async fn subscription_objects(
        &self,
        actor: &AdminActor,
        customer: Option<&CustomerId>,
        status: Option<SubscriptionStatus>,
        limit: PageLimit,
        starting_after: Option<&SubscriptionId>,
    ) -> Result<List<Subscription>, ConsoleError> {
        let mut query = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(actor.org_id()));
        if let Some(customer) = customer {
            let c = find_customer(&self.db, actor, customer).await?;
            query = query.filter(subscription::Column::CustomerId.eq(c.id));
        }
        if let Some(status) = status {
            query = query.filter(subscription::Column::Status.eq(status.as_str()));
        }
        let after = match starting_after {
            Some(id) => Some(find(&self.db, actor, id).await?.id),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, subscription::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: objects(&self.db, rows).await?,
            has_more,
        })
    }
}
