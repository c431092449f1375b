use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{UpdateBillingDetails, billing_details_data};
use crate::portal::components::{FieldErrorText, FormErrorText, PageHeading};
use crate::portal::dto::BillingDetailsView;
use crate::portal::pages::failed_view;
use crate::portal::ui::{use_portal_key, use_query};
use leptos::prelude::*;

/// Billing details (permission: billing details): the name, language, billing address and
/// tax ID the customer's new invoices are made out to.
#[component]
pub fn BillingPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let notice = use_query("notice");
    let data = Resource::new(move || key.get(), billing_details_data);
    view! {
        <PageHeading text=tu_string!(i18n, portal.billing_title).to_string() />
        {move || {
            notice
                .get()
                .filter(|n| n == "saved")
                .map(|_| {
                    view! {
                        <p class="notice" role="status">
                            {t!(i18n, portal.notice_billing_saved)}
                        </p>
                    }
                })
        }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) => view! { <BillingForm key=k view /> }.into_any(),
                    Err(e) => failed_view(&k, &format!("/portal/{k}/billing"), e),
                }
            })}
        </Suspense>
    }
}

/// The details form (an island).
#[island]
fn BillingForm(key: String, view: BillingDetailsView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateBillingDetails>::new();
    let field = move |name: &'static str| field_code(save.value(), name);
    let invalid = move |name: &'static str| {
        let code = field(name);
        move || code.get().is_some().then_some("true")
    };
    let locale = view.locale.clone();
    view! {
        <p>{t!(i18n, portal.billing_lede)}</p>
        <ActionForm action=save>
            <input type="hidden" name="key" value=key />
            <div class="field">
                <label for="billing-name">{t!(i18n, portal.billing_name)}</label>
                <input
                    id="billing-name"
                    name="name"
                    autocomplete="name"
                    required
                    maxlength="100"
                    value=view.name
                    aria-describedby="billing-name-error"
                    aria-invalid=invalid("name")
                />
                <FieldErrorText id="billing-name-error" code=field("name") />
            </div>
            <div class="field">
                <label for="billing-email">{t!(i18n, portal.billing_email)}</label>
                <input
                    id="billing-email"
                    type="email"
                    value=view.email
                    readonly
                    aria-describedby="billing-email-hint"
                />
                <p class="hint" id="billing-email-hint">
                    {t!(i18n, portal.billing_email_hint)}
                </p>
            </div>
            <div class="field">
                <label for="billing-locale">{t!(i18n, portal.billing_language)}</label>
                <select
                    id="billing-locale"
                    name="locale"
                    aria-describedby="billing-locale-error"
                    aria-invalid=invalid("locale")
                >
                    <option value="en" lang="en" selected=locale == "en">
                        {t!(i18n, portal.language_en)}
                    </option>
                    <option value="it" lang="it" selected=locale == "it">
                        {t!(i18n, portal.language_it)}
                    </option>
                </select>
                <FieldErrorText id="billing-locale-error" code=field("locale") />
            </div>
            <div class="field">
                <label for="billing-address">{t!(i18n, portal.billing_address)}</label>
                <textarea
                    id="billing-address"
                    name="billing_address"
                    rows="4"
                    autocomplete="street-address"
                    maxlength="500"
                    aria-describedby="billing-address-hint billing-address-error"
                    aria-invalid=invalid("billing_address")
                >
                    {view.billing_address}
                </textarea>
                <p class="hint" id="billing-address-hint">
                    {t!(i18n, portal.billing_address_hint)}
                </p>
                <FieldErrorText id="billing-address-error" code=field("billing_address") />
            </div>
            <div class="field">
                <label for="billing-tax-id">{t!(i18n, portal.billing_tax_id)}</label>
                <input
                    id="billing-tax-id"
                    name="tax_id"
                    maxlength="30"
                    autocapitalize="characters"
                    spellcheck="false"
                    value=view.tax_id
                    aria-describedby="billing-tax-id-hint billing-tax-id-error"
                    aria-invalid=invalid("tax_id")
                />
                <p class="hint" id="billing-tax-id-hint">
                    {t!(i18n, portal.billing_tax_id_hint)}
                </p>
                <FieldErrorText id="billing-tax-id-error" code=field("tax_id") />
            </div>
            <FormErrorText error=form_error(save.value()) />
            <button type="submit" class="button" disabled=move || save.pending().get()>
                {t!(i18n, portal.billing_submit)}
            </button>
        </ActionForm>
    }
}
