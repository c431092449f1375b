//! First run without the demo: the one-time setup address (and `dunwell init`) create the
//! first organization and its owner from an empty database, once.
use dunwell::entity::{audit_event, organization, setup_token, staff_user};
use dunwell::testing::{TestApp, TestDb, set_cookie, spawn_app};
use sea_orm::{EntityTrait, PaginatorTrait};

const PASSWORD: &str = "correct-horse-battery";

/// An empty database served, with its setup token (what `dunwell serve` prints).
async fn first_run(tdb: &TestDb) -> (TestApp, String) {
    let app = spawn_app(&tdb.db).await;
    let token = app
        .state
        .console
        .open_setup()
        .await
        .unwrap()
        .expect("an empty database gets a setup token");
    (app, token)
}

fn setup_form<'a>(token: &'a str, slug: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("token", token),
        ("org_name", "Rossi Software"),
        ("slug", slug),
        ("currency", "EUR"),
        ("country", "it"),
        ("owner_email", "anna@rossi.example"),
        ("password", password),
    ]
}

async fn complete(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.call("/api/console/complete_setup", form, None).await
}

async fn organizations(app: &TestApp) -> u64 {
    organization::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn the_setup_creates_the_organization_and_its_owner_and_signs_in(tdb: &TestDb) {
    // Arrange
    let (app, token) = first_run(tdb).await;

    // Act
    let res = complete(&app, &setup_form(&token, "Rossi", PASSWORD)).await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["location"], "/admin?welcome=1");
    let cookie = set_cookie(&res, "dw_staff").expect("the owner is signed in");
    let me = app.call("/api/console/me", &[], Some(&cookie)).await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "anna@rossi.example");
    assert_eq!(me["role"], "owner");
    let org = organization::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (org.slug.as_str(), org.name.as_str()),
        ("rossi", "Rossi Software")
    );
    assert_eq!(
        (org.default_currency.as_str(), org.country.as_str()),
        ("EUR", "IT")
    );
    assert!(!org.payments_active, "payments wait for a gateway");
    let owner = staff_user::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(owner.password_hash, PASSWORD, "only a hash is stored");
    let audit = audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "organization.created" && e.actor == "anna@rossi.example"),
        "{audit:?}"
    );
    let tokens = setup_token::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(tokens, 0, "the token is used up");
}

async fn a_setup_token_works_once(tdb: &TestDb) {
    // Arrange
    let (app, token) = first_run(tdb).await;
    complete(&app, &setup_form(&token, "rossi", PASSWORD)).await;

    // Act
    let again = complete(&app, &setup_form(&token, "other", PASSWORD)).await;
    let page = app.page(&format!("/setup?token={token}"), None).await;

    // Assert
    assert_eq!(again.status(), 404);
    assert_eq!(page.status(), 404, "the page never answers again");
    assert_eq!(organizations(&app).await, 1);
}

async fn bad_setup_fields_are_named_and_nothing_is_written(tdb: &TestDb) {
    // Arrange
    let (app, token) = first_run(tdb).await;
    let form = vec![
        ("token", token.as_str()),
        ("org_name", "<b>Rossi</b>"),
        ("slug", "-x-"),
        ("currency", "EURO"),
        ("country", "XX"),
        ("owner_email", "anna"),
        ("password", "password1234"),
    ];

    // Act
    let res = complete(&app, &form).await;

    // Assert
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<(&str, &str)> = body["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("org_name", "company_name.markup"),
            ("slug", "slug.invalid"),
            ("currency", "currency.invalid"),
            ("country", "country.invalid"),
            ("owner_email", "email.invalid"),
            ("password", "password.guessable"),
        ]
    );
    assert_eq!(organizations(&app).await, 0, "nothing written");
    let page = app.page(&format!("/setup?token={token}"), None).await;
    assert_eq!(page.status(), 200, "the token still works");
}

async fn the_setup_page_shows_the_form_only_for_its_token(tdb: &TestDb) {
    // Arrange
    let (app, token) = first_run(tdb).await;

    // Act
    let good = app.page(&format!("/setup?token={token}"), None).await;
    let forged = app.page("/setup?token=not-the-token", None).await;
    let none = app.page("/setup", None).await;

    // Assert
    assert_eq!(good.status(), 200);
    let html = good.text().await.unwrap();
    assert!(
        html.contains("name=\"org_name\"") && html.contains("autocomplete=\"new-password\""),
        "{html}"
    );
    assert_eq!(forged.status(), 404);
    assert!(!forged.text().await.unwrap().contains("name=\"org_name\""));
    assert_eq!(none.status(), 404);
}

async fn a_new_setup_token_replaces_the_old_one_and_none_is_made_once_set_up(tdb: &TestDb) {
    // Arrange
    let (app, old) = first_run(tdb).await;

    // Act
    let new = app.state.console.open_setup().await.unwrap().unwrap();
    let old_try = complete(&app, &setup_form(&old, "rossi", PASSWORD)).await;
    let new_try = complete(&app, &setup_form(&new, "rossi", PASSWORD)).await;
    let after = app.state.console.open_setup().await.unwrap();

    // Assert
    assert_eq!(
        old_try.status(),
        404,
        "a restart's new token replaces the old"
    );
    assert_eq!(new_try.status(), 200);
    assert_eq!(after, None, "no setup address once an organization exists");
}

async fn two_setups_at_once_with_one_token_make_one_organization(tdb: &TestDb) {
    // Arrange
    let (app, token) = first_run(tdb).await;
    let first = setup_form(&token, "first", PASSWORD);
    let second = setup_form(&token, "second", PASSWORD);

    // Act
    let (a, b) = tokio::join!(complete(&app, &first), complete(&app, &second));

    // Assert
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 404]);
    assert_eq!(organizations(&app).await, 1);
}

on_each_database!(
    the_setup_creates_the_organization_and_its_owner_and_signs_in,
    a_setup_token_works_once,
    bad_setup_fields_are_named_and_nothing_is_written,
    the_setup_page_shows_the_form_only_for_its_token,
    a_new_setup_token_replaces_the_old_one_and_none_is_made_once_set_up,
    two_setups_at_once_with_one_token_make_one_organization,
);

/// The real binary, on a fresh SQLite file.
fn dunwell(dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dunwell"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/dunwell.db", dir.display()),
        )
        .env("PUBLIC_URL", "http://127.0.0.1:9")
        .env(
            "DUNWELL_LEPTOS_TOML",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../Leptos.toml"),
        )
        .env("DUNWELL_ADMIN_PASSWORD", PASSWORD)
        // The key that seals secrets, in the run's folder (else `data/secret.key` under the
        // working directory, the source tree).
        .env(
            "DUNWELL_SECRET_KEY_FILE",
            dir.join("secret.key").display().to_string(),
        );
    cmd
}

#[test]
fn dunwell_init_creates_the_first_organization_once() {
    // Arrange
    let dir = crate::support::TempDir::new("init");
    let args = [
        "init",
        "--org-name",
        "Rossi Software",
        "--slug",
        "rossi",
        "--owner-email",
        "anna@rossi.example",
    ];

    // Act
    let first = dunwell(dir.path()).args(args).output().unwrap();
    let second = dunwell(dir.path()).args(args).output().unwrap();

    // Assert
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.contains("created organization `rossi` with owner anna@rossi.example"),
        "{out}"
    );
    assert!(!second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("an organization exists already"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
}

#[test]
fn dunwell_init_names_every_bad_argument_and_creates_nothing() {
    // Arrange
    let dir = crate::support::TempDir::new("init");

    // Act
    let out = dunwell(dir.path())
        .args([
            "init",
            "--org-name",
            "",
            "--slug",
            "x",
            "--owner-email",
            "nope",
        ])
        .args(["--country", "XX"])
        .output()
        .unwrap();
    let retry = dunwell(dir.path())
        .args(["init", "--org-name", "Rossi", "--slug", "rossi"])
        .args(["--owner-email", "anna@rossi.example"])
        .output()
        .unwrap();

    // Assert
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for line in [
        "--org-name: company_name.empty",
        "--slug: slug.invalid",
        "--country: country.invalid",
        "--owner-email: email.invalid",
    ] {
        assert!(err.contains(line), "{line}: {err}");
    }
    assert!(
        retry.status.success(),
        "nothing was written by the refused run"
    );
}

#[test]
fn dunwell_serve_prints_one_setup_address_on_an_empty_database() {
    use std::io::{BufRead, BufReader};
    // Arrange
    let dir = crate::support::TempDir::new("init");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = dunwell(dir.path())
        .arg("serve")
        .env("DUNWELL_LISTEN", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();

    // Act
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut setup = None;
    for line in lines.by_ref().take(10) {
        let line = line.unwrap();
        if line.starts_with("First run:") {
            setup = Some(line);
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();

    // Assert
    let setup = setup.expect("serve prints the setup address");
    let url = setup
        .split_whitespace()
        .find(|w| w.contains("/setup?token="))
        .expect("a setup URL");
    assert!(
        url.starts_with(&format!("http://127.0.0.1:{port}/setup?token=")),
        "{setup}"
    );
    let token = url.split_once("token=").unwrap().1;
    assert!(token.len() >= 40, "a long random token: {token}");
}
