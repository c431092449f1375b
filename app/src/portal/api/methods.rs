//! Payment-method changes. Card numbers and CVCs are parsed by the service's form types and
//! handed to it; they are never logged, stored or echoed back.
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a card. The browser checks Luhn and expiry as the customer types; this checks again.
#[server(endpoint = "portal/add_card")]
pub async fn add_card(
    key: String,
    number: String,
    expiry: String,
    cvc: String,
    holder: String,
    make_default: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    use service::portal::{CardForm, NewCard};
    let customer = require_customer(&key).await.map_err(fail)?;
    let card = NewCard::try_from(CardForm {
        number: &number,
        expiry: &expiry,
        cvc: &cvc,
        holder: &holder,
        make_default: make_default.is_some(),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    let change = service()?
        .add_card(&customer, card, crate::session::client_ip())
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, crate::portal::dto::Notice::CardAdded, &change, None);
    Ok(())
}

/// Adds a SEPA direct-debit mandate; the customer must accept the mandate text.
#[server(endpoint = "portal/add_sepa")]
pub async fn add_sepa(
    key: String,
    iban: String,
    holder: String,
    mandate: Option<String>,
    make_default: Option<String>,
) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    use service::portal::{NewSepa, SepaForm};
    let customer = require_customer(&key).await.map_err(fail)?;
    let sepa = NewSepa::try_from(SepaForm {
        iban: &iban,
        holder: &holder,
        mandate_accepted: mandate.is_some(),
        make_default: make_default.is_some(),
    })
    .map_err(|errors| fail(AppError::Validation(errors)))?;
    let change = service()?
        .add_sepa(&customer, sepa, crate::session::client_ip())
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, crate::portal::dto::Notice::SepaAdded, &change, None);
    Ok(())
}

/// Makes a saved method the default; past-due invoices are retried on it at once.
#[server(endpoint = "portal/set_default")]
pub async fn set_default(key: String, method: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let method =
        domain::PaymentMethodId::parse(&method).map_err(|_| AppError::NotFound.respond())?;
    let change = service()?
        .set_default(&customer, &method)
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(
        &key,
        crate::portal::dto::Notice::DefaultSet,
        &change,
        Some(&method),
    );
    Ok(())
}

/// Removes a saved method (not the default while a subscription is active).
#[server(endpoint = "portal/remove_method")]
pub async fn remove_method(key: String, method: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let method =
        domain::PaymentMethodId::parse(&method).map_err(|_| AppError::NotFound.respond())?;
    let change = service()?
        .remove_method(&customer, &method)
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, crate::portal::dto::Notice::Removed, &change, None);
    Ok(())
}
