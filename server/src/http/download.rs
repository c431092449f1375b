//! File downloads shared by the console's and the portal's plain GET routes.
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// An invoice PDF, shown inline, never cached by shared caches, named after its number
/// (only safe characters, so the header cannot be split).
pub fn invoice_pdf(number: &str, bytes: Vec<u8>) -> Response {
    let safe: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"invoice-{safe}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The content hash in a logo's file name (`logo-{hash}.png`), or `None` for any other name.
pub fn logo_hash(asset: &str) -> Option<&str> {
    asset
        .strip_prefix("logo-")
        .and_then(|a| a.strip_suffix(".png"))
}

/// A logo under its content-hash URL: cached for a year (a new logo gets a new URL), by
/// shared caches too when `public` (the portal's), else only by the browser.
pub fn logo_png(bytes: Vec<u8>, public: bool) -> Response {
    let cache = if public {
        "public, max-age=31536000, immutable"
    } else {
        "private, max-age=31536000, immutable"
    };
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response()
}
