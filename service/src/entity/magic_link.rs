//! A one-time sign-in link emailed to a customer.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "magic_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub customer_id: i64,
    /// Hash of the emailed token; the token itself is never stored.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub return_to: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    /// Made by the merchant API (`POST /v1/portal_sessions`), opened by a plain GET.
    pub from_api: bool,
    /// The merchant app's page for the portal's "Back to …" link (API sessions only).
    pub app_return_url: Option<String>,
    /// The portal language the session opens in, when the app chose one.
    pub locale: Option<String>,
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

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `token_hash` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::Redacted;
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("customer_id", &self.customer_id)
            .field("token_hash", &Redacted)
            .field("return_to", &self.return_to)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .field("from_api", &self.from_api)
            .field("app_return_url", &self.app_return_url)
            .field("locale", &self.locale)
            .finish()
    }
}
