//! The one error type that crosses the wire. It carries only user-safe categories;
//! internal causes are logged once on the server and never sent.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a field was refused. Sent as a stable string (`email.invalid`,
/// `decline.card_declined`, `template.syntax@3`) that the page matches exhaustively, so a
/// new or renamed code fails to compile where its message is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldCode {
    /// The value could not be read at all (a decoder's refusal, a bad number).
    Invalid,
    /// Not an email address.
    EmailInvalid,
    /// Another customer of the organization has this email.
    EmailTaken,
    /// Not a card number (length or Luhn).
    CardInvalid,
    /// The processor refused the card without a reason we know.
    CardRefused,
    /// Too many refused cards lately: wait.
    CardCooldown,
    /// The customer already has the most saved methods allowed.
    CardLimit,
    /// The processor refused the card with this reason.
    Declined(domain::DeclineCode),
    /// Not an `MM/YY` expiry.
    ExpiryInvalid,
    /// The card has expired.
    ExpiryPast,
    /// Not a 3–4 digit security code.
    CvcInvalid,
    /// The cardholder or account holder's name is empty, too long or has control characters.
    HolderInvalid,
    /// Not an IBAN (country, length or check digits).
    IbanInvalid,
    /// The SEPA mandate was not accepted.
    MandateRequired,
    /// No cancellation reason was chosen.
    ReasonRequired,
    /// The cancellation comment is too long.
    CommentTooLong,
    /// Not a `#rrggbb` colour.
    ColorInvalid,
    /// The company name is empty.
    CompanyNameEmpty,
    /// The company name is too long.
    CompanyNameTooLong,
    /// The company name has control characters.
    CompanyNameInvalid,
    /// The company name has `<` or `>`.
    CompanyNameMarkup,
    /// No logo file was sent.
    LogoEmpty,
    /// The logo file is too large.
    LogoTooLarge,
    /// The logo is not a PNG.
    LogoNotPng,
    /// The logo has too many pixels.
    LogoTooManyPixels,
    /// The logo PNG could not be decoded.
    LogoInvalid,
    /// A dangerous action was not confirmed.
    ConfirmRequired,
    /// Not a number of days in the allowed range.
    DaysInvalid,
    /// Not a supported language.
    LocaleInvalid,
    /// Not an organization slug (2–32 of a-z, 0-9 and -).
    SlugInvalid,
    /// Not a currency Dunwell bills in.
    CurrencyInvalid,
    /// Not an ISO 3166-1 alpha-2 country code.
    CountryInvalid,
    /// A new password shorter than 12 characters.
    PasswordTooShort,
    /// A new password longer than 128 characters.
    PasswordTooLong,
    /// A new password that is too easy to guess.
    PasswordGuessable,
    /// Not a retry schedule (increasing days 1–60, at most 8).
    RetryDaysInvalid,
    /// The current password does not match.
    PasswordWrong,
    /// Not a staff role.
    RoleInvalid,
    /// A name (of a price) that is empty.
    NameEmpty,
    /// A name that is too long.
    NameTooLong,
    /// A name with a control character or markup.
    NameInvalid,
    /// Not a positive amount in the currency's decimals, or above the limit.
    AmountInvalid,
    /// Not week, month or year.
    IntervalInvalid,
    /// Not a count from 1 to the interval's maximum (a period spans a year at most).
    IntervalCountInvalid,
    /// Not a number of trial days from 0 to 730.
    TrialDaysInvalid,
    /// A billing address that is too long or has a control character.
    AddressInvalid,
    /// Not a VAT number (country prefix, letters and digits; Italian check digit).
    TaxIdInvalid,
    /// Not 1 to 10 ASCII letters and digits.
    InvoicePrefixInvalid,
    /// Not a whole number of units from 1 to 10,000.
    QuantityInvalid,
    /// Not a date (`YYYY-MM-DD`) from yesterday to a year ahead.
    StartInvalid,
    /// No such price in the organization.
    PriceUnknown,
    /// The price is archived: it takes no new subscriptions.
    PriceArchived,
    /// The customer already pays in another currency than the price's.
    CurrencyMismatch,
    /// No file was chosen, or it is empty.
    FileMissing,
    /// The file is larger than an import reads (32 MiB).
    FileTooLarge,
    /// An address that must be `https://`.
    NotHttps,
    /// An address on this machine or a private network, where webhooks are never sent.
    InternalAddress,
    /// "Pay now" without a saved payment method to pay with.
    MethodRequired,
    /// "Pay now" with a method whose last charge on the invoice was refused for good.
    MethodDeclinedForGood,
    /// "Pay now" with a method declined on the invoice minutes ago: wait or choose another.
    MethodJustDeclined,
    /// A resume day that is not a date (`YYYY-MM-DD`).
    PauseDateInvalid,
    /// A resume day on or before the day the pause begins.
    PauseTooSoon,
    /// A resume day beyond the merchant's longest pause.
    PauseTooLong,
    /// Not a longest pause of 1 to 365 days.
    PauseLimitInvalid,
    /// A retention discount that is not a whole percent from 1 to 99.
    RetentionPercentInvalid,
    /// A retention offer that does not last 1 to 24 months.
    RetentionMonthsInvalid,
    /// A price the merchant does not let customers choose, or one of another currency or
    /// period than the subscription's.
    PriceNotAllowed,
    /// A quantity outside the merchant's range.
    QuantityNotAllowed,
    /// The same price and quantity as now.
    PlanUnchanged,
    /// Not a least quantity of 1 to 10,000.
    QuantityMinInvalid,
    /// Not a most quantity from the least to 10,000.
    QuantityMaxInvalid,
    /// The template is empty.
    TemplateEmpty,
    /// The template is too long.
    TemplateTooLong,
    /// The template includes another template (refused), at this line.
    TemplateInclude(usize),
    /// The template does not parse at this line.
    TemplateSyntax(usize),
    /// The template names a variable that is not offered, at this line.
    TemplateUnknownVariable(usize, String),
    /// The template failed to render at this line.
    TemplateRender(usize),
}

impl FieldCode {
    /// The codes without a line, a name or a decline reason: what [`FromStr`] looks up.
    ///
    /// [`FromStr`]: std::str::FromStr
    const FIXED: &'static [FieldCode] = &[
        FieldCode::Invalid,
        FieldCode::EmailInvalid,
        FieldCode::EmailTaken,
        FieldCode::CardInvalid,
        FieldCode::CardRefused,
        FieldCode::CardCooldown,
        FieldCode::CardLimit,
        FieldCode::ExpiryInvalid,
        FieldCode::ExpiryPast,
        FieldCode::CvcInvalid,
        FieldCode::HolderInvalid,
        FieldCode::IbanInvalid,
        FieldCode::MandateRequired,
        FieldCode::ReasonRequired,
        FieldCode::CommentTooLong,
        FieldCode::ColorInvalid,
        FieldCode::CompanyNameEmpty,
        FieldCode::CompanyNameTooLong,
        FieldCode::CompanyNameInvalid,
        FieldCode::CompanyNameMarkup,
        FieldCode::LogoEmpty,
        FieldCode::LogoTooLarge,
        FieldCode::LogoNotPng,
        FieldCode::LogoTooManyPixels,
        FieldCode::LogoInvalid,
        FieldCode::ConfirmRequired,
        FieldCode::DaysInvalid,
        FieldCode::LocaleInvalid,
        FieldCode::SlugInvalid,
        FieldCode::CurrencyInvalid,
        FieldCode::CountryInvalid,
        FieldCode::PasswordTooShort,
        FieldCode::PasswordTooLong,
        FieldCode::PasswordGuessable,
        FieldCode::RetryDaysInvalid,
        FieldCode::PasswordWrong,
        FieldCode::RoleInvalid,
        FieldCode::NameEmpty,
        FieldCode::NameTooLong,
        FieldCode::NameInvalid,
        FieldCode::AmountInvalid,
        FieldCode::IntervalInvalid,
        FieldCode::IntervalCountInvalid,
        FieldCode::TrialDaysInvalid,
        FieldCode::AddressInvalid,
        FieldCode::TaxIdInvalid,
        FieldCode::InvoicePrefixInvalid,
        FieldCode::QuantityInvalid,
        FieldCode::StartInvalid,
        FieldCode::PriceUnknown,
        FieldCode::PriceArchived,
        FieldCode::CurrencyMismatch,
        FieldCode::TemplateEmpty,
        FieldCode::TemplateTooLong,
        FieldCode::FileMissing,
        FieldCode::FileTooLarge,
        FieldCode::NotHttps,
        FieldCode::InternalAddress,
        FieldCode::MethodRequired,
        FieldCode::MethodDeclinedForGood,
        FieldCode::MethodJustDeclined,
        FieldCode::PauseDateInvalid,
        FieldCode::PauseTooSoon,
        FieldCode::PauseTooLong,
        FieldCode::PauseLimitInvalid,
        FieldCode::RetentionPercentInvalid,
        FieldCode::RetentionMonthsInvalid,
        FieldCode::PriceNotAllowed,
        FieldCode::QuantityNotAllowed,
        FieldCode::PlanUnchanged,
        FieldCode::QuantityMinInvalid,
        FieldCode::QuantityMaxInvalid,
    ];

    /// The text of a fixed code; `None` for those that carry a value.
    fn fixed_text(&self) -> Option<&'static str> {
        Some(match self {
            FieldCode::Invalid => "field.invalid",
            FieldCode::EmailInvalid => "email.invalid",
            FieldCode::EmailTaken => "email.taken",
            FieldCode::CardInvalid => "card.invalid",
            FieldCode::CardRefused => "card.refused",
            FieldCode::CardCooldown => "card.cooldown",
            FieldCode::CardLimit => "card.limit",
            FieldCode::ExpiryInvalid => "expiry.invalid",
            FieldCode::ExpiryPast => "expiry.past",
            FieldCode::CvcInvalid => "cvc.invalid",
            FieldCode::HolderInvalid => "holder.invalid",
            FieldCode::IbanInvalid => "iban.invalid",
            FieldCode::MandateRequired => "mandate.required",
            FieldCode::ReasonRequired => "reason.required",
            FieldCode::CommentTooLong => "comment.too_long",
            FieldCode::ColorInvalid => "color.invalid",
            FieldCode::CompanyNameEmpty => "company_name.empty",
            FieldCode::CompanyNameTooLong => "company_name.too_long",
            FieldCode::CompanyNameInvalid => "company_name.invalid",
            FieldCode::CompanyNameMarkup => "company_name.markup",
            FieldCode::LogoEmpty => "logo.empty",
            FieldCode::LogoTooLarge => "logo.too_large",
            FieldCode::LogoNotPng => "logo.not_png",
            FieldCode::LogoTooManyPixels => "logo.too_many_pixels",
            FieldCode::LogoInvalid => "logo.invalid",
            FieldCode::ConfirmRequired => "confirm.required",
            FieldCode::DaysInvalid => "days.invalid",
            FieldCode::LocaleInvalid => "locale.invalid",
            FieldCode::SlugInvalid => "slug.invalid",
            FieldCode::CurrencyInvalid => "currency.invalid",
            FieldCode::CountryInvalid => "country.invalid",
            FieldCode::PasswordTooShort => "password.too_short",
            FieldCode::PasswordTooLong => "password.too_long",
            FieldCode::PasswordGuessable => "password.guessable",
            FieldCode::RetryDaysInvalid => "retry_days.invalid",
            FieldCode::PasswordWrong => "password.wrong",
            FieldCode::RoleInvalid => "role.invalid",
            FieldCode::NameEmpty => "name.empty",
            FieldCode::NameTooLong => "name.too_long",
            FieldCode::NameInvalid => "name.invalid",
            FieldCode::AmountInvalid => "amount.invalid",
            FieldCode::IntervalInvalid => "interval.invalid",
            FieldCode::IntervalCountInvalid => "interval_count.invalid",
            FieldCode::TrialDaysInvalid => "trial_days.invalid",
            FieldCode::AddressInvalid => "address.invalid",
            FieldCode::TaxIdInvalid => "tax_id.invalid",
            FieldCode::InvoicePrefixInvalid => "invoice_prefix.invalid",
            FieldCode::QuantityInvalid => "quantity.invalid",
            FieldCode::StartInvalid => "start.invalid",
            FieldCode::PriceUnknown => "price.unknown",
            FieldCode::PriceArchived => "price.archived",
            FieldCode::CurrencyMismatch => "price.currency_mismatch",
            FieldCode::FileMissing => "file.missing",
            FieldCode::FileTooLarge => "file.too_large",
            FieldCode::NotHttps => "url.not_https",
            FieldCode::InternalAddress => "url.internal",
            FieldCode::MethodRequired => "method.required",
            FieldCode::MethodDeclinedForGood => "method.declined_for_good",
            FieldCode::MethodJustDeclined => "method.just_declined",
            FieldCode::PauseDateInvalid => "resumes_on.invalid",
            FieldCode::PauseTooSoon => "resumes_on.too_soon",
            FieldCode::PauseTooLong => "resumes_on.too_long",
            FieldCode::PauseLimitInvalid => "pause_max_days.invalid",
            FieldCode::RetentionPercentInvalid => "retention_percent.invalid",
            FieldCode::RetentionMonthsInvalid => "retention_months.invalid",
            FieldCode::PriceNotAllowed => "price.not_allowed",
            FieldCode::QuantityNotAllowed => "quantity.not_allowed",
            FieldCode::PlanUnchanged => "price.unchanged",
            FieldCode::QuantityMinInvalid => "quantity_min.invalid",
            FieldCode::QuantityMaxInvalid => "quantity_max.invalid",
            FieldCode::TemplateEmpty => "template.empty",
            FieldCode::TemplateTooLong => "template.too_long",
            FieldCode::Declined(_)
            | FieldCode::TemplateInclude(_)
            | FieldCode::TemplateSyntax(_)
            | FieldCode::TemplateUnknownVariable(..)
            | FieldCode::TemplateRender(_) => return None,
        })
    }
}

/// A refused pause (its resume day, or the merchant's longest pause) as its field code.
impl From<domain::PauseError> for FieldCode {
    fn from(e: domain::PauseError) -> FieldCode {
        match e {
            domain::PauseError::DateInvalid => FieldCode::PauseDateInvalid,
            domain::PauseError::TooSoon => FieldCode::PauseTooSoon,
            domain::PauseError::TooLong => FieldCode::PauseTooLong,
            domain::PauseError::LimitInvalid => FieldCode::PauseLimitInvalid,
        }
    }
}

/// A refused retention offer as its field code.
impl From<domain::RetentionOfferError> for FieldCode {
    fn from(e: domain::RetentionOfferError) -> FieldCode {
        match e {
            domain::RetentionOfferError::Percent => FieldCode::RetentionPercentInvalid,
            domain::RetentionOfferError::Months => FieldCode::RetentionMonthsInvalid,
        }
    }
}

/// A refused quantity range as its field code.
impl From<domain::QuantityRangeError> for FieldCode {
    fn from(e: domain::QuantityRangeError) -> FieldCode {
        match e {
            domain::QuantityRangeError::Min => FieldCode::QuantityMinInvalid,
            domain::QuantityRangeError::Max => FieldCode::QuantityMaxInvalid,
        }
    }
}

/// A refused plan change as its field and code.
impl From<domain::PlanChangeError> for FieldCode {
    fn from(e: domain::PlanChangeError) -> FieldCode {
        match e {
            domain::PlanChangeError::PriceNotAllowed => FieldCode::PriceNotAllowed,
            domain::PlanChangeError::QuantityNotAllowed => FieldCode::QuantityNotAllowed,
            domain::PlanChangeError::NoChange => FieldCode::PlanUnchanged,
            domain::PlanChangeError::Amount => FieldCode::AmountInvalid,
        }
    }
}

/// A refused name (of a price or a customer) as its field code.
impl From<domain::DisplayNameError> for FieldCode {
    fn from(e: domain::DisplayNameError) -> FieldCode {
        match e {
            domain::DisplayNameError::Empty => FieldCode::NameEmpty,
            domain::DisplayNameError::TooLong => FieldCode::NameTooLong,
            domain::DisplayNameError::InvalidCharacter => FieldCode::NameInvalid,
        }
    }
}

impl std::fmt::Display for FieldCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(text) = self.fixed_text() {
            return f.write_str(text);
        }
        match self {
            FieldCode::Declined(code) => write!(f, "decline.{}", code.as_str()),
            FieldCode::TemplateInclude(line) => write!(f, "template.include@{line}"),
            FieldCode::TemplateSyntax(line) => write!(f, "template.syntax@{line}"),
            FieldCode::TemplateRender(line) => write!(f, "template.render@{line}"),
            FieldCode::TemplateUnknownVariable(line, name) => {
                write!(f, "template.unknown_variable@{line}@{name}")
            }
            _ => Ok(()),
        }
    }
}

/// A code that is not one of [`FieldCode`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field code")]
pub struct UnknownFieldCode;

impl std::str::FromStr for FieldCode {
    type Err = UnknownFieldCode;

    fn from_str(s: &str) -> Result<Self, UnknownFieldCode> {
        if let Some(code) = FieldCode::FIXED
            .iter()
            .find(|code| code.fixed_text() == Some(s))
        {
            return Ok(code.clone());
        }
        if let Some(reason) = s.strip_prefix("decline.") {
            return domain::DeclineCode::parse(reason)
                .map(FieldCode::Declined)
                .map_err(|_| UnknownFieldCode);
        }
        let mut parts = s.splitn(3, '@');
        let head = parts.next().unwrap_or_default();
        let line = parts
            .next()
            .and_then(|l| l.parse::<usize>().ok())
            .ok_or(UnknownFieldCode)?;
        match (head, parts.next()) {
            ("template.include", None) => Ok(FieldCode::TemplateInclude(line)),
            ("template.syntax", None) => Ok(FieldCode::TemplateSyntax(line)),
            ("template.render", None) => Ok(FieldCode::TemplateRender(line)),
            ("template.unknown_variable", Some(name)) => {
                Ok(FieldCode::TemplateUnknownVariable(line, name.to_owned()))
            }
            _ => Err(UnknownFieldCode),
        }
    }
}

impl Serialize for FieldCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

/// A field's problem, as a code the page translates (so the message appears in the
/// user's language beside the input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name.
    pub field: String,
    /// Why it was refused.
    pub code: FieldCode,
}

/// Every field error of one submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Adds an error for `field`.
    pub fn push(&mut self, field: &str, code: FieldCode) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
        });
    }

    /// The first error code of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&FieldCode> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.code)
    }

    /// Whether no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else a validation error.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

/// How a request conflicts with the current state. Sent as its snake_case name
/// (`{"Conflict":"stale"}`); each page shows its own message for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// The organization's portal is turned off.
    PortalDisabled,
    /// A sign-in link that is used, expired or unknown.
    LinkRefused,
    /// The default payment method cannot go while a subscription needs it.
    DefaultInUse,
    /// The subscription is not in a state that can be cancelled or resumed.
    NotCancelable,
    /// The settings changed since the form was loaded (another tab, another person).
    Stale,
    /// The portal cannot be turned on before the organization can take payments.
    PaymentsInactive,
    /// There is no portal key to rotate yet.
    NoKey,
    /// An organization exists already: first-run setup is over.
    AlreadySetUp,
    /// The payment gateway did not answer its connection test.
    GatewayTestFailed,
    /// The organization's last owner can be neither removed nor demoted.
    LastOwner,
    /// A price with subscriptions can be archived, never deleted.
    PriceInUse,
    /// An archived customer takes no new subscriptions.
    CustomerArchived,
    /// The invitation was accepted already.
    InvitationUsed,
    /// The invitation's days ran out.
    InvitationExpired,
    /// A payment on it is being made right now; try again in a moment.
    PaymentInProgress,
    /// The import has problems, or has run already.
    ImportNotReady,
    /// The portal does not let customers do what a portal session's flow opens.
    FlowDisabled,
    /// The subscription is canceled: it changes no more.
    SubscriptionEnded,
    /// The organization has as many webhook endpoints as allowed.
    TooManyEndpoints,
    /// The invoice is paid, void or written off: there is nothing to pay.
    InvoiceNotOpen,
}

/// The wire error of every server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input did not parse; each field says why.
    #[error("some fields need attention")]
    Validation(FieldErrors),
    /// The request itself could not be read (not a form, not UTF-8, a nested value), and
    /// no one field is to blame.
    #[error("the request could not be read")]
    BadRequest,
    /// No (valid) session.
    #[error("please sign in")]
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// No such thing, or not yours.
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state; the code says how.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// Too many attempts; try later.
    #[error("too many attempts, try again later")]
    RateLimited,
    /// Something failed on the server; details are in its log.
    #[error("something went wrong on our side")]
    Internal,
}

impl AppError {
    /// A validation error for one field.
    pub fn field(field: &str, code: FieldCode) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, code);
        AppError::Validation(errors)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
        }
    }

    /// The field errors, when this is a validation error.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// Sets the response status to match (server side), then returns the error, so a
    /// direct HTTP call sees 401/403/404/422 rather than a generic 500. Not for a form a
    /// browser posted without JavaScript (it accepts HTML): that one is answered with a
    /// redirect back to its page, the error in the query (`__err`) for the page to show
    /// beside the form, which a 4xx status would turn into a bare JSON page.
    pub fn respond(self) -> Self {
        #[cfg(feature = "ssr")]
        {
            // A page rendered on the server (a GET) keeps its status (404, 403…).
            let form_post = leptos::prelude::use_context::<http::request::Parts>()
                .filter(|p| p.method == http::Method::POST)
                .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
                .and_then(|v| v.to_str().ok().map(|v| v.contains("text/html")))
                .unwrap_or(false);
            if !form_post
                && let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                && let Ok(status) = http::StatusCode::from_u16(self.status())
            {
                res.set_status(status);
            }
        }
        self
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A malformed request is the client's problem, not ours: 400, or 422 naming the
            // field when the decoder names one. It is answered before the function runs, so
            // the status is set here (on the server) rather than by the function's body.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                let error = match named_field(&message) {
                    Some(field) => AppError::field(field, FieldCode::Invalid),
                    None => AppError::BadRequest,
                };
                error.respond()
            }
            _ => AppError::Internal,
        }
    }
}

/// The field a decoder's message names: serde says "missing field `page`", "duplicate
/// field `key`", "unknown field `x`"; axum puts the path before a wrong type ("…target
/// type: name: invalid type: integer `42`…"). Server functions and the `/v1` API both ask.
pub fn named_field(message: &str) -> Option<&str> {
    let field_name =
        |f: &str| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some((_, rest)) = message.split_once("field `")
        && let Some((field, _)) = rest.split_once('`')
        && field_name(field)
    {
        return Some(field);
    }
    let (_, rest) = message.split_once("target type: ")?;
    let (path, _) = rest.split_once(": ")?;
    field_name(path).then_some(path)
}

/// A server-function argument that the function's body parses, so a value that does not
/// parse (`page=abc`, `version=2147483648`) is a field error naming the argument (422)
/// instead of a refusal of the whole request. A client sends the typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg<T>(Result<T, String>);

impl<T> From<T> for Arg<T> {
    fn from(value: T) -> Self {
        Arg(Ok(value))
    }
}

impl<T> Arg<T> {
    /// The parsed value, or a validation error on `field`.
    pub fn parse(self, field: &str) -> Result<T, AppError> {
        self.0
            .map_err(|_| AppError::field(field, FieldCode::Invalid))
    }
}

impl<T: Serialize> Serialize for Arg<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(value) => value.serialize(serializer),
            Err(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de, T: std::str::FromStr> Deserialize<'de> for Arg<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Ok(Arg(raw.trim().parse().map_err(|_| raw)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_round_trip_and_map_to_statuses() {
        let err = AppError::field("email", FieldCode::EmailInvalid);
        assert_eq!(
            err.field_errors().and_then(|f| f.get("email")),
            Some(&FieldCode::EmailInvalid)
        );
        assert!(json_has(&err, "email.invalid"));
        assert_eq!(err.status(), 422);
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::BadRequest.status(), 400);
    }

    #[test]
    fn decoder_messages_name_their_field() {
        assert_eq!(named_field("missing field `page`"), Some("page"));
        assert_eq!(named_field("duplicate field `key`"), Some("key"));
        assert_eq!(named_field("invalid digit found in string"), None);
        assert_eq!(named_field("unknown field `<b>`"), None);
        assert_eq!(
            named_field(
                "Failed to deserialize the JSON body into the target type: name: invalid type: integer `42`"
            ),
            Some("name")
        );
        assert_eq!(named_field("target type: a.b: invalid"), None);
    }

    #[test]
    fn an_arg_keeps_a_bad_value_for_the_body_to_refuse() {
        #[derive(Deserialize)]
        struct Args {
            page: Arg<u32>,
        }
        for bad in ["-1", "abc", "1e9", "99999999999999999999", ""] {
            let args: Args = serde_json::from_value(serde_json::json!({ "page": bad })).unwrap();
            let err = args.page.parse("page").unwrap_err();
            assert_eq!(
                err.field_errors().and_then(|f| f.get("page")),
                Some(&FieldCode::Invalid),
                "{bad}"
            );
        }
        let args: Args = serde_json::from_value(serde_json::json!({ "page": "7" })).unwrap();
        assert_eq!(args.page.parse("page").unwrap(), 7);
        assert_eq!(serde_json::to_string(&Arg::from(7u32)).unwrap(), "7");
    }

    fn json_has(err: &AppError, text: &str) -> bool {
        serde_json::to_string(err).unwrap().contains(text)
    }

    #[test]
    fn every_field_code_reads_back_what_it_writes() {
        let mut codes: Vec<FieldCode> = FieldCode::FIXED.to_vec();
        codes.extend(
            domain::DeclineCode::ALL
                .iter()
                .map(|d| FieldCode::Declined(*d)),
        );
        codes.extend([
            FieldCode::TemplateInclude(2),
            FieldCode::TemplateSyntax(1),
            FieldCode::TemplateRender(7),
            FieldCode::TemplateUnknownVariable(3, "password".into()),
        ]);
        for code in codes {
            let text = code.to_string();
            assert_eq!(text.parse::<FieldCode>(), Ok(code.clone()), "{text}");
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<FieldCode>(&json).unwrap(), code);
        }
        assert_eq!(
            FieldCode::TemplateUnknownVariable(3, "password".into()).to_string(),
            "template.unknown_variable@3@password"
        );
        assert_eq!(
            FieldCode::Declined(domain::DeclineCode::ALL[0]).to_string(),
            format!("decline.{}", domain::DeclineCode::ALL[0].as_str())
        );
    }

    #[test]
    fn an_unknown_field_code_is_refused() {
        for bad in [
            "",
            "email",
            "http.403",
            "decline.nope",
            "template.syntax@x",
            "template.include@1@x",
        ] {
            assert_eq!(bad.parse::<FieldCode>(), Err(UnknownFieldCode), "{bad}");
        }
        assert!(serde_json::from_str::<FieldCode>("\"nope.nope\"").is_err());
    }
}
