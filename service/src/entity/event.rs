//! A state change as the merchant API reports it: its kind, the object's public id and the
//! object as it stood right after (JSON).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `evt_…`.
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    /// `customer.created`, … (`domain::EventKind`).
    pub kind: String,
    /// The changed object's public id (`cus_…`, `sub_…`, …).
    pub object_id: String,
    /// The object, as the API shows it, right after the change.
    #[sea_orm(column_type = "Text")]
    pub data: String,
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
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
