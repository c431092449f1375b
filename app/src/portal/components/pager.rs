use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

/// Newer / older page links (plain links, so they work without JavaScript).
#[component]
pub fn Pager(base: String, page: u32, has_next: bool) -> impl IntoView {
    let i18n = use_i18n();
    let newer = (page > 1).then(|| format!("{base}?page={}", page - 1));
    let older = has_next.then(|| format!("{base}?page={}", page + 1));
    (newer.is_some() || older.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, portal.pager_label).to_string()>
                <span>
                    {newer.map(|href| view! { <a href=href>{t!(i18n, portal.page_newer)}</a> })}
                </span>
                <span class="muted">{t!(i18n, portal.page_n, n = page)}</span>
                <span>
                    {older.map(|href| view! { <a href=href>{t!(i18n, portal.page_older)}</a> })}
                </span>
            </nav>
        }
    })
}
