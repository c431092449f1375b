use crate::console::api::who_am_i;
use crate::console::components::ConsoleSidebar;
use crate::console::ui::MeResource;
use crate::error::AppError;
use crate::forms::encode;
use crate::i18n::{t_string, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

/// The console's frame: checks the staff session (redirecting to sign-in and back), then the
/// Payments sidebar and the page.
///
/// The page (`Outlet`) stays outside the `Suspense`: on the server a `Suspense` walks its
/// children several times while its data loads, and an `Outlet` inside it would build the
/// page (and its resources) each time, shifting resource ids so that hydration fails.
/// Pages read the same `me` resource and show nothing of their own without a session.
#[component]
pub fn ConsoleLayout() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let me = Resource::new(|| (), |_| who_am_i());
    provide_context(MeResource(me));
    view! {
        <Title text=tu_string!(i18n, console.title).to_string() />
        <div class="console">
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match me.await {
                        Ok(me) => view! { <ConsoleSidebar me /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            let here = format!(
                                "{}{}",
                                location.pathname.get_untracked(),
                                location
                                    .search
                                    .get_untracked()
                                    .is_empty()
                                    .then(String::new)
                                    .unwrap_or_else(|| {
                                        format!("?{}", location.search.get_untracked())
                                    }),
                            );
                            view! {
                                <Redirect path=format!("/admin/sign-in?next={}", encode(&here)) />
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p role="alert">{move || t_string!(i18n, console.err_generic)}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <section class="console-main" id="main">
                <Outlet />
            </section>
        </div>
    }
}
