//! The witness of a signed-in customer, made only by the session check, and the typed
//! input of the portal's operations.
use super::PortalError;
use domain::{CardNumber, ExpiryDate, PortalPermission, PortalPermissions};

/// Proof that the request carries a valid customer session of this portal: only
/// `PortalService`'s `authenticate` makes one, and every customer-data method demands it.
#[derive(Clone, PartialEq, Eq)]
pub struct PortalCustomer {
    org_id: i64,
    customer_id: i64,
    permissions: PortalPermissions,
    name: String,
    email: String,
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
    ) -> Self {
        Self {
            org_id,
            customer_id,
            permissions,
            name,
            email,
        }
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

/// A card as the customer typed it, parsed. The number and CVC live only for this request.
pub struct NewCard {
    /// The parsed number (Luhn-checked).
    pub number: CardNumber,
    /// Month and year.
    pub expiry: ExpiryDate,
    /// The name on the card.
    pub holder: String,
    /// Whether to make it the default (and retry past-due invoices on it).
    pub make_default: bool,
}
