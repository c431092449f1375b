use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::RequestLink;
use crate::portal::components::{FieldErrorText, FormErrorText, PageHeading};
use crate::portal::ui::{use_portal_key, use_query};
use leptos::prelude::*;

/// Sign-in: the customer's email → a one-time link. The answer is the same whether or not
/// the address is on file, with what to do when nothing arrives (guide, troubleshooting 1).
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let sent = use_query("sent");
    let email = use_query("email");
    let return_to = use_query("return_to");
    let signed_out = use_query("signed_out");
    view! {
        <PageHeading text=tu_string!(i18n, portal.login_title).to_string() />
        {move || {
            signed_out
                .get()
                .map(|_| {
                    view! {
                        <p class="notice" role="status">
                            {t!(i18n, portal.signed_out)}
                        </p>
                    }
                })
        }}
        {move || {
            sent.get()
                .map(|_| {
                    view! {
                        <div class="notice" role="status">
                            <p>
                                <strong>{t!(i18n, portal.link_sent)}</strong>
                            </p>
                            <p>{t!(i18n, portal.link_sent_expiry)}</p>
                        </div>
                    }
                })
        }}
        <p>{t!(i18n, portal.login_lede)}</p>
        <LoginForm
            key=key.get_untracked()
            email=email.get_untracked()
            return_to=return_to.get_untracked()
        />
        <details class="hint">
            <summary>{t!(i18n, portal.no_email_title)}</summary>
            <p>{t!(i18n, portal.no_email_body)}</p>
        </details>
    }
}

/// The email form (an island). Its server function redirects back here with `sent=1`.
#[island]
fn LoginForm(key: String, email: Option<String>, return_to: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestLink>::new();
    view! {
        <ActionForm action=action>
            <input type="hidden" name="key" value=key />
            {return_to.map(|r| view! { <input type="hidden" name="return_to" value=r /> })}
            <div class="field">
                <label for="login-email">{t!(i18n, portal.email_label)}</label>
                <input
                    id="login-email"
                    type="email"
                    name="email"
                    autocomplete="email"
                    required
                    value=email.unwrap_or_default()
                    aria-describedby="login-email-error"
                />
                <FieldErrorText id="login-email-error" code=field_code(action.value(), "email") />
            </div>
            <FormErrorText error=form_error(action.value()) />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {move || {
                    if action.pending().get() {
                        t!(i18n, portal.sending).into_any()
                    } else {
                        t!(i18n, portal.send_link).into_any()
                    }
                }}
            </button>
        </ActionForm>
    }
}
