//! A customer of an organization: who signs in to the portal.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    /// Lowercased; unique per organization.
    pub email: String,
    pub name: String,
    pub locale: String,
    /// Printed on invoices; lines separated by `\n`, empty for none.
    #[sea_orm(column_type = "Text")]
    pub billing_address: String,
    /// The VAT number, compact and upper-case.
    pub tax_id: Option<String>,
    /// When staff archived them: no new subscriptions.
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// The merchant's own key from a CSV import (unique in the organization).
    pub external_id: Option<String>,
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
    #[sea_orm(has_many = "super::payment_method::Entity")]
    PaymentMethods,
    #[sea_orm(has_many = "super::invoice::Entity")]
    Invoices,
    #[sea_orm(has_many = "super::magic_link::Entity")]
    MagicLinks,
    #[sea_orm(has_many = "super::customer_session::Entity")]
    CustomerSessions,
    #[sea_orm(has_many = "super::outbound_email::Entity")]
    OutboundEmails,
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

impl Related<super::payment_method::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentMethods.def()
    }
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoices.def()
    }
}

impl Related<super::magic_link::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MagicLinks.def()
    }
}

impl Related<super::customer_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerSessions.def()
    }
}

impl Related<super::outbound_email::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OutboundEmails.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `email` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::MaskedEmail;
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("public_id", &self.public_id)
            .field("organization_id", &self.organization_id)
            .field("email", &MaskedEmail(&self.email))
            .field("name", &self.name)
            .field("locale", &self.locale)
            .field("billing_address", &"…")
            .field("tax_id", &self.tax_id.as_ref().map(|_| "…"))
            .field("archived_at", &self.archived_at)
            .field("created_at", &self.created_at)
            .field("external_id", &self.external_id)
            .finish()
    }
}
