use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/`: what Dunwell does, with the way into the console.
#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{t!(i18n, common.landing_headline)}</h1>
            <p class="lede">{t!(i18n, common.landing_lede)}</p>
            <p class="actions">
                <a class="button" href="/admin">
                    {t!(i18n, common.landing_cta_console)}
                </a>
            </p>
        </section>
        <section class="features">
            <article>
                <h2>{t!(i18n, common.landing_feature_portal_title)}</h2>
                <p>{t!(i18n, common.landing_feature_portal_body)}</p>
            </article>
            <article>
                <h2>{t!(i18n, common.landing_feature_recovery_title)}</h2>
                <p>{t!(i18n, common.landing_feature_recovery_body)}</p>
            </article>
            <article>
                <h2>{t!(i18n, common.landing_feature_control_title)}</h2>
                <p>{t!(i18n, common.landing_feature_control_body)}</p>
            </article>
        </section>
    }
}
