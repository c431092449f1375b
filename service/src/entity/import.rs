//! A CSV import the console checked: the file (until it has run), what the check found and
//! how far the run is.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `imp_…`.
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    /// `customers` or `subscriptions`.
    pub kind: String,
    pub file_name: String,
    /// The uploaded file; emptied once the import has run.
    pub content: Vec<u8>,
    /// `invalid`, `ready`, `running`, `done` or `failed`.
    pub status: String,
    /// Data rows in the file.
    pub rows: i64,
    /// Rows whose `external_id` is new.
    pub new_rows: i64,
    /// Rows already imported (left as they are).
    pub existing_rows: i64,
    /// Rows the run has written so far.
    pub done_rows: i64,
    /// The problems found, as JSON (`[{"line":…,"column":…,"code":…}]`).
    #[sea_orm(column_type = "Text")]
    pub problems: String,
    /// Problems beyond those kept.
    pub more_problems: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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

/// Written by hand to keep the file (customers' emails) out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("public_id", &self.public_id)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("rows", &self.rows)
            .field("done_rows", &self.done_rows)
            .finish_non_exhaustive()
    }
}
