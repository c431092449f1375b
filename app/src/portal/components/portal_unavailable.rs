use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// The neutral notice for an unknown or disabled portal: it names no company. In the
/// shell (beside the page) CSS hides the page; in a page it replaces the page's content.
#[component]
pub fn PortalUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    // The whole title, whatever the page under it calls itself (its `PageHeading`).
    let title = tu_string!(i18n, portal.unavailable_title).to_string();
    // A plain value, no signal: leptos_meta calls it outside the request's reactive arena.
    let whole = title.clone();
    let keep_whole = move |_: String| whole.clone();
    view! {
        <Title text=title formatter=keep_whole />
        <div class="portal-unavailable">
            <h1>{t!(i18n, portal.unavailable_title)}</h1>
            <p>{t!(i18n, portal.unavailable_body)}</p>
        </div>
    }
}
