use crate::console::api::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ReplayFailedWebhooks, ReplayWebhook,
    RotateWebhookSecret, SetWebhookEnabled, webhook_deliveries, webhook_endpoints,
};
use crate::console::components::{
    FieldErrorText, FormErrorText, OnceSecret, SavedNotice, SecretKind,
};
use crate::console::dto::{WebhookAttemptRow, WebhookEndpointRow, WebhookLog};
use crate::console::pages::failed_view;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, t_string, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

/// `/admin/settings/webhooks`: where the merchant's app hears about changes. Owners and
/// admins add an endpoint (its signing secret shown once), rotate the secret, turn it off
/// and on, delete it, and open its delivery log.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let data = Resource::new(move || location.search.get(), |_| webhook_endpoints());
    view! {
        <Title text=tu_string!(i18n, console.settings_webhooks).to_string() />
        <h1>{t!(i18n, console.settings_webhooks)}</h1>
        <SavedNotice />
        <p class="hint">{t!(i18n, console.webhooks_intro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        view! {
                            {view
                                .fresh
                                .map(|fresh| {
                                    view! {
                                        <OnceSecret
                                            kind=SecretKind::WebhookSigning
                                            secret=fresh.secret
                                        />
                                    }
                                })}
                            <EndpointList endpoints=view.endpoints />
                            <CreateSection
                                event_types=view.event_types
                                insecure=view.allow_insecure
                            />
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
fn EndpointList(endpoints: Vec<WebhookEndpointRow>) -> impl IntoView {
    let i18n = use_i18n();
    let rotate = ServerAction::<RotateWebhookSecret>::new();
    let toggle = ServerAction::<SetWebhookEnabled>::new();
    let delete = ServerAction::<DeleteWebhookEndpoint>::new();
    let empty = endpoints.is_empty();
    view! {
        <section class="settings-section" aria-labelledby="webhooks-list-title">
            <h2 id="webhooks-list-title">{t!(i18n, console.webhooks_list)}</h2>
            {empty.then(|| view! { <p class="hint">{t!(i18n, console.webhooks_none)}</p> })}
            {(!empty)
                .then(|| {
                    view! {
                        <div class="table-wrap">
                            <table class="webhooks">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, console.webhooks_url)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_events)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_status)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {endpoints
                                        .into_iter()
                                        .map(|e| {
                                            view! { <EndpointRow endpoint=e rotate toggle delete /> }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            <FormErrorText error=form_error(rotate.value()) />
            <FormErrorText error=form_error(toggle.value()) />
            <FormErrorText error=form_error(delete.value()) />
        </section>
    }
}

#[component]
fn EndpointRow(
    endpoint: WebhookEndpointRow,
    rotate: ServerAction<RotateWebhookSecret>,
    toggle: ServerAction<SetWebhookEnabled>,
    delete: ServerAction<DeleteWebhookEndpoint>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = endpoint.id.to_string();
    let url = endpoint.url.clone();
    let events = if endpoint.events.is_empty() {
        t_string!(i18n, console.webhooks_all_events).to_string()
    } else {
        endpoint.events.join(", ")
    };
    let status = if endpoint.enabled {
        view! { <span class="badge status-active">{t!(i18n, console.webhooks_enabled)}</span> }
            .into_any()
    } else if endpoint.disabled_for_failures {
        view! { <span class="badge status-past_due">{t!(i18n, console.webhooks_disabled_failing)}</span> }
        .into_any()
    } else {
        view! { <span class="badge status-canceled">{t!(i18n, console.webhooks_disabled)}</span> }
            .into_any()
    };
    let failing = endpoint.failing_since.clone().map(|since| {
        view! {
            <br />
            <span class="hint">{t!(i18n, console.webhooks_failing_since)} " " {since}</span>
        }
    });
    let enabled = endpoint.enabled;
    let (href, toggle_id, rotate_id, delete_id) = (
        format!("/admin/settings/webhooks/{id}"),
        id.clone(),
        id.clone(),
        id,
    );
    let (url_shown, toggle_url, rotate_url) = (url.clone(), url.clone(), url.clone());
    view! {
        <tr>
            <td>
                <a href=href>
                    <code>{url_shown}</code>
                </a>
                {(!endpoint.description.is_empty())
                    .then(|| {
                        view! {
                            <br />
                            <span class="hint">{endpoint.description.clone()}</span>
                        }
                    })}
            </td>
            <td>{events}</td>
            <td>{status} {failing}</td>
            <td>
                <ActionForm action=toggle attr:class="inline-form">
                    <input type="hidden" name="id" value=toggle_id />
                    {enabled.then(|| view! { <input type="hidden" name="enabled" value="" /> })}
                    {(!enabled)
                        .then(|| view! { <input type="hidden" name="enabled" value="on" /> })}
                    <button type="submit" class="button button-secondary">
                        {if enabled {
                            t!(i18n, console.webhooks_disable).into_any()
                        } else {
                            t!(i18n, console.webhooks_enable).into_any()
                        }}
                        <span class="visually-hidden">" " {toggle_url}</span>
                    </button>
                </ActionForm>
                <ActionForm action=rotate attr:class="inline-form">
                    <input type="hidden" name="id" value=rotate_id />
                    <button type="submit" class="button button-secondary">
                        {t!(i18n, console.webhooks_rotate)}
                        <span class="visually-hidden">" " {rotate_url}</span>
                    </button>
                </ActionForm>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=delete_id />
                    <button type="submit" class="button button-danger">
                        {t!(i18n, console.webhooks_delete)}
                        <span class="visually-hidden">" " {url}</span>
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn CreateSection(event_types: Vec<String>, insecure: bool) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateWebhookEndpoint>::new();
    view! {
        <section class="settings-section" aria-labelledby="webhook-new-title">
            <h2 id="webhook-new-title">{t!(i18n, console.webhooks_new)}</h2>
            <ActionForm action=create>
                <div class="field">
                    <label for="webhook-url">{t!(i18n, console.webhooks_url)}</label>
                    <input
                        id="webhook-url"
                        name="url"
                        type="url"
                        required
                        maxlength="2048"
                        placeholder="https://"
                        aria-describedby="webhook-url-hint webhook-url-error"
                    />
                    <p class="hint" id="webhook-url-hint">
                        {if insecure {
                            t!(i18n, console.webhooks_url_hint_insecure).into_any()
                        } else {
                            t!(i18n, console.webhooks_url_hint).into_any()
                        }}
                    </p>
                    <FieldErrorText id="webhook-url-error" code=field_code(create.value(), "url") />
                </div>
                <div class="field">
                    <label for="webhook-description">
                        {t!(i18n, console.webhooks_description)}
                    </label>
                    <input
                        id="webhook-description"
                        name="description"
                        type="text"
                        maxlength="200"
                        aria-describedby="webhook-description-error"
                    />
                    <FieldErrorText
                        id="webhook-description-error"
                        code=field_code(create.value(), "description")
                    />
                </div>
                <fieldset class="field">
                    <legend>{t!(i18n, console.webhooks_events)}</legend>
                    <p class="hint" id="webhook-events-hint">
                        {t!(i18n, console.webhooks_events_hint)}
                    </p>
                    <div class="checkbox-grid">
                        {event_types
                            .into_iter()
                            .enumerate()
                            .map(|(i, kind)| {
                                let id = format!("webhook-event-{i}");
                                let for_id = id.clone();
                                view! {
                                    <label class="checkbox" for=for_id>
                                        <input
                                            id=id
                                            type="checkbox"
                                            name="events[]"
                                            value=kind.clone()
                                        />
                                        <code>{kind}</code>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                    <FieldErrorText
                        id="webhook-events-error"
                        code=field_code(create.value(), "events")
                    />
                </fieldset>
                <FormErrorText error=form_error(create.value()) />
                <button type="submit" class="button" disabled=move || create.pending().get()>
                    {t!(i18n, console.webhooks_create)}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/admin/settings/webhooks/{id}`: an endpoint's latest tries (time, event, status code,
/// duration, error), replay of one delivery, and replay of every one given up since a day.
#[component]
pub fn WebhookLogPage() -> impl IntoView {
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
        |(id, _)| webhook_deliveries(id),
    );
    view! {
        <Title text=tu_string!(i18n, console.webhooks_log).to_string() />
        <h1>{t!(i18n, console.webhooks_log)}</h1>
        <SavedNotice />
        <p>
            <a href="/admin/settings/webhooks">{t!(i18n, console.webhooks_back)}</a>
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(log) => view! { <LogView log /> }.into_any(),
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LogView(log: WebhookLog) -> impl IntoView {
    let i18n = use_i18n();
    let replay = ServerAction::<ReplayWebhook>::new();
    let replay_failed = ServerAction::<ReplayFailedWebhooks>::new();
    let id = log.endpoint.id.to_string();
    let empty = log.attempts.is_empty();
    view! {
        <section class="settings-section" aria-labelledby="webhook-log-title">
            <h2 id="webhook-log-title">
                <code>{log.endpoint.url.clone()}</code>
            </h2>
            <p>
                {t!(i18n, console.webhooks_pending)} ": " {log.pending} " · "
                {t!(i18n, console.webhooks_given_up)} ": " {log.failed}
            </p>
            {empty.then(|| view! { <p class="hint">{t!(i18n, console.webhooks_no_attempts)}</p> })}
            {(!empty)
                .then(|| {
                    let id = id.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="webhook-log">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, console.webhooks_time)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_event)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_code)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_duration)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_error)}</th>
                                        <th scope="col">{t!(i18n, console.webhooks_actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {log
                                        .attempts
                                        .into_iter()
                                        .map(|a| {
                                            view! {
                                                <AttemptRow attempt=a endpoint=id.clone() replay />
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            <FormErrorText error=form_error(replay.value()) />
        </section>
        <section class="settings-section" aria-labelledby="webhook-replay-title">
            <h2 id="webhook-replay-title">{t!(i18n, console.webhooks_replay_failed)}</h2>
            <ActionForm action=replay_failed>
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="webhook-replay-since">{t!(i18n, console.webhooks_since)}</label>
                    <input
                        id="webhook-replay-since"
                        name="since"
                        type="date"
                        required
                        aria-describedby="webhook-replay-since-error"
                    />
                    <FieldErrorText
                        id="webhook-replay-since-error"
                        code=field_code(replay_failed.value(), "since")
                    />
                </div>
                <FormErrorText error=form_error(replay_failed.value()) />
                <button type="submit" class="button">
                    {t!(i18n, console.webhooks_replay_failed_button)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AttemptRow(
    attempt: WebhookAttemptRow,
    endpoint: String,
    replay: ServerAction<ReplayWebhook>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = attempt
        .status_code
        .map(|c| c.to_string())
        .unwrap_or_else(|| "—".into());
    let badge = if attempt.succeeded {
        "badge status-active"
    } else {
        "badge status-past_due"
    };
    view! {
        <tr>
            <td>{attempt.at}</td>
            <td>
                <code>{attempt.event_type}</code>
                <br />
                <span class="hint">{attempt.event.to_string()}</span>
            </td>
            <td>
                <span class=badge>{code}</span>
            </td>
            <td>{format!("{} ms", attempt.duration_ms)}</td>
            <td>{attempt.error.unwrap_or_default()}</td>
            <td>
                <ActionForm action=replay attr:class="inline-form">
                    <input type="hidden" name="id" value=endpoint />
                    <input type="hidden" name="delivery" value=attempt.delivery.to_string() />
                    <button type="submit" class="button button-secondary">
                        {t!(i18n, console.webhooks_replay)}
                        <span class="visually-hidden">" " {attempt.event.to_string()}</span>
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
