use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// Which secret [`OnceSecret`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A merchant API key (`dw_sk_…`).
    ApiKey,
    /// A webhook endpoint's signing secret (`whsec_…`).
    WebhookSigning,
}

/// A secret just made, shown this once in a read-only field with what to do with it.
#[component]
pub fn OnceSecret(kind: SecretKind, secret: String) -> impl IntoView {
    let i18n = use_i18n();
    let (id, title, label, hint) = match kind {
        SecretKind::ApiKey => (
            "api-key",
            t!(i18n, console.api_keys_fresh_title).into_any(),
            t!(i18n, console.api_keys_secret).into_any(),
            t!(i18n, console.api_keys_fresh_hint).into_any(),
        ),
        SecretKind::WebhookSigning => (
            "webhook",
            t!(i18n, console.webhooks_fresh_title).into_any(),
            t!(i18n, console.webhooks_secret).into_any(),
            t!(i18n, console.webhooks_fresh_hint).into_any(),
        ),
    };
    view! {
        <section
            class="settings-section notice notice-success"
            aria-labelledby=format!("{id}-fresh-title")
        >
            <h2 id=format!("{id}-fresh-title")>{title}</h2>
            <div class="field">
                <label for=format!("{id}-secret")>{label}</label>
                <input
                    id=format!("{id}-secret")
                    class="secret-value"
                    type="text"
                    readonly
                    spellcheck="false"
                    autocomplete="off"
                    value=secret
                    aria-describedby=format!("{id}-secret-hint")
                />
                <p class="hint" id=format!("{id}-secret-hint")>
                    {hint}
                </p>
            </div>
        </section>
    }
}
