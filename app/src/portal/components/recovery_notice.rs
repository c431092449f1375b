use crate::i18n::{t, use_i18n};
use crate::portal::dto::MoneyDto;
use crate::portal::ui::{domain_locale, use_query};
use leptos::prelude::*;

/// The outcome of the last change, read from the query the server redirected to:
/// what was saved, and how the retry of past-due invoices ended.
#[component]
pub fn RecoveryNotice() -> impl IntoView {
    let i18n = use_i18n();
    let notice = use_query("notice");
    let outcome = use_query("outcome");
    let amount = use_query("amount");
    let currency = use_query("currency");
    let code = use_query("code");
    let money = move || {
        let minor = amount.get()?.parse::<i64>().ok()?;
        Some(
            MoneyDto {
                minor,
                currency: currency.get()?,
            }
            .format(domain_locale(i18n)),
        )
    };
    view! {
        {move || notice.get().map(|n| view! {
            <p class="notice" role="status">{match n.as_str() {
                "card_added" => t!(i18n, portal.notice_card_added).into_any(),
                "sepa_added" => t!(i18n, portal.notice_sepa_added).into_any(),
                "default_set" => t!(i18n, portal.notice_default_set).into_any(),
                "removed" => t!(i18n, portal.notice_removed).into_any(),
                _ => ().into_any(),
            }}</p>
        })}
        {move || match outcome.get().as_deref() {
            Some("paid") => Some(view! {
                <div class="outcome outcome-ok" role="status">
                    <p><strong>{t!(i18n, portal.recovery_paid, amount = money().unwrap_or_default())}</strong></p>
                </div>
            }.into_any()),
            Some("declined") => Some(view! {
                <div class="outcome outcome-bad" role="alert">
                    <p><strong>{t!(i18n, portal.recovery_declined, amount = money().unwrap_or_default())}</strong></p>
                    <p>{decline_text(code.get())}</p>
                    <p>{t!(i18n, portal.recovery_next)}</p>
                </div>
            }.into_any()),
            Some("pending") => Some(view! {
                <div class="outcome" role="status"><p>{t!(i18n, portal.recovery_pending)}</p></div>
            }.into_any()),
            _ => None,
        }}
    }
}

/// The customer's explanation of a decline code.
pub(crate) fn decline_text(code: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    match code
        .as_deref()
        .and_then(|c| domain::DeclineCode::parse(c).ok())
    {
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
