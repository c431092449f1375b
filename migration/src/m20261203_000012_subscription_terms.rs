//! Subscriptions staff create: how many units of the price they bill, and when a free
//! trial ends (the first invoice is made then).

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
            [
                integer(Subscriptions::Quantity).default(1).to_owned(),
                timestamp_with_time_zone_null(Subscriptions::TrialEnd),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            Subscriptions::Table,
            [Subscriptions::TrialEnd, Subscriptions::Quantity],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Subscriptions {
    Table,
    Quantity,
    TrialEnd,
}
