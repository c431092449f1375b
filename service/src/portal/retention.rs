//! The retention offer (permission: cancel subscription): shown once per subscription on
//! the cancel page, before the cancellation is confirmed. Accepting it gives the
//! subscription the merchant's percent off every invoice whose period starts within the
//! offer's months from the next period (the renewal writes it as a line of its own);
//! cancelling passes it over.
use super::account::own_subscription;
use super::{PortalError, PortalService};
use crate::entity::{customer, portal_settings, subscription};
use crate::portal::PortalCustomer;
use chrono::{DateTime, Utc};
use domain::{EventKind, PortalPermission, RetentionOffer, SubscriptionStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The organization's retention offer, if it has one.
pub(super) async fn merchant_offer(
    db: &impl ConnectionTrait,
    org_id: i64,
) -> Result<Option<RetentionOffer>, PortalError> {
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(PortalError::NotFound)?;
    Ok(crate::console::stored_offer(&settings))
}

/// Records that subscription `sub` (as read before it was cancelled) passed over the offer
/// its cancel page showed; nothing when the page showed none (no offer then, or not for it).
pub(super) async fn pass_over(
    db: &impl ConnectionTrait,
    sub: &subscription::Model,
    now: DateTime<Utc>,
) -> Result<(), PortalError> {
    let merchant = merchant_offer(db, sub.organization_id).await?;
    let Ok(status) = SubscriptionStatus::parse(&sub.status) else {
        return Ok(());
    };
    let offered_before = sub.retention_offered_at.is_some();
    if domain::offer_for(merchant, status, sub.cancel_at_period_end, offered_before).is_none() {
        return Ok(());
    }
    subscription::Entity::update_many()
        .col_expr(subscription::Column::RetentionOfferedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(sub.id))
        .filter(subscription::Column::RetentionOfferedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

impl PortalService {
    /// Accepts the merchant's retention offer for subscription `public_id`: its invoices
    /// for periods starting within the offer's months get the discount. Refused (409) when
    /// there is no offer, or this subscription may not get it (`domain::offer_for`): not
    /// active, ending, or offered before.
    pub async fn accept_retention_offer(
        &self,
        who: &PortalCustomer,
        public_id: &str,
    ) -> Result<RetentionOffer, PortalError> {
        who.require(PortalPermission::CancelSubscription)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let now = self.org_now_on(&txn, who.org_id()).await?;
        let sub = own_subscription(&txn, who, public_id).await?;
        let status = SubscriptionStatus::parse(&sub.status).map_err(|e| {
            PortalError::Billing(crate::billing::BillingError::corrupt("subscriptions", e))
        })?;
        let merchant = merchant_offer(&txn, who.org_id()).await?;
        let offered_before = sub.retention_offered_at.is_some();
        let offer = domain::offer_for(merchant, status, sub.cancel_at_period_end, offered_before)
            .ok_or(PortalError::NotCancelable)?;
        // From the next period, the first not paid yet (a yearly plan's next invoice).
        let ends_at = offer.ends_at(sub.current_period_end);
        // Conditional on the row as read: a second press (or a cancel in between) finds
        // nothing to update, nor does a period that has ended and waits for its renewal.
        let updated = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::DiscountPercent,
                Expr::value(i32::from(offer.percent())),
            )
            .col_expr(subscription::Column::DiscountEndsAt, Expr::value(ends_at))
            .col_expr(subscription::Column::RetentionOfferedAt, Expr::value(now))
            .col_expr(subscription::Column::UpdatedAt, Expr::value(self.now()))
            .filter(subscription::Column::Id.eq(sub.id))
            .filter(subscription::Column::RetentionOfferedAt.is_null())
            .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
            .filter(subscription::Column::CurrentPeriodEnd.gt(now))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(PortalError::NotCancelable);
        }
        let event = EventKind::SubscriptionUpdated;
        crate::events::subscription_changed(&txn, event, sub.id, self.now()).await?;
        let details = serde_json::json!({
            "subscription": sub.public_id,
            "percent_off": offer.percent(),
            "months": offer.months(),
            "until": ends_at.date_naive().to_string(),
        });
        let customer = customer::Entity::find_by_id(who.customer_id())
            .one(&txn)
            .await?
            .ok_or(PortalError::NotFound)?;
        let (org_id, at) = (who.org_id(), self.now());
        let action = "subscription.retention_offer_accepted";
        super::audit::record(&txn, org_id, &customer.public_id, action, details, at).await?;
        txn.commit().await?;
        Ok(offer)
    }
}
