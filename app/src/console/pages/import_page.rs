use crate::console::api::{StartImport, one_import};
use crate::console::components::{FormErrorText, SavedNotice, field_message};
use crate::console::dto::{ImportCode, ImportProblem, ImportView};
use crate::console::pages::failed_view;
use crate::forms::form_error;
use crate::i18n::{t, t_string, tu_string, use_i18n};
use domain::{ImportKind, ImportStatus};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_params_map};

/// `/admin/imports/{imp_…}`: what the check found (every problem, by line and column) or how
/// many rows are new, the button that writes them, and the progress while it runs (the page
/// reloads itself every two seconds until it is done, with or without JavaScript).
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                location.search.get(),
            )
        },
        |(id, _)| one_import(id),
    );
    view! {
        <Title text=tu_string!(i18n, console.import_title).to_string() />
        <p>
            <a href="/admin/imports">{t!(i18n, console.import_back)}</a>
        </p>
        <SavedNotice />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(import) => view! { <ImportDetail import /> }.into_any(),
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportDetail(import: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartImport>::new();
    let running = import.status == ImportStatus::Running;
    let can_start =
        matches!(import.status, ImportStatus::Ready | ImportStatus::Failed) && import.new_rows > 0;
    let id = import.id.as_str().to_owned();
    let problems = import.problems.clone();
    let more = import.more_problems;
    let new_rows = import.new_rows;
    let kind = import.kind;
    view! {
        {running.then(|| view! { <Meta http_equiv="refresh" content="2" /> }.into_any())}
        <h1>{import.file_name.clone()}</h1>
        <p>
            {super::imports_page::kind_label(import.kind)} " · "
            <StatusBadge status=import.status />
        </p>
        <div role="status" aria-live="polite" class="import-summary">
            {summary(&import)}
        </div>
        {running
            .then(|| {
                view! {
                    <progress
                        class="import-progress"
                        max=import.rows
                        value=import.done_rows
                        aria-label=move || t_string!(i18n, console.import_progress).to_string()
                    ></progress>
                }
                    .into_any()
            })}
        {can_start
            .then(|| {
                view! {
                    <ActionForm action=start>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button" disabled=move || start.pending().get()>
                            {match kind {
                                ImportKind::Customers => {
                                    t!(i18n, console.import_start_customers, count = new_rows)
                                        .into_any()
                                }
                                ImportKind::Subscriptions => {
                                    t!(i18n, console.import_start_subscriptions, count = new_rows)
                                        .into_any()
                                }
                            }}
                        </button>
                    </ActionForm>
                    <FormErrorText error=form_error(start.value()) />
                }
                    .into_any()
            })}
        {(!problems.is_empty()).then(|| view! { <ProblemsTable problems more /> }.into_any())}
        {(import.status == ImportStatus::Done)
            .then(|| {
                view! {
                    <p>
                        <a href="/admin/customers">{t!(i18n, console.import_to_customers)}</a>
                    </p>
                }
                    .into_any()
            })}
    }
}

fn summary(import: &ImportView) -> AnyView {
    let i18n = use_i18n();
    let (rows, new, old) = (import.rows, import.new_rows, import.existing_rows);
    let count = import.problems.len() as u64 + import.more_problems;
    match import.status {
        ImportStatus::Invalid => t!(i18n, console.import_invalid, count = count).into_any(),
        ImportStatus::Ready if new == 0 => {
            t!(i18n, console.import_nothing_new, rows = rows).into_any()
        }
        ImportStatus::Ready => t!(
            i18n,
            console.import_ready,
            rows = rows,
            new = new,
            old = old
        )
        .into_any(),
        ImportStatus::Running => t!(
            i18n,
            console.import_running,
            done = import.done_rows,
            rows = rows
        )
        .into_any(),
        ImportStatus::Done => t!(i18n, console.import_done, new = new, old = old).into_any(),
        ImportStatus::Failed => t!(i18n, console.import_failed, done = import.done_rows).into_any(),
    }
}

#[component]
fn ProblemsTable(problems: Vec<ImportProblem>, more: u64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="settings-section" aria-labelledby="import-problems-title">
            <h2 id="import-problems-title">{t!(i18n, console.import_problems)}</h2>
            <div class="table-wrap">
                <table class="import-problems">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, console.import_line)}</th>
                            <th scope="col">{t!(i18n, console.import_column)}</th>
                            <th scope="col">{t!(i18n, console.import_problem)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {problems
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <tr>
                                        <td>{p.line}</td>
                                        <td>{p.column.map(|c| view! { <code>{c}</code> })}</td>
                                        <td>{problem_message(p.code)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p>{t!(i18n, console.import_more, count = more)}</p> })}
        </section>
    }
}

fn problem_message(code: ImportCode) -> AnyView {
    let i18n = use_i18n();
    match code {
        ImportCode::Field(code) => field_message(i18n, code),
        ImportCode::ColumnMissing => t!(i18n, console.import_err_column_missing).into_any(),
        ImportCode::ColumnUnknown => t!(i18n, console.import_err_column_unknown).into_any(),
        ImportCode::ColumnRepeated => t!(i18n, console.import_err_column_repeated).into_any(),
        ImportCode::TooManyValues => t!(i18n, console.import_err_too_many_values).into_any(),
        ImportCode::Unreadable => t!(i18n, console.import_err_unreadable).into_any(),
        ImportCode::ExternalIdInvalid => t!(i18n, console.import_err_external_id).into_any(),
        ImportCode::Duplicate => t!(i18n, console.import_err_duplicate).into_any(),
        ImportCode::CustomerUnknown => t!(i18n, console.import_err_customer_unknown).into_any(),
        ImportCode::CustomerArchived => t!(i18n, console.import_err_customer_archived).into_any(),
        ImportCode::BillingDateInvalid => t!(i18n, console.import_err_billing_date).into_any(),
        ImportCode::Empty => t!(i18n, console.import_err_empty).into_any(),
        ImportCode::TooLarge => t!(i18n, console.import_file_too_large).into_any(),
    }
}

/// An import's status as a badge.
#[component]
pub fn StatusBadge(status: ImportStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, text) = match status {
        ImportStatus::Invalid => (
            "badge status-failed",
            t!(i18n, console.import_status_invalid).into_any(),
        ),
        ImportStatus::Ready => (
            "badge status-trialing",
            t!(i18n, console.import_status_ready).into_any(),
        ),
        ImportStatus::Running => (
            "badge status-pending",
            t!(i18n, console.import_status_running).into_any(),
        ),
        ImportStatus::Done => (
            "badge status-active",
            t!(i18n, console.import_status_done).into_any(),
        ),
        ImportStatus::Failed => (
            "badge status-failed",
            t!(i18n, console.import_status_failed).into_any(),
        ),
    };
    view! { <span class=class>{text}</span> }
}
