//! An organization's customer portal: one row per organization.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub organization_id: i64,
    pub enabled: bool,
    /// NULL until issued.
    #[sea_orm(unique)]
    pub portal_key: Option<String>,
    pub company_name: String,
    /// `#rrggbb`.
    pub primary_color: String,
    pub logo_asset_id: Option<i64>,
    pub perm_update_payment_methods: bool,
    pub perm_view_payment_history: bool,
    pub perm_download_invoices: bool,
    pub perm_cancel_subscription: bool,
    pub perm_pay_invoices: bool,
    pub perm_update_billing_details: bool,
    pub perm_pause_subscription: bool,
    /// The longest pause customers may ask for, in days (`domain::PauseLimit`).
    pub pause_max_days: i32,
    /// The retention offer (`domain::RetentionOffer`): percent off for months; both NULL
    /// without one.
    pub retention_percent: Option<i32>,
    pub retention_months: Option<i32>,
    pub perm_change_plan: bool,
    /// The prices customers may switch between: public ids, space-separated.
    #[sea_orm(column_type = "Text")]
    pub switch_prices: Option<String>,
    /// The quantities customers may choose (`domain::QuantityRange`); both NULL: the
    /// quantity stays.
    pub quantity_min: Option<i32>,
    pub quantity_max: Option<i32>,
    /// Optimistic concurrency: bumped by every update, which names the version it read.
    pub version: i32,
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
    #[sea_orm(
        belongs_to = "super::brand_asset::Entity",
        from = "Column::LogoAssetId",
        to = "super::brand_asset::Column::Id",
        on_delete = "SetNull"
    )]
    LogoAsset,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::brand_asset::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LogoAsset.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
