use crate::i18n::{t, use_i18n};
use domain::CancelReason;
use leptos::prelude::*;

/// A cancellation reason in the page's language: the words the customer chose in the
/// portal, which the console shows the merchant too.
pub fn cancel_reason_label(r: CancelReason) -> AnyView {
    let i18n = use_i18n();
    match r {
        CancelReason::TooExpensive => t!(i18n, portal.reason_too_expensive).into_any(),
        CancelReason::MissingFeatures => t!(i18n, portal.reason_missing_features).into_any(),
        CancelReason::SwitchedService => t!(i18n, portal.reason_switched_service).into_any(),
        CancelReason::Unused => t!(i18n, portal.reason_unused).into_any(),
        CancelReason::CustomerService => t!(i18n, portal.reason_customer_service).into_any(),
        CancelReason::TooComplex => t!(i18n, portal.reason_too_complex).into_any(),
        CancelReason::LowQuality => t!(i18n, portal.reason_low_quality).into_any(),
        CancelReason::Other => t!(i18n, portal.reason_other).into_any(),
    }
}
