use crate::console::api::{
    ConnectSandbox, DisconnectGateway, SaveBusinessDetails, SavePaymentPolicy, payment_settings,
};
use crate::console::components::{
    FieldErrorText, FormErrorText, SaveButton, SavedNotice, ViewerNotice,
};
use crate::console::dto::{Gateway, PaymentSettingsView};
use crate::console::pages::failed_view;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos::reactive::signal::MappedSignal;
use leptos_meta::Title;

/// `/admin/settings/payments`: the guide's "Payments module". Connecting a gateway (today
/// the sandbox, in test mode) makes Payments active, which the Customer Portal needs.
#[component]
pub fn PaymentSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    // Every change redirects here with a new query: refetch then.
    let data = Resource::new(move || location.search.get(), |_| payment_settings());
    view! {
        <Title text=tu_string!(i18n, console.settings_payments).to_string() />
        <h1>{t!(i18n, console.settings_payments)}</h1>
        <SavedNotice />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        view! {
                            <div class="notices">
                                <ViewerNotice can_change=view.can_change />
                            </div>
                            <GatewaySection view=view.clone() />
                            <PolicySection view=view.clone() />
                            <BusinessSection view />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GatewaySection(view: PaymentSettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let connect = ServerAction::<ConnectSandbox>::new();
    let disconnect = ServerAction::<DisconnectGateway>::new();
    let can_change = view.can_change;
    view! {
        <section class="settings-section" aria-labelledby="gateway-title">
            <h2 id="gateway-title">{t!(i18n, console.gateway_title)}</h2>
            <p class="payments-status" role="status">
                {if view.payments_active {
                    t!(i18n, console.payments_active_yes).into_any()
                } else {
                    t!(i18n, console.payments_active_no).into_any()
                }}
            </p>
            {match view.gateway {
                Some(Gateway::Sandbox) => {
                    view! {
                        <p>
                            <strong>{t!(i18n, console.gateway_sandbox)}</strong>
                            " "
                            <span class="badge badge-test">{t!(i18n, console.test_mode)}</span>
                        </p>
                        <p class="hint">{t!(i18n, console.gateway_sandbox_hint)}</p>
                        <ActionForm action=disconnect>
                            <button
                                type="submit"
                                class="button button-secondary"
                                disabled=move || !can_change || disconnect.pending().get()
                            >
                                {t!(i18n, console.gateway_disconnect)}
                            </button>
                        </ActionForm>
                        <FormErrorText error=form_error(disconnect.value()) />
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p>{t!(i18n, console.gateway_none)}</p>
                        <p class="hint">{t!(i18n, console.gateway_sandbox_hint)}</p>
                        <ActionForm action=connect>
                            <button
                                type="submit"
                                class="button"
                                disabled=move || !can_change || connect.pending().get()
                            >
                                {t!(i18n, console.gateway_connect_sandbox)}
                            </button>
                        </ActionForm>
                        <FormErrorText error=form_error(connect.value()) />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn PolicySection(view: PaymentSettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePaymentPolicy>::new();
    let can_change = view.can_change;
    let current = view.default_currency;
    let action = view.final_action;
    view! {
        <section class="settings-section" aria-labelledby="policy-title">
            <h2 id="policy-title">{t!(i18n, console.policy_title)}</h2>
            <ActionForm action=save>
                <div class="field">
                    <label for="default-currency">{t!(i18n, console.setup_currency)}</label>
                    <select
                        id="default-currency"
                        name="default_currency"
                        disabled=!can_change
                        aria-describedby="default-currency-error"
                    >
                        {domain::Currency::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.code() selected=c == current>
                                        {c.code()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrorText
                        id="default-currency-error"
                        code=field_code(save.value(), "default_currency")
                    />
                </div>
                <div class="field">
                    <label for="retry-days">{t!(i18n, console.retry_days)}</label>
                    <input
                        id="retry-days"
                        name="retry_days"
                        value=view.retry_days.clone()
                        inputmode="numeric"
                        required
                        disabled=!can_change
                        aria-describedby="retry-days-hint retry-days-error"
                    />
                    <p class="hint" id="retry-days-hint">
                        {t!(i18n, console.retry_days_hint)}
                    </p>
                    <FieldErrorText
                        id="retry-days-error"
                        code=field_code(save.value(), "retry_days")
                    />
                </div>
                <fieldset>
                    <legend>{t!(i18n, console.final_action)}</legend>
                    <div class="field check">
                        <input
                            type="radio"
                            id="final-unpaid"
                            name="final_action"
                            value="mark_unpaid"
                            checked=action == domain::FinalAction::MarkUnpaid
                            disabled=!can_change
                        />
                        <label for="final-unpaid">{t!(i18n, console.final_mark_unpaid)}</label>
                    </div>
                    <div class="field check">
                        <input
                            type="radio"
                            id="final-cancel"
                            name="final_action"
                            value="cancel"
                            checked=action == domain::FinalAction::Cancel
                            disabled=!can_change
                        />
                        <label for="final-cancel">{t!(i18n, console.final_cancel)}</label>
                    </div>
                </fieldset>
                <div class="field check">
                    <input
                        type="checkbox"
                        id="expiry-reminders"
                        name="expiry_reminders"
                        checked=view.expiry_reminders
                        disabled=!can_change
                    />
                    <label for="expiry-reminders">{t!(i18n, console.expiry_reminders)}</label>
                </div>
                <FormErrorText error=form_error(save.value()) />
                <SaveButton pending=save.pending() allowed=can_change />
            </ActionForm>
        </section>
    }
}

/// One text field of the business-details form with its error line.
#[component]
fn BusinessField(
    id: &'static str,
    name: &'static str,
    label: AnyView,
    value: String,
    multiline: bool,
    errors: MappedSignal<Option<Result<(), crate::error::AppError>>>,
    allowed: bool,
    #[prop(optional)] hint: Option<AnyView>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {if multiline {
                view! {
                    <textarea id=id name=name rows="3" disabled=!allowed aria-describedby=described>
                        {value}
                    </textarea>
                }
                    .into_any()
            } else {
                view! {
                    <input
                        id=id
                        name=name
                        value=value
                        disabled=!allowed
                        aria-describedby=described
                    />
                }
                    .into_any()
            }}
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id>
                            {h}
                        </p>
                    }
                })}
            <FieldErrorText id=error_id code=field_code(errors, name) />
        </div>
    }
}

#[component]
fn BusinessSection(view: PaymentSettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveBusinessDetails>::new();
    let allowed = view.can_change;
    let errors = save.value();
    let default_prefix = view.default_invoice_prefix.clone();
    view! {
        <section class="settings-section" aria-labelledby="business-title">
            <h2 id="business-title">{t!(i18n, console.business_title)}</h2>
            <p class="hint">{t!(i18n, console.business_hint)}</p>
            <ActionForm action=save>
                <BusinessField
                    id="legal-name"
                    name="legal_name"
                    label=t!(i18n, console.legal_name).into_any()
                    value=view.legal_name
                    multiline=false
                    errors
                    allowed
                />
                <BusinessField
                    id="business-address"
                    name="business_address"
                    label=t!(i18n, console.business_address).into_any()
                    value=view.business_address
                    multiline=true
                    errors
                    allowed
                />
                <BusinessField
                    id="vat-number"
                    name="vat_number"
                    label=t!(i18n, console.customer_tax_id).into_any()
                    value=view.vat_number
                    multiline=false
                    errors
                    allowed
                />
                <BusinessField
                    id="invoice-footer"
                    name="invoice_footer"
                    label=t!(i18n, console.invoice_footer).into_any()
                    value=view.invoice_footer
                    multiline=true
                    errors
                    allowed
                />
                <BusinessField
                    id="invoice-prefix"
                    name="invoice_prefix"
                    label=t!(i18n, console.invoice_prefix).into_any()
                    value=view.invoice_prefix
                    multiline=false
                    errors
                    allowed
                    hint=t!(i18n, console.invoice_prefix_hint, prefix = default_prefix.clone())
                        .into_any()
                />
                <FormErrorText error=form_error(save.value()) />
                <SaveButton pending=save.pending() allowed />
            </ActionForm>
        </section>
    }
}
