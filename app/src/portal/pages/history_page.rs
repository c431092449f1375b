use crate::i18n::{t, t_string, tu_string, use_i18n};
use crate::portal::api::history_data;
use crate::portal::components::{PageHeading, Pager, recovery_notice::decline_text};
use crate::portal::dto::AttemptView;
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, use_page, use_portal_key};
use leptos::prelude::*;

/// Payment history (permission: view payment history): every attempt with its date,
/// amount, method, outcome and decline reason, newest first, paginated.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let page = use_page();
    let data = Resource::new(
        move || (key.get(), page.get()),
        |(k, p)| history_data(k, p.into()),
    );
    view! {
        <PageHeading text=tu_string!(i18n, portal.history_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) if view.attempts.is_empty() && view.page == 1 => {
                        view! { <p class="empty">{t!(i18n, portal.history_empty)}</p> }.into_any()
                    }
                    Ok(view) => {
                        view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <caption class="visually-hidden">
                                        {t!(i18n, portal.history_title)}
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, portal.col_date)}</th>
                                            <th scope="col" class="num">
                                                {t!(i18n, portal.col_amount)}
                                            </th>
                                            <th scope="col">{t!(i18n, portal.col_method)}</th>
                                            <th scope="col">{t!(i18n, portal.col_outcome)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {view.attempts.into_iter().map(attempt_row).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager
                                base=format!("/portal/{k}/history")
                                page=view.page
                                has_next=view.has_next
                            />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/history"), e),
                }
            })}
        </Suspense>
    }
}

fn attempt_row(a: AttemptView) -> impl IntoView {
    let i18n = use_i18n();
    let amount = a.amount.format(domain_locale(i18n));
    let ok = match a.outcome {
        domain::AttemptOutcome::Succeeded => true,
        domain::AttemptOutcome::Failed => false,
    };
    let method = if a.method.is_empty() {
        t_string!(i18n, portal.method_removed).to_string()
    } else {
        a.method.clone()
    };
    view! {
        <tr>
            <td data-label=move || {
                t_string!(i18n, portal.col_date).to_string()
            }>{a.date.clone()}</td>
            <td class="num" data-label=move || t_string!(i18n, portal.col_amount).to_string()>
                {amount}
            </td>
            <td data-label=move || t_string!(i18n, portal.col_method).to_string()>{method}</td>
            <td data-label=move || {
                t_string!(i18n, portal.col_outcome).to_string()
            }>
                {if ok {
                    view! {
                        <span class="badge status-paid">{t!(i18n, portal.outcome_succeeded)}</span>
                    }
                        .into_any()
                } else {
                    view! {
                        <span class="badge status-failed">{t!(i18n, portal.outcome_failed)}</span>
                        <span class="decline">{decline_text(a.decline_code)}</span>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}
