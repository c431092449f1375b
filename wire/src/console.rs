//! What the console's server functions send to the browser.
use serde::{Deserialize, Serialize};

/// The signed-in staff member, for the layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// Their email address.
    pub email: String,
    /// Their role.
    pub role: domain::StaffRole,
    /// May change settings (owner, admin).
    pub can_change: bool,
    /// May rotate the portal key (owner).
    pub can_rotate: bool,
    /// The organization's name.
    pub org_name: String,
    /// Demo mode: the Outbox and Test clock pages exist.
    pub demo: bool,
}

/// A freshly opened staff session (server side only: the token goes into a cookie).
#[derive(Clone, PartialEq, Eq)]
pub struct StaffSignedIn {
    /// The session token for the cookie.
    pub token: String,
    /// Cookie lifetime.
    pub max_age_secs: i64,
    /// `Secure` cookie (the public URL is https).
    pub secure: bool,
}

/// The current logo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoView {
    /// Its content-hash URL (console copy).
    pub url: String,
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
    /// Bytes.
    pub bytes: u32,
    /// Whether it has an alpha channel.
    pub transparent: bool,
}

impl LogoView {
    /// The guide recommends about 200×50 with transparency.
    pub fn matches_recommendation(&self) -> bool {
        (150..=300).contains(&self.width) && (30..=80).contains(&self.height) && self.transparent
    }
}

/// The Customer Portal settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSettingsView {
    /// The portal is on.
    pub enabled: bool,
    /// The organization's Payments module is active (required to enable).
    pub payments_active: bool,
    /// The full portal URL, once a key exists.
    pub portal_url: Option<String>,
    /// Shown in the portal header and browser tab.
    pub company_name: String,
    /// `#rrggbb`.
    pub primary_color: String,
    /// The logo, if any.
    pub logo: Option<LogoView>,
    /// Customers may add/remove payment methods.
    pub perm_update_payment_methods: bool,
    /// Customers may see payment history.
    pub perm_view_payment_history: bool,
    /// Customers may download invoices.
    pub perm_download_invoices: bool,
    /// Customers may cancel.
    pub perm_cancel_subscription: bool,
    /// Customers may pay open invoices now.
    pub perm_pay_invoices: bool,
    /// Customers may change their own billing details.
    pub perm_update_billing_details: bool,
    /// Customers may pause their subscriptions.
    pub perm_pause_subscription: bool,
    /// The longest pause, in days.
    pub pause_max_days: u16,
    /// The discount shown once to a customer about to cancel, if any.
    pub retention_offer: Option<domain::RetentionOffer>,
    /// Customers may change their plan.
    pub perm_change_plan: bool,
    /// The organization's active prices, each ticked when customers may switch to it.
    pub switch_prices: Vec<SwitchPrice>,
    /// The quantities customers may choose (none: the quantity stays).
    pub quantity_range: Option<domain::QuantityRange>,
    /// Optimistic-concurrency version; forms send it back.
    pub version: i32,
}

/// An active price on the permissions form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchPrice {
    /// `price_…`.
    pub id: String,
    /// The plan's name.
    pub name: String,
    /// One unit for one period.
    pub unit: domain::Money,
    /// Its period.
    pub interval: domain::BillingInterval,
    /// Intervals per period.
    pub interval_count: u16,
    /// Customers may switch to it.
    pub listed: bool,
}

/// The organization's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// Everyone, owners first, then by email.
    pub members: Vec<MemberRow>,
    /// Invitations not yet accepted nor expired, newest first.
    pub invitations: Vec<InvitationRow>,
    /// The signed-in staff member may change the team (owners).
    pub can_manage: bool,
}

/// An invitation waiting to be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    /// Who was invited.
    pub email: String,
    /// The role they will have.
    pub role: domain::StaffRole,
    /// The last day it works, `YYYY-MM-DD`.
    pub expires: String,
}

/// What the invitation page shows the invited person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    /// The organization's name.
    pub organization: String,
    /// Their sign-in email.
    pub email: String,
    /// Their role once they join.
    pub role: domain::StaffRole,
}

/// One staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Their sign-in (it identifies them in forms).
    pub email: String,
    /// Their role.
    pub role: domain::StaffRole,
    /// This is the signed-in staff member.
    pub is_you: bool,
    /// When they joined, `YYYY-MM-DD`.
    pub since: String,
}

/// The organization's Payments settings (the guide's "Payments module").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSettingsView {
    /// A gateway is connected and passed its test: the Customer Portal may be enabled.
    pub payments_active: bool,
    /// The connected gateway, if any.
    pub gateway: Option<Gateway>,
    /// What new prices default to.
    pub default_currency: domain::Currency,
    /// Retry days after the first failure, e.g. `3,5,7`.
    pub retry_days: String,
    /// What happens after the last failed retry.
    pub final_action: domain::FinalAction,
    /// Card-expiry reminders are sent.
    pub expiry_reminders: bool,
    /// The legal name on invoices; empty for the organization's name.
    pub legal_name: String,
    /// The business address on invoices.
    pub business_address: String,
    /// The business's VAT number; empty for none.
    pub vat_number: String,
    /// Printed at the foot of every invoice.
    pub invoice_footer: String,
    /// The invoice number prefix staff set; empty for [`Self::default_invoice_prefix`].
    pub invoice_prefix: String,
    /// The prefix derived from the slug.
    pub default_invoice_prefix: String,
    /// The signed-in staff member may change these (owner, admin).
    pub can_change: bool,
}

/// A payment gateway Dunwell can connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gateway {
    /// Dunwell's built-in sandbox: test mode only, no real money.
    Sandbox,
}

/// One row of the customers list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// `cus_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Email on file.
    pub email: String,
    /// Worst subscription status (`past_due` before `active`); none without a subscription.
    pub status: Option<domain::SubscriptionStatus>,
}

/// A page of customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    /// This page.
    pub rows: Vec<CustomerRow>,
    /// 1-based page.
    pub page: u64,
    /// Number of pages.
    pub pages: u64,
    /// Matching customers.
    pub total: u64,
}

/// A line in a customer's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    /// Identifier or label (invoice number, plan, card).
    pub label: String,
    /// Status.
    pub status: String,
    /// Amount, formatted.
    pub amount: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Where to download it (invoices: the staff PDF route).
    #[serde(default)]
    pub pdf_url: Option<String>,
}

/// One of a customer's subscriptions, with what staff may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRow {
    /// `sub_…`.
    pub id: String,
    /// The price's name, with the quantity when above one (`Pro × 3`).
    pub label: String,
    /// Where it stands.
    pub status: domain::SubscriptionStatus,
    /// Per period, formatted (`€29.00 / month`).
    pub amount: String,
    /// When the current period (or the trial) ends, `YYYY-MM-DD`.
    pub period_end: String,
    /// When its trial ends, if it has one that has not.
    pub trial_end: Option<String>,
    /// Set to end with its period.
    pub cancel_at_period_end: bool,
    /// The reason the customer gave when they last cancelled (kept after a resume).
    pub cancel_reason: Option<domain::CancelReason>,
    /// Their words, if any.
    pub cancel_comment: Option<String>,
}

/// A price a new subscription may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceChoice {
    /// `plan_…`.
    pub id: String,
    /// `Pro — €29.00 / month`.
    pub label: String,
    /// Its trial days (the form's default).
    pub trial_days: u16,
}

/// A customer's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetail {
    /// `cus_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Email on file.
    pub email: String,
    /// The language of their emails and portal.
    pub locale: domain::Locale,
    /// Printed on invoices, one line per `\n`; empty for none.
    pub billing_address: String,
    /// VAT number, when given.
    pub tax_id: Option<String>,
    /// Archived: no new subscriptions.
    pub archived: bool,
    /// Subscriptions, newest first.
    pub subscriptions: Vec<SubscriptionRow>,
    /// The active prices a new subscription may take.
    pub price_choices: Vec<PriceChoice>,
    /// Invoices.
    pub invoices: Vec<HistoryRow>,
    /// Payment attempts.
    pub payments: Vec<HistoryRow>,
    /// Masked payment methods (`Visa •••• 4242, 04/27`).
    pub methods: Vec<HistoryRow>,
    /// The portal URL, when a key exists.
    pub portal_url: Option<String>,
}

/// One day of the recovery chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Succeeded attempts after a payment-method update (minor units).
    pub recovered_minor: i64,
    /// Failed attempts (minor units).
    pub failed_minor: i64,
}

/// The Overview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// Active subscriptions.
    pub active_subscriptions: u64,
    /// Monthly recurring revenue, formatted.
    pub mrr: String,
    /// Open past-due invoices.
    pub past_due_count: u64,
    /// Their amount, formatted.
    pub past_due_amount: String,
    /// Recovered through the portal in the last 30 days, formatted.
    pub recovered_30d: String,
    /// Per day, last 30 days.
    pub chart: Vec<ChartDay>,
    /// Customers' cancellation reasons per month, the last six months, oldest first.
    pub reasons: Vec<ReasonMonthView>,
}

/// One month of the cancellation-reasons chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonMonthView {
    /// `YYYY-MM`.
    pub month: String,
    /// One count per reason, in `domain::CancelReason::ALL`'s order.
    pub counts: Vec<u32>,
}

/// An audit log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// When (`YYYY-MM-DD HH:MM UTC`).
    pub at: String,
    /// Who (staff email).
    pub actor: String,
    /// What (`portal.branding`, …).
    pub action: String,
    /// Details (what changed).
    pub details: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPage {
    /// The rows of this page.
    pub rows: Vec<AuditRow>,
    /// This page, from 1 (a page past the end shows the last).
    pub page: u64,
    /// Number of pages (at least 1).
    pub pages: u64,
    /// Events in all.
    pub total: u64,
}

/// A notification template in the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    /// `invoice_created`, …
    pub kind: String,
    /// `en` / `it`.
    pub locale: String,
    /// Subject source.
    pub subject: String,
    /// Body source.
    pub body: String,
    /// Variables this kind offers.
    pub variables: Vec<String>,
    /// Emails of this kind ask the customer to act: the body should carry the portal link.
    pub needs_portal_link: bool,
    /// The organization changed it (Reset to default applies).
    pub custom: bool,
    /// Every kind, for the picker.
    pub kinds: Vec<String>,
    /// The portal is off: links lead to an unavailable page.
    pub portal_enabled: bool,
    /// The saved template rendered with sample data (`None` if it no longer renders).
    pub preview: Option<TemplatePreview>,
}

/// A rendered preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePreview {
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// A kind that should carry `{{customer_portal_link}}` lacks it.
    pub missing_portal_link: bool,
}

/// An email in the outbox (demo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    /// When queued.
    pub at: String,
    /// Recipient.
    pub to: String,
    /// Kind.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Subject.
    pub subject: String,
    /// Text body.
    pub text: String,
}

/// Where staff download a customer's invoice as a PDF (a plain GET route in `server`,
/// behind the staff session).
pub fn invoice_pdf_href(customer: &str, invoice: &str) -> String {
    format!("/admin/customers/{customer}/invoices/{invoice}.pdf")
}

/// The catalog: the organization's prices, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    /// Every price, active and archived.
    pub prices: Vec<PriceRow>,
    /// The currency a new price starts in (Settings → Payments).
    pub default_currency: domain::Currency,
    /// The signed-in staff member may change the catalog (owner, admin).
    pub can_change: bool,
}

/// One price in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRow {
    /// `plan_…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The amount charged per period.
    pub amount: domain::Money,
    /// Week, month or year.
    pub interval: domain::BillingInterval,
    /// Intervals per period.
    pub interval_count: u16,
    /// Free days before a new subscription's first charge.
    pub trial_days: u16,
    /// Archived: no new subscriptions; existing ones bill on.
    pub archived: bool,
    /// Subscriptions on it, in any status: when any, it can be archived, not deleted.
    pub subscriptions: u64,
}

/// Why a line of an import file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportCode {
    /// The value of the named column is refused as the form would refuse it.
    Field(crate::error::FieldCode),
    /// The header lacks this required column.
    ColumnMissing,
    /// The header has a column this kind of file does not.
    ColumnUnknown,
    /// The header names a column twice.
    ColumnRepeated,
    /// The line has more values than the header has columns.
    TooManyValues,
    /// The line is not UTF-8 or not CSV (an unclosed quote, say).
    Unreadable,
    /// Not 1 to 100 characters without control characters.
    ExternalIdInvalid,
    /// An earlier line of the file has the same value.
    Duplicate,
    /// No customer of the organization has this `external_id` or email.
    CustomerUnknown,
    /// The customer is archived: they take no new subscriptions.
    CustomerArchived,
    /// Not a date (`YYYY-MM-DD`) from today to a year ahead.
    BillingDateInvalid,
    /// The file has no data lines.
    Empty,
    /// The file is larger than the import reads.
    TooLarge,
}

/// One problem of an import file: its line (1 is the header), the column, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The line, counting from 1 (the header).
    pub line: u64,
    /// The column's name, when the problem is one value's.
    pub column: Option<String>,
    /// Why.
    pub code: ImportCode,
}

/// An import as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    /// `imp_…`.
    pub id: domain::ImportId,
    /// What the file holds.
    pub kind: domain::ImportKind,
    /// The uploaded file's name.
    pub file_name: String,
    /// Where it stands.
    pub status: domain::ImportStatus,
    /// Data rows in the file.
    pub rows: u64,
    /// Rows that will be (or were) created.
    pub new_rows: u64,
    /// Rows already imported before, left as they are.
    pub existing_rows: u64,
    /// Rows written so far.
    pub done_rows: u64,
    /// The problems, in file order (at most [`MAX_IMPORT_PROBLEMS`]).
    pub problems: Vec<ImportProblem>,
    /// Problems beyond those listed.
    pub more_problems: u64,
    /// When it was uploaded, `YYYY-MM-DD HH:MM` UTC.
    pub created: String,
}

/// The imports page: the latest imports, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportList {
    /// Up to ten, without their problems.
    pub recent: Vec<ImportView>,
}

/// The most problems an import keeps and shows; the rest are counted.
pub const MAX_IMPORT_PROBLEMS: usize = 1000;

/// One API key of the organization, as Settings → API keys lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    /// `key_…`: the handle to revoke it by (not the secret).
    pub id: domain::ApiKeyId,
    /// What the merchant called it.
    pub name: String,
    /// `dw_sk_…x9Qz`: the secret's prefix and last four characters.
    pub hint: String,
    /// Who made it (their email), if they are still on the team.
    pub created_by: Option<String>,
    /// `YYYY-MM-DD HH:MM` UTC.
    pub created: String,
    /// `YYYY-MM-DD HH:MM` UTC of its last request (to the minute), if any.
    pub last_used: Option<String>,
    /// `YYYY-MM-DD HH:MM` UTC when it was revoked, if it was.
    pub revoked: Option<String>,
}

/// Settings → API keys: the organization's keys, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyList {
    /// Live keys first, then revoked ones.
    pub keys: Vec<ApiKeyRow>,
    /// The key made by the request just before, shown this once (the console carries it
    /// from the form's answer to this page; the service never fills it).
    pub fresh: Option<NewApiKey>,
}

/// A key just made: the only time its secret leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    /// `key_…`.
    pub id: domain::ApiKeyId,
    /// `dw_sk_…`: shown once, stored only as a hash.
    pub secret: String,
}

/// Settings → Webhooks: one endpoint as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointRow {
    /// `we_…`.
    pub id: domain::WebhookEndpointId,
    pub url: String,
    pub description: String,
    /// The event types it hears; empty: all.
    pub events: Vec<String>,
    pub enabled: bool,
    /// Switched off after days of failures (not by a person).
    pub disabled_for_failures: bool,
    /// Since when every try has failed (UTC, minutes).
    pub failing_since: Option<String>,
    pub created: String,
}

/// Settings → Webhooks: the organization's endpoints and the event types to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointList {
    pub endpoints: Vec<WebhookEndpointRow>,
    /// Every event type, in order.
    pub event_types: Vec<String>,
    /// The secret of the endpoint just made or rotated, shown this once (the console carries
    /// it from the form's answer; the service only confirms it).
    pub fresh: Option<FreshWebhookSecret>,
    /// Whether `http://` and internal addresses are accepted (tests only).
    pub allow_insecure: bool,
}

/// A signing secret just made: shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshWebhookSecret {
    pub id: domain::WebhookEndpointId,
    /// `whsec_…`.
    pub secret: String,
}

/// One try of one delivery, in an endpoint's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookAttemptRow {
    /// `whd_…`: the delivery it tried (what a replay names).
    pub delivery: domain::WebhookDeliveryId,
    /// `evt_…`.
    pub event: domain::EventId,
    pub event_type: String,
    /// UTC, to the second.
    pub at: String,
    /// `None`: no answer (timeout, refused, closed).
    pub status_code: Option<u16>,
    pub duration_ms: i64,
    pub error: Option<String>,
    pub succeeded: bool,
    /// Where the delivery now stands: `pending`, `succeeded` or `failed`.
    pub delivery_status: domain::DeliveryStatus,
}

/// An endpoint's delivery log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLog {
    pub endpoint: WebhookEndpointRow,
    pub attempts: Vec<WebhookAttemptRow>,
    /// Deliveries waiting for a try, and deliveries given up.
    pub pending: u64,
    pub failed: u64,
}

/// Settings → API keys → reference: `/v1` as `/v1/openapi.json` describes it, in the shape
/// the page shows (the server derives it from the same document).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReference {
    /// The operations, by area (`customers`, `prices`, …), in the document's order.
    pub groups: Vec<ApiGroup>,
    /// The objects the operations take and return, by name.
    pub schemas: Vec<ApiSchema>,
}

/// The operations of one area of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiGroup {
    /// The document's tag: `customers`, `portal_sessions`, …
    pub tag: String,
    /// What the area is for.
    pub description: String,
    /// Its operations.
    pub operations: Vec<ApiOperation>,
}

/// One operation: `POST /v1/customers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiOperation {
    /// Its `operationId`, unique: the page's anchor.
    pub id: String,
    /// `GET` or `POST`.
    pub method: String,
    /// `/v1/customers/{id}`.
    pub path: String,
    /// One line.
    pub summary: String,
    /// The parameters of the path, query and headers.
    pub parameters: Vec<ApiField>,
    /// The schema the body follows, if it takes one.
    pub request: Option<String>,
    /// The schema a success answers with (`Customer`, `List_Customer`), or its media type.
    pub response: String,
}

/// A parameter or an object's property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiField {
    /// Its name.
    pub name: String,
    /// `path`, `query` or `header` for a parameter; empty for a property.
    pub location: String,
    /// Its type as the document gives it (`string`, `integer`, `Customer`, `string | null`).
    pub kind: String,
    /// Whether it must be given (a parameter) or is always there (a property).
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// An object of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSchema {
    /// `Customer`, `ErrorBody`, …
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its properties; empty for an enumeration or a union.
    pub fields: Vec<ApiField>,
    /// An enumeration's values or a union's variants, when it is one.
    pub variants: Vec<String>,
}
