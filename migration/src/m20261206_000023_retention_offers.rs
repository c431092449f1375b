//! The retention offer: a merchant's one discount (`retention_percent` off for
//! `retention_months`, both NULL for none) shown to a customer about to cancel, once per
//! subscription (`retention_offered_at`: accepted or passed over). An accepted offer is the
//! subscription's discount: `discount_percent` off invoices whose period starts before
//! `discount_ends_at`.

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
                timestamp_with_time_zone_null(Subscriptions::RetentionOfferedAt),
                integer_null(Subscriptions::DiscountPercent),
                timestamp_with_time_zone_null(Subscriptions::DiscountEndsAt),
            ],
        )
        .await?;
        add_columns(
            manager,
            PortalSettings::Table,
            [
                integer_null(PortalSettings::RetentionPercent),
                integer_null(PortalSettings::RetentionMonths),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            PortalSettings::Table,
            [
                PortalSettings::RetentionMonths,
                PortalSettings::RetentionPercent,
            ],
        )
        .await?;
        drop_columns(
            manager,
            Subscriptions::Table,
            [
                Subscriptions::DiscountEndsAt,
                Subscriptions::DiscountPercent,
                Subscriptions::RetentionOfferedAt,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Subscriptions {
    Table,
    RetentionOfferedAt,
    DiscountPercent,
    DiscountEndsAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortalSettings {
    Table,
    RetentionPercent,
    RetentionMonths,
}
