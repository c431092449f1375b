//! The admin console: merchant staff configure the customer portal (steps 1–4 of the guide).
pub mod api;
pub mod components;
pub use wire::console as dto;
pub mod pages;
pub mod ui;

use crate::console::components::ConsoleLayout;
use crate::console::pages::{
    ApiKeysPage, ApiReferencePage, AuditPage, CatalogPage, CustomerPage, CustomersPage, ImportPage,
    ImportsPage, NotificationsPage, OutboxPage, OverviewPage, PaymentSettingsPage,
    PortalSettingsPage, SignInPage, TeamPage, TestClockPage, WebhookLogPage, WebhooksPage,
};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{SsrMode, path};

/// The console's routes, under `/admin`. Rendered whole before sending (`SsrMode::Async`)
/// so the layout can answer an anonymous visitor with a redirect to sign-in.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/admin") view=Outlet ssr=SsrMode::Async>
            <Route path=path!("sign-in") view=SignInPage ssr=SsrMode::Async />
            <ParentRoute path=path!("") view=ConsoleLayout ssr=SsrMode::Async>
                <Route path=path!("") view=OverviewPage ssr=SsrMode::Async />
                <Route path=path!("customers") view=CustomersPage ssr=SsrMode::Async />
                <Route path=path!("customers/:id") view=CustomerPage ssr=SsrMode::Async />
                <Route path=path!("imports") view=ImportsPage ssr=SsrMode::Async />
                <Route path=path!("imports/:id") view=ImportPage ssr=SsrMode::Async />
                <Route path=path!("catalog") view=CatalogPage ssr=SsrMode::Async />
                <Route path=path!("settings/portal") view=PortalSettingsPage ssr=SsrMode::Async />
                <Route path=path!("settings/team") view=TeamPage ssr=SsrMode::Async />
                <Route path=path!("settings/api-keys") view=ApiKeysPage ssr=SsrMode::Async />
                <Route
                    path=path!("settings/api-reference")
                    view=ApiReferencePage
                    ssr=SsrMode::Async
                />
                <Route path=path!("settings/webhooks") view=WebhooksPage ssr=SsrMode::Async />
                <Route path=path!("settings/webhooks/:id") view=WebhookLogPage ssr=SsrMode::Async />
                <Route
                    path=path!("settings/payments")
                    view=PaymentSettingsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("settings/notifications")
                    view=NotificationsPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("audit") view=AuditPage ssr=SsrMode::Async />
                <Route path=path!("outbox") view=OutboxPage ssr=SsrMode::Async />
                <Route path=path!("test-clock") view=TestClockPage ssr=SsrMode::Async />
            </ParentRoute>
        </ParentRoute>
    }
    .into_inner()
}
