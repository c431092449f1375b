//! "Pay now": a customer charging one open invoice from the portal, with a saved method.
//! The charge is the usual claimed attempt (`collect`), so two presses charge once.

use super::BillingEngine;
use super::collect::{Collected, Step, invoice_amount, last_attempt};
use super::default_method;
use super::recovery::{RecoveryOutcome, RecoveryResult};
use crate::billing::error::BillingError;
use crate::billing::gateway::GatewayError;
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
    /// default becomes it first, through the same path as the payment-methods page: like any
    /// new default it retries the customer's past-due invoices at once (instant recovery),
    /// this one among them. Refused, with nothing charged, when the invoice is not open or
    /// `domain::check_pay_now` says the method must not be tried again yet.
    #[instrument(skip(self))]
    pub async fn pay_invoice(
        &self,
        org_id: i64,
        customer_id: i64,
        invoice_public_id: &str,
        method: Option<&str>,
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
        let last = last_attempt(&self.db, inv.id).await?;
        check_pay_now(last.as_ref().map(as_pay_now_attempt), pm.id, ctx.now)?;
        let outcome = |result| -> Result<RecoveryOutcome, BillingError> {
            Ok(RecoveryOutcome {
                invoice_id: inv.public_id.clone(),
                invoice_number: inv.number.clone(),
                amount: invoice_amount(&inv)?,
                result,
            })
        };
        if default.as_ref().map(|d| d.id) != Some(pm.id) {
            let retried = self
                .set_default_payment_method(org_id, customer_id, &pm.public_id)
                .await?;
            if let Some(this) = retried.into_iter().find(|o| o.invoice_id == inv.public_id) {
                return Ok(this);
            }
            // Not retried by the recovery (it was charged meanwhile, or is in flight):
            // the charge below says which.
        }
        let result = match self
            .collect(&ctx, inv.id, PaymentTrigger::PayNow, Step::Charge)
            .await
        {
            Ok(Collected::Paid) => RecoveryResult::Paid,
            Ok(Collected::Failed { code, .. }) => RecoveryResult::Declined(code),
            Ok(Collected::Busy) | Err(BillingError::Gateway(GatewayError::Unavailable(_))) => {
                RecoveryResult::Pending
            }
            Ok(Collected::NotOpen) => return Err(BillingError::InvoiceNotOpen),
            Err(err) => return Err(err),
        };
        outcome(result)
    }
}
