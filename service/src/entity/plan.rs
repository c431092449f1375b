//! What a subscription pays: an amount per interval.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub amount_minor: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    /// `month` or `year`.
    pub interval: String,
    /// Periods of `interval` per billing period (1 to the interval's maximum).
    pub interval_count: i32,
    /// Free days before the first charge of a new subscription.
    pub trial_days: i32,
    /// When staff archived it: no new subscriptions, existing ones bill on.
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
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
    #[sea_orm(has_many = "super::subscription::Entity")]
    Subscriptions,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
