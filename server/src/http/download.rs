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
