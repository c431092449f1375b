//! A portal by its key: the organization, its branding and its permissions.
use super::{PortalError, PortalService};
use crate::entity::{brand_asset, organization, portal_settings};
use app::portal::dto::PortalBrand;
use domain::{HexColor, PortalKey, PortalPermission, PortalPermissions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a portal read from the database is used without reading it again. The
/// console forgets every entry when it changes settings ([`PortalDirectory::forget_all`]),
/// so in one process a change shows at once; this bounds what another process (the
/// `orgs` command, a second server on the same database) can leave stale.
pub const DIRECTORY_FRESH_FOR: Duration = Duration::from_secs(5);

/// The portals by key, with their brand: every portal page and server function needs
/// them, and they change only when the console saves. Shared by the portal and the
/// console services. Only keys that exist are kept, so unknown keys cannot grow it.
#[derive(Clone, Default)]
pub struct PortalDirectory {
    inner: Arc<RwLock<Entries>>,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Entry>,
    /// Bumped by every `forget_all`: a read that began before it is not kept.
    generation: u64,
}

#[derive(Clone)]
struct Entry {
    portal: Arc<Portal>,
    brand: Option<PortalBrand>,
    read_at: Instant,
}

impl PortalDirectory {
    /// Forgets every portal, after the console changed settings, a key or a logo.
    pub fn forget_all(&self) {
        let mut entries = self.write();
        entries.generation += 1;
        entries.by_key.clear();
    }

    /// The fresh entry of `key`, if any, and the generation to keep a new read under.
    fn fresh(&self, key: &str) -> (Option<Entry>, u64) {
        let entries = self
            .inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries
            .by_key
            .get(key)
            .filter(|e| e.read_at.elapsed() < DIRECTORY_FRESH_FOR)
            .cloned();
        (entry, entries.generation)
    }

    /// Keeps what was read under `generation`, unless the console changed something since.
    fn keep(&self, key: &str, entry: Entry, generation: u64) {
        let mut entries = self.write();
        if entries.generation == generation {
            entries.by_key.insert(key.to_owned(), entry);
        }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Entries> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A portal's rows.
#[derive(Clone)]
pub struct Portal {
    pub org: organization::Model,
    pub settings: portal_settings::Model,
}

impl Portal {
    /// The permissions the organization grants, as of now.
    pub fn permissions(&self) -> PortalPermissions {
        let s = &self.settings;
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
        p
    }
}

/// The enabled portal with this key, from the directory when it is fresh there.
pub async fn enabled(svc: &PortalService, key: &str) -> Result<Arc<Portal>, PortalError> {
    Ok(entry(svc, key).await?.0.portal)
}

/// The brand of the enabled portal `key`.
pub async fn brand(svc: &PortalService, key: &str) -> Result<PortalBrand, PortalError> {
    let (mut entry, generation) = entry(svc, key).await?;
    if let Some(brand) = entry.brand {
        return Ok(brand);
    }
    let brand = read_brand(svc, key, &entry.portal).await?;
    entry.brand = Some(brand.clone());
    svc.directory.keep(key, entry, generation);
    Ok(brand)
}

/// The directory's entry for the enabled portal `key`, read again when stale.
async fn entry(svc: &PortalService, key: &str) -> Result<(Entry, u64), PortalError> {
    let (fresh, generation) = svc.directory.fresh(key);
    let entry = match fresh {
        Some(entry) => entry,
        None => {
            let read_at = Instant::now();
            let entry = Entry {
                portal: Arc::new(read(&svc.db, key).await?),
                brand: None,
                read_at,
            };
            svc.directory.keep(key, entry.clone(), generation);
            entry
        }
    };
    if !entry.portal.settings.enabled {
        return Err(PortalError::Disabled);
    }
    Ok((entry, generation))
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
        Some(id) => brand_asset::Entity::find_by_id(id)
            .one(&svc.db)
            .await?
            .filter(|a| a.organization_id == portal.org.id)
            .map(|a| {
                format!(
                    "/portal/{key}/logo-{}.png",
                    &a.content_hash[..16.min(a.content_hash.len())]
                )
            }),
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
