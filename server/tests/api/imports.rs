//! CSV import: a file with bad rows shows every problem (line, column, why) and writes
//! nothing; a clean one imports in the background; the same file again changes nothing.
//! Customers then subscriptions (by the customer's external_id or email). Owners and
//! admins only; another organization's import is not found.
use dunwell::console::{ImportProgress, ImportSource};
use dunwell::entity::{audit_event, customer, event, plan, subscription};
use dunwell::testing::{TestApp, TestDb, client};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::support::shop::{Shop, call, shop};

/// Posts a CSV to `/admin/imports` as `cookie` (multipart: `kind`, `file`).
async fn upload(app: &TestApp, cookie: Option<&str>, kind: &str, csv: &[u8]) -> reqwest::Response {
    let boundary = "----dunwellimportboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = client()
        .post(format!("{}/admin/imports", app.address))
        .header("origin", &app.address)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.body(body).send().await.unwrap()
}

/// Uploads as the admin and returns the import as the console shows it.
async fn checked(s: &Shop, kind: &str, csv: &str) -> Value {
    let res = upload(&s.app, Some(&s.admin), kind, csv.as_bytes()).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    show(s, &s.admin, &id).await.json().await.unwrap()
}

async fn show(s: &Shop, cookie: &str, id: &str) -> reqwest::Response {
    call(&s.app, Some(cookie), "import", &[("id", id)]).await
}

/// Starts an import and waits for its run.
async fn run(s: &Shop, id: &str) -> Value {
    let res = call(&s.app, Some(&s.admin), "start_import", &[("id", id)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    s.app.state.background.idle().await;
    show(s, &s.admin, id).await.json().await.unwrap()
}

async fn customers(app: &TestApp) -> u64 {
    customer::Entity::find().count(&app.state.db).await.unwrap()
}

async fn euro_price(s: &Shop, currency: &str) -> String {
    let form = [
        ("name", currency),
        ("amount", "29"),
        ("currency", currency),
        ("interval", "month"),
        ("interval_count", "1"),
        ("trial_days", ""),
    ];
    assert_eq!(
        call(&s.app, Some(&s.admin), "create_price", &form)
            .await
            .status(),
        200
    );
    plan::Entity::find()
        .filter(plan::Column::Name.eq(currency))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .public_id
}

/// (line, column, code) of each problem.
fn problems(import: &Value) -> Vec<(u64, String, String)> {
    import["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let code = match &p["code"] {
                Value::String(s) => s.clone(),
                other => format!("field:{}", other["field"].as_str().unwrap_or("?")),
            };
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap_or("").to_owned(),
                code,
            )
        })
        .collect()
}

async fn a_file_with_bad_rows_names_every_problem_and_writes_nothing(tdb: &TestDb) {
    // Arrange: a spreadsheet's export (BOM, semicolons), one good row among bad ones.
    let s = shop(tdb).await;
    let csv = "\u{feff}external_id;email;name;language;tax_id\n\
               c-1;anna@example.com;Anna Neri;it;\n\
               c-2;not-an-email;Bruno;en;\n\
               c-1;carla@example.com;Carla;it;\n\
               c-4;ANNA@example.com;Dario;fr;IT12345678901\n\
               c-5;eva@example.com;Eva;en;;extra\n\
               ;fabio@example.com;;en;\n";

    // Act
    let import = checked(&s, "customers", csv).await;

    // Assert
    assert_eq!(import["status"], "invalid");
    assert_eq!(import["rows"], 6);
    assert_eq!(
        problems(&import),
        vec![
            (3, "email".into(), "field:email.invalid".into()),
            (4, "external_id".into(), "duplicate".into()),
            (5, "email".into(), "duplicate".into()),
            (5, "language".into(), "field:locale.invalid".into()),
            (5, "tax_id".into(), "field:tax_id.invalid".into()),
            (6, "".into(), "too_many_values".into()),
            (7, "external_id".into(), "external_id_invalid".into()),
            (7, "name".into(), "field:name.empty".into()),
        ]
    );
    assert_eq!(customers(&s.app).await, 0);
    // It cannot be started.
    let id = import["id"].as_str().unwrap();
    let res = call(&s.app, Some(&s.admin), "start_import", &[("id", id)]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(customers(&s.app).await, 0);
    // A header without a required column says which.
    let import = checked(&s, "customers", "external_id,e-mail,name\nc-1,a@b.it,A\n").await;
    assert_eq!(
        problems(&import),
        vec![
            (1, "e-mail".into(), "column_unknown".into()),
            (1, "email".into(), "column_missing".into()),
        ]
    );
}

async fn a_clean_file_imports_once_and_again_changes_nothing(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let customers_csv = "external_id,email,name,language,billing_address,tax_id\n\
                         crm-1,Anna@Example.com,Anna Neri,it,\"Via Roma 1\n20100 Milano\",IT12345678903\n\
                         crm-2,bruno@example.com,Bruno Bianchi,,,\n";

    // Act
    let import = checked(&s, "customers", customers_csv).await;
    assert_eq!(
        (import["status"].clone(), import["new_rows"].clone()),
        ("ready".into(), 2.into())
    );
    let done = run(&s, import["id"].as_str().unwrap()).await;

    // Assert
    assert_eq!(done["status"], "done");
    assert_eq!(done["done_rows"], 2);
    let anna = customer::Entity::find()
        .filter(customer::Column::ExternalId.eq("crm-1"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .expect("imported");
    assert_eq!(
        (
            anna.email.as_str(),
            anna.locale.as_str(),
            anna.billing_address.as_str()
        ),
        ("anna@example.com", "it", "Via Roma 1\n20100 Milano")
    );
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("import.customers"))
        .count(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // The same file again: nothing new.
    let again = checked(&s, "customers", customers_csv).await;
    assert_eq!(
        (
            again["status"].clone(),
            again["new_rows"].clone(),
            again["existing_rows"].clone()
        ),
        ("ready".into(), 0.into(), 2.into())
    );
    assert_eq!(customers(&s.app).await, 2);

    // Subscriptions, by external_id and by email.
    let eur = euro_price(&s, "EUR").await;
    let usd = euro_price(&s, "USD").await;
    let today = chrono::Utc::now().date_naive();
    let next = (today + chrono::Days::new(20))
        .format("%Y-%m-%d")
        .to_string();
    let subs_csv = format!(
        "external_id,customer,price,quantity,next_billing_date\n\
         sub-1,crm-1,{eur},3,{next}\n\
         sub-2,bruno@example.com,{eur},,{next}\n"
    );
    let bad = format!(
        "external_id,customer,price,next_billing_date\n\
         sub-9,crm-1,{usd},{next}\n\
         sub-8,nobody,{eur},{next}\n\
         sub-7,crm-2,plan_aaaaaaaaaaaaaaaa,2001-01-01\n"
    );
    let refused = checked(&s, "subscriptions", &bad).await;
    assert_eq!(
        problems(&refused),
        vec![
            (3, "customer".into(), "customer_unknown".into()),
            (4, "price".into(), "field:price.unknown".into()),
            (4, "next_billing_date".into(), "billing_date_invalid".into()),
        ]
    );
    let import = checked(&s, "subscriptions", &subs_csv).await;
    let done = run(&s, import["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "done");
    let sub = subscription::Entity::find()
        .filter(subscription::Column::ExternalId.eq("sub-1"))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .expect("imported");
    assert_eq!((sub.status.as_str(), sub.quantity), ("active", 3));
    assert_eq!(sub.customer_id, anna.id);
    assert_eq!(sub.current_period_end.date_naive().to_string(), next);
    // Anna pays in euros now: a dollar price for her is refused.
    let mismatch = checked(
        &s,
        "subscriptions",
        &bad.lines().take(2).collect::<Vec<_>>().join("\n"),
    )
    .await;
    assert_eq!(
        problems(&mismatch),
        vec![(2, "price".into(), "field:price.currency_mismatch".into())]
    );
    let again = checked(&s, "subscriptions", &subs_csv).await;
    assert_eq!(again["new_rows"], 0);
    assert_eq!(
        subscription::Entity::find()
            .count(&s.app.state.db)
            .await
            .unwrap(),
        2
    );
}

async fn the_command_line_streams_a_file_through_the_same_checks(tdb: &TestDb) {
    // Arrange: `dunwell import` acts as the organization's first owner.
    let s = shop(tdb).await;
    crate::support::shop::staff(&s.app, "acme", "owner@acme.test", domain::StaffRole::Owner).await;
    let dir = std::env::temp_dir().join(format!("dunwell-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("customers-{}.csv", rand_suffix()));
    let mut csv = String::from("external_id,email,name\n");
    for i in 0..1234 {
        csv.push_str(&format!("k{i},c{i}@example.com,Customer {i}\n"));
    }
    std::fs::write(&path, &csv).unwrap();
    let console = &s.app.state.console;
    let actor = console.operator("acme", None).await.unwrap();
    let source = ImportSource::File(path.clone());

    // Act
    let dry = console
        .check_import(&actor, domain::ImportKind::Customers, &source)
        .await
        .unwrap();
    let before = customers(&s.app).await;
    let first = console
        .run_import(
            &actor,
            domain::ImportKind::Customers,
            &source,
            ImportProgress::Silent,
        )
        .await
        .unwrap();
    let second = console
        .run_import(
            &actor,
            domain::ImportKind::Customers,
            &source,
            ImportProgress::Silent,
        )
        .await
        .unwrap();

    // Assert
    assert_eq!((dry.rows, dry.new_rows), (1234, 1234));
    assert_eq!(before, 0);
    assert_eq!(
        (first.new_rows, second.new_rows, second.existing_rows),
        (1234, 0, 1234)
    );
    assert_eq!(customers(&s.app).await, 1234);
    assert!(console.operator("nope", None).await.is_err());
    std::fs::remove_file(path).ok();
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

async fn imports_are_for_owners_and_admins_of_their_own_organization(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let csv = b"external_id,email,name\nc-1,a@example.com,A\n";

    // Act / Assert
    assert_eq!(upload(&s.app, None, "customers", csv).await.status(), 401);
    assert_eq!(
        upload(&s.app, Some(&s.viewer), "customers", csv)
            .await
            .status(),
        403
    );
    let import = checked(&s, "customers", std::str::from_utf8(csv).unwrap()).await;
    let id = import["id"].as_str().unwrap();
    assert_eq!(show(&s, &s.viewer, id).await.status(), 403);
    assert_eq!(show(&s, &s.other, id).await.status(), 404);
    let res = call(&s.app, Some(&s.other), "start_import", &[("id", id)]).await;
    assert_eq!(res.status(), 404);
    let res = call(&s.app, Some(&s.viewer), "start_import", &[("id", id)]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(call(&s.app, None, "imports", &[]).await.status(), 401);
    assert_eq!(customers(&s.app).await, 0);
    // An empty file: the field is named.
    let res = upload(&s.app, Some(&s.admin), "customers", b"").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "file", "{body}");
    assert_eq!(body["Validation"][0]["code"], "file.missing", "{body}");
    // A file over 32 MiB, through the service the route calls (sending 32 MiB through a
    // debug build's multipart parser would slow every other test running beside it).
    let actor = s
        .app
        .state
        .console
        .operator("acme", Some("admin@acme.test"))
        .await
        .unwrap();
    let big = s
        .app
        .state
        .console
        .upload_import(
            &actor,
            domain::ImportKind::Customers,
            "big.csv",
            vec![b'x'; 32 * 1024 * 1024 + 1],
        )
        .await
        .unwrap_err();
    let big = app::error::AppError::from(big);
    assert_eq!(
        big.field_errors().and_then(|f| f.get("file")),
        Some(&app::error::FieldCode::FileTooLarge)
    );
    let res = upload(&s.app, Some(&s.admin), "invoices", csv).await;
    assert_eq!(res.status(), 422);
    // A browser is sent back to the page with the message.
    let res = client()
        .post(format!("{}/admin/imports", s.app.address))
        .header("origin", &s.app.address)
        .header("cookie", &s.admin)
        .header("accept", "text/html")
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/imports?error=file.missing#import-file"
    );
}

/// The totals of customer searches.
async fn found(s: &Shop, q: &str) -> u64 {
    let list: Value = call(
        &s.app,
        Some(&s.admin),
        "customers",
        &[("q", q), ("status", ""), ("page", "1")],
    )
    .await
    .json()
    .await
    .unwrap();
    list["total"].as_u64().unwrap()
}

async fn the_customers_page_finds_by_the_start_then_anywhere(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let csv = "external_id,email,name\n\
               1,giulia.rossi@example.com,Giulia Rossi\n\
               2,giuliano@example.com,Giuliano Verdi\n\
               3,marco@example.com,Marco Giuliani\n\
               4,pct%test@example.com,Anna 100%\n\
               5,under_score@example.com,Bruno\n";
    let import = checked(&s, "customers", csv).await;
    run(&s, import["id"].as_str().unwrap()).await;

    // Act / Assert: the start of the email or the name, any case.
    assert_eq!(found(&s, "GIULIA").await, 2);
    assert_eq!(found(&s, "marco").await, 1);
    assert_eq!(found(&s, "Giuliano V").await, 1);
    // Nothing starts so: anywhere in the email or the name.
    assert_eq!(found(&s, "rossi").await, 1);
    assert_eq!(found(&s, "ULIAN").await, 2);
    // `%` and `_` are themselves, not wildcards.
    assert_eq!(found(&s, "pct%").await, 1);
    assert_eq!(found(&s, "100%").await, 1);
    assert_eq!(found(&s, "under_").await, 1);
    assert_eq!(found(&s, "under%").await, 0);
    assert_eq!(found(&s, "_").await, 1);
    assert_eq!(found(&s, "nobody").await, 0);
}

/// Each imported customer and subscription is an API event (`customer.created`,
/// `subscription.created`) carrying the object as `/v1` shows it, as one made by the API is.
async fn imported_rows_are_api_events(tdb: &TestDb) {
    // Arrange
    let s = shop(tdb).await;
    let eur = euro_price(&s, "EUR").await;
    let next = (chrono::Utc::now().date_naive() + chrono::Days::new(20))
        .format("%Y-%m-%d")
        .to_string();
    let customers_csv = "external_id,email,name\n\
                         crm-1,anna@example.com,Anna Neri\n\
                         crm-2,bruno@example.com,Bruno Bianchi\n";
    let subs_csv = format!(
        "external_id,customer,price,next_billing_date\n\
         sub-1,crm-1,{eur},{next}\n"
    );

    // Act
    let import = checked(&s, "customers", customers_csv).await;
    run(&s, import["id"].as_str().unwrap()).await;
    let import = checked(&s, "subscriptions", &subs_csv).await;
    run(&s, import["id"].as_str().unwrap()).await;

    // Assert
    let db = &s.app.state.db;
    let events = |kind: &'static str| async move {
        event::Entity::find()
            .filter(event::Column::Kind.eq(kind))
            .all(db)
            .await
            .unwrap()
    };
    let made = events("customer.created").await;
    let anna = customer::Entity::find()
        .filter(customer::Column::ExternalId.eq("crm-1"))
        .one(db)
        .await
        .unwrap()
        .expect("imported");
    assert_eq!(made.len(), 2, "one event per imported customer");
    let hers = made
        .iter()
        .find(|e| e.object_id == anna.public_id)
        .expect("Anna's event");
    let shown: Value = serde_json::from_str(&hers.data).unwrap();
    assert_eq!(
        (&shown["id"], &shown["email"], &shown["external_id"]),
        (
            &Value::from(anna.public_id.clone()),
            &Value::from("anna@example.com"),
            &Value::from("crm-1")
        )
    );
    assert_eq!(hers.organization_id, anna.organization_id);
    let sub = subscription::Entity::find()
        .filter(subscription::Column::ExternalId.eq("sub-1"))
        .one(db)
        .await
        .unwrap()
        .expect("imported");
    let started = events("subscription.created").await;
    assert_eq!(
        started
            .iter()
            .map(|e| e.object_id.as_str())
            .collect::<Vec<_>>(),
        vec![sub.public_id.as_str()]
    );
    let shown: Value = serde_json::from_str(&started[0].data).unwrap();
    assert_eq!(shown["customer"], Value::from(anna.public_id));
}

on_each_database!(
    the_customers_page_finds_by_the_start_then_anywhere,
    a_file_with_bad_rows_names_every_problem_and_writes_nothing,
    a_clean_file_imports_once_and_again_changes_nothing,
    imported_rows_are_api_events,
    the_command_line_streams_a_file_through_the_same_checks,
    imports_are_for_owners_and_admins_of_their_own_organization,
);
