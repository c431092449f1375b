//! What the portal's server functions send to the pages. Public ids only, never database keys.
use domain::{
    AttemptOutcome, BillingInterval, DeclineCode, InvoiceStatus, Locale, Money, PaymentMethodKind,
    PortalPermissions, SubscriptionStatus,
};
use serde::{Deserialize, Serialize};

/// Totals in several currencies, as one text: `€29.00 + $5.00`.
pub fn format_amounts(amounts: &[Money], locale: Locale) -> String {
    amounts
        .iter()
        .map(|m| m.format(locale))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A portal's branding and what its customers may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalBrand {
    /// The portal key (from the URL).
    pub key: String,
    /// Shown in the header and the tab title (escaped like any text).
    pub company_name: String,
    /// `#rrggbb` for buttons and links.
    pub primary_color: String,
    /// The readable text colour on `primary_color`.
    pub on_primary_color: String,
    /// `/portal/{key}/logo-{hash}.png`, when there is a logo.
    pub logo_url: Option<String>,
    /// The enabled sections.
    pub permissions: PortalPermissions,
}

/// The shell's data: the brand and, when signed in, who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalShellData {
    /// The branding.
    pub brand: PortalBrand,
    /// `(name, email)` of the signed-in customer.
    pub customer: Option<(String, String)>,
    /// The merchant app's page for "Back to {company}", when its API opened the session.
    pub app_return_url: Option<String>,
}

/// What a sign-in link is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// Unused and unexpired: show "Continue".
    Valid,
    /// Already used; offer a new one. The page names no address: whoever holds an old
    /// link must not learn whose it was.
    Used,
    /// Expired; offer a new one (no address shown, as for [`LinkState::Used`]).
    Expired,
    /// Unknown (or of another portal).
    Invalid,
}

/// A new session, for the server function to put in a cookie.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session token (cookie value only; never logged).
    pub session_token: String,
    /// Cookie lifetime in seconds (the absolute session limit).
    pub max_age_secs: i64,
    /// Where to land (a path inside this portal).
    pub return_to: String,
    /// The customer's saved language.
    pub locale: String,
}

/// One subscription on the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    /// `sub_…`.
    pub id: String,
    /// Plan name.
    pub plan: String,
    /// Price per interval.
    pub price: Money,
    /// How often it renews: every `interval_count` of `interval`.
    pub interval: BillingInterval,
    /// Periods of `interval` per renewal (1 for "/ month").
    pub interval_count: u16,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// Period end (next renewal), `YYYY-MM-DD`.
    pub period_end: String,
    /// Ends at the period end.
    pub cancel_at_period_end: bool,
    /// The day a pause ends, `YYYY-MM-DD`: while paused, or asked for (it begins at the
    /// period end).
    pub pause_resumes: Option<String>,
    /// An accepted retention offer still running.
    pub discount: Option<DiscountView>,
}

/// A discount on a subscription's invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountView {
    /// Percent off.
    pub percent: u8,
    /// Invoices for periods starting before this day, `YYYY-MM-DD`, get it.
    pub until: String,
}

/// A subscription on the cancel page, with the retention offer shown before it is
/// cancelled (once per subscription).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelableView {
    /// The subscription.
    pub subscription: SubscriptionView,
    /// The merchant's offer, when this subscription may still get it.
    pub offer: Option<domain::RetentionOffer>,
}

/// The overview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// Subscriptions, newest first.
    pub subscriptions: Vec<SubscriptionView>,
    /// What is past due, when anything is.
    pub past_due: Vec<Money>,
    /// The invoices owed now, each with "Pay now" (empty when the portal does not let
    /// customers pay).
    pub payable: Vec<DueInvoiceView>,
}

/// One saved payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodView {
    /// `pm_…`.
    pub id: String,
    /// A card or a SEPA mandate.
    pub kind: PaymentMethodKind,
    /// Card brand label (`Visa`), if a card.
    pub brand: Option<String>,
    /// Last four digits.
    pub last4: String,
    /// `MM/YY`, cards only.
    pub expiry: Option<String>,
    /// The default method.
    pub is_default: bool,
    /// Past its expiry (in the organization's time).
    pub is_expired: bool,
}

/// The payment-methods page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethodsView {
    /// Saved methods, default first.
    pub methods: Vec<MethodView>,
    /// What is past due, one total per currency; empty when nothing is (a non-empty
    /// list ticks "make default").
    pub past_due: Vec<Money>,
    /// What the change the page was redirected from saved, once the database confirms it
    /// (a query naming a change that did not happen shows nothing).
    pub notice: Option<Notice>,
    /// The retries of past-due invoices caused by that change (the latest attempt of each
    /// invoice since then, at most 15 minutes back).
    pub recovery: Vec<RecoveryView>,
}

/// How the retry of one past-due invoice ended, as recorded in its payment attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryResult {
    /// Charged: the invoice is paid.
    Paid,
    /// Refused by the bank or the processor.
    Declined,
}

/// The retry of one past-due invoice after a payment-method change, read from the
/// database (never from the page's URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryView {
    /// The invoice's number.
    pub invoice_number: String,
    /// The amount retried.
    pub amount: Money,
    /// How it ended.
    pub result: RecoveryResult,
    /// The bank's reason, when declined.
    pub decline_code: Option<DeclineCode>,
}

/// What a payment-methods change saved: the page says so after the redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// A card was saved.
    CardAdded,
    /// A SEPA mandate was saved.
    SepaAdded,
    /// Another method became the default.
    DefaultSet,
    /// A method was removed.
    Removed,
}

impl Notice {
    /// The value in the page's query string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Notice::CardAdded => "card_added",
            Notice::SepaAdded => "sepa_added",
            Notice::DefaultSet => "default_set",
            Notice::Removed => "removed",
        }
    }

    /// Reads [`Self::as_str`] back; anything else is no notice.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Notice::CardAdded,
            Notice::SepaAdded,
            Notice::DefaultSet,
            Notice::Removed,
        ]
        .into_iter()
        .find(|n| n.as_str() == raw)
    }
}

/// The result of a payment-method change: when it began (so the page can read the
/// retries it caused from the database) and whether a retry is still running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MethodChange {
    /// When the change began, in milliseconds since the Unix epoch (the organization's
    /// clock, which stamps what the change wrote).
    pub since_ms: i64,
    /// A past-due invoice was being collected by another request, or the processor did
    /// not answer: its outcome is not known yet.
    pub pending: bool,
}

/// One payment attempt in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    /// `pay_…`.
    pub id: String,
    /// When it was tried, `YYYY-MM-DD`.
    pub date: String,
    /// The amount tried.
    pub amount: Money,
    /// `Visa •••• 4242`, `SEPA •••• 3000`, or empty when the method was deleted.
    pub method: String,
    /// Whether the charge went through.
    pub outcome: AttemptOutcome,
    /// The bank's reason, when failed.
    pub decline_code: Option<DeclineCode>,
    /// The invoice it paid (its number).
    pub invoice_number: String,
}

/// One page of the payment history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    /// The attempts on this page.
    pub attempts: Vec<AttemptView>,
    /// This page (1-based).
    pub page: u32,
    /// Whether an older page exists.
    pub has_next: bool,
}

/// One invoice in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    /// `inv_…` (the PDF's URL uses it).
    pub id: String,
    /// The invoice number.
    pub number: String,
    /// Issued, `YYYY-MM-DD`.
    pub date: String,
    /// The total.
    pub total: Money,
    /// Where it stands.
    pub status: InvoiceStatus,
    /// Open, and the portal lets customers pay: the row offers "Pay now".
    pub payable: bool,
}

/// One page of invoices, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicesView {
    /// The invoices on this page.
    pub invoices: Vec<InvoiceView>,
    /// This page (1-based).
    pub page: u32,
    /// Whether an older page exists.
    pub has_next: bool,
}

/// How many rows a history or invoices page shows.
pub const PAGE_SIZE: u32 = 20;

pub use domain::CancelReason;

/// What the pause page offers for one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "offer", rename_all = "snake_case")]
pub enum PauseOffer {
    /// A pause from the period end, resuming on a day from `first` to `last`
    /// (`YYYY-MM-DD`), at most `max_days` after it begins.
    Pause {
        first: String,
        last: String,
        max_days: u16,
    },
    /// A pause is asked for and has not begun: withdraw it.
    Withdraw,
    /// Paused: resume now (a new period starts and is charged).
    Resume,
}

/// One subscription on the pause page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PausableView {
    /// The subscription.
    pub subscription: SubscriptionView,
    /// What the customer may do now.
    pub offer: PauseOffer,
}

/// The pause page: the subscriptions the customer may pause, or resume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseView {
    /// Newest first.
    pub subscriptions: Vec<PausableView>,
}

/// The cancel page: the subscriptions the customer may cancel or resume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelView {
    /// Active (or past-due) subscriptions, newest first.
    pub subscriptions: Vec<CancelableView>,
}

/// An invoice the customer owes now, with its "Pay now" (the overview lists them when the
/// portal lets customers pay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueInvoiceView {
    /// `in_…`.
    pub id: String,
    /// The invoice number.
    pub number: String,
    /// What is left to pay.
    pub amount: Money,
}

/// The billing details form's values: the customer's own, as new invoices print them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingDetailsView {
    /// Their name.
    pub name: String,
    /// Where their emails go (changed by the merchant, shown here).
    pub email: String,
    /// `en` or `it`: their emails' and the portal's language.
    pub locale: String,
    /// Lines of the billing address, `\n` between them.
    pub billing_address: String,
    /// VAT number or codice fiscale; empty for none.
    pub tax_id: String,
}

/// The "Pay now" page of one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayView {
    /// The invoice, as it stands now (paid once the charge went through).
    pub invoice: InvoiceView,
    /// The saved methods it can be paid with, default first.
    pub methods: Vec<MethodView>,
    /// The latest charge of this invoice made from the portal since the page's `since`
    /// (at most 15 minutes back), read from the attempts themselves.
    pub last_try: Option<RecoveryView>,
    /// Whether the customer may add a method (the payment-methods page is allowed).
    pub can_add_method: bool,
}

/// What "Pay now" answers: when it began, so the page can read its outcome back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PayStarted {
    /// The organization's time the charge began, in milliseconds since the Unix epoch.
    pub since_ms: i64,
    /// Another request was collecting the invoice, or the processor did not answer: the
    /// outcome is not known yet.
    pub pending: bool,
}

/// A price a subscription may move to on the plan page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceOption {
    /// `price_…`.
    pub id: String,
    /// The plan's name.
    pub name: String,
    /// One unit for one period.
    pub unit: Money,
    /// The subscription's price now.
    pub current: bool,
}

/// A change waiting for the period's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledChangeView {
    /// The plan's name after the change.
    pub plan: String,
    /// Units after the change.
    pub quantity: u32,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub on: String,
}

/// What a change would do, shown before it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChangePreview {
    /// The price asked for, `price_…`.
    pub price: String,
    /// Its plan's name.
    pub plan: String,
    /// Units asked for.
    pub quantity: u32,
    /// A full period after the change.
    pub new_full: Money,
    /// Now (prorated and charged) or at the period's end.
    pub timing: domain::ChangeTiming,
    /// Charged now (zero at the period's end, or during a trial).
    pub due_now: Money,
    /// The unused days of the current plan, credited (zero when none).
    pub credit: Money,
    /// The same days of the new plan.
    pub charge: Money,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub effective: String,
    /// The subscription's price and quantity the preview was made from: a confirmation
    /// after another change is refused (409) rather than applied to other terms.
    pub from_price: String,
    /// See `from_price`.
    pub from_quantity: u32,
}

/// A preview asked for: what it would do, or why it cannot be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PreviewOutcome {
    /// It can be confirmed.
    Ready(PlanChangePreview),
    /// Refused, beside `field` (`price` or `quantity`).
    Refused {
        /// The form's field.
        field: String,
        /// Why.
        code: crate::error::FieldCode,
    },
}

/// One subscription on the plan page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeableView {
    /// The subscription.
    pub subscription: SubscriptionView,
    /// Units now.
    pub quantity: u32,
    /// The prices it may move to, the current one first.
    pub options: Vec<PriceOption>,
    /// The quantities the customer may choose (none: the quantity stays).
    pub quantity_range: Option<domain::QuantityRange>,
    /// A change waiting for the period's end.
    pub scheduled: Option<ScheduledChangeView>,
    /// The preview asked for on this subscription.
    pub preview: Option<PreviewOutcome>,
}

/// The plan page: the subscriptions whose plan the customer may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChangeView {
    /// Newest first.
    pub subscriptions: Vec<ChangeableView>,
}

/// How a confirmed change went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanChangeOutcome {
    /// Changed now; the difference was paid (or nothing was due).
    Changed,
    /// Changed now; the difference was not paid: its invoice is open, with "Pay now".
    ChangedUnpaid,
    /// Changed now; the charge's outcome is not known yet.
    ChangedPending,
    /// It takes effect at the period's end.
    Scheduled,
}
