use crate::components::LanguageSwitcher;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

/// The site's header: skip link, brand, main navigation and the language switcher.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, common.skip_to_content)}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                {t!(i18n, common.brand)}
            </a>
            <nav class="site-nav" aria-label=move || t_string!(i18n, common.nav_label).to_string()>
                <a href="/">{t!(i18n, common.nav_home)}</a>
                <a href="/admin">{t!(i18n, common.nav_console)}</a>
            </nav>
            <LanguageSwitcher />
        </header>
    }
}
