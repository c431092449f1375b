//! Cancellations: one row per cancellation a customer made (its reason, their comment, when,
//! and when it was undone), so the reasons stay after a resume and can be counted over time.
//! The subscriptions' own reason columns keep the latest one; existing reasons are copied.

use crate::util::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cancellations::Table)
                    .col(big_pk_auto(Cancellations::Id))
                    .col(big_integer(Cancellations::OrganizationId))
                    .col(big_integer(Cancellations::SubscriptionId))
                    .col(string_len(Cancellations::Reason, 32))
                    .col(text_null(Cancellations::Comment))
                    .col(timestamp_with_time_zone(Cancellations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Cancellations::ResumedAt))
                    .foreign_key(&mut fk(
                        Cancellations::Table,
                        Cancellations::OrganizationId,
                        Organizations::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Cancellations::Table,
                        Cancellations::SubscriptionId,
                        Subscriptions::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                Cancellations::Table,
                [Cancellations::OrganizationId, Cancellations::CreatedAt],
            ))
            .await?;
        manager
            .create_index(index(Cancellations::Table, [Cancellations::SubscriptionId]))
            .await?;
        let copy = Query::insert()
            .into_table(Cancellations::Table)
            .columns([
                Cancellations::OrganizationId,
                Cancellations::SubscriptionId,
                Cancellations::Reason,
                Cancellations::Comment,
                Cancellations::CreatedAt,
            ])
            .select_from(
                Query::select()
                    .columns([
                        Subscriptions::OrganizationId,
                        Subscriptions::Id,
                        Subscriptions::CancelReason,
                        Subscriptions::CancelComment,
                        Subscriptions::UpdatedAt,
                    ])
                    .from(Subscriptions::Table)
                    // A customer's reason, not the dunning's `payment_failed`.
                    .and_where(Expr::col(Subscriptions::CancelReason).is_in([
                        "too_expensive",
                        "missing_features",
                        "switched_service",
                        "unused",
                        "customer_service",
                        "too_complex",
                        "low_quality",
                        "other",
                    ]))
                    .take(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .take();
        manager.exec_stmt(copy).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Cancellations::Table).take())
            .await
    }
}

#[derive(DeriveIden)]
enum Cancellations {
    Table,
    Id,
    OrganizationId,
    SubscriptionId,
    Reason,
    Comment,
    CreatedAt,
    ResumedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    OrganizationId,
    CancelReason,
    CancelComment,
    UpdatedAt,
}
