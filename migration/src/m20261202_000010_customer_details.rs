//! A customer's billing details (the address and VAT number printed on invoices) and
//! archiving: an archived customer takes no new subscriptions.

use crate::util::{add_columns, drop_columns};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Customers::Table,
            [
                ColumnDef::new(Customers::BillingAddress)
                    .text()
                    .not_null()
                    .default("")
                    .to_owned(),
                string_len_null(Customers::TaxId, 32),
                timestamp_with_time_zone_null(Customers::ArchivedAt),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            Customers::Table,
            [
                Customers::ArchivedAt,
                Customers::TaxId,
                Customers::BillingAddress,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Customers {
    Table,
    BillingAddress,
    TaxId,
    ArchivedAt,
}
