//! The customer portal: the merchant's customers fix their own billing, under
//! `/portal/{key}`, branded as the merchant.
pub mod api;
pub mod components;
pub mod dto;
pub mod pages;
pub mod port;
pub mod ui;

use crate::portal::components::PortalShell;
use crate::portal::pages::{
    CancelPage, HistoryPage, InvoicesPage, LoginPage, OverviewPage, PaymentMethodsPage, VerifyPage,
};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::{SsrMode, path};

/// The portal's routes. Rendered whole before sending (`SsrMode::Async`) so a page can set
/// its status (404/503 for an unavailable portal, 302 to sign-in) and works without JavaScript.
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
            <Route path=path!("cancel") view=CancelPage ssr=SsrMode::Async />
        </ParentRoute>
    }
    .into_inner()
}
