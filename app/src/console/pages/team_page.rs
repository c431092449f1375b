use crate::console::api::{
    ChangePassword, InviteMember, RemoveMember, RevokeInvitation, SetMemberRole, team,
};
use crate::console::components::{FieldErrorText, FormErrorText, SavedNotice};
use crate::console::dto::{InvitationRow, MemberRow};
use crate::console::pages::failed_view;
use crate::forms::{field_code, form_error};
use crate::i18n::{t, tu_string, use_i18n};
use domain::StaffRole;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/settings/team`: who works in the console, with which role. Owners change roles
/// and remove members (never the last owner); everyone changes their own password.
#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    // Every change redirects here with a new query: refetch then.
    let data = Resource::new(move || location.search.get(), |_| team());
    view! {
        <Title text=tu_string!(i18n, console.settings_team).to_string() />
        <h1>{t!(i18n, console.settings_team)}</h1>
        <SavedNotice />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let can_manage = view.can_manage;
                        view! {
                            <section class="settings-section" aria-labelledby="members-title">
                                <h2 id="members-title">{t!(i18n, console.team_members)}</h2>
                                {(!can_manage)
                                    .then(|| {
                                        view! {
                                            <p class="notice notice-info">
                                                {t!(i18n, console.team_owners_only)}
                                            </p>
                                        }
                                    })}
                                <ul class="team-list">
                                    {view
                                        .members
                                        .into_iter()
                                        .map(|m| view! { <MemberItem member=m can_manage /> })
                                        .collect_view()}
                                </ul>
                            </section>
                            <InvitationsSection invitations=view.invitations can_manage />
                            <PasswordSection />
                        }
                            .into_any()
                    }
                    Err(e) => failed_view(e),
                }
            })}
        </Suspense>
    }
}

fn role_label(role: StaffRole) -> AnyView {
    let i18n = use_i18n();
    match role {
        StaffRole::Owner => t!(i18n, console.role_owner).into_any(),
        StaffRole::Admin => t!(i18n, console.role_admin).into_any(),
        StaffRole::Viewer => t!(i18n, console.role_viewer).into_any(),
    }
}

#[component]
fn MemberItem(member: MemberRow, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let set_role = ServerAction::<SetMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let slug: String = member
        .email
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let select_id = format!("role-{slug}");
    let current = member.role;
    let (email_role, email_label, email_remove, email_named) = (
        member.email.clone(),
        member.email.clone(),
        member.email.clone(),
        member.email.clone(),
    );
    view! {
        <li class="team-member">
            <p>
                <strong>{member.email.clone()}</strong>
                {member
                    .is_you
                    .then(|| {
                        view! {
                            " "
                            {t!(i18n, console.team_you)}
                        }
                    })}
                <br />
                <span class="hint">
                    {role_label(member.role)} " · " {t!(i18n, console.team_since)} " "
                    {member.since.clone()}
                </span>
            </p>
            {can_manage
                .then(|| {
                    view! {
                        <ActionForm action=set_role attr:class="team-role">
                            <input type="hidden" name="email" value=email_role />
                            <label for=select_id
                                .clone()>{t!(i18n, console.team_role_of)} " " {email_label}</label>
                            <select id=select_id.clone() name="role">
                                {StaffRole::ALL
                                    .iter()
                                    .map(|r| {
                                        view! {
                                            <option value=r.as_str() selected=*r == current>
                                                {role_label(*r)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <button
                                type="submit"
                                class="button button-secondary"
                                disabled=move || set_role.pending().get()
                            >
                                {t!(i18n, console.team_change_role)}
                            </button>
                        </ActionForm>
                        <FormErrorText error=form_error(set_role.value()) />
                        <ActionForm action=remove>
                            <input type="hidden" name="email" value=email_remove />
                            <button
                                type="submit"
                                class="button button-danger"
                                disabled=move || remove.pending().get()
                            >
                                {t!(i18n, console.team_remove)}
                                <span class="visually-hidden">" " {email_named}</span>
                            </button>
                        </ActionForm>
                        <FormErrorText error=form_error(remove.value()) />
                    }
                })}
        </li>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <section class="settings-section" aria-labelledby="password-title">
            <h2 id="password-title">{t!(i18n, console.team_your_password)}</h2>
            <ActionForm action=change>
                <div class="field">
                    <label for="current-password">{t!(i18n, console.team_current_password)}</label>
                    <input
                        id="current-password"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-describedby="current-password-error"
                    />
                    <FieldErrorText
                        id="current-password-error"
                        code=field_code(change.value(), "current_password")
                    />
                </div>
                <div class="field">
                    <label for="new-password">{t!(i18n, console.team_new_password)}</label>
                    <input
                        id="new-password"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                        minlength="12"
                        required
                        aria-describedby="new-password-hint new-password-error"
                    />
                    <p class="hint" id="new-password-hint">
                        {t!(i18n, console.setup_password_hint)}
                    </p>
                    <FieldErrorText
                        id="new-password-error"
                        code=field_code(change.value(), "new_password")
                    />
                </div>
                <FormErrorText error=form_error(change.value()) />
                <button type="submit" class="button" disabled=move || change.pending().get()>
                    {t!(i18n, console.team_change_password)}
                </button>
            </ActionForm>
        </section>
    }
}

/// Pending invitations, and (owners) the form that sends one.
#[component]
fn InvitationsSection(invitations: Vec<InvitationRow>, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteMember>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let empty = invitations.is_empty();
    view! {
        <section class="settings-section" aria-labelledby="invite-title">
            <h2 id="invite-title">{t!(i18n, console.invite_title)}</h2>
            {empty.then(|| view! { <p class="hint">{t!(i18n, console.invite_none)}</p> })}
            <ul class="team-list">
                {invitations
                    .into_iter()
                    .map(|i| {
                        let (email, named) = (i.email.clone(), i.email.clone());
                        view! {
                            <li class="team-member">
                                <p>
                                    <strong>{i.email.clone()}</strong>
                                    <br />
                                    <span class="hint">
                                        {role_label(i.role)} " · " {t!(i18n, console.invite_until)}
                                        " " {i.expires.clone()}
                                    </span>
                                </p>
                                {can_manage
                                    .then(|| {
                                        view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="email" value=email />
                                                <button
                                                    type="submit"
                                                    class="button button-secondary"
                                                    disabled=move || revoke.pending().get()
                                                >
                                                    {t!(i18n, console.invite_revoke)}
                                                    <span class="visually-hidden">" " {named}</span>
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <FormErrorText error=form_error(revoke.value()) />
            {can_manage
                .then(|| {
                    view! {
                        <ActionForm action=invite>
                            <div class="field">
                                <label for="invite-email">{t!(i18n, console.invite_email)}</label>
                                <input
                                    id="invite-email"
                                    name="email"
                                    type="email"
                                    autocomplete="off"
                                    required
                                    aria-describedby="invite-email-error"
                                />
                                <FieldErrorText
                                    id="invite-email-error"
                                    code=field_code(invite.value(), "email")
                                />
                            </div>
                            <div class="field">
                                <label for="invite-role">{t!(i18n, console.invite_role)}</label>
                                <select id="invite-role" name="role">
                                    {StaffRole::ALL
                                        .iter()
                                        .map(|r| {
                                            view! {
                                                <option value=r.as_str() selected=*r == StaffRole::Admin>
                                                    {role_label(*r)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <FormErrorText error=form_error(invite.value()) />
                            <button
                                type="submit"
                                class="button"
                                disabled=move || invite.pending().get()
                            >
                                {t!(i18n, console.invite_send)}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
