//! The browser entry point: hydrate the server-rendered page and nothing else.
//!
//! Console pages hydrate whole (`hydrate_body`). Portal pages are rendered on the server
//! and only their forms hydrate, as islands (`app::portal::browser`), so the portal's
//! bundle carries no router and no page code.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if on_portal_page() {
        #[cfg(feature = "portal")]
        app::portal::browser::hydrate();
    } else {
        #[cfg(feature = "console")]
        leptos::mount::hydrate_body(app::App);
    }
}

/// Whether the page is the portal's (`/portal/…`).
fn on_portal_page() -> bool {
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    app::bundles::Section::of_path(&path) == app::bundles::Section::Portal
}
