use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// A neutral page for an unknown or disabled portal: it names no company.
#[component]
pub fn PortalUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, portal.unavailable_title).to_string() />
        <div class="portal portal-unavailable">
            <main id="main" tabindex="-1" class="portal-main">
                <h1>{t!(i18n, portal.unavailable_title)}</h1>
                <p>{t!(i18n, portal.unavailable_body)}</p>
            </main>
        </div>
    }
}
