//! Organizations (the tenants) and their staff: users and console sessions.

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
                    .table(Organizations::Table)
                    .col(big_pk_auto(Organizations::Id))
                    .col(string_len_uniq(Organizations::PublicId, 32))
                    .col(string_len_uniq(Organizations::Slug, 63))
                    .col(string_len(Organizations::Name, 200))
                    .col(boolean(Organizations::PaymentsActive))
                    // Comma-separated day offsets after the first failure, e.g. "3,5,7".
                    .col(string_len(Organizations::DunningRetryDays, 64))
                    .col(string_len(Organizations::DunningFinalAction, 32))
                    // The test clock: this organization's "now" is the real now plus this.
                    .col(big_integer(Organizations::ClockOffsetSeconds).default(0))
                    .col(big_integer(Organizations::NextInvoiceSeq).default(1))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffUsers::Table)
                    .col(big_pk_auto(StaffUsers::Id))
                    .col(big_integer(StaffUsers::OrganizationId))
                    // Unique across all organizations: the login form asks for no tenant.
                    // Stored lowercased by the application.
                    .col(string_len_uniq(StaffUsers::Email, 254))
                    .col(string_len(StaffUsers::PasswordHash, 255))
                    .col(string_len(StaffUsers::Role, 32))
                    .col(integer(StaffUsers::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(StaffUsers::LockedUntil))
                    .col(timestamp_with_time_zone(StaffUsers::CreatedAt))
                    .foreign_key(&mut fk(
                        StaffUsers::Table,
                        StaffUsers::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(StaffUsers::Table, [StaffUsers::OrganizationId]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffSessions::Table)
                    .col(big_pk_auto(StaffSessions::Id))
                    .col(big_integer(StaffSessions::StaffUserId))
                    // Only a hash of the cookie's token is stored: a database leak
                    // does not hand out live sessions.
                    .col(string_len_uniq(StaffSessions::TokenHash, 128))
                    .col(timestamp_with_time_zone(StaffSessions::CreatedAt))
                    .col(timestamp_with_time_zone(StaffSessions::LastSeenAt))
                    .col(timestamp_with_time_zone(StaffSessions::ExpiresAt))
                    .foreign_key(&mut fk(
                        StaffSessions::Table,
                        StaffSessions::StaffUserId,
                        StaffUsers::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(StaffSessions::Table, [StaffSessions::StaffUserId]))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StaffSessions::Table.into_iden(),
            StaffUsers::Table.into_iden(),
            Organizations::Table.into_iden(),
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
    Id,
    PublicId,
    Slug,
    Name,
    PaymentsActive,
    DunningRetryDays,
    DunningFinalAction,
    ClockOffsetSeconds,
    NextInvoiceSeq,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffUsers {
    Table,
    Id,
    OrganizationId,
    Email,
    PasswordHash,
    Role,
    FailedLogins,
    LockedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffSessions {
    Table,
    Id,
    StaffUserId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}
