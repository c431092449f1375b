//! Payment-method changes. Card numbers and CVCs are parsed here and handed to the port;
//! they are never logged, stored or echoed back.
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
    use crate::error::FieldErrors;
    use service::portal::NewCard;
    let customer = require_customer(&key).await.map_err(fail)?;
    let mut errors = FieldErrors::default();
    let number = domain::CardNumber::parse(&number)
        .map_err(|_| errors.push("number", "card.invalid"))
        .ok();
    let expiry = domain::ExpiryDate::parse(&expiry)
        .map_err(|_| errors.push("expiry", "expiry.invalid"))
        .ok();
    let cvc_ok = domain::Cvc::parse(&cvc).is_ok();
    if !cvc_ok {
        errors.push("cvc", "cvc.invalid");
    }
    let holder = holder.trim().to_owned();
    if holder.is_empty() || holder.chars().count() > 100 {
        errors.push("holder", "holder.invalid");
    }
    errors.clone().into_result().map_err(fail)?;
    let (Some(number), Some(expiry)) = (number, expiry) else {
        return Err(AppError::Internal);
    };
    let card = NewCard {
        number,
        expiry,
        holder,
        make_default: make_default.is_some(),
    };
    let change = service()?
        .add_card(&customer, card, crate::session::client_ip())
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, "card_added", &change);
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
    use crate::error::FieldErrors;
    let customer = require_customer(&key).await.map_err(fail)?;
    let mut errors = FieldErrors::default();
    let iban = domain::Iban::parse(&iban)
        .map_err(|_| errors.push("iban", "iban.invalid"))
        .ok();
    let holder = holder.trim().to_owned();
    if holder.is_empty() || holder.chars().count() > 100 {
        errors.push("sepa_holder", "holder.invalid");
    }
    if mandate.is_none() {
        errors.push("mandate", "mandate.required");
    }
    errors.clone().into_result().map_err(fail)?;
    let Some(iban) = iban else {
        return Err(AppError::Internal);
    };
    let change = service()?
        .add_sepa(
            &customer,
            &iban,
            &holder,
            make_default.is_some(),
            crate::session::client_ip(),
        )
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, "sepa_added", &change);
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
    super::redirect_with_outcome(&key, "default_set", &change);
    Ok(())
}

/// Removes a saved method (not the default while a subscription is active).
#[server(endpoint = "portal/remove_method")]
pub async fn remove_method(key: String, method: String) -> Result<(), AppError> {
    use super::server::{fail, require_customer, service};
    let customer = require_customer(&key).await.map_err(fail)?;
    let method =
        domain::PaymentMethodId::parse(&method).map_err(|_| AppError::NotFound.respond())?;
    service()?
        .remove_method(&customer, &method)
        .await
        .map_err(fail)?;
    super::redirect_with_outcome(&key, "removed", &Default::default());
    Ok(())
}
