//! "Pay now": one open invoice, the saved methods to pay it with, and the charge's outcome
//! read back from its attempt. The charge itself is the engine's (`BillingEngine::pay_invoice`).
use super::account::own_invoice;
use super::methods::{RECOVERY_WINDOW, recovery_view, saved_methods};
use super::{PortalError, PortalService};
use crate::billing::{BillingError, RecoveryOutcome, RecoveryResult, stored_money};
use crate::entity::{customer, invoice, payment_attempt};
use crate::portal::PortalCustomer;
use chrono::{DateTime, Utc};
use domain::{DeclineCode, InvoiceStatus, PaymentTrigger, PortalPermission};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use wire::portal::{InvoiceView, PayStarted, PayView, RecoveryView};

/// The latest charge of `inv` made from the portal ("Pay now", or the retry a new default
/// method made) since `since`.
async fn last_try(
    db: &impl ConnectionTrait,
    inv: &invoice::Model,
    since: DateTime<Utc>,
) -> Result<Option<RecoveryView>, PortalError> {
    let latest = payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(inv.id))
        .filter(payment_attempt::Column::CreatedAt.gte(since))
        .filter(payment_attempt::Column::Trigger.is_in([
            PaymentTrigger::PayNow.as_str(),
            PaymentTrigger::PaymentMethodUpdate.as_str(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|a| a.id);
    latest.map(|a| recovery_view(inv, &a)).transpose()
}

impl PortalService {
    /// The audit log's row for one "Pay now" (Console → Audit log): the customer, the
    /// invoice and how the charge ended.
    async fn audit_pay_now(
        &self,
        who: &PortalCustomer,
        outcome: &RecoveryOutcome,
    ) -> Result<(), PortalError> {
        let customer = customer::Entity::find_by_id(who.customer_id())
            .one(&self.db)
            .await?
            .ok_or(PortalError::NotFound)?;
        let (result, decline_code) = match outcome.result {
            RecoveryResult::Paid => ("paid", None),
            RecoveryResult::Declined(code) => ("declined", code.map(DeclineCode::as_str)),
            RecoveryResult::Pending => ("pending", None),
        };
        let details = serde_json::json!({
            "customer": customer.public_id,
            "invoice": outcome.invoice_number,
            "amount_minor": outcome.amount.amount_minor,
            "currency": outcome.amount.currency.code(),
            "result": result,
            "decline_code": decline_code,
        });
        let db = crate::db::writer(&self.db);
        let (org, who, now) = (who.org_id(), &customer.public_id, self.now());
        super::audit::record(&db, org, who, "invoice.pay_now", details, now).await
    }

    /// The "Pay now" page of invoice `public_id`; with `since` (when the page was sent here
    /// by a charge), the outcome of that charge as recorded.
    pub async fn pay_view(
        &self,
        who: &PortalCustomer,
        public_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<PayView, PortalError> {
        who.require(PortalPermission::PayInvoices)?;
        let inv = own_invoice(&self.db, who, public_id).await?;
        let now = self.org_now(who.org_id()).await?;
        let status = InvoiceStatus::parse(&inv.status)
            .map_err(|e| BillingError::corrupt("invoices.status", e))?;
        let last_try = match since {
            Some(since) => last_try(&self.db, &inv, since.max(now - RECOVERY_WINDOW)).await?,
            None => None,
        };
        let can_change = who
            .permissions()
            .contains(PortalPermission::UpdatePaymentMethods);
        // Paying with another method makes it the default: only where the customer may
        // change their payment methods.
        let methods = saved_methods(&self.db, who, now.date_naive())
            .await?
            .into_iter()
            .filter(|m| can_change || m.is_default)
            .collect();
        Ok(PayView {
            methods,
            last_try,
            can_add_method: can_change,
            invoice: InvoiceView {
                total: stored_money(inv.total_minor, &inv.currency)?,
                payable: status == InvoiceStatus::Open,
                status,
                date: inv.created_at.date_naive().to_string(),
                id: inv.public_id,
                number: inv.number,
            },
        })
    }

    /// Charges the customer's open invoice `public_id` once, now, with the saved method
    /// `method` (or the default). The page reads the outcome back from the attempt.
    pub async fn pay_invoice(
        &self,
        who: &PortalCustomer,
        public_id: &str,
        method: Option<&str>,
    ) -> Result<PayStarted, PortalError> {
        who.require(PortalPermission::PayInvoices)?;
        let since = self.org_now(who.org_id()).await?;
        let may_change_default = who
            .permissions()
            .contains(PortalPermission::UpdatePaymentMethods);
        let outcome = self
            .engine
            .pay_invoice(
                who.org_id(),
                who.customer_id(),
                public_id,
                method,
                may_change_default,
            )
            .await?;
        tracing::info!(
            customer = who.customer_id(),
            invoice = %outcome.invoice_id,
            result = ?outcome.result,
            "portal: pay now"
        );
        self.audit_pay_now(who, &outcome).await?;
        Ok(PayStarted {
            since_ms: since.timestamp_millis(),
            pending: outcome.result == crate::billing::RecoveryResult::Pending,
        })
    }
}
