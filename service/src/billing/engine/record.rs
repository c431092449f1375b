//! Recording an attempt's result: paid, failed and rescheduled, or given up. Each is one
//! transaction that starts by inserting the attempt row under its unique idempotency key,
//! so a result is applied at most once.

use super::collect::{AttemptRecord, Collected, invoice_amount, invoice_vars, last_attempt};
use super::{BillingEngine, OrgCtx, load_customer};
use crate::billing::error::BillingError;
use crate::billing::outbox::queue_customer_email;
use crate::billing::templates::{EmailKind, TemplateVars, decline_reason, format_date};
use crate::entity::{customer, invoice, payment_attempt, subscription};
use crate::events;
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{
    AfterFailure, AttemptOutcome, DeclineCode, EventKind, FinalAction, InvoiceStatus, Locale,
    Money, PaymentAttemptId, PaymentTrigger, SubscriptionStatus, after_failure, scheduled_failures,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TryInsertResult};

impl BillingEngine {
    pub(super) async fn record_success(
        &self,
        ctx: &OrgCtx,
        a: &AttemptRecord<'_>,
        reference: &str,
    ) -> Result<Collected, BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        if !insert_attempt(
            &txn,
            ctx,
            a,
            AttemptOutcome::Succeeded,
            None,
            Some(reference),
        )
        .await?
        {
            return Ok(Collected::Busy);
        }
        let inv = a.inv;
        let paid = invoice::Entity::update_many()
            .col_expr(
                invoice::Column::Status,
                Expr::value(InvoiceStatus::Paid.as_str()),
            )
            .col_expr(
                invoice::Column::AmountPaidMinor,
                Expr::value(inv.total_minor),
            )
            .col_expr(invoice::Column::PaidAt, Expr::value(Some(ctx.now)))
            .col_expr(
                invoice::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(invoice::Column::Id.eq(inv.id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
            .exec(&txn)
            .await?;
        if paid.rows_affected != 1 {
            // Money moved on an invoice someone voided meanwhile: keep the attempt, flag it.
            tracing::error!(invoice = %inv.public_id, "charge succeeded on an invoice that is no longer open; refund needed");
        } else {
            events::invoice_changed(&txn, EventKind::InvoicePaid, inv.id, ctx.now).await?;
        }
        if let Some(sub_id) = inv.subscription_id {
            // Past due or unpaid before this payment: it recovers (its app may grant access again).
            let was_behind = subscription::Entity::find_by_id(sub_id)
                .one(&txn)
                .await?
                .is_some_and(|s| {
                    s.status == SubscriptionStatus::PastDue.as_str()
                        || s.status == SubscriptionStatus::Unpaid.as_str()
                });
            // The paid invoice's period becomes the subscription's period. Monotone, so a
            // late success for an old period never moves a subscription backwards.
            let moved = subscription::Entity::update_many()
                .col_expr(
                    subscription::Column::Status,
                    Expr::value(SubscriptionStatus::Active.as_str()),
                )
                .col_expr(
                    subscription::Column::CurrentPeriodStart,
                    Expr::value(inv.period_start),
                )
                .col_expr(
                    subscription::Column::CurrentPeriodEnd,
                    Expr::value(inv.period_end),
                )
                .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
                .filter(subscription::Column::Id.eq(sub_id))
                .filter(subscription::Column::Status.ne(SubscriptionStatus::Canceled.as_str()))
                .filter(subscription::Column::CurrentPeriodEnd.lte(inv.period_end))
                .exec(&txn)
                .await?;
            if was_behind && moved.rows_affected == 1 {
                events::subscription_changed(
                    &txn,
                    EventKind::SubscriptionRecovered,
                    sub_id,
                    ctx.now,
                )
                .await?;
            }
        }
        let customer = load_customer(&txn, inv.customer_id).await?;
        let vars = invoice_vars(inv, a.amount, &customer.locale);
        queue_customer_email(
            &txn,
            &self.public_url,
            &ctx.org,
            &customer,
            EmailKind::PaymentSucceeded,
            vars,
            ctx.now,
        )
        .await?;
        txn.commit().await?;
        tracing::debug!(invoice = %inv.public_id, trigger = a.trigger.as_str(), "invoice paid");
        Ok(Collected::Paid)
    }

    pub(super) async fn record_failure(
        &self,
        ctx: &OrgCtx,
        a: &AttemptRecord<'_>,
        code: Option<DeclineCode>,
        reference: Option<&str>,
        skipped: bool,
    ) -> Result<Collected, BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        if !insert_attempt(&txn, ctx, a, AttemptOutcome::Failed, code, reference).await? {
            return Ok(Collected::Busy);
        }
        let inv = a.inv;
        if a.trigger == PaymentTrigger::PayNow && inv.first_failure_at.is_some() {
            // The customer's own try on an invoice already in dunning: the schedule, the
            // subscription's status and the emails stay as they were (the customer sees the
            // outcome on the page); only the attempt and its event are new.
            events::invoice_changed(&txn, EventKind::InvoicePaymentFailed, inv.id, ctx.now).await?;
            invoice::Entity::update_many()
                .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
                .filter(invoice::Column::Id.eq(inv.id))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            tracing::info!(invoice = %inv.public_id, decline = code.map(DeclineCode::as_str), "pay now failed");
            return Ok(Collected::Failed {
                code,
                skipped,
                gave_up: false,
            });
        }
        let sub = match inv.subscription_id {
            Some(id) => subscription::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        let sub_status = sub
            .as_ref()
            .map(|s| SubscriptionStatus::parse(&s.status))
            .transpose();
        let sub_status = sub_status.map_err(|e| BillingError::corrupt("subscriptions", e))?;
        let first_failure = inv.first_failure_at.unwrap_or(ctx.now);
        // Every attempt before a success is a failure, the claimed one included; the
        // customer's "Pay now" presses do not count against the schedule.
        let attempts = u32::try_from(a.attempt.max(1)).unwrap_or(u32::MAX);
        let failed_attempts = scheduled_failures(
            attempts,
            pay_now_attempts(&txn, inv.id, inv.first_failure_at).await?,
        );
        let next = match after_failure(sub_status, first_failure, failed_attempts, &ctx.policy) {
            AfterFailure::RetryAt(due) => Some(due),
            AfterFailure::AwaitNewMethod => None,
            AfterFailure::GiveUp => {
                events::invoice_changed(&txn, EventKind::InvoicePaymentFailed, inv.id, ctx.now)
                    .await?;
                let customer = load_customer(&txn, inv.customer_id).await?;
                self.give_up(&txn, ctx, inv, sub.as_ref(), &customer, Some(first_failure))
                    .await?;
                txn.commit().await?;
                return Ok(Collected::Failed {
                    code,
                    skipped,
                    gave_up: true,
                });
            }
        };
        schedule_retry(&txn, ctx, inv, first_failure, next).await?;
        events::invoice_changed(&txn, EventKind::InvoicePaymentFailed, inv.id, ctx.now).await?;
        if let (Some(sub), Some(status)) = (&sub, sub_status)
            && status.bills()
        {
            set_subscription_status(ctx, sub, SubscriptionStatus::PastDue)
                .exec(&txn)
                .await?;
            if status != SubscriptionStatus::PastDue {
                events::subscription_changed(&txn, EventKind::SubscriptionPastDue, sub.id, ctx.now)
                    .await?;
            }
        }
        let customer = load_customer(&txn, inv.customer_id).await?;
        self.queue_payment_failed(&txn, ctx, inv, a.amount, &customer, code)
            .await?;
        txn.commit().await?;
        tracing::info!(
            invoice = %inv.public_id,
            trigger = a.trigger.as_str(),
            decline = code.map(DeclineCode::as_str),
            skipped,
            "invoice attempt failed"
        );
        Ok(Collected::Failed {
            code,
            skipped,
            gave_up: false,
        })
    }

    /// Applies the organization's final action: `mark_unpaid` leaves the invoice open (a new
    /// payment method can still collect it) and marks the subscription unpaid; `cancel`
    /// cancels the subscription and writes the invoice off as uncollectible.
    pub(crate) async fn give_up(
        &self,
        txn: &DatabaseTransaction,
        ctx: &OrgCtx,
        inv: &invoice::Model,
        sub: Option<&subscription::Model>,
        customer: &customer::Model,
        first_failure: Option<DateTime<Utc>>,
    ) -> Result<(), BillingError> {
        let final_action = ctx.policy.final_action();
        let closed = close_invoice(txn, ctx, inv, first_failure, final_action).await?;
        if closed && final_action == FinalAction::Cancel {
            events::invoice_changed(txn, EventKind::InvoiceUncollectible, inv.id, ctx.now).await?;
        }
        if let Some(sub) = sub {
            match final_action {
                FinalAction::MarkUnpaid => self.mark_unpaid(txn, ctx, inv, sub, customer).await?,
                FinalAction::Cancel => self.cancel_unpaid(txn, ctx, sub, customer).await?,
            }
        }
        tracing::info!(invoice = %inv.public_id, action = final_action.as_str(), "dunning gave up");
        Ok(())
    }

    /// The `MarkUnpaid` final action: the subscription stops billing but stays, and the
    /// customer is told the payment failed and why.
    async fn mark_unpaid(
        &self,
        txn: &DatabaseTransaction,
        ctx: &OrgCtx,
        inv: &invoice::Model,
        sub: &subscription::Model,
        customer: &customer::Model,
    ) -> Result<(), BillingError> {
        let marked = set_subscription_status(ctx, sub, SubscriptionStatus::Unpaid)
            .exec(txn)
            .await?;
        if marked.rows_affected == 1 {
            events::subscription_changed(txn, EventKind::SubscriptionUnpaid, sub.id, ctx.now)
                .await?;
        }
        let amount = invoice_amount(inv)?;
        let last_code = last_attempt(txn, inv.id)
            .await?
            .and_then(|a| a.decline_code)
            .and_then(|c| DeclineCode::parse(&c).ok());
        self.queue_payment_failed(txn, ctx, inv, amount, customer, last_code)
            .await
    }

    /// The "payment failed" email about `inv`, with the bank's reason in the customer's
    /// language.
    async fn queue_payment_failed(
        &self,
        txn: &DatabaseTransaction,
        ctx: &OrgCtx,
        inv: &invoice::Model,
        amount: Money,
        customer: &customer::Model,
        code: Option<DeclineCode>,
    ) -> Result<(), BillingError> {
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = invoice_vars(inv, amount, &customer.locale);
        vars.remove("period_end");
        vars.insert(
            "decline_reason".into(),
            decline_reason(code, locale).to_owned(),
        );
        queue_customer_email(
            txn,
            &self.public_url,
            &ctx.org,
            customer,
            EmailKind::PaymentFailed,
            vars,
            ctx.now,
        )
        .await?;
        Ok(())
    }

    /// The `Cancel` final action: the subscription ends now for non-payment, and the
    /// customer is told (once: only the request that cancels it sends the email).
    async fn cancel_unpaid(
        &self,
        txn: &DatabaseTransaction,
        ctx: &OrgCtx,
        sub: &subscription::Model,
        customer: &customer::Model,
    ) -> Result<(), BillingError> {
        let canceled = set_subscription_status(ctx, sub, SubscriptionStatus::Canceled)
            .col_expr(subscription::Column::CanceledAt, Expr::value(Some(ctx.now)))
            .col_expr(
                subscription::Column::CancelReason,
                Expr::value(Some("payment_failed")),
            )
            .exec(txn)
            .await?;
        if canceled.rows_affected != 1 {
            return Ok(());
        }
        events::subscription_changed(txn, EventKind::SubscriptionCanceled, sub.id, ctx.now).await?;
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let mut vars = TemplateVars::new();
        vars.insert(
            "period_end".into(),
            format_date(ctx.now.date_naive(), locale),
        );
        queue_customer_email(
            txn,
            &self.public_url,
            &ctx.org,
            customer,
            EmailKind::SubscriptionCanceled,
            vars,
            ctx.now,
        )
        .await?;
        Ok(())
    }
}

/// How many of the invoice's recorded attempts were the customer's "Pay now", made after its
/// first failure (a press that was the first failure starts the schedule like any other).
pub(super) async fn pay_now_attempts(
    db: &impl sea_orm::ConnectionTrait,
    invoice_id: i64,
    first_failure: Option<DateTime<Utc>>,
) -> Result<u32, BillingError> {
    use sea_orm::PaginatorTrait;
    let Some(first_failure) = first_failure else {
        return Ok(0);
    };
    let n = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(invoice_id))
        .filter(payment_attempt::Column::CreatedAt.gt(first_failure))
        .filter(payment_attempt::Column::Trigger.eq(PaymentTrigger::PayNow.as_str()))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Inserts the attempt row; false when a row with the same key exists (someone else
/// recorded this attempt already, so this caller must not apply its effects again).
async fn insert_attempt(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    a: &AttemptRecord<'_>,
    outcome: AttemptOutcome,
    code: Option<DeclineCode>,
    reference: Option<&str>,
) -> Result<bool, BillingError> {
    let row = payment_attempt::ActiveModel {
        public_id: Set(PaymentAttemptId::from_random(random_bytes()).to_string()),
        organization_id: Set(ctx.org.id),
        invoice_id: Set(a.inv.id),
        payment_method_id: Set(a.method.map(|m| m.id)),
        amount_minor: Set(a.amount.amount_minor),
        currency: Set(a.amount.currency.code().to_owned()),
        outcome: Set(outcome.as_str().to_owned()),
        decline_code: Set(code.map(|c| c.as_str().to_owned())),
        idempotency_key: Set(a.key.to_owned()),
        trigger: Set(a.trigger.as_str().to_owned()),
        gateway_reference: Set(reference.map(str::to_owned)),
        created_at: Set(ctx.now),
        ..Default::default()
    };
    let result = payment_attempt::Entity::insert(row)
        .on_conflict(
            OnConflict::column(payment_attempt::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec_without_returning(txn)
        .await?;
    Ok(matches!(result, TryInsertResult::Inserted(n) if n > 0))
}

/// Closes a dunned invoice once retries run out: open (still owed, `MarkUnpaid`) or
/// uncollectible (`Cancel`), with no next attempt. Only an open invoice changes; the
/// answer says whether this one did.
async fn close_invoice(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    inv: &invoice::Model,
    first_failure: Option<DateTime<Utc>>,
    final_action: FinalAction,
) -> Result<bool, BillingError> {
    let invoice_status = match final_action {
        FinalAction::MarkUnpaid => InvoiceStatus::Open,
        FinalAction::Cancel => InvoiceStatus::Uncollectible,
    };
    let closed = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            Expr::value(invoice_status.as_str()),
        )
        .col_expr(
            invoice::Column::FirstFailureAt,
            Expr::value(first_failure.or(inv.first_failure_at)),
        )
        .col_expr(
            invoice::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
        .exec(txn)
        .await?;
    Ok(closed.rows_affected == 1)
}

/// The named write that moves a subscription that still bills, or awaits its first
/// payment (`incomplete`: its first charge failed), to `status` (a no-op on one that no
/// longer bills, so two requests cannot both act on it).
fn set_subscription_status(
    ctx: &OrgCtx,
    sub: &subscription::Model,
    status: SubscriptionStatus,
) -> sea_orm::UpdateMany<subscription::Entity> {
    let from: Vec<&str> = SubscriptionStatus::billing()
        .chain([SubscriptionStatus::Incomplete])
        .map(SubscriptionStatus::as_str)
        .collect();
    subscription::Entity::update_many()
        .col_expr(subscription::Column::Status, Expr::value(status.as_str()))
        .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(subscription::Column::Id.eq(sub.id))
        .filter(subscription::Column::Status.is_in(from))
}

/// After a failed attempt that is not the last: the invoice stays open, remembers when it
/// first failed and when to try next (`None`: when the customer adds a method).
async fn schedule_retry(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    inv: &invoice::Model,
    first_failure: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
) -> Result<(), BillingError> {
    invoice::Entity::update_many()
        .col_expr(
            invoice::Column::FirstFailureAt,
            Expr::value(Some(first_failure)),
        )
        .col_expr(invoice::Column::NextAttemptAt, Expr::value(next))
        .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}
