//! Dunwell's Leptos app: the shell, routes, pages and components, shared by the server
//! (SSR) and the browser (hydration).
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod components;
pub mod console;
pub mod csp;
pub mod error;
pub mod pages;
pub mod portal;
pub mod session;

use crate::components::{HydrationMarker, SiteLayout};
use crate::console::ConsoleRoutes;
use crate::i18n::{I18nContextProvider, t_string, use_i18n};
use crate::pages::{LandingPage, NotFoundPage};
use crate::portal::PortalRoutes;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" sizes="any" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: translations, routes and the hydration marker.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <DocumentTitle />
            <Router>
                // Dunwell's own pages wear Dunwell's header and footer; the portal wears the
                // merchant's brand (its shell is in `portal`).
                <Routes fallback=|| view! { <SiteLayout><NotFoundPage /></SiteLayout> }>
                    <ParentRoute path=path!("") view=|| view! { <SiteLayout><Outlet /></SiteLayout> }>
                        <Route path=path!("") view=LandingPage />
                        <ConsoleRoutes />
                    </ParentRoute>
                    <PortalRoutes />
                </Routes>
                <HydrationMarker />
            </Router>
        </I18nContextProvider>
    }
}

/// The default browser-tab title; pages may override it.
#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || t_string!(i18n, common.landing_title).to_string() /> }
}
