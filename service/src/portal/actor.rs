//! The witness of a signed-in customer, made only by the session check, and the typed
//! input of the portal's operations.
use super::PortalError;
use domain::{
    CancelComment, CancelReason, CardNumber, CardholderName, Cvc, ExpiryDate, Iban,
    PortalPermission, PortalPermissions,
};
use wire::error::{FieldCode, FieldErrors};

/// Proof that the request carries a valid customer session of this portal: only
/// `PortalService`'s `authenticate` makes one, and every customer-data method demands it.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalCustomer {
    org_id: i64,
    customer_id: i64,
    permissions: PortalPermissions,
    name: String,
    email: String,
    app_return_url: Option<String>,
}

/// Without the name and email: a witness may end up in a log line.
impl std::fmt::Debug for PortalCustomer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalCustomer")
            .field("org_id", &self.org_id)
            .field("customer_id", &self.customer_id)
            .field("permissions", &self.permissions)
            .finish_non_exhaustive()
    }
}

impl PortalCustomer {
    /// For the service's session check only, after checking a session.
    pub(crate) fn authenticated(
        org_id: i64,
        customer_id: i64,
        permissions: PortalPermissions,
        name: String,
        email: String,
        app_return_url: Option<String>,
    ) -> Self {
        Self {
            org_id,
            customer_id,
            permissions,
            name,
            email,
            app_return_url,
        }
    }

    /// The merchant app's page the header links back to, when the merchant's app opened this
    /// session (`POST /v1/portal_sessions` with a `return_url`).
    pub fn app_return_url(&self) -> Option<&str> {
        self.app_return_url.as_deref()
    }

    /// The customer's name and email as the session was checked, for the header.
    pub fn who(&self) -> (&str, &str) {
        (&self.name, &self.email)
    }

    /// The organization (database key; never sent to the browser).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }

    /// The customer (database key; never sent to the browser).
    pub fn customer_id(&self) -> i64 {
        self.customer_id
    }

    /// What the organization lets its customers do, as of this request.
    pub fn permissions(&self) -> PortalPermissions {
        self.permissions
    }

    /// `Forbidden` unless the organization grants `permission`.
    pub fn require(&self, permission: PortalPermission) -> Result<(), PortalError> {
        if self.permissions.contains(permission) {
            Ok(())
        } else {
            Err(PortalError::Forbidden)
        }
    }
}

/// The add-card form as posted: raw strings. The number and CVC live only for this request.
#[derive(Clone, Copy)]
pub struct CardForm<'a> {
    /// The number as typed (spaces allowed).
    pub number: &'a str,
    /// `MM/YY`.
    pub expiry: &'a str,
    /// 3 or 4 digits; checked, never kept.
    pub cvc: &'a str,
    /// The name on the card.
    pub holder: &'a str,
    /// The "make default" box was ticked.
    pub make_default: bool,
}

/// A card as the customer typed it, parsed. The number and CVC live only for this request.
pub struct NewCard {
    /// The parsed number (Luhn-checked).
    pub number: CardNumber,
    /// Month and year.
    pub expiry: ExpiryDate,
    /// The name on the card.
    pub holder: CardholderName,
    /// Whether to make it the default (and retry past-due invoices on it).
    pub make_default: bool,
}

/// Parses the form with `domain`'s rules, naming each field that fails.
impl TryFrom<CardForm<'_>> for NewCard {
    type Error = FieldErrors;

    fn try_from(form: CardForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let number = CardNumber::parse(form.number)
            .map_err(|_| errors.push("number", FieldCode::CardInvalid))
            .ok();
        let expiry = ExpiryDate::parse(form.expiry)
            .map_err(|_| errors.push("expiry", FieldCode::ExpiryInvalid))
            .ok();
        if Cvc::parse(form.cvc).is_err() {
            errors.push("cvc", FieldCode::CvcInvalid);
        }
        let holder = CardholderName::parse(form.holder)
            .map_err(|_| errors.push("holder", FieldCode::HolderInvalid))
            .ok();
        match (number, expiry, holder, errors.is_empty()) {
            (Some(number), Some(expiry), Some(holder), true) => Ok(NewCard {
                number,
                expiry,
                holder,
                make_default: form.make_default,
            }),
            _ => Err(errors),
        }
    }
}

/// The SEPA form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct SepaForm<'a> {
    /// The IBAN as typed (spaces allowed).
    pub iban: &'a str,
    /// The account holder.
    pub holder: &'a str,
    /// The mandate box was ticked.
    pub mandate_accepted: bool,
    /// The "make default" box was ticked.
    pub make_default: bool,
}

/// A SEPA direct-debit mandate, parsed and accepted.
pub struct NewSepa {
    /// The checked IBAN.
    pub iban: Iban,
    /// The account holder.
    pub holder: CardholderName,
    /// Whether to make it the default (and retry past-due invoices on it).
    pub make_default: bool,
}

/// Parses the form with `domain`'s rules; the mandate must be accepted.
impl TryFrom<SepaForm<'_>> for NewSepa {
    type Error = FieldErrors;

    fn try_from(form: SepaForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let iban = Iban::parse(form.iban)
            .map_err(|_| errors.push("iban", FieldCode::IbanInvalid))
            .ok();
        let holder = CardholderName::parse(form.holder)
            .map_err(|_| errors.push("sepa_holder", FieldCode::HolderInvalid))
            .ok();
        if !form.mandate_accepted {
            errors.push("mandate", FieldCode::MandateRequired);
        }
        match (iban, holder, errors.is_empty()) {
            (Some(iban), Some(holder), true) => Ok(NewSepa {
                iban,
                holder,
                make_default: form.make_default,
            }),
            _ => Err(errors),
        }
    }
}

/// The cancellation form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct CancelForm<'a> {
    /// The chosen reason's code.
    pub reason: &'a str,
    /// What was typed as a comment, if anything.
    pub comment: Option<&'a str>,
}

/// A cancellation, parsed: a known reason and an optional comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    /// Why.
    pub reason: CancelReason,
    /// The customer's own words, trimmed; `None` when blank.
    pub comment: Option<CancelComment>,
}

/// Parses the form with `domain`'s rules, naming each field that fails.
impl TryFrom<CancelForm<'_>> for Cancellation {
    type Error = FieldErrors;

    fn try_from(form: CancelForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = CancelReason::parse(form.reason)
            .map_err(|_| errors.push("reason", FieldCode::ReasonRequired))
            .ok();
        let comment = CancelComment::parse(form.comment.unwrap_or_default())
            .map_err(|_| errors.push("comment", FieldCode::CommentTooLong))
            .ok();
        match (reason, comment) {
            (Some(reason), Some(comment)) => Ok(Cancellation { reason, comment }),
            _ => Err(errors),
        }
    }
}
