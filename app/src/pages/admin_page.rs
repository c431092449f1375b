use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin`: the console's frame: the Payments sidebar and an empty main area.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, console.title).to_string() />
        <div class="console">
            <nav class="console-sidebar" aria-label=move || t_string!(i18n, console.sidebar_label).to_string()>
                <p class="sidebar-heading">{t!(i18n, console.sidebar_label)}</p>
                <ul>
                    <li><a href="/admin" aria-current="page">{t!(i18n, console.overview)}</a></li>
                    <li>{t!(i18n, console.customers)}</li>
                    <li>{t!(i18n, console.settings_portal)}</li>
                    <li>{t!(i18n, console.settings_notifications)}</li>
                    <li>{t!(i18n, console.audit_log)}</li>
                </ul>
            </nav>
            <section class="console-main">
                <h1>{t!(i18n, console.title)}</h1>
                <p>{t!(i18n, console.welcome)}</p>
            </section>
        </div>
    }
}
