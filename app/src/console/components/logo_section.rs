use crate::console::api::RemoveLogo;
use crate::console::components::{FieldErrorText, FormErrorText};
use crate::console::dto::PortalSettingsView;
use crate::console::ui::use_query;
use crate::error::FieldCode;
use crate::forms::form_error;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

/// The logo: what is there (dimensions, a warning unless about 200×50 with transparency),
/// upload (a plain multipart form to `/admin/brand/logo`, checked by content on the server)
/// and remove.
#[component]
pub fn LogoSection(view: PortalSettingsView, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let remove = ServerAction::<RemoveLogo>::new();
    let upload_query = use_query("logo_error");
    // The upload is a plain form: its error comes back in the URL. Anything there that is
    // not a field code (a refusal such as `http.403`) shows as a generic field error.
    let upload_error = Signal::derive(move || {
        upload_query
            .get()
            .map(|code| code.parse().unwrap_or(FieldCode::Invalid))
    });
    view! {
        <div class="logo-section">
            <h3>{t!(i18n, console.logo)}</h3>
            {match view.logo.clone() {
                Some(logo) => {
                    let ok = logo.matches_recommendation();
                    view! {
                        <div class="logo-current">
                            <img
                                src=logo.url.clone()
                                alt=move || {
                                    crate::i18n::t_string!(i18n, console.logo_current_alt)
                                        .to_string()
                                }
                            />
                            <p>
                                {t!(
                                    i18n, console.logo_dimensions, width = logo.width, height = logo.height, kb = logo.bytes.div_ceil(1024)
                                )}
                            </p>
                            {(!ok)
                                .then(|| {
                                    view! {
                                        <p class="notice notice-warning">
                                            {t!(i18n, console.logo_warning)}
                                        </p>
                                    }
                                })}
                            <ActionForm action=remove>
                                <input type="hidden" name="version" value=view.version />
                                <button
                                    type="submit"
                                    class="button button-secondary"
                                    disabled=move || !can_change || remove.pending().get()
                                >
                                    {t!(i18n, console.logo_remove)}
                                </button>
                            </ActionForm>
                            <FormErrorText error=form_error(remove.value()) />
                        </div>
                    }
                        .into_any()
                }
                None => view! { <p>{t!(i18n, console.logo_none)}</p> }.into_any(),
            }}
            <form
                method="post"
                action="/admin/brand/logo"
                enctype="multipart/form-data"
                class="logo-upload"
            >
                <div class="field">
                    <label for="logo-file">{t!(i18n, console.logo_upload_label)}</label>
                    <input
                        id="logo-file"
                        type="file"
                        name="logo"
                        accept="image/png"
                        required
                        disabled=!can_change
                        aria-describedby="logo-hint logo-error"
                    />
                    <p class="hint" id="logo-hint">
                        {t!(i18n, console.logo_hint)}
                    </p>
                    <FieldErrorText id="logo-error" code=upload_error />
                </div>
                <button type="submit" class="button" disabled=!can_change>
                    {t!(i18n, console.logo_upload)}
                </button>
            </form>
        </div>
    }
}
