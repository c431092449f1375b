//! Pausing from the portal: a subscription keeps the day its pause ends
//! (`pause_resumes_at`: asked for while active, the pause begins at the period's end; while
//! `paused`, the day it resumes). The portal's permission starts off (a pause stops
//! revenue), with a longest pause of 90 days.

use crate::util::{add_columns, drop_columns};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Subscriptions::Table,
            [timestamp_with_time_zone_null(Subscriptions::PauseResumesAt)],
        )
        .await?;
        add_columns(
            manager,
            PortalSettings::Table,
            [
                boolean(PortalSettings::PermPauseSubscription)
                    .default(false)
                    .to_owned(),
                integer(PortalSettings::PauseMaxDays).default(90).to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            PortalSettings::Table,
            [
                PortalSettings::PauseMaxDays,
                PortalSettings::PermPauseSubscription,
            ],
        )
        .await?;
        drop_columns(
            manager,
            Subscriptions::Table,
            [Subscriptions::PauseResumesAt],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Subscriptions {
    Table,
    PauseResumesAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortalSettings {
    Table,
    PermPauseSubscription,
    PauseMaxDays,
}
