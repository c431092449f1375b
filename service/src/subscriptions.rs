//! The subscription changes both the portal (the customer) and the console (staff) make:
//! cancelling at the period end (with the customer's reason kept as a `cancellations` row)
//! and undoing it; asking for a pause, withdrawing it, and ending one. One conditional
//! UPDATE each, so a change
//! that no longer applies (already ended, period over, already set) changes nothing and
//! the caller answers "not cancelable".
use crate::entity::{cancellation, subscription};
use chrono::{DateTime, Utc};
use domain::SubscriptionStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    UpdateMany,
};

/// An UPDATE of subscription `id`, stamped `now`, to which each change adds its columns and
/// its conditions.
fn change(id: i64, now: DateTime<Utc>) -> UpdateMany<subscription::Entity> {
    subscription::Entity::update_many()
        .col_expr(subscription::Column::UpdatedAt, Expr::value(now))
        .filter(subscription::Column::Id.eq(id))
}

/// Runs `update`; whether it changed the row (its conditions held).
async fn applied(
    db: &impl ConnectionTrait,
    update: UpdateMany<subscription::Entity>,
) -> Result<bool, DbErr> {
    Ok(update.exec(db).await?.rows_affected == 1)
}

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
    // Ending replaces a pause asked for: a resume of the cancellation does not bring it back.
    let update = change(id, now)
        .col_expr(subscription::Column::CancelAtPeriodEnd, Expr::value(true))
        .col_expr(
            subscription::Column::PauseResumesAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(subscription::Column::CancelReason, Expr::value(why.reason))
        .col_expr(
            subscription::Column::CancelComment,
            Expr::value(why.comment.clone()),
        )
        .filter(subscription::Column::Status.is_in(billing_statuses()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now));
    if !applied(db, update).await? {
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
    let update = change(id, now)
        .col_expr(subscription::Column::CancelAtPeriodEnd, Expr::value(false))
        .filter(subscription::Column::Status.is_in(billing_statuses()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(true))
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now));
    if !applied(db, update).await? {
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

/// Asks subscription `id` to pause from its period's end until `resumes_at`, if it is
/// active, not ending, not already pausing and its period (ending after `org_now`) has not
/// ended. Whether it changed.
pub async fn ask_pause(
    db: &impl ConnectionTrait,
    id: i64,
    resumes_at: DateTime<Utc>,
    org_now: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = change(id, now)
        .col_expr(
            subscription::Column::PauseResumesAt,
            Expr::value(Some(resumes_at)),
        )
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
        .filter(subscription::Column::PauseResumesAt.is_null())
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now));
    applied(db, update).await
}

/// Withdraws [`ask_pause`] before the pause has begun. Whether it changed.
pub async fn withdraw_pause(
    db: &impl ConnectionTrait,
    id: i64,
    org_now: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = change(id, now)
        .col_expr(
            subscription::Column::PauseResumesAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::PauseResumesAt.is_not_null())
        .filter(subscription::Column::CurrentPeriodEnd.gt(org_now));
    applied(db, update).await
}

/// Ends the pause of subscription `id` at `at`: active again, with a period that ends at
/// `at`, so its next invoice (for the period from `at`) is due then. Whether it changed
/// (it was paused).
pub async fn end_pause(
    db: &impl ConnectionTrait,
    id: i64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = change(id, now)
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Active.as_str()),
        )
        .col_expr(subscription::Column::CurrentPeriodStart, Expr::value(at))
        .col_expr(subscription::Column::CurrentPeriodEnd, Expr::value(at))
        .col_expr(
            subscription::Column::PauseResumesAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Paused.as_str()));
    applied(db, update).await
}

/// `update` also dropping a plan change scheduled for the period's end.
pub(crate) fn without_scheduled_change(
    update: UpdateMany<subscription::Entity>,
) -> UpdateMany<subscription::Entity> {
    update
        .col_expr(
            subscription::Column::ScheduledPlanId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            subscription::Column::ScheduledQuantity,
            Expr::value(Option::<i32>::None),
        )
}

/// `update` of `sub` only while it is as read: active, not ending, in the same period, on
/// the same plan and quantity (another change meanwhile leaves it untouched).
fn as_read(
    update: UpdateMany<subscription::Entity>,
    sub: &subscription::Model,
) -> UpdateMany<subscription::Entity> {
    update
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
        .filter(subscription::Column::CurrentPeriodEnd.eq(sub.current_period_end))
        .filter(subscription::Column::PlanId.eq(sub.plan_id))
        .filter(subscription::Column::Quantity.eq(sub.quantity))
}

/// Schedules a move of `sub` (as read) to plan `plan_id` × `quantity` at its period's end
/// (replacing one scheduled before); false when it changed meanwhile.
pub(crate) async fn schedule_plan_change(
    db: &impl ConnectionTrait,
    sub: &subscription::Model,
    (plan_id, quantity): (i64, i32),
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = change(sub.id, now)
        .col_expr(subscription::Column::ScheduledPlanId, Expr::value(plan_id))
        .col_expr(
            subscription::Column::ScheduledQuantity,
            Expr::value(quantity),
        );
    applied(db, as_read(update, sub)).await
}

/// Drops the plan change subscription `id` has scheduled; false when it has none.
pub(crate) async fn undo_plan_change(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = without_scheduled_change(change(id, now))
        .filter(subscription::Column::ScheduledPlanId.is_not_null());
    applied(db, update).await
}

/// Moves `sub` (as read) to plan `to` (plan and quantity) now, dropping a scheduled change;
/// false when it changed meanwhile.
pub(crate) async fn change_plan_now(
    db: &impl ConnectionTrait,
    sub: &subscription::Model,
    to: (i64, i32),
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = without_scheduled_change(change(sub.id, now))
        .col_expr(subscription::Column::PlanId, Expr::value(to.0))
        .col_expr(subscription::Column::Quantity, Expr::value(to.1));
    applied(db, as_read(update, sub)).await
}
