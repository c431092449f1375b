//! Small helpers the portal's pages share.
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The portal key from the URL.
pub fn use_portal_key() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.read().get("key").unwrap_or_default())
}

/// One query value as a signal.
pub fn use_query(name: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name))
}

pub use crate::components::domain_locale;

/// The `page` query value (1 when absent or not a number).
pub fn use_page() -> Signal<u32> {
    let query = use_query_map();
    Signal::derive(move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    })
}
