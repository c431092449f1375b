//! One cancellation a customer made: its reason and comment, when, and when it was undone
//! (a resume keeps the row). The console counts them per month.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cancellations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub subscription_id: i64,
    /// A `domain::CancelReason` code.
    pub reason: String,
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    /// When the customer or staff undid it (the subscription runs on).
    pub resumed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::subscription::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscription::Column::Id",
        on_delete = "Cascade"
    )]
    Subscription,
}

impl ActiveModelBehavior for ActiveModel {}
