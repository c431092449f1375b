use crate::components::cancel_reason_label;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{CancelSubscription, cancel_data};
use crate::portal::components::{
    FieldErrorText, FormErrorText, PageHeading, SubscriptionButton, SubscriptionButtonForm,
};
use crate::portal::dto::{CancelReason, SubscriptionView};
use crate::portal::pages::failed_view;
use crate::portal::ui::{use_portal_key, use_query};
use domain::RetentionOffer;
use leptos::prelude::*;

/// Cancel subscription (permission: cancel subscription): what happens (access until the
/// period ends), a reason and a comment; a canceled subscription can be resumed until then.
#[component]
pub fn CancelPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let notice = use_query("notice");
    // A portal session's `subscription_cancel` flow names one subscription: the page shows
    // that one alone when it is the customer's (else all of them, as without the query).
    let only = use_query("subscription");
    let data = Resource::new(move || key.get(), cancel_data);
    view! {
        <PageHeading text=tu_string!(i18n, portal.cancel_title).to_string() />
        {move || {
            notice
                .get()
                .map(|n| {
                    view! {
                        <p class="notice" role="status">
                            {match n.as_str() {
                                "resumed" => t!(i18n, portal.notice_resumed).into_any(),
                                "offer_accepted" => {
                                    t!(i18n, portal.notice_offer_accepted).into_any()
                                }
                                _ => t!(i18n, portal.notice_canceled).into_any(),
                            }}
                        </p>
                    }
                })
        }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) if view.subscriptions.is_empty() => {
                        view! { <p class="empty">{t!(i18n, portal.cancel_none)}</p> }.into_any()
                    }
                    Ok(view) => {
                        let only = only.get_untracked();
                        let named = |id: &str| only.as_deref() == Some(id);
                        let focus = view.subscriptions.iter().any(|s| named(&s.subscription.id));
                        view.subscriptions
                            .into_iter()
                            .filter(|s| !focus || named(&s.subscription.id))
                            .map(|s| {
                                view! {
                                    <SubscriptionCancel
                                        key=k.clone()
                                        sub=s.subscription
                                        offer=s.offer
                                    />
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/cancel"), e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SubscriptionCancel(
    key: String,
    sub: SubscriptionView,
    offer: Option<RetentionOffer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let date = sub.period_end.clone();
    let form_id = format!("cancel-{}", sub.id);
    let heading_id = form_id.clone();
    view! {
        <section class="panel" aria-labelledby=form_id>
            <h2 id=heading_id>{sub.plan.clone()}</h2>
            {if sub.cancel_at_period_end {
                view! {
                    <p>{t!(i18n, portal.cancels_on, date = date.clone())}</p>
                    <SubscriptionButtonForm
                        key
                        subscription=sub.id
                        button=SubscriptionButton::Resume
                    />
                }
                    .into_any()
            } else {
                let offer_id = format!("offer-{}", sub.id);
                view! {
                    {offer
                        .map(|o| {
                            let labelled = offer_id.clone();
                            view! {
                                <div class="offer" role="group" aria-labelledby=labelled>
                                    <h3 id=offer_id>{t!(i18n, portal.offer_title)}</h3>
                                    <p>
                                        {if o.months() == 1 {
                                            t!(i18n, portal.offer_text_one, percent = o.percent())
                                                .into_any()
                                        } else {
                                            t!(
                                                i18n, portal.offer_text, percent = o.percent(), months = o.months()
                                            )
                                                .into_any()
                                        }}
                                    </p>
                                    <SubscriptionButtonForm
                                        key=key.clone()
                                        subscription=sub.id.clone()
                                        button=SubscriptionButton::AcceptOffer
                                    />
                                </div>
                            }
                        })}
                    {sub
                        .discount
                        .clone()
                        .map(|d| {
                            view! {
                                <p>
                                    {t!(
                                        i18n, portal.discount_until, percent = d.percent, date = d.until
                                    )}
                                </p>
                            }
                        })}
                    <p>{t!(i18n, portal.cancel_explain, date = date.clone())}</p>
                    <CancelForm key subscription=sub.id />
                }
                    .into_any()
            }}
        </section>
    }
}

/// The reason, a comment and "Cancel at the end of the period" (an island).
#[island]
fn CancelForm(key: String, subscription: String) -> impl IntoView {
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelSubscription>::new();
    // Ids carry the subscription: a customer with two has two of these forms.
    let id = |what: &str| format!("{what}-{subscription}");
    let (reason_error, comment, comment_error) = (
        id("cancel-reason-error"),
        id("cancel-comment"),
        id("cancel-comment-error"),
    );
    let reasons: Vec<_> = CancelReason::ALL
        .iter()
        .map(|r| (*r, id(&format!("reason-{}", r.as_str()))))
        .collect();
    view! {
        <ActionForm action=cancel>
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="subscription" value=subscription.clone() />
            <fieldset aria-describedby=reason_error.clone()>
                <legend>{t!(i18n, portal.cancel_reason)}</legend>
                {reasons
                    .into_iter()
                    .map(|(r, input_id)| {
                        let label_for = input_id.clone();
                        view! {
                            <label class="choice" for=label_for>
                                <input
                                    type="radio"
                                    id=input_id
                                    name="reason"
                                    value=r.as_str()
                                    required
                                />
                                {cancel_reason_label(r)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FieldErrorText id=reason_error code=field_code(cancel.value(), "reason") />
            <div class="field">
                <label for=comment.clone()>{t!(i18n, portal.cancel_comment)}</label>
                <textarea
                    id=comment
                    name="comment"
                    maxlength="1000"
                    aria-describedby=comment_error.clone()
                ></textarea>
                <FieldErrorText id=comment_error code=field_code(cancel.value(), "comment") />
            </div>
            <FormErrorText error=form_error(cancel.value()) />
            <button type="submit" class="button danger" disabled=move || cancel.pending().get()>
                {t!(i18n, portal.cancel_submit)}
            </button>
        </ActionForm>
    }
}
