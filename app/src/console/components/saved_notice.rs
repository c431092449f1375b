use crate::console::ui::use_query;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// The success message after a save (the server redirects with `?saved=…`).
#[component]
pub fn SavedNotice() -> impl IntoView {
    let saved = use_query("saved");
    view! {
        {move || {
            saved
                .get()
                .map(|s| {
                    view! {
                        <p class="notice notice-success" role="status">
                            {saved_message(&s)}
                        </p>
                    }
                })
        }}
    }
}

/// The translated message for a `saved` code (shared with the toast).
pub fn saved_message(code: &str) -> AnyView {
    let i18n = use_i18n();
    match code {
        "enable" => t!(i18n, console.saved_enable).into_any(),
        "rotated" => t!(i18n, console.saved_rotated).into_any(),
        "logo" => t!(i18n, console.saved_logo).into_any(),
        "started" => t!(i18n, console.saved_started).into_any(),
        "logo_removed" => t!(i18n, console.saved_logo_removed).into_any(),
        "test_sent" => t!(i18n, console.saved_test_sent).into_any(),
        "reset" => t!(i18n, console.saved_reset).into_any(),
        "link" => t!(i18n, console.saved_link).into_any(),
        "connected" => t!(i18n, console.saved_connected).into_any(),
        "disconnected" => t!(i18n, console.saved_disconnected).into_any(),
        "policy" => t!(i18n, console.saved_policy).into_any(),
        "business" => t!(i18n, console.saved_business).into_any(),
        "role" => t!(i18n, console.saved_role).into_any(),
        "removed" => t!(i18n, console.saved_removed).into_any(),
        "password" => t!(i18n, console.saved_password).into_any(),
        "created" => t!(i18n, console.saved_price_created).into_any(),
        "archived" => t!(i18n, console.saved_price_archived).into_any(),
        "restored" => t!(i18n, console.saved_price_restored).into_any(),
        "deleted" => t!(i18n, console.saved_price_deleted).into_any(),
        "customer_created" => t!(i18n, console.saved_customer_created).into_any(),
        "details" => t!(i18n, console.saved_customer_details).into_any(),
        "customer_archived" => t!(i18n, console.saved_customer_archived).into_any(),
        "customer_restored" => t!(i18n, console.saved_customer_restored).into_any(),
        "subscription_paid" => t!(i18n, console.saved_subscription_paid).into_any(),
        "subscription_declined" => t!(i18n, console.saved_subscription_declined).into_any(),
        "subscription_pending" => t!(i18n, console.saved_subscription_pending).into_any(),
        "subscription_awaiting" => t!(i18n, console.saved_subscription_awaiting).into_any(),
        "subscription_later" => t!(i18n, console.saved_subscription_later).into_any(),
        "subscription_canceled" => t!(i18n, console.saved_subscription_canceled).into_any(),
        "subscription_ending" => t!(i18n, console.saved_subscription_ending).into_any(),
        "subscription_resumed" => t!(i18n, console.saved_subscription_resumed).into_any(),
        "invited" => t!(i18n, console.saved_invited).into_any(),
        "invitation_revoked" => t!(i18n, console.saved_invitation_revoked).into_any(),
        "api_key_created" => t!(i18n, console.saved_api_key_created).into_any(),
        "api_key_revoked" => t!(i18n, console.saved_api_key_revoked).into_any(),
        "webhook_created" => t!(i18n, console.saved_webhook_created).into_any(),
        "webhook_rotated" => t!(i18n, console.saved_webhook_rotated).into_any(),
        "webhook_saved" => t!(i18n, console.saved_webhook_saved).into_any(),
        "webhook_deleted" => t!(i18n, console.saved_webhook_deleted).into_any(),
        "webhook_replayed" => t!(i18n, console.saved_webhook_replayed).into_any(),
        _ => t!(i18n, console.saved).into_any(),
    }
}
