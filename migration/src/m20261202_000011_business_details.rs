//! Settings → Payments, the rest: the business details printed on invoices (legal name,
//! address, VAT number, footer), the invoice number prefix (the slug's when empty) and
//! whether card-expiry reminders are sent.

use crate::util::{add_columns, drop_columns};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Organizations::Table,
            [
                string_len_null(Organizations::LegalName, 200),
                ColumnDef::new(Organizations::BusinessAddress)
                    .text()
                    .not_null()
                    .default("")
                    .to_owned(),
                string_len_null(Organizations::VatNumber, 32),
                ColumnDef::new(Organizations::InvoiceFooter)
                    .text()
                    .not_null()
                    .default("")
                    .to_owned(),
                string_len_null(Organizations::InvoicePrefix, 10),
                boolean(Organizations::ExpiryReminders)
                    .default(true)
                    .to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            Organizations::Table,
            [
                Organizations::ExpiryReminders,
                Organizations::InvoicePrefix,
                Organizations::InvoiceFooter,
                Organizations::VatNumber,
                Organizations::BusinessAddress,
                Organizations::LegalName,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    LegalName,
    BusinessAddress,
    VatNumber,
    InvoiceFooter,
    InvoicePrefix,
    ExpiryReminders,
}
