use crate::console::api::template;
use crate::console::components::{SaveToast, SavedNotice, TemplateEditor, ViewerNotice};
use crate::console::pages::failed_view;
use crate::console::ui::{use_me, use_query};
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// `/admin/settings/notifications?kind=…&locale=…`: the email templates per kind and language.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let kind = use_query("kind");
    let locale = use_query("locale");
    let location = leptos_router::hooks::use_location();
    let data = Resource::new(
        move || {
            (
                kind.get().unwrap_or_else(|| "invoice_created".into()),
                locale.get().unwrap_or_else(|| "en".into()),
                location.search.get(),
            )
        },
        |(k, l, _)| template(k, l),
    );
    view! {
        <h1>{t!(i18n, console.settings_notifications)}</h1>
        <SavedNotice />
        <SaveToast />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (Ok(me), tv) = (me.await, data.await) else {
                    return failed_view(crate::error::AppError::Unauthenticated);
                };
                match tv {
                    Ok(v) => {
                        view! {
                            <div class="notices">
                                <ViewerNotice can_change=me.can_change />
                                {(!v.portal_enabled)
                                    .then(|| {
                                        view! {
                                            <p class="notice notice-warning">
                                                {t!(i18n, console.tpl_portal_off)}
                                            </p>
                                        }
                                    })}
                            </div>
                            <form
                                method="get"
                                action="/admin/settings/notifications"
                                class="template-picker"
                            >
                                <div class="field">
                                    <label for="tpl-kind">{t!(i18n, console.tpl_kind)}</label>
                                    <select id="tpl-kind" name="kind">
                                        {v
                                            .kinds
                                            .iter()
                                            .map(|k| {
                                                view! {
                                                    <option value=k.clone() selected=*k == v.kind>
                                                        {k.replace('_', " ")}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="tpl-locale">{t!(i18n, console.tpl_locale)}</label>
                                    <select id="tpl-locale" name="locale">
                                        <option value="en" selected=v.locale == "en">
                                            "English"
                                        </option>
                                        <option value="it" selected=v.locale == "it">
                                            "Italiano"
                                        </option>
                                    </select>
                                </div>
                                <button type="submit" class="button button-secondary">
                                    {t!(i18n, console.tpl_open)}
                                </button>
                            </form>
                            <TemplateEditor view=v can_change=me.can_change />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
