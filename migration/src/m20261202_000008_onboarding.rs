//! Onboarding: an organization's default currency and country (chosen at setup), its
//! connected payment gateway (Settings → Payments), and the
//! one-time setup tokens that let the first merchant create their organization from an
//! empty database. Only a token's SHA-256 is stored.

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
                    .table(Organizations::Table)
                    .add_column(string_len(Organizations::DefaultCurrency, 3).default("EUR"))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(string_len(Organizations::Country, 2).default("IT"))
                    .take(),
            )
            .await?;
        // The connected gateway (`sandbox`), or none: Payments are active only with one.
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(string_len_null(Organizations::Gateway, 32))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SetupTokens::Table)
                    .col(big_pk_auto(SetupTokens::Id))
                    .col(string_len_uniq(SetupTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(SetupTokens::CreatedAt))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SetupTokens::Table).take())
            .await?;
        for column in [
            Organizations::Gateway,
            Organizations::Country,
            Organizations::DefaultCurrency,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organizations::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    DefaultCurrency,
    Country,
    Gateway,
}

#[derive(DeriveIden)]
enum SetupTokens {
    Table,
    Id,
    TokenHash,
    CreatedAt,
}
