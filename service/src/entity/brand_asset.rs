//! An uploaded image (the portal logo), stored once per content hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "brand_assets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// Hex SHA-256 of `bytes`; unique per organization.
    pub content_hash: String,
    pub content_type: String,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
    pub width: i32,
    pub height: i32,
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
    #[sea_orm(has_many = "super::portal_settings::Entity")]
    PortalSettings,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::portal_settings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PortalSettings.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `bytes` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::ByteLen;
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("content_hash", &self.content_hash)
            .field("content_type", &self.content_type)
            .field("bytes", &ByteLen(self.bytes.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("created_at", &self.created_at)
            .finish()
    }
}
