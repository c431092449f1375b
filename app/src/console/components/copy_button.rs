use crate::i18n::{t, use_i18n};
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

/// Copies `text` to the clipboard (with JavaScript; without, the text sits in a read-only
/// field beside it to copy by hand). `label` names what is copied, for screen readers.
#[component]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = clipboard::write_text(&text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
        copied.set(true);
    };
    view! {
        <button type="button" class="button button-secondary" aria-label=label on:click=on_click>
            {move || if copied.get() { t!(i18n, console.copied).into_any() } else { t!(i18n, console.copy).into_any() }}
        </button>
    }
}
