//! Dunwell's rules as pure functions and parsed types. No I/O, no framework.
//!
//! Everything here compiles for `wasm32-unknown-unknown` as well, so the browser's live
//! validation and the server's final check run the very same parsers. Callers inject the
//! things this crate must not reach for itself: the current time (`now`) and random bytes.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod string_enum;

pub mod abuse;
pub mod api;
pub mod billing;
pub mod cancellation;
pub mod card;
pub mod catalog;
pub mod color;
pub mod company_name;
pub mod customer;
pub mod display_name;
pub mod email;
pub mod events;
pub mod iban;
pub mod ids;
pub mod import;
pub mod locale;
pub mod magic_link;
pub mod money;
pub mod organization;
pub mod pause;
pub mod permissions;
pub mod plan_change;
pub mod portal_key;
pub mod portal_session;
pub mod retention;
pub mod role;
pub mod team;
#[cfg(test)]
mod test_time;
pub mod webhooks;

pub use abuse::{
    FailedSignInBudget, PaymentMethodActivity, PaymentMethodLimits, PaymentMethodRefusal,
};
pub use api::{
    API_KEY_PREFIX, ApiKeySecretError, Bucket, IdempotencyKey, IdempotencyKeyError,
    IdempotencySeen, PageLimit, PageLimitError, RequestRate, check_api_key_secret,
    idempotency_seen,
};
pub use billing::dunning::{
    AfterFailure, DunningAction, DunningPolicy, DunningPolicyError, DunningState, FinalAction,
    after_failure, next_action, next_attempt_at, schedule,
};
pub use billing::invoice::{
    InvalidInvoicePrefix, InvoiceLine, InvoiceNumber, InvoiceTotals, invoice_prefix_from_slug,
    parse_invoice_prefix,
};
pub use billing::pay_now::{
    PAY_NOW_COOLDOWN, PayNowAttempt, PayNowRefusal, check_pay_now, scheduled_failures,
};
pub use billing::proration::{Proration, ProrationError, prorate};
pub use billing::{
    AttemptOutcome, BillingInterval, CancelChoice, ClockDays, DeclineCode, InvoiceStatus,
    PaymentMethodKind, PaymentTrigger, SubscriptionStatus, cancel_choice,
};
pub use cancellation::{
    CancelComment, CancelCommentError, CancelReason, ReasonMonth, tally_reasons,
};
pub use card::{
    CardBrand, CardNumber, CardNumberError, CardholderName, CardholderNameError, Cvc, CvcError,
    ExpiryDate, ExpiryError,
};
pub use catalog::{
    MAX_PRICE_MAJOR, PriceAmountError, Quantity, Recurrence, RecurrenceError, SubscriptionStart,
    TrialDays, parse_price_amount, price_amount_from_minor,
};
pub use color::{
    ContrastCheck, HexColor, HexColorError, MIN_TEXT_CONTRAST, check_text_contrast, contrast_ratio,
};
pub use company_name::{CompanyName, CompanyNameError};
pub use customer::{BillingAddress, BillingAddressError, VatNumber, VatNumberError, eu_vat_format};
pub use display_name::{DisplayName, DisplayNameError};
pub use email::{EmailAddress, EmailError};
pub use events::EventKind;
pub use iban::{Iban, IbanError};
pub use ids::{
    ApiKeyId, CustomerId, EmailId, EventId, IdError, ImportId, InvoiceId, OrganizationId,
    PaymentAttemptId, PaymentMethodId, PlanId, SubscriptionId, WebhookDeliveryId,
    WebhookEndpointId,
};
pub use import::{
    ExternalId, HeaderProblem, ImportColumn, ImportHeader, ImportKind, ImportStatus,
    MAX_IMPORT_BYTES, detect_delimiter, parse_next_billing_date,
};
pub use locale::{Locale, LocaleError};
pub use magic_link::{
    MAGIC_LINK_TTL_MINUTES, MagicLinkError, ReturnTo, SessionPolicy, check_magic_link,
    magic_link_expires_at,
};
pub use money::{Currency, Money, MoneyError, sum_by_currency};
pub use organization::{
    CountryCode, CountryCodeError, NewPassword, OrgSlug, OrgSlugError, PasswordError,
};
pub use pause::{
    PauseChoice, PauseError, PauseLimit, pause_choice, period_billed, resume_on, resume_window,
};
pub use permissions::{PortalPermission, PortalPermissions};
pub use plan_change::{
    ChangeTiming, PlanChange, PlanChangeError, PlanChoice, PriceTerms, QuantityRange,
    QuantityRangeError, plan_change,
};
pub use portal_key::{PortalKey, PortalKeyError};
pub use portal_session::{
    AppReturnUrl, AppReturnUrlError, PORTAL_SESSION_TTL_MINUTES, PortalFlow,
    portal_session_expires_at,
};
pub use retention::{
    Discount, RetentionOffer, RetentionOfferError, discount_line, offer_for, percent_off,
};
pub use role::StaffRole;
pub use string_enum::ParseEnumError;
pub use team::{
    INVITATION_TTL_DAYS, InvitationRefusal, TeamChange, TeamRefusal, check_invitation,
    check_team_change, invitation_expires,
};
pub use webhooks::{
    DeliveryStatus, EventFilter, EventFilterError, WEBHOOK_DISABLE_AFTER_DAYS,
    WEBHOOK_MAX_ENDPOINTS, WEBHOOK_RESPONSE_KEEP_BYTES, WEBHOOK_TIMEOUT_SECS, WebhookUrl,
    WebhookUrlError, is_internal_address, webhook_delivered, webhook_endpoint_exhausted,
    webhook_retry_delay,
};
