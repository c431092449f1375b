//! Settings → Team: owners change roles and remove members, never the last owner; every
//! member changes their own password; other organizations' staff are not found.
use domain::{EmailAddress, StaffRole};
use dunwell::entity::{audit_event, staff_user};
use dunwell::testing::{TestApp, TestDb, set_cookie, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PW: &str = "correct-horse-battery";

struct Team {
    app: TestApp,
    owner: String,
    admin: String,
    viewer: String,
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let form = [("email", email), ("password", password)];
    app.call("/api/console/sign_in", &form, None).await
}

async fn staff(app: &TestApp, org: &str, email: &str, role: StaffRole) -> String {
    let address = EmailAddress::parse(email).unwrap();
    dunwell::staff::create_staff(&app.state.db, org, &address, PW, role)
        .await
        .unwrap();
    set_cookie(&sign_in(app, email, PW).await, "dw_staff").expect("signed in")
}

async fn team(tdb: &TestDb) -> Team {
    let app = spawn_app(&tdb.db).await;
    let owner = staff(&app, "acme", "owner@acme.test", StaffRole::Owner).await;
    let admin = staff(&app, "acme", "admin@acme.test", StaffRole::Admin).await;
    let viewer = staff(&app, "acme", "viewer@acme.test", StaffRole::Viewer).await;
    staff(&app, "other", "owner@other.test", StaffRole::Owner).await;
    Team {
        app,
        owner,
        admin,
        viewer,
    }
}

async fn call(t: &Team, cookie: &str, fun: &str, form: &[(&str, &str)]) -> reqwest::Response {
    t.app
        .call(&format!("/api/console/{fun}"), form, Some(cookie))
        .await
}

async fn role_of(t: &Team, email: &str) -> Option<String> {
    staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq(email))
        .one(&t.app.state.db)
        .await
        .unwrap()
        .map(|u| u.role)
}

async fn an_owner_changes_a_role_and_it_is_audited(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;

    // Act
    let res = call(
        &t,
        &t.owner,
        "set_member_role",
        &[("email", "viewer@acme.test"), ("role", "admin")],
    )
    .await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(
        role_of(&t, "viewer@acme.test").await.as_deref(),
        Some("admin")
    );
    let audit = audit_event::Entity::find()
        .all(&t.app.state.db)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "team.role"
        && e.details == "viewer@acme.test: viewer → admin"
        && e.actor == "owner@acme.test"));
}

async fn the_last_owner_can_be_neither_demoted_nor_removed(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;

    // Act
    let demote = call(
        &t,
        &t.owner,
        "set_member_role",
        &[("email", "owner@acme.test"), ("role", "viewer")],
    )
    .await;
    let remove = call(
        &t,
        &t.owner,
        "remove_member",
        &[("email", "owner@acme.test")],
    )
    .await;

    // Assert
    for res in [demote, remove] {
        assert_eq!(res.status(), 409);
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["Conflict"],
            "last_owner"
        );
    }
    assert_eq!(
        role_of(&t, "owner@acme.test").await.as_deref(),
        Some("owner")
    );
}

async fn with_a_second_owner_the_first_may_step_down(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;
    let form = [("email", "admin@acme.test"), ("role", "owner")];
    call(&t, &t.owner, "set_member_role", &form).await;

    // Act
    let res = call(
        &t,
        &t.owner,
        "set_member_role",
        &[("email", "owner@acme.test"), ("role", "admin")],
    )
    .await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(
        role_of(&t, "owner@acme.test").await.as_deref(),
        Some("admin")
    );
}

async fn a_removed_member_is_gone_and_signed_out(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;

    // Act
    let res = call(
        &t,
        &t.owner,
        "remove_member",
        &[("email", "admin@acme.test")],
    )
    .await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(role_of(&t, "admin@acme.test").await, None);
    let me = call(&t, &t.admin, "me", &[]).await;
    assert_eq!(me.status(), 401, "their session ended");
    let audit = audit_event::Entity::find()
        .all(&t.app.state.db)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "team.removed"));
}

async fn only_owners_change_the_team(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;
    let form = [("email", "viewer@acme.test"), ("role", "owner")];

    // Act
    let admin = call(&t, &t.admin, "set_member_role", &form).await;
    let viewer = call(&t, &t.viewer, "set_member_role", &form).await;
    let remove = call(
        &t,
        &t.viewer,
        "remove_member",
        &[("email", "admin@acme.test")],
    )
    .await;
    let anonymous = t
        .app
        .call("/api/console/set_member_role", &form, None)
        .await;
    let list = call(&t, &t.viewer, "team", &[]).await;

    // Assert
    assert_eq!(admin.status(), 403);
    assert_eq!(viewer.status(), 403);
    assert_eq!(remove.status(), 403);
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        role_of(&t, "viewer@acme.test").await.as_deref(),
        Some("viewer")
    );
    assert_eq!(list.status(), 200, "everyone sees the team");
    let list: serde_json::Value = list.json().await.unwrap();
    assert_eq!(list["can_manage"], false);
    assert_eq!(
        list["members"][0]["email"], "owner@acme.test",
        "owners first"
    );
}

async fn another_organizations_member_is_not_found(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;

    // Act
    let demote = call(
        &t,
        &t.owner,
        "set_member_role",
        &[("email", "owner@other.test"), ("role", "viewer")],
    )
    .await;
    let remove = call(
        &t,
        &t.owner,
        "remove_member",
        &[("email", "owner@other.test")],
    )
    .await;
    let list: serde_json::Value = call(&t, &t.owner, "team", &[]).await.json().await.unwrap();

    // Assert
    assert_eq!(demote.status(), 404);
    assert_eq!(remove.status(), 404);
    assert_eq!(
        role_of(&t, "owner@other.test").await.as_deref(),
        Some("owner")
    );
    assert!(!list.to_string().contains("other.test"));
}

async fn a_member_changes_their_own_password(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;
    let new = "a-much-better-passphrase";

    // Act
    let res = call(
        &t,
        &t.viewer,
        "change_password",
        &[("current_password", PW), ("new_password", new)],
    )
    .await;

    // Assert
    assert_eq!(res.status(), 200);
    let old_pw = sign_in(&t.app, "viewer@acme.test", PW).await;
    let new_pw = sign_in(&t.app, "viewer@acme.test", new).await;
    assert_eq!(old_pw.status(), 401, "the old password is gone");
    assert_eq!(new_pw.status(), 200);
}

async fn a_wrong_current_password_or_a_weak_new_one_is_named(tdb: &TestDb) {
    // Arrange
    let t = team(tdb).await;

    // Act
    let wrong = call(
        &t,
        &t.admin,
        "change_password",
        &[
            ("current_password", "not-it-at-all"),
            ("new_password", "a-much-better-passphrase"),
        ],
    )
    .await;
    let weak = call(
        &t,
        &t.admin,
        "change_password",
        &[("current_password", PW), ("new_password", "short")],
    )
    .await;

    // Assert
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("password.wrong"));
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("password.too_short"));
    let still = sign_in(&t.app, "admin@acme.test", PW).await;
    assert_eq!(still.status(), 200, "nothing changed");
}

on_each_database!(
    an_owner_changes_a_role_and_it_is_audited,
    the_last_owner_can_be_neither_demoted_nor_removed,
    with_a_second_owner_the_first_may_step_down,
    a_removed_member_is_gone_and_signed_out,
    only_owners_change_the_team,
    another_organizations_member_is_not_found,
    a_member_changes_their_own_password,
    a_wrong_current_password_or_a_weak_new_one_is_named,
);
