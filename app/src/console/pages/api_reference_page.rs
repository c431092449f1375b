use crate::console::api::api_reference;
use crate::console::dto::{ApiField, ApiGroup, ApiOperation, ApiReference, ApiSchema};
use crate::console::pages::failed_view;
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/settings/api-reference`: the merchant API as `/v1/openapi.json` describes it (the
/// server derives both from the code): each operation with its parameters, body and answer,
/// then each object with its fields. The descriptions are the document's, in English.
#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| api_reference());
    view! {
        <Title text=tu_string!(i18n, console.settings_api_reference).to_string() />
        <h1>{t!(i18n, console.settings_api_reference)}</h1>
        <p class="hint">
            {t!(i18n, console.api_reference_intro)} " " <a href="/v1/openapi.json" rel="external">
                <code>"/v1/openapi.json"</code>
            </a>
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(reference) => view! { <Reference reference /> }.into_any(),
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reference(reference: ApiReference) -> impl IntoView {
    let i18n = use_i18n();
    let contents = reference
        .groups
        .iter()
        .map(|g| {
            let href = format!("#tag-{}", g.tag);
            view! {
                <li>
                    <a href=href>
                        <code>{g.tag.clone()}</code>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="api-contents" aria-labelledby="api-contents-title">
            <h2 id="api-contents-title">{t!(i18n, console.api_reference_contents)}</h2>
            <ul>
                {contents} <li>
                    <a href="#objects">{t!(i18n, console.api_reference_objects)}</a>
                </li>
            </ul>
        </nav>
        {reference.groups.into_iter().map(|group| view! { <Group group /> }).collect_view()}
        <section class="settings-section" aria-labelledby="objects">
            <h2 id="objects">{t!(i18n, console.api_reference_objects)}</h2>
            {reference.schemas.into_iter().map(|schema| view! { <Schema schema /> }).collect_view()}
        </section>
    }
}

#[component]
fn Group(group: ApiGroup) -> impl IntoView {
    let id = format!("tag-{}", group.tag);
    let label = id.clone();
    view! {
        <section class="settings-section api-group" aria-labelledby=label>
            <h2 id=id>
                <code>{group.tag}</code>
            </h2>
            <p class="hint">{prose(group.description)}</p>
            {group
                .operations
                .into_iter()
                .map(|operation| view! { <Operation operation /> })
                .collect_view()}
        </section>
    }
    .into_any()
}

/// A description from the document, its `code` spans set as code.
fn prose(text: String) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_owned();
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}

/// A type that names an object links to it.
fn type_view(kind: String) -> AnyView {
    let object = kind
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        .then(|| kind.trim_end_matches("[]").to_owned());
    match object {
        Some(name) if !kind.contains(' ') => view! {
            <a href=format!("#schema-{name}")>
                <code>{kind}</code>
            </a>
        }
        .into_any(),
        _ => view! { <code>{kind}</code> }.into_any(),
    }
}

#[component]
fn Operation(operation: ApiOperation) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("op-{}", operation.id);
    let label = id.clone();
    let method_class = format!("api-method api-method-{}", operation.method.to_lowercase());
    view! {
        <article class="api-operation" aria-labelledby=label>
            <h3 id=id>
                <span class=method_class>{operation.method}</span>
                " "
                <code>{operation.path}</code>
            </h3>
            <p>{prose(operation.summary)}</p>
            {(!operation.parameters.is_empty())
                .then(|| {
                    view! {
                        <h4>{t!(i18n, console.api_reference_parameters)}</h4>
                        <Fields fields=operation.parameters with_location=true />
                    }
                })}
            <dl class="api-io">
                {operation
                    .request
                    .map(|request| {
                        view! {
                            <dt>{t!(i18n, console.api_reference_body)}</dt>
                            <dd>{type_view(request)}</dd>
                        }
                    })} <dt>{t!(i18n, console.api_reference_returns)}</dt>
                <dd>{type_view(operation.response)}</dd>
            </dl>
        </article>
    }
    .into_any()
}

#[component]
fn Fields(fields: Vec<ApiField>, with_location: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="api-fields">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, console.api_reference_name)}</th>
                        {with_location
                            .then(|| {
                                view! { <th scope="col">{t!(i18n, console.api_reference_in)}</th> }
                            })}
                        <th scope="col">{t!(i18n, console.api_reference_type)}</th>
                        <th scope="col">{t!(i18n, console.api_reference_required)}</th>
                        <th scope="col">{t!(i18n, console.api_reference_description)}</th>
                    </tr>
                </thead>
                <tbody>
                    {fields
                        .into_iter()
                        .map(|field| {
                            view! {
                                <tr>
                                    <th scope="row">
                                        <code>{field.name}</code>
                                    </th>
                                    {with_location.then(|| view! { <td>{field.location}</td> })}
                                    <td>{type_view(field.kind)}</td>
                                    <td>
                                        {if field.required {
                                            t!(i18n, console.api_reference_yes).into_any()
                                        } else {
                                            t!(i18n, console.api_reference_no).into_any()
                                        }}
                                    </td>
                                    <td>{prose(field.description)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Schema(schema: ApiSchema) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("schema-{}", schema.name);
    let label = id.clone();
    view! {
        <article class="api-schema" aria-labelledby=label>
            <h3 id=id>
                <code>{schema.name}</code>
            </h3>
            <p>{prose(schema.description)}</p>
            {(!schema.fields.is_empty())
                .then(|| {
                    view! {
                        <h4>{t!(i18n, console.api_reference_fields)}</h4>
                        <Fields fields=schema.fields with_location=false />
                    }
                })}
            {(!schema.variants.is_empty())
                .then(|| {
                    view! {
                        <h4>{t!(i18n, console.api_reference_values)}</h4>
                        <ul class="api-values">
                            {schema
                                .variants
                                .into_iter()
                                .map(|v| {
                                    view! {
                                        <li>
                                            <code>{v}</code>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </article>
    }
    .into_any()
}
