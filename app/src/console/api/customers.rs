//! Customers.
use crate::console::dto::{CustomerDetail, CustomerList};
use crate::error::{AppError, Arg};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn customer_id(raw: &str) -> Result<domain::CustomerId, AppError> {
    domain::CustomerId::parse(raw).map_err(|_| AppError::NotFound)
}

pub use crate::console::dto::invoice_pdf_href;

/// A page of customers.
#[server(endpoint = "console/customers")]
pub async fn customers(
    q: String,
    status: String,
    page: Arg<u64>,
) -> Result<CustomerList, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let page = page.parse("page").map_err(fail)?;
    service()?
        .customers(&actor, &q, &status, page)
        .await
        .map_err(fail)
}

/// One customer.
#[server(endpoint = "console/customer")]
pub async fn customer(id: String) -> Result<CustomerDetail, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let id = customer_id(&id).map_err(fail)?;
    service()?.customer(&actor, &id).await.map_err(fail)
}

/// Changes the email on file.
#[server(endpoint = "console/update_customer_email")]
pub async fn update_customer_email(id: String, email: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    let address = domain::EmailAddress::parse(&email).map_err(|_| {
        fail(AppError::field(
            "email",
            crate::error::FieldCode::EmailInvalid,
        ))
    })?;
    service()?
        .update_customer_email(&actor, &cid, &address)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!("/admin/customers/{}?saved=email", cid.as_str()));
    Ok(())
}

/// Sends the customer a portal sign-in link (the portal's own magic-link email).
#[server(endpoint = "console/send_sign_in_link")]
pub async fn send_sign_in_link(id: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    let portal = use_context::<service::portal::PortalService>().ok_or(AppError::Internal)?;
    service()?
        .send_sign_in_link(&actor, &portal, &cid)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!("/admin/customers/{}?saved=link", cid.as_str()));
    Ok(())
}
