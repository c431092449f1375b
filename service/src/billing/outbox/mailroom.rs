//! An organization's email set-up, read once: company name, portal links and its own
//! templates. A billing run loads it once per organization and renders every email of the
//! run from it; each (kind, locale) template is checked and compiled at its first use.

use super::NewEmail;
use crate::billing::error::BillingError;
use crate::billing::templates::{
    self, CompiledTemplate, EmailKind, RenderedEmail, TemplateError, TemplateVars,
};
use crate::entity::{customer, email_template, organization, portal_settings};
use domain::Locale;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// The templates of one (kind, locale).
struct Slot {
    /// The organization's own template, when it has one that compiles.
    custom: Option<CompiledTemplate>,
    /// The default, the fallback when the custom one fails.
    default: &'static Result<CompiledTemplate, TemplateError>,
}

/// The default template of every (kind, locale), compiled once per process: most
/// organizations keep the defaults, and each new subscription renders one.
fn default_compiled(
    kind: EmailKind,
    locale: Locale,
) -> &'static Result<CompiledTemplate, TemplateError> {
    type Compiled = HashMap<(EmailKind, Locale), Result<CompiledTemplate, TemplateError>>;
    static DEFAULTS: LazyLock<Compiled> = LazyLock::new(|| {
        EmailKind::ALL
            .into_iter()
            .flat_map(|kind| {
                Locale::ALL.map(|locale| {
                    let (subject, body) = templates::default_template(kind, locale);
                    let compiled = CompiledTemplate::compile(kind, locale, subject, body);
                    ((kind, locale), compiled)
                })
            })
            .collect()
    });
    // Every (kind, locale) is in the map: this is not reached.
    static MISSING: Result<CompiledTemplate, TemplateError> =
        Err(TemplateError::Render(String::new()));
    DEFAULTS.get(&(kind, locale)).unwrap_or(&MISSING)
}

/// What the outbox needs to render an organization's customer emails.
pub(crate) struct Mailroom {
    org_id: i64,
    company_name: String,
    portal_link: String,
    update_link: String,
    /// The organization's own (subject, body) per (kind, locale).
    sources: HashMap<(EmailKind, Locale), (String, String)>,
    slots: HashMap<(EmailKind, Locale), OnceLock<Slot>>,
}

impl Mailroom {
    /// Reads the organization's portal settings and email templates.
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        public_url: &str,
        org: &organization::Model,
    ) -> Result<Mailroom, BillingError> {
        let settings = portal_settings::Entity::find()
            .filter(portal_settings::Column::OrganizationId.eq(org.id))
            .one(db)
            .await?;
        let company_name = settings
            .as_ref()
            .map_or_else(|| org.name.clone(), |s| s.company_name.clone());
        // Without a portal key there is no portal to link to yet: point at the site itself,
        // which is still better than a dead link. Enabling the portal creates the key.
        let (portal_link, update_link) =
            match settings.as_ref().and_then(|s| s.portal_key.as_deref()) {
                Some(key) => (
                    templates::customer_portal_link(public_url, key),
                    templates::update_payment_method_link(public_url, key),
                ),
                None => (public_url.to_owned(), public_url.to_owned()),
            };
        let sources = email_template::Entity::find()
            .filter(email_template::Column::OrganizationId.eq(org.id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|t| {
                let kind = EmailKind::parse(&t.kind)?;
                let locale = Locale::parse(&t.locale).ok()?;
                Some(((kind, locale), (t.subject, t.body)))
            })
            .collect();
        let slots = EmailKind::ALL
            .into_iter()
            .flat_map(|kind| Locale::ALL.map(|locale| ((kind, locale), OnceLock::new())))
            .collect();
        Ok(Mailroom {
            org_id: org.id,
            company_name,
            portal_link,
            update_link,
            sources,
            slots,
        })
    }

    fn slot(&self, kind: EmailKind, locale: Locale) -> Option<&Slot> {
        let cell = self.slots.get(&(kind, locale))?;
        Some(cell.get_or_init(|| {
            let custom = self
                .sources
                .get(&(kind, locale))
                .and_then(|(subject, body)| {
                    CompiledTemplate::compile(kind, locale, subject, body)
                        .map_err(|err| {
                            // A broken merchant template must not stop billing.
                            tracing::warn!(org = self.org_id, kind = kind.as_str(), error = %err, "custom email template failed; using the default");
                        })
                        .ok()
                });
            Slot {
                custom,
                default: default_compiled(kind, locale),
            }
        }))
    }

    fn render(
        &self,
        kind: EmailKind,
        locale: Locale,
        vars: &TemplateVars,
    ) -> Result<RenderedEmail, TemplateError> {
        let Some(slot) = self.slot(kind, locale) else {
            let (subject, body) = templates::default_template(kind, locale);
            return templates::render_template(kind, locale, subject, body, vars);
        };
        if let Some(custom) = &slot.custom {
            match custom.render(vars) {
                Ok(rendered) => return Ok(rendered),
                Err(err) => {
                    tracing::warn!(org = self.org_id, kind = kind.as_str(), error = %err, "custom email template failed; using the default");
                }
            }
        }
        slot.default.as_ref().map_err(Clone::clone)?.render(vars)
    }

    /// Renders `kind` for `customer` in the customer's language. Adds the common variables
    /// (customer and company name, portal links) to `extra`.
    pub(crate) fn email(
        &self,
        customer: &customer::Model,
        kind: EmailKind,
        mut extra: TemplateVars,
    ) -> Result<NewEmail, BillingError> {
        let locale = Locale::parse(&customer.locale).unwrap_or_default();
        extra.insert("customer_name".into(), customer.name.clone());
        extra.insert("company_name".into(), self.company_name.clone());
        extra.insert("customer_portal_link".into(), self.portal_link.clone());
        extra.insert(
            "update_payment_method_link".into(),
            self.update_link.clone(),
        );
        let rendered = self.render(kind, locale, &extra)?;
        Ok(NewEmail {
            organization_id: Some(self.org_id),
            customer_id: Some(customer.id),
            to: customer.email.clone(),
            kind,
            locale,
            rendered,
            magic_link_id: None,
        })
    }
}
