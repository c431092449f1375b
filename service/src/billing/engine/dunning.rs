//! Scheduled retries of failed invoices, decided by `domain::next_action`.

use super::collect::{Collected, Step, last_attempt};
use super::report::RunReport;
use super::{BATCH, BillingEngine, OrgCtx, default_method, load_customer};
use crate::billing::error::BillingError;
use crate::entity::{invoice, subscription};
use chrono::{DateTime, Utc};
use domain::{
    DeclineCode, DunningAction, DunningState, InvoiceStatus, SubscriptionStatus, next_action,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashSet;

/// What dunning knows about an invoice, read from its rows.
pub(crate) async fn dunning_state(
    db: &impl ConnectionTrait,
    inv: &invoice::Model,
) -> Result<(DunningState, Option<subscription::Model>), BillingError> {
    let invoice_status =
        InvoiceStatus::parse(&inv.status).map_err(|e| BillingError::corrupt("invoices", e))?;
    let sub = match inv.subscription_id {
        Some(id) => subscription::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let subscription_status = match &sub {
        Some(sub) => SubscriptionStatus::parse(&sub.status)
            .map_err(|e| BillingError::corrupt("subscriptions", e))?,
        // A one-off invoice is dunned like a subscription in arrears.
        None => SubscriptionStatus::PastDue,
    };
    let last = last_attempt(db, inv.id).await?;
    let last_decline = last
        .as_ref()
        .and_then(|a| a.decline_code.as_deref())
        .and_then(|c| DeclineCode::parse(c).ok());
    let current = default_method(db, inv.customer_id).await?;
    let changed = match (&current, &last) {
        (Some(current), Some(last)) => last.payment_method_id != Some(current.id),
        (Some(_), None) => true,
        (None, _) => false,
    };
    let state = DunningState {
        invoice_status,
        first_failure_at: inv.first_failure_at,
        failed_attempts: domain::scheduled_failures(
            u32::try_from(inv.attempt_count.max(0)).unwrap_or(u32::MAX),
            super::record::pay_now_attempts(db, inv.id, inv.first_failure_at).await?,
        ),
        last_decline,
        default_method_changed_since_last_failure: changed,
        subscription_status,
    };
    Ok((state, sub))
}

impl BillingEngine {
    /// Every open invoice whose retry is due, earliest first.
    pub(crate) async fn run_dunning(
        &self,
        ctx: &OrgCtx,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let mut seen = HashSet::new();
        let mut cursor: Option<(DateTime<Utc>, i64)> = None;
        loop {
            let mut query = invoice::Entity::find()
                .filter(invoice::Column::OrganizationId.eq(ctx.org.id))
                .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
                .filter(invoice::Column::NextAttemptAt.lte(ctx.now));
            if let Some((at, id)) = cursor {
                query = query.filter(
                    Condition::any()
                        .add(invoice::Column::NextAttemptAt.gt(at))
                        .add(
                            Condition::all()
                                .add(invoice::Column::NextAttemptAt.eq(at))
                                .add(invoice::Column::Id.gt(id)),
                        ),
                );
            }
            let batch = query
                .order_by_asc(invoice::Column::NextAttemptAt)
                .order_by_asc(invoice::Column::Id)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = batch.last() else { break };
            cursor = last.next_attempt_at.map(|at| (at, last.id));
            for inv in batch {
                // One step per invoice per run: a retry that fails reschedules for later.
                if !seen.insert(inv.id) {
                    continue;
                }
                let public_id = inv.public_id.clone();
                if let Err(err) = self.dun(ctx, inv, report).await {
                    tracing::error!(invoice = %public_id, error = %err, "dunning step failed");
                    report.errors += 1;
                }
            }
            if cursor.is_none() {
                break;
            }
        }
        Ok(())
    }

    async fn dun(
        &self,
        ctx: &OrgCtx,
        inv: invoice::Model,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let (state, sub) = dunning_state(&self.db, &inv).await?;
        match next_action(&state, &ctx.policy, ctx.now) {
            DunningAction::Nothing => {
                // Paid, void, canceled subscription, or exhausted: no retry is scheduled.
                self.set_next_attempt(ctx, &inv, None).await?;
            }
            DunningAction::WaitUntil(due) => {
                if inv.next_attempt_at != Some(due) {
                    self.set_next_attempt(ctx, &inv, Some(due)).await?;
                }
            }
            DunningAction::RetryNow => {
                report.retries += 1;
                let collected = self
                    .collect(ctx, inv.id, state.retry_trigger(), Step::Charge)
                    .await?;
                count(report, collected);
            }
            DunningAction::SkipRetry => {
                report.retries_skipped += 1;
                let collected = self
                    .collect(
                        ctx,
                        inv.id,
                        domain::PaymentTrigger::ScheduledRetry,
                        Step::Skip(state.last_decline),
                    )
                    .await?;
                count(report, collected);
            }
            DunningAction::GiveUp(_) => {
                let txn = crate::db::begin_write(&self.db).await?;
                let customer = load_customer(&txn, inv.customer_id).await?;
                self.give_up(&txn, ctx, &inv, sub.as_ref(), &customer, None)
                    .await?;
                txn.commit().await?;
                report.gave_up += 1;
            }
        }
        Ok(())
    }

    async fn set_next_attempt(
        &self,
        ctx: &OrgCtx,
        inv: &invoice::Model,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), BillingError> {
        invoice::Entity::update_many()
            .col_expr(invoice::Column::NextAttemptAt, Expr::value(at))
            .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(invoice::Column::Id.eq(inv.id))
            .filter(invoice::Column::AttemptCount.eq(inv.attempt_count))
            .exec(&crate::db::writer(&self.db))
            .await?;
        Ok(())
    }
}

pub(super) fn count(report: &mut RunReport, collected: Collected) {
    match collected {
        Collected::Paid => report.payments_succeeded += 1,
        Collected::Failed { gave_up, .. } => {
            report.payments_failed += 1;
            report.gave_up += u32::from(gave_up);
        }
        Collected::Busy | Collected::NotOpen => {}
    }
}
