//! The embedded test-mode payment processor's own storage: its token vault and its charge
//! log. Deliberately unlinked from the portal's tables, as a real processor's would be.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SandboxGatewayTokens::Table)
                    .col(big_pk_auto(SandboxGatewayTokens::Id))
                    .col(string_len_uniq(SandboxGatewayTokens::Token, 128))
                    .col(string_len(SandboxGatewayTokens::Kind, 32))
                    // Like a real vault, only what identifies the card to a human and how the
                    // test number behaves; the number itself is never stored.
                    .col(string_len_null(SandboxGatewayTokens::Brand, 32))
                    .col(string_len(SandboxGatewayTokens::Last4, 4))
                    .col(integer_null(SandboxGatewayTokens::ExpMonth))
                    .col(integer_null(SandboxGatewayTokens::ExpYear))
                    // e.g. "succeed", "decline:card_declined", "always_decline".
                    .col(string_len(SandboxGatewayTokens::Behavior, 64))
                    .col(timestamp_with_time_zone(SandboxGatewayTokens::CreatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SandboxGatewayCharges::Table)
                    .col(big_pk_auto(SandboxGatewayCharges::Id))
                    // A repeated key returns the recorded result instead of charging again.
                    .col(string_len_uniq(SandboxGatewayCharges::IdempotencyKey, 128))
                    .col(string_len(SandboxGatewayCharges::Token, 128))
                    .col(big_integer(SandboxGatewayCharges::AmountMinor))
                    .col(string_len(SandboxGatewayCharges::Currency, 3))
                    .col(string_len(SandboxGatewayCharges::Outcome, 32))
                    .col(string_len_null(SandboxGatewayCharges::DeclineCode, 64))
                    .col(string_len(SandboxGatewayCharges::Reference, 128))
                    .col(timestamp_with_time_zone(SandboxGatewayCharges::CreatedAt))
                    .take(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxGatewayCharges::Table.into_iden(),
            SandboxGatewayTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SandboxGatewayTokens {
    Table,
    Id,
    Token,
    Kind,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    Behavior,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SandboxGatewayCharges {
    Table,
    Id,
    IdempotencyKey,
    Token,
    AmountMinor,
    Currency,
    Outcome,
    DeclineCode,
    Reference,
    CreatedAt,
}
