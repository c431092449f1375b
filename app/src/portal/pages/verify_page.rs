use crate::forms::form_error;
use crate::i18n::{t, tu_string, use_i18n};
use crate::portal::api::{RequestLink, SignIn, check_link};
use crate::portal::components::{FormErrorText, PageHeading};
use crate::portal::dto::LinkState;
use crate::portal::ui::{use_portal_key, use_query};
use leptos::prelude::*;

/// The magic link's landing: a "Continue" button signs in by POST, so mail scanners that
/// prefetch the link do not use it up. A used or expired link says so and offers a new one.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = use_portal_key();
    let token = use_query("token");
    let state = Resource::new(
        move || (key.get(), token.get().unwrap_or_default()),
        |(k, t)| check_link(k, t),
    );
    // A plain POST even with JavaScript: signing in loads the next page whole, so the shell,
    // the navigation and the saved language follow the new session. A refusal comes back
    // here in the query, and this action (rendered on the server) shows it.
    let sign_in = ServerAction::<SignIn>::new();
    let sign_in_url = <SignIn as leptos::server_fn::ServerFn>::url();
    view! {
        <PageHeading text=tu_string!(i18n, portal.verify_title).to_string() />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let k = key.get_untracked();
                match state.await {
                    Ok(LinkState::Valid) => {
                        view! {
                            <p>{t!(i18n, portal.verify_lede)}</p>
                            <form method="post" action=sign_in_url>
                                <input type="hidden" name="key" value=k />
                                <input
                                    type="hidden"
                                    name="token"
                                    value=token.get_untracked().unwrap_or_default()
                                />
                                <FormErrorText error=form_error(sign_in.value()) />
                                <button type="submit" class="button">
                                    {t!(i18n, portal.continue_button)}
                                </button>
                            </form>
                        }
                            .into_any()
                    }
                    Ok(state @ (LinkState::Used | LinkState::Expired)) => {
                        let used = state == LinkState::Used;
                        view! {
                            <p role="alert">
                                {if used {
                                    t!(i18n, portal.link_used).into_any()
                                } else {
                                    t!(i18n, portal.link_expired).into_any()
                                }}
                            </p>
                            <ResendForm key=k />
                        }
                            .into_any()
                    }
                    Ok(LinkState::Invalid) | Err(_) => {
                        view! {
                            <p role="alert">{t!(i18n, portal.link_invalid)}</p>
                            <p>
                                <a href=format!(
                                    "/portal/{k}/login",
                                )>{t!(i18n, portal.back_to_login)}</a>
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A new link for a used or expired one (an island). The customer types the address:
/// the page never shows whose link it was.
#[island]
fn ResendForm(key: String) -> impl IntoView {
    let i18n = use_i18n();
    let resend = ServerAction::<RequestLink>::new();
    view! {
        <ActionForm action=resend>
            <input type="hidden" name="key" value=key />
            <div class="field">
                <label for="resend-email">{t!(i18n, portal.email_label)}</label>
                <input id="resend-email" type="email" name="email" required autocomplete="email" />
            </div>
            <FormErrorText error=form_error(resend.value()) />
            <button type="submit" class="button" disabled=move || resend.pending().get()>
                {t!(i18n, portal.send_new_link)}
            </button>
        </ActionForm>
    }
}
