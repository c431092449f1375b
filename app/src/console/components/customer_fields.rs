use crate::console::components::FieldErrorText;
use crate::console::dto::CustomerDetail;
use crate::error::AppError;
use crate::forms::field_code;
use crate::i18n::{t, use_i18n};
use domain::Locale;
use leptos::prelude::*;

/// A customer's name, language, billing address and VAT number: the same fields on the
/// new-customer form and the customer's own page. `prefix` keeps the ids unique.
#[component]
pub fn CustomerFields(
    prefix: &'static str,
    /// The customer as saved, or `None` on a new one.
    current: Option<CustomerDetail>,
    errors: MappedSignal<Option<Result<(), AppError>>>,
    allowed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |field: &str| format!("{prefix}-{field}");
    let err = move |field: &str| format!("{prefix}-{field}-error");
    let locale = current.as_ref().map_or(Locale::En, |c| c.locale);
    let (name, address, tax_id) = current.map_or_else(Default::default, |c| {
        (c.name, c.billing_address, c.tax_id.unwrap_or_default())
    });
    view! {
        <div class="field">
            <label for=id("name")>{t!(i18n, console.customer_name)}</label>
            <input
                id=id("name")
                name="name"
                value=name
                required
                maxlength="100"
                autocomplete="off"
                disabled=!allowed
                aria-describedby=err("name")
            />
            <FieldErrorText id=err("name") code=field_code(errors, "name") />
        </div>
        <div class="field">
            <label for=id("locale")>{t!(i18n, console.customer_locale)}</label>
            <select id=id("locale") name="locale" disabled=!allowed aria-describedby=err("locale")>
                <option value="en" selected=locale == Locale::En>
                    "English"
                </option>
                <option value="it" selected=locale == Locale::It>
                    "Italiano"
                </option>
            </select>
            <FieldErrorText id=err("locale") code=field_code(errors, "locale") />
        </div>
        <div class="field">
            <label for=id("address")>{t!(i18n, console.customer_address)}</label>
            <textarea
                id=id("address")
                name="billing_address"
                rows="3"
                disabled=!allowed
                aria-describedby=err("billing_address")
            >
                {address}
            </textarea>
            <FieldErrorText id=err("billing_address") code=field_code(errors, "billing_address") />
        </div>
        <div class="field">
            <label for=id("tax-id")>{t!(i18n, console.customer_tax_id)}</label>
            <input
                id=id("tax-id")
                name="tax_id"
                value=tax_id
                autocomplete="off"
                disabled=!allowed
                aria-describedby=format!("{} {}", id("tax-id-hint"), err("tax_id"))
            />
            <p class="hint" id=id("tax-id-hint")>
                {t!(i18n, console.customer_tax_id_hint)}
            </p>
            <FieldErrorText id=err("tax_id") code=field_code(errors, "tax_id") />
        </div>
    }
}
