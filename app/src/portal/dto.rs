//! What the portal's server functions send to the pages. Public ids only, never database keys.
use domain::{Currency, Locale, Money, PortalPermissions};
use serde::{Deserialize, Serialize};

/// An amount on the wire: minor units and an ISO currency code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyDto {
    /// Minor units (cents).
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
}

impl MoneyDto {
    /// From domain money.
    pub fn from_money(m: Money) -> Self {
        MoneyDto {
            minor: m.amount_minor,
            currency: m.currency.code().to_owned(),
        }
    }

    /// Formatted for `locale` (`€29.00` / `29,00 €`); unknown currencies show the code.
    pub fn format(&self, locale: Locale) -> String {
        match Currency::parse(&self.currency) {
            Ok(c) => Money::new(self.minor, c).format(locale),
            Err(_) => format!("{} {}", self.minor, self.currency),
        }
    }
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
}

/// What a sign-in link is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// Unused and unexpired: show "Continue".
    Valid,
    /// Already used; offer a new one for this email.
    Used(String),
    /// Expired; offer a new one for this email.
    Expired(String),
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
    pub price: MoneyDto,
    /// `month` / `year`.
    pub interval: String,
    /// `active`, `past_due`, `canceled`, `unpaid`.
    pub status: String,
    /// Period end (next renewal), `YYYY-MM-DD`.
    pub period_end: String,
    /// Ends at the period end.
    pub cancel_at_period_end: bool,
}

/// The overview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// Subscriptions, newest first.
    pub subscriptions: Vec<SubscriptionView>,
    /// What is past due, when anything is.
    pub past_due: Option<MoneyDto>,
}

/// One saved payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodView {
    /// `pm_…`.
    pub id: String,
    /// `card` or `sepa_debit`.
    pub kind: String,
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
    /// What is past due, when anything is (ticks "make default").
    pub past_due: Option<MoneyDto>,
}

/// The retry of one past-due invoice after a default change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryView {
    /// The amount retried.
    pub amount: MoneyDto,
    /// `paid`, `declined` or `pending`.
    pub result: String,
    /// The decline code, when declined.
    pub decline_code: Option<String>,
}

/// The result of a payment-method change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MethodChange {
    /// One entry per past-due invoice retried.
    pub recovery: Vec<RecoveryView>,
}
