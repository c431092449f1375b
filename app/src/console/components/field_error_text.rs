use crate::error::FieldCode;
use crate::i18n::{Locale as UiLocale, t, use_i18n};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A field's error message beside its input (`id` is referenced by `aria-describedby`).
#[component]
pub fn FieldErrorText(#[prop(into)] id: String, code: Signal<Option<FieldCode>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-error" id=id role="alert" hidden=move || code.get().is_none()>
            {move || { code.get().map(|c| field_message(i18n, c)) }}
        </p>
    }
}

/// A field code's message in the page's language (also used for an import's problems).
pub fn field_message(i18n: I18nContext<UiLocale>, code: FieldCode) -> AnyView {
    match code {
        FieldCode::EmailInvalid => t!(i18n, console.err_email).into_any(),
        FieldCode::EmailTaken => t!(i18n, console.err_email_taken).into_any(),
        FieldCode::ColorInvalid => t!(i18n, console.err_color).into_any(),
        FieldCode::CompanyNameEmpty => t!(i18n, console.err_company_empty).into_any(),
        FieldCode::CompanyNameTooLong => t!(i18n, console.err_company_long).into_any(),
        FieldCode::CompanyNameInvalid | FieldCode::CompanyNameMarkup => {
            t!(i18n, console.err_company_invalid).into_any()
        }
        FieldCode::LogoEmpty => t!(i18n, console.err_logo_empty).into_any(),
        FieldCode::LogoTooLarge => t!(i18n, console.err_logo_too_large).into_any(),
        FieldCode::LogoNotPng => t!(i18n, console.err_logo_not_png).into_any(),
        FieldCode::LogoTooManyPixels => t!(i18n, console.err_logo_pixels).into_any(),
        FieldCode::LogoInvalid => t!(i18n, console.err_logo_invalid).into_any(),
        FieldCode::ConfirmRequired => t!(i18n, console.err_confirm).into_any(),
        FieldCode::DaysInvalid => t!(i18n, console.err_days).into_any(),
        FieldCode::TemplateEmpty => t!(i18n, console.err_template_empty).into_any(),
        FieldCode::TemplateTooLong => t!(i18n, console.err_template_long).into_any(),
        FieldCode::TemplateInclude(line) => {
            t!(i18n, console.err_template_include, line = line).into_any()
        }
        FieldCode::TemplateSyntax(line) => {
            t!(i18n, console.err_template_syntax, line = line).into_any()
        }
        FieldCode::TemplateUnknownVariable(line, name) => t!(
            i18n,
            console.err_template_unknown,
            line = line,
            name = name.clone()
        )
        .into_any(),
        FieldCode::TemplateRender(line) => {
            t!(i18n, console.err_template_render, line = line).into_any()
        }
        FieldCode::SlugInvalid => t!(i18n, console.err_slug).into_any(),
        FieldCode::CurrencyInvalid => t!(i18n, console.err_currency).into_any(),
        FieldCode::CountryInvalid => t!(i18n, console.err_country).into_any(),
        FieldCode::PasswordTooShort => t!(i18n, console.err_password_short).into_any(),
        FieldCode::PasswordTooLong => t!(i18n, console.err_password_long).into_any(),
        FieldCode::PasswordGuessable => t!(i18n, console.err_password_guessable).into_any(),
        FieldCode::RetryDaysInvalid => t!(i18n, console.err_retry_days).into_any(),
        FieldCode::PasswordWrong => t!(i18n, console.err_password_wrong).into_any(),
        FieldCode::RoleInvalid => t!(i18n, console.err_field).into_any(),
        FieldCode::NameEmpty => t!(i18n, console.err_name_empty).into_any(),
        FieldCode::NameTooLong => t!(i18n, console.err_name_long).into_any(),
        FieldCode::NameInvalid => t!(i18n, console.err_name_invalid).into_any(),
        FieldCode::AmountInvalid => t!(i18n, console.err_amount).into_any(),
        FieldCode::IntervalInvalid => t!(i18n, console.err_field).into_any(),
        FieldCode::IntervalCountInvalid => t!(i18n, console.err_interval_count).into_any(),
        FieldCode::TrialDaysInvalid => t!(i18n, console.err_trial_days).into_any(),
        FieldCode::AddressInvalid => t!(i18n, console.err_address).into_any(),
        FieldCode::TaxIdInvalid => t!(i18n, console.err_tax_id).into_any(),
        FieldCode::InvoicePrefixInvalid => t!(i18n, console.err_invoice_prefix).into_any(),
        FieldCode::QuantityInvalid => t!(i18n, console.err_quantity).into_any(),
        FieldCode::StartInvalid => t!(i18n, console.err_start).into_any(),
        FieldCode::PauseLimitInvalid => t!(i18n, console.err_pause_max_days).into_any(),
        FieldCode::RetentionPercentInvalid => t!(i18n, console.err_retention_percent).into_any(),
        FieldCode::RetentionMonthsInvalid => t!(i18n, console.err_retention_months).into_any(),
        FieldCode::QuantityMinInvalid => t!(i18n, console.err_quantity_min).into_any(),
        FieldCode::QuantityMaxInvalid => t!(i18n, console.err_quantity_max).into_any(),
        FieldCode::FileMissing => t!(i18n, console.import_file_missing).into_any(),
        FieldCode::FileTooLarge => t!(i18n, console.import_file_too_large).into_any(),
        FieldCode::NotHttps => t!(i18n, console.webhook_url_not_https).into_any(),
        FieldCode::InternalAddress => t!(i18n, console.webhook_url_internal).into_any(),
        FieldCode::PriceUnknown => t!(i18n, console.err_price_unknown).into_any(),
        FieldCode::PriceArchived => t!(i18n, console.err_price_archived).into_any(),
        FieldCode::CurrencyMismatch => t!(i18n, console.err_currency_mismatch).into_any(),
        FieldCode::LocaleInvalid => t!(i18n, console.err_locale).into_any(),
        FieldCode::Invalid => t!(i18n, console.err_field).into_any(),
        FieldCode::CardInvalid
        | FieldCode::CardRefused
        | FieldCode::CardCooldown
        | FieldCode::CardLimit
        | FieldCode::Declined(_)
        | FieldCode::ExpiryInvalid
        | FieldCode::ExpiryPast
        | FieldCode::CvcInvalid
        | FieldCode::HolderInvalid
        | FieldCode::IbanInvalid
        | FieldCode::MandateRequired
        | FieldCode::ReasonRequired
        | FieldCode::CommentTooLong
        | FieldCode::MethodRequired
        | FieldCode::MethodDeclinedForGood
        | FieldCode::MethodJustDeclined
        | FieldCode::PauseDateInvalid
        | FieldCode::PauseTooSoon
        | FieldCode::PauseTooLong
        | FieldCode::PriceNotAllowed
        | FieldCode::QuantityNotAllowed
        | FieldCode::PlanUnchanged => t!(i18n, console.err_field).into_any(),
    }
}
