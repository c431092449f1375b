use crate::error::{AppError, Conflict};
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A form's error that is not about one field (conflict, forbidden, rate limit…).
#[component]
pub fn FormErrorText(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="form-error" role="alert" hidden=move || error.get().is_none()>
            {move || {
                error
                    .get()
                    .map(|e| match e {
                        AppError::Conflict(Conflict::Stale) => {
                            t!(i18n, console.err_stale).into_any()
                        }
                        AppError::Conflict(Conflict::PaymentsInactive) => {
                            t!(i18n, console.err_payments_inactive).into_any()
                        }
                        AppError::Conflict(Conflict::PortalDisabled) => {
                            t!(i18n, console.err_portal_disabled).into_any()
                        }
                        AppError::Conflict(Conflict::GatewayTestFailed) => {
                            t!(i18n, console.err_gateway_test).into_any()
                        }
                        AppError::Conflict(Conflict::LastOwner) => {
                            t!(i18n, console.err_last_owner).into_any()
                        }
                        AppError::Conflict(Conflict::PriceInUse) => {
                            t!(i18n, console.err_price_in_use).into_any()
                        }
                        AppError::Conflict(Conflict::CustomerArchived) => {
                            t!(i18n, console.err_customer_archived).into_any()
                        }
                        AppError::Conflict(Conflict::InvitationUsed) => {
                            t!(i18n, console.invite_used).into_any()
                        }
                        AppError::Conflict(Conflict::InvitationExpired) => {
                            t!(i18n, console.invite_expired).into_any()
                        }
                        AppError::Conflict(Conflict::PaymentInProgress) => {
                            t!(i18n, console.err_payment_in_progress).into_any()
                        }
                        AppError::Conflict(Conflict::ImportNotReady) => {
                            t!(i18n, console.import_not_ready).into_any()
                        }
                        AppError::Conflict(Conflict::AlreadySetUp) => {
                            t!(i18n, console.setup_gone).into_any()
                        }
                        AppError::Conflict(
                            Conflict::LinkRefused
                            | Conflict::DefaultInUse
                            | Conflict::NotCancelable
                            | Conflict::NoKey
                            | Conflict::FlowDisabled
                            | Conflict::SubscriptionEnded
                            | Conflict::InvoiceNotOpen,
                        ) => t!(i18n, console.err_conflict).into_any(),
                        AppError::Conflict(Conflict::TooManyEndpoints) => {
                            t!(i18n, console.webhook_too_many).into_any()
                        }
                        AppError::Forbidden => t!(i18n, console.err_forbidden).into_any(),
                        AppError::Unauthenticated => t!(i18n, console.err_sign_in).into_any(),
                        AppError::RateLimited => t!(i18n, console.err_rate_limited).into_any(),
                        AppError::NotFound => t!(i18n, console.err_not_found).into_any(),
                        AppError::Validation(_) | AppError::BadRequest | AppError::Internal => {
                            t!(i18n, console.err_generic).into_any()
                        }
                    })
            }}
        </p>
    }
}
