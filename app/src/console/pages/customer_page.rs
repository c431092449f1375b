use crate::components::cancel_reason_label;
use crate::console::api::{
    CancelSubscription, CreateSubscription, ResumeSubscription, SendSignInLink,
    SetCustomerArchived, UpdateCustomerDetails, UpdateCustomerEmail, customer,
};
use crate::console::components::{
    CopyButton, CustomerFields, FieldErrorText, FormErrorText, SaveButton, SavedNotice,
    sub_status_label,
};
use crate::console::dto::{CustomerDetail, HistoryRow, SubscriptionRow};
use crate::console::pages::failed_view;
use crate::console::ui::use_me;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, t_string, use_i18n};
use domain::SubscriptionStatus;
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
                        let subs = c.clone();
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
                            <SubscriptionsSection customer=subs allowed=me.can_change />
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

/// The customer's subscriptions with their actions, and the form for a new one.
#[component]
fn SubscriptionsSection(customer: CustomerDetail, allowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateSubscription>::new();
    let cancel = ServerAction::<CancelSubscription>::new();
    let resume = ServerAction::<ResumeSubscription>::new();
    let cid = customer.id.clone();
    let none = customer
        .subscriptions
        .is_empty()
        .then(|| view! { <p class="hint">{t!(i18n, console.no_subscriptions)}</p> });
    let rows = customer
        .subscriptions
        .into_iter()
        .map(|s| subscription_row(s, cid.clone(), allowed, cancel, resume))
        .collect_view();
    let no_prices = customer.price_choices.is_empty();
    let choices = customer.price_choices;
    let can_create = allowed && !no_prices && !customer.archived;
    view! {
        <section class="settings-section" aria-labelledby="subs-title">
            <h2 id="subs-title">{t!(i18n, console.subscriptions)}</h2>
            {none}
            <ul class="price-list subscription-list">{rows}</ul>
            <FormErrorText error=form_error(cancel.value()) />
            <FormErrorText error=form_error(resume.value()) />
            <h3 id="new-sub-title">{t!(i18n, console.new_subscription)}</h3>
            {no_prices.then(|| view! { <p class="hint">{t!(i18n, console.no_active_prices)}</p> })}
            <ActionForm action=create attr:aria-labelledby="new-sub-title">
                <input type="hidden" name="customer" value=cid.clone() />
                <div class="field">
                    <label for="sub-price">{t!(i18n, console.subscription_price)}</label>
                    <select
                        id="sub-price"
                        name="price"
                        disabled=!can_create
                        aria-describedby="sub-price-error"
                    >
                        {choices
                            .into_iter()
                            .map(|p| view! { <option value=p.id>{p.label}</option> })
                            .collect_view()}
                    </select>
                    <FieldErrorText id="sub-price-error" code=field_code(create.value(), "price") />
                </div>
                <div class="field">
                    <label for="sub-quantity">{t!(i18n, console.subscription_quantity)}</label>
                    <input
                        id="sub-quantity"
                        name="quantity"
                        type="number"
                        min="1"
                        max="10000"
                        value="1"
                        disabled=!can_create
                        aria-describedby="sub-quantity-error"
                    />
                    <FieldErrorText
                        id="sub-quantity-error"
                        code=field_code(create.value(), "quantity")
                    />
                </div>
                <div class="field">
                    <label for="sub-start">{t!(i18n, console.subscription_start)}</label>
                    <input
                        id="sub-start"
                        name="start"
                        type="date"
                        disabled=!can_create
                        aria-describedby="sub-start-hint sub-start-error"
                    />
                    <p class="hint" id="sub-start-hint">
                        {t!(i18n, console.subscription_start_hint)}
                    </p>
                    <FieldErrorText id="sub-start-error" code=field_code(create.value(), "start") />
                </div>
                <div class="field">
                    <label for="sub-trial">{t!(i18n, console.subscription_trial)}</label>
                    <input
                        id="sub-trial"
                        name="trial_days"
                        type="number"
                        min="0"
                        max="730"
                        disabled=!can_create
                        aria-describedby="sub-trial-hint sub-trial-error"
                    />
                    <p class="hint" id="sub-trial-hint">
                        {t!(i18n, console.subscription_trial_hint)}
                    </p>
                    <FieldErrorText
                        id="sub-trial-error"
                        code=field_code(create.value(), "trial_days")
                    />
                </div>
                <FormErrorText error=form_error(create.value()) />
                <button
                    type="submit"
                    class="button"
                    disabled=move || !can_create || create.pending().get()
                >
                    {t!(i18n, console.create_subscription)}
                </button>
            </ActionForm>
        </section>
    }
}

fn subscription_row(
    s: SubscriptionRow,
    customer: String,
    allowed: bool,
    cancel: ServerAction<CancelSubscription>,
    resume: ServerAction<ResumeSubscription>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = sub_status_label(s.status);
    let ended = s.status == SubscriptionStatus::Canceled;
    let (prefix, date) = match (&s.trial_end, s.cancel_at_period_end) {
        (Some(t), _) => (t!(i18n, console.sub_trial_until).into_any(), t.clone()),
        (None, true) => (
            t!(i18n, console.sub_ends_on).into_any(),
            s.period_end.clone(),
        ),
        (None, false) => (
            t!(i18n, console.sub_period_end).into_any(),
            s.period_end.clone(),
        ),
    };
    let period = view! {
        {prefix}
        " "
        {date}
    };
    let actions = (!ended).then(|| {
        let now = cancel_form(
            cancel,
            (customer.clone(), s.id.clone(), s.label.clone()),
            "now",
            t!(i18n, console.cancel_now).into_any(),
            allowed,
        );
        let later = if s.cancel_at_period_end {
            let (label, customer, id) = (s.label.clone(), customer.clone(), s.id.clone());
            view! {
                <ActionForm action=resume>
                    <input type="hidden" name="customer" value=customer />
                    <input type="hidden" name="id" value=id />
                    <button
                        type="submit"
                        class="button button-secondary"
                        disabled=move || !allowed || resume.pending().get()
                    >
                        {t!(i18n, console.resume_subscription)}
                        <span class="visually-hidden">" — " {label}</span>
                    </button>
                </ActionForm>
            }
            .into_any()
        } else if s.status.bills() {
            cancel_form(
                cancel,
                (customer.clone(), s.id.clone(), s.label.clone()),
                "period_end",
                t!(i18n, console.cancel_at_period_end).into_any(),
                allowed,
            )
            .into_any()
        } else {
            ().into_any()
        };
        view! { <div class="price-actions">{now} {later}</div> }
    });
    view! {
        <li class="price-item subscription">
            <p>
                <strong>{s.label}</strong>
                " · "
                <span class="badge">{status}</span>
                <br />
                <span class="hint">{s.amount} " · " {period}</span>
            </p>
            {s
                .cancel_reason
                .map(|r| {
                    view! {
                        <p class="hint cancel-reason">
                            {t!(i18n, console.sub_cancel_reason)} " " {cancel_reason_label(r)}
                            {s
                                .cancel_comment
                                .clone()
                                .map(|c| {
                                    view! {
                                        " — “"
                                        {c}
                                        "”"
                                    }
                                })}
                        </p>
                    }
                })}
            {actions}
        </li>
    }
}

/// A cancel button (`when`: `now` or `period_end`) for one subscription, named with its
/// price for screen readers. `ids`: the customer's and the subscription's ids and its label.
fn cancel_form(
    cancel: ServerAction<CancelSubscription>,
    ids: (String, String, String),
    when: &'static str,
    text: AnyView,
    allowed: bool,
) -> impl IntoView {
    let (customer, id, label) = ids;
    view! {
        <ActionForm action=cancel>
            <input type="hidden" name="customer" value=customer />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="when" value=when />
            <button
                type="submit"
                class="button button-secondary"
                disabled=move || !allowed || cancel.pending().get()
            >
                {text}
                <span class="visually-hidden">" — " {label}</span>
            </button>
        </ActionForm>
    }
}
