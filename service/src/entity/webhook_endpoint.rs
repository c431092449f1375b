//! A merchant's webhook endpoint. Its signing secret is stored sealed (encrypted with the
//! server's secret key), never in the clear.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `we_…`.
    #[sea_orm(unique)]
    pub public_id: String,
    pub organization_id: i64,
    /// `https://…` (`domain::WebhookUrl`).
    pub url: String,
    pub description: String,
    /// `*` or event kinds, comma-separated (`domain::EventFilter`).
    #[sea_orm(column_type = "Text")]
    pub event_filter: String,
    /// The `whsec_…` secret, sealed (`crate::seal`).
    #[sea_orm(column_type = "Text")]
    pub secret_sealed: String,
    pub enabled: bool,
    /// `manual` or `failing` while disabled.
    pub disabled_reason: Option<String>,
    /// The first failure since the last success.
    pub failing_since: Option<DateTimeUtc>,
    /// The last event (database key) given a delivery for this endpoint.
    pub last_event_id: i64,
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
