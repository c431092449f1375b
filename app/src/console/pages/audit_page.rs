use crate::console::api::audit_log;
use crate::console::pages::failed_view;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin/audit`: who changed what, when.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| audit_log(1));
    view! {
        <h1>{t!(i18n, console.audit_log)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! {
                        <div class="table-wrap">
                            <table>
                                <thead><tr><th scope="col">{t!(i18n, console.col_when)}</th><th scope="col">{t!(i18n, console.col_who)}</th><th scope="col">{t!(i18n, console.col_what)}</th><th scope="col">{t!(i18n, console.col_details)}</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! { <tr><td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.details}</td></tr> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
