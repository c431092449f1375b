//! The catalog: prices.
use crate::console::dto::PriceList;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn plan_id(raw: &str) -> Result<domain::PlanId, AppError> {
    domain::PlanId::parse(raw).map_err(|_| AppError::NotFound)
}

/// The organization's prices.
#[server(endpoint = "console/prices")]
pub async fn prices() -> Result<PriceList, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.prices(&actor).await.map_err(fail)
}

/// Makes a price (owners, admins).
#[server(endpoint = "console/create_price")]
pub async fn create_price(
    name: String,
    amount: String,
    currency: String,
    interval: String,
    interval_count: Option<String>,
    trial_days: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{NewPrice, PriceForm};
    let actor = require_admin().await.map_err(fail)?;
    let price = NewPrice::try_from(PriceForm {
        name: &name,
        amount: &amount,
        currency: &currency,
        interval: &interval,
        interval_count: interval_count.as_deref().unwrap_or(""),
        trial_days: trial_days.as_deref().unwrap_or(""),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?.create_price(&actor, price).await.map_err(fail)?;
    super::redirect_done("/admin/catalog?saved=created");
    Ok(())
}

/// Archives a price, or restores it with `archived` off (owners, admins).
#[server(endpoint = "console/set_price_archived")]
pub async fn set_price_archived(id: String, archived: Option<String>) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = plan_id(&id).map_err(fail)?;
    let archived = archived.is_some();
    service()?
        .set_price_archived(&actor, &id, archived)
        .await
        .map_err(fail)?;
    let saved = if archived { "archived" } else { "restored" };
    super::redirect_done(&format!("/admin/catalog?saved={saved}"));
    Ok(())
}

/// Deletes a price no subscription uses (owners, admins).
#[server(endpoint = "console/delete_price")]
pub async fn delete_price(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = plan_id(&id).map_err(fail)?;
    service()?.delete_price(&actor, &id).await.map_err(fail)?;
    super::redirect_done("/admin/catalog?saved=deleted");
    Ok(())
}
