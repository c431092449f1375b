use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{ChangePlan, plan_data};
use crate::portal::components::{
    FieldErrorText, FormErrorText, PageHeading, QueryNotice, SubscriptionButton,
    SubscriptionButtonForm,
};
use crate::portal::dto::{ChangeableView, PlanChangePreview, PreviewOutcome};
use crate::portal::pages::failed_view;
use crate::portal::pages::overview_page::recurrence;
use crate::portal::ui::{domain_locale, use_portal_key, use_query};
use domain::ChangeTiming;
use leptos::prelude::*;

/// Change plan (permission: change plan): each active subscription with the prices the
/// merchant lists (and a quantity within their range). "Preview" is a plain GET form: the
/// page then shows what is due now and "Confirm change".
#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let (subscription, price, quantity) = (
        use_query("subscription"),
        use_query("price"),
        use_query("quantity"),
    );
    let data = Resource::new(
        move || (key.get(), subscription.get(), price.get(), quantity.get()),
        |(k, s, p, q)| plan_data(k, s, p, q),
    );
    view! {
        <PageHeading text=tu_string!(i18n, portal.plan_title).to_string() />
        <QueryNotice text=notice_text />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match data.await {
                    Ok(view) if view.subscriptions.is_empty() => {
                        view! { <p class="empty">{t!(i18n, portal.plan_none)}</p> }.into_any()
                    }
                    Ok(view) => {
                        let asked = subscription.get_untracked();
                        view.subscriptions
                            .into_iter()
                            .map(|item| {
                                let mine = asked.as_deref() == Some(item.subscription.id.as_str());
                                let asked = mine
                                    .then(|| (price.get_untracked(), quantity.get_untracked()));
                                view! { <SubscriptionPlan key=k.clone() item asked /> }
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}/plan"), e),
                }
            })}
        </Suspense>
    }
}

fn notice_text(notice: &str) -> Option<AnyView> {
    let i18n = use_i18n();
    Some(match notice {
        "changed" => t!(i18n, portal.notice_plan_changed).into_any(),
        "scheduled" => t!(i18n, portal.notice_plan_scheduled).into_any(),
        "undone" => t!(i18n, portal.notice_plan_undone).into_any(),
        _ => return None,
    })
}

#[component]
fn SubscriptionPlan(
    key: String,
    item: ChangeableView,
    /// The price and quantity of the preview asked for on this subscription (the form
    /// shows them again, beside the reason, when refused).
    asked: Option<(Option<String>, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = domain_locale(i18n);
    let sub = item.subscription;
    let id = sub.id.clone();
    let heading_id = format!("plan-{id}");
    let price_id = format!("price-{id}");
    let quantity_id = format!("quantity-{id}");
    let error_id = format!("plan-error-{id}");
    let (asked_price, asked_quantity) = match (&item.preview, asked) {
        (Some(PreviewOutcome::Ready(p)), _) => (Some(p.price.clone()), Some(p.quantity)),
        (_, Some((price, quantity))) => (price, quantity.and_then(|q| q.trim().parse().ok())),
        _ => (None, None),
    };
    let (refused, refused_field) = match &item.preview {
        Some(PreviewOutcome::Refused { code, field }) => (Some(code.clone()), Some(field.clone())),
        _ => (None, None),
    };
    let invalid = move |field: &str| (refused_field.as_deref() == Some(field)).then_some("true");
    let options = item
        .options
        .iter()
        .map(|o| {
            let selected = asked_price.as_ref().map_or(o.current, |p| *p == o.id);
            let amount = o.unit.format(locale);
            let current = o.current.then(|| {
                view! {
                    " "
                    {t!(i18n, portal.plan_current_mark)}
                }
            });
            view! {
                <option value=o.id.clone() selected=selected>
                    {o.name.clone()}
                    " · "
                    {amount}
                    {current}
                </option>
            }
        })
        .collect_view();
    let price_invalid = invalid("price");
    let quantity_invalid = invalid("quantity");
    let current_quantity = item.quantity;
    let quantity_field = item.quantity_range.map(|r| {
        let value = asked_quantity.unwrap_or(current_quantity);
        // The current quantity stays a choice even outside the merchant's range.
        let (min, max) = (r.min().min(current_quantity), r.max().max(current_quantity));
        let hint_id = format!("quantity-hint-{id}");
        view! {
            <div class="field">
                <label for=quantity_id.clone()>{t!(i18n, portal.plan_quantity)}</label>
                <input
                    id=quantity_id.clone()
                    type="number"
                    name="quantity"
                    min=min.to_string()
                    max=max.to_string()
                    aria-invalid=quantity_invalid
                    step="1"
                    value=value.to_string()
                    aria-describedby=format!("{hint_id} {error_id}")
                />
                <p class="hint" id=hint_id>
                    {t!(i18n, portal.plan_quantity_hint, min = r.min(), max = r.max())}
                </p>
            </div>
        }
    });
    let scheduled = item.scheduled.map(|s| {
        view! {
            <p class="notice">
                {t!(i18n, portal.plan_scheduled, plan = s.plan, quantity = s.quantity, date = s.on)}
            </p>
            <SubscriptionButtonForm
                key=key.clone()
                subscription=id.clone()
                button=SubscriptionButton::UndoPlanChange
            />
        }
    });
    let preview = match item.preview {
        Some(PreviewOutcome::Ready(p)) => {
            Some(view! { <Preview key=key.clone() subscription=id.clone() p /> }.into_any())
        }
        _ => None,
    };
    let price = sub.price.format(locale);
    let labelled = heading_id.clone();
    view! {
        <section class="panel" aria-labelledby=labelled>
            <h2 id=heading_id>{sub.plan.clone()}</h2>
            <p>
                {t!(i18n, portal.plan_now, quantity = item.quantity)} " " {price} " "
                {recurrence(sub.interval, sub.interval_count)}
            </p>
            {scheduled}
            <form method="get" action=format!("/portal/{key}/plan") class="plan-form">
                <input type="hidden" name="subscription" value=id.clone() />
                <div class="field">
                    <label for=price_id.clone()>{t!(i18n, portal.plan_price)}</label>
                    <select
                        id=price_id
                        name="price"
                        aria-describedby=error_id.clone()
                        aria-invalid=price_invalid
                    >
                        {options}
                    </select>
                </div>
                {quantity_field}
                <FieldErrorText id=error_id code=Signal::stored(refused) />
                <button type="submit" class="button secondary">
                    {t!(i18n, portal.plan_preview)}
                </button>
            </form>
            {preview}
        </section>
    }
}

/// What a change would do, and "Confirm change".
#[component]
fn Preview(key: String, subscription: String, p: PlanChangePreview) -> impl IntoView {
    let i18n = use_i18n();
    let locale = domain_locale(i18n);
    let heading_id = format!("preview-{subscription}");
    let new_full = p.new_full.format(locale);
    let explain = match p.timing {
        ChangeTiming::Now if p.due_now.is_positive() => view! {
            <p class="due-now">
                <strong>{t!(i18n, portal.plan_due_now, amount = p.due_now.format(locale))}</strong>
            </p>
            <p>
                {t!(
                    i18n, portal.plan_proration, charge = p.charge.format(locale), credit = p.credit.format(locale)
                )}
            </p>
        }
        .into_any(),
        ChangeTiming::Now => view! { <p>{t!(i18n, portal.plan_now_free)}</p> }.into_any(),
        ChangeTiming::AtPeriodEnd => view! { <p>{t!(i18n, portal.plan_at_period_end, date = p.effective.clone())}</p> }
        .into_any(),
    };
    let labelled = heading_id.clone();
    view! {
        <div class="plan-preview" role="region" aria-labelledby=labelled>
            <h3 id=heading_id>
                {t!(i18n, portal.plan_preview_title, plan = p.plan.clone(), quantity = p.quantity)}
            </h3>
            {explain}
            <p>{t!(i18n, portal.plan_then, amount = new_full)}</p>
            <ConfirmForm
                key
                subscription
                price=p.price
                quantity=p.quantity
                from_price=p.from_price
                from_quantity=p.from_quantity
                due_now=p.due_now.amount_minor
            />
        </div>
    }
}

/// "Confirm change" (an island): the previewed terms, and the terms they were previewed
/// from (a change since is refused, not applied to other terms).
#[island]
fn ConfirmForm(
    key: String,
    subscription: String,
    price: String,
    quantity: u32,
    from_price: String,
    from_quantity: u32,
    due_now: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePlan>::new();
    let error_id = format!("confirm-error-{subscription}");
    // No default method for an upgrade, or a price or quantity no longer allowed.
    let (method, price_code, quantity_code) = (
        field_code(change.value(), "method"),
        field_code(change.value(), "price"),
        field_code(change.value(), "quantity"),
    );
    let refused = Signal::derive(move || {
        method
            .get()
            .or_else(|| price_code.get())
            .or_else(|| quantity_code.get())
    });
    view! {
        <ActionForm action=change>
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="subscription" value=subscription />
            <input type="hidden" name="price" value=price />
            <input type="hidden" name="quantity" value=quantity.to_string() />
            <input type="hidden" name="from_price" value=from_price />
            <input type="hidden" name="from_quantity" value=from_quantity.to_string() />
            <input type="hidden" name="due_now" value=due_now.to_string() />
            <FieldErrorText id=error_id.clone() code=refused />
            <FormErrorText error=form_error(change.value()) />
            <button
                type="submit"
                class="button"
                aria-describedby=error_id
                disabled=move || change.pending().get()
            >
                {t!(i18n, portal.plan_confirm)}
            </button>
        </ActionForm>
    }
}
