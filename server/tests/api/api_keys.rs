//! Settings → API keys: owners and admins make a key (its secret shown once, stored only as
//! a hash), list them with their last use, and revoke one, which the next request feels.
//! Viewers, anonymous callers and other organizations get 403, 401 and 404.
use crate::support::shop::{Shop, call, shop};
use dunwell::entity::{api_key, audit_event};
use dunwell::testing::{TestApp, TestDb, set_cookie};
use sea_orm::{EntityTrait, PaginatorTrait};
use sha2::{Digest, Sha256};

/// Makes a key as `cookie`'s staff member; returns its id and secret (carried to the page
/// by the one-minute cookie).
pub async fn make_key(app: &TestApp, cookie: &str, name: &str) -> (String, String) {
    let res = call(app, Some(cookie), "create_api_key", &[("name", name)]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let fresh = set_cookie(&res, "dw_new_api_key").expect("the secret goes to the page");
    let value = fresh.trim_start_matches("dw_new_api_key=");
    let (id, secret) = value.split_once(':').expect("id:secret");
    (id.to_owned(), secret.to_owned())
}

async fn v1(s: &Shop, secret: Option<&str>, path: &str) -> reqwest::Response {
    let mut req = dunwell::testing::client().get(format!("{}/v1{path}", s.app.address));
    if let Some(secret) = secret {
        req = req.bearer_auth(secret);
    }
    req.send().await.unwrap()
}

async fn an_admin_makes_a_key_that_opens_the_api_and_is_shown_once(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;

    // Act
    let (id, secret) = make_key(&s.app, &s.admin, "Production app").await;
    let api = v1(&s, Some(&secret), "/customers").await;
    let list = call(&s.app, Some(&s.admin), "api_keys", &[]).await;

    // Assert
    assert!(id.starts_with("key_"));
    assert!(
        secret.starts_with("dw_sk_") && secret.len() == 49,
        "{secret}"
    );
    assert_eq!(api.status(), 200);
    let row = api_key::Entity::find()
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let digest: String = Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(row.secret_hash, digest, "only the SHA-256 is stored");
    assert!(row.last_used_at.is_some(), "the request marked it used");
    let body: serde_json::Value = list.json().await.unwrap();
    assert_eq!(body["keys"][0]["name"], "Production app");
    assert_eq!(body["keys"][0]["created_by"], "admin@acme.test");
    assert!(
        body["keys"][0]["hint"]
            .as_str()
            .unwrap()
            .ends_with(&secret[45..])
    );
    assert!(body["keys"][0]["last_used"].is_string());
    assert!(
        !body.to_string().contains(&secret),
        "a direct call without the cookie never sees the secret again"
    );
    let audit = audit_event::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "api_key.created" && a.actor == "admin@acme.test")
    );
}

async fn the_page_shows_the_secret_once_and_never_a_forged_one(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let (id, secret) = make_key(&s.app, &s.admin, "CI").await;
    let cookies = format!("{}; dw_new_api_key={id}:{secret}", s.admin);
    let forged_secret = format!("dw_sk_{}", "F".repeat(43));
    let forged = format!("{}; dw_new_api_key={id}:{forged_secret}", s.admin);
    let (_, other_secret) = make_key(&s.app, &s.other, "Theirs").await;
    let theirs = format!("{}; dw_new_api_key={id}:{other_secret}", s.admin);

    // Act
    let first = s.app.page("/admin/settings/api-keys", Some(&cookies)).await;
    let cleared = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("dw_new_api_key=;"));
    let first = first.text().await.unwrap();
    let forged = s.app.page("/admin/settings/api-keys", Some(&forged)).await;
    let forged = forged.text().await.unwrap();
    let theirs = s.app.page("/admin/settings/api-keys", Some(&theirs)).await;
    let theirs = theirs.text().await.unwrap();

    // Assert
    assert!(first.contains(&secret), "shown right after it is made");
    assert!(cleared, "and the page deletes the cookie that carried it");
    assert!(
        !forged.contains(&forged_secret),
        "a secret that is not the key's is never shown"
    );
    assert!(
        !theirs.contains(&other_secret),
        "nor another organization's key's"
    );
    assert!(forged.contains("CI"));
}

async fn a_revoked_key_is_refused_at_once_and_audited(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let (id, secret) = make_key(&s.app, &s.admin, "Old app").await;
    assert_eq!(v1(&s, Some(&secret), "/customers").await.status(), 200);

    // Act
    let res = call(&s.app, Some(&s.admin), "revoke_api_key", &[("id", &id)]).await;
    let again = call(&s.app, Some(&s.admin), "revoke_api_key", &[("id", &id)]).await;
    let after = v1(&s, Some(&secret), "/customers").await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(again.status(), 200, "revoking twice changes nothing");
    assert_eq!(after.status(), 401);
    let body: serde_json::Value = after.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");
    assert_eq!(body["error"]["code"], "api_key_invalid");
    let audit = audit_event::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "api_key.revoked")
            .count(),
        1
    );
}

async fn viewers_anonymous_callers_and_other_organizations_are_refused(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let (id, _) = make_key(&s.app, &s.admin, "Production app").await;

    // Act
    let viewer_list = call(&s.app, Some(&s.viewer), "api_keys", &[]).await;
    let viewer_make = call(&s.app, Some(&s.viewer), "create_api_key", &[("name", "x")]).await;
    let viewer_revoke = call(&s.app, Some(&s.viewer), "revoke_api_key", &[("id", &id)]).await;
    let anon_list = call(&s.app, None, "api_keys", &[]).await;
    let anon_make = call(&s.app, None, "create_api_key", &[("name", "x")]).await;
    let anon_revoke = call(&s.app, None, "revoke_api_key", &[("id", &id)]).await;
    let other_revoke = call(&s.app, Some(&s.other), "revoke_api_key", &[("id", &id)]).await;
    let other_list = call(&s.app, Some(&s.other), "api_keys", &[]).await;

    // Assert
    assert_eq!(viewer_list.status(), 403);
    assert_eq!(viewer_make.status(), 403);
    assert_eq!(viewer_revoke.status(), 403);
    assert_eq!(anon_list.status(), 401);
    assert_eq!(anon_make.status(), 401);
    assert_eq!(anon_revoke.status(), 401);
    assert_eq!(other_revoke.status(), 404);
    let other: serde_json::Value = other_list.json().await.unwrap();
    assert_eq!(other["keys"].as_array().unwrap().len(), 0);
    assert_eq!(
        api_key::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        1
    );
    let row = api_key::Entity::find()
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.revoked_at.is_none(), "still live");
}

async fn a_bad_name_is_named_and_nothing_is_made(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;

    // Act
    let empty = call(&s.app, Some(&s.admin), "create_api_key", &[("name", "  ")]).await;
    let markup = call(
        &s.app,
        Some(&s.admin),
        "create_api_key",
        &[("name", "<b>x</b>")],
    )
    .await;
    let long = "x".repeat(500);
    let too_long = call(&s.app, Some(&s.admin), "create_api_key", &[("name", &long)]).await;

    // Assert
    for res in [empty, markup, too_long] {
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("\"name\""));
    }
    assert_eq!(
        api_key::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        0
    );
}

on_each_database!(
    an_admin_makes_a_key_that_opens_the_api_and_is_shown_once,
    the_page_shows_the_secret_once_and_never_a_forged_one,
    a_revoked_key_is_refused_at_once_and_audited,
    viewers_anonymous_callers_and_other_organizations_are_refused,
    a_bad_name_is_named_and_nothing_is_made,
);
