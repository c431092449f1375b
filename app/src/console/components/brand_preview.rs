use crate::i18n::{t, t_string, use_i18n};
use domain::{HexColor, check_text_contrast};
use leptos::prelude::*;

/// A live preview of the portal's header, a button and a link, with the WCAG contrast of
/// the button text, computed by `domain` (in the browser as the admin types).
#[component]
pub fn BrandPreview(
    color: Signal<String>,
    name: Signal<String>,
    logo_url: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let parsed = Memo::new(move |_| HexColor::parse(&color.get()).ok());
    let bg = move || parsed.get().unwrap_or(HexColor::from_rgb(0x1f, 0x5f, 0xbf));
    let check = move || check_text_contrast(bg(), HexColor::WHITE);
    let text = move || {
        if check().passes {
            HexColor::WHITE
        } else {
            check().suggested_text
        }
    };
    view! {
        <div
            class="brand-preview"
            role="group"
            aria-label=move || t_string!(i18n, console.preview_label).to_string()
        >
            <div class="brand-preview-header" style:border-bottom-color=move || bg().to_hex()>
                {logo_url.map(|u| view! { <img src=u alt="" height="32" /> })}
                <span class="brand-preview-name">{move || name.get()}</span>
            </div>
            <div class="brand-preview-body">
                <button
                    type="button"
                    class="brand-preview-button"
                    tabindex="-1"
                    style:background-color=move || bg().to_hex()
                    style:color=move || text().to_hex()
                >
                    {t!(i18n, console.preview_button)}
                </button>
                <a
                    href="#"
                    class="brand-preview-link"
                    tabindex="-1"
                    style:color=move || bg().to_hex()
                >
                    {t!(i18n, console.preview_link)}
                </a>
            </div>
            <p class="contrast" aria-live="polite">
                {move || t_string!(i18n, console.contrast_ratio).to_string()}
                " "
                <strong>{move || format!("{:.2}:1", check().ratio)}</strong>
            </p>
            {move || {
                (!check().passes)
                    .then(|| {
                        view! {
                            <p class="notice notice-warning" role="status">
                                {t!(
                                    i18n, console.contrast_warning, suggested = check().suggested_text.to_hex()
                                )}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
