use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// Any unknown address: a 404 with a way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, common.not_found_title).to_string() />
        <section class="not-found">
            <h1>{t!(i18n, common.not_found_title)}</h1>
            <p>{t!(i18n, common.not_found_body)}</p>
            <p>
                <a href="/">{t!(i18n, common.not_found_home)}</a>
            </p>
        </section>
    }
}
