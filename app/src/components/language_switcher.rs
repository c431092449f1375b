use crate::i18n::{Locale, t, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Links to `/locale/{lang}`, which remembers the choice in a cookie and comes back to
/// this page: a full page load, so it works the same with and without JavaScript.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let href = move |lang: &str| {
        let back = location.pathname.get();
        format!("/locale/{lang}?back={}", crate::forms::encode(&back))
    };
    let current = move || i18n.get_locale();
    view! {
        <nav
            class="language-switcher"
            aria-label=move || crate::i18n::t_string!(i18n, common.language_label).to_string()
        >
            <a
                href=move || href("en")
                rel="external"
                lang="en"
                hreflang="en"
                aria-current=move || (current() == Locale::en).then_some("true")
            >
                {t!(i18n, common.lang_en)}
            </a>
            <a
                href=move || href("it")
                rel="external"
                lang="it"
                hreflang="it"
                aria-current=move || (current() == Locale::it).then_some("true")
            >
                {t!(i18n, common.lang_it)}
            </a>
        </nav>
    }
}
