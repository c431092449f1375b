use crate::console::components::CopyButton;
use crate::console::dto::PortalSettingsView;
use crate::i18n::{t, t_string, use_i18n};
use domain::HexColor;
use leptos::prelude::*;

/// Step 4 of the guide: the portal link and a ready "Manage billing" button snippet in the
/// brand colour, both with Copy buttons.
#[component]
pub fn ShareSection(view: PortalSettingsView) -> impl IntoView {
    let i18n = use_i18n();
    let Some(url) = view.portal_url.clone() else {
        return view! { <p>{t!(i18n, console.share_no_key)}</p> }.into_any();
    };
    let color = HexColor::parse(&view.primary_color).unwrap_or(HexColor::BLACK);
    let snippet = move || {
        let label = t_string!(i18n, console.manage_billing).to_string();
        format!(
            "<a href=\"{url}\" style=\"display:inline-block;padding:0.6em 1.2em;border-radius:6px;background:{bg};color:{fg};text-decoration:none;font-family:sans-serif\">{label}</a>",
            url = url.replace('"', "&quot;"),
            bg = color.to_hex(),
            fg = color.readable_text_color().to_hex(),
        )
    };
    let link = view.portal_url.clone().unwrap_or_default();
    view! {
        <div class="field">
            <label for="share-link">{t!(i18n, console.share_link)}</label>
            <div class="copy-row">
                <input id="share-link" readonly value=link.clone() />
                <CopyButton
                    text=link
                    label=move || t_string!(i18n, console.copy_portal_url).to_string()
                />
            </div>
        </div>
        <div class="field">
            <label for="share-snippet">{t!(i18n, console.share_snippet)}</label>
            <textarea id="share-snippet" readonly rows="4">
                {snippet()}
            </textarea>
            <CopyButton
                text=snippet()
                label=move || t_string!(i18n, console.copy_snippet).to_string()
            />
            <p class="hint">{t!(i18n, console.share_email_hint)}</p>
        </div>
        <h3>{t!(i18n, console.share_app_title)}</h3>
        <p>{t!(i18n, console.share_app_text)}</p>
        <p>
            <code>"POST /v1/portal_sessions"</code>
        </p>
        <p>
            <a href="/admin/settings/api-keys">{t!(i18n, console.share_app_keys)}</a>
        </p>
    }
    .into_any()
}
