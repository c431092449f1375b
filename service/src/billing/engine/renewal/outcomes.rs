//! Steps 2 and 3 of a renewal batch: charge every invoice's attempt 1 in one gateway call,
//! then record every result in one transaction. Each result starts with its attempt row,
//! inserted under its unique idempotency key; a result whose row already exists was
//! recorded by someone else and is not applied again.

use super::{Renewing, first_attempt_key};
use crate::billing::engine::collect::invoice_vars;
use crate::billing::engine::report::RunReport;
use crate::billing::engine::{BillingEngine, OrgCtx};
use crate::billing::error::BillingError;
use crate::billing::gateway::{ChargeOutcome, ChargeRequest, GatewayError};
use crate::billing::outbox::{Mailroom, queue_emails};
use crate::billing::templates::{EmailKind, decline_reason};
use crate::db::unindexed;
use crate::entity::{invoice, payment_attempt, subscription};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{
    AfterFailure, AttemptOutcome, DeclineCode, EventKind, InvoiceStatus, Locale, PaymentAttemptId,
    PaymentTrigger, SubscriptionStatus, after_failure,
};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How a renewal's charge ended.
enum Outcome {
    Paid {
        reference: String,
    },
    Failed {
        code: Option<DeclineCode>,
        reference: Option<String>,
    },
}

/// Failed invoices by (first failure, next attempt): one UPDATE per distinct pair.
type Schedule = BTreeMap<(DateTime<Utc>, Option<DateTime<Utc>>), Vec<i64>>;

/// One result to record.
struct Charged<'a> {
    renewal: &'a Renewing,
    key: String,
    outcome: Outcome,
}

impl BillingEngine {
    /// Steps 2 and 3.
    pub(super) async fn charge_renewals(
        &self,
        ctx: &OrgCtx,
        mail: &Mailroom,
        renewing: Vec<Renewing>,
        renewed: &mut HashSet<i64>,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let today = ctx.now.date_naive();
        let keys: Vec<String> = renewing.iter().map(|r| first_attempt_key(&r.inv)).collect();
        let requests: Vec<ChargeRequest<'_>> = renewing
            .iter()
            .zip(&keys)
            .filter_map(|(r, key)| {
                r.method.as_ref().map(|pm| ChargeRequest {
                    token: &pm.gateway_token,
                    amount: r.amount,
                    idempotency_key: key,
                    today,
                })
            })
            .collect();
        let mut answers = self.gateway.charge_many(&requests).await.into_iter();
        let mut results = Vec::with_capacity(renewing.len());
        for (renewal, key) in renewing.iter().zip(keys) {
            let outcome = match renewal.method {
                None => Outcome::Failed {
                    code: None,
                    reference: None,
                },
                Some(_) => match answers.next() {
                    Some(Ok(ChargeOutcome::Succeeded { reference })) => Outcome::Paid { reference },
                    Some(Ok(ChargeOutcome::Declined { code, reference })) => Outcome::Failed {
                        code: Some(code),
                        reference: Some(reference),
                    },
                    Some(Err(GatewayError::Unavailable(why))) => {
                        // The claim stays without a result: after the lease, the next caller
                        // resumes it with the same key, so a charge that did go through is
                        // replayed, not repeated.
                        tracing::warn!(invoice = %renewal.inv.public_id, error = %why, "gateway unavailable; the attempt will be resumed");
                        report.errors += 1;
                        continue;
                    }
                    Some(Err(err)) => {
                        tracing::error!(invoice = %renewal.inv.public_id, error = %err, "gateway refused the charge request");
                        Outcome::Failed {
                            code: Some(DeclineCode::ProcessingError),
                            reference: None,
                        }
                    }
                    None => {
                        tracing::error!(invoice = %renewal.inv.public_id, "gateway returned fewer results than charges; the attempt will be resumed");
                        report.errors += 1;
                        continue;
                    }
                },
            };
            results.push(Charged {
                renewal,
                key,
                outcome,
            });
        }
        self.record_renewals(ctx, mail, results, renewed, report)
            .await
    }

    /// Step 3: one transaction for every result of the batch.
    async fn record_renewals(
        &self,
        ctx: &OrgCtx,
        mail: &Mailroom,
        results: Vec<Charged<'_>>,
        renewed: &mut HashSet<i64>,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let txn = crate::db::begin_write(&self.db).await?;
        let inserted = insert_attempts(&txn, ctx, &results).await?;
        let (paid, failed): (Vec<_>, Vec<_>) = results
            .into_iter()
            .filter(|r| inserted.contains(&r.key))
            .partition(|r| matches!(r.outcome, Outcome::Paid { .. }));
        let mut local = RunReport::default();
        let mut emails = Vec::with_capacity(paid.len() + failed.len());
        if !paid.is_empty() {
            mark_paid(&txn, ctx, &paid).await?;
            let ids = paid.iter().map(|r| r.renewal.inv.id).collect();
            crate::events::invoices_changed(&txn, EventKind::InvoicePaid, ids, ctx.now).await?;
            for r in &paid {
                let inv = &r.renewal.inv;
                let vars = invoice_vars(inv, r.renewal.amount, &r.renewal.customer.locale);
                emails.push(mail.email(&r.renewal.customer, EmailKind::PaymentSucceeded, vars)?);
                if let Some(sub_id) = inv.subscription_id.filter(|_| inv.period_end <= ctx.now) {
                    renewed.insert(sub_id);
                }
                tracing::debug!(invoice = %inv.public_id, trigger = PaymentTrigger::Renewal.as_str(), "invoice paid");
                local.payments_succeeded += 1;
            }
        }
        if !failed.is_empty() {
            let sub_ids = failed
                .iter()
                .filter_map(|r| r.renewal.inv.subscription_id)
                .collect();
            let subs = subscriptions(&txn, sub_ids).await?;
            let mut schedule = Schedule::new();
            let mut past_due = Vec::new();
            // Active until this failure: they go past due now (the app may restrict access).
            let mut newly_past_due = Vec::new();
            for r in &failed {
                let inv = &r.renewal.inv;
                let Outcome::Failed { code, .. } = r.outcome else {
                    continue;
                };
                local.payments_failed += 1;
                let sub = inv.subscription_id.and_then(|id| subs.get(&id));
                let sub_status = sub
                    .map(|s| SubscriptionStatus::parse(&s.status))
                    .transpose()
                    .map_err(|e| BillingError::corrupt("subscriptions", e))?;
                let first_failure = inv.first_failure_at.unwrap_or(ctx.now);
                // Every attempt before a success is a failure, the claimed one included.
                let failed_attempts =
                    u32::try_from(Ord::max(inv.attempt_count, 1)).unwrap_or(u32::MAX);
                let next =
                    match after_failure(sub_status, first_failure, failed_attempts, &ctx.policy) {
                        AfterFailure::RetryAt(due) => Some(due),
                        AfterFailure::AwaitNewMethod => None,
                        AfterFailure::GiveUp => {
                            self.give_up(
                                &txn,
                                ctx,
                                inv,
                                sub,
                                &r.renewal.customer,
                                Some(first_failure),
                            )
                            .await?;
                            local.gave_up += 1;
                            continue;
                        }
                    };
                schedule
                    .entry((first_failure, next))
                    .or_default()
                    .push(inv.id);
                if let (Some(sub), Some(SubscriptionStatus::Active | SubscriptionStatus::PastDue)) =
                    (sub, sub_status)
                {
                    past_due.push(sub.id);
                    if sub_status == Some(SubscriptionStatus::Active) {
                        newly_past_due.push(sub.id);
                    }
                }
                let customer = &r.renewal.customer;
                let locale = Locale::parse(&customer.locale).unwrap_or_default();
                let mut vars = invoice_vars(inv, r.renewal.amount, &customer.locale);
                vars.insert(
                    "decline_reason".into(),
                    decline_reason(code, locale).to_owned(),
                );
                vars.remove("period_end");
                emails.push(mail.email(customer, EmailKind::PaymentFailed, vars)?);
                tracing::info!(
                    invoice = %inv.public_id,
                    trigger = PaymentTrigger::Renewal.as_str(),
                    decline = code.map(DeclineCode::as_str),
                    skipped = false,
                    "invoice attempt failed"
                );
            }
            reschedule(&txn, ctx, schedule, past_due).await?;
            let ids = failed.iter().map(|r| r.renewal.inv.id).collect();
            crate::events::invoices_changed(&txn, EventKind::InvoicePaymentFailed, ids, ctx.now)
                .await?;
            crate::events::subscriptions_changed(
                &txn,
                EventKind::SubscriptionPastDue,
                newly_past_due,
                ctx.now,
            )
            .await?;
        }
        queue_emails(&txn, emails, ctx.now).await?;
        txn.commit().await?;
        *report += local;
        Ok(())
    }
}

/// Inserts the attempt rows; returns the keys actually inserted (a key already present
/// means another caller recorded that attempt, and its effects must not be applied twice).
async fn insert_attempts(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    results: &[Charged<'_>],
) -> Result<HashSet<String>, BillingError> {
    let rows: Vec<payment_attempt::ActiveModel> = results
        .iter()
        .map(|r| {
            let (outcome, code, reference) = match &r.outcome {
                Outcome::Paid { reference } => {
                    (AttemptOutcome::Succeeded, None, Some(reference.clone()))
                }
                Outcome::Failed { code, reference } => {
                    (AttemptOutcome::Failed, *code, reference.clone())
                }
            };
            payment_attempt::ActiveModel {
                public_id: Set(PaymentAttemptId::from_random(random_bytes()).to_string()),
                organization_id: Set(ctx.org.id),
                invoice_id: Set(r.renewal.inv.id),
                payment_method_id: Set(r.renewal.method.as_ref().map(|m| m.id)),
                amount_minor: Set(r.renewal.amount.amount_minor),
                currency: Set(r.renewal.amount.currency.code().to_owned()),
                outcome: Set(outcome.as_str().to_owned()),
                decline_code: Set(code.map(|c| c.as_str().to_owned())),
                idempotency_key: Set(r.key.clone()),
                trigger: Set(PaymentTrigger::Renewal.as_str().to_owned()),
                gateway_reference: Set(reference),
                created_at: Set(ctx.now),
                ..Default::default()
            }
        })
        .collect();
    let mut inserted = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(crate::db::MAX_BIND_PARAMS / 16) {
        let keys: Vec<String> = payment_attempt::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(payment_attempt::Column::IdempotencyKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_with_returning(txn)
            .await?
            .into_iter()
            .map(|a| a.idempotency_key)
            .collect();
        inserted.extend(keys);
    }
    Ok(inserted)
}

/// Marks the invoices paid and moves each subscription to its paid invoice's period.
async fn mark_paid(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    paid: &[Charged<'_>],
) -> Result<(), BillingError> {
    let ids: Vec<i64> = paid.iter().map(|r| r.renewal.inv.id).collect();
    let closed: Vec<String> = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::PublicId)
        .filter(invoice::Column::Id.is_in(ids.iter().copied()))
        .filter(unindexed(invoice::Column::Status).ne(InvoiceStatus::Open.as_str()))
        .into_tuple()
        .all(txn)
        .await?;
    for public_id in closed {
        // Money moved on an invoice someone voided meanwhile: keep the attempt, flag it.
        tracing::error!(invoice = %public_id, "charge succeeded on an invoice that is no longer open; refund needed");
    }
    invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            Expr::value(InvoiceStatus::Paid.as_str()),
        )
        .col_expr(
            invoice::Column::AmountPaidMinor,
            Expr::col(invoice::Column::TotalMinor),
        )
        .col_expr(invoice::Column::PaidAt, Expr::value(Some(ctx.now)))
        .col_expr(
            invoice::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(invoice::Column::Id.is_in(ids.iter().copied()))
        .filter(unindexed(invoice::Column::Status).eq(InvoiceStatus::Open.as_str()))
        .exec(txn)
        .await?;
    // The paid invoice's period becomes the subscription's period. Monotone, so a late
    // success for an old period never moves a subscription backwards. One statement for
    // the batch: `UPDATE subscriptions … FROM invoices` (PostgreSQL, SQLite 3.33+).
    let sub = |c: subscription::Column| Expr::col((subscription::Entity, c));
    let inv = |c: invoice::Column| Expr::col((invoice::Entity, c));
    let update = Query::update()
        .table(subscription::Entity)
        .value(
            subscription::Column::Status,
            SubscriptionStatus::Active.as_str(),
        )
        .value(
            subscription::Column::CurrentPeriodStart,
            inv(invoice::Column::PeriodStart),
        )
        .value(
            subscription::Column::CurrentPeriodEnd,
            inv(invoice::Column::PeriodEnd),
        )
        .value(subscription::Column::UpdatedAt, ctx.now)
        .from(invoice::Entity)
        .and_where(inv(invoice::Column::Id).is_in(ids))
        .and_where(
            sub(subscription::Column::Id)
                .equals((invoice::Entity, invoice::Column::SubscriptionId)),
        )
        .and_where(sub(subscription::Column::Status).ne(SubscriptionStatus::Canceled.as_str()))
        .and_where(sub(subscription::Column::CurrentPeriodEnd).lte(inv(invoice::Column::PeriodEnd)))
        .to_owned();
    txn.execute(&update).await?;
    Ok(())
}

/// The subscriptions `ids`, read inside the recording transaction.
async fn subscriptions(
    txn: &DatabaseTransaction,
    ids: HashSet<i64>,
) -> Result<HashMap<i64, subscription::Model>, BillingError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(subscription::Entity::find()
        .filter(subscription::Column::Id.is_in(ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// Schedules the retries (one UPDATE per distinct schedule, usually one per batch) and
/// marks the subscriptions past due.
async fn reschedule(
    txn: &DatabaseTransaction,
    ctx: &OrgCtx,
    schedule: Schedule,
    past_due: Vec<i64>,
) -> Result<(), BillingError> {
    for ((first_failure, next), ids) in schedule {
        invoice::Entity::update_many()
            .col_expr(
                invoice::Column::FirstFailureAt,
                Expr::value(Some(first_failure)),
            )
            .col_expr(invoice::Column::NextAttemptAt, Expr::value(next))
            .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(invoice::Column::Id.is_in(ids))
            .filter(unindexed(invoice::Column::Status).eq(InvoiceStatus::Open.as_str()))
            .exec(txn)
            .await?;
    }
    if !past_due.is_empty() {
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::Status,
                Expr::value(SubscriptionStatus::PastDue.as_str()),
            )
            .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(subscription::Column::Id.is_in(past_due))
            .filter(subscription::Column::Status.is_in([
                SubscriptionStatus::Active.as_str(),
                SubscriptionStatus::PastDue.as_str(),
            ]))
            .exec(txn)
            .await?;
    }
    Ok(())
}
