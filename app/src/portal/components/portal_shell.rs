use crate::components::LanguageSwitcher;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::portal::api::{SignOut, portal_shell};
use crate::portal::components::PortalUnavailable;
use crate::portal::dto::PortalShellData;
use crate::portal::ui::use_portal_key;
use domain::PortalPermission;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

type ShellResource = Resource<Result<PortalShellData, AppError>>;

/// The shell's data (brand, who is signed in), for pages.
pub fn use_shell() -> ShellResource {
    expect_context::<ShellResource>()
}

/// The merchant-branded frame of every portal page: logo, company name (also in the tab
/// title), the brand colour as CSS variables, navigation by permission, language, sign-out.
///
/// The page (`Outlet`) stays outside the `Suspense`: on the server a `Suspense` walks its
/// children several times while its data loads, and an `Outlet` inside it would build the
/// page (and its resources) each time, shifting resource ids so that hydration fails.
/// For an unknown or disabled portal the frame shows the neutral notice and CSS hides the
/// page beside it.
#[component]
pub fn PortalShell() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let shell: ShellResource = Resource::new(move || key.get(), portal_shell);
    provide_context(shell);
    view! {
        <div class="portal">
            <a class="skip-link" href="#main">
                {t!(i18n, portal.skip_to_content)}
            </a>
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match shell.await {
                        Ok(data) => view! { <BrandedHeader data /> }.into_any(),
                        Err(_) => view! { <PortalUnavailable /> }.into_any(),
                    }
                })}
            </Suspense>
            <main id="main" tabindex="-1" class="portal-main">
                <Outlet />
            </main>
            <footer class="portal-footer">
                <p>{t!(i18n, portal.footer)}</p>
            </footer>
        </div>
    }
}

#[component]
fn BrandedHeader(data: PortalShellData) -> impl IntoView {
    let i18n = use_i18n();
    let brand = data.brand.clone();
    let base = format!("/portal/{}", brand.key);
    // The brand colours are validated hex values (domain::HexColor), so they cannot end
    // the rule or the element. The page's CSP allows this style element by its nonce.
    let brand_css = format!(
        ".portal{{--brand:{};--brand-text:{}}}",
        brand.primary_color, brand.on_primary_color
    );
    // Each page names itself (`PageHeading`): the title is "{page} · {company}". The
    // formatter captures plain values, no signal: leptos_meta calls it after a yield,
    // outside the request's reactive arena (see `make lint`).
    // leptos_meta writes the server-rendered <title> unescaped: a company name such as
    // `</title><script>` must stay text. The browser decodes the entities back; on the
    // client the title is set as text (document.title), so it gets the raw name.
    let company = brand.company_name.clone();
    let title = move |page: String| {
        let full = format!("{page} · {company}");
        if cfg!(feature = "ssr") {
            html_escape::encode_text(&full).into_owned()
        } else {
            full
        }
    };
    let can_pay = brand
        .permissions
        .contains(PortalPermission::UpdatePaymentMethods);
    let can_history = brand
        .permissions
        .contains(PortalPermission::ViewPaymentHistory);
    let can_invoices = brand
        .permissions
        .contains(PortalPermission::DownloadInvoices);
    let can_cancel = brand
        .permissions
        .contains(PortalPermission::CancelSubscription);
    let can_pause = brand
        .permissions
        .contains(PortalPermission::PauseSubscription);
    let can_change_plan = brand.permissions.contains(PortalPermission::ChangePlan);
    let can_billing = brand
        .permissions
        .contains(PortalPermission::UpdateBillingDetails);
    let signed_in = data.customer.clone();
    // A session the merchant's app opened links back to the app (a checked http(s) URL).
    let back = data.app_return_url.clone().map(|href| {
        let company = brand.company_name.clone();
        view! {
            <a class="portal-back" href=href>
                {t!(i18n, portal.back_to_app, company = company)}
            </a>
        }
    });
    // Plain links: portal pages are not hydrated (only their forms are, see
    // `portal::browser`), so the current page is marked here, on the server.
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let link = move |href: String, exact: bool, label: AnyView| {
        let current = here == href
            || (!exact
                && here
                    .strip_prefix(href.as_str())
                    .is_some_and(|rest| rest.starts_with('/')));
        view! {
            <a href=href aria-current=current.then_some("page")>
                {label}
            </a>
        }
    };
    // A plain POST: signing out reloads the page whole (no stale shell).
    let sign_out_url = <SignOut as leptos::server_fn::ServerFn>::url();
    view! {
        <Title formatter=title />
        <style nonce=leptos::nonce::use_nonce()>{brand_css}</style>
        <header class="portal-header">
            <a class="portal-brand" href=base.clone()>
                {brand
                    .logo_url
                    .clone()
                    .map(|src| view! { <img src=src alt="" width="200" height="50" /> })}
                <span class="portal-company">{brand.company_name.clone()}</span>
            </a>
            {back}
            <LanguageSwitcher />
        </header>
        {signed_in
            .map(|(name, email)| {
                view! {
                    <nav
                        class="portal-nav"
                        aria-label=move || t_string!(i18n, portal.nav_label).to_string()
                    >
                        {link(base.clone(), true, t!(i18n, portal.nav_overview).into_any())}
                        {can_pay
                            .then(|| link(
                                format!("{base}/payment-methods"),
                                false,
                                t!(i18n, portal.nav_payment_methods).into_any(),
                            ))}
                        {can_history
                            .then(|| link(
                                format!("{base}/history"),
                                false,
                                t!(i18n, portal.nav_history).into_any(),
                            ))}
                        {can_invoices
                            .then(|| link(
                                format!("{base}/invoices"),
                                false,
                                t!(i18n, portal.nav_invoices).into_any(),
                            ))}
                        {can_billing
                            .then(|| link(
                                format!("{base}/billing"),
                                false,
                                t!(i18n, portal.nav_billing).into_any(),
                            ))}
                        {can_change_plan
                            .then(|| link(
                                format!("{base}/plan"),
                                false,
                                t!(i18n, portal.nav_plan).into_any(),
                            ))}
                        {can_pause
                            .then(|| link(
                                format!("{base}/pause"),
                                false,
                                t!(i18n, portal.nav_pause).into_any(),
                            ))}
                        {can_cancel
                            .then(|| link(
                                format!("{base}/cancel"),
                                false,
                                t!(i18n, portal.nav_cancel).into_any(),
                            ))}
                        <span class="portal-who" title=email>
                            {name}
                        </span>
                        <form method="post" action=sign_out_url class="inline-form">
                            <input type="hidden" name="key" value=brand.key.clone() />
                            <button type="submit" class="link-button">
                                {t!(i18n, portal.sign_out)}
                            </button>
                        </form>
                    </nav>
                }
            })}
    }
}
