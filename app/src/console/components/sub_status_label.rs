use crate::i18n::{t, use_i18n};
use domain::SubscriptionStatus;
use leptos::prelude::*;

/// A subscription's status in the console's language (the customers list, its filter and
/// a customer's subscriptions).
pub fn sub_status_label(status: SubscriptionStatus) -> AnyView {
    let i18n = use_i18n();
    match status {
        SubscriptionStatus::Active => t!(i18n, console.sub_status_active).into_any(),
        SubscriptionStatus::PastDue => t!(i18n, console.sub_status_past_due).into_any(),
        SubscriptionStatus::Canceled => t!(i18n, console.sub_status_canceled).into_any(),
        SubscriptionStatus::Unpaid => t!(i18n, console.sub_status_unpaid).into_any(),
        SubscriptionStatus::Incomplete => t!(i18n, console.sub_status_incomplete).into_any(),
        SubscriptionStatus::Paused => t!(i18n, console.sub_status_paused).into_any(),
    }
}
