use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

/// "Previous · Page X of Y · Next" as plain links (they work without JavaScript). `base`
/// is the list's URL up to its query separator (`/admin/audit?`, `…&status=active&`);
/// the page number is appended.
#[component]
pub fn PaginationNav(page: u64, pages: u64, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let prev = (page > 1).then(|| format!("{base}page={}", page - 1));
    let next = (page < pages).then(|| format!("{base}page={}", page + 1));
    view! {
        <nav class="pagination" aria-label=move || t_string!(i18n, console.pagination).to_string()>
            {prev
                .map(|href| {
                    view! {
                        <a href=href rel="prev">
                            {t!(i18n, console.prev)}
                        </a>
                    }
                })}
            <span>{t!(i18n, console.page_of, page = page, pages = pages)}</span>
            {next
                .map(|href| {
                    view! {
                        <a href=href rel="next">
                            {t!(i18n, console.next)}
                        </a>
                    }
                })}
        </nav>
    }
}
