use crate::components::{SiteFooter, SiteHeader};
use leptos::prelude::*;

/// Dunwell's own frame (landing, console, 404): header, main landmark, footer.
#[component]
pub fn SiteLayout(children: Children) -> impl IntoView {
    view! {
        <SiteHeader />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <SiteFooter />
    }
}
