//! How customers get in (magic links, sessions), what is sent to them (the outbound email
//! queue), and the organization's audit trail.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MagicLinks::Table)
                    .col(big_pk_auto(MagicLinks::Id))
                    .col(big_integer(MagicLinks::OrganizationId))
                    .col(big_integer(MagicLinks::CustomerId))
                    // Only the hash of the emailed token is stored.
                    .col(string_len_uniq(MagicLinks::TokenHash, 128))
                    .col(string_len_null(MagicLinks::ReturnTo, 2048))
                    .col(timestamp_with_time_zone(MagicLinks::CreatedAt))
                    .col(timestamp_with_time_zone(MagicLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(MagicLinks::UsedAt))
                    .foreign_key(&mut fk(
                        MagicLinks::Table,
                        MagicLinks::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        MagicLinks::Table,
                        MagicLinks::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(MagicLinks::Table, [MagicLinks::CustomerId]))
            .await?;
        manager
            .create_index(index(MagicLinks::Table, [MagicLinks::OrganizationId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CustomerSessions::Table)
                    .col(big_pk_auto(CustomerSessions::Id))
                    .col(big_integer(CustomerSessions::OrganizationId))
                    .col(big_integer(CustomerSessions::CustomerId))
                    // Only the hash of the cookie's token is stored.
                    .col(string_len_uniq(CustomerSessions::TokenHash, 128))
                    .col(timestamp_with_time_zone(CustomerSessions::CreatedAt))
                    .col(timestamp_with_time_zone(CustomerSessions::LastSeenAt))
                    .col(timestamp_with_time_zone(CustomerSessions::ExpiresAt))
                    .foreign_key(&mut fk(
                        CustomerSessions::Table,
                        CustomerSessions::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CustomerSessions::Table,
                        CustomerSessions::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                CustomerSessions::Table,
                [CustomerSessions::CustomerId],
            ))
            .await?;
        manager
            .create_index(index(
                CustomerSessions::Table,
                [CustomerSessions::OrganizationId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboundEmails::Table)
                    .col(big_pk_auto(OutboundEmails::Id))
                    .col(string_len_uniq(OutboundEmails::PublicId, 32))
                    // NULL for mail that belongs to no organization (e.g. staff sign-in).
                    .col(big_integer_null(OutboundEmails::OrganizationId))
                    .col(big_integer_null(OutboundEmails::CustomerId))
                    .col(string_len(OutboundEmails::ToAddress, 254))
                    .col(string_len(OutboundEmails::Kind, 64))
                    .col(string_len(OutboundEmails::Locale, 5))
                    .col(text(OutboundEmails::Subject))
                    .col(text(OutboundEmails::TextBody))
                    .col(text(OutboundEmails::HtmlBody))
                    .col(string_len(OutboundEmails::Status, 32))
                    .col(integer(OutboundEmails::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboundEmails::NextAttemptAt))
                    .col(text_null(OutboundEmails::LastError))
                    .col(timestamp_with_time_zone_null(OutboundEmails::SentAt))
                    .col(timestamp_with_time_zone(OutboundEmails::CreatedAt))
                    .foreign_key(&mut fk(
                        OutboundEmails::Table,
                        OutboundEmails::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        OutboundEmails::Table,
                        OutboundEmails::CustomerId,
                        Customers::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        // The mail worker: queued messages whose next attempt is due.
        manager
            .create_index(index(
                OutboundEmails::Table,
                [OutboundEmails::Status, OutboundEmails::NextAttemptAt],
            ))
            .await?;
        manager
            .create_index(index(
                OutboundEmails::Table,
                [OutboundEmails::OrganizationId],
            ))
            .await?;
        manager
            .create_index(index(OutboundEmails::Table, [OutboundEmails::CustomerId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(big_integer(AuditEvents::OrganizationId))
                    .col(string_len(AuditEvents::Actor, 255))
                    .col(string_len(AuditEvents::Action, 64))
                    // A JSON object, kept as text so both backends store it the same way.
                    .col(text(AuditEvents::Details))
                    .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                    .foreign_key(&mut fk(
                        AuditEvents::Table,
                        AuditEvents::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                AuditEvents::Table,
                [AuditEvents::OrganizationId, AuditEvents::CreatedAt],
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            OutboundEmails::Table.into_iden(),
            CustomerSessions::Table.into_iden(),
            MagicLinks::Table.into_iden(),
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
enum MagicLinks {
    Table,
    Id,
    OrganizationId,
    CustomerId,
    TokenHash,
    ReturnTo,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum CustomerSessions {
    Table,
    Id,
    OrganizationId,
    CustomerId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OutboundEmails {
    Table,
    Id,
    PublicId,
    OrganizationId,
    CustomerId,
    ToAddress,
    Kind,
    Locale,
    Subject,
    TextBody,
    HtmlBody,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OrganizationId,
    Actor,
    Action,
    Details,
    CreatedAt,
}
