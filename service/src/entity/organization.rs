//! A tenant: one business billing its customers through Dunwell.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub payments_active: bool,
    /// Comma-separated days after the first failure, e.g. `"3,5,7"`.
    pub dunning_retry_days: String,
    /// `mark_unpaid` or `cancel`.
    pub dunning_final_action: String,
    /// The test clock: this organization's now is the real now plus this.
    pub clock_offset_seconds: i64,
    /// The next per-organization invoice number.
    pub next_invoice_seq: i64,
    /// The ISO 4217 code new prices default to.
    pub default_currency: String,
    /// ISO 3166-1 alpha-2 code of the country the business is in.
    pub country: String,
    /// The connected payment gateway (`sandbox`), if any.
    pub gateway: Option<String>,
    /// The legal name on invoices (the display name when `None`).
    pub legal_name: Option<String>,
    /// The business address on invoices, lines separated by `\n`.
    #[sea_orm(column_type = "Text")]
    pub business_address: String,
    /// The business's VAT number, compact and upper-case.
    pub vat_number: Option<String>,
    /// Printed at the foot of every invoice (bank details, legal notes).
    #[sea_orm(column_type = "Text")]
    pub invoice_footer: String,
    /// Invoice numbers start with this (`ACME-000042`); from the slug when `None`.
    pub invoice_prefix: Option<String>,
    /// Card-expiry reminders are sent.
    pub expiry_reminders: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::staff_user::Entity")]
    StaffUsers,
    #[sea_orm(has_many = "super::brand_asset::Entity")]
    BrandAssets,
    #[sea_orm(has_many = "super::email_template::Entity")]
    EmailTemplates,
    #[sea_orm(has_many = "super::customer::Entity")]
    Customers,
    #[sea_orm(has_many = "super::plan::Entity")]
    Plans,
    #[sea_orm(has_many = "super::subscription::Entity")]
    Subscriptions,
    #[sea_orm(has_many = "super::payment_method::Entity")]
    PaymentMethods,
    #[sea_orm(has_many = "super::invoice::Entity")]
    Invoices,
    #[sea_orm(has_many = "super::payment_attempt::Entity")]
    PaymentAttempts,
    #[sea_orm(has_many = "super::magic_link::Entity")]
    MagicLinks,
    #[sea_orm(has_many = "super::customer_session::Entity")]
    CustomerSessions,
    #[sea_orm(has_many = "super::outbound_email::Entity")]
    OutboundEmails,
    #[sea_orm(has_many = "super::audit_event::Entity")]
    AuditEvents,
    #[sea_orm(has_one = "super::portal_settings::Entity")]
    PortalSettings,
}

impl Related<super::staff_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StaffUsers.def()
    }
}

impl Related<super::brand_asset::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BrandAssets.def()
    }
}

impl Related<super::email_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EmailTemplates.def()
    }
}

impl Related<super::customer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Customers.def()
    }
}

impl Related<super::plan::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plans.def()
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

impl Related<super::payment_attempt::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentAttempts.def()
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

impl Related<super::audit_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditEvents.def()
    }
}

impl Related<super::portal_settings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PortalSettings.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
