//! Plan changes from the portal. The merchant lists the prices customers may switch between
//! (`switch_prices`: their public ids, space-separated) and, optionally, the quantities they
//! may choose (`quantity_min` to `quantity_max`, both NULL: the quantity stays). The portal's
//! permission starts off (a change moves revenue). A change that takes effect at the
//! period's end waits on the subscription (`scheduled_plan_id`, `scheduled_quantity`).

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
                big_integer_null(Subscriptions::ScheduledPlanId),
                integer_null(Subscriptions::ScheduledQuantity),
            ],
        )
        .await?;
        add_columns(
            manager,
            PortalSettings::Table,
            [
                boolean(PortalSettings::PermChangePlan)
                    .default(false)
                    .to_owned(),
                text_null(PortalSettings::SwitchPrices),
                integer_null(PortalSettings::QuantityMin),
                integer_null(PortalSettings::QuantityMax),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            manager,
            PortalSettings::Table,
            [
                PortalSettings::QuantityMax,
                PortalSettings::QuantityMin,
                PortalSettings::SwitchPrices,
                PortalSettings::PermChangePlan,
            ],
        )
        .await?;
        drop_columns(
            manager,
            Subscriptions::Table,
            [
                Subscriptions::ScheduledQuantity,
                Subscriptions::ScheduledPlanId,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Subscriptions {
    Table,
    ScheduledPlanId,
    ScheduledQuantity,
}

#[derive(DeriveIden, Clone, Copy)]
enum PortalSettings {
    Table,
    PermChangePlan,
    SwitchPrices,
    QuantityMin,
    QuantityMax,
}
