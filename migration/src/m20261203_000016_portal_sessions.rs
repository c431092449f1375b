//! Portal sessions made by the merchant API (`POST /v1/portal_sessions`): a one-time link
//! like the emailed one (same table, hashed token, single use), marked as the app's, with the
//! app's page to link back to and the portal language to open in; the customer session it
//! opens keeps that page for the header's "Back to …" link.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(MagicLinks::Table)
                    .add_column(boolean(MagicLinks::FromApi).default(false))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MagicLinks::Table)
                    .add_column(text_null(MagicLinks::AppReturnUrl))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MagicLinks::Table)
                    .add_column(string_len_null(MagicLinks::Locale, 8))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CustomerSessions::Table)
                    .add_column(text_null(CustomerSessions::AppReturnUrl))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CustomerSessions::Table)
                    .drop_column(CustomerSessions::AppReturnUrl)
                    .take(),
            )
            .await?;
        for column in [
            MagicLinks::Locale,
            MagicLinks::AppReturnUrl,
            MagicLinks::FromApi,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(MagicLinks::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MagicLinks {
    Table,
    FromApi,
    AppReturnUrl,
    Locale,
}

#[derive(DeriveIden)]
enum CustomerSessions {
    Table,
    AppReturnUrl,
}
