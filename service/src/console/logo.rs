//! Logo uploads: PNG only, recognised by content (signature, then a full decode under
//! limits that stop decompression bombs), at most 512 KB, re-encoded so nothing but pixels
//! survives, stored once per content hash.
use super::{ConsoleError, ConsoleService, audit, settings};
use crate::console::AdminActor;
use crate::entity::{brand_asset, portal_settings};
use image::{ImageFormat, ImageReader, Limits};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use wire::console::LogoView;
use wire::error::FieldCode;

/// The largest upload accepted.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// The largest width or height accepted.
pub const MAX_LOGO_SIDE: u32 = 2000;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A checked, re-encoded logo.
pub struct CheckedLogo {
    /// Re-encoded PNG bytes.
    pub png: Vec<u8>,
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
}

/// Checks an upload; the error is a field code for `logo`.
pub fn check(bytes: &[u8]) -> Result<CheckedLogo, FieldCode> {
    if bytes.is_empty() {
        return Err(FieldCode::LogoEmpty);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(FieldCode::LogoTooLarge);
    }
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(FieldCode::LogoNotPng);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_LOGO_SIDE);
    limits.max_image_height = Some(MAX_LOGO_SIDE);
    limits.max_alloc = Some(32 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => FieldCode::LogoTooManyPixels,
        _ => FieldCode::LogoInvalid,
    })?;
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| FieldCode::LogoInvalid)?;
    Ok(CheckedLogo {
        png,
        width: image.width(),
        height: image.height(),
    })
}

/// Whether a stored PNG has any pixel that is not fully opaque.
pub fn has_transparency(png: &[u8]) -> bool {
    let Ok(image) = image::load_from_memory_with_format(png, ImageFormat::Png) else {
        return false;
    };
    image.color().has_alpha() && image.to_rgba8().pixels().any(|p| p.0[3] < 255)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl ConsoleService {
    /// Stores the logo (once per content hash) and makes it the portal's.
    pub async fn upload_logo(
        &self,
        actor: &AdminActor,
        bytes: Vec<u8>,
    ) -> Result<LogoView, ConsoleError> {
        actor.require_change()?;
        let _forget = self.portal_changing();
        let logo = check(&bytes).map_err(|code| ConsoleError::field("logo", code))?;
        let now = self.now();
        let hash = hex(&Sha256::digest(&logo.png));
        let txn = crate::db::begin_write(&self.db).await?;
        let existing = brand_asset::Entity::find()
            .filter(brand_asset::Column::OrganizationId.eq(actor.org_id()))
            .filter(brand_asset::Column::ContentHash.eq(hash.as_str()))
            .one(&txn)
            .await?;
        let asset = match existing {
            Some(a) => a,
            None => {
                brand_asset::ActiveModel {
                    organization_id: Set(actor.org_id()),
                    content_hash: Set(hash.clone()),
                    content_type: Set("image/png".into()),
                    bytes: Set(logo.png),
                    width: Set(i32::try_from(logo.width).unwrap_or(0)),
                    height: Set(i32::try_from(logo.height).unwrap_or(0)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        portal_settings::Entity::update_many()
            .col_expr(portal_settings::Column::LogoAssetId, Expr::value(asset.id))
            .col_expr(
                portal_settings::Column::Version,
                Expr::col(portal_settings::Column::Version).add(1),
            )
            .col_expr(portal_settings::Column::UpdatedAt, Expr::value(now))
            .filter(portal_settings::Column::OrganizationId.eq(actor.org_id()))
            .exec(&txn)
            .await?;
        audit::commit(
            txn,
            actor,
            "portal.logo",
            format!("logo {}×{} ({})", logo.width, logo.height, &hash[..12]),
            now,
        )
        .await?;
        Ok(settings::logo_view(&asset))
    }

    /// A logo of the actor's organization by content hash.
    pub async fn logo_bytes(
        &self,
        actor: &AdminActor,
        hash: &str,
    ) -> Result<Vec<u8>, ConsoleError> {
        brand_asset::Entity::find()
            .filter(brand_asset::Column::OrganizationId.eq(actor.org_id()))
            .filter(brand_asset::Column::ContentHash.eq(hash))
            .one(&self.db)
            .await?
            .map(|a| a.bytes)
            .ok_or(ConsoleError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 20, 30, alpha]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn checks_content_not_names() {
        let good = check(&png(200, 50, 0)).unwrap();
        assert_eq!((good.width, good.height), (200, 50));
        assert!(has_transparency(&good.png));
        assert!(!has_transparency(&png(10, 10, 255)));
        assert_eq!(check(b"").err(), Some(FieldCode::LogoEmpty));
        assert_eq!(
            check(b"<svg xmlns='http://www.w3.org/2000/svg'/>").err(),
            Some(FieldCode::LogoNotPng)
        );
        assert_eq!(
            check(b"hello, I am text renamed to .png").err(),
            Some(FieldCode::LogoNotPng)
        );
        let mut truncated = png(20, 20, 0);
        truncated.truncate(40);
        assert_eq!(check(&truncated).err(), Some(FieldCode::LogoInvalid));
        // A bomb: tiny file, huge declared size.
        assert_eq!(
            check(&png(5000, 5000, 0)).err(),
            Some(FieldCode::LogoTooManyPixels)
        );
        assert_eq!(
            check(&vec![0u8; MAX_LOGO_BYTES + 1]).err(),
            Some(FieldCode::LogoTooLarge)
        );
    }
}
