//! Invitations to an organization's team: an owner names an email and a role; the invited
//! person opens the emailed link (single use, seven days) and sets their password. Only
//! the token's SHA-256 is stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffInvitations::Table)
                    .col(big_pk_auto(StaffInvitations::Id))
                    .col(big_integer(StaffInvitations::OrganizationId))
                    .col(string_len(StaffInvitations::Email, 254))
                    .col(string_len(StaffInvitations::Role, 16))
                    .col(string_len_uniq(StaffInvitations::TokenHash, 64))
                    .col(big_integer_null(StaffInvitations::InvitedBy))
                    .col(timestamp_with_time_zone(StaffInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(StaffInvitations::AcceptedAt))
                    .col(timestamp_with_time_zone(StaffInvitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffInvitations::Table, StaffInvitations::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_staff_invitations_org_email")
                    .table(StaffInvitations::Table)
                    .col(StaffInvitations::OrganizationId)
                    .col(StaffInvitations::Email)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StaffInvitations::Table).take())
            .await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StaffInvitations {
    Table,
    Id,
    OrganizationId,
    Email,
    Role,
    TokenHash,
    InvitedBy,
    ExpiresAt,
    AcceptedAt,
    CreatedAt,
}
