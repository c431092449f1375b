use crate::console::api::SignOut;
use crate::console::dto::Me;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The guide's Payments sidebar: Overview, Customers, the two Settings pages, the audit log,
/// and in demo mode the Outbox and Test clock; who is signed in and Sign out.
#[component]
pub fn ConsoleSidebar(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let on = if href == "/admin" {
            path == "/admin" || path == "/admin/"
        } else {
            path.starts_with(href)
        };
        on.then_some("page")
    };
    let link = move |href: &'static str, label: AnyView| {
        view! {
            <li>
                <a href=href aria-current=move || current(href)>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav
            class="console-sidebar"
            aria-label=move || t_string!(i18n, console.sidebar_label).to_string()
        >
            <p class="sidebar-heading">{t!(i18n, console.sidebar_label)}</p>
            <ul>
                {link("/admin", t!(i18n, console.overview).into_any())}
                {link("/admin/customers", t!(i18n, console.customers).into_any())}
                {link("/admin/imports", t!(i18n, console.import_nav).into_any())}
                {link("/admin/catalog", t!(i18n, console.catalog).into_any())}
                {link("/admin/settings/payments", t!(i18n, console.settings_payments).into_any())}
                {link("/admin/settings/portal", t!(i18n, console.settings_portal).into_any())}
                {link(
                    "/admin/settings/notifications",
                    t!(i18n, console.settings_notifications).into_any(),
                )} {link("/admin/settings/team", t!(i18n, console.settings_team).into_any())}
                {link("/admin/settings/api-keys", t!(i18n, console.settings_api_keys).into_any())}
                {link("/admin/settings/webhooks", t!(i18n, console.settings_webhooks).into_any())}
                {link("/admin/audit", t!(i18n, console.audit_log).into_any())}
                {me
                    .demo
                    .then(|| {
                        view! {
                            {link("/admin/outbox", t!(i18n, console.outbox).into_any())}
                            {link("/admin/test-clock", t!(i18n, console.test_clock).into_any())}
                        }
                    })}
            </ul>
            <div class="console-who">
                <p>
                    {me.email.clone()}<br />
                    <span class="console-role">
                        {me.org_name.clone()}" · "
                        {match me.role {
                            domain::StaffRole::Owner => t!(i18n, console.role_owner).into_any(),
                            domain::StaffRole::Admin => t!(i18n, console.role_admin).into_any(),
                            domain::StaffRole::Viewer => t!(i18n, console.role_viewer).into_any(),
                        }}
                    </span>
                </p>
                <ActionForm action=sign_out>
                    <button
                        type="submit"
                        class="button button-secondary"
                        disabled=move || sign_out.pending().get()
                    >
                        {t!(i18n, console.sign_out)}
                    </button>
                </ActionForm>
            </div>
        </nav>
    }
}
