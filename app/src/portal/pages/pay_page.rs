use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{PayInvoice, pay_data};
use crate::portal::components::{
    FieldErrorText, FormErrorText, PageHeading, RecoveryNotice, method_name,
};
use crate::portal::dto::{MethodView, PayView};
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, use_portal_key, use_query};
use domain::InvoiceStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "Pay now" (permission: pay invoices): one invoice, the saved method to pay it with, and
/// the outcome of the charge, read from its attempt (the charge redirects back here with the
/// time it began).
#[component]
pub fn PayPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let params = use_params_map();
    let invoice = Signal::derive(move || params.read().get("invoice").unwrap_or_default());
    let since = use_query("since");
    let data = Resource::new(
        move || (key.get(), invoice.get(), since.get()),
        |(key, invoice, since)| pay_data(key, invoice, since),
    );
    view! {
        <PageHeading text=tu_string!(i18n, portal.pay_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                let here = format!("/portal/{k}/pay/{}", invoice.get_untracked());
                match data.await {
                    Ok(view) => pay_body(k, view).into_any(),
                    Err(e) => failed_view(&k, &here, e),
                }
            })}
        </Suspense>
    }
}

fn pay_body(key: String, view: PayView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = domain_locale(i18n);
    let inv = view.invoice;
    let amount = inv.total.format(locale);
    let recovery = view.last_try.into_iter().collect::<Vec<_>>();
    let body = match inv.status {
        InvoiceStatus::Paid => view! {
            <p class="notice" role="status">
                {t!(i18n, portal.pay_already_paid)}
            </p>
        }
        .into_any(),
        InvoiceStatus::Void | InvoiceStatus::Uncollectible => {
            view! { <p class="notice">{t!(i18n, portal.pay_not_open)}</p> }.into_any()
        }
        InvoiceStatus::Open if view.methods.is_empty() => view! {
            <p>{t!(i18n, portal.pay_no_method)}</p>
            {view
                .can_add_method
                .then(|| {
                    view! {
                        <a class="button" href=format!("/portal/{key}/payment-methods")>
                            {t!(i18n, portal.update_payment_method)}
                        </a>
                    }
                })}
        }
        .into_any(),
        InvoiceStatus::Open => view! {
            <PayForm
                key=key.clone()
                invoice=inv.id.clone()
                amount=amount.clone()
                methods=view.methods
            />
        }
        .into_any(),
    };
    view! {
        <RecoveryNotice notice=None recovery />
        <section class="panel" aria-labelledby="pay-invoice">
            <h2 id="pay-invoice">{t!(i18n, portal.pay_invoice, number = inv.number.clone())}</h2>
            <p>{t!(i18n, portal.pay_amount, amount = amount.clone(), date = inv.date.clone())}</p>
            {body}
        </section>
    }
}

/// The method to pay with and "Pay now" (an island).
#[island]
fn PayForm(
    key: String,
    invoice: String,
    amount: String,
    methods: Vec<MethodView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pay = ServerAction::<PayInvoice>::new();
    view! {
        <ActionForm action=pay>
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="invoice" value=invoice />
            <fieldset aria-describedby="pay-method-hint pay-method-error">
                <legend>{t!(i18n, portal.pay_with)}</legend>
                {methods
                    .into_iter()
                    .map(|m| {
                        let id = format!("pay-{}", m.id);
                        let label_for = id.clone();
                        let name = method_name(&m);
                        view! {
                            <label class="choice" for=label_for>
                                <input
                                    type="radio"
                                    id=id
                                    name="method"
                                    value=m.id.clone()
                                    checked=m.is_default
                                    required
                                />
                                {name}
                                " •••• "
                                {m.last4.clone()}
                                {m
                                    .expiry
                                    .clone()
                                    .map(|e| {
                                        view! {
                                            " ("
                                            {t!(i18n, portal.expires)}
                                            " "
                                            {e}
                                            ")"
                                        }
                                    })}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <p class="hint" id="pay-method-hint">
                {t!(i18n, portal.pay_method_hint)}
            </p>
            <FieldErrorText id="pay-method-error" code=field_code(pay.value(), "method") />
            <FormErrorText error=form_error(pay.value()) />
            <button type="submit" class="button" disabled=move || pay.pending().get()>
                {t!(i18n, portal.pay_submit, amount = amount.clone())}
            </button>
        </ActionForm>
    }
}
