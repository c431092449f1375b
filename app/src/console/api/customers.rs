//! Customers.
use crate::console::dto::{CustomerDetail, CustomerList};
use crate::error::{AppError, Arg};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn customer_id(raw: &str) -> Result<domain::CustomerId, AppError> {
    domain::CustomerId::parse(raw).map_err(|_| AppError::NotFound)
}

/// Where staff download a customer's invoice as a PDF (a plain GET route in `server`,
/// behind the staff session).
pub fn invoice_pdf_href(customer: &str, invoice: &str) -> String {
    format!("/admin/customers/{customer}/invoices/{invoice}.pdf")
}

/// A page of customers.
#[server(endpoint = "console/customers")]
pub async fn customers(
    q: String,
    status: String,
    page: Arg<u64>,
) -> Result<CustomerList, AppError> {
    use super::server::{fail, port, require_admin};
    let actor = require_admin().await.map_err(fail)?;
    let page = page.parse("page").map_err(fail)?;
    port()?
        .customers(&actor, &q, &status, page)
        .await
        .map_err(fail)
}

/// One customer.
#[server(endpoint = "console/customer")]
pub async fn customer(id: String) -> Result<CustomerDetail, AppError> {
    use super::server::{fail, port, require_admin};
    let actor = require_admin().await.map_err(fail)?;
    let id = customer_id(&id).map_err(fail)?;
    port()?.customer(&actor, &id).await.map_err(fail)
}

/// Changes the email on file.
#[server(endpoint = "console/update_customer_email")]
pub async fn update_customer_email(id: String, email: String) -> Result<(), AppError> {
    use super::server::{fail, port, require_admin};
    let actor = require_admin().await.map_err(fail)?;
    actor.require_change().map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    if email.contains(['<', '>']) {
        return Err(fail(AppError::field("email", "email.invalid")));
    }
    let address = domain::EmailAddress::parse(&email)
        .map_err(|_| fail(AppError::field("email", "email.invalid")))?;
    port()?
        .update_customer_email(&actor, &cid, &address)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!("/admin/customers/{}?saved=email", cid.as_str()));
    Ok(())
}

/// Sends the customer a portal sign-in link (the portal's own magic-link email).
#[server(endpoint = "console/send_sign_in_link")]
pub async fn send_sign_in_link(id: String) -> Result<(), AppError> {
    use super::server::{fail, port, require_admin};
    use crate::portal::port::PortalPort;
    use std::sync::Arc;
    let actor = require_admin().await.map_err(fail)?;
    actor.require_change().map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    let detail = port()?.customer(&actor, &cid).await.map_err(fail)?;
    let key = detail
        .portal_url
        .as_deref()
        .and_then(|u| u.rsplit('/').next())
        .ok_or_else(|| fail(AppError::Conflict("portal_disabled".into())))?
        .to_owned();
    let address = domain::EmailAddress::parse(&detail.email)
        .map_err(|_| fail(AppError::field("email", "email.invalid")))?;
    let portal = use_context::<Arc<dyn PortalPort>>().ok_or(AppError::Internal)?;
    portal
        .request_link(&key, &address, None, None)
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) => fail(AppError::Conflict("portal_disabled".into())),
            other => fail(other),
        })?;
    super::redirect_done(&format!("/admin/customers/{}?saved=link", cid.as_str()));
    Ok(())
}
