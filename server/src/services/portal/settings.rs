//! A portal by its key: the organization, its branding and its permissions.
use super::{PortalError, PortalService};
use crate::entity::{brand_asset, organization, portal_settings};
use app::portal::dto::PortalBrand;
use domain::{HexColor, PortalKey, PortalPermission, PortalPermissions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// An enabled portal's rows.
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

/// The enabled portal with this key.
pub async fn load(db: &impl ConnectionTrait, key: &str) -> Result<Portal, PortalError> {
    let key = PortalKey::parse(key).map_err(|_| PortalError::UnknownPortal)?;
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::PortalKey.eq(key.as_str()))
        .one(db)
        .await?
        .ok_or(PortalError::UnknownPortal)?;
    if !settings.enabled {
        return Err(PortalError::Disabled);
    }
    let org = organization::Entity::find_by_id(settings.organization_id)
        .one(db)
        .await?
        .ok_or(PortalError::UnknownPortal)?;
    Ok(Portal { org, settings })
}

/// The brand of the portal `key`.
pub async fn brand(svc: &PortalService, key: &str) -> Result<PortalBrand, PortalError> {
    let portal = load(&svc.db, key).await?;
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
