//! Customers as the merchant API (`/v1/customers`) sees them: one customer, a cursor page
//! of them, and a partial change in one transaction. Making and archiving one are the
//! console's own operations (`create_customer`, `set_customer_archived`).
use super::customer_details::{CustomerDetailsForm, set_details};
use super::customers::find;
use super::{AdminActor, ConsoleError, ConsoleService, CustomerDetails, audit};
use crate::entity::customer;
use chrono::{DateTime, Utc};
use domain::{CustomerId, EmailAddress, EventKind, PageLimit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use wire::api::{Customer, List, ObjectKind};
use wire::error::{FieldCode, FieldErrors};

/// The fields of a partial change, as sent: `None` keeps the stored value.
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerPatch<'a> {
    /// A new email.
    pub email: Option<&'a str>,
    /// A new name.
    pub name: Option<&'a str>,
    /// `en` or `it`.
    pub locale: Option<&'a str>,
    /// New billing address lines.
    pub billing_address: Option<&'a str>,
    /// A new VAT number; empty removes it.
    pub tax_id: Option<&'a str>,
}

/// Records `kind` for the customer row as it now stands, in the change's transaction.
pub(super) async fn customer_event(
    db: &impl ConnectionTrait,
    kind: EventKind,
    c: &customer::Model,
    now: DateTime<Utc>,
) -> Result<(), ConsoleError> {
    let shown = object(c.clone())?;
    crate::events::record(db, c.organization_id, kind, &c.public_id, &shown, now).await?;
    Ok(())
}

/// The customer as the API shows it.
pub(crate) fn object(c: customer::Model) -> Result<Customer, ConsoleError> {
    let id = CustomerId::parse(&c.public_id)
        .map_err(|_| ConsoleError::Internal(format!("customer {}: bad id", c.id)))?;
    Ok(Customer {
        id,
        object: ObjectKind::Customer,
        email: c.email,
        name: c.name,
        locale: c.locale,
        billing_address: c.billing_address,
        tax_id: c.tax_id,
        external_id: c.external_id,
        archived: c.archived_at.is_some(),
        created: c.created_at.timestamp(),
    })
}

impl ConsoleService {
    /// One customer of the actor's organization (`NotFound` for another's).
    pub async fn customer_object(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
    ) -> Result<Customer, ConsoleError> {
        object(find(&self.db, actor, id).await?)
    }

    /// A page of the organization's customers, newest first, after `starting_after` (a
    /// customer of the organization, else `NotFound`), optionally only the one with `email`.
    pub async fn customer_objects(
        &self,
        actor: &AdminActor,
        email: Option<&EmailAddress>,
        limit: PageLimit,
        starting_after: Option<&CustomerId>,
    ) -> Result<List<Customer>, ConsoleError> {
        let mut query =
            customer::Entity::find().filter(customer::Column::OrganizationId.eq(actor.org_id()));
        if let Some(email) = email {
            query = query.filter(customer::Column::Email.eq(email.as_str().to_lowercase()));
        }
        let after = match starting_after {
            Some(id) => Some(find(&self.db, actor, id).await?.id),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, customer::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: rows.into_iter().map(object).collect::<Result<_, _>>()?,
            has_more,
        })
    }

    /// Changes the fields given and keeps the others, in one transaction: every field that
    /// does not parse is named and nothing is written; a taken email is `email.taken`.
    pub async fn patch_customer(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        patch: CustomerPatch<'_>,
    ) -> Result<Customer, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let c = find(&txn, actor, id).await?;
        let CustomerPatch {
            email: None,
            name: None,
            locale: None,
            billing_address: None,
            tax_id: None,
        } = patch
        else {
            return self.change_customer(txn, actor, c, patch, now).await;
        };
        object(c)
    }

    async fn change_customer(
        &self,
        txn: sea_orm::DatabaseTransaction,
        actor: &AdminActor,
        c: customer::Model,
        patch: CustomerPatch<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Customer, ConsoleError> {
        let mut errors = FieldErrors::default();
        let email = patch
            .email
            .map(|e| {
                EmailAddress::parse(e).map_err(|_| errors.push("email", FieldCode::EmailInvalid))
            })
            .transpose()
            .ok()
            .flatten();
        // A tax ID the patch leaves out is kept as stored, not checked again: one saved
        // before a country's format was checked must not block a change of name.
        let details = CustomerDetails::try_from(CustomerDetailsForm {
            name: patch.name.unwrap_or(&c.name),
            locale: patch.locale.unwrap_or(&c.locale),
            billing_address: patch.billing_address.unwrap_or(&c.billing_address),
            tax_id: patch.tax_id.unwrap_or(""),
        });
        let details = match details {
            Ok(d) => Some(d),
            Err(more) => {
                errors.0.extend(more.0);
                None
            }
        };
        let (Some(details), true) = (details, errors.is_empty()) else {
            return Err(ConsoleError::Fields(errors));
        };
        let mut details_log = c.public_id.clone();
        let mut active = c.clone().into_active_model();
        if let Some(email) = &email {
            let address = email.as_str().to_lowercase();
            let taken = customer::Entity::find()
                .filter(customer::Column::OrganizationId.eq(actor.org_id()))
                .filter(customer::Column::Email.eq(address.as_str()))
                .filter(customer::Column::Id.ne(c.id))
                .one(&txn)
                .await?
                .is_some();
            if taken {
                return Err(ConsoleError::field("email", FieldCode::EmailTaken));
            }
            if address != c.email {
                details_log = format!("{}: {} → {address}", c.public_id, c.email);
            }
            active.email = Set(address);
        }
        set_details(&mut active, &details);
        if patch.tax_id.is_none() {
            active.tax_id = Set(c.tax_id.clone());
        }
        let updated = active.update(&txn).await?;
        customer_event(&txn, EventKind::CustomerUpdated, &updated, now).await?;
        audit::commit(txn, actor, "customer.updated", details_log, now).await?;
        object(updated)
    }
}
