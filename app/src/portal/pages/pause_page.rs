use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{PauseSubscription, pause_data};
use crate::portal::components::{
    FieldErrorText, FormErrorText, PageHeading, QueryNotice, SubscriptionButton,
    SubscriptionButtonForm,
};
use crate::portal::dto::{PausableView, PauseOffer};
use crate::portal::pages::failed_view;
use crate::portal::ui::use_portal_key;
use leptos::prelude::*;

/// Pause subscription (permission: pause subscription): a pause from the period end until
/// a day the customer picks within the merchant's limit, withdrawn before it begins, or
/// ended now (a new period is charged).
#[component]
pub fn PausePage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let data = Resource::new(move || key.get(), pause_data);
    view! {
        <PageHeading text=tu_string!(i18n, portal.pause_title).to_string() />
        <QueryNotice text=notice_text />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) if view.subscriptions.is_empty() => {
                        view! { <p class="empty">{t!(i18n, portal.pause_none)}</p> }.into_any()
                    }
                    Ok(view) => {
                        view.subscriptions
                            .into_iter()
                            .map(|p| view! { <SubscriptionPause key=k.clone() item=p /> })
                            .collect_view()
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/pause"), e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SubscriptionPause(key: String, item: PausableView) -> impl IntoView {
    let i18n = use_i18n();
    let sub = item.subscription;
    let heading_id = format!("pause-{}", sub.id);
    let labelled = heading_id.clone();
    let period_end = sub.period_end.clone();
    let resumes = sub.pause_resumes.clone().unwrap_or_default();
    let body = match item.offer {
        PauseOffer::Pause {
            first,
            last,
            max_days,
        } => view! {
            <p>{t!(i18n, portal.pause_explain, date = period_end.clone())}</p>
            <PauseForm key subscription=sub.id.clone() first last max_days />
        }
        .into_any(),
        PauseOffer::Withdraw => view! {
            <p>{t!(i18n, portal.pauses_on, start = period_end.clone(), date = resumes.clone())}</p>
            <SubscriptionButtonForm
                key
                subscription=sub.id.clone()
                button=SubscriptionButton::WithdrawPause
            />
        }
        .into_any(),
        PauseOffer::Resume => view! {
            <p>{t!(i18n, portal.paused_until, date = resumes.clone())}</p>
            <p class="hint">{t!(i18n, portal.unpause_explain)}</p>
            <SubscriptionButtonForm
                key
                subscription=sub.id.clone()
                button=SubscriptionButton::Unpause
            />
        }
        .into_any(),
    };
    view! {
        <section class="panel" aria-labelledby=labelled>
            <h2 id=heading_id>{sub.plan.clone()}</h2>
            {body}
        </section>
    }
}

fn notice_text(notice: &str) -> Option<AnyView> {
    let i18n = use_i18n();
    Some(match notice {
        "paused" => t!(i18n, portal.notice_paused).into_any(),
        "withdrawn" => t!(i18n, portal.notice_pause_withdrawn).into_any(),
        _ => return None,
    })
}

/// The resume day and "Pause" (an island).
#[island]
fn PauseForm(
    key: String,
    subscription: String,
    first: String,
    last: String,
    max_days: u16,
) -> impl IntoView {
    let i18n = use_i18n();
    let pause = ServerAction::<PauseSubscription>::new();
    // Ids carry the subscription: a customer with two has two of these forms.
    let input = format!("resumes-on-{subscription}");
    let hint = format!("resumes-on-hint-{subscription}");
    let error = format!("resumes-on-error-{subscription}");
    let described = format!("{hint} {error}");
    let hint_text = t!(
        i18n,
        portal.pause_window,
        first = first.clone(),
        last = last.clone(),
        days = max_days
    );
    view! {
        <ActionForm action=pause>
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="subscription" value=subscription />
            <div class="field">
                <label for=input.clone()>{t!(i18n, portal.pause_resumes_on)}</label>
                <input
                    id=input
                    type="date"
                    name="resumes_on"
                    min=first
                    max=last
                    required
                    aria-describedby=described
                />
                <p class="hint" id=hint>
                    {hint_text}
                </p>
                <FieldErrorText id=error code=field_code(pause.value(), "resumes_on") />
            </div>
            <FormErrorText error=form_error(pause.value()) />
            <button type="submit" class="button" disabled=move || pause.pending().get()>
                {t!(i18n, portal.pause_submit)}
            </button>
        </ActionForm>
    }
}
