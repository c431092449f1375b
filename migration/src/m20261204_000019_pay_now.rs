//! "Pay now" in the portal: its own permission, on for every portal (it only collects what
//! a customer owes), which the merchant can switch off.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PortalSettings::Table)
                    .add_column(boolean(PortalSettings::PermPayInvoices).default(true))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PortalSettings::Table)
                    .drop_column(PortalSettings::PermPayInvoices)
                    .take(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    PermPayInvoices,
}
