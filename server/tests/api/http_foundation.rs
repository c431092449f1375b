//! Black-box HTTP tests of the foundation: health, readiness, pages, headers, locale.
use dunwell::testing::{TestDb, client, spawn_app};
use std::sync::atomic::{AtomicBool, Ordering};

async fn health_readiness_and_pages(tdb: &TestDb) {
    let app = spawn_app(&tdb.db).await;
    let c = client();

    let res = c
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", tdb.backend);
    let res = c
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", tdb.backend);

    let res = c
        .get(format!("{}/", app.address))
        .header("accept-language", "it-IT,it;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(
        script_src.contains("'nonce-") && !script_src.contains("unsafe-inline"),
        "{script_src}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("x-request-id"));
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Lascia che i clienti risolvano da soli la fatturazione."),
        "Accept-Language picks Italian"
    );
    let nonce = script_src
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the header's nonce"
    );

    let res = c
        .get(format!("{}/", app.address))
        .header("cookie", "i18n_pref_locale=en")
        .header("accept-language", "it")
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Let customers fix their own billing."),
        "the cookie wins over Accept-Language"
    );

    let res = c
        .get(format!("{}/no/such/page", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let res = c
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert!(res.status() == 200 || res.status() == 404);
}

#[tokio::test]
async fn locale_switch_sets_the_cookie_and_stays_on_site() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let res = client()
        .get(format!("{}/locale/it?back=/admin", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin");
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("i18n_pref_locale=it;")
    );
    let res = client()
        .get(format!("{}/locale/it?back=//evil.example", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
    let res = client()
        .get(format!("{}/locale/xx", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

/// The server picks the page's language: the remembered choice (cookie), else
/// `Accept-Language`, else English; `<html lang>` tells the browser bundle which it was.
#[tokio::test]
async fn pages_render_in_the_remembered_language_else_the_browsers() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let page = |cookie: Option<&'static str>, accept: Option<&'static str>| {
        let mut req = client().get(format!("{}/admin/sign-in", app.address));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let lang = |html: &str| {
        let start = html.find("<html").expect("an html element");
        let tag = &html[start..start + html[start..].find('>').unwrap()];
        tag.split("lang=\"").nth(1).map(|rest| rest[..2].to_owned())
    };
    assert_eq!(lang(&page(None, None).await).as_deref(), Some("en"));
    assert_eq!(
        lang(&page(None, Some("it-IT,it;q=0.9,en;q=0.5")).await).as_deref(),
        Some("it")
    );
    assert_eq!(
        lang(&page(Some("i18n_pref_locale=it"), Some("en-US")).await).as_deref(),
        Some("it"),
        "the remembered choice wins over the browser's"
    );
    assert_eq!(
        lang(&page(Some("i18n_pref_locale=en"), Some("it")).await).as_deref(),
        Some("en")
    );
    assert_eq!(
        lang(&page(Some("i18n_pref_locale=xx"), Some("it")).await).as_deref(),
        Some("it"),
        "an unknown remembered value is ignored"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let res = client()
        .post(format!("{}/api/anything", app.address))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

on_each_database!(health_readiness_and_pages,);

/// Clears its flag when dropped: a loop that waits for it stops even when a test panics
/// (the runtime's end waits for blocking tasks without a limit).
struct StopOnDrop(std::sync::Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// Many pages rendered at once on several worker threads, as browsers load them: none is a
/// 500. Regression: a page's `<title>` text was a closure over the language signal, and
/// leptos_meta reads it after a yield outside the request's reactive arena; when the task
/// had moved to a thread whose last arena belonged to a finished request, the read
/// panicked ("no Arena is active") and the neutral 404 of an unknown portal became a 500.
///
/// Meanwhile other routers are built in the same process, as other tests build theirs.
/// Regression: each router listed the app's routes, which suppresses resource loading
/// process-wide for a moment; a page whose resource was first polled then hung until the
/// 30 s timeout (a 408 on CI). The routes are now listed once per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_concurrently_never_fail() {
    let tdb = TestDb::sqlite().await;
    let app = spawn_app(&tdb.db).await;
    let building = StopOnDrop(std::sync::Arc::new(AtomicBool::new(true)));
    let builder = tokio::task::spawn_blocking({
        let (state, building) = (app.state.clone(), building.0.clone());
        move || {
            let mut built = 0u32;
            while building.load(Ordering::Relaxed) {
                drop(dunwell::http::router(state.clone()));
                built += 1;
            }
            built
        }
    });
    let pages = [
        ("/portal/pk_doesnotexist000000000000/login", 404),
        ("/portal/pk_doesnotexist000000000000", 302),
        ("/admin/sign-in", 200),
        ("/", 200),
        ("/no-such-page", 404),
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..60 {
        for (path, want) in pages {
            let url = format!("{}{path}", app.address);
            let lang = if round % 2 == 0 { "en" } else { "it" };
            tasks.spawn(async move {
                // A hung page shows as a failure here, well before the server's timeout.
                let res = client()
                    .get(url)
                    .header("accept", "text/html")
                    .header("accept-language", lang)
                    .timeout(std::time::Duration::from_secs(10))
                    .send()
                    .await;
                let (status, html) = match res {
                    Ok(res) => (res.status().as_u16(), res.text().await.unwrap()),
                    Err(err) if err.is_timeout() => (0, String::new()),
                    Err(err) => panic!("{path}: {err}"),
                };
                // The unavailable page's title is in the request's language.
                let title_ok = !path.ends_with("/login")
                    || html.contains(if lang == "it" {
                        "<title>Portale non disponibile</title>"
                    } else {
                        "<title>Portal unavailable</title>"
                    });
                (path, want, status, title_ok)
            });
        }
    }
    let mut wrong = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (path, want, got, title_ok) = done.unwrap();
        if got == 0 {
            wrong.push(format!("{path}: no answer in 10 s"));
        } else if got != want {
            wrong.push(format!("{path}: {got} (want {want})"));
        } else if !title_ok {
            wrong.push(format!("{path}: the title is not in the asked language"));
        }
    }
    drop(building);
    let built = builder.await.unwrap();
    assert!(built > 0, "no other router was built meanwhile");
    assert!(
        wrong.is_empty(),
        "{} of 300 answers were wrong: {wrong:?}",
        wrong.len()
    );
}
