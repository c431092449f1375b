use crate::error::FieldCode;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use crate::portal::api::AddCard;
use crate::portal::components::{FieldErrorText, FormErrorText};
use leptos::prelude::*;

/// Adds a card. With JavaScript the number is spaced and its brand shown as it is typed,
/// and Luhn and expiry are checked in the browser; the server checks again either way.
/// An island: it hydrates on its own on the server-rendered page.
#[island]
pub fn AddCardForm(key: String, past_due: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddCard>::new();
    let number = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let digits = move || number.with(|n| n.chars().filter(char::is_ascii_digit).count());
    let brand = move || number.with(|n| domain::CardBrand::guess(n).map(|b| b.label()));
    let server_number = field_code(action.value(), "number");
    let number_error = Signal::derive(move || {
        let live = (digits() >= 13 && domain::CardNumber::parse(&number.get()).is_err())
            .then_some(FieldCode::CardInvalid);
        live.or_else(|| server_number.get())
    });
    let server_expiry = field_code(action.value(), "expiry");
    let expiry_error = Signal::derive(move || {
        let e = expiry.get();
        let live = (e.len() >= 5 && domain::ExpiryDate::parse(&e).is_err())
            .then_some(FieldCode::ExpiryInvalid);
        live.or_else(|| server_expiry.get())
    });
    view! {
        <section class="card-form" aria-labelledby="add-card-title">
            <h2 id="add-card-title">{t!(i18n, portal.add_card_title)}</h2>
            <ActionForm action=action>
                <input type="hidden" name="key" value=key />
                <div class="field">
                    <label for="card-number">{t!(i18n, portal.card_number)}</label>
                    <div class="with-hint">
                        <input
                            id="card-number"
                            name="number"
                            inputmode="numeric"
                            autocomplete="cc-number"
                            required
                            aria-describedby="card-number-error"
                            placeholder="1234 5678 9012 3456"
                            aria-invalid=move || number_error.get().is_some().then_some("true")
                            prop:value=move || number.get()
                            on:input=move |ev| {
                                number.set(domain::card::format_partial(&event_target_value(&ev)))
                            }
                        />
                        <span class="brand-hint" aria-live="polite">
                            {brand}
                        </span>
                    </div>
                    <FieldErrorText id="card-number-error" code=number_error />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="card-expiry">{t!(i18n, portal.card_expiry)}</label>
                        <input
                            id="card-expiry"
                            name="expiry"
                            autocomplete="cc-exp"
                            placeholder="MM/YY"
                            required
                            inputmode="numeric"
                            aria-describedby="card-expiry-error"
                            on:input=move |ev| expiry.set(event_target_value(&ev))
                        />
                        <FieldErrorText id="card-expiry-error" code=expiry_error />
                    </div>
                    <div class="field">
                        <label for="card-cvc">{t!(i18n, portal.card_cvc)}</label>
                        <input
                            id="card-cvc"
                            name="cvc"
                            autocomplete="cc-csc"
                            inputmode="numeric"
                            required
                            aria-describedby="card-cvc-error"
                        />
                        <FieldErrorText
                            id="card-cvc-error"
                            code=field_code(action.value(), "cvc")
                        />
                    </div>
                </div>
                <div class="field">
                    <label for="card-holder">{t!(i18n, portal.card_holder)}</label>
                    <input
                        id="card-holder"
                        name="holder"
                        autocomplete="cc-name"
                        required
                        aria-describedby="card-holder-error"
                    />
                    <FieldErrorText
                        id="card-holder-error"
                        code=field_code(action.value(), "holder")
                    />
                </div>
                <div class="field check">
                    <input
                        id="card-default"
                        type="checkbox"
                        name="make_default"
                        value="on"
                        checked=past_due
                    />
                    <label for="card-default">{t!(i18n, portal.make_default_label)}</label>
                </div>
                <FormErrorText error=form_error(action.value()) />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t!(i18n, portal.saving).into_any()
                        } else {
                            t!(i18n, portal.add_card_submit).into_any()
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}
