use crate::console::api::{AcceptInvitation, invitation};
use crate::console::components::{FieldErrorText, FormErrorText};
use crate::console::dto::InvitationView;
use crate::console::ui::use_query;
use crate::error::AppError;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, t_string, tu_string, use_i18n};
use domain::StaffRole;
use leptos::prelude::*;
use leptos_meta::Title;
use wire::error::Conflict;

/// `/invite?token=…`: the link an owner's invitation emailed. The invited person chooses
/// their password and joins the team, signed in; a used, expired or unknown link says so
/// (409 or 404).
#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_query("token");
    let found = Resource::new(move || token.get().unwrap_or_default(), invitation);
    view! {
        <Title text=tu_string!(i18n, console.invite_page_title).to_string() />
        <section class="sign-in setup" aria-labelledby="invite-page-title">
            <h1 id="invite-page-title">{t!(i18n, console.invite_page_title)}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    found
                        .get()
                        .map(|outcome| match outcome {
                            Ok(inv) => {
                                view! { <InviteForm inv token=token.get().unwrap_or_default() /> }
                                    .into_any()
                            }
                            Err(e) => view! { <InviteGone error=e /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// A used, expired or unknown invitation.
#[component]
fn InviteGone(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::NOT_FOUND),
        );
    }
    let i18n = use_i18n();
    let text = match error {
        AppError::Conflict(Conflict::InvitationUsed) => t!(i18n, console.invite_used).into_any(),
        AppError::Conflict(Conflict::InvitationExpired) => {
            t!(i18n, console.invite_expired).into_any()
        }
        _ => t!(i18n, console.invite_unknown).into_any(),
    };
    view! {
        <p class="notice notice-warning" role="status">
            {text}
        </p>
        <p>
            <a href="/admin/sign-in">{t!(i18n, console.sign_in)}</a>
        </p>
    }
}

#[component]
fn InviteForm(inv: InvitationView, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptInvitation>::new();
    let role = match inv.role {
        StaffRole::Owner => t_string!(i18n, console.role_owner).to_string(),
        StaffRole::Admin => t_string!(i18n, console.role_admin).to_string(),
        StaffRole::Viewer => t_string!(i18n, console.role_viewer).to_string(),
    };
    let organization = inv.organization.clone();
    view! {
        <p>{t!(i18n, console.invite_intro, org = organization.clone(), role = role.clone())}</p>
        <ActionForm action=action>
            <input type="hidden" name="token" value=token />
            <div class="field">
                <label for="invite-page-email">{t!(i18n, console.email)}</label>
                <input
                    id="invite-page-email"
                    type="email"
                    autocomplete="username"
                    value=inv.email
                    readonly
                />
            </div>
            <div class="field">
                <label for="invite-page-password">{t!(i18n, console.password)}</label>
                <input
                    id="invite-page-password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="12"
                    aria-describedby="invite-page-password-hint invite-page-password-error"
                />
                <p class="hint" id="invite-page-password-hint">
                    {t!(i18n, console.setup_password_hint)}
                </p>
                <FieldErrorText
                    id="invite-page-password-error"
                    code=field_code(action.value(), "password")
                />
            </div>
            <FormErrorText error=form_error(action.value()) />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {t!(i18n, console.invite_join)}
            </button>
        </ActionForm>
    }
}
