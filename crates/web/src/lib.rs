//! # recouvre-web
//!
//! The web face of Recouvre: one axum server carrying the REST API (`/api/v1`, described by
//! the OpenAPI document at `/api/openapi.json`, generated from the handlers) and the
//! server-rendered interface in French and English, for the people who collect.
//!
//! Like the CLI, it is an adapter: every handler calls a use case of `recouvre-app` and
//! renders what it returns. No SQL lives here.
//!
//! Requests pass, outside in: the request log (tracing), the metrics, the timeout, the body
//! limit, then [`auth::authorize`], which identifies the user (session cookie or bearer
//! token), checks the permission table [`auth::PERMISSIONS`] for the route and the CSRF
//! token of any change, before the handler runs.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

pub mod api;
pub mod api_agency;
pub mod api_contract;
pub mod api_financing;
pub mod api_gdpr;
pub mod api_judicial;
pub mod api_users;
pub mod auth;
pub mod error;
pub mod fmt;
pub mod i18n;
pub mod metrics;
pub mod ui;
pub mod ui_agency;
pub mod ui_cases;
pub mod ui_financing;
pub mod ui_gdpr;
pub mod ui_imports;
pub mod ui_judicial;
pub mod ui_law;
pub mod ui_legal;
pub mod ui_scenarios;
pub mod ui_security;
pub mod ui_settings;
pub mod ui_users;

use app::{Clock, Store};
use axum::Router;
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The largest request body accepted: forms and JSON. File uploads (the imports page) may
/// be up to [`ui_imports::UPLOAD_LIMIT`].
pub const BODY_LIMIT: usize = 256 * 1024;
/// A request taking longer is answered 408 and dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a kept book may serve the lists (see `app::lists::BookCache`).
pub const BOOK_MAX_AGE: Duration = Duration::from_secs(30);
/// How long a served portfolio may go without counting the tables again
/// ([`Config::lists_recheck`] of `recouvre serve`): writes of another process reach the
/// lists at most this late; the server's own writes at once.
pub const LISTS_RECHECK: Duration = Duration::from_secs(2);

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark the session cookie `Secure` (set it when the server is behind HTTPS).
    pub secure_cookies: bool,
    /// The reverse proxy in front of the server (`--trusted-proxy`): on a connection from
    /// this address, the client is the last address of `X-Forwarded-For`; from any other,
    /// the header is ignored.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How long a session lasts without signing in again.
    pub session_hours: i64,
    /// A folder of message templates laid over the built-in texts (`--templates`).
    pub templates_dir: Option<std::path::PathBuf>,
    /// See [`LISTS_RECHECK`]; zero (the default): the lists count the tables on every
    /// request and are exact.
    pub lists_recheck: Duration,
    /// When the daily run is due: what the settings page and `/health` measure it by.
    pub schedule: app::schedule::Schedule,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trusted_proxy: None,
            session_hours: 12,
            templates_dir: None,
            lists_recheck: Duration::ZERO,
            schedule: app::schedule::Schedule::default(),
        }
    }
}

/// What every handler shares.
pub struct Inner {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    pub rates: domain::law::RateTables,
    /// The database's scenario set, re-read when a load or reset changed it.
    pub scenarios: app::scenarios::ScenarioCache,
    pub i18n: Arc<i18n::I18n>,
    pub metrics: metrics::Metrics,
    /// The portfolio's book between requests (portfolio-wide pages).
    pub books: app::lists::BookCache,
    /// The imports started from the imports page, with their progress.
    pub imports: ui_imports::Jobs,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}

/// The state of the application, cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the built-in rate tables do not load: {0}")]
    Rates(String),
    #[error("the translations do not load: {0}")]
    I18n(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

impl AppState {
    /// The templates in force (built-in, folder, database overrides) and the rate tables,
    /// loaded afresh so that an override saved a moment ago is used at once.
    pub async fn comms(&self) -> Result<comms::Comms, comms::CommsError> {
        comms::admin::load(
            self.store.as_ref(),
            self.config.templates_dir.as_deref(),
            self.rates.clone(),
        )
        .await
    }

    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: Config,
    ) -> Result<Self, StartError> {
        let lists_recheck = config.lists_recheck;
        Ok(Self(Arc::new(Inner {
            store,
            clock,
            config,
            rates: domain::law::RateTables::embedded()
                .map_err(|e| StartError::Rates(e.to_string()))?,
            scenarios: app::scenarios::ScenarioCache::default(),
            i18n: Arc::new(i18n::I18n::load().map_err(StartError::I18n)?),
            metrics: metrics::Metrics::default(),
            books: app::lists::BookCache::new(BOOK_MAX_AGE, lists_recheck),
            imports: ui_imports::Jobs::default(),
        })))
    }
}

/// The whole application: API, OpenAPI document, UI, health and metrics, behind the
/// permission check and the request layers.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api::router().split_for_parts();
    let spec = Arc::new(openapi.to_json().unwrap_or_else(|e| {
        tracing::error!("cannot serialise the OpenAPI document: {e}");
        "{}".to_string()
    }));
    Router::new()
        .merge(api)
        .merge(ui::router())
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = spec.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        spec.as_str().to_owned(),
                    )
                }
            }),
        )
        .route("/health", get(health))
        .route("/metrics", get(metrics::render))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authorize,
        ))
        .fallback(error::not_found)
        .layer(RequestBodyLimitLayer::new(ui_imports::UPLOAD_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            forget_lists_after_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// The Content-Security-Policy of every answer: scripts, styles, images and frames only
/// from this server, no inline script or style, no framing by other sites, forms posting
/// only here. The interface has no script and no `style` attribute; the one document with
/// inline styles, a message's HTML shown in the templates page, is served by its own route
/// with its own policy ([`PREVIEW_CSP`]).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
/// The policy of a message preview (`/templates/preview`): the message's own inline
/// styles and embedded images, nothing else (no script; the page's frame sandboxes it too), framed by our pages
/// only.
pub const PREVIEW_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
/// `Strict-Transport-Security`, sent only when the server runs behind HTTPS
/// (`--secure-cookies`): one year.
pub const HSTS: &str = "max-age=31536000";

/// Middleware, outermost: the security headers on every answer (pages, API, assets,
/// errors, timeouts). A handler that set one of them itself (the message preview) keeps
/// its own.
async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    if state.config.secure_cookies {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

/// `ok` and the backend, for load balancers and monitoring. Touches the database.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.store.begin_read().await {
        Ok(mut tx) => {
            // The daily run: late or failed says "degraded" (the server itself answers: 200).
            let now = state.clock.now_unix();
            let run = app::schedule::run_status(
                tx.as_mut(),
                &state.config.schedule,
                state.clock.today(),
                now,
            )
            .await;
            drop(tx);
            let (status, run) = match run {
                Ok(r) => (
                    if r.late || r.failed { "degraded" } else { "ok" },
                    serde_json::json!({
                        "late": r.late,
                        "failed": r.failed,
                        "next": r.next,
                        "last_result": r.last.as_ref().and_then(|j| j.result.clone()),
                        "last_finished_at": r.last.as_ref().and_then(|j| j.finished_at.clone()),
                    }),
                ),
                Err(e) => {
                    tracing::error!("health: jobs: {e}");
                    (
                        "degraded",
                        serde_json::json!({ "error": "jobs unreadable" }),
                    )
                }
            };
            axum::Json(serde_json::json!({
                "status": status,
                "backend": state.store.backend(),
                "version": env!("CARGO_PKG_VERSION"),
                "daily_run": run,
            }))
            .into_response()
        }
        Err(e) => {
            tracing::error!("health: {e}");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "unavailable" })),
            )
                .into_response()
        }
    }
}

/// Binds `addr`: the socket tests and `recouvre serve` start from.
pub async fn bind(addr: &str) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.to_string(),
            source,
        })
}

/// Serves until `shutdown` completes, then finishes the requests under way.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartError::Serve)
}

/// Completes on Ctrl-C (and SIGTERM on Unix): the shutdown signal of `recouvre serve`.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}

/// After a change this server made (any successful request but a read), the kept
/// portfolio is forgotten, so that the lists show it at once.
async fn forget_lists_after_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let reads = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let response = next.run(request).await;
    if !reads && !response.status().is_client_error() && !response.status().is_server_error() {
        state.books.invalidate();
    }
    response
}
