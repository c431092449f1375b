use crate::console::api::audit_log;
use crate::console::components::PaginationNav;
use crate::console::pages::failed_view;
use crate::console::ui::use_query;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin/audit?page=N`: who changed what, when; newest first, 25 a page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = use_query("page");
    let data = Resource::new(
        move || page.get().and_then(|p| p.parse().ok()).unwrap_or(1u64),
        |page| audit_log(page.into()),
    );
    view! {
        <h1>{t!(i18n, console.audit_log)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(log) => {
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, console.col_when)}</th>
                                            <th scope="col">{t!(i18n, console.col_who)}</th>
                                            <th scope="col">{t!(i18n, console.col_what)}</th>
                                            <th scope="col">{t!(i18n, console.col_details)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {log
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <tr>
                                                        <td>{r.at}</td>
                                                        <td>{r.actor}</td>
                                                        <td>{r.action}</td>
                                                        <td>{r.details}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <PaginationNav
                                page=log.page
                                pages=log.pages
                                base="/admin/audit?".to_owned()
                            />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
