//! Email templates: minijinja with strict undefined variables and a fuel limit. A template
//! is rendered once, as plain text; the HTML part is made from that text by Dunwell alone
//! ([`html_from_text`]): every character of the merchant's template and of the variables is
//! escaped, and only paragraphs, line breaks and http(s)/mailto links are added, so no
//! template can put markup, scripts or `javascript:` links into an email. Defaults live in
//! [`defaults`]; an organization's row in `email_templates` for the same (kind, locale)
//! replaces them.

mod compiled;
mod defaults;
mod vars;

pub use compiled::CompiledTemplate;
pub use defaults::{decline_reason, default_template};
pub use vars::{customer_portal_link, format_date, sample_vars, update_payment_method_link};

use domain::Locale;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::collections::{BTreeMap, BTreeSet};

/// Template variables by name. Values are plain text; escaping happens at render time.
pub type TemplateVars = BTreeMap<String, String>;

/// Enough for any reasonable email, small enough that a hostile loop in a merchant's
/// template stops quickly.
const FUEL: u64 = 20_000;
/// The longest template source accepted (subject or body).
const MAX_SOURCE_LEN: usize = 20_000;

/// What an email is about. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EmailKind {
    /// A renewal invoice was issued.
    InvoiceCreated,
    /// A charge failed; carries the "update payment method" link.
    PaymentFailed,
    /// The receipt after a successful charge.
    PaymentSucceeded,
    /// The portal sign-in link.
    MagicLink,
    /// The default card expires in 30 or 7 days.
    CardExpiring,
    /// The subscription ended.
    SubscriptionCanceled,
    /// Staff started a subscription for a customer with no payment method on file: the
    /// first invoice waits until they add one in the portal.
    AddPaymentMethod,
    /// The customer asked to pause: from the period end until the day they chose.
    SubscriptionPaused,
    /// A paused subscription resumed (the customer's choice or its day): a new period began.
    SubscriptionUnpaused,
    /// The customer changed their plan and it took effect at once (an upgrade: the rest of
    /// the period was invoiced).
    PlanChanged,
    /// The customer changed their plan to take effect at the period's end.
    PlanChangeScheduled,
    /// An invitation to the organization's team (to a person, not a customer: not one of
    /// the templates merchants edit, so not in [`EmailKind::ALL`]).
    StaffInvitation,
    /// To the owners: a webhook endpoint failed for days and was switched off (to staff,
    /// not a merchant-editable template either).
    WebhookDisabled,
}

impl EmailKind {
    /// Every kind, in settings-page order.
    pub const ALL: [EmailKind; 11] = [
        EmailKind::InvoiceCreated,
        EmailKind::PaymentFailed,
        EmailKind::PaymentSucceeded,
        EmailKind::MagicLink,
        EmailKind::CardExpiring,
        EmailKind::SubscriptionCanceled,
        EmailKind::AddPaymentMethod,
        EmailKind::SubscriptionPaused,
        EmailKind::SubscriptionUnpaused,
        EmailKind::PlanChanged,
        EmailKind::PlanChangeScheduled,
    ];

    /// The stored name, e.g. `"payment_failed"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EmailKind::InvoiceCreated => "invoice_created",
            EmailKind::PaymentFailed => "payment_failed",
            EmailKind::PaymentSucceeded => "payment_succeeded",
            EmailKind::MagicLink => "magic_link",
            EmailKind::CardExpiring => "card_expiring",
            EmailKind::SubscriptionCanceled => "subscription_canceled",
            EmailKind::AddPaymentMethod => "add_payment_method",
            EmailKind::SubscriptionPaused => "subscription_paused",
            EmailKind::SubscriptionUnpaused => "subscription_resumed",
            EmailKind::PlanChanged => "plan_changed",
            EmailKind::PlanChangeScheduled => "plan_change_scheduled",
            EmailKind::StaffInvitation => "staff_invitation",
            EmailKind::WebhookDisabled => "webhook_disabled",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<EmailKind> {
        EmailKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Whether an email of this kind asks the customer to act in the portal, so its
    /// template should carry `{{ customer_portal_link }}` (the editor warns when it does not).
    pub const fn needs_portal_link(self) -> bool {
        match self {
            EmailKind::InvoiceCreated
            | EmailKind::PaymentFailed
            | EmailKind::AddPaymentMethod
            | EmailKind::SubscriptionPaused
            | EmailKind::PlanChangeScheduled => true,
            EmailKind::PaymentSucceeded
            | EmailKind::MagicLink
            | EmailKind::CardExpiring
            | EmailKind::SubscriptionCanceled
            | EmailKind::SubscriptionUnpaused
            | EmailKind::PlanChanged
            | EmailKind::StaffInvitation
            | EmailKind::WebhookDisabled => false,
        }
    }

    /// The variables a template of this kind may use.
    pub const fn variables(self) -> &'static [&'static str] {
        match self {
            EmailKind::InvoiceCreated => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "invoice_number",
                "amount_due",
                "period_end",
            ],
            EmailKind::PaymentFailed => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "invoice_number",
                "amount_due",
                "decline_reason",
            ],
            EmailKind::PaymentSucceeded => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "invoice_number",
                "amount_due",
                "period_end",
            ],
            EmailKind::MagicLink => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "magic_link_url",
                "link_expires_minutes",
            ],
            EmailKind::CardExpiring => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "card_last4",
                "card_expiry",
            ],
            EmailKind::SubscriptionCanceled => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "period_end",
            ],
            EmailKind::AddPaymentMethod => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "plan_name",
                "amount_due",
            ],
            EmailKind::SubscriptionPaused => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "plan_name",
                "pause_starts",
                "resume_date",
            ],
            EmailKind::SubscriptionUnpaused => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "plan_name",
                "period_end",
            ],
            EmailKind::PlanChanged => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "plan_name",
                "previous_plan",
                "amount_due",
                "period_end",
            ],
            EmailKind::PlanChangeScheduled => &[
                "customer_name",
                "company_name",
                "customer_portal_link",
                "update_payment_method_link",
                "plan_name",
                "previous_plan",
                "change_date",
            ],
            EmailKind::StaffInvitation => &[
                "company_name",
                "invited_by",
                "role",
                "invitation_link",
                "link_expires_days",
            ],
            EmailKind::WebhookDisabled => &[
                "company_name",
                "endpoint_url",
                "failing_since",
                "webhooks_link",
            ],
        }
    }
}

impl std::fmt::Display for EmailKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rendered email.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// One line.
    pub subject: String,
    /// The plain-text part.
    pub text_body: String,
    /// The HTML part: the text part escaped, in paragraphs, its http(s) and mailto links
    /// made clickable; nothing else.
    pub html_body: String,
}

impl std::fmt::Debug for RenderedEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies may carry a sign-in link: never print them.
        f.debug_struct("RenderedEmail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Not valid template syntax.
    #[error("template syntax error: {0}")]
    Syntax(String),
    /// A variable this kind of email does not have.
    #[error("unknown variable {{{{{0}}}}}")]
    UnknownVariable(String),
    /// The template is too long.
    #[error("the template is too long")]
    TooLong,
    /// Rendering failed (undefined value, fuel exhausted…).
    #[error("the template could not be rendered: {0}")]
    Render(String),
}

fn environment(escape: AutoEscape) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(move |_| escape.clone());
    env
}

fn syntax(err: minijinja::Error) -> TemplateError {
    TemplateError::Syntax(err.to_string())
}

/// Checks a merchant's template before it is saved: syntax, length, and only the
/// variables `kind` provides.
pub fn check_template(kind: EmailKind, subject: &str, body: &str) -> Result<(), TemplateError> {
    let env = environment(AutoEscape::None);
    // Built-in functions (`range`, `dict`…) are globals, not variables.
    let mut allowed: BTreeSet<String> = kind.variables().iter().map(|v| (*v).to_owned()).collect();
    allowed.extend(env.globals().map(|(name, _)| name.to_owned()));
    for source in [subject, body] {
        if source.len() > MAX_SOURCE_LEN {
            return Err(TemplateError::TooLong);
        }
        let template = env.template_from_str(source).map_err(syntax)?;
        if let Some(unknown) = template
            .undeclared_variables(false)
            .into_iter()
            .find(|v| !allowed.contains(v))
        {
            return Err(TemplateError::UnknownVariable(unknown));
        }
    }
    Ok(())
}

/// Renders an email: the subject and the text part as plain text, the HTML part with
/// auto-escaping (and the link variables as `<a>` elements). Public so the console can
/// preview a template with sample data ([`sample_vars`]).
pub fn render_template(
    kind: EmailKind,
    locale: Locale,
    subject: &str,
    body: &str,
    vars: &TemplateVars,
) -> Result<RenderedEmail, TemplateError> {
    CompiledTemplate::compile(kind, locale, subject, body)?.render(vars)
}

/// Renders the organization's template or, when `custom` is `None`, the default.
pub fn render_kind(
    kind: EmailKind,
    locale: Locale,
    custom: Option<(&str, &str)>,
    vars: &TemplateVars,
) -> Result<RenderedEmail, TemplateError> {
    let (subject, body) = custom.unwrap_or_else(|| default_template(kind, locale));
    render_template(kind, locale, subject, body, vars)
}

/// HTML-escapes text and attribute values (both quotes included).
fn escape(raw: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(raw)
}

/// The schemes a link in an email may have.
const LINK_SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Where the next link starts in `text`, and its scheme.
fn next_link(text: &str) -> Option<(usize, &'static str)> {
    let lower = text.to_ascii_lowercase();
    LINK_SCHEMES
        .iter()
        .filter_map(|scheme| lower.find(scheme).map(|at| (at, *scheme)))
        .min_by_key(|(at, _)| *at)
}

/// The length of the link at the start of `text`: up to white space or a character that
/// cannot be part of a URL in running text, less trailing sentence punctuation.
fn link_len(text: &str) -> usize {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
        .unwrap_or(text.len());
    let link = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let link = if link.ends_with(')') && !link.contains('(') {
        &link[..link.len() - 1]
    } else {
        link
    };
    link.len()
}

/// The HTML part of an email from its text part: the text escaped, its http(s) and mailto
/// links made clickable, paragraphs and line breaks. Nothing of the text becomes markup.
pub fn html_from_text(locale: Locale, subject: &str, text: &str) -> String {
    let mut inner = String::with_capacity(text.len() + text.len() / 4);
    let mut rest = text;
    while let Some((at, scheme)) = next_link(rest) {
        inner.push_str(&escape(&rest[..at]));
        let candidate = &rest[at..];
        let len = link_len(candidate);
        let link = &candidate[..len];
        if len > scheme.len() && (scheme != "mailto:" || link.contains('@')) {
            let href = escape(link);
            inner.push_str(&format!("<a href=\"{href}\">{href}</a>"));
            rest = &candidate[len..];
        } else {
            // A bare scheme: plain text.
            inner.push_str(&escape(&candidate[..scheme.len()]));
            rest = &candidate[scheme.len()..];
        }
    }
    inner.push_str(&escape(rest));
    wrap_html(locale, &escape(subject), &inner)
}

/// Paragraphs from blank lines, line breaks from newlines. `inner` is already escaped.
fn wrap_html(locale: Locale, title: &str, inner: &str) -> String {
    let paragraphs: String = inner
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", p.lines().collect::<Vec<_>>().join("<br>\n")))
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5\">\n{paragraphs}</body>\n</html>\n",
        locale.as_str()
    )
}

#[cfg(test)]
mod tests;
