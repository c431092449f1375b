//! The customer's own invoice as a PDF: ownership and permission first (`own_invoice`),
//! then the shared renderer.
use super::account::own_invoice;
use super::{PortalError, PortalService, settings};
use crate::services::invoice_pdf::{self, InvoicePdf, InvoicePdfError};
use app::portal::port::PortalCustomer;

/// Renders the customer's own invoice `public_id`; `NotFound` for anyone else's.
pub async fn render(
    svc: &PortalService,
    who: &PortalCustomer,
    key: &str,
    public_id: &str,
) -> Result<InvoicePdf, PortalError> {
    let inv = own_invoice(svc, who, public_id).await?;
    let portal = settings::enabled(svc, key).await?;
    if portal.org.id != who.org_id() {
        return Err(PortalError::NotFound);
    }
    invoice_pdf::render(&svc.db, inv)
        .await
        .map_err(|e| match e {
            InvoicePdfError::NotFound => PortalError::NotFound,
            InvoicePdfError::Render => PortalError::Pdf,
            InvoicePdfError::Db(err) => PortalError::Db(err),
        })
}
