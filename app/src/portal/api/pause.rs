//! Pausing a subscription, withdrawing a pause, resuming a paused one (permission: pause
//! subscription; the service checks it first, so a section switched off answers 403).
use crate::error::AppError;
use crate::portal::dto::PauseView;
use leptos::prelude::*;

/// The pause page's data.
#[server(endpoint = "portal/pause_view")]
pub async fn pause_data(key: String) -> Result<PauseView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?.pause_view(&customer).await.map_err(fail)
}

/// Pauses a subscription from its period end until `resumes_on` (`YYYY-MM-DD`).
#[server(endpoint = "portal/pause")]
pub async fn pause_subscription(
    key: String,
    subscription: String,
    resumes_on: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .pause_subscription(&customer, &subscription, &resumes_on)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/pause?notice=paused"));
    Ok(())
}

/// Withdraws a pause that has not begun.
#[server(endpoint = "portal/withdraw_pause")]
pub async fn withdraw_pause(key: String, subscription: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .withdraw_pause(&customer, &subscription)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/pause?notice=withdrawn"));
    Ok(())
}

/// Resumes a paused subscription now: a new period starts and is charged. The overview
/// then shows where it stands (paid, or past due with "Pay now"), read from the database.
#[server(endpoint = "portal/unpause")]
pub async fn unpause_subscription(key: String, subscription: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .resume_paused(&customer, &subscription)
        .await
        .map_err(fail)?;
    // The charge's outcome is read back from the database there: the subscription active,
    // or past due with its invoice to pay.
    leptos_axum::redirect(&format!("/portal/{key}"));
    Ok(())
}
