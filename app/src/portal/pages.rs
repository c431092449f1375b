//! The portal's route components.
mod billing_page;
mod cancel_page;
mod history_page;
mod invoices_page;
mod login_page;
mod overview_page;
mod pause_page;
mod pay_page;
mod payment_methods_page;
mod plan_page;
mod verify_page;

pub use billing_page::BillingPage;
pub use cancel_page::CancelPage;
pub use history_page::HistoryPage;
pub use invoices_page::InvoicesPage;
pub use login_page::LoginPage;
pub use overview_page::OverviewPage;
pub use pause_page::PausePage;
pub use pay_page::PayPage;
pub use payment_methods_page::PaymentMethodsPage;
pub use plan_page::PlanPage;
pub use verify_page::VerifyPage;

use crate::error::AppError;
use crate::portal::components::PortalUnavailable;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// What a page shows when its data failed: sign-in for a missing session (coming back
/// here afterwards), a 403 explanation, or the neutral "unavailable" page.
pub fn failed_view(key: &str, here: &str, err: AppError) -> AnyView {
    let i18n = crate::i18n::use_i18n();
    match err {
        AppError::Unauthenticated => {
            let path = format!(
                "/portal/{key}/login?return_to={}",
                crate::forms::encode(here)
            );
            view! { <Redirect path /> }.into_any()
        }
        AppError::Forbidden => view! {
            <h1>{crate::i18n::t!(i18n, portal.forbidden_title)}</h1>
            <p>{crate::i18n::t!(i18n, portal.err_forbidden)}</p>
        }
        .into_any(),
        _ => view! { <PortalUnavailable /> }.into_any(),
    }
}
