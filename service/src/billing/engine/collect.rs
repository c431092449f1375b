//! Collecting one invoice attempt: claim, charge, record. The only place money moves.

use super::{BillingEngine, OrgCtx, default_method};
use crate::billing::error::BillingError;
use crate::billing::gateway::{ChargeOutcome, GatewayError};
use crate::billing::templates::{TemplateVars, format_date};
use crate::entity::{invoice, payment_attempt, payment_method};
use chrono::TimeDelta;
use domain::{DeclineCode, InvoiceStatus, Locale, Money, PaymentTrigger};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// How long a claimed attempt without a recorded result belongs to its claimer. After
/// that it is presumed crashed and the next caller resumes it with the same key.
pub(super) const CLAIM_LEASE: TimeDelta = TimeDelta::minutes(2);

/// What to do with the claimed attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    /// Charge the current default method (a failure with no charge if there is none).
    Charge,
    /// Record a failed step without charging: the last decline was hard and the method
    /// has not changed, so a charge would certainly fail.
    Skip(Option<DeclineCode>),
}

/// How the attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collected {
    Paid,
    Failed {
        code: Option<DeclineCode>,
        skipped: bool,
        gave_up: bool,
    },
    /// Another caller holds the invoice's current attempt; nothing was done.
    Busy,
    /// The invoice is no longer open.
    NotOpen,
}

pub(crate) fn idempotency_key(invoice_public_id: &str, attempt: i32) -> String {
    format!("{invoice_public_id}-attempt-{attempt}")
}

pub(crate) fn invoice_amount(inv: &invoice::Model) -> Result<Money, BillingError> {
    crate::billing::stored_money(inv.total_minor, &inv.currency)
}

/// Whether the attempt numbered `n` of `inv` has a recorded result.
pub(crate) async fn attempt_recorded(
    db: &impl ConnectionTrait,
    inv: &invoice::Model,
    n: i32,
) -> Result<bool, BillingError> {
    Ok(payment_attempt::Entity::find()
        .filter(payment_attempt::Column::IdempotencyKey.eq(idempotency_key(&inv.public_id, n)))
        .one(db)
        .await?
        .is_some())
}

/// The most recent recorded attempt of an invoice.
pub(crate) async fn last_attempt(
    db: &impl ConnectionTrait,
    invoice_id: i64,
) -> Result<Option<payment_attempt::Model>, BillingError> {
    // An invoice has a handful of attempts: load them all and pick the newest here. With
    // `ORDER BY id DESC LIMIT 1` a planner without statistics (PostgreSQL before autovacuum
    // analyzes the table) walks the primary key backwards through every newer attempt of
    // the organization instead of using the index on `invoice_id`.
    Ok(payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(invoice_id))
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|a| a.id))
}

struct Claim {
    attempt: i32,
    /// A crashed attempt being resumed: always ask the gateway (it replays the key).
    resumed: bool,
}

impl BillingEngine {
    /// Claims the next attempt of an open invoice, or resumes a crashed one.
    async fn claim(
        &self,
        ctx: &OrgCtx,
        inv: &invoice::Model,
    ) -> Result<Option<Claim>, BillingError> {
        let n = inv.attempt_count;
        if n > 0 && !attempt_recorded(&self.db, inv, n).await? {
            if inv.updated_at + CLAIM_LEASE > ctx.now {
                return Ok(None); // in flight elsewhere
            }
            let won = invoice::Entity::update_many()
                .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
                .filter(invoice::Column::Id.eq(inv.id))
                .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
                .filter(invoice::Column::AttemptCount.eq(n))
                .filter(invoice::Column::UpdatedAt.lte(ctx.now - CLAIM_LEASE))
                .exec(&crate::db::writer(&self.db))
                .await?;
            tracing::warn!(invoice = %inv.public_id, attempt = n, "resuming an attempt left without a result");
            return Ok((won.rows_affected == 1).then_some(Claim {
                attempt: n,
                resumed: true,
            }));
        }
        let won = invoice::Entity::update_many()
            .col_expr(invoice::Column::AttemptCount, Expr::value(n + 1))
            .col_expr(invoice::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(invoice::Column::Id.eq(inv.id))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Open.as_str()))
            .filter(invoice::Column::AttemptCount.eq(n))
            .exec(&crate::db::writer(&self.db))
            .await?;
        Ok((won.rows_affected == 1).then_some(Claim {
            attempt: n + 1,
            resumed: false,
        }))
    }

    /// Claims, charges and records one attempt of invoice `invoice_id`.
    pub(crate) async fn collect(
        &self,
        ctx: &OrgCtx,
        invoice_id: i64,
        trigger: PaymentTrigger,
        step: Step,
    ) -> Result<Collected, BillingError> {
        let Some(inv) = invoice::Entity::find_by_id(invoice_id)
            .one(&self.db)
            .await?
        else {
            return Ok(Collected::NotOpen);
        };
        if inv.status != InvoiceStatus::Open.as_str() {
            return Ok(Collected::NotOpen);
        }
        let amount = invoice_amount(&inv)?;
        let method = default_method(&self.db, inv.customer_id).await?;
        let Some(claim) = self.claim(ctx, &inv).await? else {
            return Ok(Collected::Busy);
        };
        let key = idempotency_key(&inv.public_id, claim.attempt);
        let step = if claim.resumed { Step::Charge } else { step };
        let attempt = AttemptRecord {
            inv: &inv,
            attempt: claim.attempt,
            amount,
            key: &key,
            trigger,
            method: method.as_ref(),
        };
        match (step, method.as_ref()) {
            (Step::Charge, Some(pm)) => {
                let today = ctx.now.date_naive();
                match self
                    .gateway
                    .charge(&pm.gateway_token, amount, &key, today)
                    .await
                {
                    Ok(ChargeOutcome::Succeeded { reference }) => {
                        self.record_success(ctx, &attempt, &reference).await
                    }
                    Ok(ChargeOutcome::Declined { code, reference }) => {
                        self.record_failure(ctx, &attempt, Some(code), Some(&reference), false)
                            .await
                    }
                    Err(GatewayError::Unavailable(why)) => {
                        // The claim stays without a result: after the lease, the next caller
                        // resumes it with the same key, so a charge that did go through is
                        // replayed, not repeated.
                        tracing::warn!(invoice = %inv.public_id, error = %why, "gateway unavailable; the attempt will be resumed");
                        Err(BillingError::Gateway(GatewayError::Unavailable(why)))
                    }
                    Err(err) => {
                        tracing::error!(invoice = %inv.public_id, error = %err, "gateway refused the charge request");
                        self.record_failure(
                            ctx,
                            &attempt,
                            Some(DeclineCode::ProcessingError),
                            None,
                            false,
                        )
                        .await
                    }
                }
            }
            (Step::Charge, None) => self.record_failure(ctx, &attempt, None, None, false).await,
            (Step::Skip(code), _) => self.record_failure(ctx, &attempt, code, None, true).await,
        }
    }
}

/// What is recorded for one attempt.
pub(super) struct AttemptRecord<'a> {
    pub(super) inv: &'a invoice::Model,
    pub(super) attempt: i32,
    pub(super) amount: Money,
    pub(super) key: &'a str,
    pub(super) trigger: PaymentTrigger,
    pub(super) method: Option<&'a payment_method::Model>,
}

/// The invoice variables of an email: number, amount (in the customer's locale), period end.
pub(crate) fn invoice_vars(inv: &invoice::Model, amount: Money, locale: &str) -> TemplateVars {
    let locale = Locale::parse(locale).unwrap_or_default();
    let mut vars = TemplateVars::new();
    vars.insert("invoice_number".into(), inv.number.clone());
    vars.insert("amount_due".into(), amount.format(locale));
    vars.insert(
        "period_end".into(),
        format_date(inv.period_end.date_naive(), locale),
    );
    vars
}
