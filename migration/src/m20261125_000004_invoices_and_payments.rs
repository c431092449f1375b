//! Invoices, their lines, and every attempt to collect one.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(big_pk_auto(Invoices::Id))
                    .col(string_len_uniq(Invoices::PublicId, 32))
                    .col(big_integer(Invoices::OrganizationId))
                    .col(big_integer(Invoices::CustomerId))
                    .col(big_integer_null(Invoices::SubscriptionId))
                    // Human-facing number, sequential per organization.
                    .col(string_len(Invoices::Number, 32))
                    .col(string_len(Invoices::Status, 32))
                    .col(string_len(Invoices::Currency, 3))
                    .col(big_integer(Invoices::SubtotalMinor))
                    .col(big_integer(Invoices::TotalMinor))
                    .col(big_integer(Invoices::AmountPaidMinor).default(0))
                    .col(integer(Invoices::AttemptCount).default(0))
                    .col(timestamp_with_time_zone_null(Invoices::FirstFailureAt))
                    .col(timestamp_with_time_zone_null(Invoices::NextAttemptAt))
                    .col(timestamp_with_time_zone(Invoices::PeriodStart))
                    .col(timestamp_with_time_zone(Invoices::PeriodEnd))
                    .col(timestamp_with_time_zone_null(Invoices::PaidAt))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .col(timestamp_with_time_zone(Invoices::UpdatedAt))
                    .foreign_key(&mut fk(
                        Invoices::Table,
                        Invoices::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    // Billing history: a customer or subscription with invoices stays.
                    .foreign_key(&mut fk(
                        Invoices::Table,
                        Invoices::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::NoAction,
                    ))
                    .foreign_key(&mut fk(
                        Invoices::Table,
                        Invoices::SubscriptionId,
                        Subscriptions::Table,
                        ForeignKeyAction::NoAction,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                Invoices::Table,
                [Invoices::OrganizationId, Invoices::Number],
            ))
            .await?;
        // The dunning worker: open invoices whose next retry is due.
        manager
            .create_index(index(
                Invoices::Table,
                [Invoices::Status, Invoices::NextAttemptAt],
            ))
            .await?;
        manager
            .create_index(index(
                Invoices::Table,
                [Invoices::CustomerId, Invoices::Status],
            ))
            .await?;
        manager
            .create_index(index(Invoices::Table, [Invoices::SubscriptionId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceLines::Table)
                    .col(big_pk_auto(InvoiceLines::Id))
                    .col(big_integer(InvoiceLines::InvoiceId))
                    .col(string_len(InvoiceLines::Description, 500))
                    .col(integer(InvoiceLines::Quantity))
                    .col(big_integer(InvoiceLines::UnitAmountMinor))
                    .col(big_integer(InvoiceLines::AmountMinor))
                    .foreign_key(&mut fk(
                        InvoiceLines::Table,
                        InvoiceLines::InvoiceId,
                        Invoices::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(InvoiceLines::Table, [InvoiceLines::InvoiceId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PaymentAttempts::Table)
                    .col(big_pk_auto(PaymentAttempts::Id))
                    .col(string_len_uniq(PaymentAttempts::PublicId, 32))
                    .col(big_integer(PaymentAttempts::OrganizationId))
                    .col(big_integer(PaymentAttempts::InvoiceId))
                    .col(big_integer_null(PaymentAttempts::PaymentMethodId))
                    .col(big_integer(PaymentAttempts::AmountMinor))
                    .col(string_len(PaymentAttempts::Currency, 3))
                    .col(string_len(PaymentAttempts::Outcome, 32))
                    .col(string_len_null(PaymentAttempts::DeclineCode, 64))
                    // The same key the gateway received: a retried request can never
                    // record (or charge) twice.
                    .col(string_len_uniq(PaymentAttempts::IdempotencyKey, 128))
                    .col(string_len(PaymentAttempts::Trigger, 32))
                    .col(string_len_null(PaymentAttempts::GatewayReference, 128))
                    .col(timestamp_with_time_zone(PaymentAttempts::CreatedAt))
                    .foreign_key(&mut fk(
                        PaymentAttempts::Table,
                        PaymentAttempts::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PaymentAttempts::Table,
                        PaymentAttempts::InvoiceId,
                        Invoices::Table,
                        ForeignKeyAction::NoAction,
                    ))
                    // Removing a payment method keeps the attempts made with it.
                    .foreign_key(&mut fk(
                        PaymentAttempts::Table,
                        PaymentAttempts::PaymentMethodId,
                        PaymentMethods::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(PaymentAttempts::Table, [PaymentAttempts::InvoiceId]))
            .await?;
        manager
            .create_index(index(
                PaymentAttempts::Table,
                [PaymentAttempts::OrganizationId, PaymentAttempts::CreatedAt],
            ))
            .await?;
        manager
            .create_index(index(
                PaymentAttempts::Table,
                [PaymentAttempts::PaymentMethodId],
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PaymentAttempts::Table.into_iden(),
            InvoiceLines::Table.into_iden(),
            Invoices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    PublicId,
    OrganizationId,
    CustomerId,
    SubscriptionId,
    Number,
    Status,
    Currency,
    SubtotalMinor,
    TotalMinor,
    AmountPaidMinor,
    AttemptCount,
    FirstFailureAt,
    NextAttemptAt,
    PeriodStart,
    PeriodEnd,
    PaidAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    Id,
    InvoiceId,
    Description,
    Quantity,
    UnitAmountMinor,
    AmountMinor,
}

#[derive(DeriveIden)]
enum PaymentAttempts {
    Table,
    Id,
    PublicId,
    OrganizationId,
    InvoiceId,
    PaymentMethodId,
    AmountMinor,
    Currency,
    Outcome,
    DeclineCode,
    IdempotencyKey,
    Trigger,
    GatewayReference,
    CreatedAt,
}
