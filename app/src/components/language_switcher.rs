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
        format!("/locale/{lang}?back={}", encode_query(&back))
    };
    let current = move || i18n.get_locale();
    view! {
        <nav class="language-switcher" aria-label=move || crate::i18n::t_string!(i18n, common.language_label).to_string()>
            <a href=move || href("en") rel="external" lang="en" hreflang="en"
                aria-current=move || (current() == Locale::en).then_some("true")>{t!(i18n, common.lang_en)}</a>
            <a href=move || href("it") rel="external" lang="it" hreflang="it"
                aria-current=move || (current() == Locale::it).then_some("true")>{t!(i18n, common.lang_it)}</a>
        </nav>
    }
}

/// Percent-encodes a path for use as a query value.
fn encode_query(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_encoded() {
        assert_eq!(super::encode_query("/admin?x=1&y"), "/admin%3Fx%3D1%26y");
    }
}
