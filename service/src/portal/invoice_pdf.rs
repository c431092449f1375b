//! The customer's own invoice as a PDF: ownership and permission first (`own_invoice`),
//! then the shared renderer.
use super::{PortalError, PortalService};
use crate::invoice_pdf::{self, InvoicePdf, InvoicePdfError};
use crate::portal::PortalCustomer;

impl PortalService {
    /// Renders the customer's own invoice `public_id`; `NotFound` for anyone else's.
    pub async fn invoice_pdf(
        &self,
        who: &PortalCustomer,
        key: &str,
        public_id: &str,
    ) -> Result<InvoicePdf, PortalError> {
        let inv = self.own_invoice(who, public_id).await?;
        let portal = self.enabled(key).await?;
        if portal.org.id != who.org_id() {
            return Err(PortalError::NotFound);
        }
        invoice_pdf::render(&self.db, inv)
            .await
            .map_err(|e| match e {
                InvoicePdfError::NotFound => PortalError::NotFound,
                InvoicePdfError::Render => PortalError::Pdf,
                InvoicePdfError::Db(err) => PortalError::Db(err),
            })
    }
}
