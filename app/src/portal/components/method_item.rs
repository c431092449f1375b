use crate::i18n::{t, use_i18n};
use crate::portal::api::{RemoveMethod, SetDefault};
use crate::portal::components::FormErrorText;
use crate::portal::dto::MethodView;
use crate::portal::ui::form_error;
use leptos::prelude::*;

/// One saved method: brand, •••• last 4, expiry, badges, and its actions.
#[component]
pub fn MethodItem(key: String, method: MethodView) -> impl IntoView {
    let i18n = use_i18n();
    let label = match (&method.kind[..], &method.brand) {
        ("sepa_debit", _) => "SEPA".to_owned(),
        (_, Some(b)) => domain::CardBrand::parse(b)
            .map(|b| b.label().to_owned())
            .unwrap_or_else(|_| b.clone()),
        _ => "Card".to_owned(),
    };
    let can_default = !method.is_default && !method.is_expired;
    view! {
        <li class="method">
            <span class="method-name">{label}" •••• "{method.last4.clone()}</span>
            {method.expiry.clone().map(|e| view! { <span class="method-expiry">{t!(i18n, portal.expires)}" "{e}</span> })}
            {method.is_default.then(|| view! { <span class="badge badge-default">{t!(i18n, portal.badge_default)}</span> })}
            {method.is_expired.then(|| view! { <span class="badge badge-expired">{t!(i18n, portal.badge_expired)}</span> })}
            <MethodActions key method=method.id can_default />
        </li>
    }
}

/// A method's "Make default" and "Remove" (an island), and why either was refused.
#[island]
fn MethodActions(key: String, method: String, can_default: bool) -> impl IntoView {
    let i18n = use_i18n();
    let set_default = ServerAction::<SetDefault>::new();
    let remove = ServerAction::<RemoveMethod>::new();
    let (key2, method2) = (key.clone(), method.clone());
    view! {
        <span class="method-actions">
            {can_default.then(|| view! {
                <ActionForm action=set_default attr:class="inline-form">
                    <input type="hidden" name="key" value=key.clone() />
                    <input type="hidden" name="method" value=method.clone() />
                    <button type="submit" class="button-secondary" disabled=move || set_default.pending().get()>
                        {t!(i18n, portal.make_default)}
                    </button>
                </ActionForm>
            })}
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="key" value=key2 />
                <input type="hidden" name="method" value=method2 />
                <button type="submit" class="button-secondary" disabled=move || remove.pending().get()>
                    {t!(i18n, portal.remove)}
                </button>
            </ActionForm>
        </span>
        <FormErrorText error=form_error(set_default.value()) />
        <FormErrorText error=form_error(remove.value()) />
    }
}
