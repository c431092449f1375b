//! Pauses in a billing run: a subscription whose customer asked for a pause stops at its
//! period's end instead of renewing ([`begin_pauses`], called by the renewal step for the
//! due subscriptions that asked), and one whose pause has reached its day is active again
//! with a period ending that day ([`BillingEngine::end_pauses`], before the renewals), so
//! the same run invoices and charges its new period through the usual renewal path.

use super::{BillingEngine, OrgCtx};
use crate::billing::error::BillingError;
use crate::billing::outbox::{Mailroom, queue_emails};
use crate::billing::templates::{EmailKind, TemplateVars, format_date};
use crate::entity::{customer, plan, subscription};
use chrono::{DateTime, Utc};
use domain::{BillingInterval, EventKind, Locale, SubscriptionStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};

use super::report::RunReport;

/// Pauses the due subscriptions in `pausing` (their rows locked by the renewal step's
/// transaction): no invoice for them. The customer was told the dates when they asked.
/// Drops the pauses of `stale` (due subscriptions whose pause would end before the period
/// it follows: they renew).
pub(super) async fn begin_pauses(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    pausing: &[subscription::Model],
    stale: Vec<i64>,
    report: &mut RunReport,
) -> Result<(), BillingError> {
    if !stale.is_empty() {
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::PauseResumesAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(subscription::Column::Id.is_in(stale))
            .exec(txn)
            .await?;
    }
    if pausing.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = pausing.iter().map(|s| s.id).collect();
    let paused = subscription::Entity::update_many()
        .col_expr(
            subscription::Column::Status,
            Expr::value(SubscriptionStatus::Paused.as_str()),
        )
        .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(subscription::Column::Id.is_in(ids.clone()))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
        .filter(subscription::Column::PauseResumesAt.is_not_null())
        .exec(txn)
        .await?;
    report.paused += u32::try_from(paused.rows_affected).unwrap_or(u32::MAX);
    let begun: Vec<i64> = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .filter(subscription::Column::Id.is_in(ids))
        .filter(subscription::Column::Status.eq(SubscriptionStatus::Paused.as_str()))
        .into_tuple()
        .all(txn)
        .await?;
    crate::events::subscriptions_changed(txn, EventKind::SubscriptionPaused, begun, ctx.now)
        .await?;
    Ok(())
}

impl BillingEngine {
    /// Ends every pause of the organization whose day has come: the subscription is active
    /// again from that day (its invoice follows in this run's renewals), with a
    /// `subscription.resumed` event and the "resumed" email.
    pub(crate) async fn end_pauses(
        &self,
        ctx: &OrgCtx,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        let ending = subscription::Entity::find()
            .filter(subscription::Column::OrganizationId.eq(ctx.org.id))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Paused.as_str()))
            .filter(subscription::Column::PauseResumesAt.lte(ctx.now))
            .find_also_related(plan::Entity)
            .all(&txn)
            .await?;
        if ending.is_empty() {
            txn.commit().await?;
            return Ok(());
        }
        let mail = Mailroom::load(&txn, &self.public_url, &ctx.org).await?;
        let mut ended = Vec::new();
        let mut emails = Vec::new();
        for (sub, plan) in ending {
            let Some(day) = sub.pause_resumes_at else {
                continue;
            };
            // Never before the end of the period already paid.
            let at = day.max(sub.current_period_end);
            if !crate::subscriptions::end_pause(&txn, sub.id, at, ctx.now).await? {
                continue;
            }
            ended.push(sub.id);
            // The email is told; a row it cannot be made from is logged, not a stopped run.
            let customer = customer::Entity::find_by_id(sub.customer_id)
                .one(&txn)
                .await?;
            let email = customer
                .ok_or(BillingError::UnknownCustomer)
                .and_then(|customer| {
                    let plan = plan.ok_or(BillingError::InvalidAmount)?;
                    let vars = resumed_vars(&plan, &customer, at)?;
                    mail.email(&customer, EmailKind::SubscriptionUnpaused, vars)
                });
            match email {
                Ok(email) => emails.push(email),
                Err(err) => {
                    tracing::error!(subscription = %sub.public_id, error = %err, "resumed email failed");
                    report.errors += 1;
                }
            }
        }
        report.unpaused += u32::try_from(ended.len()).unwrap_or(u32::MAX);
        crate::events::subscriptions_changed(&txn, EventKind::SubscriptionResumed, ended, ctx.now)
            .await?;
        queue_emails(&txn, emails, ctx.now).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The "resumed" email's variables for a subscription to `plan` whose new period begins
/// at `from`: the plan's name and the new period's end.
pub(crate) fn resumed_vars(
    plan: &plan::Model,
    customer: &customer::Model,
    from: DateTime<Utc>,
) -> Result<TemplateVars, BillingError> {
    let interval =
        BillingInterval::parse(&plan.interval).map_err(|e| BillingError::corrupt("plans", e))?;
    let count = u32::try_from(plan.interval_count).map_or(1, |c| Ord::max(c, 1));
    let locale = Locale::parse(&customer.locale).unwrap_or_default();
    let mut vars = TemplateVars::new();
    vars.insert("plan_name".into(), plan.name.clone());
    vars.insert(
        "period_end".into(),
        format_date(interval.advance_periods(from, count).date_naive(), locale),
    );
    Ok(vars)
}
