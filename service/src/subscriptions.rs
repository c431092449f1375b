//! The subscription changes both the portal (the customer) and the console (staff) make:
//! cancelling at the period end (with the customer's reason kept as a `cancellations` row)
//! and undoing it. One conditional UPDATE each, so a change
//! that no longer applies (already ended, period over, already set) changes nothing and
//! the caller answers "not cancelable".
use crate::entity::{cancellation, subscription};
use chrono::{DateTime, Utc};
use domain::SubscriptionStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

fn billing_statuses() -> Vec<&'static str> {
    SubscriptionStatus::billing()
        .map(SubscriptionStatus::as_str)
        .collect()
}

/// Why a subscription ends, when the customer said.
#[derive(Debug, Clone, Default)]
pub struct Why {
    /// The reason's stored code.
    pub reason: Option<&'static str>,
    /// Their words.
    pub comment: Option<String>,
}

/// Sets subscription `id` to end with its period, if it still bills, is not set to end
/// already and its period (ending after `org_now`) has not ended. Whether it changed.
pub async fn cancel_at_period_end(
    db: &impl ConnectionTrait,
    sub: &subscription::Model,
    why: Why,
    org_now: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let id = sub.id;
    let changed = subscription::Entity::update_many()
        .col_expr(subscription::Column::CancelAtPeriodEnd, Expr::value(true))
        .col_expr(subscription::Column::CancelReason, Expr::value(why.reason))
        .col_expr(
            subscription::Column::CancelComment,
            Expr::value(why.comment.clone()),
        )
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(id))
        .filter(subscription::Column::Status.is_in(billing_statuses()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now))
        .exec(db)
        .await?;
    if changed.rows_affected != 1 {
        return Ok(false);
    }
    // The customer's reason is kept as a row of its own: a resume does not erase it.
    if let Some(reason) = why.reason {
        cancellation::ActiveModel {
            organization_id: Set(sub.organization_id),
            subscription_id: Set(id),
            reason: Set(reason.to_owned()),
            comment: Set(why.comment),
            created_at: Set(org_now),
            resumed_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(true)
}

/// Undoes [`cancel_at_period_end`] while the period has not ended. Whether it changed.
pub async fn resume(
    db: &impl ConnectionTrait,
    id: i64,
    org_now: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    // The reason stays (on the subscription and in its cancellation row): the merchant
    // still learns why the customer meant to leave.
    let changed = subscription::Entity::update_many()
        .col_expr(subscription::Column::CancelAtPeriodEnd, Expr::value(false))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(id))
        .filter(subscription::Column::Status.is_in(billing_statuses()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(true))
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now))
        .exec(db)
        .await?;
    if changed.rows_affected != 1 {
        return Ok(false);
    }
    cancellation::Entity::update_many()
        .col_expr(cancellation::Column::ResumedAt, Expr::value(Some(org_now)))
        .filter(cancellation::Column::SubscriptionId.eq(id))
        .filter(cancellation::Column::ResumedAt.is_null())
        .exec(db)
        .await?;
    Ok(true)
}
