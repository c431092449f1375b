//! Settings → Notifications: the organization's email templates per kind and language.
//! A template is checked before it is saved: syntax, known variables, no includes, and a
//! trial render with sample data under the engine's fuel limit (endless loops stop there).
use super::{ConsoleError, ConsoleService, audit, settings};
use crate::billing::outbox::{NewEmail, queue_email};
use crate::billing::templates::{
    EmailKind, RenderedEmail, TemplateError, check_template, default_template, render_template,
    sample_vars,
};
use crate::console::AdminActor;
use crate::entity::{email_template, staff_user};
use domain::Locale;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use wire::console::{TemplatePreview, TemplateView};
use wire::error::{FieldCode, FieldErrors};

fn parse_kind(kind: &str) -> Result<EmailKind, ConsoleError> {
    EmailKind::parse(kind).ok_or(ConsoleError::NotFound)
}

async fn custom(
    db: &impl ConnectionTrait,
    org_id: i64,
    kind: EmailKind,
    locale: Locale,
) -> Result<Option<email_template::Model>, ConsoleError> {
    Ok(email_template::Entity::find()
        .filter(email_template::Column::OrganizationId.eq(org_id))
        .filter(email_template::Column::Kind.eq(kind.as_str()))
        .filter(email_template::Column::Locale.eq(locale.as_str()))
        .one(db)
        .await?)
}

/// The 1-based line of the first statement that loads another template.
fn include_line(source: &str) -> Option<usize> {
    source
        .lines()
        .position(|line| {
            line.split("{%").skip(1).any(|stmt| {
                let word = stmt.trim_start_matches(['-', '+']).trim_start();
                ["include", "import", "extends", "from "]
                    .iter()
                    .any(|w| word.starts_with(w))
            })
        })
        .map(|i| i + 1)
}

fn line_of(source: &str, needle: &str) -> usize {
    source
        .lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

/// The line minijinja reports for a failed render of `source`, if any.
fn render_error_line(source: &str, vars: &crate::billing::TemplateVars) -> Option<usize> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_fuel(Some(20_000));
    env.render_str(source, vars).err().and_then(|e| e.line())
}

fn syntax_line(source: &str) -> Option<usize> {
    minijinja::Environment::new()
        .template_from_str(source)
        .err()
        .map(|e| e.line().unwrap_or(1))
}

/// Checks and renders a draft with sample data. Field errors carry `code@line`.
pub fn trial_render(
    kind: EmailKind,
    locale: Locale,
    subject: &str,
    body: &str,
    public_url: &str,
) -> Result<RenderedEmail, ConsoleError> {
    let mut errors = FieldErrors::default();
    let vars = sample_vars(kind, locale, public_url);
    for (field, source) in [("subject", subject), ("body", body)] {
        if source.trim().is_empty() {
            errors.push(field, FieldCode::TemplateEmpty);
        } else if let Some(line) = include_line(source) {
            errors.push(field, FieldCode::TemplateInclude(line));
        } else if let Some(line) = syntax_line(source) {
            errors.push(field, FieldCode::TemplateSyntax(line));
        } else {
            let (s, b) = if field == "subject" {
                (source, "")
            } else {
                ("x", source)
            };
            match check_template(kind, s, b) {
                Err(TemplateError::UnknownVariable(name)) => {
                    errors.push(
                        field,
                        FieldCode::TemplateUnknownVariable(line_of(source, &name), name),
                    );
                }
                Err(TemplateError::TooLong) => errors.push(field, FieldCode::TemplateTooLong),
                Err(_) => errors.push(field, FieldCode::TemplateSyntax(1)),
                Ok(()) => {
                    if render_template(kind, locale, s, b, &vars).is_err() {
                        let line = render_error_line(source, &vars).unwrap_or(1);
                        errors.push(field, FieldCode::TemplateRender(line));
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ConsoleError::Fields(errors));
    }
    render_template(kind, locale, subject, body, &vars)
        .map_err(|_| ConsoleError::field("body", FieldCode::TemplateRender(1)))
}

fn lacks_portal_link(kind: EmailKind, body: &str) -> bool {
    kind.needs_portal_link() && !body.contains("customer_portal_link")
}

impl ConsoleService {
    /// The template in the editor.
    pub async fn template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<TemplateView, ConsoleError> {
        let kind = parse_kind(kind)?;
        let row = custom(&self.db, actor.org_id(), kind, locale).await?;
        let (subject, body) = match &row {
            Some(t) => (t.subject.clone(), t.body.clone()),
            None => {
                let (s, b) = default_template(kind, locale);
                (s.to_owned(), b.to_owned())
            }
        };
        let portal = settings::load(&self.db, actor.org_id()).await?;
        let preview = trial_render(
            kind,
            locale,
            &subject,
            &body,
            self.config.public_url.as_str(),
        )
        .ok()
        .map(|r| TemplatePreview {
            subject: r.subject,
            text: r.text_body,
            missing_portal_link: lacks_portal_link(kind, &body),
        });
        Ok(TemplateView {
            preview,
            kind: kind.as_str().to_owned(),
            locale: locale.as_str().to_owned(),
            subject,
            body,
            variables: kind.variables().iter().map(|v| (*v).to_owned()).collect(),
            needs_portal_link: kind.needs_portal_link(),
            custom: row.is_some(),
            kinds: EmailKind::ALL
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            portal_enabled: portal.enabled,
        })
    }

    /// A rendered preview of a draft.
    pub fn preview_template(
        &self,
        _actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> Result<TemplatePreview, ConsoleError> {
        let kind = parse_kind(kind)?;
        let rendered = trial_render(kind, locale, subject, body, self.config.public_url.as_str())?;
        Ok(TemplatePreview {
            subject: rendered.subject,
            text: rendered.text_body,
            missing_portal_link: lacks_portal_link(kind, body),
        })
    }

    /// Saves a checked template.
    pub async fn save_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let kind = parse_kind(kind)?;
        trial_render(kind, locale, subject, body, self.config.public_url.as_str())?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        match custom(&txn, actor.org_id(), kind, locale).await? {
            Some(row) => {
                let mut active = row.into_active_model();
                active.subject = Set(subject.to_owned());
                active.body = Set(body.to_owned());
                active.updated_at = Set(now);
                active.update(&txn).await?;
            }
            None => {
                email_template::ActiveModel {
                    organization_id: Set(actor.org_id()),
                    kind: Set(kind.as_str().to_owned()),
                    locale: Set(locale.as_str().to_owned()),
                    subject: Set(subject.to_owned()),
                    body: Set(body.to_owned()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        audit::commit(
            txn,
            actor,
            "notifications.saved",
            format!("{} ({})", kind.as_str(), locale.as_str()),
            now,
        )
        .await
    }

    /// Back to the default.
    pub async fn reset_template(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let kind = parse_kind(kind)?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        email_template::Entity::delete_many()
            .filter(email_template::Column::OrganizationId.eq(actor.org_id()))
            .filter(email_template::Column::Kind.eq(kind.as_str()))
            .filter(email_template::Column::Locale.eq(locale.as_str()))
            .exec(&txn)
            .await?;
        audit::commit(
            txn,
            actor,
            "notifications.reset",
            format!("{} ({})", kind.as_str(), locale.as_str()),
            now,
        )
        .await
    }

    /// Queues the template with sample data to the signed-in staff member.
    pub async fn send_test_email(
        &self,
        actor: &AdminActor,
        kind: &str,
        locale: Locale,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let kind = parse_kind(kind)?;
        let staff = staff_user::Entity::find_by_id(actor.staff_id()?)
            .one(&self.db)
            .await?
            .ok_or(ConsoleError::Unauthenticated)?;
        let row = custom(&self.db, actor.org_id(), kind, locale).await?;
        let (subject, body) = match &row {
            Some(t) => (t.subject.clone(), t.body.clone()),
            None => {
                let (s, b) = default_template(kind, locale);
                (s.to_owned(), b.to_owned())
            }
        };
        let rendered = trial_render(
            kind,
            locale,
            &subject,
            &body,
            self.config.public_url.as_str(),
        )?;
        let email = NewEmail {
            organization_id: Some(actor.org_id()),
            customer_id: None,
            to: staff.email,
            kind,
            locale,
            rendered,
            magic_link_id: None,
        };
        queue_email(&self.db, email, self.now()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: Result<RenderedEmail, ConsoleError>) -> Vec<(String, String)> {
        match r {
            Err(ConsoleError::Fields(f)) => {
                f.0.into_iter()
                    .map(|e| (e.field, e.code.to_string()))
                    .collect()
            }
            Err(e) => panic!("{e}"),
            Ok(_) => vec![],
        }
    }

    #[test]
    fn refuses_bad_templates_with_the_line() {
        let k = EmailKind::PaymentFailed;
        let url = "http://x";
        assert!(
            trial_render(
                k,
                Locale::En,
                "Hi {{ customer_name }}",
                "Pay: {{ customer_portal_link }}",
                url
            )
            .is_ok()
        );
        assert_eq!(
            codes(trial_render(
                k,
                Locale::En,
                "ok",
                "a\n{% include 'x' %}",
                url
            )),
            vec![("body".into(), "template.include@2".into())]
        );
        assert_eq!(
            codes(trial_render(k, Locale::En, "ok", "a\nb\n{{ oops", url)),
            vec![("body".into(), "template.syntax@3".into())]
        );
        assert_eq!(
            codes(trial_render(k, Locale::En, "{{ nope }}", "ok", url)),
            vec![("subject".into(), "template.unknown_variable@1@nope".into())]
        );
        let endless =
            "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}";
        assert_eq!(
            codes(trial_render(k, Locale::En, "ok", endless, url)),
            vec![("body".into(), "template.render@1".into())]
        );
        assert!(lacks_portal_link(k, "no link"));
        assert!(!lacks_portal_link(EmailKind::MagicLink, "no link"));
    }
}
