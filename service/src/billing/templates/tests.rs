//! Rendering, escaping, validation and the default texts.
use super::*;

#[test]
fn every_default_renders_with_its_sample_vars() {
    for locale in Locale::ALL {
        for kind in EmailKind::ALL
            .into_iter()
            .chain([EmailKind::StaffInvitation, EmailKind::WebhookDisabled])
        {
            let vars = sample_vars(kind, locale, "https://billing.example");
            let email = render_kind(kind, locale, None, &vars)
                .unwrap_or_else(|e| panic!("{kind} {locale}: {e}"));
            assert!(!email.subject.contains('\n'));
            assert!(email.html_body.contains(&format!("lang=\"{locale}\"")));
        }
    }
}

#[test]
fn italian_wording_follows_the_guide() {
    let vars = sample_vars(EmailKind::PaymentFailed, Locale::It, "https://b.example");
    let email = render_kind(EmailKind::PaymentFailed, Locale::It, None, &vars).unwrap();
    assert!(email.subject.starts_with("Pagamento fallito"));
    assert!(email.text_body.contains("Aggiorna metodo di pagamento"));
    assert!(email.text_body.contains("29,00 €"));
    assert!(email.text_body.contains(
        "https://b.example/portal/pk_sample/login?return_to=/portal/pk_sample/payment-methods"
    ));
    let created = render_kind(
        EmailKind::InvoiceCreated,
        Locale::It,
        None,
        &vars_for(EmailKind::InvoiceCreated),
    )
    .unwrap();
    assert!(created.subject.starts_with("Fattura creata"));
}

fn vars_for(kind: EmailKind) -> TemplateVars {
    sample_vars(kind, Locale::It, "https://b.example")
}

#[test]
fn html_is_escaped_and_links_are_clickable() {
    let mut vars = sample_vars(EmailKind::InvoiceCreated, Locale::En, "https://b.example");
    vars.insert(
        "customer_name".into(),
        "<script>alert(1)</script> & co".into(),
    );
    let email = render_template(
        EmailKind::InvoiceCreated,
        Locale::En,
        "Hi {{ customer_name }}\r\nBcc: x@evil",
        "Hi {{ customer_name }}\n\n{{ customer_portal_link }}",
        &vars,
    )
    .unwrap();
    assert!(!email.html_body.contains("<script>"));
    assert!(email.html_body.contains("&lt;script&gt;"));
    assert!(
        email
            .html_body
            .contains("<a href=\"https://b.example/portal/pk_sample\">")
    );
    assert!(email.text_body.contains("<script>alert(1)</script> & co"));
    assert!(!email.subject.contains('\n') && !email.subject.contains('\r'));
}

#[test]
fn rejects_unknown_variables_bad_syntax_and_runaway_loops() {
    let vars = sample_vars(EmailKind::InvoiceCreated, Locale::En, "https://b.example");
    let render =
        |body: &str| render_template(EmailKind::InvoiceCreated, Locale::En, "s", body, &vars);
    assert_eq!(
        render("{{ password }}"),
        Err(TemplateError::UnknownVariable("password".into()))
    );
    assert_eq!(
        check_template(EmailKind::InvoiceCreated, "s", "{{ magic_link_url }}"),
        Err(TemplateError::UnknownVariable("magic_link_url".into()))
    );
    assert!(matches!(render("{% if %}"), Err(TemplateError::Syntax(_))));
    assert!(matches!(
        render("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"),
        Err(TemplateError::Render(_))
    ));
    // Strict: a declared-but-missing variable is an error, not an empty string.
    let mut partial = vars.clone();
    partial.remove("amount_due");
    assert!(matches!(
        render_template(
            EmailKind::InvoiceCreated,
            Locale::En,
            "s",
            "{{ amount_due }}",
            &partial
        ),
        Err(TemplateError::Render(_))
    ));
}

#[test]
fn dates_per_locale() {
    let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    assert_eq!(format_date(d, Locale::En), "April 1, 2026");
    assert_eq!(format_date(d, Locale::It), "1 aprile 2026");
}

#[test]
fn a_template_cannot_put_markup_into_the_html_part() {
    let vars = sample_vars(EmailKind::MagicLink, Locale::En, "https://b.example");
    let body = "<script>alert(document.cookie)</script>\n\
                <a href=\"javascript:alert(1)\">Sign in</a> <b onclick=\"steal()\">here</b>\n\
                javascript:alert(2) <img src=x onerror=alert(3)>\n\n{{ magic_link_url }}";
    let email = render_template(EmailKind::MagicLink, Locale::En, "Sign in", body, &vars).unwrap();
    let html = &email.html_body;
    for forbidden in [
        "<script",
        "<a href=\"javascript",
        "<b ",
        "<img",
        "onclick=\"",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} in {html}");
    }
    assert!(html.contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;"));
    // The only elements are Dunwell's own: the document, paragraphs, breaks and links.
    let tags: std::collections::BTreeSet<String> = html
        .split('<')
        .skip(1)
        .map(|t| {
            t.split([' ', '>'])
                .next()
                .unwrap_or("")
                .trim_start_matches('/')
                .to_ascii_lowercase()
        })
        .collect();
    let allowed = [
        "!doctype", "html", "head", "meta", "title", "body", "p", "br", "a",
    ];
    assert!(
        tags.iter().all(|t| allowed.contains(&t.as_str())),
        "{tags:?}"
    );
    // Every link Dunwell made is http(s).
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with("mailto:"),
            "{href}"
        );
    }
    assert!(html.contains("<a href=\"https://b.example/portal/pk_sample/login/verify?token="));
}

#[test]
fn links_in_the_text_become_clickable_without_their_punctuation() {
    let html = html_from_text(
        Locale::En,
        "s",
        "See https://a.example/x?y=1&z=2. Or (https://b.example/p) or write to mailto:help@a.example, \
         not mailto:nobody nor http:// alone.",
    );
    assert!(html.contains(
        "<a href=\"https://a.example/x?y=1&amp;z=2\">https://a.example/x?y=1&amp;z=2</a>. Or"
    ));
    assert!(html.contains("(<a href=\"https://b.example/p\">https://b.example/p</a>)"));
    assert!(html.contains("<a href=\"mailto:help@a.example\">mailto:help@a.example</a>,"));
    assert!(html.contains("not mailto:nobody nor http:// alone."));
}
