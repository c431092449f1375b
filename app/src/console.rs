//! The admin console: merchant staff configure the customer portal.
pub mod port;

use crate::pages::AdminPage;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{MatchNestedRoutes, path};

/// The console's routes, under `/admin`.
#[component(transparent)]
pub fn ConsoleRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/admin") view=Outlet>
            <Route path=path!("") view=AdminPage />
        </ParentRoute>
    }
    .into_inner()
}
