use crate::console::api::{ResetTemplate, SaveTemplate, SendTestEmail, preview_template};
use crate::console::components::{FieldErrorText, FormErrorText, TemplateVariables};
use crate::console::dto::{TemplatePreview, TemplateView};
use crate::error::AppError;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// The subject and body editor of one template: variables to insert, a live preview with
/// sample data, the missing-link warning, Save, Reset to default and Send test email.
#[component]
pub fn TemplateEditor(view: TemplateView, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveTemplate>::new();
    let subject = RwSignal::new(view.subject.clone());
    let body = RwSignal::new(view.body.clone());
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let placed = StoredValue::new(false);
    let (kind, locale) = (view.kind.clone(), view.locale.clone());
    let initial = view.preview.clone();
    let needs_link = view.needs_portal_link;
    let missing_link = move || needs_link && !body.get().contains("customer_portal_link");
    let preview = use_live_preview(kind.clone(), locale.clone(), subject, body);
    let preview_error = move |field: &'static str| {
        Signal::derive(move || match preview.get() {
            Some(Err(AppError::Validation(f))) => f.get(field).cloned(),
            _ => None,
        })
    };
    let body_error = Signal::derive(move || {
        field_code(save.value(), "body")
            .get()
            .or_else(|| preview_error("body").get())
    });
    let subject_error = Signal::derive(move || {
        field_code(save.value(), "subject")
            .get()
            .or_else(|| preview_error("subject").get())
    });
    let h_save = hidden_fields(kind.clone(), locale.clone());
    view! {
        <div class="template-grid">
            <ActionForm action=save>
                {h_save} <div class="field">
                    <label for="tpl-subject">{t!(i18n, console.tpl_subject)}</label>
                    <input
                        id="tpl-subject"
                        name="subject"
                        value=view.subject.clone()
                        prop:value=move || subject.get()
                        disabled=!can_change
                        aria-describedby="tpl-subject-error"
                        on:input=move |ev| subject.set(event_target_value(&ev))
                    />
                    <FieldErrorText id="tpl-subject-error" code=subject_error />
                </div> <div class="field">
                    <label for="tpl-body">{t!(i18n, console.tpl_body)}</label>
                    <textarea
                        id="tpl-body"
                        name="body"
                        rows="12"
                        prop:value=move || body.get()
                        disabled=!can_change
                        node_ref=body_ref
                        aria-describedby="tpl-body-error tpl-link-warning"
                        on:input=move |ev| body.set(event_target_value(&ev))
                        on:focus=move |_| placed.set_value(true)
                    >
                        {view.body.clone()}
                    </textarea>
                    <FieldErrorText id="tpl-body-error" code=body_error />
                    <p
                        class="notice notice-warning"
                        id="tpl-link-warning"
                        role="status"
                        hidden=move || !missing_link()
                    >
                        {t!(i18n, console.tpl_missing_link)}
                    </p>
                </div> <FormErrorText error=form_error(save.value()) />
                <button
                    type="submit"
                    class="button"
                    disabled=move || !can_change || save.pending().get()
                >
                    {t!(i18n, console.save_changes)}
                </button>
            </ActionForm>
            <div>
                <TemplateVariables
                    variables=view.variables.clone()
                    can_change
                    body
                    target=body_ref
                    placed
                />
                <h3>{t!(i18n, console.tpl_preview)}</h3>
                <EmailPreview preview initial=initial.clone() />
                <TemplateActions
                    kind=kind.clone()
                    locale=locale.clone()
                    can_change
                    custom=view.custom
                />
            </div>
        </div>
    }
}

/// The preview of an edited template, rendered by the server with sample data: browser
/// only, and only after an edit (the server already rendered the saved template's preview
/// into the page; a resource read here would suspend the page during hydration and make it
/// differ from the server's HTML). Only the newest edit's answer is kept.
fn use_live_preview(
    kind: String,
    locale: String,
    subject: RwSignal<String>,
    body: RwSignal<String>,
) -> RwSignal<Option<Result<TemplatePreview, AppError>>> {
    let preview = RwSignal::new(None);
    let generation = StoredValue::new(0u64);
    Effect::new(move |first: Option<()>| {
        let (s, b) = (subject.get(), body.get());
        if first.is_none() {
            return;
        }
        let this = generation.get_value() + 1;
        generation.set_value(this);
        let (kind, locale) = (kind.clone(), locale.clone());
        leptos::task::spawn_local(async move {
            let result = preview_template(kind, locale, s, b).await;
            if generation.get_value() == this {
                preview.set(Some(result));
            }
        });
    });
    preview
}

/// The email as a customer would read it: the newest preview that rendered, else the
/// server's preview of the saved template.
#[component]
fn EmailPreview(
    preview: RwSignal<Option<Result<TemplatePreview, AppError>>>,
    initial: Option<TemplatePreview>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let shown = match preview.get() {
            Some(Ok(p)) => Some(p),
            Some(Err(_)) => None,
            None => initial.clone(),
        };
        match shown {
            Some(p) => view! {
                <div class="email-preview" aria-live="polite">
                    <p>
                        <strong>{p.subject}</strong>
                    </p>
                    <pre>{p.text}</pre>
                </div>
            }
            .into_any(),
            None => {
                view! { <p class="hint">{t!(i18n, console.tpl_preview_unavailable)}</p> }.into_any()
            }
        }
    }
}

/// Send a test email of the saved template, and Reset to default (when customized).
#[component]
fn TemplateActions(kind: String, locale: String, can_change: bool, custom: bool) -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetTemplate>::new();
    let test = ServerAction::<SendTestEmail>::new();
    let h_test = hidden_fields(kind.clone(), locale.clone());
    let h_reset = hidden_fields(kind, locale);
    view! {
        <div class="button-row">
            <ActionForm action=test>
                {h_test}
                <button
                    type="submit"
                    class="button button-secondary"
                    disabled=move || !can_change || test.pending().get()
                >
                    {t!(i18n, console.tpl_send_test)}
                </button>
            </ActionForm>
            <ActionForm action=reset>
                {h_reset}
                <button
                    type="submit"
                    class="button button-secondary"
                    disabled=move || !can_change || !custom || reset.pending().get()
                >
                    {t!(i18n, console.tpl_reset)}
                </button>
            </ActionForm>
        </div>
        <FormErrorText error=form_error(test.value()) />
        <FormErrorText error=form_error(reset.value()) />
    }
}

fn hidden_fields(kind: String, locale: String) -> impl IntoView {
    view! {
        <input type="hidden" name="kind" value=kind />
        <input type="hidden" name="locale" value=locale />
    }
}
