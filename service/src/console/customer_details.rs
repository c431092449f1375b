//! Customers made and edited by staff: name, email (unique in the organization), language,
//! billing address and VAT number; archiving. The email on an existing customer changes
//! through `update_customer_email`, as before.
use super::customer_objects::{customer_event, object};
use super::customers::find;
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::db::Batch;
use crate::entity::customer;
use crate::secret;
use domain::{BillingAddress, CustomerId, DisplayName, EmailAddress, EventKind, Locale, VatNumber};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set, SqlErr, TryIntoModel};
use wire::api::Customer;
use wire::error::{FieldCode, FieldErrors};

/// The details form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct CustomerDetailsForm<'a> {
    /// "Marco Rossi".
    pub name: &'a str,
    /// `en` or `it`.
    pub locale: &'a str,
    /// Lines of the billing address.
    pub billing_address: &'a str,
    /// VAT number, may be empty.
    pub tax_id: &'a str,
}

/// A customer's details, parsed with `domain`'s rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails {
    /// Their name.
    pub name: DisplayName,
    /// The language of their emails and portal.
    pub locale: Locale,
    /// Printed on invoices.
    pub billing_address: BillingAddress,
    /// Their VAT number, if any.
    pub tax_id: Option<VatNumber>,
}

/// A customer to make: an email and their details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    /// Where their emails go; unique in the organization.
    pub email: EmailAddress,
    /// The rest.
    pub details: CustomerDetails,
}

fn parse_details(
    form: CustomerDetailsForm<'_>,
    errors: &mut FieldErrors,
) -> Option<CustomerDetails> {
    let name = DisplayName::parse(form.name)
        .map_err(|e| errors.push("name", e.into()))
        .ok();
    let locale = Locale::parse(form.locale)
        .map_err(|_| errors.push("locale", FieldCode::LocaleInvalid))
        .ok();
    let address = BillingAddress::parse(form.billing_address)
        .map_err(|_| errors.push("billing_address", FieldCode::AddressInvalid))
        .ok();
    let tax_id = VatNumber::parse(form.tax_id)
        .map_err(|_| errors.push("tax_id", FieldCode::TaxIdInvalid))
        .ok();
    Some(CustomerDetails {
        name: name?,
        locale: locale?,
        billing_address: address?,
        tax_id: tax_id?,
    })
}

/// Parses the details, naming each field that fails.
impl TryFrom<CustomerDetailsForm<'_>> for CustomerDetails {
    type Error = FieldErrors;

    fn try_from(form: CustomerDetailsForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        parse_details(form, &mut errors).ok_or(errors)
    }
}

/// Parses an email and the details, naming every field that fails.
impl TryFrom<(&str, CustomerDetailsForm<'_>)> for NewCustomer {
    type Error = FieldErrors;

    fn try_from((email, form): (&str, CustomerDetailsForm<'_>)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = EmailAddress::parse(email)
            .map_err(|_| errors.push("email", FieldCode::EmailInvalid))
            .ok();
        let details = parse_details(form, &mut errors);
        match (email, details) {
            (Some(email), Some(details)) if errors.is_empty() => Ok(NewCustomer { email, details }),
            _ => Err(errors),
        }
    }
}

/// The unique index on a customer's (organization, email) refused the row: its name on
/// PostgreSQL, its columns in SQLite's message. Any other unique violation stays an error.
fn email_taken(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(SqlErr::UniqueConstraintViolation(message))
            if message.contains("uq_customers_organization_id_email")
                || message.contains("customers.organization_id, customers.email")
    )
}

pub(crate) fn set_details(active: &mut customer::ActiveModel, details: &CustomerDetails) {
    active.name = Set(details.name.as_str().to_owned());
    active.locale = Set(details.locale.as_str().to_owned());
    active.billing_address = Set(details.billing_address.as_str().to_owned());
    active.tax_id = Set(details.tax_id.as_ref().map(|v| v.as_str().to_owned()));
}

impl ConsoleService {
    /// Makes a customer; their email must be new in the organization. Returns them as the
    /// API shows them.
    pub async fn create_customer(
        &self,
        actor: &AdminActor,
        new: NewCustomer,
    ) -> Result<Customer, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let id = CustomerId::from_random(secret::random_bytes());
        // Its row id is the database's to choose: nothing here reads it.
        let made = customer::Model {
            id: 0,
            public_id: id.as_str().to_owned(),
            organization_id: actor.org_id(),
            email: new.email.as_str().to_lowercase(),
            name: String::new(),
            locale: String::new(),
            billing_address: String::new(),
            tax_id: None,
            archived_at: None,
            created_at: now,
            external_id: None,
        };
        let mut active = made.into_active_model();
        set_details(&mut active, &new.details);
        let shown = object(active.clone().try_into_model()?)?;
        // One round trip inside the write lock for the row, its event and its audit row.
        // The unique index on (organization, email) is the check: no lookup first, and
        // no race between two creates.
        let mut batch = Batch::default();
        batch.insert(active);
        let kind = EventKind::CustomerCreated;
        batch.insert(crate::events::row(
            actor.org_id(),
            kind,
            id.as_str(),
            &shown,
            now,
        )?);
        let details = format!("{}: {:?}", id.as_str(), new.details.name.as_str());
        let (db, actor) = (self.db.clone(), actor.clone());
        let written = crate::db::on_writer_thread(&self.db, async move {
            let txn = crate::db::Txn::begin(&db).await?;
            audit::commit_with(txn, batch, &actor, "customer.created", details, now).await
        });
        match written.await {
            Err(ConsoleError::Db(err)) if email_taken(&err) => {
                Err(ConsoleError::field("email", FieldCode::EmailTaken))
            }
            other => other,
        }?;
        Ok(shown)
    }

    /// Replaces a customer's name, language, billing address and VAT number.
    pub async fn update_customer_details(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        details: CustomerDetails,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let c = find(&txn, actor, id).await?;
        let mut active = c.into_active_model();
        set_details(&mut active, &details);
        let updated = active.update(&txn).await?;
        customer_event(&txn, EventKind::CustomerUpdated, &updated, now).await?;
        audit::commit(txn, actor, "customer.details", id.as_str().to_owned(), now).await
    }

    /// Archives a customer (`archived`) or restores them. An archived customer keeps their
    /// history and portal; staff cannot start new subscriptions for them.
    pub async fn set_customer_archived(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        archived: bool,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let c = find(&txn, actor, id).await?;
        if c.archived_at.is_some() == archived {
            return Ok(());
        }
        let mut active = c.into_active_model();
        active.archived_at = Set(archived.then_some(now));
        let updated = active.update(&txn).await?;
        customer_event(&txn, EventKind::CustomerUpdated, &updated, now).await?;
        let action = if archived {
            "customer.archived"
        } else {
            "customer.restored"
        };
        audit::commit(txn, actor, action, id.as_str().to_owned(), now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARCO: CustomerDetailsForm<'static> = CustomerDetailsForm {
        name: " Marco Bianchi ",
        locale: "it",
        billing_address: "Via Roma 1\n20100 Milano",
        tax_id: "IT 12345678903",
    };

    #[test]
    fn a_new_customer_parses() {
        let c = NewCustomer::try_from(("Marco@Example.com", MARCO)).unwrap();
        assert_eq!(c.details.name.as_str(), "Marco Bianchi");
        assert_eq!(c.details.locale, Locale::It);
        assert_eq!(
            c.details.tax_id.as_ref().map(VatNumber::as_str),
            Some("IT12345678903")
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = NewCustomer::try_from((
            "not-an-email",
            CustomerDetailsForm {
                name: "",
                locale: "fr",
                billing_address: &"x\n".repeat(9),
                tax_id: "IT12345678901",
            },
        ))
        .unwrap_err();
        assert_eq!(bad.get("email"), Some(&FieldCode::EmailInvalid));
        assert_eq!(bad.get("name"), Some(&FieldCode::NameEmpty));
        assert_eq!(bad.get("locale"), Some(&FieldCode::LocaleInvalid));
        assert_eq!(bad.get("billing_address"), Some(&FieldCode::AddressInvalid));
        assert_eq!(bad.get("tax_id"), Some(&FieldCode::TaxIdInvalid));
    }
}
