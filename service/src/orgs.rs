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

/// Checks an organization slug: 2–32 of `a-z`, `0-9` and `-`, not starting or ending with `-`.
pub fn parse_slug(raw: &str) -> Result<String, String> {
    let slug = raw.trim().to_ascii_lowercase();
    let ok_chars = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(2..=32).contains(&slug.len()) || !ok_chars || slug.starts_with('-') || slug.ends_with('-')
    {
        return Err(format!(
            "`{raw}` is not a valid organization slug (2–32 of a-z, 0-9 and -)"
        ));
    }
    Ok(slug)
}

/// Creates an organization and its (disabled) portal settings.
pub async fn create(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    payments_active: bool,
    now: DateTime<Utc>,
) -> Result<organization::Model, DbErr> {
    let org = organization::ActiveModel {
        public_id: Set(OrganizationId::from_random(random_bytes()).to_string()),
        slug: Set(slug.to_owned()),
        name: Set(name.to_owned()),
        payments_active: Set(payments_active),
        dunning_retry_days: Set("3,5,7".to_owned()),
        dunning_final_action: Set("mark_unpaid".to_owned()),
        clock_offset_seconds: Set(0),
        next_invoice_seq: Set(1),
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
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(org)
}

#[cfg(test)]
mod tests {
    use super::parse_slug;

    #[test]
    fn slugs() {
        assert_eq!(parse_slug(" Acme ").unwrap(), "acme");
        for bad in ["a", "-acme", "acme-", "ac me", "àcme", &"x".repeat(33)] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }
}
