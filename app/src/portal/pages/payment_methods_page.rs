use crate::i18n::{t, use_i18n};
use crate::portal::api::{AddCard, AddSepa, RemoveMethod, SetDefault, payment_methods_data};
use crate::portal::components::{
    AddCardForm, AddSepaForm, FormErrorText, MethodItem, RecoveryNotice, use_shell,
};
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, form_error, use_portal_key};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Payment methods (permission: update payment methods): the list, and adding a card or a
/// SEPA mandate. Changing the default retries past-due invoices at once; the outcome shows here.
#[component]
pub fn PaymentMethodsPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let location = use_location();
    let shell = use_shell();
    let add_card = ServerAction::<AddCard>::new();
    let add_sepa = ServerAction::<AddSepa>::new();
    let set_default = ServerAction::<SetDefault>::new();
    let remove = ServerAction::<RemoveMethod>::new();
    // The query changes after every successful change (the server redirects here).
    let data = Resource::new(
        move || (key.get(), location.search.get(), remove.version().get()),
        |(k, _, _)| payment_methods_data(k),
    );
    view! {
        <h1>{t!(i18n, portal.payment_methods_title)}</h1>
        <RecoveryNotice />
        <FormErrorText error=form_error(set_default.value()) />
        <FormErrorText error=form_error(remove.value()) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                let company = shell.await.map(|s| s.brand.company_name).unwrap_or_default();
                match data.await {
                    Ok(view) => {
                        let past_due = view.past_due.is_some();
                        view! {
                            {view.past_due.clone().map(|due| view! {
                                <div class="banner banner-alert" role="alert">
                                    <p>{t!(i18n, portal.past_due_methods, amount = due.format(domain_locale(i18n)))}</p>
                                </div>
                            })}
                            <ul class="methods">
                                {view.methods.into_iter().map(|m| view! {
                                    <MethodItem key=k.clone() method=m set_default remove />
                                }).collect_view()}
                            </ul>
                            <AddCardForm key=k.clone() action=add_card past_due />
                            <AddSepaForm key=k.clone() company action=add_sepa past_due />
                        }.into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/payment-methods"), e),
                }
            })}
        </Suspense>
    }
}
