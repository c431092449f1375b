//! Plain HTTP routes of the portal that are not server functions (brand assets and CSS,
//! invoice PDFs). Merged into the main router by `http::router`.
use crate::state::AppState;
use axum::Router;

/// The portal's extra routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
