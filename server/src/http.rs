//! The HTTP stack: routes, the Leptos app, and the layers every response passes through.
mod api;
mod assets;
mod console_routes;
mod download;
mod headers;
mod health;
mod portal_routes;

use crate::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::map_request_body::MapRequestBodyLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (a 512 KB logo plus form overhead fits). The logo upload
/// route reads more itself, so an oversize logo gets the page's message, not a bare 413
/// (see [`LOGO_READ_LIMIT`]).
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;
pub use console_routes::LOGO_READ_LIMIT;

/// Builds the whole application router.
pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = route_list();
    let bundles = crate::bundles::load(&options).unwrap_or_else(|err| {
        // The default bundle hydrates every page, only with more to download.
        tracing::error!(error = %err, "browser bundle manifest unreadable; every page loads the default bundle");
        crate::bundles::default_only(&options)
    });
    tracing::info!(
        portal = bundles.portal.is_some(),
        console = bundles.console.is_some(),
        "browser bundles"
    );
    let context = {
        let state = state.clone();
        move || provide_app_context(&state, &bundles)
    };

    // The bundles and the CSS ahead of Leptos's fallback, which renders a page per miss.
    let assets = assets::routes(
        &format!("/{}", options.site_pkg_dir),
        std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir),
        options.hash_files,
    );

    let limited = Router::new()
        .merge(assets)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/locale/{lang}", get(headers::switch_locale))
        .merge(console_routes::routes())
        .merge(portal_routes::routes())
        .route(
            "/api/{*fn_name}",
            post({
                let context = context.clone();
                move |req| leptos_axum::handle_server_fns_with_context(context.clone(), req)
            }),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
                // Back to axum's body type for the router after the limit wrapped it.
                .layer(MapRequestBodyLayer::new(axum::body::Body::new)),
        );

    Router::new()
        .merge(limited)
        .merge(console_routes::upload_routes())
        // The API applies the same body limit itself, answering in its own error shape.
        .nest("/v1", api::routes(state.clone()))
        .layer(
            ServiceBuilder::new()
                .layer(SetSensitiveHeadersLayer::new([
                    http::header::AUTHORIZATION,
                    http::header::COOKIE,
                    http::header::SET_COOKIE,
                ]))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(headers::make_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn(headers::record_metrics))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    headers::security_headers,
                ))
                .layer(CatchPanicLayer::new())
                .layer(CompressionLayer::new())
                .layer(CsrfLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                )),
        )
        .with_state(state)
}

/// The app's routes, listed once per process.
///
/// Listing them runs the app with resource loading suppressed through a process-wide flag
/// (leptos_server's `SuppressResourceLoad`), and a resource whose future is first polled
/// while that flag is up never loads: a page rendering in another router of the same
/// process at that moment would hang until the request timeout (leptos-rs/leptos#4773).
/// One process serves one router, but tests start many; listed once, before any router
/// exists, the flag is never up while a page renders.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

/// What server functions and pages can reach through Leptos context.
fn provide_app_context(state: &AppState, bundles: &app::bundles::Bundles) {
    leptos::nonce::provide_nonce();
    provide_context(bundles.clone());
    provide_context(state.console.clone());
    provide_context(state.portal.clone());
    provide_context(api::openapi::reference());
    provide_context(app::portal::api::server::CustomerMemo::default());
}

/// Connections the kernel may queue before they are accepted (it caps this at
/// `net.core.somaxconn`). The standard library's 128 overflowed under a burst of 200
/// connections: the kernel dropped their SYNs and every client, a health check included,
/// waited a second to retry.
pub const LISTEN_BACKLOG: u32 = 4096;

/// A listener on `addr` with [`LISTEN_BACKLOG`].
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Waits for Ctrl-C or SIGTERM, for a graceful shutdown.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing in-flight requests");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 300 connections arriving at once wait in the backlog until they are accepted; with
    /// the standard library's 128, the kernel dropped the rest and they waited a second.
    #[tokio::test]
    async fn a_burst_of_connections_waits_in_the_backlog() {
        let listener = bind(([127, 0, 0, 1], 0).into()).expect("a free port");
        let addr = listener.local_addr().expect("bound address");
        let mut connects = tokio::task::JoinSet::new();
        for _ in 0..300 {
            connects.spawn(tokio::time::timeout(
                Duration::from_millis(500),
                tokio::net::TcpStream::connect(addr),
            ));
        }
        let mut connected = Vec::new();
        while let Some(done) = connects.join_next().await {
            if let Ok(Ok(stream)) = done.expect("the task ran") {
                connected.push(stream);
            }
        }
        assert_eq!(connected.len(), 300, "every connection was queued");
        drop(listener);
    }
}
