use crate::console::api::{
    SendSignInLink, SetCustomerArchived, UpdateCustomerDetails, UpdateCustomerEmail, customer,
};
use crate::console::components::{
    CopyButton, CustomerFields, FieldErrorText, FormErrorText, SaveButton, SavedNotice,
};
use crate::console::dto::{CustomerDetail, HistoryRow};
use crate::console::pages::failed_view;
use crate::console::ui::use_me;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

fn table(caption: AnyView, rows: Vec<HistoryRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption>{caption}</caption>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let pdf = r.pdf_url.map(|href| pdf_cell(href, r.label.clone()));
                            view! {
                                <tr>
                                    <td>{r.label}</td>
                                    <td>{r.status}</td>
                                    <td>{r.amount}</td>
                                    <td>{r.date}</td>
                                    {pdf}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// An invoice's PDF link: a plain download (`rel="external"`, so the router leaves it to
/// the browser), named with the invoice number for screen readers.
fn pdf_cell(href: String, number: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <td>
            <a
                href=href
                rel="external"
                download
                aria-label=move || format!("{} {number}", t_string!(i18n, console.download_pdf_of))
            >
                {t!(i18n, console.download_pdf)}
            </a>
        </td>
    }
}

/// `/admin/customers/{id}`: the email on file (editable), billing history, portal link.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let me = use_me();
    let update = ServerAction::<UpdateCustomerEmail>::new();
    let link = ServerAction::<SendSignInLink>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                location.search.get(),
            )
        },
        |(id, _)| customer(id),
    );
    view! {
        <SavedNotice />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (Ok(me), c) = (me.await, data.await) else {
                    return failed_view(crate::error::AppError::Unauthenticated);
                };
                match c {
                    Ok(c) => {
                        let id2 = c.id.clone();
                        let details = c.clone();
                        view! {
                            <h1>
                                {c.name.clone()}
                                {c
                                    .archived
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="badge">
                                                {t!(i18n, console.catalog_archived)}
                                            </span>
                                        }
                                    })}
                            </h1>
                            <ActionForm action=update>
                                <input type="hidden" name="id" value=c.id.clone() />
                                <div class="field">
                                    <label for="cust-email">
                                        {t!(i18n, console.email_on_file)}
                                    </label>
                                    <input
                                        id="cust-email"
                                        name="email"
                                        type="email"
                                        value=c.email.clone()
                                        required
                                        disabled=!me.can_change
                                        aria-describedby="cust-email-hint cust-email-error"
                                    />
                                    <p class="hint" id="cust-email-hint">
                                        {t!(i18n, console.email_on_file_hint)}
                                    </p>
                                    <FieldErrorText
                                        id="cust-email-error"
                                        code=field_code(update.value(), "email")
                                    />
                                </div>
                                <FormErrorText error=form_error(update.value()) />
                                <button
                                    type="submit"
                                    class="button"
                                    disabled=move || !me.can_change || update.pending().get()
                                >
                                    {t!(i18n, console.save_changes)}
                                </button>
                            </ActionForm>
                            {c
                                .portal_url
                                .clone()
                                .map(|u| {
                                    view! {
                                        <div class="button-row">
                                            <CopyButton
                                                text=u
                                                label=move || {
                                                    t_string!(i18n, console.copy_portal_url).to_string()
                                                }
                                            />
                                            <ActionForm action=link>
                                                <input type="hidden" name="id" value=id2.clone() />
                                                <button
                                                    type="submit"
                                                    class="button button-secondary"
                                                    disabled=move || !me.can_change || link.pending().get()
                                                >
                                                    {t!(i18n, console.send_sign_in_link)}
                                                </button>
                                            </ActionForm>
                                        </div>
                                        <FormErrorText error=form_error(link.value()) />
                                    }
                                })}
                            <DetailsSection customer=details allowed=me.can_change />
                            {table(t!(i18n, console.subscriptions).into_any(), c.subscriptions)}
                            {table(t!(i18n, console.invoices).into_any(), c.invoices)}
                            {table(t!(i18n, console.payments).into_any(), c.payments)}
                            {table(t!(i18n, console.payment_methods).into_any(), c.methods)}
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

/// The customer's name, language, billing address and VAT number, and archiving.
#[component]
fn DetailsSection(customer: CustomerDetail, allowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateCustomerDetails>::new();
    let archive = ServerAction::<SetCustomerArchived>::new();
    let (id, id_archive) = (customer.id.clone(), customer.id.clone());
    let archived = customer.archived;
    view! {
        <section class="settings-section" aria-labelledby="details-title">
            <h2 id="details-title">{t!(i18n, console.customer_details)}</h2>
            <ActionForm action=save>
                <input type="hidden" name="id" value=id />
                <CustomerFields
                    prefix="customer"
                    current=Some(customer)
                    errors=save.value()
                    allowed
                />
                <FormErrorText error=form_error(save.value()) />
                <SaveButton pending=save.pending() allowed />
            </ActionForm>
            <ActionForm action=archive>
                <input type="hidden" name="id" value=id_archive />
                {(!archived).then(|| view! { <input type="hidden" name="archived" value="on" /> })}
                <p class="hint">{t!(i18n, console.customer_archive_hint)}</p>
                <button
                    type="submit"
                    class="button button-secondary"
                    disabled=move || !allowed || archive.pending().get()
                >
                    {if archived {
                        t!(i18n, console.customer_restore).into_any()
                    } else {
                        t!(i18n, console.customer_archive).into_any()
                    }}
                </button>
            </ActionForm>
            <FormErrorText error=form_error(archive.value()) />
        </section>
    }
}
