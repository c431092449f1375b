use crate::console::api::{CreateApiKey, RevokeApiKey, api_keys};
use crate::console::components::{
    FieldErrorText, FormErrorText, OnceSecret, SavedNotice, SecretKind,
};
use crate::console::dto::ApiKeyRow;
use crate::console::pages::failed_view;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/settings/api-keys`: the keys a merchant's app calls `/v1` with. Owners and admins
/// make one (its secret shown once, right after), see when each was last used, and revoke.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let data = Resource::new(move || location.search.get(), |_| api_keys());
    view! {
        <Title text=tu_string!(i18n, console.settings_api_keys).to_string() />
        <h1>{t!(i18n, console.settings_api_keys)}</h1>
        <SavedNotice />
        <p class="hint">{t!(i18n, console.api_keys_intro)}</p>
        <p>
            <a href="/admin/settings/api-reference">{t!(i18n, console.api_reference_link)}</a>
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        view! {
                            {view
                                .fresh
                                .map(|fresh| {
                                    view! {
                                        <OnceSecret kind=SecretKind::ApiKey secret=fresh.secret />
                                    }
                                })}
                            <KeyList keys=view.keys />
                            <CreateSection />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn KeyList(keys: Vec<ApiKeyRow>) -> impl IntoView {
    let i18n = use_i18n();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let empty = keys.is_empty();
    view! {
        <section class="settings-section" aria-labelledby="api-keys-list-title">
            <h2 id="api-keys-list-title">{t!(i18n, console.api_keys_list)}</h2>
            {empty.then(|| view! { <p class="hint">{t!(i18n, console.api_keys_none)}</p> })}
            {(!empty)
                .then(|| {
                    view! {
                        <div class="table-wrap">
                            <table class="api-keys">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, console.api_keys_name)}</th>
                                        <th scope="col">{t!(i18n, console.api_keys_key)}</th>
                                        <th scope="col">{t!(i18n, console.api_keys_created)}</th>
                                        <th scope="col">{t!(i18n, console.api_keys_last_used)}</th>
                                        <th scope="col">{t!(i18n, console.api_keys_status)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {keys
                                        .into_iter()
                                        .map(|k| view! { <KeyRow key=k revoke /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            <FormErrorText error=form_error(revoke.value()) />
        </section>
    }
}

#[component]
fn KeyRow(key: ApiKeyRow, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let i18n = use_i18n();
    let named = key.name.clone();
    view! {
        <tr>
            <td>{key.name.clone()}</td>
            <td>
                <code>{key.hint.clone()}</code>
            </td>
            <td>
                {key.created.clone()}
                {key
                    .created_by
                    .clone()
                    .map(|by| {
                        view! {
                            <br />
                            <span class="hint">{t!(i18n, console.api_keys_by)} " " {by}</span>
                        }
                    })}
            </td>
            <td>
                {match key.last_used.clone() {
                    Some(t) => t.into_any(),
                    None => t!(i18n, console.api_keys_never).into_any(),
                }}
            </td>
            <td>
                {match key.revoked.clone() {
                    Some(when) => {
                        view! {
                            <span class="badge status-canceled">
                                {t!(i18n, console.api_keys_revoked)}
                            </span>
                            " "
                            {when}
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <span class="badge status-active">
                                {t!(i18n, console.api_keys_live)}
                            </span>
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="id" value=key.id.to_string() />
                                <button
                                    type="submit"
                                    class="button button-danger"
                                    disabled=move || revoke.pending().get()
                                >
                                    {t!(i18n, console.api_keys_revoke)}
                                    <span class="visually-hidden">" " {named}</span>
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }}
            </td>
        </tr>
    }
}

#[component]
fn CreateSection() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateApiKey>::new();
    view! {
        <section class="settings-section" aria-labelledby="api-key-new-title">
            <h2 id="api-key-new-title">{t!(i18n, console.api_keys_new)}</h2>
            <ActionForm action=create>
                <div class="field">
                    <label for="api-key-name">{t!(i18n, console.api_keys_name)}</label>
                    <input
                        id="api-key-name"
                        name="name"
                        type="text"
                        required
                        maxlength="100"
                        aria-describedby="api-key-name-hint api-key-name-error"
                    />
                    <p class="hint" id="api-key-name-hint">
                        {t!(i18n, console.api_keys_name_hint)}
                    </p>
                    <FieldErrorText
                        id="api-key-name-error"
                        code=field_code(create.value(), "name")
                    />
                </div>
                <FormErrorText error=form_error(create.value()) />
                <button type="submit" class="button" disabled=move || create.pending().get()>
                    {t!(i18n, console.api_keys_create)}
                </button>
            </ActionForm>
        </section>
    }
}
