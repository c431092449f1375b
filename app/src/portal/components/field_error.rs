use crate::error::FieldCode;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A field's error message beside its input (`id` is referenced by `aria-describedby`).
#[component]
pub fn FieldErrorText(#[prop(into)] id: String, code: Signal<Option<FieldCode>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-error" id=id role="alert" hidden=move || code.get().is_none()>
            {move || {
                code.get()
                    .map(|c| match c {
                        FieldCode::Declined(reason) => {
                            view! {
                                {crate::portal::components::recovery_notice::decline_text(
                                    Some(reason),
                                )}
                                " "
                                {t!(i18n, portal.err_card_refused)}
                            }
                                .into_any()
                        }
                        FieldCode::EmailInvalid => t!(i18n, portal.err_email).into_any(),
                        FieldCode::CardInvalid => t!(i18n, portal.err_card).into_any(),
                        FieldCode::CardRefused => t!(i18n, portal.err_card_refused).into_any(),
                        FieldCode::CardCooldown => t!(i18n, portal.err_card_cooldown).into_any(),
                        FieldCode::CardLimit => t!(i18n, portal.err_card_limit).into_any(),
                        FieldCode::ExpiryInvalid => t!(i18n, portal.err_expiry).into_any(),
                        FieldCode::ExpiryPast => t!(i18n, portal.err_expiry_past).into_any(),
                        FieldCode::CvcInvalid => t!(i18n, portal.err_cvc).into_any(),
                        FieldCode::HolderInvalid => t!(i18n, portal.err_holder).into_any(),
                        FieldCode::IbanInvalid => t!(i18n, portal.err_iban).into_any(),
                        FieldCode::MandateRequired => t!(i18n, portal.err_mandate).into_any(),
                        FieldCode::ReasonRequired => t!(i18n, portal.err_reason).into_any(),
                        FieldCode::CommentTooLong => t!(i18n, portal.err_comment_long).into_any(),
                        FieldCode::MethodRequired => t!(i18n, portal.err_method_required).into_any(),
                        FieldCode::MethodDeclinedForGood => {
                            t!(i18n, portal.err_method_declined_for_good).into_any()
                        }
                        FieldCode::MethodJustDeclined => {
                            t!(i18n, portal.err_method_just_declined).into_any()
                        }
                        FieldCode::Invalid => t!(i18n, portal.err_generic).into_any(),
                        FieldCode::NameEmpty => t!(i18n, portal.err_name_empty).into_any(),
                        FieldCode::NameTooLong | FieldCode::NameInvalid => {
                            t!(i18n, portal.err_name_invalid).into_any()
                        }
                        FieldCode::AddressInvalid => t!(i18n, portal.err_address).into_any(),
                        FieldCode::TaxIdInvalid => t!(i18n, portal.err_tax_id).into_any(),
                        FieldCode::LocaleInvalid => t!(i18n, portal.err_locale).into_any(),
                        FieldCode::PauseDateInvalid => t!(i18n, portal.err_pause_date).into_any(),
                        FieldCode::PauseTooSoon => t!(i18n, portal.err_pause_too_soon).into_any(),
                        FieldCode::PauseTooLong => t!(i18n, portal.err_pause_too_long).into_any(),
                        FieldCode::PriceNotAllowed => {
                            t!(i18n, portal.err_price_not_allowed).into_any()
                        }
                        FieldCode::QuantityNotAllowed => {
                            t!(i18n, portal.err_quantity_not_allowed).into_any()
                        }
                        FieldCode::PlanUnchanged => t!(i18n, portal.err_plan_unchanged).into_any(),
                        FieldCode::EmailTaken
                        | FieldCode::ColorInvalid
                        | FieldCode::CompanyNameEmpty
                        | FieldCode::CompanyNameTooLong
                        | FieldCode::CompanyNameInvalid
                        | FieldCode::CompanyNameMarkup
                        | FieldCode::LogoEmpty
                        | FieldCode::LogoTooLarge
                        | FieldCode::LogoNotPng
                        | FieldCode::LogoTooManyPixels
                        | FieldCode::LogoInvalid
                        | FieldCode::ConfirmRequired
                        | FieldCode::DaysInvalid
                        | FieldCode::SlugInvalid
                        | FieldCode::CurrencyInvalid
                        | FieldCode::CountryInvalid
                        | FieldCode::PasswordTooShort
                        | FieldCode::PasswordTooLong
                        | FieldCode::PasswordGuessable
                        | FieldCode::RetryDaysInvalid
                        | FieldCode::PasswordWrong
                        | FieldCode::RoleInvalid
                        | FieldCode::AmountInvalid
                        | FieldCode::IntervalInvalid
                        | FieldCode::IntervalCountInvalid
                        | FieldCode::TrialDaysInvalid
                        | FieldCode::InvoicePrefixInvalid
                        | FieldCode::QuantityInvalid
                        | FieldCode::StartInvalid
                        | FieldCode::PauseLimitInvalid
                        | FieldCode::RetentionPercentInvalid
                        | FieldCode::RetentionMonthsInvalid
                        | FieldCode::QuantityMinInvalid
                        | FieldCode::QuantityMaxInvalid
                        | FieldCode::PriceUnknown
                        | FieldCode::PriceArchived
                        | FieldCode::CurrencyMismatch
                        | FieldCode::TemplateEmpty
                        | FieldCode::TemplateTooLong
                        | FieldCode::FileMissing
                        | FieldCode::FileTooLarge
                        | FieldCode::NotHttps
                        | FieldCode::InternalAddress
                        | FieldCode::TemplateInclude(_)
                        | FieldCode::TemplateSyntax(_)
                        | FieldCode::TemplateUnknownVariable(..)
                        | FieldCode::TemplateRender(_) => t!(i18n, portal.err_generic).into_any(),
                    })
            }}
        </p>
    }
}
