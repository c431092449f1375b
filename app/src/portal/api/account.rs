//! Payment history, invoices, and cancelling or resuming a subscription. Each checks its
//! own permission, so a section switched off answers 403 however it is reached.
use crate::error::{AppError, Arg};
use crate::portal::dto::{BillingDetailsView, CancelView, HistoryView, InvoicesView, PayView};
use leptos::prelude::*;

/// One page of payment attempts (permission: view payment history).
#[server(endpoint = "portal/history")]
pub async fn history_data(key: String, page: Arg<u32>) -> Result<HistoryView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let page = page.parse("page").map_err(fail)?;
    service()?
        .payment_history(&customer, page.max(1))
        .await
        .map_err(fail)
}

/// One page of invoices (permission: download invoices).
#[server(endpoint = "portal/invoices")]
pub async fn invoices_data(key: String, page: Arg<u32>) -> Result<InvoicesView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let page = page.parse("page").map_err(fail)?;
    service()?
        .invoices(&customer, page.max(1))
        .await
        .map_err(fail)
}

/// The cancel page's data (permission: cancel subscription).
#[server(endpoint = "portal/cancel_view")]
pub async fn cancel_data(key: String) -> Result<CancelView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?.cancel_view(&customer).await.map_err(fail)
}

/// Cancels a subscription at the end of its period, with a reason and an optional comment.
#[server(endpoint = "portal/cancel")]
pub async fn cancel_subscription(
    key: String,
    subscription: String,
    reason: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    use service::portal::{CancelForm, Cancellation};
    let customer = require_customer(&key).await.map_err(fail)?;
    let cancellation = Cancellation::try_from(CancelForm {
        reason: &reason,
        comment: comment.as_deref(),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .cancel_subscription(&customer, &subscription, cancellation)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/cancel?notice=canceled"));
    Ok(())
}

/// Undoes a cancellation before the period ends.
#[server(endpoint = "portal/resume")]
pub async fn resume_subscription(key: String, subscription: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .resume_subscription(&customer, &subscription)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/cancel?notice=resumed"));
    Ok(())
}

/// Accepts the merchant's retention offer instead of cancelling (once per subscription):
/// its next invoices get the discount.
#[server(endpoint = "portal/accept_offer")]
pub async fn accept_offer(key: String, subscription: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .accept_retention_offer(&customer, &subscription)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/cancel?notice=offer_accepted"));
    Ok(())
}

/// The "Pay now" page of one invoice (permission: pay invoices). `since` is the time a charge
/// began (milliseconds, from the redirect after it): the page shows that charge's outcome
/// as its attempt recorded it. An id that is not an invoice's is no invoice (404).
#[server(endpoint = "portal/pay_view")]
pub async fn pay_data(
    key: String,
    invoice: String,
    since: Option<String>,
) -> Result<PayView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let invoice = domain::InvoiceId::parse(&invoice).map_err(|_| fail(AppError::NotFound))?;
    let since = since
        .and_then(|ms| ms.parse::<i64>().ok())
        .and_then(chrono::DateTime::from_timestamp_millis);
    service()?
        .pay_view(&customer, invoice.as_str(), since)
        .await
        .map_err(fail)
}

/// "Pay now": charges an open invoice once with a saved method (blank: the default), then
/// shows its page, which reads the outcome back from the attempt.
#[server(endpoint = "portal/pay_invoice")]
pub async fn pay_invoice(
    key: String,
    invoice: String,
    method: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let invoice = domain::InvoiceId::parse(&invoice).map_err(|_| fail(AppError::NotFound))?;
    let method = method
        .filter(|m| !m.trim().is_empty())
        .map(|m| domain::PaymentMethodId::parse(m.trim()))
        .transpose()
        .map_err(|_| fail(AppError::NotFound))?;
    let started = service()?
        .pay_invoice(
            &customer,
            invoice.as_str(),
            method.as_ref().map(domain::PaymentMethodId::as_str),
        )
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!(
        "/portal/{key}/pay/{}?since={}{}",
        invoice.as_str(),
        started.since_ms,
        if started.pending { "&pending=1" } else { "" }
    ));
    Ok(())
}

/// The billing details form's values (permission: billing details).
#[server(endpoint = "portal/billing_details")]
pub async fn billing_details_data(key: String) -> Result<BillingDetailsView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?.billing_details(&customer).await.map_err(fail)
}

/// Saves the customer's name, language, billing address and tax ID; every field that
/// fails `domain`'s rules is named and nothing is written.
#[server(endpoint = "portal/update_billing_details")]
pub async fn update_billing_details(
    key: String,
    name: String,
    locale: String,
    billing_address: String,
    tax_id: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    use service::console::{CustomerDetails, CustomerDetailsForm};
    let customer = require_customer(&key).await.map_err(fail)?;
    // Refused before its fields are read: a section switched off answers 403 to any form.
    customer
        .require(domain::PortalPermission::UpdateBillingDetails)
        .map_err(fail)?;
    let details = CustomerDetails::try_from(CustomerDetailsForm {
        name: &name,
        locale: &locale,
        billing_address: &billing_address,
        tax_id: &tax_id,
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .update_billing_details(&customer, details)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/billing?notice=saved"));
    Ok(())
}
