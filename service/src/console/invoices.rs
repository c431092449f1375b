//! A customer's invoice as a PDF for staff: the portal's branded renderer, scoped to the
//! staff member's organization (another organization's invoice is `NotFound`).
use super::{ConsoleError, ConsoleService};
use crate::console::AdminActor;
use crate::entity::{customer, invoice};
use crate::invoice_pdf::{self, InvoicePdf, InvoicePdfError};
use domain::{CustomerId, InvoiceId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

impl ConsoleService {
    /// Renders invoice `id` of customer `customer`, both of the actor's organization.
    pub async fn invoice_pdf(
        &self,
        actor: &AdminActor,
        customer: &CustomerId,
        id: &InvoiceId,
    ) -> Result<InvoicePdf, ConsoleError> {
        let cust = customer::Entity::find()
            .filter(customer::Column::OrganizationId.eq(actor.org_id()))
            .filter(customer::Column::PublicId.eq(customer.as_str()))
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let inv = invoice::Entity::find()
            .filter(invoice::Column::OrganizationId.eq(actor.org_id()))
            .filter(invoice::Column::CustomerId.eq(cust.id))
            .filter(invoice::Column::PublicId.eq(id.as_str()))
            .filter(invoice::Column::Status.ne("draft"))
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        invoice_pdf::render(&self.db, inv)
            .await
            .map_err(|e| match e {
                InvoicePdfError::NotFound => ConsoleError::NotFound,
                InvoicePdfError::Render => ConsoleError::Pdf,
                InvoicePdfError::Db(err) => ConsoleError::Db(err),
            })
    }
}
