//! Events: one row per state change (`customer.created`, `subscription.canceled`, …), written
//! in the change's transaction, with the changed object as it then stood (JSON). The merchant
//! API lists them (`GET /v1/events`), newest first, per organization.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(big_pk_auto(Events::Id))
                    .col(string_len_uniq(Events::PublicId, 32))
                    .col(big_integer(Events::OrganizationId))
                    .col(string_len(Events::Kind, 64))
                    .col(string_len(Events::ObjectId, 32))
                    .col(text(Events::Data))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_org_id")
                    .table(Events::Table)
                    .col(Events::OrganizationId)
                    .col(Events::Id)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Events::Table).take())
            .await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    PublicId,
    OrganizationId,
    Kind,
    ObjectId,
    Data,
    CreatedAt,
}
