use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// Why the controls are disabled: viewers look, and change nothing.
#[component]
pub fn ViewerNotice(can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    (!can_change).then(|| {
        view! {
            <p class="notice notice-info" id="viewer-reason">
                {t!(i18n, console.viewer_notice)}
            </p>
        }
    })
}
