//! A saved card or SEPA mandate. Only brand, last 4, expiry, holder and the gateway's token
//! are kept: never a card number or a CVC.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_methods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    pub customer_id: i64,
    /// `card` or `sepa_debit`.
    pub kind: String,
    pub brand: Option<String>,
    pub last4: String,
    pub exp_month: Option<i32>,
    pub exp_year: Option<i32>,
    pub holder_name: Option<String>,
    /// The gateway's reusable token for this method.
    pub gateway_token: String,
    pub is_default: bool,
    pub expiry_reminder_30_sent_at: Option<DateTimeUtc>,
    pub expiry_reminder_7_sent_at: Option<DateTimeUtc>,
    /// Set when the customer removes it; the row stays for history.
    pub removed_at: Option<DateTimeUtc>,
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
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id",
        on_delete = "Cascade"
    )]
    Customer,
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

impl Related<super::payment_attempt::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentAttempts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `gateway_token` and `holder_name` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::Redacted;
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("public_id", &self.public_id)
            .field("organization_id", &self.organization_id)
            .field("customer_id", &self.customer_id)
            .field("kind", &self.kind)
            .field("brand", &self.brand)
            .field("last4", &self.last4)
            .field("exp_month", &self.exp_month)
            .field("exp_year", &self.exp_year)
            .field("holder_name", &self.holder_name.as_ref().map(|_| Redacted))
            .field("gateway_token", &Redacted)
            .field("is_default", &self.is_default)
            .field(
                "expiry_reminder_30_sent_at",
                &self.expiry_reminder_30_sent_at,
            )
            .field("expiry_reminder_7_sent_at", &self.expiry_reminder_7_sent_at)
            .field("removed_at", &self.removed_at)
            .field("created_at", &self.created_at)
            .finish()
    }
}
