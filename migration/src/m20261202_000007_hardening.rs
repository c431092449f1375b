//! Hardening: declined payment-method attempts (the card-testing velocity limit counts
//! them, across processes), and the outbox's link from a sign-in email to its magic link,
//! so the link's token is minted only when the email is sent and never stored in clear.

use crate::util::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaymentMethodDeclines::Table)
                    .col(big_pk_auto(PaymentMethodDeclines::Id))
                    .col(big_integer(PaymentMethodDeclines::OrganizationId))
                    .col(big_integer(PaymentMethodDeclines::CustomerId))
                    // The client address as text (IPv4 or IPv6), when known.
                    .col(string_len_null(PaymentMethodDeclines::ClientIp, 64))
                    .col(string_len(PaymentMethodDeclines::DeclineCode, 64))
                    .col(timestamp_with_time_zone(PaymentMethodDeclines::CreatedAt))
                    .foreign_key(&mut fk(
                        PaymentMethodDeclines::Table,
                        PaymentMethodDeclines::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PaymentMethodDeclines::Table,
                        PaymentMethodDeclines::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                PaymentMethodDeclines::Table,
                [
                    PaymentMethodDeclines::CustomerId,
                    PaymentMethodDeclines::CreatedAt,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                PaymentMethodDeclines::Table,
                [
                    PaymentMethodDeclines::ClientIp,
                    PaymentMethodDeclines::CreatedAt,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                PaymentMethodDeclines::Table,
                [PaymentMethodDeclines::OrganizationId],
            ))
            .await?;
        // A plain column: SQLite cannot add a foreign key to an existing table. The
        // delivery worker only uses a link of the same customer as the email.
        manager
            .alter_table(
                Table::alter()
                    .table(OutboundEmails::Table)
                    .add_column(big_integer_null(OutboundEmails::MagicLinkId))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboundEmails::Table)
                    .drop_column(OutboundEmails::MagicLinkId)
                    .take(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(PaymentMethodDeclines::Table).take())
            .await
    }
}

#[derive(DeriveIden)]
enum PaymentMethodDeclines {
    Table,
    Id,
    OrganizationId,
    CustomerId,
    ClientIp,
    DeclineCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboundEmails {
    Table,
    MagicLinkId,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
}
