//! Payment history, invoices, and cancelling or resuming a subscription. Each checks its
//! own permission, so a section switched off answers 403 however it is reached.
use crate::error::{AppError, Arg};
use crate::portal::dto::{CancelView, HistoryView, InvoicesView};
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
