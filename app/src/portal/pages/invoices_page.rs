use crate::i18n::{t, t_string, tu_string, use_i18n};
use crate::portal::api::invoices_data;
use crate::portal::components::{PageHeading, Pager};
use crate::portal::dto::InvoiceView;
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, use_page, use_portal_key};
use domain::InvoiceStatus;
use leptos::prelude::*;

/// Invoices (permission: download invoices): the list, each with its PDF (a plain GET
/// route behind the same session, permission and ownership checks).
#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let page = use_page();
    let data = Resource::new(
        move || (key.get(), page.get()),
        |(k, p)| invoices_data(k, p.into()),
    );
    view! {
        <PageHeading text=tu_string!(i18n, portal.invoices_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) if view.invoices.is_empty() && view.page == 1 => {
                        view! { <p class="empty">{t!(i18n, portal.invoices_empty)}</p> }.into_any()
                    }
                    Ok(view) => {
                        view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <caption class="visually-hidden">
                                        {t!(i18n, portal.invoices_title)}
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, portal.col_number)}</th>
                                            <th scope="col">{t!(i18n, portal.col_date)}</th>
                                            <th scope="col" class="num">
                                                {t!(i18n, portal.col_total)}
                                            </th>
                                            <th scope="col">{t!(i18n, portal.col_status)}</th>
                                            <th scope="col">{t!(i18n, portal.col_pdf)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {view
                                            .invoices
                                            .into_iter()
                                            .map(|inv| invoice_row(&k, inv))
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager
                                base=format!("/portal/{k}/invoices")
                                page=view.page
                                has_next=view.has_next
                            />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/invoices"), e),
                }
            })}
        </Suspense>
    }
}

fn invoice_row(key: &str, inv: InvoiceView) -> impl IntoView {
    let i18n = use_i18n();
    let total = inv.total.format(domain_locale(i18n));
    let status = match inv.status {
        InvoiceStatus::Paid => t!(i18n, portal.invoice_paid).into_any(),
        InvoiceStatus::Open => t!(i18n, portal.invoice_open).into_any(),
        InvoiceStatus::Void => t!(i18n, portal.invoice_void).into_any(),
        InvoiceStatus::Uncollectible => t!(i18n, portal.invoice_uncollectible).into_any(),
    };
    let href = format!("/portal/{key}/invoices/{}.pdf", inv.id);
    // One text node in the link (the number goes in its accessible name).
    let pdf_label = format!("{} {}", t_string!(i18n, portal.download_pdf), inv.number);
    let pay = inv.payable.then(|| {
        let pay_label = format!("{} {}", t_string!(i18n, portal.pay_now), inv.number);
        view! {
            " "
            <a class="pay-now" href=format!("/portal/{key}/pay/{}", inv.id) aria-label=pay_label>
                {t!(i18n, portal.pay_now)}
            </a>
        }
    });
    view! {
        <tr>
            <td data-label=move || {
                t_string!(i18n, portal.col_number).to_string()
            }>{inv.number.clone()}</td>
            <td data-label=move || {
                t_string!(i18n, portal.col_date).to_string()
            }>{inv.date.clone()}</td>
            <td class="num" data-label=move || t_string!(i18n, portal.col_total).to_string()>
                {total}
            </td>
            <td data-label=move || t_string!(i18n, portal.col_status).to_string()>
                <span class=format!("badge status-{}", inv.status)>{status}</span>
                {pay}
            </td>
            <td data-label=move || t_string!(i18n, portal.col_pdf).to_string()>
                <a href=href rel="external" download aria-label=pdf_label>
                    {t!(i18n, portal.download_pdf)}
                </a>
            </td>
        </tr>
    }
}
