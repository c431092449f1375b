use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use crate::portal::api::{
    AcceptOffer, ResumeSubscription, UndoPlanChange, UnpauseSubscription, WithdrawPause,
};
use crate::portal::components::{FieldErrorText, FormErrorText};
use leptos::prelude::*;
use leptos::reactive::signal::MappedSignal;
use serde::{Deserialize, Serialize};

/// What a server action of these forms answered.
type Value = MappedSignal<Option<Result<(), crate::error::AppError>>>;

/// A change to one subscription that is a single button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubscriptionButton {
    /// Undo a cancellation at the period end.
    Resume,
    /// Withdraw a pause that has not begun.
    WithdrawPause,
    /// End a pause now.
    Unpause,
    /// Stay with the merchant's retention offer instead of cancelling.
    AcceptOffer,
    /// Undo a plan change that waits for the period's end.
    UndoPlanChange,
}

/// The form of a [`SubscriptionButton`] (an island): the subscription, its error (a missing
/// payment method beside the button, anything else below it) and the button.
#[island]
pub fn SubscriptionButtonForm(
    key: String,
    subscription: String,
    button: SubscriptionButton,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{}-error-{subscription}", button.name());
    let fields = move |value: Value, pending: Memo<bool>, label: AnyView| {
        view! {
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="subscription" value=subscription />
            <FieldErrorText id=error_id.clone() code=field_code(value, "method") />
            <FormErrorText error=form_error(value) />
            <button
                type="submit"
                class="button"
                aria-describedby=error_id
                disabled=move || pending.get()
            >
                {label}
            </button>
        }
    };
    match button {
        SubscriptionButton::Resume => {
            let action = ServerAction::<ResumeSubscription>::new();
            let label = t!(i18n, portal.resume_submit).into_any();
            view! { <ActionForm action=action>{fields(action.value(), action.pending(), label)}</ActionForm> }
            .into_any()
        }
        SubscriptionButton::WithdrawPause => {
            let action = ServerAction::<WithdrawPause>::new();
            let label = t!(i18n, portal.pause_withdraw).into_any();
            view! { <ActionForm action=action>{fields(action.value(), action.pending(), label)}</ActionForm> }
            .into_any()
        }
        SubscriptionButton::Unpause => {
            let action = ServerAction::<UnpauseSubscription>::new();
            let label = t!(i18n, portal.unpause_submit).into_any();
            view! { <ActionForm action=action>{fields(action.value(), action.pending(), label)}</ActionForm> }
            .into_any()
        }
        SubscriptionButton::AcceptOffer => {
            let action = ServerAction::<AcceptOffer>::new();
            let label = t!(i18n, portal.offer_accept).into_any();
            view! { <ActionForm action=action>{fields(action.value(), action.pending(), label)}</ActionForm> }
            .into_any()
        }
        SubscriptionButton::UndoPlanChange => {
            let action = ServerAction::<UndoPlanChange>::new();
            let label = t!(i18n, portal.plan_undo).into_any();
            view! { <ActionForm action=action>{fields(action.value(), action.pending(), label)}</ActionForm> }
            .into_any()
        }
    }
}

impl SubscriptionButton {
    fn name(self) -> &'static str {
        match self {
            SubscriptionButton::Resume => "resume",
            SubscriptionButton::WithdrawPause => "withdraw-pause",
            SubscriptionButton::Unpause => "unpause",
            SubscriptionButton::AcceptOffer => "accept-offer",
            SubscriptionButton::UndoPlanChange => "undo-plan-change",
        }
    }
}
