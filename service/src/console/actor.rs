//! The witness of a signed-in staff member, made only by the session check, and the
//! typed input of the console's operations.
use super::ConsoleError;
use domain::{CompanyName, CompanyNameError, HexColor, StaffRole};
use wire::error::{FieldCode, FieldErrors};

/// Proof that the request carries a valid staff session: only `ConsoleService`'s `authenticate`
/// makes one, and every console method demands it; the service checks the role of each
/// change ([`AdminActor::require_change`]).
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

    /// `Forbidden` unless owner: the team is the owners' to change.
    pub fn require_owner(&self) -> Result<(), ConsoleError> {
        if self.role == StaffRole::Owner {
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

/// The field code of a refused company name.
pub(crate) fn company_name_code(error: CompanyNameError) -> FieldCode {
    match error {
        CompanyNameError::Empty => FieldCode::CompanyNameEmpty,
        CompanyNameError::TooLong { .. } => FieldCode::CompanyNameTooLong,
        CompanyNameError::InvalidCharacter => FieldCode::CompanyNameInvalid,
        CompanyNameError::Markup => FieldCode::CompanyNameMarkup,
    }
}

/// The field code of a refused new password.
pub(crate) fn password_code(error: domain::PasswordError) -> FieldCode {
    match error {
        domain::PasswordError::TooShort => FieldCode::PasswordTooShort,
        domain::PasswordError::TooLong => FieldCode::PasswordTooLong,
        domain::PasswordError::Guessable => FieldCode::PasswordGuessable,
    }
}

/// The branding form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct BrandingForm<'a> {
    /// What was typed as the company name.
    pub company_name: &'a str,
    /// What the colour picker or the text box gave.
    pub primary_color: &'a str,
}

/// Parses the form with `domain`'s rules, naming each field that fails.
impl TryFrom<BrandingForm<'_>> for BrandingChange {
    type Error = FieldErrors;

    fn try_from(form: BrandingForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let company_name = CompanyName::parse(form.company_name)
            .map_err(|e| errors.push("company_name", company_name_code(e)))
            .ok();
        let primary_color = HexColor::parse(form.primary_color)
            .map_err(|_| errors.push("primary_color", FieldCode::ColorInvalid))
            .ok();
        match (company_name, primary_color) {
            (Some(company_name), Some(primary_color)) => Ok(BrandingChange {
                company_name,
                primary_color,
            }),
            _ => Err(errors),
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
