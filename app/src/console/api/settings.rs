//! Settings → Customer Portal.
// `save_permissions` takes one argument per field of its form, as every server function
// here does; the macro generates a second function with them, which an outer `allow`
// does not reach.
#![allow(clippy::too_many_arguments)]
use crate::console::dto::PortalSettingsView;
use crate::error::{AppError, Arg};
use leptos::prelude::*;

/// The settings as stored.
#[server(endpoint = "console/portal_settings")]
pub async fn portal_settings() -> Result<PortalSettingsView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.portal_settings(&actor).await.map_err(fail)
}

/// Turns the portal on (`enabled=on`) or off.
#[server(endpoint = "console/set_portal_enabled")]
pub async fn set_portal_enabled(
    enabled: Option<String>,
    version: Arg<i32>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let version = version.parse("version").map_err(fail)?;
    let on = enabled.is_some_and(|v| v == "on" || v == "true");
    service()?
        .set_portal_enabled(&actor, on, version)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/portal?saved=enable");
    Ok(())
}

/// Replaces the portal key (owners), after the confirmation box is ticked.
#[server(endpoint = "console/rotate_portal_key")]
pub async fn rotate_portal_key(confirm: Option<String>, version: Arg<i32>) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let version = version.parse("version").map_err(fail)?;
    if confirm.as_deref() != Some("on") {
        return Err(fail(AppError::field(
            "confirm",
            crate::error::FieldCode::ConfirmRequired,
        )));
    }
    service()?
        .rotate_portal_key(&actor, version)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/portal?saved=rotated");
    Ok(())
}

/// Company name and primary colour.
#[server(endpoint = "console/save_branding")]
pub async fn save_branding(
    company_name: String,
    primary_color: String,
    version: Arg<i32>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{BrandingChange, BrandingForm};
    let actor = require_admin().await.map_err(fail)?;
    let version = version.parse("version").map_err(fail)?;
    let change = BrandingChange::try_from(BrandingForm {
        company_name: &company_name,
        primary_color: &primary_color,
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .save_branding(&actor, change, version)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/portal?saved=branding");
    Ok(())
}

/// The portal permissions (`on` when ticked) and the longest pause: one form, one field
/// each, so one argument each (the reason for this module's `too_many_arguments`).
#[server(endpoint = "console/save_permissions")]
pub async fn save_permissions(
    update_payment_methods: Option<String>,
    view_payment_history: Option<String>,
    download_invoices: Option<String>,
    cancel_subscription: Option<String>,
    pay_invoices: Option<String>,
    update_billing_details: Option<String>,
    pause_subscription: Option<String>,
    pause_max_days: Option<String>,
    retention_percent: Option<String>,
    retention_months: Option<String>,
    retention_form: Option<String>,
    change_plan: Option<String>,
    switch_prices: Option<Vec<String>>,
    quantity_min: Option<String>,
    quantity_max: Option<String>,
    plans_form: Option<String>,
    version: Arg<i32>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use domain::{PortalPermission as P, PortalPermissions};
    let actor = require_admin().await.map_err(fail)?;
    let version = version.parse("version").map_err(fail)?;
    let mut set = PortalPermissions::empty();
    for (value, perm) in [
        (update_payment_methods, P::UpdatePaymentMethods),
        (view_payment_history, P::ViewPaymentHistory),
        (download_invoices, P::DownloadInvoices),
        (cancel_subscription, P::CancelSubscription),
        (pay_invoices, P::PayInvoices),
        (update_billing_details, P::UpdateBillingDetails),
        (pause_subscription, P::PauseSubscription),
        (change_plan, P::ChangePlan),
    ] {
        set.set(perm, value.as_deref() == Some("on"));
    }
    // Left out (an older form): the stored limit stays.
    let pause_limit = pause_max_days
        .map(|raw| domain::PauseLimit::parse(&raw))
        .transpose()
        .map_err(|e| fail(AppError::field("pause_max_days", e.into())))?;
    // A form with the offer's fields (its hidden `retention_form`): both empty (an empty
    // field may arrive as none) is no offer. Without them (an older form): the offer stays.
    let (percent, months) = (
        retention_percent.unwrap_or_default(),
        retention_months.unwrap_or_default(),
    );
    let retention_offer = retention_form
        .map(|_| domain::RetentionOffer::parse(&percent, &months))
        .transpose()
        .map_err(|e| {
            let field = match e {
                domain::RetentionOfferError::Percent => "retention_percent",
                domain::RetentionOfferError::Months => "retention_months",
            };
            fail(AppError::field(field, e.into()))
        })?;
    // A form with the plan-change fields (its hidden `plans_form`): no price ticked is
    // none, both quantities empty is no range. Without them: both stay.
    let quantity_range = plans_form
        .as_ref()
        .map(|_| {
            domain::QuantityRange::parse(
                quantity_min.as_deref().unwrap_or_default(),
                quantity_max.as_deref().unwrap_or_default(),
            )
        })
        .transpose()
        .map_err(|e| {
            let field = match e {
                domain::QuantityRangeError::Min => "quantity_min",
                domain::QuantityRangeError::Max => "quantity_max",
            };
            fail(AppError::field(field, e.into()))
        })?;
    let switch_prices = plans_form.map(|_| switch_prices.unwrap_or_default());
    let rules = service::console::PortalRules {
        pause_limit,
        retention_offer,
        switch_prices,
        quantity_range,
    };
    service()?
        .save_permissions(&actor, set, rules, version)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/portal?saved=permissions");
    Ok(())
}

/// Removes the logo.
#[server(endpoint = "console/remove_logo")]
pub async fn remove_logo(version: Arg<i32>) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let version = version.parse("version").map_err(fail)?;
    service()?
        .remove_logo(&actor, version)
        .await
        .map_err(fail)?;
    super::redirect_done("/admin/settings/portal?saved=logo_removed");
    Ok(())
}
