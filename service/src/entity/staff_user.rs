//! A person who signs in to the console of one organization.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// Lowercased; unique across all organizations.
    #[sea_orm(unique)]
    pub email: String,
    /// A PHC-format password hash, never the password.
    pub password_hash: String,
    /// `owner`, `admin` or `viewer`.
    pub role: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
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
    #[sea_orm(has_many = "super::staff_session::Entity")]
    StaffSessions,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::staff_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StaffSessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written by hand to keep `email` and `password_hash` out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::{MaskedEmail, Redacted};
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("email", &MaskedEmail(&self.email))
            .field("password_hash", &Redacted)
            .field("role", &self.role)
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("created_at", &self.created_at)
            .finish()
    }
}
