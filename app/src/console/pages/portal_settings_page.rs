use crate::console::api::portal_settings;
use crate::console::components::{
    BrandingForm, EnableSection, LogoSection, PermissionsForm, SaveToast, SavedNotice,
    ShareSection, ViewerNotice,
};
use crate::console::pages::failed_view;
use crate::console::ui::use_me;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// `/admin/settings/portal`: the guide's four steps: Enable, Branding, Permissions, Share.
#[component]
pub fn PortalSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let me = use_me();
    // Every save redirects here with a new query: refetch then.
    let data = Resource::new(move || location.search.get(), |_| portal_settings());
    view! {
        <h1>{t!(i18n, console.settings_portal)}</h1>
        <SavedNotice />
        <SaveToast />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (Ok(me), view) = (me.await, data.await) else {
                    return failed_view(crate::error::AppError::Unauthenticated);
                };
                match view {
                    Ok(v) => {
                        view! {
                            <div class="notices">
                                <ViewerNotice can_change=me.can_change />
                            </div>
                            <EnableSection view=v.clone() me=me.clone() />
                            <section class="settings-section" aria-labelledby="branding-title">
                                <h2 id="branding-title">{t!(i18n, console.branding_title)}</h2>
                                <LogoSection view=v.clone() can_change=me.can_change />
                                <BrandingForm view=v.clone() can_change=me.can_change />
                            </section>
                            <section class="settings-section" aria-labelledby="permissions-title">
                                <h2 id="permissions-title">
                                    {t!(i18n, console.permissions_title)}
                                </h2>
                                <PermissionsForm view=v.clone() can_change=me.can_change />
                            </section>
                            <section class="settings-section" aria-labelledby="share-title">
                                <h2 id="share-title">{t!(i18n, console.share_title)}</h2>
                                <ShareSection view=v />
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}
