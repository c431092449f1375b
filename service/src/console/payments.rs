//! Settings → Payments (the guide's "Payments module"): the gateway connection, which
//! makes Payments active when its test passes, and the policy the billing engine reads
//! (default currency, dunning retry days and final action).
use super::{ConsoleError, ConsoleService, audit};
use crate::console::AdminActor;
use crate::entity::organization;
use domain::{
    BillingAddress, Currency, DisplayName, DunningPolicy, FinalAction, VatNumber,
    invoice_prefix_from_slug, parse_invoice_prefix,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use wire::console::{Gateway, PaymentSettingsView};
use wire::error::{FieldCode, FieldErrors};

/// The policy form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct PaymentPolicyForm<'a> {
    /// ISO 4217 code.
    pub default_currency: &'a str,
    /// `3,5,7`.
    pub retry_days: &'a str,
    /// `mark_unpaid` or `cancel`.
    pub final_action: &'a str,
    /// Card-expiry reminders on.
    pub expiry_reminders: bool,
}

/// A payment policy, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentPolicy {
    /// What new prices default to.
    pub default_currency: Currency,
    /// Retries and the final action.
    pub dunning: DunningPolicy,
    /// Card-expiry reminders on.
    pub expiry_reminders: bool,
}

/// Parses the form with `domain`'s rules, naming each field that fails.
impl TryFrom<PaymentPolicyForm<'_>> for PaymentPolicy {
    type Error = FieldErrors;

    fn try_from(form: PaymentPolicyForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let currency = Currency::parse(form.default_currency)
            .map_err(|_| errors.push("default_currency", FieldCode::CurrencyInvalid))
            .ok();
        let days = DunningPolicy::parse(form.retry_days)
            .map_err(|_| errors.push("retry_days", FieldCode::RetryDaysInvalid))
            .ok();
        let action = FinalAction::parse(form.final_action)
            .map_err(|_| errors.push("final_action", FieldCode::Invalid))
            .ok();
        match (currency, days, action) {
            (Some(default_currency), Some(days), Some(action)) => Ok(PaymentPolicy {
                default_currency,
                dunning: days.with_final_action(action),
                expiry_reminders: form.expiry_reminders,
            }),
            _ => Err(errors),
        }
    }
}

/// The business-details form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct BusinessDetailsForm<'a> {
    /// The legal name; empty for the organization's name.
    pub legal_name: &'a str,
    /// Lines of the business address.
    pub address: &'a str,
    /// The business's VAT number, may be empty.
    pub vat_number: &'a str,
    /// The invoice footer.
    pub footer: &'a str,
    /// Letters and digits; empty for the slug's.
    pub invoice_prefix: &'a str,
}

/// Business details, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessDetails {
    /// The legal name, when not the organization's name.
    pub legal_name: Option<DisplayName>,
    /// The business address.
    pub address: BillingAddress,
    /// The VAT number, if any.
    pub vat_number: Option<VatNumber>,
    /// The footer (same limits as an address).
    pub footer: BillingAddress,
    /// The invoice prefix, or `None` for the slug's.
    pub invoice_prefix: Option<String>,
}

/// Parses the form, naming each field that fails.
impl TryFrom<BusinessDetailsForm<'_>> for BusinessDetails {
    type Error = FieldErrors;

    fn try_from(form: BusinessDetailsForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let legal_name = match form.legal_name.trim() {
            "" => Some(None),
            name => DisplayName::parse(name)
                .map_err(|e| errors.push("legal_name", e.into()))
                .ok()
                .map(Some),
        };
        let address = BillingAddress::parse(form.address)
            .map_err(|_| errors.push("business_address", FieldCode::AddressInvalid))
            .ok();
        let vat_number = VatNumber::parse(form.vat_number)
            .map_err(|_| errors.push("vat_number", FieldCode::TaxIdInvalid))
            .ok();
        let footer = BillingAddress::parse(form.footer)
            .map_err(|_| errors.push("invoice_footer", FieldCode::AddressInvalid))
            .ok();
        let invoice_prefix = parse_invoice_prefix(form.invoice_prefix)
            .map_err(|_| errors.push("invoice_prefix", FieldCode::InvoicePrefixInvalid))
            .ok();
        match (legal_name, address, vat_number, footer, invoice_prefix) {
            (
                Some(legal_name),
                Some(address),
                Some(vat_number),
                Some(footer),
                Some(invoice_prefix),
            ) => Ok(BusinessDetails {
                legal_name,
                address,
                vat_number,
                footer,
                invoice_prefix,
            }),
            _ => Err(errors),
        }
    }
}

fn gateway(stored: Option<&str>) -> Option<Gateway> {
    match stored {
        Some("sandbox") => Some(Gateway::Sandbox),
        _ => None,
    }
}

/// The actor's own organization, read on `db` (a transaction, to change it).
async fn own_org(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
) -> Result<organization::Model, ConsoleError> {
    organization::Entity::find_by_id(actor.org_id())
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

impl ConsoleService {
    /// The organization's Payments settings; any role may read them.
    pub async fn payment_settings(
        &self,
        actor: &AdminActor,
    ) -> Result<PaymentSettingsView, ConsoleError> {
        let org = own_org(&self.db, actor).await?;
        let policy = DunningPolicy::parse(&org.dunning_retry_days).unwrap_or_default();
        Ok(PaymentSettingsView {
            payments_active: org.payments_active,
            gateway: gateway(org.gateway.as_deref()),
            default_currency: Currency::parse(&org.default_currency).unwrap_or(Currency::Eur),
            retry_days: policy.retry_days_string(),
            final_action: FinalAction::parse(&org.dunning_final_action)
                .unwrap_or(FinalAction::MarkUnpaid),
            expiry_reminders: org.expiry_reminders,
            legal_name: org.legal_name.clone().unwrap_or_default(),
            business_address: org.business_address.clone(),
            vat_number: org.vat_number.clone().unwrap_or_default(),
            invoice_footer: org.invoice_footer.clone(),
            invoice_prefix: org.invoice_prefix.clone().unwrap_or_default(),
            default_invoice_prefix: invoice_prefix_from_slug(&org.slug),
            can_change: actor.require_change().is_ok(),
        })
    }

    /// Connects the sandbox gateway: its connection is tested first, and Payments become
    /// active only when the test passes.
    pub async fn connect_sandbox(&self, actor: &AdminActor) -> Result<(), ConsoleError> {
        actor.require_change()?;
        if let Err(e) = self.engine.check_gateway().await {
            tracing::warn!(error = %e, "payments: the sandbox gateway's test failed");
            return Err(ConsoleError::Conflict(
                wire::error::Conflict::GatewayTestFailed,
            ));
        }
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let org = own_org(&txn, actor).await?;
        let mut active = org.into_active_model();
        active.gateway = Set(Some("sandbox".to_owned()));
        active.payments_active = Set(true);
        active.update(&txn).await?;
        let details = "sandbox (test mode); its test passed; Payments active".to_owned();
        audit::commit(txn, actor, "payments.connected", details, now).await
    }

    /// Disconnects the gateway: Payments stop being active, so the Customer Portal cannot
    /// be enabled again until a gateway is connected.
    pub async fn disconnect_gateway(&self, actor: &AdminActor) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let org = own_org(&txn, actor).await?;
        let before = org.gateway.clone().unwrap_or_else(|| "none".into());
        let mut active = org.into_active_model();
        active.gateway = Set(None);
        active.payments_active = Set(false);
        active.update(&txn).await?;
        let details = format!("{before} disconnected; Payments inactive");
        audit::commit(txn, actor, "payments.disconnected", details, now).await
    }

    /// Saves the default currency and the dunning policy the engine reads at its next run.
    pub async fn save_payment_policy(
        &self,
        actor: &AdminActor,
        policy: PaymentPolicy,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let org = own_org(&txn, actor).await?;
        let details = format!(
            "currency {} → {}; retries {} → {}; then {} → {}; expiry reminders {} → {}",
            org.default_currency,
            policy.default_currency.code(),
            org.dunning_retry_days,
            policy.dunning.retry_days_string(),
            org.dunning_final_action,
            policy.dunning.final_action().as_str(),
            org.expiry_reminders,
            policy.expiry_reminders
        );
        let mut active = org.into_active_model();
        active.default_currency = Set(policy.default_currency.code().to_owned());
        active.dunning_retry_days = Set(policy.dunning.retry_days_string());
        active.dunning_final_action = Set(policy.dunning.final_action().as_str().to_owned());
        active.expiry_reminders = Set(policy.expiry_reminders);
        active.update(&txn).await?;
        audit::commit(txn, actor, "payments.policy", details, now).await
    }

    /// Saves the business details printed on invoices and the invoice number prefix
    /// (used from the next invoice on; numbers already given keep theirs).
    pub async fn save_business_details(
        &self,
        actor: &AdminActor,
        details: BusinessDetails,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let org = own_org(&txn, actor).await?;
        let audit_details = format!(
            "legal name {:?}; VAT {:?}; invoice prefix {:?}",
            details.legal_name.as_ref().map(DisplayName::as_str),
            details.vat_number.as_ref().map(VatNumber::as_str),
            details.invoice_prefix
        );
        let mut active = org.into_active_model();
        active.legal_name = Set(details.legal_name.map(|n| n.as_str().to_owned()));
        active.business_address = Set(details.address.as_str().to_owned());
        active.vat_number = Set(details.vat_number.map(|v| v.as_str().to_owned()));
        active.invoice_footer = Set(details.footer.as_str().to_owned());
        active.invoice_prefix = Set(details.invoice_prefix);
        active.update(&txn).await?;
        audit::commit(txn, actor, "payments.business_details", audit_details, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_form_parses_or_names_each_field() {
        let ok = PaymentPolicy::try_from(PaymentPolicyForm {
            default_currency: "usd",
            retry_days: "2, 4, 9",
            final_action: "cancel",
            expiry_reminders: false,
        })
        .unwrap();
        assert_eq!(ok.default_currency, Currency::Usd);
        assert_eq!(ok.dunning.retry_days(), &[2, 4, 9]);
        assert_eq!(ok.dunning.final_action(), FinalAction::Cancel);
        let bad = PaymentPolicy::try_from(PaymentPolicyForm {
            default_currency: "XYZ",
            retry_days: "7,5",
            final_action: "refund",
            expiry_reminders: true,
        })
        .unwrap_err();
        assert_eq!(
            bad.get("default_currency"),
            Some(&FieldCode::CurrencyInvalid)
        );
        assert_eq!(bad.get("retry_days"), Some(&FieldCode::RetryDaysInvalid));
        assert_eq!(bad.get("final_action"), Some(&FieldCode::Invalid));
    }
}
