use crate::console::api::imports;
use crate::console::components::FieldErrorText;
use crate::console::dto::ImportView;
use crate::console::pages::failed_view;
use crate::console::ui::use_query;
use crate::error::FieldCode;
use crate::i18n::{t, tu_string, use_i18n};
use domain::ImportKind;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/imports`: upload a CSV of customers or subscriptions (a plain multipart form,
/// checked before anything is written), the documented columns, and the latest imports.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let error_query = use_query("error");
    // The upload is a plain form: its refusal comes back in the URL as a field code.
    let upload_error = Signal::derive(move || {
        error_query
            .get()
            .map(|code| code.parse().unwrap_or(FieldCode::Invalid))
    });
    let data = Resource::new(|| (), |()| imports());
    view! {
        <Title text=tu_string!(i18n, console.import_title).to_string() />
        <h1>{t!(i18n, console.import_title)}</h1>
        <p>{t!(i18n, console.import_intro)}</p>
        <section class="settings-section" aria-labelledby="import-upload-title">
            <h2 id="import-upload-title">{t!(i18n, console.import_upload)}</h2>
            <form
                method="post"
                action="/admin/imports"
                enctype="multipart/form-data"
                class="import-upload"
            >
                <fieldset class="field">
                    <legend>{t!(i18n, console.import_kind)}</legend>
                    <label class="choice">
                        <input type="radio" name="kind" value="customers" checked />
                        {t!(i18n, console.import_kind_customers)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="kind" value="subscriptions" />
                        {t!(i18n, console.import_kind_subscriptions)}
                    </label>
                </fieldset>
                <div class="field">
                    <label for="import-file">{t!(i18n, console.import_file)}</label>
                    <input
                        id="import-file"
                        type="file"
                        name="file"
                        accept=".csv,text/csv"
                        required
                        aria-describedby="import-file-hint import-file-error"
                    />
                    <p class="hint" id="import-file-hint">
                        {t!(i18n, console.import_file_hint)}
                    </p>
                    <FieldErrorText id="import-file-error" code=upload_error />
                </div>
                <button type="submit" class="button">
                    {t!(i18n, console.import_check)}
                </button>
            </form>
        </section>
        <ColumnsSection kind=ImportKind::Customers />
        <ColumnsSection kind=ImportKind::Subscriptions />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.recent.is_empty() => ().into_any(),
                    Ok(list) => {
                        view! {
                            <section class="settings-section" aria-labelledby="import-recent-title">
                                <h2 id="import-recent-title">{t!(i18n, console.import_recent)}</h2>
                                <ul class="price-list import-list">
                                    {list
                                        .recent
                                        .into_iter()
                                        .map(|i| view! { <RecentImport import=i /> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

/// A table of one kind's columns: name, required, what goes there.
#[component]
fn ColumnsSection(kind: ImportKind) -> impl IntoView {
    let i18n = use_i18n();
    let (id, title) = match kind {
        ImportKind::Customers => (
            "import-columns-customers",
            t!(i18n, console.import_columns_customers).into_any(),
        ),
        ImportKind::Subscriptions => (
            "import-columns-subscriptions",
            t!(i18n, console.import_columns_subscriptions).into_any(),
        ),
    };
    view! {
        <section class="settings-section" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <div class="table-wrap">
                <table class="import-columns">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, console.import_column)}</th>
                            <th scope="col">{t!(i18n, console.import_required)}</th>
                            <th scope="col">{t!(i18n, console.import_meaning)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {kind
                            .columns()
                            .iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <td>
                                            <code>{c.name}</code>
                                        </td>
                                        <td>
                                            {if c.required {
                                                t!(i18n, console.import_yes).into_any()
                                            } else {
                                                t!(i18n, console.import_no).into_any()
                                            }}
                                        </td>
                                        <td>{column_meaning(kind, c.name)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn column_meaning(kind: ImportKind, column: &str) -> AnyView {
    let i18n = use_i18n();
    match (kind, column) {
        (ImportKind::Customers, "external_id") => {
            t!(i18n, console.import_col_customer_key).into_any()
        }
        (ImportKind::Subscriptions, "external_id") => {
            t!(i18n, console.import_col_subscription_key).into_any()
        }
        (_, "email") => t!(i18n, console.import_col_email).into_any(),
        (_, "name") => t!(i18n, console.import_col_name).into_any(),
        (_, "language") => t!(i18n, console.import_col_language).into_any(),
        (_, "billing_address") => t!(i18n, console.import_col_address).into_any(),
        (_, "tax_id") => t!(i18n, console.import_col_tax_id).into_any(),
        (_, "customer") => t!(i18n, console.import_col_customer).into_any(),
        (_, "price") => t!(i18n, console.import_col_price).into_any(),
        (_, "quantity") => t!(i18n, console.import_col_quantity).into_any(),
        (_, "next_billing_date") => t!(i18n, console.import_col_billing_date).into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn RecentImport(import: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/admin/imports/{}", import.id.as_str());
    view! {
        <li class="price-item">
            <p>
                <a href=href>
                    <strong>{import.file_name.clone()}</strong>
                </a>
                " "
                <super::import_page::StatusBadge status=import.status />
                <br />
                {kind_label(import.kind)}
                " · "
                {t!(i18n, console.import_rows, count = import.rows)}
                " · "
                <span class="hint">{import.created.clone()} " UTC"</span>
            </p>
        </li>
    }
}

/// "Customers" or "Subscriptions".
pub(super) fn kind_label(kind: ImportKind) -> AnyView {
    let i18n = use_i18n();
    match kind {
        ImportKind::Customers => t!(i18n, console.import_kind_customers).into_any(),
        ImportKind::Subscriptions => t!(i18n, console.import_kind_subscriptions).into_any(),
    }
}
