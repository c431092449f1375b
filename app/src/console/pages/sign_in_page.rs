use crate::console::api::SignIn;
use crate::console::components::FormErrorText;
use crate::console::ui::use_query;
use crate::forms::form_error;
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/sign-in`: staff email and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let next = use_query("next");
    let signed_out = use_query("signed_out");
    view! {
        <Title text=tu_string!(i18n, console.sign_in_title).to_string() />
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1>{t!(i18n, console.title)}</h1>
            <h2 id="sign-in-title">{t!(i18n, console.sign_in_title)}</h2>
            {move || {
                signed_out
                    .get()
                    .map(|_| {
                        view! {
                            <p class="notice notice-success" role="status">
                                {t!(i18n, console.signed_out)}
                            </p>
                        }
                    })
            }}
            <ActionForm action=action>
                <input
                    type="hidden"
                    name="next"
                    value=move || next.get().unwrap_or_else(|| "/admin".into())
                />
                <div class="field">
                    <label for="staff-email">{t!(i18n, console.email)}</label>
                    <input
                        id="staff-email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                    />
                </div>
                <div class="field">
                    <label for="staff-password">{t!(i18n, console.password)}</label>
                    <input
                        id="staff-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                </div>
                <FormErrorText error=form_error(action.value()) />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t!(i18n, console.signing_in).into_any()
                        } else {
                            t!(i18n, console.sign_in).into_any()
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}
