//! Organizations: creating one with its portal settings.
use crate::entity::{organization, portal_settings};
use crate::secret::random_bytes;
use chrono::{DateTime, Utc};
use domain::{OrganizationId, PortalPermissions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

/// Finds an organization by slug.
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<organization::Model>, DbErr> {
    organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// Creates an organization billing in euros from Italy, and its (disabled) portal settings.
pub async fn create(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    payments_active: bool,
    now: DateTime<Utc>,
) -> Result<organization::Model, DbErr> {
    let profile = Profile {
        slug,
        name,
        currency: domain::Currency::Eur,
        country: "IT",
    };
    create_with(db, profile, payments_active, now).await
}

/// Who a new organization is: what the setup page and `dunwell init` ask for.
#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    /// The checked slug.
    pub slug: &'a str,
    /// The business's name (also the portal's company name).
    pub name: &'a str,
    /// What new prices default to.
    pub currency: domain::Currency,
    /// ISO 3166-1 alpha-2.
    pub country: &'a str,
}

/// Creates an organization from its profile, and its (disabled) portal settings.
pub async fn create_with(
    db: &impl ConnectionTrait,
    profile: Profile<'_>,
    payments_active: bool,
    now: DateTime<Utc>,
) -> Result<organization::Model, DbErr> {
    let Profile {
        slug,
        name,
        currency,
        country,
    } = profile;
    let org = organization::ActiveModel {
        public_id: Set(OrganizationId::from_random(random_bytes()).to_string()),
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        payments_active: Set(payments_active),
        dunning_retry_days: Set("3,5,7".to_owned()),
        dunning_final_action: Set("mark_unpaid".to_owned()),
        clock_offset_seconds: Set(0),
        next_invoice_seq: Set(1),
        default_currency: Set(currency.code().to_owned()),
        country: Set(country.to_owned()),
        // An organization created with Payments on has the sandbox connected (the demo).
        gateway: Set(payments_active.then(|| "sandbox".to_owned())),
        // Every column set, none left to the database's default: the row read back from
        // `RETURNING` must not depend on how a column was added.
        legal_name: Set(None),
        business_address: Set(String::new()),
        vat_number: Set(None),
        invoice_footer: Set(String::new()),
        invoice_prefix: Set(None),
        expiry_reminders: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let perms = PortalPermissions::default_set();
    portal_settings::ActiveModel {
        organization_id: Set(org.id),
        enabled: Set(false),
        portal_key: Set(None),
        company_name: Set(name.to_owned()),
        primary_color: Set(domain::HexColor::DEFAULT_BRAND.to_hex()),
        logo_asset_id: Set(None),
        perm_update_payment_methods: Set(perms.contains(domain::PortalPermission::UpdatePaymentMethods)),
        perm_view_payment_history: Set(perms.contains(domain::PortalPermission::ViewPaymentHistory)),
        perm_download_invoices: Set(perms.contains(domain::PortalPermission::DownloadInvoices)),
        perm_cancel_subscription: Set(perms.contains(domain::PortalPermission::CancelSubscription)),
        perm_pay_invoices: Set(perms.contains(domain::PortalPermission::PayInvoices)),
        perm_update_billing_details: Set(
            perms.contains(domain::PortalPermission::UpdateBillingDetails),
        ),
        perm_pause_subscription: Set(perms.contains(domain::PortalPermission::PauseSubscription)),
        pause_max_days: Set(i32::from(domain::PauseLimit::DEFAULT.days())),
        perm_change_plan: Set(perms.contains(domain::PortalPermission::ChangePlan)),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(org)
}
