use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A field's error message beside its input (`id` is referenced by `aria-describedby`).
#[component]
pub fn FieldErrorText(#[prop(into)] id: String, code: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-error" id=id role="alert" hidden=move || code.get().is_none()>
            {move || {
                code.get()
                    .map(|c| match c.as_str() {
                        c if c.starts_with("decline.") => {
                            view! {
                                {crate::portal::components::recovery_notice::decline_text(
                                    c
                                        .strip_prefix("decline.")
                                        .and_then(|c| domain::DeclineCode::parse(c).ok()),
                                )}
                                " "
                                {t!(i18n, portal.err_card_refused)}
                            }
                                .into_any()
                        }
                        "email.invalid" => t!(i18n, portal.err_email).into_any(),
                        "card.invalid" => t!(i18n, portal.err_card).into_any(),
                        "card.refused" => t!(i18n, portal.err_card_refused).into_any(),
                        "card.cooldown" => t!(i18n, portal.err_card_cooldown).into_any(),
                        "card.limit" => t!(i18n, portal.err_card_limit).into_any(),
                        "expiry.invalid" => t!(i18n, portal.err_expiry).into_any(),
                        "expiry.past" => t!(i18n, portal.err_expiry_past).into_any(),
                        "cvc.invalid" => t!(i18n, portal.err_cvc).into_any(),
                        "holder.invalid" => t!(i18n, portal.err_holder).into_any(),
                        "iban.invalid" => t!(i18n, portal.err_iban).into_any(),
                        "mandate.required" => t!(i18n, portal.err_mandate).into_any(),
                        "reason.required" => t!(i18n, portal.err_reason).into_any(),
                        "comment.too_long" => t!(i18n, portal.err_comment_long).into_any(),
                        _ => t!(i18n, portal.err_generic).into_any(),
                    })
            }}
        </p>
    }
}
