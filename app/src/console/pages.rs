//! The console's route components.
mod api_keys_page;
mod api_reference_page;
mod audit_page;
mod catalog_page;
mod customer_page;
mod customers_page;
mod import_page;
mod imports_page;
mod invite_page;
mod notifications_page;
mod outbox_page;
mod overview_page;
mod payment_settings_page;
mod portal_settings_page;
mod setup_page;
mod sign_in_page;
mod team_page;
mod test_clock_page;
mod webhooks_page;

pub use api_keys_page::ApiKeysPage;
pub use api_reference_page::ApiReferencePage;
pub use audit_page::AuditPage;
pub use catalog_page::{CatalogPage, recurrence_label};
pub use customer_page::CustomerPage;
pub use customers_page::CustomersPage;
pub use import_page::ImportPage;
pub use imports_page::ImportsPage;
pub use invite_page::InvitePage;
pub use notifications_page::NotificationsPage;
pub use outbox_page::OutboxPage;
pub use overview_page::OverviewPage;
pub use payment_settings_page::PaymentSettingsPage;
pub use portal_settings_page::PortalSettingsPage;
pub use setup_page::SetupPage;
pub use sign_in_page::SignInPage;
pub use team_page::TeamPage;
pub use test_clock_page::TestClockPage;
pub use webhooks_page::{WebhookLogPage, WebhooksPage};

use crate::console::components::FormErrorText;
use crate::error::AppError;
use leptos::prelude::*;

/// What a page shows when its data failed to load.
pub(crate) fn failed_view(err: AppError) -> AnyView {
    view! { <FormErrorText error=Signal::stored(Some(err)) /> }.into_any()
}
