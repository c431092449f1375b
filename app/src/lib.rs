//! Dunwell's Leptos app: the shell, routes, pages and components, shared by the server
//! (SSR) and the browser (hydration).
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod bundles;
pub mod components;
pub mod console;
pub mod csp;
pub mod forms;
pub use wire::error;
pub mod pages;
pub mod portal;
pub mod session;

use crate::bundles::{BundleScripts, Bundles, Section};
use crate::components::{HydrationMarker, SiteLayout};
use crate::i18n::{I18nContextProvider, tu_string, use_i18n};
use crate::pages::NotFoundPage;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Router, Routes};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::set_page_policy();
    // The request's section picks the browser bundle (see `bundles`).
    #[cfg(feature = "ssr")]
    let section = use_context::<http::request::Parts>()
        .map_or(Section::Console, |parts| Section::of_path(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let section = Section::Console;
    let bundles = use_context::<Bundles>();
    // The portal hydrates only its islands: no hydration data for the rest of the page.
    #[cfg(feature = "ssr")]
    if section == Section::Portal
        && let Some(context) = Owner::current_shared_context()
    {
        context.set_is_hydrating(false);
    }
    let islands = section == Section::Portal;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" sizes="any" />
                <AutoReload options=options.clone() />
                {match bundles {
                    Some(bundles) => view! { <BundleScripts bundles section /> }.into_any(),
                    None => {
                        view! {
                            <HydrationScripts options=options.clone() islands />
                            {islands.then(bundles::IslandVisits)}
                            <HashedStylesheet options id="leptos" />
                        }
                            .into_any()
                    }
                }}
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
    let languages =
        leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(request_languages);
    view! {
        <I18nContextProvider ssr_lang_header_getter=languages>
            <DocumentTitle />
            <Router>
                <AppRoutes />
                <HydrationMarker />
            </Router>
        </I18nContextProvider>
    }
}

/// The cookie that remembers the chosen language (set by the language switcher and at a
/// customer's sign-in, to their saved locale).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The languages the server renders a page in, best first: the remembered choice, else
/// the browser's `Accept-Language`. (In the browser the locale comes from `<html lang>`,
/// which the server set, so this is never called there.)
fn request_languages() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let chosen = session::read_cookie(LOCALE_COOKIE)
            .filter(|value| domain::Locale::parse(value).is_ok());
        chosen.or_else(|| {
            use_context::<http::request::Parts>()?
                .headers
                .get(http::header::ACCEPT_LANGUAGE)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// What the router shows for a path it does not know.
fn not_found() -> impl IntoView {
    view! {
        <SiteLayout>
            <NotFoundPage />
        </SiteLayout>
    }
}

/// Every route: the server, and a browser bundle of both sections.
#[cfg(not(any(
    all(not(feature = "ssr"), feature = "portal", not(feature = "console")),
    all(not(feature = "ssr"), feature = "console", not(feature = "portal"))
)))]
#[component]
fn AppRoutes() -> impl IntoView {
    use crate::portal::PortalRoutes;
    view! {
        <Routes fallback=not_found>
            <SiteRoutes />
            <PortalRoutes />
        </Routes>
    }
}

/// The console's bundle: Dunwell's own pages and the console.
#[cfg(all(not(feature = "ssr"), feature = "console", not(feature = "portal")))]
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=not_found>
            <SiteRoutes />
        </Routes>
    }
}

/// The portal's bundle: the portal alone.
#[cfg(all(not(feature = "ssr"), feature = "portal", not(feature = "console")))]
#[component]
fn AppRoutes() -> impl IntoView {
    use crate::portal::PortalRoutes;
    view! {
        <Routes fallback=not_found>
            <PortalRoutes />
        </Routes>
    }
}

/// Dunwell's own pages wear Dunwell's header and footer; the portal wears the merchant's
/// brand (its shell is in `portal`).
#[cfg(not(all(not(feature = "ssr"), feature = "portal", not(feature = "console"))))]
#[component(transparent)]
fn SiteRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::console::ConsoleRoutes;
    use crate::pages::LandingPage;
    use leptos_router::components::{Outlet, ParentRoute, Route};
    use leptos_router::path;
    view! {
        <ParentRoute
            path=path!("")
            view=|| {
                view! {
                    <SiteLayout>
                        <Outlet />
                    </SiteLayout>
                }
            }
        >
            <Route path=path!("") view=LandingPage />
            <Route
                path=path!("setup")
                view=crate::console::pages::SetupPage
                ssr=leptos_router::SsrMode::Async
            />
            <Route
                path=path!("invite")
                view=crate::console::pages::InvitePage
                ssr=leptos_router::SsrMode::Async
            />
            <ConsoleRoutes />
        </ParentRoute>
    }
    .into_inner()
}

/// The default browser-tab title; pages may override it.
#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=tu_string!(i18n, common.landing_title).to_string() /> }
}
