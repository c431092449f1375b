use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// The site's footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, common.footer_text)}</p>
        </footer>
    }
}
