//! Webhooks: a merchant's endpoints (address, event filter, signing secret encrypted at rest,
//! on/off, since when it fails, and the last event it was given), one delivery per event and
//! endpoint (status, tries, when the next try is due, which doubles as the lease of the worker
//! sending it), and one log row per try (status code, duration, error, the answer's start).

use crate::util::{fk, index, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(big_pk_auto(WebhookEndpoints::Id))
                    .col(string_len_uniq(WebhookEndpoints::PublicId, 32))
                    .col(big_integer(WebhookEndpoints::OrganizationId))
                    .col(string_len(WebhookEndpoints::Url, 2048))
                    .col(string_len(WebhookEndpoints::Description, 200).default(""))
                    .col(text(WebhookEndpoints::EventFilter))
                    .col(text(WebhookEndpoints::SecretSealed))
                    .col(boolean(WebhookEndpoints::Enabled))
                    .col(string_len_null(WebhookEndpoints::DisabledReason, 16))
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::FailingSince,
                    ))
                    .col(big_integer(WebhookEndpoints::LastEventId))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                WebhookEndpoints::Table,
                [WebhookEndpoints::OrganizationId],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(big_pk_auto(WebhookDeliveries::Id))
                    .col(string_len_uniq(WebhookDeliveries::PublicId, 32))
                    .col(big_integer(WebhookDeliveries::OrganizationId))
                    .col(big_integer(WebhookDeliveries::EndpointId))
                    .col(big_integer(WebhookDeliveries::EventId))
                    .col(string_len(WebhookDeliveries::Status, 16))
                    .col(integer(WebhookDeliveries::Tries))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::NextAttemptAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LastAttemptAt,
                    ))
                    .col(integer_null(WebhookDeliveries::LastStatusCode))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .foreign_key(&mut fk(
                        WebhookDeliveries::Table,
                        WebhookDeliveries::EndpointId,
                        WebhookEndpoints::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        WebhookDeliveries::Table,
                        WebhookDeliveries::EventId,
                        Events::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                WebhookDeliveries::Table,
                [WebhookDeliveries::EndpointId, WebhookDeliveries::EventId],
            ))
            .await?;
        manager
            .create_index(index(
                WebhookDeliveries::Table,
                [WebhookDeliveries::Status, WebhookDeliveries::NextAttemptAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookAttempts::Table)
                    .col(big_pk_auto(WebhookAttempts::Id))
                    .col(big_integer(WebhookAttempts::DeliveryId))
                    .col(big_integer(WebhookAttempts::EndpointId))
                    .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                    .col(integer_null(WebhookAttempts::StatusCode))
                    .col(big_integer(WebhookAttempts::DurationMs))
                    .col(text_null(WebhookAttempts::Error))
                    .col(text_null(WebhookAttempts::ResponseBody))
                    .foreign_key(&mut fk(
                        WebhookAttempts::Table,
                        WebhookAttempts::DeliveryId,
                        WebhookDeliveries::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                WebhookAttempts::Table,
                [WebhookAttempts::EndpointId, WebhookAttempts::Id],
            ))
            .await?;
        manager
            .create_index(index(WebhookAttempts::Table, [WebhookAttempts::DeliveryId]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookAttempts::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookEndpoints::Table).take())
            .await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum Events {
    Table,
}

#[derive(DeriveIden, Clone)]
enum WebhookEndpoints {
    Table,
    Id,
    PublicId,
    OrganizationId,
    Url,
    Description,
    EventFilter,
    SecretSealed,
    Enabled,
    DisabledReason,
    FailingSince,
    LastEventId,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum WebhookDeliveries {
    Table,
    Id,
    PublicId,
    OrganizationId,
    EndpointId,
    EventId,
    Status,
    Tries,
    NextAttemptAt,
    LastAttemptAt,
    LastStatusCode,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    EndpointId,
    AttemptedAt,
    StatusCode,
    DurationMs,
    Error,
    ResponseBody,
}
