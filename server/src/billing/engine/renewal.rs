//! Renewals: an active subscription whose period has ended gets an invoice and a charge.

use super::collect::{Collected, Step};
use super::{BATCH, BillingEngine, OrgCtx, load_customer};
use crate::billing::error::BillingError;
use crate::billing::outbox::queue_customer_email;
use crate::billing::templates::{EmailKind, TemplateVars, format_date};
use crate::entity::{invoice, invoice_line, organization, plan, subscription};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{
    BillingInterval, Currency, InvoiceId, InvoiceLine, InvoiceNumber, InvoiceStatus, InvoiceTotals,
    Locale, Money, PaymentTrigger, SubscriptionStatus, invoice_prefix_from_slug,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::HashSet;

use super::report::RunReport;

impl BillingEngine {
    /// Every active subscription due at the organization's now, oldest period end first.
    pub(crate) async fn run_renewals(
        &self,
        ctx: &OrgCtx,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let mut seen = HashSet::new();
        let mut cursor: Option<(DateTime<Utc>, i64)> = None;
        loop {
            let mut query = subscription::Entity::find()
                .filter(subscription::Column::OrganizationId.eq(ctx.org.id))
                .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
                .filter(subscription::Column::CurrentPeriodEnd.lte(ctx.now));
            if let Some((end, id)) = cursor {
                query = query.filter(
                    Condition::any()
                        .add(subscription::Column::CurrentPeriodEnd.gt(end))
                        .add(
                            Condition::all()
                                .add(subscription::Column::CurrentPeriodEnd.eq(end))
                                .add(subscription::Column::Id.gt(id)),
                        ),
                );
            }
            let batch = query
                .order_by_asc(subscription::Column::CurrentPeriodEnd)
                .order_by_asc(subscription::Column::Id)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            let Some(last) = batch.last() else { break };
            cursor = Some((last.current_period_end, last.id));
            for sub in batch {
                // One renewal per subscription per run, even if the new period is also over.
                if !seen.insert(sub.id) {
                    continue;
                }
                let public_id = sub.public_id.clone();
                if let Err(err) = self.renew(ctx, sub, report).await {
                    tracing::error!(subscription = %public_id, error = %err, "renewal failed");
                    report.errors += 1;
                }
            }
        }
        Ok(())
    }

    async fn renew(
        &self,
        ctx: &OrgCtx,
        sub: subscription::Model,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        if sub.cancel_at_period_end {
            return self.cancel_at_period_end(ctx, &sub, report).await;
        }
        let Some(invoice_id) = self.renewal_invoice(ctx, &sub).await? else {
            return Ok(());
        };
        report.renewals += 1;
        match self
            .collect(ctx, invoice_id, PaymentTrigger::Renewal, Step::Charge)
            .await?
        {
            Collected::Paid => report.payments_succeeded += 1,
            Collected::Failed { gave_up, .. } => {
                report.payments_failed += 1;
                report.gave_up += u32::from(gave_up);
            }
            Collected::Busy | Collected::NotOpen => {}
        }
        Ok(())
    }

    async fn cancel_at_period_end(
        &self,
        ctx: &OrgCtx,
        sub: &subscription::Model,
        report: &mut RunReport,
    ) -> Result<(), BillingError> {
        let txn = self.db.begin().await?;
        let canceled = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::Status,
                Expr::value(SubscriptionStatus::Canceled.as_str()),
            )
            .col_expr(subscription::Column::CanceledAt, Expr::value(Some(ctx.now)))
            .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(subscription::Column::Id.eq(sub.id))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
            .filter(subscription::Column::CancelAtPeriodEnd.eq(true))
            .exec(&txn)
            .await?;
        if canceled.rows_affected == 1 {
            let customer = load_customer(&txn, sub.customer_id).await?;
            let locale = Locale::parse(&customer.locale).unwrap_or_default();
            let mut vars = TemplateVars::new();
            vars.insert(
                "period_end".into(),
                format_date(sub.current_period_end.date_naive(), locale),
            );
            queue_customer_email(
                &txn,
                &self.public_url,
                &ctx.org,
                &customer,
                EmailKind::SubscriptionCanceled,
                vars,
                ctx.now,
            )
            .await?;
            report.canceled += 1;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Creates the renewal invoice of `sub`'s next period (or finds the one a crashed run
    /// created) in one transaction, with its line and the "invoice created" email.
    /// `None` when there is nothing to charge.
    async fn renewal_invoice(
        &self,
        ctx: &OrgCtx,
        sub: &subscription::Model,
    ) -> Result<Option<i64>, BillingError> {
        let txn = self.db.begin().await?;
        // Written first: it locks the subscription row, so two engines renewing the same
        // subscription take turns and the second sees the first's invoice below.
        let locked = subscription::Entity::update_many()
            .col_expr(subscription::Column::UpdatedAt, Expr::value(ctx.now))
            .filter(subscription::Column::Id.eq(sub.id))
            .filter(subscription::Column::Status.eq(SubscriptionStatus::Active.as_str()))
            .filter(subscription::Column::CurrentPeriodEnd.lte(ctx.now))
            .filter(subscription::Column::CancelAtPeriodEnd.eq(false))
            .exec(&txn)
            .await?;
        if locked.rows_affected != 1 {
            return Ok(None);
        }
        let sub = subscription::Entity::find_by_id(sub.id)
            .one(&txn)
            .await?
            .ok_or(BillingError::UnknownCustomer)?;
        let existing = invoice::Entity::find()
            .filter(invoice::Column::SubscriptionId.eq(sub.id))
            .filter(invoice::Column::PeriodStart.gte(sub.current_period_end))
            .order_by_desc(invoice::Column::Id)
            .one(&txn)
            .await?;
        if let Some(existing) = existing {
            txn.commit().await?;
            // Created by a run that stopped before charging: charge it now. Anything else
            // (already paid or failed) is handled by the success/dunning paths.
            let unattempted = existing.status == InvoiceStatus::Open.as_str()
                && existing.first_failure_at.is_none();
            return Ok(unattempted.then_some(existing.id));
        }
        let plan = plan::Entity::find_by_id(sub.plan_id)
            .one(&txn)
            .await?
            .ok_or(BillingError::InvalidAmount)?;
        let currency =
            Currency::parse(&plan.currency).map_err(|e| BillingError::corrupt("plans", e))?;
        let interval = BillingInterval::parse(&plan.interval)
            .map_err(|e| BillingError::corrupt("plans", e))?;
        let period_start = sub.current_period_end;
        let period_end = interval.advance(period_start);
        let customer = load_customer(&txn, sub.customer_id).await?;
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        let line = InvoiceLine {
            description: format!(
                "{} ({} – {})",
                plan.name,
                format_date(period_start.date_naive(), locale),
                format_date(period_end.date_naive(), locale)
            ),
            quantity: 1,
            unit: Money::new(plan.amount_minor, currency),
        };
        let totals = InvoiceTotals::compute(std::slice::from_ref(&line))?;
        if !totals.total.is_positive() {
            return Err(BillingError::InvalidAmount);
        }
        let number = next_invoice_number(&txn, &ctx.org).await?;
        let inv = invoice::ActiveModel {
            public_id: Set(InvoiceId::from_random(random_bytes()).to_string()),
            organization_id: Set(ctx.org.id),
            customer_id: Set(customer.id),
            subscription_id: Set(Some(sub.id)),
            number: Set(number),
            status: Set(InvoiceStatus::Open.as_str().to_owned()),
            currency: Set(currency.code().to_owned()),
            subtotal_minor: Set(totals.subtotal.amount_minor),
            total_minor: Set(totals.total.amount_minor),
            amount_paid_minor: Set(0),
            attempt_count: Set(0),
            first_failure_at: Set(None),
            next_attempt_at: Set(None),
            period_start: Set(period_start),
            period_end: Set(period_end),
            paid_at: Set(None),
            created_at: Set(ctx.now),
            updated_at: Set(ctx.now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        invoice_line::ActiveModel {
            invoice_id: Set(inv.id),
            description: Set(line.description.clone()),
            quantity: Set(i32::try_from(line.quantity).map_err(|_| BillingError::InvalidAmount)?),
            unit_amount_minor: Set(line.unit.amount_minor),
            amount_minor: Set(line.amount()?.amount_minor),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let vars = super::collect::invoice_vars(&inv, totals.total, &customer.locale);
        queue_customer_email(
            &txn,
            &self.public_url,
            &ctx.org,
            &customer,
            EmailKind::InvoiceCreated,
            vars,
            ctx.now,
        )
        .await?;
        txn.commit().await?;
        tracing::debug!(invoice = %inv.public_id, number = %inv.number, "renewal invoice created");
        Ok(Some(inv.id))
    }
}

/// Takes the organization's next invoice number. The sequence is advanced with a
/// conditional UPDATE inside the invoice's transaction, so numbers are gapless (a rolled
/// back invoice gives its number back) and never shared by two invoices.
async fn next_invoice_number(
    txn: &DatabaseTransaction,
    org: &organization::Model,
) -> Result<String, BillingError> {
    let prefix = invoice_prefix_from_slug(&org.slug);
    for _ in 0..20 {
        let current = organization::Entity::find_by_id(org.id)
            .one(txn)
            .await?
            .ok_or(BillingError::UnknownOrganization)?
            .next_invoice_seq;
        let taken = organization::Entity::update_many()
            .col_expr(
                organization::Column::NextInvoiceSeq,
                Expr::value(current + 1),
            )
            .filter(organization::Column::Id.eq(org.id))
            .filter(organization::Column::NextInvoiceSeq.eq(current))
            .exec(txn)
            .await?;
        if taken.rows_affected == 1 {
            let seq = u64::try_from(current)
                .map_err(|_| BillingError::corrupt("organizations", "negative invoice sequence"))?;
            return Ok(InvoiceNumber::format(&prefix, seq));
        }
    }
    Err(BillingError::Db(sea_orm::DbErr::Custom(
        "invoice number sequence is contended".into(),
    )))
}
