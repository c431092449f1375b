use crate::console::api::outbox;
use crate::console::pages::failed_view;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin/outbox` (demo): the emails the system queued, rendered.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| outbox());
    view! {
        <h1>{t!(i18n, console.outbox)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) if rows.is_empty() => {
                        view! { <p>{t!(i18n, console.outbox_empty)}</p> }.into_any()
                    }
                    Ok(rows) => {
                        view! {
                            <ul class="outbox">
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <li>
                                                <details>
                                                    <summary>
                                                        <strong>{r.subject}</strong>
                                                        " — "
                                                        {r.to}
                                                        " · "
                                                        {r.kind}
                                                        " · "
                                                        {r.status}
                                                        " · "
                                                        {r.at}
                                                    </summary>
                                                    <pre>{r.text}</pre>
                                                </details>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
