//! A customer's subscription to a plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    pub customer_id: i64,
    pub plan_id: i64,
    /// `active`, `past_due`, `canceled`, `unpaid`, `incomplete` or `paused`.
    pub status: String,
    pub current_period_start: DateTimeUtc,
    pub current_period_end: DateTimeUtc,
    pub cancel_at_period_end: bool,
    pub cancel_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub cancel_comment: Option<String>,
    pub canceled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Units of the plan billed each period (1 or more).
    pub quantity: i32,
    /// When the free trial ends (the first invoice is made then); `None` without a trial.
    pub trial_end: Option<DateTimeUtc>,
    /// The merchant's own key from a CSV import (unique in the organization).
    pub external_id: Option<String>,
    /// When a pause the customer asked for ends: while `active`, the pause begins with the
    /// period's end; while `paused`, the subscription resumes then.
    pub pause_resumes_at: Option<DateTimeUtc>,
    /// When the merchant's retention offer was accepted or passed over (it is offered once).
    pub retention_offered_at: Option<DateTimeUtc>,
    /// An accepted offer: percent off invoices whose period starts before `discount_ends_at`.
    pub discount_percent: Option<i32>,
    pub discount_ends_at: Option<DateTimeUtc>,
    /// A plan change that takes effect at the period's end: the price and the quantity.
    pub scheduled_plan_id: Option<i64>,
    pub scheduled_quantity: Option<i32>,
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
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id",
        on_delete = "NoAction"
    )]
    Customer,
    #[sea_orm(
        belongs_to = "super::plan::Entity",
        from = "Column::PlanId",
        to = "super::plan::Column::Id",
        on_delete = "NoAction"
    )]
    Plan,
    #[sea_orm(has_many = "super::invoice::Entity")]
    Invoices,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customer.def()
    }
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plan.def()
    }
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoices.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
