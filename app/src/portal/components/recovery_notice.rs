use crate::i18n::{t, use_i18n};
use crate::portal::dto::{Notice, RecoveryResult, RecoveryView};
use crate::portal::ui::{domain_locale, use_query};
use leptos::prelude::*;

/// What the last change saved and how the retries of past-due invoices it caused ended
/// (one line each), both as the database confirms them.
#[component]
pub fn RecoveryNotice(notice: Option<Notice>, recovery: Vec<RecoveryView>) -> impl IntoView {
    let i18n = use_i18n();
    let pending = use_query("pending");
    let outcomes = recovery
        .into_iter()
        .map(|r| {
            let amount = r.amount.format(domain_locale(i18n));
            match r.result {
                RecoveryResult::Paid => view! {
                    <div class="outcome outcome-ok" role="status">
                        <p>
                            <strong>{t!(i18n, portal.recovery_paid, amount = amount)}</strong>
                        </p>
                    </div>
                }
                .into_any(),
                RecoveryResult::Declined => view! {
                    <div class="outcome outcome-bad" role="alert">
                        <p>
                            <strong>{t!(i18n, portal.recovery_declined, amount = amount)}</strong>
                        </p>
                        <p>{decline_text(r.decline_code)}</p>
                        <p>{t!(i18n, portal.recovery_next)}</p>
                    </div>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        {notice
            .map(|n| {
                view! {
                    <p class="notice" role="status">
                        {match n {
                            Notice::CardAdded => t!(i18n, portal.notice_card_added).into_any(),
                            Notice::SepaAdded => t!(i18n, portal.notice_sepa_added).into_any(),
                            Notice::DefaultSet => t!(i18n, portal.notice_default_set).into_any(),
                            Notice::Removed => t!(i18n, portal.notice_removed).into_any(),
                        }}
                    </p>
                }
            })}
        {outcomes}
        {move || {
            (pending.get().as_deref() == Some("1"))
                .then(|| {
                    view! {
                        <div class="outcome" role="status">
                            <p>{t!(i18n, portal.recovery_pending)}</p>
                        </div>
                    }
                })
        }}
    }
}

/// The customer's explanation of a decline code.
pub(crate) fn decline_text(code: Option<domain::DeclineCode>) -> impl IntoView {
    let i18n = use_i18n();
    match code {
        Some(domain::DeclineCode::CardDeclined) => {
            t!(i18n, portal.decline_card_declined).into_any()
        }
        Some(domain::DeclineCode::InsufficientFunds) => {
            t!(i18n, portal.decline_insufficient_funds).into_any()
        }
        Some(domain::DeclineCode::ExpiredCard) => t!(i18n, portal.decline_expired_card).into_any(),
        Some(domain::DeclineCode::ProcessingError) => {
            t!(i18n, portal.decline_processing_error).into_any()
        }
        Some(domain::DeclineCode::SepaDebitFailed) => {
            t!(i18n, portal.decline_sepa_debit_failed).into_any()
        }
        Some(domain::DeclineCode::IncorrectNumber) => {
            t!(i18n, portal.decline_incorrect_number).into_any()
        }
        None => t!(i18n, portal.decline_unknown).into_any(),
    }
}
