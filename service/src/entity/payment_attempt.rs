//! One charge of an invoice through the gateway, successful or not.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    pub invoice_id: i64,
    /// NULL once the method is deleted.
    pub payment_method_id: Option<i64>,
    pub amount_minor: i64,
    pub currency: String,
    /// `succeeded` or `failed`.
    pub outcome: String,
    pub decline_code: Option<String>,
    /// The key the gateway received; unique so a retry never records twice.
    #[sea_orm(unique)]
    pub idempotency_key: String,
    /// `renewal`, `scheduled_retry` or `payment_method_update`.
    pub trigger: String,
    pub gateway_reference: Option<String>,
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
        belongs_to = "super::invoice::Entity",
        from = "Column::InvoiceId",
        to = "super::invoice::Column::Id",
        on_delete = "NoAction"
    )]
    Invoice,
    #[sea_orm(
        belongs_to = "super::payment_method::Entity",
        from = "Column::PaymentMethodId",
        to = "super::payment_method::Column::Id",
        on_delete = "SetNull"
    )]
    PaymentMethod,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoice.def()
    }
}

impl Related<super::payment_method::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentMethod.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
