use crate::error::{AppError, Conflict};
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A form-level error (not about one field), in the page's language.
#[component]
pub fn FormErrorText(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <p class="form-error" role="alert">
                            {match e {
                                AppError::RateLimited => {
                                    t!(i18n, portal.err_rate_limited).into_any()
                                }
                                AppError::Forbidden => t!(i18n, portal.err_forbidden).into_any(),
                                AppError::Unauthenticated => {
                                    t!(i18n, portal.err_signed_out).into_any()
                                }
                                AppError::NotFound => t!(i18n, portal.err_not_found).into_any(),
                                AppError::Conflict(Conflict::DefaultInUse) => {
                                    t!(i18n, portal.err_default_in_use).into_any()
                                }
                                AppError::Conflict(Conflict::NotCancelable) => {
                                    t!(i18n, portal.err_not_cancelable).into_any()
                                }
                                AppError::Conflict(Conflict::InvoiceNotOpen) => {
                                    t!(i18n, portal.err_invoice_not_open).into_any()
                                }
                                AppError::Conflict(Conflict::PaymentInProgress) => {
                                    t!(i18n, portal.err_payment_in_progress).into_any()
                                }
                                AppError::Conflict(Conflict::LinkRefused) => {
                                    t!(i18n, portal.err_link_refused).into_any()
                                }
                                AppError::Conflict(Conflict::Stale) => {
                                    t!(i18n, portal.err_stale).into_any()
                                }
                                AppError::Conflict(
                                    Conflict::PortalDisabled
                                    | Conflict::PaymentsInactive
                                    | Conflict::NoKey
                                    | Conflict::AlreadySetUp
                                    | Conflict::GatewayTestFailed
                                    | Conflict::LastOwner
                                    | Conflict::PriceInUse
                                    | Conflict::CustomerArchived
                                    | Conflict::InvitationUsed
                                    | Conflict::InvitationExpired
                                    | Conflict::ImportNotReady
                                    | Conflict::FlowDisabled
                                    | Conflict::SubscriptionEnded
                                    | Conflict::TooManyEndpoints,
                                )
                                | AppError::Validation(_)
                                | AppError::BadRequest
                                | AppError::Internal => t!(i18n, portal.err_generic).into_any(),
                            }}
                        </p>
                    }
                })
        }}
    }
}
