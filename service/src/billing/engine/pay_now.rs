//! "Pay now": a customer charging one open invoice from the portal, with a saved method.
//! The charge is the usual claimed attempt (`collect`), so two presses charge once, and it
//! is always recorded as `PaymentTrigger::PayNow`, which the dunning schedule leaves out.

use super::BillingEngine;
use super::collect::{Step, invoice_amount};
use super::default_method;
use super::recovery::{RecoveryOutcome, make_default_announced, recovery_result};
use crate::billing::error::BillingError;
use crate::entity::{invoice, payment_attempt, payment_method};
use domain::{
    AttemptOutcome, DeclineCode, InvoiceStatus, PayNowAttempt, PaymentTrigger, check_pay_now,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tracing::instrument;

/// The attempt as `domain::check_pay_now` reads it.
fn as_pay_now_attempt(a: &payment_attempt::Model) -> PayNowAttempt {
    PayNowAttempt {
        method_id: a.payment_method_id,
        decline: a
            .decline_code
            .as_deref()
            .and_then(|c| DeclineCode::parse(c).ok()),
        failed: a.outcome != AttemptOutcome::Succeeded.as_str(),
        at: a.created_at,
    }
}

impl BillingEngine {
    /// Charges the customer's open invoice `invoice_public_id` once, now, with the saved
    /// method `method` (a `pm_…` id) or, without one, the default. A method that is not the
    /// default becomes it first (only when `may_change_default`; else `DefaultLocked`), with
    /// no retry of anything else: the charge is this invoice's alone, recorded as the
    /// customer's "Pay now", so it never uses up the merchant's retries. Refused, with
    /// nothing charged, when the invoice is not open or `domain::check_pay_now` says this
    /// method must not be tried on it again yet.
    #[instrument(skip(self))]
    pub async fn pay_invoice(
        &self,
        org_id: i64,
        customer_id: i64,
        invoice_public_id: &str,
        method: Option<&str>,
        may_change_default: bool,
    ) -> Result<RecoveryOutcome, BillingError> {
        let ctx = self.org_ctx(org_id).await?;
        let customer = self.customer_of(&ctx, customer_id).await?;
        let inv = invoice::Entity::find()
            .filter(invoice::Column::PublicId.eq(invoice_public_id))
            .filter(invoice::Column::OrganizationId.eq(ctx.org.id))
            .filter(invoice::Column::CustomerId.eq(customer.id))
            .filter(invoice::Column::Status.ne("draft"))
            .one(&self.db)
            .await?
            .ok_or(BillingError::UnknownInvoice)?;
        if inv.status != InvoiceStatus::Open.as_str() {
            return Err(BillingError::InvoiceNotOpen);
        }
        let default = default_method(&self.db, customer.id).await?;
        let pm = match method {
            Some(public_id) => {
                let pm = payment_method::Entity::find()
                    .filter(payment_method::Column::PublicId.eq(public_id))
                    .filter(payment_method::Column::OrganizationId.eq(ctx.org.id))
                    .filter(payment_method::Column::RemovedAt.is_null())
                    .one(&self.db)
                    .await?
                    .ok_or(BillingError::UnknownPaymentMethod)?;
                if pm.customer_id != customer.id {
                    return Err(BillingError::NotYourPaymentMethod);
                }
                pm
            }
            None => default.clone().ok_or(BillingError::NoPaymentMethod)?,
        };
        let is_default = default.as_ref().map(|d| d.id) == Some(pm.id);
        if !is_default && !may_change_default {
            return Err(BillingError::DefaultLocked);
        }
        // This method's own last charge on this invoice: trying another card in between
        // does not lift its rest, nor a refusal for good.
        let last = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::InvoiceId.eq(inv.id))
            .filter(payment_attempt::Column::PaymentMethodId.eq(pm.id))
            .all(&self.db)
            .await?
            .into_iter()
            .max_by_key(|a| a.id);
        check_pay_now(last.as_ref().map(as_pay_now_attempt), pm.id, ctx.now)?;
        if !is_default {
            let txn = crate::db::begin_write(&self.db).await?;
            make_default_announced(&txn, customer.id, pm.id, ctx.now).await?;
            txn.commit().await?;
        }
        let collected = self
            .collect(&ctx, inv.id, PaymentTrigger::PayNow, Step::Charge)
            .await;
        let result = recovery_result(collected)?.ok_or(BillingError::InvoiceNotOpen)?;
        Ok(RecoveryOutcome {
            invoice_id: inv.public_id.clone(),
            invoice_number: inv.number.clone(),
            amount: invoice_amount(&inv)?,
            result,
        })
    }
}
