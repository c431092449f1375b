//! Variable values: links into the portal, dates, and sample data for previews.

use super::{EmailKind, TemplateVars, decline_reason};
use domain::Locale;

/// Sample values for every variable of `kind`, for the console's preview.
pub fn sample_vars(kind: EmailKind, locale: Locale, public_url: &str) -> TemplateVars {
    let portal = format!("{public_url}/portal/pk_sample");
    let amount = domain::Money::new(2900, domain::Currency::Eur).format(locale);
    let mut vars = TemplateVars::new();
    for name in kind.variables() {
        let value = match *name {
            "customer_name" => "Giulia Rossi".to_owned(),
            "company_name" => "Acme".to_owned(),
            "customer_portal_link" => portal.clone(),
            "update_payment_method_link" => update_payment_method_link(public_url, "pk_sample"),
            "invoice_number" => "ACME-000042".to_owned(),
            "amount_due" => amount.clone(),
            "period_end" => format_date(
                chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
                locale,
            ),
            "decline_reason" => {
                decline_reason(Some(domain::DeclineCode::ExpiredCard), locale).to_owned()
            }
            "magic_link_url" => format!("{portal}/login/verify?token=sample"),
            "link_expires_minutes" => domain::MAGIC_LINK_TTL_MINUTES.to_string(),
            "card_last4" => "4242".to_owned(),
            "card_expiry" => "04/27".to_owned(),
            "plan_name" => "Pro".to_owned(),
            "previous_plan" => "Basic".to_owned(),
            "change_date" => format_date(
                chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
                locale,
            ),
            "invited_by" => "anna@acme.example".to_owned(),
            "role" => "admin".to_owned(),
            "invitation_link" => format!("{public_url}/invite?token=sample"),
            "link_expires_days" => domain::INVITATION_TTL_DAYS.to_string(),
            "endpoint_url" => "https://hooks.acme.example/dunwell".to_owned(),
            "failing_since" => "2026-04-01 09:30".to_owned(),
            "webhooks_link" => format!("{public_url}/admin/settings/webhooks"),
            other => other.to_owned(),
        };
        vars.insert((*name).to_owned(), value);
    }
    vars
}

/// The portal's address for a portal key.
pub fn customer_portal_link(public_url: &str, portal_key: &str) -> String {
    format!("{}/portal/{portal_key}", public_url.trim_end_matches('/'))
}

/// The sign-in page that lands on the payment-methods page afterwards.
pub fn update_payment_method_link(public_url: &str, portal_key: &str) -> String {
    format!(
        "{}/portal/{portal_key}/login?return_to=/portal/{portal_key}/payment-methods",
        public_url.trim_end_matches('/')
    )
}

/// A date as customers read it: `April 1, 2026` / `1 aprile 2026`.
pub fn format_date(date: chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const IT: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    let month = date.month0() as usize;
    match locale {
        Locale::En => format!("{} {}, {}", EN[month], date.day(), date.year()),
        Locale::It => format!("{} {} {}", date.day(), IT[month], date.year()),
    }
}
