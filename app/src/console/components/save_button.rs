use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A settings form's submit button: "Save changes", or "Saving…" while the action runs;
/// disabled while it runs and for staff who may not change the settings.
#[component]
pub fn SaveButton(#[prop(into)] pending: Signal<bool>, allowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="button" disabled=move || !allowed || pending.get()>
            {move || {
                if pending.get() {
                    t!(i18n, console.saving).into_any()
                } else {
                    t!(i18n, console.save_changes).into_any()
                }
            }}
        </button>
    }
}
