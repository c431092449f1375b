use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use crate::portal::api::AddSepa;
use crate::portal::components::{FieldErrorText, FormErrorText};
use leptos::prelude::*;

/// Adds a SEPA direct-debit mandate: IBAN, holder, and the mandate text to accept.
/// An island, like the card form.
#[island]
pub fn AddSepaForm(key: String, company: String, past_due: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddSepa>::new();
    view! {
        <section class="card-form" aria-labelledby="add-sepa-title">
            <h2 id="add-sepa-title">{t!(i18n, portal.add_sepa_title)}</h2>
            <ActionForm action=action>
                <input type="hidden" name="key" value=key />
                <div class="field">
                    <label for="sepa-iban">{t!(i18n, portal.iban)}</label>
                    <input
                        id="sepa-iban"
                        name="iban"
                        required
                        autocomplete="off"
                        aria-describedby="sepa-iban-error"
                    />
                    <FieldErrorText id="sepa-iban-error" code=field_code(action.value(), "iban") />
                </div>
                <div class="field">
                    <label for="sepa-holder">{t!(i18n, portal.account_holder)}</label>
                    <input
                        id="sepa-holder"
                        name="holder"
                        required
                        autocomplete="name"
                        aria-describedby="sepa-holder-error"
                    />
                    <FieldErrorText
                        id="sepa-holder-error"
                        code=field_code(action.value(), "sepa_holder")
                    />
                </div>
                <div class="field check">
                    <input
                        id="sepa-mandate"
                        type="checkbox"
                        name="mandate"
                        value="on"
                        required
                        aria-describedby="sepa-mandate-error"
                    />
                    <label for="sepa-mandate">
                        {t!(i18n, portal.mandate_text, company = company.clone())}
                    </label>
                </div>
                <FieldErrorText
                    id="sepa-mandate-error"
                    code=field_code(action.value(), "mandate")
                />
                <div class="field check">
                    <input
                        id="sepa-default"
                        type="checkbox"
                        name="make_default"
                        value="on"
                        checked=past_due
                    />
                    <label for="sepa-default">{t!(i18n, portal.make_default_label)}</label>
                </div>
                <FormErrorText error=form_error(action.value()) />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t!(i18n, portal.add_sepa_submit)}
                </button>
            </ActionForm>
        </section>
    }
}
