use crate::portal::ui::use_query;
use leptos::prelude::*;

/// The outcome a form's redirect names in `?notice=`, as a status message, when `text`
/// knows it (an unknown or forged value shows nothing; the page itself shows what the
/// database says).
#[component]
pub fn QueryNotice(text: fn(&str) -> Option<AnyView>) -> impl IntoView {
    let notice = use_query("notice");
    move || {
        notice.get().and_then(|n| text(&n)).map(|t| {
            view! {
                <p class="notice" role="status">
                    {t}
                </p>
            }
        })
    }
}
