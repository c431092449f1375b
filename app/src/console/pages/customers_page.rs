use crate::console::api::{CreateCustomer, customers};
use crate::console::components::{
    CustomerFields, FieldErrorText, FormErrorText, PaginationNav, SaveButton, sub_status_label,
};
use crate::console::pages::failed_view;
use crate::console::ui::use_query;
use crate::forms::{encode, field_code, form_error};
use crate::i18n::{t, use_i18n};
use domain::SubscriptionStatus;
use leptos::prelude::*;

/// `/admin/customers?q=…&status=…&page=…`: search by email or name, filter by status.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query("q");
    let status = use_query("status");
    let page = use_query("page");
    let data = Resource::new(
        move || {
            (
                q.get().unwrap_or_default(),
                status.get().unwrap_or_default(),
                page.get().and_then(|p| p.parse().ok()).unwrap_or(1u64),
            )
        },
        |(q, s, p)| customers(q, s, p.into()),
    );
    let statuses = ["", "active", "past_due", "unpaid", "paused", "canceled"];
    view! {
        <h1>{t!(i18n, console.customers)}</h1>
        <form method="get" action="/admin/customers" class="filters" role="search">
            <div class="field">
                <label for="cust-q">{t!(i18n, console.search_label)}</label>
                <input
                    id="cust-q"
                    name="q"
                    type="search"
                    value=move || q.get().unwrap_or_default()
                />
            </div>
            <div class="field">
                <label for="cust-status">{t!(i18n, console.status_filter)}</label>
                <select id="cust-status" name="status">
                    {statuses
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option
                                    value=s
                                    selected=move || status.get().unwrap_or_default() == s
                                >
                                    {match SubscriptionStatus::parse(s) {
                                        Ok(status) => sub_status_label(status),
                                        Err(_) => t!(i18n, console.status_any).into_any(),
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">
                {t!(i18n, console.search)}
            </button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => {
                        let base = format!(
                            "/admin/customers?q={}&status={}&",
                            encode(&q.get_untracked().unwrap_or_default()),
                            encode(&status.get_untracked().unwrap_or_default()),
                        );
                        view! {
                            <p>{t!(i18n, console.customers_count, count = list.total)}</p>
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, console.col_name)}</th>
                                            <th scope="col">{t!(i18n, console.col_email)}</th>
                                            <th scope="col">{t!(i18n, console.col_status)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!("/admin/customers/{}", r.id)>{r.name}</a>
                                                        </td>
                                                        <td>{r.email}</td>
                                                        <td>
                                                            {r
                                                                .status
                                                                .map(|status| {
                                                                    view! {
                                                                        <span class=format!(
                                                                            "status status-{}",
                                                                            status.as_str(),
                                                                        )>{sub_status_label(status)}</span>
                                                                    }
                                                                })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <PaginationNav page=list.page pages=list.pages base />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
        <NewCustomerSection />
    }
}

/// Staff add a customer by hand: email (new in the organization) and details.
#[component]
fn NewCustomerSection() -> impl IntoView {
    let i18n = use_i18n();
    let me = crate::console::ui::use_me();
    let create = ServerAction::<CreateCustomer>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let allowed = me.await.is_ok_and(|m| m.can_change);
                view! {
                    <section class="settings-section" aria-labelledby="new-customer-title">
                        <h2 id="new-customer-title">{t!(i18n, console.customer_new)}</h2>
                        <ActionForm action=create>
                            <div class="field">
                                <label for="new-customer-email">
                                    {t!(i18n, console.col_email)}
                                </label>
                                <input
                                    id="new-customer-email"
                                    name="email"
                                    type="email"
                                    required
                                    autocomplete="off"
                                    disabled=!allowed
                                    aria-describedby="new-customer-email-error"
                                />
                                <FieldErrorText
                                    id="new-customer-email-error"
                                    code=field_code(create.value(), "email")
                                />
                            </div>
                            <CustomerFields
                                prefix="new-customer"
                                current=None
                                errors=create.value()
                                allowed
                            />
                            <FormErrorText error=form_error(create.value()) />
                            <SaveButton pending=create.pending() allowed />
                        </ActionForm>
                    </section>
                }
            })}
        </Suspense>
    }
}
