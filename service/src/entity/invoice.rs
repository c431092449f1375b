//! An invoice, numbered per organization, and its collection state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    /// Unique per organization.
    pub number: String,
    /// `open`, `paid`, `void` or `uncollectible`.
    pub status: String,
    pub currency: String,
    pub subtotal_minor: i64,
    pub total_minor: i64,
    pub amount_paid_minor: i64,
    pub attempt_count: i32,
    pub first_failure_at: Option<DateTimeUtc>,
    /// When the dunning worker retries; NULL when none is scheduled.
    pub next_attempt_at: Option<DateTimeUtc>,
    pub period_start: DateTimeUtc,
    pub period_end: DateTimeUtc,
    pub paid_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The customer's name, billing address and tax ID when the invoice was made (NULL
    /// on invoices from before these were kept: they show the customer's current ones).
    pub billed_name: Option<String>,
    pub billed_address: Option<String>,
    pub billed_tax_id: Option<String>,
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
        belongs_to = "super::subscription::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscription::Column::Id",
        on_delete = "NoAction"
    )]
    Subscription,
    #[sea_orm(has_many = "super::invoice_line::Entity")]
    InvoiceLines,
    #[sea_orm(has_many = "super::payment_attempt::Entity")]
    PaymentAttempts,
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

impl Related<super::subscription::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
    }
}

impl Related<super::invoice_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::InvoiceLines.def()
    }
}

impl Related<super::payment_attempt::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentAttempts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
