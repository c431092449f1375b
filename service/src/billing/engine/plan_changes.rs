//! Plan changes that wait for the period's end (a customer's downgrade from the portal):
//! when the period has ended, the subscription takes the new price and quantity before
//! this run's renewals, so its next invoice bills them.
use super::BillingEngine;
use super::OrgCtx;
use crate::billing::error::BillingError;
use crate::entity::subscription;
use domain::{EventKind, SubscriptionStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

impl BillingEngine {
    /// Applies every scheduled change of the organization whose period has ended (one
    /// ending or canceled is left: it gets no next period), with a `subscription.updated`
    /// event each.
    pub(crate) async fn apply_scheduled_changes(&self, ctx: &OrgCtx) -> Result<(), BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        let due: Vec<i64> = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .filter(subscription::Column::OrganizationId.eq(ctx.org.id))
            .filter(subscription::Column::ScheduledPlanId.is_not_null())
            .filter(subscription::Column::CurrentPeriodEnd.lte(ctx.now))
            .filter(subscription::Column::Status.ne(SubscriptionStatus::Canceled.as_str()))
            .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
            .into_tuple()
            .all(&txn)
            .await?;
        if due.is_empty() {
            txn.commit().await?;
            return Ok(());
        }
        let apply = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::PlanId,
                Expr::col(subscription::Column::ScheduledPlanId),
            )
            .col_expr(
                subscription::Column::Quantity,
                Expr::cust("COALESCE(scheduled_quantity, quantity)"),
            );
        crate::subscriptions::without_scheduled_change(apply)
            .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(subscription::Column::Id.is_in(due.clone()))
            .filter(subscription::Column::ScheduledPlanId.is_not_null())
            .exec(&txn)
            .await?;
        crate::events::subscriptions_changed(&txn, EventKind::SubscriptionUpdated, due, ctx.now)
            .await?;
        txn.commit().await?;
        Ok(())
    }
}
