//! Changing a subscription's price or quantity (`POST /v1/subscriptions/{id}`). The current
//! period was invoiced in advance on the old terms and stays as it is (no proration yet): the
//! next renewal bills the new price and quantity, so a change takes effect at the period end.
use super::subscriptions::find;
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{plan, subscription};
use domain::{EventKind, PlanId, Quantity, SubscriptionId, SubscriptionStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use wire::error::{Conflict, FieldCode, FieldErrors};

/// A change as sent: `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionChange {
    /// Another active price of the same currency.
    pub price: Option<PlanId>,
    /// Units.
    pub quantity: Option<Quantity>,
}

impl SubscriptionChange {
    /// Parses the raw fields, every error at once.
    pub fn parse(price: Option<&str>, quantity: Option<u32>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let price = price.and_then(|p| {
            PlanId::parse(p.trim())
                .map_err(|_| errors.push("price", FieldCode::PriceUnknown))
                .ok()
        });
        let quantity = quantity.and_then(|q| {
            let parsed = Quantity::new(q);
            if parsed.is_none() {
                errors.push("quantity", FieldCode::QuantityInvalid);
            }
            parsed
        });
        if errors.is_empty() {
            Ok(SubscriptionChange { price, quantity })
        } else {
            Err(errors)
        }
    }
}

impl ConsoleService {
    /// Applies `change` to subscription `id` in one transaction with its audit row. A
    /// canceled subscription is 409 `subscription_ended`; the new price must be the
    /// organization's, active, and in the subscription's currency (422 naming `price`). A
    /// change that changes nothing writes nothing.
    pub async fn change_subscription(
        &self,
        actor: &AdminActor,
        id: &SubscriptionId,
        change: SubscriptionChange,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let sub = find(&txn, actor, id).await?;
        if sub.status == SubscriptionStatus::Canceled.as_str() {
            return Err(ConsoleError::Conflict(Conflict::SubscriptionEnded));
        }
        let current = plan::Entity::find_by_id(sub.plan_id)
            .one(&txn)
            .await?
            .ok_or_else(|| ConsoleError::Internal(format!("subscription {}: no plan", sub.id)))?;
        let new_plan = match &change.price {
            Some(price) => {
                let found = plan::Entity::find()
                    .filter(plan::Column::OrganizationId.eq(actor.org_id()))
                    .filter(plan::Column::PublicId.eq(price.as_str()))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| ConsoleError::field("price", FieldCode::PriceUnknown))?;
                if found.archived_at.is_some() && found.id != current.id {
                    return Err(ConsoleError::field("price", FieldCode::PriceArchived));
                }
                if found.currency != current.currency {
                    return Err(ConsoleError::field("price", FieldCode::CurrencyMismatch));
                }
                found
            }
            None => current.clone(),
        };
        let quantity = change
            .quantity
            .map_or(sub.quantity, |q| i32::try_from(q.get()).unwrap_or(i32::MAX));
        if new_plan.id == sub.plan_id && quantity == sub.quantity {
            return Ok(());
        }
        let details = format!(
            "{}: price {} → {}, quantity {} → {quantity}",
            sub.public_id, current.public_id, new_plan.public_id, sub.quantity
        );
        let mut row: subscription::ActiveModel = sub.into_active_model();
        row.plan_id = Set(new_plan.id);
        row.quantity = Set(quantity);
        row.updated_at = Set(now);
        let updated = row.update(&txn).await?;
        super::subscription_objects::subscription_event(
            &txn,
            EventKind::SubscriptionUpdated,
            updated.id,
            now,
        )
        .await?;
        audit::commit(txn, actor, "subscription.updated", details, now).await
    }
}
