//! Two organizations and their staff, signed in: `acme` with an admin and a viewer, and
//! `other` with its owner (for the 404-for-another-organization checks).
use domain::{EmailAddress, StaffRole};
use dunwell::testing::{TestApp, TestDb, set_cookie, spawn_app};

/// Every test staff member's password.
pub const PW: &str = "correct-horse-battery";

/// The app and the session cookies of its staff.
pub struct Shop {
    pub app: TestApp,
    pub admin: String,
    pub viewer: String,
    pub other: String,
}

/// Creates a staff member of `org` (made if new) and signs them in; returns the cookie.
pub async fn staff(app: &TestApp, org: &str, email: &str, role: StaffRole) -> String {
    let address = EmailAddress::parse(email).unwrap();
    dunwell::staff::create_staff(&app.state.db, org, &address, PW, role)
        .await
        .unwrap();
    let form = [("email", email), ("password", PW)];
    let res = app.call("/api/console/sign_in", &form, None).await;
    set_cookie(&res, "dw_staff").expect("signed in")
}

/// A fresh app with `acme`'s admin and viewer and `other`'s owner signed in.
pub async fn shop(tdb: &TestDb) -> Shop {
    let app = spawn_app(&tdb.db).await;
    Shop {
        admin: staff(&app, "acme", "admin@acme.test", StaffRole::Admin).await,
        viewer: staff(&app, "acme", "viewer@acme.test", StaffRole::Viewer).await,
        other: staff(&app, "other", "owner@other.test", StaffRole::Owner).await,
        app,
    }
}

/// Calls a console server function with an optional session cookie.
pub async fn call(
    app: &TestApp,
    cookie: Option<&str>,
    fun: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.call(&format!("/api/console/{fun}"), form, cookie).await
}
