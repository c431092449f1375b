//! Components shared by pages.
mod cancel_reason_label;
mod hydration_marker;
mod language_switcher;
mod site_footer;
mod site_header;
mod site_layout;

pub use cancel_reason_label::cancel_reason_label;
pub use hydration_marker::HydrationMarker;
pub use language_switcher::LanguageSwitcher;
pub use site_footer::SiteFooter;
pub use site_header::SiteHeader;
pub use site_layout::SiteLayout;

/// The page language as a domain locale (for money and dates).
pub fn domain_locale(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>) -> domain::Locale {
    match i18n.get_locale() {
        crate::i18n::Locale::en => domain::Locale::En,
        crate::i18n::Locale::it => domain::Locale::It,
    }
}
