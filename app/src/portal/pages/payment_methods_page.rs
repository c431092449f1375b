use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::payment_methods_data;
use crate::portal::components::{
    AddCardForm, AddSepaForm, MethodList, PageHeading, RecoveryNotice, use_shell,
};
use crate::portal::dto::format_amounts;
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, use_portal_key, use_query};
use leptos::prelude::*;

/// Payment methods (permission: update payment methods): the list, and adding a card or a
/// SEPA mandate. Changing the default retries past-due invoices at once; the outcome shows
/// here, read from the database (each change redirects back with the time it began).
#[component]
pub fn PaymentMethodsPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let shell = use_shell();
    let (since, notice, method) = (use_query("since"), use_query("notice"), use_query("method"));
    let data = Resource::new(
        move || (key.get(), since.get(), notice.get(), method.get()),
        |(key, since, notice, method)| payment_methods_data(key, since, notice, method),
    );
    view! {
        <PageHeading text=tu_string!(i18n, portal.payment_methods_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                let company = shell.await.map(|s| s.brand.company_name).unwrap_or_default();
                match data.await {
                    Ok(view) => {
                        let past_due = !view.past_due.is_empty();
                        view! {
                            <RecoveryNotice notice=view.notice recovery=view.recovery />
                            {(!view.past_due.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="banner banner-alert" role="alert">
                                            <p>
                                                {t!(
                                                    i18n, portal.past_due_methods, amount = format_amounts(&view.past_due, domain_locale(i18n))
                                                )}
                                            </p>
                                        </div>
                                    }
                                })}
                            <MethodList key=k.clone() methods=view.methods />
                            <AddCardForm key=k.clone() past_due />
                            <AddSepaForm key=k.clone() company past_due />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/payment-methods"), e),
                }
            })}
        </Suspense>
    }
}
