//! The witness of a signed-in staff member, made only by the session check, and the
//! typed input of the console's operations.
use super::ConsoleError;
use domain::{CompanyName, CompanyNameError, HexColor, StaffRole};
use wire::error::{FieldCode, FieldErrors};

/// Proof that the request carries a valid staff session or a live API key: only
/// `ConsoleService`'s `authenticate` and `authenticate_api_key` make one, and every console
/// method and every `/v1` route demands it; the service checks the role of each change
/// ([`AdminActor::require_change`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminActor {
    principal: Principal,
    org_id: i64,
    role: StaffRole,
    /// How the audit log names them: the staff member's email, or the key's name and id.
    audit_name: String,
}

/// Who acts: a staff member signed in to the console, or a merchant's app with an API key
/// (the house style's `ApiCaller`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// A staff member (database key).
    Staff(i64),
    /// An API key (database key); it acts with the admin role.
    ApiKey(i64),
}

impl AdminActor {
    /// For the service's session check only, after checking a session.
    pub(crate) fn authenticated(staff_id: i64, org_id: i64, role: StaffRole, email: &str) -> Self {
        Self {
            principal: Principal::Staff(staff_id),
            org_id,
            role,
            audit_name: email.to_owned(),
        }
    }

    /// For the service's API key check only, after checking a key: an app's key may do
    /// what an admin may, never what only an owner may.
    pub(crate) fn api_key(key: &crate::entity::api_key::Model) -> Self {
        Self {
            principal: Principal::ApiKey(key.id),
            org_id: key.organization_id,
            role: StaffRole::Admin,
            audit_name: format!("API key {} ({})", key.name, key.public_id),
        }
    }

    /// Who acts.
    pub fn principal(&self) -> Principal {
        self.principal
    }

    /// The staff member (database key; never sent to the browser), or `Forbidden` for an
    /// API key: what only a person can do (their password, invitations they send) stays so.
    pub fn staff_id(&self) -> Result<i64, ConsoleError> {
        match self.principal {
            Principal::Staff(id) => Ok(id),
            Principal::ApiKey(_) => Err(ConsoleError::Forbidden),
        }
    }

    /// Whether this is the staff member with database key `id`.
    pub fn is_staff(&self, id: i64) -> bool {
        self.principal == Principal::Staff(id)
    }

    /// Their organization (database key).
    pub fn org_id(&self) -> i64 {
        self.org_id
    }

    /// Their role.
    pub fn role(&self) -> StaffRole {
        self.role
    }

    /// How the audit log names them, as they were when the request was authenticated.
    pub fn audit_name(&self) -> &str {
        &self.audit_name
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
