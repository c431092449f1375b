//! Billing details: the customer's own name, language, billing address and tax ID, as their
//! new invoices print them. The rules are `domain`'s, applied by [`CustomerDetails`] at the
//! entry point; the write is the one staff make (`set_customer_details`), with its
//! `customer.updated` event and an audit row in the same transaction.
use super::{PortalError, PortalService};
use crate::console::{CustomerDetails, set_customer_details};
use crate::entity::customer;
use crate::portal::PortalCustomer;
use domain::{EventKind, PortalPermission};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use wire::portal::BillingDetailsView;

/// The signed-in customer's row.
async fn own_customer(
    db: &impl ConnectionTrait,
    who: &PortalCustomer,
) -> Result<customer::Model, PortalError> {
    customer::Entity::find_by_id(who.customer_id())
        .filter(customer::Column::OrganizationId.eq(who.org_id()))
        .one(db)
        .await?
        .ok_or(PortalError::NotFound)
}

impl PortalService {
    /// The billing details form's values (permission: billing details).
    pub async fn billing_details(
        &self,
        who: &PortalCustomer,
    ) -> Result<BillingDetailsView, PortalError> {
        who.require(PortalPermission::UpdateBillingDetails)?;
        let c = own_customer(&self.db, who).await?;
        Ok(BillingDetailsView {
            name: c.name,
            email: c.email,
            locale: c.locale,
            billing_address: c.billing_address,
            tax_id: c.tax_id.unwrap_or_default(),
        })
    }

    /// Replaces the customer's details (permission: billing details). The audit row names
    /// the fields that changed, never their values.
    pub async fn update_billing_details(
        &self,
        who: &PortalCustomer,
        details: CustomerDetails,
    ) -> Result<(), PortalError> {
        who.require(PortalPermission::UpdateBillingDetails)?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let before = own_customer(&txn, who).await?;
        let mut active = before.clone().into_active_model();
        set_customer_details(&mut active, &details);
        let after = active.update(&txn).await?;
        let changed: Vec<&str> = [
            ("name", before.name != after.name),
            ("locale", before.locale != after.locale),
            (
                "billing_address",
                before.billing_address != after.billing_address,
            ),
            ("tax_id", before.tax_id != after.tax_id),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let shown = crate::console::customer_object_of(after.clone())
            .map_err(|e| PortalError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
        crate::events::record(
            &txn,
            after.organization_id,
            EventKind::CustomerUpdated,
            &after.public_id,
            &shown,
            now,
        )
        .await?;
        let details = serde_json::json!({ "changed": changed });
        let action = "customer.billing_details";
        super::audit::record(&txn, who.org_id(), &after.public_id, action, details, now).await?;
        txn.commit().await?;
        // The portal's header shows the name from the session: read this customer's again.
        let id = who.customer_id();
        self.sessions.forget_where(|s| s.customer_id == id);
        Ok(())
    }
}
