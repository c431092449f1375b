use crate::console::ui::LatestTimer;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod clipboard {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText)]
        pub fn write_text(text: &str) -> JsValue;
    }
}

/// How long the button says "Copied" before it offers to copy again.
const COPIED_FOR: std::time::Duration = std::time::Duration::from_secs(3);

/// Copies `text` to the clipboard (with JavaScript; without, the text sits in a read-only
/// field beside it to copy by hand). A native `<button>`, so Enter and Space work. `label`
/// names what is copied, for screen readers ("Copy the portal link"); it, the visible
/// "Copy"/"Copied" and the announcement all follow the language.
#[component]
pub fn CopyButton(text: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let reset = LatestTimer::new();
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = clipboard::write_text(&text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
        copied.set(true);
        reset.start(COPIED_FOR, move || {
            let _ = copied.try_set(false);
        });
    };
    // The accessible name contains the visible word, so speech input finds the button.
    let name = move || {
        if copied.get() {
            t_string!(i18n, console.copied).to_string()
        } else {
            label.get()
        }
    };
    view! {
        <span class="copy-button">
            <button type="button" class="button button-secondary" aria-label=name on:click=on_click>
                {move || {
                    if copied.get() {
                        t!(i18n, console.copied).into_any()
                    } else {
                        t!(i18n, console.copy).into_any()
                    }
                }}
            </button>
            <span class="visually-hidden" role="status">
                {move || copied.get().then_some(t!(i18n, console.copied))}
            </span>
        </span>
    }
}
