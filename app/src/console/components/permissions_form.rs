use crate::console::api::SavePermissions;
use crate::console::components::{FieldErrorText, FormErrorText, SaveButton};
use crate::console::dto::PortalSettingsView;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use domain::RetentionOffer;
use leptos::prelude::*;

/// Step 3 of the guide: the permissions, each saying which portal section it shows or
/// hides, with the retention warning beside cancel.
#[component]
pub fn PermissionsForm(view: PortalSettingsView, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePermissions>::new();
    let offer = view.retention_offer;
    let item = move |name: &'static str, checked: bool, label: AnyView, hint: AnyView| {
        let id = format!("perm-{name}");
        let hint_id = format!("perm-{name}-hint");
        view! {
            <div class="field check">
                <input
                    id=id.clone()
                    type="checkbox"
                    name=name
                    value="on"
                    checked=checked
                    disabled=!can_change
                    aria-describedby=hint_id.clone()
                />
                <label for=id>{label}</label>
                <p class="hint" id=hint_id>
                    {hint}
                </p>
            </div>
        }
    };
    // A whole number from 1 to `max`, or empty; its error beside it.
    let number = move |name: &'static str, label: AnyView, max: u8, value: Option<u8>| {
        let id = name.replace('_', "-");
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type="number"
                    name=name
                    min="1"
                    max=max.to_string()
                    step="1"
                    value=value.map(|v| v.to_string()).unwrap_or_default()
                    disabled=!can_change
                    aria-describedby=format!("retention-hint {error_id}")
                />
                <FieldErrorText id=error_id code=field_code(save.value(), name) />
            </div>
        }
    };
    view! {
        <ActionForm action=save>
            <input type="hidden" name="version" value=view.version />
            <fieldset>
                <legend>{t!(i18n, console.permissions_legend)}</legend>
                {item(
                    "update_payment_methods",
                    view.perm_update_payment_methods,
                    t!(i18n, console.perm_update).into_any(),
                    t!(i18n, console.perm_update_hint).into_any(),
                )}
                {item(
                    "view_payment_history",
                    view.perm_view_payment_history,
                    t!(i18n, console.perm_history).into_any(),
                    t!(i18n, console.perm_history_hint).into_any(),
                )}
                {item(
                    "download_invoices",
                    view.perm_download_invoices,
                    t!(i18n, console.perm_invoices).into_any(),
                    t!(i18n, console.perm_invoices_hint).into_any(),
                )}
                {item(
                    "cancel_subscription",
                    view.perm_cancel_subscription,
                    t!(i18n, console.perm_cancel).into_any(),
                    view! {
                        {t!(i18n, console.perm_cancel_hint)}
                        " "
                        <strong class="retention-warning">
                            {t!(i18n, console.perm_cancel_warning)}
                        </strong>
                    }
                        .into_any(),
                )}
                <fieldset class="retention-offer" aria-describedby="retention-hint">
                    <legend>{t!(i18n, console.retention_legend)}</legend>
                    <p class="hint" id="retention-hint">
                        {t!(i18n, console.retention_hint)}
                    </p>
                    <input type="hidden" name="retention_form" value="1" />
                    {number(
                        "retention_percent",
                        t!(i18n, console.retention_percent).into_any(),
                        RetentionOffer::MAX_PERCENT,
                        offer.map(|o| o.percent()),
                    )}
                    {number(
                        "retention_months",
                        t!(i18n, console.retention_months).into_any(),
                        RetentionOffer::MAX_MONTHS,
                        offer.map(|o| o.months()),
                    )}
                </fieldset>
                {item(
                    "pay_invoices",
                    view.perm_pay_invoices,
                    t!(i18n, console.perm_pay).into_any(),
                    t!(i18n, console.perm_pay_hint).into_any(),
                )}
                {item(
                    "update_billing_details",
                    view.perm_update_billing_details,
                    t!(i18n, console.perm_billing).into_any(),
                    t!(i18n, console.perm_billing_hint).into_any(),
                )}
                {item(
                    "pause_subscription",
                    view.perm_pause_subscription,
                    t!(i18n, console.perm_pause).into_any(),
                    t!(i18n, console.perm_pause_hint).into_any(),
                )}
                <div class="field">
                    <label for="pause-max-days">{t!(i18n, console.pause_max_days)}</label>
                    <input
                        id="pause-max-days"
                        type="number"
                        name="pause_max_days"
                        min="1"
                        max="365"
                        step="1"
                        required
                        value=view.pause_max_days
                        disabled=!can_change
                        aria-describedby="pause-max-days-hint pause-max-days-error"
                    />
                    <p class="hint" id="pause-max-days-hint">
                        {t!(i18n, console.pause_max_days_hint)}
                    </p>
                    <FieldErrorText
                        id="pause-max-days-error"
                        code=field_code(save.value(), "pause_max_days")
                    />
                </div>
            </fieldset>
            <FormErrorText error=form_error(save.value()) />
            <SaveButton pending=save.pending() allowed=can_change />
        </ActionForm>
    }
}
