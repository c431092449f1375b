use crate::console::api::{CreatePrice, DeletePrice, SetPriceArchived, prices};
use crate::console::components::{
    FieldErrorText, FormErrorText, SaveButton, SavedNotice, ViewerNotice,
};
use crate::console::dto::PriceRow;
use crate::console::pages::failed_view;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use domain::{BillingInterval, Currency, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/catalog`: the prices subscriptions pay. Staff add a price, archive one (no new
/// subscriptions) or restore it, and delete one nothing uses. Amounts are never edited in
/// place: a new price is made instead.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    // Every change redirects here with a new query: refetch then.
    let data = Resource::new(move || location.search.get(), |_| prices());
    view! {
        <Title text=tu_string!(i18n, console.catalog).to_string() />
        <h1>{t!(i18n, console.catalog)}</h1>
        <SavedNotice />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => {
                        let can_change = list.can_change;
                        let empty = list.prices.is_empty();
                        view! {
                            <div class="notices">
                                <ViewerNotice can_change />
                            </div>
                            <section class="settings-section" aria-labelledby="prices-title">
                                <h2 id="prices-title">{t!(i18n, console.catalog_prices)}</h2>
                                {empty.then(|| view! { <p>{t!(i18n, console.catalog_empty)}</p> })}
                                <ul class="price-list">
                                    {list
                                        .prices
                                        .into_iter()
                                        .map(|p| view! { <PriceItem price=p can_change /> })
                                        .collect_view()}
                                </ul>
                            </section>
                            <NewPriceSection currency=list.default_currency can_change />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

/// "€29.00 every 3 months" in the console's words.
pub fn recurrence_label(interval: BillingInterval, count: u16) -> AnyView {
    let i18n = use_i18n();
    match (interval, count) {
        (BillingInterval::Week, 1) => t!(i18n, console.per_week).into_any(),
        (BillingInterval::Month, 1) => t!(i18n, console.per_month).into_any(),
        (BillingInterval::Year, _) => t!(i18n, console.per_year).into_any(),
        (BillingInterval::Week, count) => t!(i18n, console.every_weeks, count = count).into_any(),
        (BillingInterval::Month, count) => t!(i18n, console.every_months, count = count).into_any(),
    }
}

#[component]
fn PriceItem(price: PriceRow, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let archive = ServerAction::<SetPriceArchived>::new();
    let delete = ServerAction::<DeletePrice>::new();
    let (id_archive, id_delete) = (price.id.clone(), price.id.clone());
    let (name_archive, name_delete) = (price.name.clone(), price.name.clone());
    let archived = price.archived;
    let deletable = price.subscriptions == 0;
    let trial = price.trial_days;
    view! {
        <li class="price-item" class:archived=archived>
            <p>
                <strong>{price.name.clone()}</strong>
                {archived
                    .then(|| {
                        view! {
                            " "
                            <span class="badge">{t!(i18n, console.catalog_archived)}</span>
                        }
                    })}
                <br />
                {price.amount.format(Locale::En)}
                " "
                {recurrence_label(price.interval, price.interval_count)}
                {(trial > 0)
                    .then(|| {
                        view! {
                            " · "
                            {t!(i18n, console.catalog_trial, days = trial)}
                        }
                    })}
                <br />
                <span class="hint">
                    {t!(i18n, console.catalog_subscriptions, count = price.subscriptions)}
                </span>
            </p>
            {can_change
                .then(|| {
                    view! {
                        <div class="price-actions">
                            <ActionForm action=archive>
                                <input type="hidden" name="id" value=id_archive />
                                {(!archived)
                                    .then(|| {
                                        view! { <input type="hidden" name="archived" value="on" /> }
                                    })}
                                <button
                                    type="submit"
                                    class="button button-secondary"
                                    disabled=move || archive.pending().get()
                                >
                                    {if archived {
                                        t!(i18n, console.catalog_restore).into_any()
                                    } else {
                                        t!(i18n, console.catalog_archive).into_any()
                                    }}
                                    <span class="visually-hidden">" " {name_archive}</span>
                                </button>
                            </ActionForm>
                            {deletable
                                .then(|| {
                                    view! {
                                        <ActionForm action=delete>
                                            <input type="hidden" name="id" value=id_delete />
                                            <button
                                                type="submit"
                                                class="button button-danger"
                                                disabled=move || delete.pending().get()
                                            >
                                                {t!(i18n, console.catalog_delete)}
                                                <span class="visually-hidden">" " {name_delete}</span>
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </div>
                        <FormErrorText error=form_error(archive.value()) />
                        <FormErrorText error=form_error(delete.value()) />
                    }
                })}
        </li>
    }
}

#[component]
fn NewPriceSection(currency: Currency, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePrice>::new();
    view! {
        <section class="settings-section" aria-labelledby="new-price-title">
            <h2 id="new-price-title">{t!(i18n, console.catalog_new)}</h2>
            <p class="hint">{t!(i18n, console.catalog_new_hint)}</p>
            <ActionForm action=create>
                <div class="field">
                    <label for="price-name">{t!(i18n, console.catalog_name)}</label>
                    <input
                        id="price-name"
                        name="name"
                        required
                        maxlength="100"
                        disabled=!can_change
                        aria-describedby="price-name-error"
                    />
                    <FieldErrorText id="price-name-error" code=field_code(create.value(), "name") />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="price-amount">{t!(i18n, console.catalog_amount)}</label>
                        <input
                            id="price-amount"
                            name="amount"
                            inputmode="decimal"
                            required
                            disabled=!can_change
                            aria-describedby="price-amount-error"
                        />
                        <FieldErrorText
                            id="price-amount-error"
                            code=field_code(create.value(), "amount")
                        />
                    </div>
                    <div class="field">
                        <label for="price-currency">{t!(i18n, console.setup_currency)}</label>
                        <select
                            id="price-currency"
                            name="currency"
                            disabled=!can_change
                            aria-describedby="price-currency-error"
                        >
                            {Currency::ALL
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <option value=c.code() selected=c == currency>
                                            {c.code()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldErrorText
                            id="price-currency-error"
                            code=field_code(create.value(), "currency")
                        />
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="price-count">{t!(i18n, console.catalog_every)}</label>
                        <input
                            id="price-count"
                            name="interval_count"
                            value="1"
                            inputmode="numeric"
                            disabled=!can_change
                            aria-describedby="price-count-hint price-count-error"
                        />
                        <p class="hint" id="price-count-hint">
                            {t!(i18n, console.catalog_every_hint)}
                        </p>
                        <FieldErrorText
                            id="price-count-error"
                            code=field_code(create.value(), "interval_count")
                        />
                    </div>
                    <div class="field">
                        <label for="price-interval">{t!(i18n, console.catalog_interval)}</label>
                        <select
                            id="price-interval"
                            name="interval"
                            disabled=!can_change
                            aria-describedby="price-interval-error"
                        >
                            <option value="week">{t!(i18n, console.interval_week)}</option>
                            <option value="month" selected>
                                {t!(i18n, console.interval_month)}
                            </option>
                            <option value="year">{t!(i18n, console.interval_year)}</option>
                        </select>
                        <FieldErrorText
                            id="price-interval-error"
                            code=field_code(create.value(), "interval")
                        />
                    </div>
                </div>
                <div class="field">
                    <label for="price-trial">{t!(i18n, console.catalog_trial_days)}</label>
                    <input
                        id="price-trial"
                        name="trial_days"
                        inputmode="numeric"
                        disabled=!can_change
                        aria-describedby="price-trial-hint price-trial-error"
                    />
                    <p class="hint" id="price-trial-hint">
                        {t!(i18n, console.catalog_trial_hint)}
                    </p>
                    <FieldErrorText
                        id="price-trial-error"
                        code=field_code(create.value(), "trial_days")
                    />
                </div>
                <FormErrorText error=form_error(create.value()) />
                <SaveButton pending=create.pending() allowed=can_change />
            </ActionForm>
        </section>
    }
}
