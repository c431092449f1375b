//! The customer portal: the merchant's customers fix their own billing, under
//! `/portal/{key}`, branded as the merchant.
//!
//! The pages are rendered on the server; in the browser only their forms hydrate, as
//! islands (see `browser`). The console's own bundle leaves the portal's pages out, and
//! with them the islands' exported hydration functions, which no linker could drop.
pub mod api;
#[cfg(all(feature = "hydrate", portal_ui))]
pub mod browser;
#[cfg(portal_ui)]
pub mod components;
pub use wire::portal as dto;
#[cfg(portal_ui)]
pub mod pages;
#[cfg(portal_ui)]
pub mod ui;

#[cfg(portal_ui)]
use crate::portal::components::PortalShell;
#[cfg(portal_ui)]
use crate::portal::pages::{
    BillingPage, CancelPage, HistoryPage, InvoicesPage, LoginPage, OverviewPage, PausePage,
    PayPage, PaymentMethodsPage, PlanPage, VerifyPage,
};
#[cfg(portal_ui)]
use leptos::prelude::*;
#[cfg(portal_ui)]
use leptos_router::components::{ParentRoute, Route};
#[cfg(portal_ui)]
use leptos_router::{SsrMode, path};

/// The portal's routes. Rendered whole before sending (`SsrMode::Async`) so a page can set
/// its status (404/503 for an unavailable portal, 302 to sign-in) and works without JavaScript.
#[cfg(portal_ui)]
#[component(transparent)]
pub fn PortalRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/portal/:key") view=PortalShell ssr=SsrMode::Async>
            <Route path=path!("") view=OverviewPage ssr=SsrMode::Async />
            <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
            <Route path=path!("login/verify") view=VerifyPage ssr=SsrMode::Async />
            <Route path=path!("payment-methods") view=PaymentMethodsPage ssr=SsrMode::Async />
            <Route path=path!("history") view=HistoryPage ssr=SsrMode::Async />
            <Route path=path!("invoices") view=InvoicesPage ssr=SsrMode::Async />
            <Route path=path!("pause") view=PausePage ssr=SsrMode::Async />
            <Route path=path!("plan") view=PlanPage ssr=SsrMode::Async />
            <Route path=path!("cancel") view=CancelPage ssr=SsrMode::Async />
            <Route path=path!("billing") view=BillingPage ssr=SsrMode::Async />
            <Route path=path!("pay/:invoice") view=PayPage ssr=SsrMode::Async />
        </ParentRoute>
    }
    .into_inner()
}
