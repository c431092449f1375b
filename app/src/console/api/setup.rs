//! First run: the one-time setup address creates the first organization and its owner.
use crate::error::AppError;
use leptos::prelude::*;

/// Whether the setup address `token` still works (404 once it is used or an organization
/// exists).
#[server(endpoint = "console/setup_status")]
pub async fn setup_status(token: String) -> Result<(), AppError> {
    use super::server::{fail, service};
    service()?.check_setup_token(&token).await.map_err(fail)
}

/// Creates the first organization and its owner, signs the owner in and opens the console.
#[server(endpoint = "console/complete_setup")]
pub async fn complete_setup(
    token: String,
    org_name: String,
    slug: String,
    currency: String,
    country: String,
    owner_email: String,
    password: String,
) -> Result<(), AppError> {
    use super::server::{fail, service, set_staff_cookies};
    use service::console::{FirstOrganization, SetupAuthority, SetupForm};
    let first = FirstOrganization::try_from(SetupForm {
        org_name: &org_name,
        slug: &slug,
        currency: &currency,
        country: &country,
        owner_email: &owner_email,
        password: &password,
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    let signed = service()?
        .create_first_organization(SetupAuthority::Token(&token), first)
        .await
        .map_err(fail)?;
    set_staff_cookies(&signed);
    leptos_axum::redirect("/admin?welcome=1");
    Ok(())
}
