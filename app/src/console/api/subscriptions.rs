//! Subscriptions staff make, cancel and resume on a customer's page.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn subscription_id(raw: &str) -> Result<domain::SubscriptionId, AppError> {
    domain::SubscriptionId::parse(raw).map_err(|_| AppError::NotFound)
}

/// Makes a subscription for a customer (owners, admins); back on their page, the notice
/// says how the first invoice stands.
#[server(endpoint = "console/create_subscription")]
pub async fn create_subscription(
    customer: String,
    price: String,
    quantity: Option<String>,
    start: Option<String>,
    trial_days: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{FirstInvoice, NewSubscription, SubscriptionForm};
    let actor = require_admin().await.map_err(fail)?;
    let cid = domain::CustomerId::parse(&customer).map_err(|_| fail(AppError::NotFound))?;
    let new = NewSubscription::try_from(SubscriptionForm {
        price: &price,
        quantity: quantity.as_deref().unwrap_or(""),
        start: start.as_deref().unwrap_or(""),
        trial_days: trial_days.as_deref().unwrap_or(""),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    let created = service()?
        .create_subscription(&actor, &cid, new)
        .await
        .map_err(fail)?;
    let saved = match created.first_invoice {
        FirstInvoice::Paid => "subscription_paid",
        FirstInvoice::Declined => "subscription_declined",
        FirstInvoice::Pending => "subscription_pending",
        FirstInvoice::AwaitingMethod => "subscription_awaiting",
        FirstInvoice::Later => "subscription_later",
    };
    super::redirect_done(&format!("/admin/customers/{}?saved={saved}", cid.as_str()));
    Ok(())
}

/// Ends a subscription (owners, admins): `when` is `now` or `period_end`.
#[server(endpoint = "console/cancel_subscription")]
pub async fn cancel_subscription(
    customer: String,
    id: String,
    when: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::CancelWhen;
    let actor = require_admin().await.map_err(fail)?;
    let sid = subscription_id(&id).map_err(fail)?;
    let when = match when.as_str() {
        "now" => CancelWhen::Now,
        "period_end" => CancelWhen::PeriodEnd,
        _ => {
            return Err(fail(AppError::field(
                "when",
                wire::error::FieldCode::Invalid,
            )));
        }
    };
    service()?
        .cancel_subscription(&actor, &sid, when)
        .await
        .map_err(fail)?;
    let saved = match when {
        CancelWhen::Now => "subscription_canceled",
        CancelWhen::PeriodEnd => "subscription_ending",
    };
    super::redirect_done(&format!(
        "/admin/customers/{}?saved={saved}",
        customer_path(&customer)
    ));
    Ok(())
}

/// Undoes a cancellation at the period end (owners, admins).
#[server(endpoint = "console/resume_subscription")]
pub async fn resume_subscription(customer: String, id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let sid = subscription_id(&id).map_err(fail)?;
    service()?
        .resume_subscription(&actor, &sid)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!(
        "/admin/customers/{}?saved=subscription_resumed",
        customer_path(&customer)
    ));
    Ok(())
}

/// The customer id for the page to go back to: only a well-formed one, else the list.
#[cfg(feature = "ssr")]
fn customer_path(raw: &str) -> String {
    domain::CustomerId::parse(raw)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}
