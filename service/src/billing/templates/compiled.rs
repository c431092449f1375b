//! A template checked and compiled once, rendered many times: a billing run renders
//! thousands of emails from a handful of (kind, locale) templates.

use super::{
    EmailKind, RenderedEmail, TemplateError, TemplateVars, check_template, environment,
    html_from_text, syntax,
};
use domain::Locale;
use minijinja::{AutoEscape, Environment, Value};
use std::collections::BTreeMap;

const SUBJECT: &str = "subject";
const BODY: &str = "body";

/// One (kind, locale) template, ready to render.
pub struct CompiledTemplate {
    locale: Locale,
    /// The subject and the text part (the HTML part is made from the text).
    plain: Environment<'static>,
}

impl std::fmt::Debug for CompiledTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledTemplate")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl CompiledTemplate {
    /// Checks (syntax, length, only `kind`'s variables) and compiles a template.
    pub fn compile(
        kind: EmailKind,
        locale: Locale,
        subject: &str,
        body: &str,
    ) -> Result<CompiledTemplate, TemplateError> {
        check_template(kind, subject, body)?;
        let mut plain = environment(AutoEscape::None);
        plain
            .add_template_owned(SUBJECT, subject.to_owned())
            .map_err(syntax)?;
        plain
            .add_template_owned(BODY, body.to_owned())
            .map_err(syntax)?;
        Ok(CompiledTemplate { locale, plain })
    }

    /// Renders the subject and the text part as plain text, and the HTML part from the
    /// text ([`html_from_text`]).
    pub fn render(&self, vars: &TemplateVars) -> Result<RenderedEmail, TemplateError> {
        let text_ctx = Value::from_object(
            vars.iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect::<BTreeMap<String, Value>>(),
        );
        let render = |env: &Environment<'static>, name: &str, ctx: &Value| {
            env.get_template(name)
                .and_then(|t| t.render(ctx.clone()))
                .map_err(|e| TemplateError::Render(e.to_string()))
        };
        // Header injection: a subject is one line whatever a variable contains.
        let subject: String = render(&self.plain, SUBJECT, &text_ctx)?
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let text_body = render(&self.plain, BODY, &text_ctx)?;
        let html_body = html_from_text(self.locale, &subject, &text_body);
        Ok(RenderedEmail {
            subject,
            text_body,
            html_body,
        })
    }
}
