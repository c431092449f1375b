//! Changing plan (permission: change plan; the service checks it first, so a section
//! switched off answers 403): the plan page with a preview, confirming a change, undoing
//! one that waits for the period's end.
use crate::error::AppError;
use crate::portal::dto::PlanChangeView;
use leptos::prelude::*;

/// The plan page's data; with `subscription` and `price` (a submitted preview form), the
/// preview of that change.
#[server(endpoint = "portal/plan_view")]
pub async fn plan_data(
    key: String,
    subscription: Option<String>,
    price: Option<String>,
    quantity: Option<String>,
) -> Result<PlanChangeView, AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let ask = subscription
        .zip(price)
        .map(|(subscription, price)| service::portal::PlanAsk {
            subscription,
            price,
            quantity,
        });
    service()?
        .plan_change_view(&customer, ask)
        .await
        .map_err(fail)
}

/// Confirms a previewed change. A change that took effect and was paid (or cost nothing)
/// comes back to the plan page; one whose charge did not go through goes to the overview,
/// which reads from the database what is owed, with "Pay now".
#[server(endpoint = "portal/change_plan")]
pub async fn change_plan(
    key: String,
    subscription: String,
    price: String,
    quantity: Option<String>,
    from_price: String,
    from_quantity: String,
    due_now: String,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    use crate::portal::dto::PlanChangeOutcome;
    let customer = require_customer(&key).await.map_err(fail)?;
    let form = service::portal::PlanChangeForm {
        subscription,
        price,
        quantity,
        from_price,
        from_quantity,
        due_now,
    };
    let outcome = service()?
        .change_plan(&customer, &form)
        .await
        .map_err(fail)?;
    let to = match outcome {
        PlanChangeOutcome::Changed => format!("/portal/{key}/plan?notice=changed"),
        PlanChangeOutcome::Scheduled => format!("/portal/{key}/plan?notice=scheduled"),
        PlanChangeOutcome::ChangedUnpaid | PlanChangeOutcome::ChangedPending => {
            format!("/portal/{key}")
        }
    };
    leptos_axum::redirect(&to);
    Ok(())
}

/// Undoes a change that waits for the period's end.
#[server(endpoint = "portal/undo_plan_change")]
pub async fn undo_plan_change(key: String, subscription: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    service()?
        .undo_plan_change(&customer, &subscription)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/portal/{key}/plan?notice=undone"));
    Ok(())
}
