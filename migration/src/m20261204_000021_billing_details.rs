//! Billing details in the portal: customers change their own name, language, billing
//! address and tax ID. Its own permission: a new portal starts with it on (it changes no
//! amount, `PortalPermissions::default_set`), but an existing one keeps what its customers
//! could do until its merchant turns it on: the names on its invoices do not start
//! changing unannounced. Each new invoice keeps the details it was made out
//! to (`billed_*`), so a later change does not rewrite it; an invoice from before has none
//! and shows the customer's current details, as it always did.

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
                    .add_column(boolean(PortalSettings::PermUpdateBillingDetails).default(false))
                    .take(),
            )
            .await?;
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            Invoices::BilledName,
            Invoices::BilledAddress,
            Invoices::BilledTaxId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Invoices::Table)
                        .add_column(text_null(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Invoices::BilledName,
            Invoices::BilledAddress,
            Invoices::BilledTaxId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Invoices::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(PortalSettings::Table)
                    .drop_column(PortalSettings::PermUpdateBillingDetails)
                    .take(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    PermUpdateBillingDetails,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    BilledName,
    BilledAddress,
    BilledTaxId,
}
