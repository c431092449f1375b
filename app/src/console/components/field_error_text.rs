use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// A field's error message beside its input (`id` is referenced by `aria-describedby`).
/// Template codes carry the line: `template.syntax@3`, `template.unknown_variable@2@name`.
#[component]
pub fn FieldErrorText(id: &'static str, code: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-error" id=id role="alert" hidden=move || code.get().is_none()>
            {move || {
                code.get()
                    .map(|c| {
                        let mut parts = c.split('@');
                        let head = parts.next().unwrap_or_default().to_owned();
                        let line = parts.next().unwrap_or("1").to_owned();
                        let name = parts.next().unwrap_or_default().to_owned();
                        match head.as_str() {
                            "email.invalid" => t!(i18n, console.err_email).into_any(),
                            "email.taken" => t!(i18n, console.err_email_taken).into_any(),
                            "color.invalid" => t!(i18n, console.err_color).into_any(),
                            "company_name.empty" => t!(i18n, console.err_company_empty).into_any(),
                            "company_name.too_long" => t!(i18n, console.err_company_long).into_any(),
                            "company_name.invalid" | "company_name.markup" => {
                                t!(i18n, console.err_company_invalid).into_any()
                            }
                            "logo.empty" => t!(i18n, console.err_logo_empty).into_any(),
                            "logo.too_large" => t!(i18n, console.err_logo_too_large).into_any(),
                            "logo.not_png" => t!(i18n, console.err_logo_not_png).into_any(),
                            "logo.too_many_pixels" => t!(i18n, console.err_logo_pixels).into_any(),
                            "logo.invalid" => t!(i18n, console.err_logo_invalid).into_any(),
                            "confirm.required" => t!(i18n, console.err_confirm).into_any(),
                            "days.invalid" => t!(i18n, console.err_days).into_any(),
                            "template.empty" => t!(i18n, console.err_template_empty).into_any(),
                            "template.too_long" => t!(i18n, console.err_template_long).into_any(),
                            "template.include" => {
                                t!(i18n, console.err_template_include, line = line.clone())
                                    .into_any()
                            }
                            "template.syntax" => {
                                t!(i18n, console.err_template_syntax, line = line.clone())
                                    .into_any()
                            }
                            "template.unknown_variable" => {
                                t!(
                                    i18n, console.err_template_unknown, line = line.clone(), name = name.clone()
                                )
                                    .into_any()
                            }
                            "template.render" => {
                                t!(i18n, console.err_template_render, line = line.clone())
                                    .into_any()
                            }
                            _ => t!(i18n, console.err_field).into_any(),
                        }
                    })
            }}
        </p>
    }
}
