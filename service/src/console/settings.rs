//! Settings → Customer Portal: enable, key rotation, branding and permissions. Every change
//! is one transaction that checks the form's version (optimistic concurrency) and writes an
//! audit event.
use super::{ConsoleError, ConsoleService, audit};
use crate::billing::templates::customer_portal_link;
use crate::console::{AdminActor, BrandingChange};
use crate::entity::{brand_asset, organization, plan, portal_settings};
use crate::secret::random_bytes;
use domain::{PortalKey, PortalPermission, PortalPermissions, QuantityRange, RetentionOffer};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use wire::console::{LogoView, PortalSettingsView, SwitchPrice};

/// The organization's settings row.
pub async fn load(
    db: &impl ConnectionTrait,
    org_id: i64,
) -> Result<portal_settings::Model, ConsoleError> {
    portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(org_id))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

/// The console's URL of a logo.
pub fn logo_url(hash: &str) -> String {
    format!("/admin/brand/logo-{hash}.png")
}

/// The logo row as the page shows it.
pub fn logo_view(asset: &brand_asset::Model) -> LogoView {
    LogoView {
        url: logo_url(&asset.content_hash),
        width: u32::try_from(asset.width).unwrap_or(0),
        height: u32::try_from(asset.height).unwrap_or(0),
        bytes: u32::try_from(asset.bytes.len()).unwrap_or(u32::MAX),
        transparent: super::logo::has_transparency(&asset.bytes),
    }
}

/// What the permissions form sets besides the permissions; `None` leaves the stored value
/// (a form or a caller without the field).
#[derive(Debug, Clone, Default)]
pub struct PortalRules {
    /// The longest pause.
    pub pause_limit: Option<domain::PauseLimit>,
    /// The retention offer; `Some(None)` removes it.
    pub retention_offer: Option<Option<RetentionOffer>>,
    /// The prices customers may switch between (`price_…`; each must be an active price
    /// of the organization).
    pub switch_prices: Option<Vec<String>>,
    /// The quantities customers may choose; `Some(None)`: the quantity stays.
    pub quantity_range: Option<Option<QuantityRange>>,
}

/// The stored quantity range (none when the columns do not make one).
pub fn stored_range(s: &portal_settings::Model) -> Option<QuantityRange> {
    let (min, max) = s.quantity_min.zip(s.quantity_max)?;
    QuantityRange::new(i64::from(min), i64::from(max)).ok()
}

/// The stored list of prices customers may switch between.
pub fn stored_switch_prices(s: &portal_settings::Model) -> Vec<String> {
    s.switch_prices
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// `ids` checked against the organization's active prices (422 naming `switch_prices`
/// otherwise), sorted and without repeats.
async fn checked_switch_prices(
    db: &impl ConnectionTrait,
    org_id: i64,
    mut ids: Vec<String>,
) -> Result<Vec<String>, ConsoleError> {
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(ids);
    }
    let found = plan::Entity::find()
        .filter(plan::Column::OrganizationId.eq(org_id))
        .filter(plan::Column::PublicId.is_in(ids.clone()))
        .filter(plan::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(ConsoleError::field(
            "switch_prices",
            wire::error::FieldCode::PriceUnknown,
        ));
    }
    Ok(ids)
}

/// The merchant's retention offer as stored (none when the columns do not make one).
pub fn stored_offer(s: &portal_settings::Model) -> Option<RetentionOffer> {
    let (percent, months) = s.retention_percent.zip(s.retention_months)?;
    RetentionOffer::new(i64::from(percent), i64::from(months)).ok()
}

/// Applies `changes` to the settings row only if it is still at `version`, bumping it.
async fn update_versioned(
    db: &impl ConnectionTrait,
    org_id: i64,
    version: i32,
    changes: Vec<(portal_settings::Column, Expr)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ConsoleError> {
    let mut update = portal_settings::Entity::update_many()
        .col_expr(portal_settings::Column::Version, Expr::value(version + 1))
        .col_expr(portal_settings::Column::UpdatedAt, Expr::value(now));
    for (col, expr) in changes {
        update = update.col_expr(col, expr);
    }
    let res = update
        .filter(portal_settings::Column::OrganizationId.eq(org_id))
        .filter(portal_settings::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(ConsoleError::Conflict(wire::error::Conflict::Stale));
    }
    settings_changed(db, org_id, now).await
}

/// Records `portal_settings.updated` with the settings as they now stand.
async fn settings_changed(
    db: &impl ConnectionTrait,
    org_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ConsoleError> {
    let s = load(db, org_id).await?;
    let org = organization::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)?;
    let shown = wire::api::PortalSettings {
        object: wire::api::ObjectKind::PortalSettings,
        organization: org.public_id.clone(),
        enabled: s.enabled,
        company_name: s.company_name,
        primary_color: s.primary_color,
        has_logo: s.logo_asset_id.is_some(),
        permissions: wire::api::PortalPermissionsBody {
            update_payment_methods: s.perm_update_payment_methods,
            view_payment_history: s.perm_view_payment_history,
            download_invoices: s.perm_download_invoices,
            cancel_subscription: s.perm_cancel_subscription,
            pay_invoices: s.perm_pay_invoices,
            update_billing_details: s.perm_update_billing_details,
            pause_subscription: s.perm_pause_subscription,
            change_plan: s.perm_change_plan,
        },
        pause_max_days: u16::try_from(s.pause_max_days).unwrap_or(0),
        updated: now.timestamp(),
    };
    crate::events::record(
        db,
        org_id,
        domain::EventKind::PortalSettingsUpdated,
        &org.public_id,
        &shown,
        now,
    )
    .await?;
    Ok(())
}

impl ConsoleService {
    /// The settings as the page shows them.
    pub async fn portal_settings(
        &self,
        actor: &AdminActor,
    ) -> Result<PortalSettingsView, ConsoleError> {
        let s = load(&self.db, actor.org_id()).await?;
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        let logo = match s.logo_asset_id {
            Some(id) => brand_asset::Entity::find_by_id(id)
                .one(&self.db)
                .await?
                .filter(|a| a.organization_id == actor.org_id())
                .map(|a| logo_view(&a)),
            None => None,
        };
        let retention_offer = stored_offer(&s);
        let listed = stored_switch_prices(&s);
        let quantity_range = stored_range(&s);
        let switch_prices = plan::Entity::find()
            .filter(plan::Column::OrganizationId.eq(actor.org_id()))
            .filter(plan::Column::ArchivedAt.is_null())
            .order_by_asc(plan::Column::Currency)
            .order_by_asc(plan::Column::AmountMinor)
            .order_by_asc(plan::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|p| {
                Some(SwitchPrice {
                    listed: listed.contains(&p.public_id),
                    unit: crate::billing::stored_money(p.amount_minor, &p.currency).ok()?,
                    interval: domain::BillingInterval::parse(&p.interval).ok()?,
                    interval_count: u16::try_from(p.interval_count).ok()?,
                    id: p.public_id,
                    name: p.name,
                })
            })
            .collect();
        Ok(PortalSettingsView {
            enabled: s.enabled,
            payments_active: org.payments_active,
            portal_url: s
                .portal_key
                .as_deref()
                .map(|k| customer_portal_link(self.config.public_url.as_str(), k)),
            company_name: s.company_name,
            primary_color: s.primary_color,
            logo,
            perm_update_payment_methods: s.perm_update_payment_methods,
            perm_view_payment_history: s.perm_view_payment_history,
            perm_download_invoices: s.perm_download_invoices,
            perm_cancel_subscription: s.perm_cancel_subscription,
            perm_pay_invoices: s.perm_pay_invoices,
            perm_update_billing_details: s.perm_update_billing_details,
            perm_pause_subscription: s.perm_pause_subscription,
            pause_max_days: u16::try_from(s.pause_max_days).unwrap_or(0),
            retention_offer,
            perm_change_plan: s.perm_change_plan,
            switch_prices,
            quantity_range,
            version: s.version,
        })
    }

    /// Turns the portal on or off. The first enable generates the key; the key stays stable
    /// across off/on so links already sent keep working.
    pub async fn set_portal_enabled(
        &self,
        actor: &AdminActor,
        enabled: bool,
        version: i32,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let s = load(&txn, actor.org_id()).await?;
        let org = organization::Entity::find_by_id(actor.org_id())
            .one(&txn)
            .await?
            .ok_or(ConsoleError::NotFound)?;
        if enabled && !org.payments_active {
            return Err(ConsoleError::Conflict(
                wire::error::Conflict::PaymentsInactive,
            ));
        }
        let mut changes = vec![(portal_settings::Column::Enabled, Expr::value(enabled))];
        if enabled && s.portal_key.is_none() {
            let key = PortalKey::from_random(random_bytes());
            changes.push((
                portal_settings::Column::PortalKey,
                Expr::value(key.as_str().to_owned()),
            ));
        }
        update_versioned(&txn, actor.org_id(), version, changes, now).await?;
        let what = if enabled {
            "portal.enabled"
        } else {
            "portal.disabled"
        };
        audit::commit(
            txn,
            actor,
            what,
            format!("enabled: {} → {}", s.enabled, enabled),
            now,
        )
        .await
    }

    /// A new key; links with the old one stop working.
    pub async fn rotate_portal_key(
        &self,
        actor: &AdminActor,
        version: i32,
    ) -> Result<(), ConsoleError> {
        actor.require_rotate()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let s = load(&txn, actor.org_id()).await?;
        if s.portal_key.is_none() {
            return Err(ConsoleError::Conflict(wire::error::Conflict::NoKey));
        }
        let key = PortalKey::from_random(random_bytes());
        update_versioned(
            &txn,
            actor.org_id(),
            version,
            vec![(
                portal_settings::Column::PortalKey,
                Expr::value(key.as_str().to_owned()),
            )],
            now,
        )
        .await?;
        audit::commit(
            txn,
            actor,
            "portal.key_rotated",
            "the previous portal links no longer work".into(),
            now,
        )
        .await
    }

    /// Company name and colour.
    pub async fn save_branding(
        &self,
        actor: &AdminActor,
        change: BrandingChange,
        version: i32,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let s = load(&txn, actor.org_id()).await?;
        let name = change.company_name.as_str().to_owned();
        let color = change.primary_color.to_hex();
        update_versioned(
            &txn,
            actor.org_id(),
            version,
            vec![
                (
                    portal_settings::Column::CompanyName,
                    Expr::value(name.clone()),
                ),
                (
                    portal_settings::Column::PrimaryColor,
                    Expr::value(color.clone()),
                ),
            ],
            now,
        )
        .await?;
        let mut details = Vec::new();
        if s.company_name != name {
            details.push(format!("company name: {:?} → {:?}", s.company_name, name));
        }
        if s.primary_color != color {
            details.push(format!("primary colour: {} → {}", s.primary_color, color));
        }
        if details.is_empty() {
            details.push("no change".into());
        }
        audit::commit(txn, actor, "portal.branding", details.join("; "), now).await
    }

    /// The portal permissions, and the longest pause customers may ask for (`None` keeps
    /// it).
    pub async fn save_permissions(
        &self,
        actor: &AdminActor,
        p: PortalPermissions,
        rules: PortalRules,
        version: i32,
    ) -> Result<(), ConsoleError> {
        let PortalRules {
            pause_limit,
            retention_offer,
            switch_prices,
            quantity_range,
        } = rules;
        actor.require_change()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let s = load(&txn, actor.org_id()).await?;
        let before = [
            s.perm_update_payment_methods,
            s.perm_view_payment_history,
            s.perm_download_invoices,
            s.perm_cancel_subscription,
            s.perm_pay_invoices,
            s.perm_update_billing_details,
            s.perm_pause_subscription,
            s.perm_change_plan,
        ];
        let cols = [
            (
                portal_settings::Column::PermUpdatePaymentMethods,
                PortalPermission::UpdatePaymentMethods,
            ),
            (
                portal_settings::Column::PermViewPaymentHistory,
                PortalPermission::ViewPaymentHistory,
            ),
            (
                portal_settings::Column::PermDownloadInvoices,
                PortalPermission::DownloadInvoices,
            ),
            (
                portal_settings::Column::PermCancelSubscription,
                PortalPermission::CancelSubscription,
            ),
            (
                portal_settings::Column::PermPayInvoices,
                PortalPermission::PayInvoices,
            ),
            (
                portal_settings::Column::PermUpdateBillingDetails,
                PortalPermission::UpdateBillingDetails,
            ),
            (
                portal_settings::Column::PermPauseSubscription,
                PortalPermission::PauseSubscription,
            ),
            (
                portal_settings::Column::PermChangePlan,
                PortalPermission::ChangePlan,
            ),
        ];
        let mut changes: Vec<_> = cols
            .iter()
            .map(|(c, perm)| (*c, Expr::value(p.contains(*perm))))
            .collect();
        let days_before = s.pause_max_days;
        let days = pause_limit.map_or(days_before, |l| i32::from(l.days()));
        changes.push((portal_settings::Column::PauseMaxDays, Expr::value(days)));
        let offer_before = stored_offer(&s);
        let offer = retention_offer.unwrap_or(offer_before);
        changes.push((
            portal_settings::Column::RetentionPercent,
            Expr::value(offer.map(|o| i32::from(o.percent()))),
        ));
        changes.push((
            portal_settings::Column::RetentionMonths,
            Expr::value(offer.map(|o| i32::from(o.months()))),
        ));
        let prices_before = stored_switch_prices(&s);
        let prices = match switch_prices {
            Some(ids) => checked_switch_prices(&txn, actor.org_id(), ids).await?,
            None => prices_before.clone(),
        };
        changes.push((
            portal_settings::Column::SwitchPrices,
            Expr::value((!prices.is_empty()).then(|| prices.join(" "))),
        ));
        let range_before = stored_range(&s);
        let range = quantity_range.unwrap_or(range_before);
        changes.push((
            portal_settings::Column::QuantityMin,
            Expr::value(range.and_then(|r| i32::try_from(r.min()).ok())),
        ));
        changes.push((
            portal_settings::Column::QuantityMax,
            Expr::value(range.and_then(|r| i32::try_from(r.max()).ok())),
        ));
        update_versioned(&txn, actor.org_id(), version, changes, now).await?;
        let mut details: Vec<String> = cols
            .iter()
            .zip(before)
            .filter(|((_, perm), was)| p.contains(*perm) != *was)
            .map(|((_, perm), was)| format!("{}: {} → {}", perm.as_str(), was, !was))
            .collect();
        if days != days_before {
            details.push(format!("pause_max_days: {days_before} → {days}"));
        }
        if offer != offer_before {
            let shown = |o: Option<RetentionOffer>| {
                o.map_or("none".to_owned(), |o| {
                    format!("{}% for {} months", o.percent(), o.months())
                })
            };
            let (was, now) = (shown(offer_before), shown(offer));
            details.push(format!("retention_offer: {was} → {now}"));
        }
        if prices != prices_before {
            let shown = |l: &[String]| {
                if l.is_empty() {
                    "none".to_owned()
                } else {
                    l.join(", ")
                }
            };
            let (was, now) = (shown(&prices_before), shown(&prices));
            details.push(format!("switch_prices: {was} → {now}"));
        }
        if range != range_before {
            let shown = |r: Option<QuantityRange>| {
                r.map_or("fixed".to_owned(), |r| format!("{}–{}", r.min(), r.max()))
            };
            let (was, now) = (shown(range_before), shown(range));
            details.push(format!("quantity_range: {was} → {now}"));
        }
        let details = if details.is_empty() {
            "no change".to_owned()
        } else {
            details.join("; ")
        };
        audit::commit(txn, actor, "portal.permissions", details, now).await
    }

    /// Drops the logo from the settings (the asset row stays for old cached pages).
    pub async fn remove_logo(&self, actor: &AdminActor, version: i32) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let _forget = self.portal_changing();
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        update_versioned(
            &txn,
            actor.org_id(),
            version,
            vec![(
                portal_settings::Column::LogoAssetId,
                Expr::value(Option::<i64>::None),
            )],
            now,
        )
        .await?;
        audit::commit(txn, actor, "portal.logo_removed", String::new(), now).await
    }
}
