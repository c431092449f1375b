use crate::forms::form_error;
use crate::i18n::{t, use_i18n};
use crate::portal::api::{RemoveMethod, SetDefault};
use crate::portal::components::FormErrorText;
use crate::portal::dto::MethodView;
use leptos::prelude::*;

/// The saved methods with their "Make default" and "Remove" (an island). One pair of
/// actions for the whole list, so a refusal (from a form posted without JavaScript too)
/// shows once, above the list.
#[island]
pub fn MethodList(key: String, methods: Vec<MethodView>) -> impl IntoView {
    let set_default = ServerAction::<SetDefault>::new();
    let remove = ServerAction::<RemoveMethod>::new();
    view! {
        <FormErrorText error=form_error(set_default.value()) />
        <FormErrorText error=form_error(remove.value()) />
        <ul class="methods">
            {methods
                .into_iter()
                .map(|m| view! { <MethodItem key=key.clone() method=m set_default remove /> })
                .collect_view()}
        </ul>
    }
}

/// A method's name: the card brand's label (`Visa`), or `SEPA`.
pub fn method_name(method: &MethodView) -> String {
    match (method.kind, &method.brand) {
        (domain::PaymentMethodKind::SepaDebit, _) => "SEPA".to_owned(),
        (domain::PaymentMethodKind::Card, Some(b)) => domain::CardBrand::parse(b)
            .map(|b| b.label().to_owned())
            .unwrap_or_else(|_| b.clone()),
        (domain::PaymentMethodKind::Card, None) => "Card".to_owned(),
    }
}

/// One saved method: brand, •••• last 4, expiry, badges, and its actions.
#[component]
fn MethodItem(
    key: String,
    method: MethodView,
    set_default: ServerAction<SetDefault>,
    remove: ServerAction<RemoveMethod>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = method_name(&method);
    let id = method.id.clone();
    let (key2, id2) = (key.clone(), id.clone());
    view! {
        <li class="method">
            <span class="method-name">{label}" •••• "{method.last4.clone()}</span>
            {method
                .expiry
                .clone()
                .map(|e| {
                    view! { <span class="method-expiry">{t!(i18n, portal.expires)}" "{e}</span> }
                })}
            {method
                .is_default
                .then(|| {
                    view! {
                        <span class="badge badge-default">{t!(i18n, portal.badge_default)}</span>
                    }
                })}
            {method
                .is_expired
                .then(|| {
                    view! {
                        <span class="badge badge-expired">{t!(i18n, portal.badge_expired)}</span>
                    }
                })}
            <span class="method-actions">
                {(!method.is_default && !method.is_expired)
                    .then(|| {
                        view! {
                            <ActionForm action=set_default attr:class="inline-form">
                                <input type="hidden" name="key" value=key.clone() />
                                <input type="hidden" name="method" value=id.clone() />
                                <button
                                    type="submit"
                                    class="button-secondary"
                                    disabled=move || set_default.pending().get()
                                >
                                    {t!(i18n, portal.make_default)}
                                </button>
                            </ActionForm>
                        }
                    })} <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="key" value=key2 />
                    <input type="hidden" name="method" value=id2 />
                    <button
                        type="submit"
                        class="button-secondary"
                        disabled=move || remove.pending().get()
                    >
                        {t!(i18n, portal.remove)}
                    </button>
                </ActionForm>
            </span>
        </li>
    }
}
