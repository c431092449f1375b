//! Small helpers the portal's pages share.
use crate::i18n::Locale as UiLocale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
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

/// The page language as a domain locale (for money and dates).
pub fn domain_locale(i18n: I18nContext<UiLocale>) -> domain::Locale {
    match i18n.get_locale() {
        UiLocale::en => domain::Locale::En,
        UiLocale::it => domain::Locale::It,
    }
}

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
