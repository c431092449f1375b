//! The witness of a signed-in staff member, made only by the session check, and the
//! typed input of the console's operations.
use super::ConsoleError;
use domain::{CompanyName, HexColor, StaffRole};

/// Proof that the request carries a valid staff session: only `ConsoleService`'s `authenticate`
/// makes one, and every console method demands it. Mutations call [`AdminActor::require_change`] (the service does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminActor {
    staff_id: i64,
    org_id: i64,
    role: StaffRole,
}

impl AdminActor {
    /// For the service's session check only, after checking a session.
    pub(crate) fn authenticated(staff_id: i64, org_id: i64, role: StaffRole) -> Self {
        Self {
            staff_id,
            org_id,
            role,
        }
    }

    /// The staff member (database key; never sent to the browser).
    pub fn staff_id(&self) -> i64 {
        self.staff_id
    }

    /// Their organization (database key).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }

    /// Their role.
    pub fn role(&self) -> StaffRole {
        self.role
    }

    /// `Forbidden` for viewers.
    pub fn require_change(&self) -> Result<(), ConsoleError> {
        if self.role.can_change_settings() {
            Ok(())
        } else {
            Err(ConsoleError::Forbidden)
        }
    }

    /// `Forbidden` unless owner.
    pub fn require_rotate(&self) -> Result<(), ConsoleError> {
        if self.role.can_rotate_portal_key() {
            Ok(())
        } else {
            Err(ConsoleError::Forbidden)
        }
    }
}

/// A branding change, parsed.
#[derive(Debug, Clone)]
pub struct BrandingChange {
    /// Header and tab title.
    pub company_name: CompanyName,
    /// Buttons and links.
    pub primary_color: HexColor,
}
