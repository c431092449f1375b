use crate::console::api::SaveBranding;
use crate::console::components::{BrandPreview, FieldErrorText, FormErrorText, SaveButton};
use crate::console::dto::PortalSettingsView;
use crate::error::FieldCode;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, use_i18n};
use domain::HexColor;
use leptos::prelude::*;

/// Step 2 of the guide: primary colour (picker and hex field kept in sync) and company name,
/// with the live preview beside them.
#[component]
pub fn BrandingForm(view: PortalSettingsView, can_change: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveBranding>::new();
    let color = RwSignal::new(view.primary_color.clone());
    let name = RwSignal::new(view.company_name.clone());
    let initial = view.primary_color.clone();
    let picker_value = move || {
        HexColor::parse(&color.get())
            .map(|c| c.to_hex())
            .unwrap_or_else(|_| initial.clone())
    };
    let live_error = Signal::derive(move || {
        let server = field_code(save.value(), "primary_color").get();
        server.or_else(|| {
            HexColor::parse(&color.get())
                .is_err()
                .then_some(FieldCode::ColorInvalid)
        })
    });
    let logo_url = view.logo.as_ref().map(|l| l.url.clone());
    view! {
        <div class="branding-grid">
            <ActionForm action=save>
                <input type="hidden" name="version" value=view.version />
                <div class="field">
                    <label for="primary-color-hex">{t!(i18n, console.primary_color)}</label>
                    <div class="color-row">
                        <input
                            id="primary-color-picker"
                            type="color"
                            value=view.primary_color.clone()
                            prop:value=picker_value
                            aria-label=move || {
                                crate::i18n::t_string!(i18n, console.color_picker).to_string()
                            }
                            disabled=!can_change
                            on:input=move |ev| color.set(event_target_value(&ev))
                        />
                        <input
                            id="primary-color-hex"
                            name="primary_color"
                            value=view.primary_color.clone()
                            prop:value=move || color.get()
                            maxlength="7"
                            autocomplete="off"
                            spellcheck="false"
                            disabled=!can_change
                            aria-describedby="primary-color-error"
                            on:input=move |ev| color.set(event_target_value(&ev))
                        />
                    </div>
                    <FieldErrorText id="primary-color-error" code=live_error />
                </div>
                <div class="field">
                    <label for="company-name">{t!(i18n, console.company_name)}</label>
                    <input
                        id="company-name"
                        name="company_name"
                        value=view.company_name.clone()
                        prop:value=move || name.get()
                        maxlength="200"
                        disabled=!can_change
                        aria-describedby="company-name-hint company-name-error"
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <p class="hint" id="company-name-hint">
                        {t!(i18n, console.company_name_hint)}
                    </p>
                    <FieldErrorText
                        id="company-name-error"
                        code=field_code(save.value(), "company_name")
                    />
                </div>
                <FormErrorText error=form_error(save.value()) />
                <SaveButton pending=save.pending() allowed=can_change />
            </ActionForm>
            <BrandPreview color=color.into() name=name.into() logo_url />
        </div>
    }
}
