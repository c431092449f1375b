//! The portal in the browser.
//!
//! Portal pages are rendered on the server; only their forms are interactive, as Leptos
//! islands (`#[island]`: sign-in, add a card or a SEPA mandate, set default and remove,
//! cancel and resume). The page's loader (see `crate::bundles`) calls [`hydrate`], then
//! hydrates each `<leptos-island>` by its exported function.
//!
//! A form's server function answers with a redirect to the page that shows the outcome
//! (`?notice=…&outcome=…`), the same page a browser without JavaScript lands on. Here that
//! redirect does not reload the document: `dunwellVisit` (the loader's) fetches the page,
//! swaps its `<main>` and navigation in, and hydrates the islands it brought. Links between
//! portal pages and back and forward go through it too (`js/visit.js`).
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::js_sys;

/// Starts the islands' reactive root with the page's language, and routes server-function
/// redirects through the loader's `dunwellVisit`.
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    // The locale comes from `<html lang>`, which the server set. The generated
    // `<I18nContextProvider>` wraps one view; islands have no common parent view in the
    // browser, so the context goes on the islands' root instead.
    #[allow(deprecated)]
    leptos_i18n::provide_i18n_context::<crate::i18n::Locale>();
    _ = leptos::server_fn::redirect::set_redirect_hook(visit);
    // A form posted without JavaScript (before the bundle arrived) comes back with its
    // error in the query; the router would provide it to the form's action, so do that.
    let search = window().location().search().unwrap_or_default();
    if let (Some(err), Some(path)) = (
        query_value(&search, "__err"),
        query_value(&search, "__path"),
    ) {
        provide_context(leptos::server::ServerActionError::new(&path, &err));
    }
}

/// The decoded value of `name` in a `?a=1&b=2` query.
fn query_value(search: &str, name: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| js_sys::decode_uri_component(&v.replace('+', " ")).ok())
        .and_then(|v| v.as_string())
}

/// Shows the page at `url` without reloading the document (a full load if the loader's
/// `dunwellVisit` is missing).
fn visit(url: &str) {
    let window = window();
    let swap = js_sys::Reflect::get(&window, &"dunwellVisit".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match swap {
        Some(swap) => {
            _ = swap.call1(&window, &url.into());
        }
        None => {
            _ = window.location().set_href(url);
        }
    }
}
