use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::overview_data;
use crate::portal::components::{PageHeading, use_shell};
use crate::portal::dto::SubscriptionView;
use crate::portal::dto::format_amounts;
use crate::portal::pages::failed_view;
use crate::portal::ui::{domain_locale, use_portal_key};
use domain::PortalPermission;
use domain::{BillingInterval, SubscriptionStatus};
use leptos::prelude::*;

/// The overview: subscriptions, and a past-due banner that leads to payment methods.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let shell = use_shell();
    let data = Resource::new(move || key.get(), overview_data);
    view! {
        <PageHeading text=tu_string!(i18n, portal.overview_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                let can_pay = shell
                    .await
                    .map(|s| s.brand.permissions.contains(PortalPermission::UpdatePaymentMethods))
                    .unwrap_or(false);
                match data.await {
                    Ok(view) => {
                        let locale = domain_locale(i18n);
                        view! {
                            {(!view.past_due.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="banner banner-alert" role="alert">
                                            <p>
                                                <strong>
                                                    {t!(
                                                        i18n, portal.past_due_banner, amount = format_amounts(&view.past_due, locale)
                                                    )}
                                                </strong>
                                            </p>
                                            {(!view.payable.is_empty())
                                                .then(|| {
                                                    view! {
                                                        <ul class="due-invoices">
                                                            {view
                                                                .payable
                                                                .iter()
                                                                .map(|d| {
                                                                    let href = format!("/portal/{k}/pay/{}", d.id);
                                                                    let amount = d.amount.format(locale);
                                                                    view! {
                                                                        <li>
                                                                            <a class="button" href=href>
                                                                                {t!(
                                                                                    i18n, portal.pay_due, number = d.number.clone(), amount = amount
                                                                                )}
                                                                            </a>
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    }
                                                })}
                                            {can_pay
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="button"
                                                            href=format!("/portal/{k}/payment-methods")
                                                        >
                                                            {t!(i18n, portal.update_payment_method)}
                                                        </a>
                                                    }
                                                })}
                                        </div>
                                    }
                                })}
                            <h2>{t!(i18n, portal.subscriptions)}</h2>
                            {if view.subscriptions.is_empty() {
                                Some(view! { <p>{t!(i18n, portal.no_subscriptions)}</p> })
                            } else {
                                None
                            }}
                            <ul class="subscriptions">
                                {view
                                    .subscriptions
                                    .into_iter()
                                    .map(|s| subscription_item(s, locale))
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(&k, &format!("/portal/{k}"), e),
                }
            })}
        </Suspense>
    }
}

/// "/ month", or "every 3 months" when a period spans more than one interval.
pub(crate) fn recurrence(interval: BillingInterval, count: u16) -> AnyView {
    let i18n = use_i18n();
    match (interval, count) {
        (BillingInterval::Week, 1) => view! {
            "/ "
            {t!(i18n, portal.per_week)}
        }
        .into_any(),
        (BillingInterval::Month, 1) => view! {
            "/ "
            {t!(i18n, portal.per_month)}
        }
        .into_any(),
        (BillingInterval::Year, _) => view! {
            "/ "
            {t!(i18n, portal.per_year)}
        }
        .into_any(),
        (BillingInterval::Week, count) => t!(i18n, portal.every_weeks, count = count).into_any(),
        (BillingInterval::Month, count) => t!(i18n, portal.every_months, count = count).into_any(),
    }
}

fn subscription_item(s: SubscriptionView, locale: domain::Locale) -> impl IntoView {
    let i18n = use_i18n();
    let status = match s.status {
        SubscriptionStatus::Active => t!(i18n, portal.status_active).into_any(),
        SubscriptionStatus::PastDue => t!(i18n, portal.status_past_due).into_any(),
        SubscriptionStatus::Canceled => t!(i18n, portal.status_canceled).into_any(),
        SubscriptionStatus::Unpaid => t!(i18n, portal.status_unpaid).into_any(),
        SubscriptionStatus::Incomplete => t!(i18n, portal.status_incomplete).into_any(),
        SubscriptionStatus::Paused => t!(i18n, portal.status_paused).into_any(),
    };
    let price = s.price.format(locale);
    let period_end = s.period_end.clone();
    view! {
        <li class="subscription">
            <h3>{s.plan.clone()}</h3>
            <p>{price}" "{recurrence(s.interval, s.interval_count)}</p>
            <p>
                <span class=format!("badge status-{}", s.status)>{status}</span>
            </p>
            {match (s.status, s.pause_resumes.clone()) {
                (SubscriptionStatus::Paused, Some(date)) => {
                    view! { <p class="notice">{t!(i18n, portal.paused_until, date = date)}</p> }
                        .into_any()
                }
                (SubscriptionStatus::Active, Some(date)) if !s.cancel_at_period_end => {
                    view! {
                        <p class="notice">
                            {t!(i18n, portal.pauses_on, start = period_end.clone(), date = date)}
                        </p>
                    }
                        .into_any()
                }
                _ if s.cancel_at_period_end => {
                    view! {
                        <p class="notice">
                            {t!(i18n, portal.cancels_on, date = period_end.clone())}
                        </p>
                    }
                        .into_any()
                }
                _ => {
                    view! { <p>{t!(i18n, portal.renews_on, date = period_end.clone())}</p> }
                        .into_any()
                }
            }}
            {s
                .discount
                .map(|d| {
                    view! {
                        <p>
                            {t!(i18n, portal.discount_until, percent = d.percent, date = d.until)}
                        </p>
                    }
                })}
        </li>
    }
}
