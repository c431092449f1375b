use crate::console::api::{RotatePortalKey, SetPortalEnabled};
use crate::console::components::{CopyButton, FieldErrorText, FormErrorText, SaveButton};
use crate::console::dto::{Me, PortalSettingsView};
use crate::forms::{field_code, form_error};
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

/// Step 1 of the guide: the Enable toggle, the portal URL with Copy, and key rotation (owners).
#[component]
pub fn EnableSection(view: PortalSettingsView, me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let enable = ServerAction::<SetPortalEnabled>::new();
    let rotate = ServerAction::<RotatePortalKey>::new();
    let blocked = !view.payments_active && !view.enabled;
    let can_toggle = me.can_change && !blocked;
    let url = view.portal_url.clone();
    view! {
        <section class="settings-section" aria-labelledby="enable-title">
            <h2 id="enable-title">{t!(i18n, console.enable_title)}</h2>
            {blocked
                .then(|| {
                    view! {
                        <p class="notice notice-warning" id="payments-reason">
                            {t!(i18n, console.err_payments_inactive)}
                        </p>
                    }
                })}
            <ActionForm action=enable>
                <input type="hidden" name="version" value=view.version />
                <div class="field check">
                    <input
                        id="portal-enabled"
                        type="checkbox"
                        role="switch"
                        name="enabled"
                        value="on"
                        checked=view.enabled
                        disabled=!can_toggle
                        aria-describedby="viewer-reason payments-reason"
                    />
                    <label for="portal-enabled">{t!(i18n, console.enable_label)}</label>
                </div>
                <FormErrorText error=form_error(enable.value()) />
                <SaveButton pending=enable.pending() allowed=can_toggle />
            </ActionForm>
            {url
                .map(|u| {
                    view! {
                        <div class="field">
                            <label for="portal-url">{t!(i18n, console.portal_url)}</label>
                            <div class="copy-row">
                                <input id="portal-url" readonly value=u.clone() />
                                <CopyButton
                                    text=u.clone()
                                    label=move || {
                                        t_string!(i18n, console.copy_portal_url).to_string()
                                    }
                                />
                            </div>
                            <p class="hint">
                                {if view.enabled {
                                    t!(i18n, console.portal_on).into_any()
                                } else {
                                    t!(i18n, console.portal_off).into_any()
                                }} " "<a href=u target="_blank" rel="noopener">
                                    {t!(i18n, console.open_portal)}
                                </a>
                            </p>
                        </div>
                    }
                })}
            {(me.can_rotate && view.portal_url.is_some())
                .then(|| {
                    view! {
                        <ActionForm action=rotate attr:class="rotate-form">
                            <input type="hidden" name="version" value=view.version />
                            <div class="field check">
                                <input
                                    id="rotate-confirm"
                                    type="checkbox"
                                    name="confirm"
                                    value="on"
                                    required
                                    aria-describedby="rotate-confirm-error"
                                />
                                <label for="rotate-confirm">
                                    {t!(i18n, console.rotate_confirm)}
                                </label>
                            </div>
                            <FieldErrorText
                                id="rotate-confirm-error"
                                code=field_code(rotate.value(), "confirm")
                            />
                            <FormErrorText error=form_error(rotate.value()) />
                            <button
                                type="submit"
                                class="button button-danger"
                                disabled=move || rotate.pending().get()
                            >
                                {t!(i18n, console.rotate_key)}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
