use crate::console::components::saved_message;
use crate::console::ui::{LatestTimer, use_query};
use crate::i18n::{t_string, use_i18n};
use leptos::prelude::*;

/// How long a toast stays.
const SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// With JavaScript, a successful save (the server's redirect to `?saved=…&t=…`) also shows
/// a toast: a polite live region, dismissable, gone after a few seconds. It renders empty on
/// the server and at hydration (only an effect fills it), so both render the same HTML, and
/// without JavaScript the page's [`SavedNotice`](super::SavedNotice) alone tells the outcome.
#[component]
pub fn SaveToast() -> impl IntoView {
    let i18n = use_i18n();
    let saved = use_query("saved");
    let stamp = use_query("t");
    let shown = RwSignal::new(None::<String>);
    let hide = LatestTimer::new();
    Effect::new(move |_| {
        // `t` changes on every save, so saving the same thing twice shows it twice.
        let (code, _) = (saved.get(), stamp.get());
        shown.set(code);
        hide.start(SHOWN_FOR, move || {
            let _ = shown.try_set(None);
        });
    });
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || {
                shown
                    .get()
                    .map(|code| {
                        view! {
                            <div class="toast">
                                <p>{saved_message(&code)}</p>
                                <button
                                    type="button"
                                    class="toast-dismiss"
                                    on:click=move |_| shown.set(None)
                                    aria-label=move || t_string!(i18n, console.dismiss).to_string()
                                >
                                    <span aria-hidden="true">"×"</span>
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
