//! Settings → Payments: the gateway connection and the payment policy.
use crate::console::dto::PaymentSettingsView;
use crate::error::AppError;
use leptos::prelude::*;

/// The organization's Payments settings.
#[server(endpoint = "console/payment_settings")]
pub async fn payment_settings() -> Result<PaymentSettingsView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.payment_settings(&actor).await.map_err(fail)
}

/// Connects the sandbox gateway after testing it; Payments become active.
#[server(endpoint = "console/connect_sandbox")]
pub async fn connect_sandbox() -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.connect_sandbox(&actor).await.map_err(fail)?;
    super::redirect_done("/admin/settings/payments?saved=connected");
    Ok(())
}

/// Disconnects the gateway; Payments stop being active.
#[server(endpoint = "console/disconnect_gateway")]
pub async fn disconnect_gateway() -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.disconnect_gateway(&actor).await.map_err(fail)?;
    super::redirect_done("/admin/settings/payments?saved=disconnected");
    Ok(())
}

/// The default currency and the dunning policy.
#[server(endpoint = "console/save_payment_policy")]
pub async fn save_payment_policy(
    default_currency: String,
    retry_days: String,
    final_action: String,
    expiry_reminders: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{PaymentPolicy, PaymentPolicyForm};
    let actor = require_admin().await.map_err(fail)?;
    let policy = PaymentPolicy::try_from(PaymentPolicyForm {
        default_currency: &default_currency,
        retry_days: &retry_days,
        final_action: &final_action,
        expiry_reminders: expiry_reminders.is_some(),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .save_payment_policy(&actor, policy)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/payments?saved=policy");
    Ok(())
}

/// The business details printed on invoices and the invoice number prefix.
#[server(endpoint = "console/save_business_details")]
pub async fn save_business_details(
    legal_name: String,
    business_address: String,
    vat_number: String,
    invoice_footer: String,
    invoice_prefix: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{BusinessDetails, BusinessDetailsForm};
    let actor = require_admin().await.map_err(fail)?;
    let details = BusinessDetails::try_from(BusinessDetailsForm {
        legal_name: &legal_name,
        address: &business_address,
        vat_number: &vat_number,
        footer: &invoice_footer,
        invoice_prefix: &invoice_prefix,
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .save_business_details(&actor, details)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/payments?saved=business");
    Ok(())
}
