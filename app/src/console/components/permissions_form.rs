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
    let range = view.quantity_range;
    let locale = crate::components::domain_locale(i18n);
    let prices = view
        .switch_prices
        .iter()
        .map(|p| {
            let id = format!("switch-{}", p.id);
            let amount = p.unit.format(locale);
            let every = crate::console::pages::recurrence_label(p.interval, p.interval_count);
            view! {
                <div class="field check">
                    <input
                        id=id.clone()
                        type="checkbox"
                        name="switch_prices[]"
                        value=p.id.clone()
                        checked=p.listed
                        disabled=!can_change
                    />
                    <label for=id>{p.name.clone()} " · " {amount} " " {every}</label>
                </div>
            }
        })
        .collect_view();
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
    // A whole number from 1 to `max`, or empty, described by `hint`; its error beside it.
    let number = move |name: &'static str,
                       label: AnyView,
                       max: u32,
                       value: Option<u32>,
                       hint: &'static str| {
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
                    aria-describedby=format!("{hint} {error_id}")
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
                        u32::from(RetentionOffer::MAX_PERCENT),
                        offer.map(|o| u32::from(o.percent())),
                        "retention-hint",
                    )}
                    {number(
                        "retention_months",
                        t!(i18n, console.retention_months).into_any(),
                        u32::from(RetentionOffer::MAX_MONTHS),
                        offer.map(|o| u32::from(o.months())),
                        "retention-hint",
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
                {item(
                    "change_plan",
                    view.perm_change_plan,
                    t!(i18n, console.perm_change_plan).into_any(),
                    t!(i18n, console.perm_change_plan_hint).into_any(),
                )}
                <input type="hidden" name="plans_form" value="1" />
                <fieldset
                    class="switch-prices"
                    aria-describedby="switch-prices-hint switch-prices-error"
                >
                    <legend>{t!(i18n, console.switch_prices_legend)}</legend>
                    <p class="hint" id="switch-prices-hint">
                        {t!(i18n, console.switch_prices_hint)}
                    </p>
                    {prices}
                    <FieldErrorText
                        id="switch-prices-error"
                        code=field_code(save.value(), "switch_prices")
                    />
                </fieldset>
                <fieldset class="quantity-range" aria-describedby="quantity-range-hint">
                    <legend>{t!(i18n, console.quantity_range_legend)}</legend>
                    <p class="hint" id="quantity-range-hint">
                        {t!(i18n, console.quantity_range_hint)}
                    </p>
                    {number(
                        "quantity_min",
                        t!(i18n, console.quantity_min).into_any(),
                        domain::Quantity::MAX,
                        range.map(|r| r.min()),
                        "quantity-range-hint",
                    )}
                    {number(
                        "quantity_max",
                        t!(i18n, console.quantity_max).into_any(),
                        domain::Quantity::MAX,
                        range.map(|r| r.max()),
                        "quantity-range-hint",
                    )}
                </fieldset>
            </fieldset>
            <FormErrorText error=form_error(save.value()) />
            <SaveButton pending=save.pending() allowed=can_change />
        </ActionForm>
    }
}
