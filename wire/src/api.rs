//! The merchant API's (`/v1`) objects, requests and its one error object, after Stripe's
//! conventions: prefixed ids, an `object` name on every object, Unix-second timestamps,
//! cursor-paginated lists, and `{"error":{"type","code","message","param"}}`.
use domain::{CustomerId, EventId, InvoiceId, PaymentMethodId, PlanId, SubscriptionId};
use serde::{Deserialize, Serialize};

/// What an object is, sent as its `object` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A [`Customer`].
    Customer,
    /// A [`Price`].
    Price,
    /// A [`Subscription`].
    Subscription,
    /// A [`List`].
    List,
    /// A [`PortalSession`].
    PortalSession,
    /// An [`Invoice`].
    Invoice,
    /// A [`PaymentMethod`].
    PaymentMethod,
    /// An [`Event`].
    Event,
    /// [`PortalSettings`].
    PortalSettings,
}

/// A customer of the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    /// `cus_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CustomerId,
    /// Always `customer`.
    pub object: ObjectKind,
    /// Lower-cased; unique in the organization.
    pub email: String,
    /// Their name.
    pub name: String,
    /// `en` or `it`: the language of their emails and portal.
    pub locale: String,
    /// Lines of the billing address, `\n`-separated; may be empty.
    pub billing_address: String,
    /// Their VAT number, if any.
    pub tax_id: Option<String>,
    /// The key a CSV import gave them, if any.
    pub external_id: Option<String>,
    /// Archived customers keep their history; no new subscription starts for them.
    pub archived: bool,
    /// When they were created, Unix seconds.
    pub created: i64,
}

/// One page of a list, newest first; `has_more` says whether a next page exists (ask for it
/// with `starting_after` = the last object's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    /// Always `list`.
    pub object: ObjectKind,
    /// The objects of this page.
    pub data: Vec<T>,
    /// Whether objects follow the last one of this page.
    pub has_more: bool,
}

/// `POST /v1/customers`. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerCreate {
    /// Their email; must be new in the organization.
    pub email: String,
    /// Their name.
    pub name: String,
    /// `en` (the default) or `it`.
    #[serde(default)]
    pub locale: Option<String>,
    /// Lines of the billing address.
    #[serde(default)]
    pub billing_address: Option<String>,
    /// A VAT number.
    #[serde(default)]
    pub tax_id: Option<String>,
}

/// `POST /v1/customers/{id}`: the fields given change, the others stay. Unknown fields are
/// refused; an empty `tax_id` removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerUpdate {
    /// A new email, new in the organization.
    #[serde(default)]
    pub email: Option<String>,
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// `en` or `it`.
    #[serde(default)]
    pub locale: Option<String>,
    /// New lines of the billing address.
    #[serde(default)]
    pub billing_address: Option<String>,
    /// A new VAT number; empty removes it.
    #[serde(default)]
    pub tax_id: Option<String>,
}

/// How often a price bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Recurring {
    /// `week`, `month` or `year`.
    pub interval: String,
    /// Intervals per period: 1 up to a year's worth.
    pub interval_count: u16,
}

/// A price of the catalog: what a subscription pays each period. Never repriced: a new
/// amount is a new price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Price {
    /// `plan_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: PlanId,
    /// Always `price`.
    pub object: ObjectKind,
    /// What customers see ("Pro monthly").
    pub name: String,
    /// Per period and unit, in minor units of `currency`.
    pub unit_amount: i64,
    /// ISO 4217, upper case (`EUR`).
    pub currency: String,
    /// How often it bills.
    pub recurring: Recurring,
    /// Free days before a new subscription's first charge.
    pub trial_days: u16,
    /// Archived prices take no new subscriptions; their subscriptions bill on.
    pub archived: bool,
    /// Unix seconds.
    pub created: i64,
}

/// `POST /v1/prices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceCreate {
    /// What customers see.
    pub name: String,
    /// Minor units, above zero.
    pub unit_amount: i64,
    /// ISO 4217 (`EUR`, `eur`).
    pub currency: String,
    /// How often it bills; `interval_count` defaults to 1.
    pub recurring: RecurringCreate,
    /// Free days (0 to 730); none by default.
    #[serde(default)]
    pub trial_days: Option<u16>,
}

/// The recurrence of a new price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecurringCreate {
    /// `week`, `month` or `year`.
    pub interval: String,
    /// Intervals per period; 1 by default.
    #[serde(default)]
    pub interval_count: Option<u16>,
}

/// A customer's subscription to a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    /// `sub_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: SubscriptionId,
    /// Always `subscription`.
    pub object: ObjectKind,
    /// Whose.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer: CustomerId,
    /// What it pays.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub price: PlanId,
    /// `active`, `past_due`, `unpaid`, `incomplete` (its first invoice waits for a payment
    /// method), `paused` (no invoice until `pause_resumes_at`) or `canceled`.
    pub status: String,
    /// Units of the price billed each period.
    pub quantity: u32,
    /// Unix seconds.
    pub current_period_start: i64,
    /// Unix seconds: the next invoice, or the end when `cancel_at_period_end`, or the
    /// pause's start when `pause_resumes_at` is set while `active` (while `paused`: the end
    /// of the last period paid).
    pub current_period_end: i64,
    /// Unix seconds: when a pause the customer asked for ends (the next period starts and
    /// is invoiced then).
    pub pause_resumes_at: Option<i64>,
    /// An accepted retention offer: the percent off invoices whose period starts before
    /// `discount_ends_at`.
    pub discount_percent: Option<u8>,
    /// Unix seconds: periods starting from then pay the full price.
    pub discount_ends_at: Option<i64>,
    /// A change the customer scheduled for the period's end (a downgrade in the portal):
    /// the price the next period bills.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub scheduled_price: Option<PlanId>,
    /// The quantity the next period bills, with `scheduled_price`.
    pub scheduled_quantity: Option<u32>,
    /// Whether it ends with the current period.
    pub cancel_at_period_end: bool,
    /// When it was canceled, Unix seconds.
    pub canceled_at: Option<i64>,
    /// When its free trial ends, Unix seconds.
    pub trial_end: Option<i64>,
    /// The key a CSV import gave it, if any.
    pub external_id: Option<String>,
    /// Unix seconds.
    pub created: i64,
}

/// `POST /v1/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionCreate {
    /// `cus_…`.
    pub customer: String,
    /// `plan_…`: an active price.
    pub price: String,
    /// Units, 1 by default.
    #[serde(default)]
    pub quantity: Option<u32>,
    /// Free days; the price's own by default.
    #[serde(default)]
    pub trial_days: Option<u16>,
    /// `YYYY-MM-DD` in the organization's time zone, today (the default) to a year ahead.
    #[serde(default)]
    pub start: Option<String>,
}

/// `POST /v1/subscriptions/{id}`: the fields given change from the next renewal on (the
/// current period was invoiced on the old terms; no proration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionUpdate {
    /// Another active price (`plan_…`) in the same currency.
    #[serde(default)]
    pub price: Option<String>,
    /// Units, 1 to 10,000.
    #[serde(default)]
    pub quantity: Option<u32>,
}

/// `POST /v1/subscriptions/{id}/cancel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionCancel {
    /// End with the current period (`true`) or at once (`false`, the default).
    #[serde(default)]
    pub at_period_end: bool,
}

/// `POST /v1/portal_sessions`: a one-time URL that signs the customer into their portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PortalSessionCreate {
    /// `cus_…`.
    pub customer: String,
    /// The app's page for the portal header's "Back to {company}" link (http or https).
    #[serde(default)]
    pub return_url: Option<String>,
    /// One action to open instead of the overview.
    #[serde(default)]
    pub flow: Option<PortalFlowBody>,
    /// `en` or `it`; the customer's own language by default.
    #[serde(default)]
    pub locale: Option<String>,
}

/// The action a portal session opens, by its `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PortalFlowBody {
    /// The payment-methods page.
    PaymentMethodUpdate,
    /// The cancel page of one subscription.
    SubscriptionCancel {
        /// `sub_…`, the customer's.
        subscription: String,
    },
    /// The invoices page.
    InvoiceHistory,
}

/// An organization's customer portal settings, as `portal_settings.updated` carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalSettings {
    /// Always `portal_settings`.
    pub object: ObjectKind,
    /// `org_…`.
    pub organization: String,
    /// Whether customers can sign in.
    pub enabled: bool,
    /// The name and colour the portal shows.
    pub company_name: String,
    pub primary_color: String,
    pub has_logo: bool,
    /// What customers may do.
    pub permissions: PortalPermissionsBody,
    /// The longest pause customers may ask for, in days.
    pub pause_max_days: u16,
    /// Unix seconds.
    pub updated: i64,
}

/// The portal's permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalPermissionsBody {
    pub update_payment_methods: bool,
    pub view_payment_history: bool,
    pub download_invoices: bool,
    pub cancel_subscription: bool,
    pub pay_invoices: bool,
    pub update_billing_details: bool,
    pub pause_subscription: bool,
    pub change_plan: bool,
}

/// A portal session: its URL works once, for five minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalSession {
    /// Always `portal_session`.
    pub object: ObjectKind,
    /// Whose.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer: CustomerId,
    /// Send the customer's browser here (a redirect): it signs them in, once.
    pub url: String,
    /// The app's page for "Back to {company}", if given.
    pub return_url: Option<String>,
    /// The action it opens, if one.
    pub flow: Option<PortalFlowBody>,
    /// The portal language it opens in: the one asked for, else the customer's.
    pub locale: String,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds: the URL is refused from then on.
    pub expires_at: i64,
}

/// An invoice: what a period cost and how its collection stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    /// `inv_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: InvoiceId,
    /// Always `invoice`.
    pub object: ObjectKind,
    /// Whose.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer: CustomerId,
    /// The subscription it bills, if one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub subscription: Option<SubscriptionId>,
    /// Its number, unique in the organization (`ACME-0042`).
    pub number: String,
    /// `open`, `paid`, `void` or `uncollectible`.
    pub status: String,
    /// ISO 4217, upper case.
    pub currency: String,
    /// Before tax, minor units.
    pub subtotal: i64,
    /// Minor units.
    pub total: i64,
    /// Paid so far, minor units.
    pub amount_paid: i64,
    /// Still to pay, minor units.
    pub amount_due: i64,
    /// Charges tried.
    pub attempt_count: u32,
    /// The next automatic retry, Unix seconds, when one is scheduled.
    pub next_payment_attempt: Option<i64>,
    /// Unix seconds.
    pub period_start: i64,
    /// Unix seconds.
    pub period_end: i64,
    /// Unix seconds.
    pub paid_at: Option<i64>,
    /// Unix seconds.
    pub created: i64,
    /// The PDF (same key): `GET` this path.
    pub invoice_pdf: String,
    /// What it bills.
    pub lines: Vec<InvoiceLine>,
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    /// What it is ("Pro monthly").
    pub description: String,
    /// Units.
    pub quantity: u32,
    /// Per unit, minor units.
    pub unit_amount: i64,
    /// Minor units.
    pub amount: i64,
}

/// A saved card or SEPA mandate. Never more of a card than its brand, last four digits and
/// expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMethod {
    /// `pm_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: PaymentMethodId,
    /// Always `payment_method`.
    pub object: ObjectKind,
    /// Whose.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer: CustomerId,
    /// `card` or `sepa_debit`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The card, for `card`.
    pub card: Option<CardDetails>,
    /// The mandate's account, for `sepa_debit`.
    pub sepa_debit: Option<SepaDetails>,
    /// Whether renewals charge it.
    pub default: bool,
    /// Unix seconds.
    pub created: i64,
}

/// What is kept of a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardDetails {
    /// `visa`, `mastercard`, … when known.
    pub brand: Option<String>,
    /// The last four digits.
    pub last4: String,
    /// 1 to 12.
    pub exp_month: Option<u32>,
    /// Four digits.
    pub exp_year: Option<u32>,
}

/// What is kept of a SEPA mandate's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SepaDetails {
    /// The IBAN's last four characters.
    pub last4: String,
}

/// A state change: what changed and the object right after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// `evt_…`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: EventId,
    /// Always `event`.
    pub object: ObjectKind,
    /// `customer.created`, `subscription.canceled`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Unix seconds.
    pub created: i64,
    /// The changed object.
    pub data: EventData,
}

/// The object an [`Event`] is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventData {
    /// As the API showed it right after the change (a customer, a subscription, …).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub object: serde_json::Value,
}

/// The kind of an API error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// The request is wrong: a field, the body, an id that is not there (400, 404, 409, 422).
    InvalidRequestError,
    /// No key, or not a live one (401).
    AuthenticationError,
    /// The key may not do this (403).
    PermissionError,
    /// Too many requests (429).
    RateLimitError,
    /// Something failed on Dunwell's side (500).
    ApiError,
}

/// The one error object of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What kind of error.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A stable code: `resource_missing`, `api_key_invalid`, `email.taken`, …
    pub code: String,
    /// For a person reading the log, in English.
    pub message: String,
    /// The field to blame, if one is.
    pub param: Option<String>,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ApiError,
}
