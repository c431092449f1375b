//! The catalog: a price bills every `interval_count` weeks, months or years, may start with
//! free trial days, and is archived (never deleted or repriced) once subscriptions use it.

use crate::util::{add_columns, drop_columns};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            Plans::Table,
            [
                ColumnDef::new(Plans::IntervalCount)
                    .integer()
                    .not_null()
                    .default(1)
                    .to_owned(),
                ColumnDef::new(Plans::TrialDays)
                    .integer()
                    .not_null()
                    .default(0)
                    .to_owned(),
                timestamp_with_time_zone_null(Plans::ArchivedAt),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            Plans::Table,
            [Plans::ArchivedAt, Plans::TrialDays, Plans::IntervalCount],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Plans {
    Table,
    IntervalCount,
    TrialDays,
    ArchivedAt,
}
