//! Read-only data of the portal's pages.
use crate::error::AppError;
use crate::portal::dto::{OverviewView, PaymentMethodsView, PortalShellData};
use leptos::prelude::*;

/// The shell: the brand, and who is signed in (if anyone). `NotFound` (404) for an unknown
/// key, `Conflict(PortalDisabled)` (503) for a disabled portal.
#[server(endpoint = "portal/shell")]
pub async fn portal_shell(key: String) -> Result<PortalShellData, AppError> {
    use super::server::{fail, require_customer, service};
    let brand = match service()?.brand(&key).await.map_err(AppError::from) {
        Ok(brand) => brand,
        Err(AppError::Conflict(code)) => {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            }
            return Err(AppError::Conflict(code));
        }
        Err(e) => return Err(fail(e)),
    };
    let (customer, app_return_url) = match require_customer(&key).await {
        Ok(c) => {
            let (name, email) = c.who();
            (
                Some((name.to_owned(), email.to_owned())),
                c.app_return_url().map(str::to_owned),
            )
        }
        Err(_) => (None, None),
    };
    Ok(PortalShellData {
        brand,
        customer,
        app_return_url,
    })
}

/// The overview page.
#[server(endpoint = "portal/overview")]
pub async fn overview_data(key: String) -> Result<OverviewView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?.overview(&customer).await.map_err(fail)
}

/// The payment-methods page (permission: update payment methods).
#[server(endpoint = "portal/payment_methods")]
pub async fn payment_methods_data(
    key: String,
    since: Option<String>,
    notice: Option<String>,
    method: Option<String>,
) -> Result<PaymentMethodsView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    // The change this page was redirected from, as its query names it; the service checks
    // it against the database. A time that is not a number is no change.
    let change = since
        .and_then(|ms| ms.parse::<i64>().ok())
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|since| service::portal::ChangeQuery {
            since,
            notice: notice
                .as_deref()
                .and_then(crate::portal::dto::Notice::parse),
            method,
        });
    service()?
        .payment_methods(&customer, change)
        .await
        .map_err(fail)
}
