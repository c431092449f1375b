use crate::console::api::{CompleteSetup, setup_status};
use crate::console::components::{FieldErrorText, FormErrorText};
use crate::console::ui::use_query;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/setup?token=…`: the first run. While no organization exists, the one-time address
/// that `dunwell serve` printed creates the organization and its owner; afterwards (or with
/// any other token) it answers 404.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_query("token");
    let status = Resource::new(move || token.get().unwrap_or_default(), setup_status);
    view! {
        <Title text=tu_string!(i18n, console.setup_title).to_string() />
        <section class="sign-in setup" aria-labelledby="setup-title">
            <h1 id="setup-title">{t!(i18n, console.setup_title)}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    status
                        .get()
                        .map(|outcome| match outcome {
                            Ok(()) => {
                                view! { <SetupForm token=token.get().unwrap_or_default() /> }
                                    .into_any()
                            }
                            Err(_) => view! { <SetupGone /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// A used, replaced or unknown setup address.
#[component]
fn SetupGone() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <p class="notice notice-warning" role="status">
            {t!(i18n, console.setup_gone)}
        </p>
        <p>
            <a href="/admin/sign-in">{t!(i18n, console.sign_in)}</a>
        </p>
    }
}

#[component]
fn SetupForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CompleteSetup>::new();
    let code = move |field: &'static str| field_code(action.value(), field);
    view! {
        <p>{t!(i18n, console.setup_intro)}</p>
        <ActionForm action=action>
            <input type="hidden" name="token" value=token />
            <fieldset>
                <legend>{t!(i18n, console.setup_business)}</legend>
                <div class="field">
                    <label for="setup-org-name">{t!(i18n, console.setup_org_name)}</label>
                    <input
                        id="setup-org-name"
                        name="org_name"
                        autocomplete="organization"
                        maxlength="100"
                        required
                        aria-describedby="setup-org-name-error"
                    />
                    <FieldErrorText id="setup-org-name-error" code=code("org_name") />
                </div>
                <div class="field">
                    <label for="setup-slug">{t!(i18n, console.setup_slug)}</label>
                    <input
                        id="setup-slug"
                        name="slug"
                        required
                        maxlength="32"
                        pattern="[A-Za-z0-9][A-Za-z0-9\\-]*[A-Za-z0-9]"
                        aria-describedby="setup-slug-hint setup-slug-error"
                    />
                    <p class="hint" id="setup-slug-hint">
                        {t!(i18n, console.setup_slug_hint)}
                    </p>
                    <FieldErrorText id="setup-slug-error" code=code("slug") />
                </div>
                <div class="field">
                    <label for="setup-currency">{t!(i18n, console.setup_currency)}</label>
                    <select
                        id="setup-currency"
                        name="currency"
                        aria-describedby="setup-currency-error"
                    >
                        {domain::Currency::ALL
                            .into_iter()
                            .map(|c| view! { <option value=c.code()>{c.code()}</option> })
                            .collect_view()}
                    </select>
                    <FieldErrorText id="setup-currency-error" code=code("currency") />
                </div>
                <div class="field">
                    <label for="setup-country">{t!(i18n, console.setup_country)}</label>
                    <input
                        id="setup-country"
                        name="country"
                        autocomplete="country"
                        required
                        maxlength="2"
                        size="3"
                        aria-describedby="setup-country-hint setup-country-error"
                    />
                    <p class="hint" id="setup-country-hint">
                        {t!(i18n, console.setup_country_hint)}
                    </p>
                    <FieldErrorText id="setup-country-error" code=code("country") />
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, console.setup_owner)}</legend>
                <div class="field">
                    <label for="setup-email">{t!(i18n, console.email)}</label>
                    <input
                        id="setup-email"
                        name="owner_email"
                        type="email"
                        autocomplete="username"
                        required
                        aria-describedby="setup-email-error"
                    />
                    <FieldErrorText id="setup-email-error" code=code("owner_email") />
                </div>
                <div class="field">
                    <label for="setup-password">{t!(i18n, console.password)}</label>
                    <input
                        id="setup-password"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="12"
                        aria-describedby="setup-password-hint setup-password-error"
                    />
                    <p class="hint" id="setup-password-hint">
                        {t!(i18n, console.setup_password_hint)}
                    </p>
                    <FieldErrorText id="setup-password-error" code=code("password") />
                </div>
            </fieldset>
            <FormErrorText error=form_error(action.value()) />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {t!(i18n, console.setup_submit)}
            </button>
        </ActionForm>
    }
}
