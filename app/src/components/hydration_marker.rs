use leptos::prelude::*;

/// An invisible marker whose `data-hydrated` turns "true" once the browser has hydrated
/// the page (effects run only in the browser). Browser tests wait for it before clicking.
#[component]
pub fn HydrationMarker() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <div
            id="hydration-marker"
            hidden
            data-hydrated=move || if hydrated.get() { "true" } else { "false" }
        ></div>
    }
}
