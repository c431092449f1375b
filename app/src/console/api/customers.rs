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

/// Makes a customer (owners, admins); opens their page.
#[server(endpoint = "console/create_customer")]
pub async fn create_customer(
    email: String,
    name: String,
    locale: String,
    billing_address: Option<String>,
    tax_id: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{CustomerDetailsForm, NewCustomer};
    let actor = require_admin().await.map_err(fail)?;
    let form = CustomerDetailsForm {
        name: &name,
        locale: &locale,
        billing_address: billing_address.as_deref().unwrap_or(""),
        tax_id: tax_id.as_deref().unwrap_or(""),
    };
    let new = NewCustomer::try_from((email.as_str(), form))
        .map_err(|errors| fail(AppError::Validation(errors)))?;
    let id = service()?
        .create_customer(&actor, new)
        .await
        .map_err(fail)?
        .id;
    super::redirect_done(&format!(
        "/admin/customers/{}?saved=customer_created",
        id.as_str()
    ));
    Ok(())
}

/// Changes a customer's name, language, billing address and VAT number (owners, admins).
#[server(endpoint = "console/update_customer_details")]
pub async fn update_customer_details(
    id: String,
    name: String,
    locale: String,
    billing_address: Option<String>,
    tax_id: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    use service::console::{CustomerDetails, CustomerDetailsForm};
    let actor = require_admin().await.map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    let details = CustomerDetails::try_from(CustomerDetailsForm {
        name: &name,
        locale: &locale,
        billing_address: billing_address.as_deref().unwrap_or(""),
        tax_id: tax_id.as_deref().unwrap_or(""),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    service()?
        .update_customer_details(&actor, &cid, details)
        .await
        .map_err(fail)?;
    super::redirect_done(&format!("/admin/customers/{}?saved=details", cid.as_str()));
    Ok(())
}

/// Archives a customer, or restores them with `archived` off (owners, admins).
#[server(endpoint = "console/set_customer_archived")]
pub async fn set_customer_archived(id: String, archived: Option<String>) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let cid = customer_id(&id).map_err(fail)?;
    let archived = archived.is_some();
    service()?
        .set_customer_archived(&actor, &cid, archived)
        .await
        .map_err(fail)?;
    let saved = if archived {
        "customer_archived"
    } else {
        "customer_restored"
    };
    super::redirect_done(&format!("/admin/customers/{}?saved={saved}", cid.as_str()));
    Ok(())
}
