//! First run: the first merchant creates their organization and its owner from an empty
//! database, through a one-time address (`/setup?token=…`) that `dunwell serve` prints, or
//! with `dunwell init`. Both run [`ConsoleService::create_first_organization`].
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::entity::{organization, setup_token};
use crate::orgs;
use crate::secret::Token;
use domain::{CompanyName, CountryCode, Currency, EmailAddress, NewPassword, OrgSlug, StaffRole};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use wire::console::StaffSignedIn;
use wire::error::{FieldCode, FieldErrors};

/// The setup form as posted: raw strings.
#[derive(Debug, Clone, Copy)]
pub struct SetupForm<'a> {
    /// The business's name.
    pub org_name: &'a str,
    /// The slug (`acme`).
    pub slug: &'a str,
    /// ISO 4217 code.
    pub currency: &'a str,
    /// ISO 3166-1 alpha-2 code.
    pub country: &'a str,
    /// The owner's email.
    pub owner_email: &'a str,
    /// The owner's password.
    pub password: &'a str,
}

/// A first organization and its owner, parsed.
#[derive(Debug, Clone)]
pub struct FirstOrganization {
    /// The business's name.
    pub name: CompanyName,
    /// The slug.
    pub slug: OrgSlug,
    /// What new prices default to.
    pub currency: Currency,
    /// Where the business is.
    pub country: CountryCode,
    /// The owner's sign-in.
    pub owner_email: EmailAddress,
    /// The owner's password, checked by the strength rule.
    pub password: NewPassword,
}

/// Parses the form with `domain`'s rules, naming each field that fails.
impl TryFrom<SetupForm<'_>> for FirstOrganization {
    type Error = FieldErrors;

    fn try_from(form: SetupForm<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = CompanyName::parse(form.org_name)
            .map_err(|e| errors.push("org_name", super::actor::company_name_code(e)))
            .ok();
        let slug = OrgSlug::parse(form.slug)
            .map_err(|_| errors.push("slug", FieldCode::SlugInvalid))
            .ok();
        let currency = Currency::parse(form.currency)
            .map_err(|_| errors.push("currency", FieldCode::CurrencyInvalid))
            .ok();
        let country = CountryCode::parse(form.country)
            .map_err(|_| errors.push("country", FieldCode::CountryInvalid))
            .ok();
        let owner_email = EmailAddress::parse(form.owner_email)
            .map_err(|_| errors.push("owner_email", FieldCode::EmailInvalid))
            .ok();
        let password = NewPassword::parse(form.password, form.owner_email)
            .map_err(|e| errors.push("password", super::actor::password_code(e)))
            .ok();
        match (name, slug, currency, country, owner_email, password) {
            (
                Some(name),
                Some(slug),
                Some(currency),
                Some(country),
                Some(owner_email),
                Some(password),
            ) => Ok(FirstOrganization {
                name,
                slug,
                currency,
                country,
                owner_email,
                password,
            }),
            _ => Err(errors),
        }
    }
}

/// How the first organization is being made: through the setup address (with its
/// token, used up by the creation) or from the command line on the server itself.
#[derive(Debug, Clone, Copy)]
pub enum SetupAuthority<'a> {
    /// The token of `/setup?token=…`.
    Token(&'a str),
    /// `dunwell init`, run by whoever runs the server.
    Cli,
}

impl ConsoleService {
    /// When no organization exists yet, a new one-time setup token (older ones stop
    /// working); `None` once one does.
    pub async fn open_setup(&self) -> Result<Option<String>, ConsoleError> {
        let txn = crate::db::begin_write(&self.db).await?;
        if organization::Entity::find().count(&txn).await? > 0 {
            return Ok(None);
        }
        setup_token::Entity::delete_many().exec(&txn).await?;
        let token = Token::generate();
        setup_token::ActiveModel {
            token_hash: Set(token.hash().as_str().to_owned()),
            created_at: Set(self.now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(Some(token.expose().to_owned()))
    }

    /// Whether `token` may still create the first organization; `NotFound` once it is
    /// used, replaced, or an organization exists.
    pub async fn check_setup_token(&self, token: &str) -> Result<(), ConsoleError> {
        let hash = Token::from_client(token).hash();
        let known = setup_token::Entity::find()
            .filter(setup_token::Column::TokenHash.eq(hash.as_str()))
            .count(&self.db)
            .await?;
        let orgs = organization::Entity::find().count(&self.db).await?;
        if known == 1 && orgs == 0 {
            Ok(())
        } else {
            Err(ConsoleError::NotFound)
        }
    }

    /// Creates the first organization and its owner, in one transaction that also uses up
    /// the setup token (so two tabs, or two processes, make one organization), audits it
    /// and opens the owner's session.
    pub async fn create_first_organization(
        &self,
        authority: SetupAuthority<'_>,
        first: FirstOrganization,
    ) -> Result<StaffSignedIn, ConsoleError> {
        let password_hash = self
            .hasher
            .hash(first.password.expose())
            .await
            .map_err(ConsoleError::Internal)?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        if let SetupAuthority::Token(token) = authority {
            let hash = Token::from_client(token).hash();
            let used = setup_token::Entity::delete_many()
                .filter(setup_token::Column::TokenHash.eq(hash.as_str()))
                .exec(&txn)
                .await?;
            if used.rows_affected != 1 {
                return Err(ConsoleError::NotFound);
            }
        }
        if organization::Entity::find().count(&txn).await? > 0 {
            return Err(match authority {
                SetupAuthority::Token(_) => ConsoleError::NotFound,
                SetupAuthority::Cli => ConsoleError::Conflict(wire::error::Conflict::AlreadySetUp),
            });
        }
        setup_token::Entity::delete_many().exec(&txn).await?;
        let profile = orgs::Profile {
            slug: first.slug.as_str(),
            name: first.name.as_str(),
            currency: first.currency,
            country: first.country.as_str(),
        };
        let org = orgs::create_with(&txn, profile, false, now).await?;
        let owner = crate::staff::insert(
            &txn,
            org.id,
            &first.owner_email,
            password_hash,
            StaffRole::Owner,
            now,
        )
        .await?;
        let actor = AdminActor::authenticated(owner.id, org.id, StaffRole::Owner, &owner.email);
        let how = match authority {
            SetupAuthority::Token(_) => "the setup page",
            SetupAuthority::Cli => "dunwell init",
        };
        let details = format!(
            "{} ({}, {}, {}) by {how}",
            first.slug.as_str(),
            first.name.as_str(),
            first.currency.code(),
            first.country.as_str()
        );
        audit::record(&txn, &actor, "organization.created", details, now).await?;
        let signed_in = self.open_session(&txn, owner.id, now).await?;
        txn.commit().await?;
        tracing::info!(org = first.slug.as_str(), "first organization created");
        Ok(signed_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(password: &'a str, slug: &'a str) -> SetupForm<'a> {
        SetupForm {
            org_name: "Rossi Software",
            slug,
            currency: "eur",
            country: "it",
            owner_email: "anna@rossi.example",
            password,
        }
    }

    #[test]
    fn a_good_form_parses_to_typed_values() {
        let first = FirstOrganization::try_from(form("correct-horse-battery", "Rossi")).unwrap();
        assert_eq!(first.slug.as_str(), "rossi");
        assert_eq!(first.currency, Currency::Eur);
        assert_eq!(first.country.as_str(), "IT");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = SetupForm {
            org_name: "",
            slug: "-",
            currency: "EURO",
            country: "XX",
            owner_email: "not-an-email",
            password: "short",
        };
        let errors = FirstOrganization::try_from(bad).unwrap_err();
        for (field, code) in [
            ("org_name", FieldCode::CompanyNameEmpty),
            ("slug", FieldCode::SlugInvalid),
            ("currency", FieldCode::CurrencyInvalid),
            ("country", FieldCode::CountryInvalid),
            ("owner_email", FieldCode::EmailInvalid),
            ("password", FieldCode::PasswordTooShort),
        ] {
            assert_eq!(errors.get(field), Some(&code), "{field}");
        }
    }

    #[test]
    fn a_password_with_the_email_in_it_is_guessable() {
        let errors = FirstOrganization::try_from(form("anna-is-the-owner-1", "rossi")).unwrap_err();
        assert_eq!(errors.get("password"), Some(&FieldCode::PasswordGuessable));
    }
}
