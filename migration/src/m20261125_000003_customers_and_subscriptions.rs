//! Customers, the plans they subscribe to, their subscriptions and saved payment methods.

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
                    .table(Customers::Table)
                    .col(big_pk_auto(Customers::Id))
                    .col(string_len_uniq(Customers::PublicId, 32))
                    .col(big_integer(Customers::OrganizationId))
                    // Stored lowercased by the application; unique per organization.
                    .col(string_len(Customers::Email, 254))
                    .col(string_len(Customers::Name, 200))
                    .col(string_len(Customers::Locale, 5))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .foreign_key(&mut fk(
                        Customers::Table,
                        Customers::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                Customers::Table,
                [Customers::OrganizationId, Customers::Email],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(big_pk_auto(Plans::Id))
                    .col(string_len_uniq(Plans::PublicId, 32))
                    .col(big_integer(Plans::OrganizationId))
                    .col(string_len(Plans::Name, 200))
                    .col(big_integer(Plans::AmountMinor))
                    .col(string_len(Plans::Currency, 3))
                    .col(string_len(Plans::Interval, 16))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .foreign_key(&mut fk(
                        Plans::Table,
                        Plans::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(Plans::Table, [Plans::OrganizationId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(big_pk_auto(Subscriptions::Id))
                    .col(string_len_uniq(Subscriptions::PublicId, 32))
                    .col(big_integer(Subscriptions::OrganizationId))
                    .col(big_integer(Subscriptions::CustomerId))
                    .col(big_integer(Subscriptions::PlanId))
                    .col(string_len(Subscriptions::Status, 32))
                    .col(timestamp_with_time_zone(Subscriptions::CurrentPeriodStart))
                    .col(timestamp_with_time_zone(Subscriptions::CurrentPeriodEnd))
                    .col(boolean(Subscriptions::CancelAtPeriodEnd).default(false))
                    .col(string_len_null(Subscriptions::CancelReason, 64))
                    .col(text_null(Subscriptions::CancelComment))
                    .col(timestamp_with_time_zone_null(Subscriptions::CanceledAt))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .foreign_key(&mut fk(
                        Subscriptions::Table,
                        Subscriptions::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    // Billing history: a customer or plan with subscriptions cannot be deleted.
                    .foreign_key(&mut fk(
                        Subscriptions::Table,
                        Subscriptions::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::NoAction,
                    ))
                    .foreign_key(&mut fk(
                        Subscriptions::Table,
                        Subscriptions::PlanId,
                        Plans::Table,
                        ForeignKeyAction::NoAction,
                    ))
                    .take(),
            )
            .await?;
        // The renewal worker: active subscriptions whose period has ended.
        manager
            .create_index(index(
                Subscriptions::Table,
                [Subscriptions::Status, Subscriptions::CurrentPeriodEnd],
            ))
            .await?;
        manager
            .create_index(index(Subscriptions::Table, [Subscriptions::CustomerId]))
            .await?;
        manager
            .create_index(index(Subscriptions::Table, [Subscriptions::OrganizationId]))
            .await?;
        manager
            .create_index(index(Subscriptions::Table, [Subscriptions::PlanId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PaymentMethods::Table)
                    .col(big_pk_auto(PaymentMethods::Id))
                    .col(string_len_uniq(PaymentMethods::PublicId, 32))
                    .col(big_integer(PaymentMethods::OrganizationId))
                    .col(big_integer(PaymentMethods::CustomerId))
                    .col(string_len(PaymentMethods::Kind, 32))
                    // Only what a receipt may show: brand, last four, expiry, holder, and the
                    // gateway's token. There is no column for a card number or a CVC, ever.
                    .col(string_len_null(PaymentMethods::Brand, 32))
                    .col(string_len(PaymentMethods::Last4, 4))
                    .col(integer_null(PaymentMethods::ExpMonth))
                    .col(integer_null(PaymentMethods::ExpYear))
                    .col(string_len_null(PaymentMethods::HolderName, 200))
                    .col(string_len(PaymentMethods::GatewayToken, 128))
                    .col(boolean(PaymentMethods::IsDefault).default(false))
                    .col(timestamp_with_time_zone_null(
                        PaymentMethods::ExpiryReminder30SentAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        PaymentMethods::ExpiryReminder7SentAt,
                    ))
                    .col(timestamp_with_time_zone_null(PaymentMethods::RemovedAt))
                    .col(timestamp_with_time_zone(PaymentMethods::CreatedAt))
                    .foreign_key(&mut fk(
                        PaymentMethods::Table,
                        PaymentMethods::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PaymentMethods::Table,
                        PaymentMethods::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(PaymentMethods::Table, [PaymentMethods::CustomerId]))
            .await?;
        // The card-expiry reminder worker: default cards expiring in a given month.
        manager
            .create_index(index(
                PaymentMethods::Table,
                [
                    PaymentMethods::IsDefault,
                    PaymentMethods::ExpYear,
                    PaymentMethods::ExpMonth,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                PaymentMethods::Table,
                [PaymentMethods::OrganizationId],
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PaymentMethods::Table.into_iden(),
            Subscriptions::Table.into_iden(),
            Plans::Table.into_iden(),
            Customers::Table.into_iden(),
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
    Id,
    PublicId,
    OrganizationId,
    Email,
    Name,
    Locale,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    PublicId,
    OrganizationId,
    Name,
    AmountMinor,
    Currency,
    Interval,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    PublicId,
    OrganizationId,
    CustomerId,
    PlanId,
    Status,
    CurrentPeriodStart,
    CurrentPeriodEnd,
    CancelAtPeriodEnd,
    CancelReason,
    CancelComment,
    CanceledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Id,
    PublicId,
    OrganizationId,
    CustomerId,
    Kind,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    HolderName,
    GatewayToken,
    IsDefault,
    #[sea_orm(iden = "expiry_reminder_30_sent_at")]
    ExpiryReminder30SentAt,
    #[sea_orm(iden = "expiry_reminder_7_sent_at")]
    ExpiryReminder7SentAt,
    RemovedAt,
    CreatedAt,
}
