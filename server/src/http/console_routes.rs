//! Plain HTTP routes of the console that are not server functions (file uploads and
//! downloads). Merged into the main router by `http::router`.
use crate::state::AppState;
use axum::Router;

/// The console's extra routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
