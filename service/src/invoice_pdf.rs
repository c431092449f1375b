//! An invoice as a PDF: branded (colour band, logo, company name), with the number, dates,
//! customer, lines, totals and status, money and dates in the customer's language. Text is
//! real text (Noto Sans, embedded with its Unicode map), so it can be searched and copied.
//!
//! Shared by the portal (a customer's own invoice) and the console (staff of the same
//! organization): each checks who may see the invoice, then calls [`render`].
use crate::billing::templates::format_date;
use crate::entity::{brand_asset, customer, invoice, invoice_line, organization, portal_settings};
use domain::{Currency, HexColor, Locale, Money};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::OnceLock;

const W: f32 = 595.0;
const H: f32 = 842.0;
const M: f32 = 48.0;

/// A rendered invoice.
pub struct InvoicePdf {
    /// The invoice number (for the file name).
    pub number: String,
    /// The PDF bytes.
    pub bytes: Vec<u8>,
}

/// Why an invoice PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum InvoicePdfError {
    /// The invoice's customer or organization settings are missing.
    #[error("invoice rows missing")]
    NotFound,
    /// Rendering failed (logged where it happened).
    #[error("rendering failed")]
    Render,
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// The PDF labels, from the portal's translation files (one source for every portal text).
fn labels(locale: Locale) -> &'static HashMap<String, String> {
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static IT: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, src) = match locale {
        Locale::It => (&IT, include_str!("../../app/locales/it/portal.json")),
        Locale::En => (&EN, include_str!("../../app/locales/en/portal.json")),
    };
    cell.get_or_init(|| serde_json::from_str(src).unwrap_or_default())
}

fn label(locale: Locale, key: &str) -> String {
    labels(locale)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// Renders `inv` with its organization's branding and its customer's language. The caller
/// has already decided that the requester may see this invoice.
pub async fn render(
    db: &impl ConnectionTrait,
    inv: invoice::Model,
) -> Result<InvoicePdf, InvoicePdfError> {
    let settings = portal_settings::Entity::find()
        .filter(portal_settings::Column::OrganizationId.eq(inv.organization_id))
        .one(db)
        .await?
        .ok_or(InvoicePdfError::NotFound)?;
    let cust = customer::Entity::find_by_id(inv.customer_id)
        .one(db)
        .await?
        .filter(|c| c.organization_id == inv.organization_id)
        .ok_or(InvoicePdfError::NotFound)?;
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(inv.id))
        .order_by_asc(invoice_line::Column::Id)
        .all(db)
        .await?;
    let logo = match settings.logo_asset_id {
        Some(id) => brand_asset::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|a| a.organization_id == inv.organization_id)
            .map(|a| a.bytes),
        None => None,
    };
    let org = organization::Entity::find_by_id(inv.organization_id)
        .one(db)
        .await?
        .ok_or(InvoicePdfError::NotFound)?;
    let brand = HexColor::parse(&settings.primary_color).unwrap_or(HexColor::DEFAULT_BRAND);
    let locale = Locale::parse(&cust.locale).unwrap_or_default();
    let vat = |number: &str| format!("{} {number}", label(locale, "pdf_vat"));
    let seller = std::iter::once(org.legal_name.unwrap_or(org.name))
        .chain(org.business_address.lines().map(str::to_owned))
        .chain(org.vat_number.as_deref().map(vat))
        .collect();
    // Whom the invoice was made out to when it was made; an invoice from before these were
    // kept shows the customer's current details.
    let (name, address, tax_id) = match &inv.billed_name {
        Some(name) => (
            name.clone(),
            inv.billed_address.clone().unwrap_or_default(),
            inv.billed_tax_id.clone(),
        ),
        None => (cust.name, cust.billing_address, cust.tax_id),
    };
    let customer_extra = address
        .lines()
        .map(str::to_owned)
        .chain(tax_id.as_deref().map(|number| {
            let codice_fiscale = domain::VatNumber::parse(number)
                .ok()
                .flatten()
                .is_some_and(|n| n.is_codice_fiscale());
            match codice_fiscale {
                true => format!("{} {number}", label(locale, "pdf_tax_code")),
                false => vat(number),
            }
        }))
        .collect();
    let doc = Doc {
        company: settings.company_name,
        brand,
        logo,
        locale,
        customer_name: name,
        customer_email: cust.email,
        customer_extra,
        seller,
        footer: org.invoice_footer.lines().map(str::to_owned).collect(),
    };
    let bytes = doc.render(&inv, &lines).map_err(|e| {
        tracing::error!(error = %e, invoice = %inv.public_id, "invoice PDF failed");
        InvoicePdfError::Render
    })?;
    Ok(InvoicePdf {
        number: inv.number,
        bytes,
    })
}

struct Doc {
    company: String,
    brand: HexColor,
    logo: Option<Vec<u8>>,
    locale: Locale,
    customer_name: String,
    customer_email: String,
    /// The customer's billing address lines and VAT number.
    customer_extra: Vec<String>,
    /// The seller: legal name, address lines, VAT number.
    seller: Vec<String>,
    /// The organization's invoice footer, a line each.
    footer: Vec<String>,
}

fn fill(c: Rgb) -> Option<Fill> {
    Some(Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    })
}

const INK: (u8, u8, u8) = (0x1b, 0x1f, 0x24);
const MUTED: (u8, u8, u8) = (0x4a, 0x53, 0x60);
const LINE: (u8, u8, u8) = (0xd5, 0xda, 0xe1);

type Rgb = (u8, u8, u8);

fn color((r, g, b): Rgb) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

struct Pen<'a, 'b> {
    s: &'a mut Surface<'b>,
    regular: Font,
    bold: Font,
}

impl Pen<'_, '_> {
    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, color: Rgb, text: &str) {
        self.s.set_fill(fill(color));
        let font = if bold { &self.bold } else { &self.regular };
        self.s.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Right-aligned text ending at `right` (the width measured from the font's advances).
    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, color: Rgb, text: &str) {
        let width = measure(bold, size, text);
        self.text(right - width, y, size, bold, color, text);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let Some(rect) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            self.s.set_fill(fill(color));
            self.s.draw_path(&path);
        }
    }
}

/// The advance width of `text` in points, from the font's own metrics.
fn measure(bold: bool, size: f32, text: &str) -> f32 {
    use skrifa::MetadataProvider;
    let data = if bold {
        notosans::BOLD_TTF
    } else {
        notosans::REGULAR_TTF
    };
    let Ok(font) = skrifa::FontRef::new(data) else {
        return text.chars().count() as f32 * size * 0.55;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(
        skrifa::instance::Size::new(size),
        skrifa::instance::LocationRef::default(),
    );
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.55)
        })
        .sum()
}

impl Doc {
    fn money(&self, minor: i64, currency: &str) -> String {
        match Currency::parse(currency) {
            Ok(c) => Money::new(minor, c).format(self.locale),
            Err(_) => format!("{minor} {currency}"),
        }
    }

    fn date(&self, d: chrono::DateTime<chrono::Utc>) -> String {
        format_date(d.date_naive(), self.locale)
    }

    fn render(
        &self,
        inv: &invoice::Model,
        lines: &[invoice_line::Model],
    ) -> Result<Vec<u8>, String> {
        let l = |k: &str| label(self.locale, k);
        let regular = Font::new(notosans::REGULAR_TTF.into(), 0).ok_or("regular font")?;
        let bold = Font::new(notosans::BOLD_TTF.into(), 0).ok_or("bold font")?;
        let mut document = Document::new();
        document.set_metadata(
            krilla::metadata::Metadata::new()
                .title(format!("{} {}", l("pdf_invoice"), inv.number))
                .creator(self.company.clone()),
        );
        let on_brand = self.brand.readable_text_color();
        let brand = (self.brand.r(), self.brand.g(), self.brand.b());
        let on_brand = (on_brand.r(), on_brand.g(), on_brand.b());

        let mut rows = lines.iter().peekable();
        let mut first = true;
        while first || rows.peek().is_some() {
            let mut page =
                document.start_page_with(PageSettings::from_wh(W, H).ok_or("page size")?);
            let mut surface = page.surface();
            let mut pen = Pen {
                s: &mut surface,
                regular: regular.clone(),
                bold: bold.clone(),
            };
            self.band(&mut pen, brand, on_brand);
            let mut y = 130.0;
            if first {
                y = self.header(&mut pen, inv, y);
            }
            y = self.lines(&mut pen, inv, &mut rows, y);
            if rows.peek().is_none() {
                self.totals(&mut pen, inv, y);
            }
            let mut fy = H - 40.0 - 12.0 * self.footer.len() as f32;
            for line in &self.footer {
                pen.text(M, fy, 9.0, false, MUTED, line);
                fy += 12.0;
            }
            pen.text(
                M,
                H - 40.0,
                9.0,
                false,
                MUTED,
                &format!("{} · {} {}", self.company, l("pdf_invoice"), inv.number),
            );
            surface.finish();
            page.finish();
            first = false;
        }
        document.finish().map_err(|e| format!("{e:?}"))
    }

    /// The brand band across the top of every page: the logo on a white tile, then the
    /// company name in the text colour that reads on the brand colour.
    fn band(&self, pen: &mut Pen<'_, '_>, brand: Rgb, on_brand: Rgb) {
        pen.rect(0.0, 0.0, W, 84.0, brand);
        let mut name_x = M;
        if let Some(image) = self
            .logo
            .as_ref()
            .and_then(|b| Image::from_png(b.clone().into(), true).ok())
        {
            let (iw, ih) = image.size();
            let h = 40.0_f32;
            let w = (iw as f32 / ih.max(1) as f32 * h).min(140.0);
            pen.rect(M - 6.0, 16.0, w + 12.0, h + 12.0, (255, 255, 255));
            if let Some(size) = Size::from_wh(w, h) {
                pen.s.push_transform(&Transform::from_translate(M, 22.0));
                pen.s.draw_image(image, size);
                pen.s.pop();
            }
            name_x = M + w + 24.0;
        }
        pen.text(name_x, 50.0, 18.0, true, on_brand, &self.company);
    }

    /// The column heads, then as many invoice lines as fit above the totals' space; returns
    /// where the next row would go. Lines left over go on the next page.
    fn lines<'l>(
        &self,
        pen: &mut Pen<'_, '_>,
        inv: &invoice::Model,
        rows: &mut std::iter::Peekable<std::slice::Iter<'l, invoice_line::Model>>,
        mut y: f32,
    ) -> f32 {
        let l = |k: &str| label(self.locale, k);
        pen.text(M, y, 9.5, true, MUTED, &l("pdf_description"));
        pen.text_right(360.0, y, 9.5, true, MUTED, &l("pdf_quantity"));
        pen.text_right(450.0, y, 9.5, true, MUTED, &l("pdf_unit_price"));
        pen.text_right(W - M, y, 9.5, true, MUTED, &l("pdf_amount"));
        pen.rect(M, y + 6.0, W - 2.0 * M, 0.8, LINE);
        y += 24.0;
        while let Some(line) = rows.next_if(|_| y < H - 190.0) {
            let desc: String = line.description.chars().take(60).collect();
            pen.text(M, y, 10.5, false, INK, &desc);
            pen.text_right(360.0, y, 10.5, false, INK, &line.quantity.to_string());
            let unit = self.money(line.unit_amount_minor, &inv.currency);
            pen.text_right(450.0, y, 10.5, false, INK, &unit);
            let amount = self.money(line.amount_minor, &inv.currency);
            pen.text_right(W - M, y, 10.5, false, INK, &amount);
            y += 20.0;
        }
        y
    }

    /// Subtotal, total, paid and due, under the last line.
    fn totals(&self, pen: &mut Pen<'_, '_>, inv: &invoice::Model, mut y: f32) {
        let l = |k: &str| label(self.locale, k);
        pen.rect(M, y - 8.0, W - 2.0 * M, 0.8, LINE);
        y += 12.0;
        let due = inv.total_minor - inv.amount_paid_minor;
        for (key, minor, strong) in [
            ("pdf_subtotal", inv.subtotal_minor, false),
            ("pdf_total", inv.total_minor, true),
            ("pdf_amount_paid", inv.amount_paid_minor, false),
            ("pdf_amount_due", due, true),
        ] {
            pen.text_right(450.0, y, 10.5, strong, INK, &l(key));
            pen.text_right(
                W - M,
                y,
                10.5,
                strong,
                INK,
                &self.money(minor, &inv.currency),
            );
            y += 18.0;
        }
    }

    /// Title, status, dates and the customer; returns where the lines start.
    fn header(&self, pen: &mut Pen<'_, '_>, inv: &invoice::Model, mut y: f32) -> f32 {
        let l = |k: &str| label(self.locale, k);
        pen.text(
            M,
            y,
            22.0,
            true,
            INK,
            &format!("{} {}", l("pdf_invoice"), inv.number),
        );
        let (status, color) = match inv.status.as_str() {
            "paid" => (l("invoice_paid"), (0x17, 0x62, 0x2f)),
            "open" => (l("invoice_open"), (0xb3, 0x26, 0x1e)),
            "void" => (l("invoice_void"), MUTED),
            "uncollectible" => (l("invoice_uncollectible"), MUTED),
            _ => (l("invoice_draft"), MUTED),
        };
        pen.text_right(W - M, y, 14.0, true, color, &status.to_uppercase());
        y += 34.0;
        let mut facts = vec![
            (l("pdf_issued"), self.date(inv.created_at)),
            (
                l("pdf_period"),
                format!(
                    "{} – {}",
                    self.date(inv.period_start),
                    self.date(inv.period_end)
                ),
            ),
        ];
        if let Some(paid) = inv.paid_at {
            facts.push((l("pdf_paid_on"), self.date(paid)));
        }
        let top = y;
        for (k, v) in &facts {
            pen.text(M, y, 9.5, true, MUTED, k);
            pen.text(M + 90.0, y, 10.5, false, INK, v);
            y += 17.0;
        }
        let mut cy = top;
        pen.text(375.0, cy, 9.5, true, MUTED, &l("pdf_bill_to"));
        cy += 17.0;
        pen.text(375.0, cy, 10.5, true, INK, &self.customer_name);
        cy += 16.0;
        pen.text(375.0, cy, 10.5, false, INK, &self.customer_email);
        for line in &self.customer_extra {
            cy += 16.0;
            pen.text(375.0, cy, 10.5, false, INK, line);
        }
        y += 10.0;
        pen.text(M, y, 9.5, true, MUTED, &l("pdf_from"));
        for line in &self.seller {
            y += 16.0;
            pen.text(M, y, 10.5, false, INK, line);
        }
        y.max(cy) + 36.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(200, 50, image::Rgba([15, 118, 110, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn renders_a_pdf_with_the_lines_and_totals() {
        let now = chrono::Utc::now();
        let inv = invoice::Model {
            id: 1,
            public_id: "inv_x".into(),
            organization_id: 1,
            customer_id: 1,
            subscription_id: None,
            number: "ACME-0001".into(),
            status: "paid".into(),
            currency: "EUR".into(),
            subtotal_minor: 2900,
            total_minor: 2900,
            amount_paid_minor: 2900,
            attempt_count: 1,
            first_failure_at: None,
            next_attempt_at: None,
            period_start: now,
            period_end: now,
            paid_at: Some(now),
            created_at: now,
            updated_at: now,
            billed_name: None,
            billed_address: None,
            billed_tax_id: None,
        };
        let line = invoice_line::Model {
            id: 1,
            invoice_id: 1,
            description: "Pro plan".into(),
            quantity: 1,
            unit_amount_minor: 2900,
            amount_minor: 2900,
        };
        let doc = Doc {
            company: "<b>Acme</b>".into(),
            brand: HexColor::from_rgb(0x0f, 0x76, 0x6e),
            logo: Some(png()),
            locale: Locale::It,
            customer_name: "Giulia Rossi".into(),
            customer_email: "giulia@example.com".into(),
            customer_extra: vec!["Via Roma 1".into(), "P. IVA IT12345678903".into()],
            seller: vec!["Acme S.r.l.".into(), "Corso Como 5, Milano".into()],
            footer: vec!["IBAN IT60 X054 2811 1010 0000 0123 456".into()],
        };
        let bytes = doc.render(&inv, &[line]).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        // Kept for a person to look at (`pdftoppm -png`).
        let _ = std::fs::write(
            std::env::temp_dir().join("dunwell-invoice-test.pdf"),
            &bytes,
        );
    }
}
