//! A portal by its key: the organization, its branding and its permissions.
use super::fresh_map::FreshMap;
use super::{PortalError, PortalService};
use crate::entity::{brand_asset, organization, portal_settings};
use domain::{HexColor, PortalKey, PortalPermission, PortalPermissions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::sync::Arc;
use std::time::Duration;
use wire::portal::PortalBrand;

/// How long a portal read from the database is used without reading it again. The
/// console forgets every entry when it changes settings ([`PortalDirectory::forget_all`]),
/// so in one process a change shows at once; this bounds what another process (the
/// `orgs` command, a second server on the same database) can leave stale.
pub const DIRECTORY_FRESH_FOR: Duration = Duration::from_secs(5);

/// The portals by key, with their brand: every portal page and server function needs
/// them, and they change only when the console saves. Shared by the portal and the
/// console services. Only keys that exist are kept, so unknown keys cannot grow it.
#[derive(Clone)]
pub struct PortalDirectory(FreshMap<Entry>);

impl Default for PortalDirectory {
    fn default() -> Self {
        Self(FreshMap::new(DIRECTORY_FRESH_FOR))
    }
}

impl PortalDirectory {
    /// Forgets every portal, after the console changed settings, a key or a logo.
    pub fn forget_all(&self) {
        self.0.forget_all();
    }
}

/// A portal and its brand, as read together.
#[derive(Clone)]
struct Entry {
    portal: Arc<Portal>,
    brand: PortalBrand,
}

/// A portal's rows.
pub struct Portal {
    pub org: organization::Model,
    pub settings: portal_settings::Model,
}

impl Portal {
    /// The permissions the organization grants, as of now.
    pub fn permissions(&self) -> PortalPermissions {
        permissions_of(&self.settings)
    }
}

/// The permissions a settings row grants.
pub(crate) fn permissions_of(s: &portal_settings::Model) -> PortalPermissions {
    let mut p = PortalPermissions::empty();
    p.set(
        PortalPermission::UpdatePaymentMethods,
        s.perm_update_payment_methods,
    );
    p.set(
        PortalPermission::ViewPaymentHistory,
        s.perm_view_payment_history,
    );
    p.set(PortalPermission::DownloadInvoices, s.perm_download_invoices);
    p.set(
        PortalPermission::CancelSubscription,
        s.perm_cancel_subscription,
    );
    p.set(PortalPermission::PayInvoices, s.perm_pay_invoices);
    p.set(
        PortalPermission::UpdateBillingDetails,
        s.perm_update_billing_details,
    );
    p.set(
        PortalPermission::PauseSubscription,
        s.perm_pause_subscription,
    );
    p.set(PortalPermission::ChangePlan, s.perm_change_plan);
    p
}

/// The directory's entry for the enabled portal `key`, read again when stale.
async fn entry(svc: &PortalService, key: &str) -> Result<Entry, PortalError> {
    let directory = &svc.directory.0;
    let entry = match directory.fresh(key) {
        Some(entry) => entry,
        None => {
            let ticket = directory.ticket();
            let portal = read(&svc.db, key).await?;
            let brand = read_brand(svc, key, &portal).await?;
            let entry = Entry {
                portal: Arc::new(portal),
                brand,
            };
            directory.keep(key, entry.clone(), ticket);
            entry
        }
    };
    if !entry.portal.settings.enabled {
        return Err(PortalError::Disabled);
    }
    Ok(entry)
}

/// The portal with this key, enabled or not, from the database.
async fn read(db: &impl ConnectionTrait, key: &str) -> Result<Portal, PortalError> {
    let key = PortalKey::parse(key).map_err(|_| PortalError::UnknownPortal)?;
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::PortalKey.eq(key.as_str()))
        .one(db)
        .await?
        .ok_or(PortalError::UnknownPortal)?;
    let org = organization::Entity::find_by_id(settings.organization_id)
        .one(db)
        .await?
        .ok_or(PortalError::UnknownPortal)?;
    Ok(Portal { org, settings })
}

/// The brand as the portal's pages show it (the logo's URL carries its content hash).
async fn read_brand(
    svc: &PortalService,
    key: &str,
    portal: &Portal,
) -> Result<PortalBrand, PortalError> {
    let color = HexColor::parse(&portal.settings.primary_color)
        .unwrap_or(HexColor::from_rgb(0x0f, 0x76, 0x6e));
    let logo_url = match portal.settings.logo_asset_id {
        // Only the hash: the row also holds the PNG itself.
        Some(id) => brand_asset::Entity::find_by_id(id)
            .filter(brand_asset::Column::OrganizationId.eq(portal.org.id))
            .select_only()
            .column(brand_asset::Column::ContentHash)
            .into_tuple::<String>()
            .one(&svc.db)
            .await?
            .map(|hash| format!("/portal/{key}/logo-{}.png", &hash[..16.min(hash.len())])),
        None => None,
    };
    Ok(PortalBrand {
        key: key.to_owned(),
        company_name: portal.settings.company_name.clone(),
        primary_color: color.to_hex(),
        on_primary_color: color.readable_text_color().to_hex(),
        logo_url,
        permissions: portal.permissions(),
    })
}

impl PortalService {
    /// The enabled portal with this key, from the directory when it is fresh there.
    pub async fn enabled(&self, key: &str) -> Result<Arc<Portal>, PortalError> {
        Ok(entry(self, key).await?.portal)
    }

    /// The brand of the enabled portal `key`.
    pub async fn brand(&self, key: &str) -> Result<PortalBrand, PortalError> {
        Ok(entry(self, key).await?.brand)
    }
}
