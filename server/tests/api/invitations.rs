//! Settings → Team, invitations: an owner invites an email with a role; the emailed link
//! works once, for seven days, and the invited person's password must pass the strength
//! rule. Only owners invite and revoke; other organizations' invitations are not found.
use domain::StaffRole;
use dunwell::billing::Clock;
use dunwell::entity::{audit_event, outbound_email, staff_invitation, staff_user};
use dunwell::testing::{TestApp, TestDb, set_cookie};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::shop::{Shop, call, shop, staff};

const NEW_PW: &str = "a-long-and-unusual-passphrase";

/// `acme`'s owner (a fresh session).
async fn owner(s: &Shop) -> String {
    staff(&s.app, "acme", "owner@acme.test", StaffRole::Owner).await
}

async fn invite(s: &Shop, cookie: &str, email: &str, role: &str) -> reqwest::Response {
    call(
        &s.app,
        Some(cookie),
        "invite_member",
        &[("email", email), ("role", role)],
    )
    .await
}

/// The token of the newest invitation emailed to `to`.
async fn emailed_token(app: &TestApp, to: &str) -> String {
    let mail = outbound_email::Entity::find()
        .filter(outbound_email::Column::ToAddress.eq(to))
        .filter(outbound_email::Column::Kind.eq("staff_invitation"))
        .all(&app.state.db)
        .await
        .unwrap()
        .pop()
        .expect("an invitation email");
    let start = mail.text_body.find("/invite?token=").expect("the link") + "/invite?token=".len();
    mail.text_body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn accept(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    let form = [("token", token), ("password", password)];
    app.call("/api/console/accept_invitation", &form, None)
        .await
}

async fn an_invited_person_joins_once_with_their_own_password(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let owner = owner(&s).await;

    // Act
    let res = invite(&s, &owner, "Lucia@Example.com", "admin").await;

    // Assert: pending, emailed, only the token's hash stored.
    assert_eq!(res.status(), 200);
    let token = emailed_token(&s.app, "lucia@example.com").await;
    assert!(token.len() >= 40, "{token}");
    let stored = staff_invitation::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, token);
    assert_eq!(
        (stored[0].email.as_str(), stored[0].role.as_str()),
        ("lucia@example.com", "admin")
    );
    let team: serde_json::Value = call(&s.app, Some(&owner), "team", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        team["invitations"][0]["email"], "lucia@example.com",
        "{team}"
    );
    let page: serde_json::Value = s
        .app
        .call(
            "/api/console/invitation",
            &[("token", token.as_str())],
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["role"], "admin", "{page}");

    // Act: a guessable password is refused and nothing is written.
    let weak = accept(&s.app, &token, "password12345").await;

    // Assert
    assert_eq!(weak.status(), 422);
    let body: serde_json::Value = weak.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "password", "{body}");
    let lucia = staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq("lucia@example.com"))
        .count(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(lucia, 0);

    // Act: a good one joins, signed in.
    let joined = accept(&s.app, &token, NEW_PW).await;

    // Assert
    assert_eq!(joined.status(), 200);
    let cookie = set_cookie(&joined, "dw_staff").expect("signed in");
    let me: serde_json::Value = call(&s.app, Some(&cookie), "me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "lucia@example.com", "{me}");
    let user = staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq("lucia@example.com"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .expect("her account");
    assert_eq!(user.role, "admin");
    assert_ne!(user.password_hash, NEW_PW);
    for action in ["team.invited", "team.joined"] {
        let n = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&s.app.state.db)
            .await
            .unwrap();
        assert_eq!(n, 1, "{action}");
    }

    // Act / Assert: used twice, it is refused.
    let again = accept(&s.app, &token, NEW_PW).await;
    assert_eq!(again.status(), 409);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(body["Conflict"], "invitation_used", "{body}");
    let team: serde_json::Value = call(&s.app, Some(&owner), "team", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team["invitations"].as_array().unwrap().len(), 0, "{team}");
}

async fn an_invitation_expires_after_seven_days_and_can_be_revoked(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let owner = owner(&s).await;
    assert_eq!(
        invite(&s, &owner, "late@example.com", "viewer")
            .await
            .status(),
        200
    );
    let late = emailed_token(&s.app, "late@example.com").await;
    assert_eq!(
        invite(&s, &owner, "gone@example.com", "viewer")
            .await
            .status(),
        200
    );
    let gone = emailed_token(&s.app, "gone@example.com").await;

    // Act
    let revoked = call(
        &s.app,
        Some(&owner),
        "revoke_invitation",
        &[("email", "gone@example.com")],
    )
    .await;
    s.app
        .clock
        .set(s.app.clock.now() + chrono::TimeDelta::days(7));

    // Assert
    assert_eq!(revoked.status(), 200);
    assert_eq!(accept(&s.app, &gone, NEW_PW).await.status(), 404);
    let expired = accept(&s.app, &late, NEW_PW).await;
    assert_eq!(expired.status(), 409);
    let body: serde_json::Value = expired.json().await.unwrap();
    assert_eq!(body["Conflict"], "invitation_expired", "{body}");
    assert_eq!(accept(&s.app, "not-a-token", NEW_PW).await.status(), 404);
    let accounts = staff_user::Entity::find()
        .filter(staff_user::Column::Email.is_in(["late@example.com", "gone@example.com"]))
        .count(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
}

async fn only_owners_invite_and_bad_emails_are_named(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let owner = owner(&s).await;

    // Act / Assert
    assert_eq!(
        call(
            &s.app,
            None,
            "invite_member",
            &[("email", "x@example.com"), ("role", "admin")]
        )
        .await
        .status(),
        401
    );
    assert_eq!(
        invite(&s, &s.viewer, "x@example.com", "admin")
            .await
            .status(),
        403
    );
    assert_eq!(
        invite(&s, &s.admin, "x@example.com", "admin")
            .await
            .status(),
        403
    );
    for (email, role, field, code) in [
        ("not an email", "admin", "email", "email.invalid"),
        ("viewer@acme.test", "admin", "email", "email.taken"),
        ("owner@other.test", "admin", "email", "email.taken"),
        ("x@example.com", "emperor", "role", "role.invalid"),
    ] {
        let res = invite(&s, &owner, email, role).await;
        assert_eq!(res.status(), 422, "{email} {role}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Validation"][0]["field"], field, "{body}");
        assert_eq!(body["Validation"][0]["code"], code, "{body}");
    }
    assert_eq!(
        staff_invitation::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        0
    );
    // Another organization's pending invitation is not found.
    assert_eq!(
        invite(&s, &s.other, "y@example.com", "viewer")
            .await
            .status(),
        200
    );
    let res = call(
        &s.app,
        Some(&owner),
        "revoke_invitation",
        &[("email", "y@example.com")],
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = call(
        &s.app,
        Some(&s.viewer),
        "revoke_invitation",
        &[("email", "y@example.com")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        staff_invitation::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        1
    );
}

on_each_database!(
    an_invited_person_joins_once_with_their_own_password,
    an_invitation_expires_after_seven_days_and_can_be_revoked,
    only_owners_invite_and_bad_emails_are_named,
);
