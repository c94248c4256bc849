//! The interface: server-rendered pages (askama templates in `crates/web/templates`), in
//! French and English, plain HTML forms with a CSRF token, no script. Every page is built
//! from a use case of `recouvre-app`, turned into rows of display strings here so that
//! templates only lay them out.
//!
//! New screens (payments review, plans, promises, disputes, settings) slot in as a handler,
//! a template, a line of [`NAV`], a line of the permission table and their messages in
//! both `.ftl` files.

use crate::AppState;
use crate::api::{Params, debtor_query, status_parts};
use crate::auth::{self, Ctx};
use crate::error::WebError;
use crate::fmt;
use crate::i18n::{Lang, Tr};
use app::lists::{self, DebtorSort, TimelineEvent};
use app::queries;
use app::store::{ActionFilter, ActionStatus, Role};
use app::users::NewUser;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::aging::Buckets;
use domain::{ClaimId, Currency, Date, DebtorId, Money};
use std::collections::HashMap;

/// The navigation: path, message key, least role that sees it, and the group it is shown
/// in (message `nav-group-<group>`; groups in order of first appearance). A new screen
/// adds its line.
pub const NAV: &[(&str, &str, Role, &str)] = &[
    ("/", "nav-dashboard", Role::Viewer, "steer"),
    ("/reports", "nav-reports", Role::Viewer, "steer"),
    ("/worklist", "nav-worklist", Role::Viewer, "collect"),
    ("/debtors", "nav-debtors", Role::Viewer, "collect"),
    ("/actions", "nav-actions", Role::Viewer, "collect"),
    ("/payments", "nav-payments", Role::Viewer, "collect"),
    ("/outbox", "nav-outbox", Role::Viewer, "collect"),
    ("/legal", "nav-legal", Role::Viewer, "collect"),
    ("/agency", "nav-agency", Role::Viewer, "collect"),
    ("/client", "nav-client", Role::Client, "steer"),
    ("/imports", "nav-imports", Role::Manager, "setup"),
    ("/scenarios", "nav-scenarios", Role::Manager, "setup"),
    ("/templates", "nav-templates", Role::Viewer, "setup"),
    ("/settings", "nav-settings", Role::Admin, "setup"),
    ("/users", "nav-users", Role::Admin, "setup"),
    ("/personal-data", "nav-personal-data", Role::Admin, "setup"),
    ("/audit", "nav-audit", Role::Admin, "setup"),
    ("/account/security", "nav-security", Role::Viewer, "setup"),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/app.css", get(css))
        .route("/favicon.ico", get(favicon))
        .route("/assets/favicon.svg", get(favicon))
        .route("/login", get(login_form).post(login_submit))
        .route("/setup", get(setup_form).post(setup_submit))
        .route("/logout", post(logout))
        .route("/language", post(language))
        .route("/", get(dashboard))
        .route("/worklist", get(worklist))
        .route("/debtors", get(debtors))
        .route("/debtors/{id}", get(debtor))
        .route("/debtors/{id}/hold", post(hold))
        .route("/debtors/{id}/promises", post(promise))
        .route("/payments", get(payments))
        .route("/payments/{id}/apply", post(apply_payment))
        .route("/payments/{id}/ignore", post(ignore_payment))
        .route("/debtors/{id}/disputes", post(dispute))
        .route("/claims/{id}", get(claim))
        .route("/actions", get(actions))
        .route("/actions/{id}/approve", post(approve))
        .route("/actions/{id}/skip", post(skip))
        .route("/audit", get(audit))
        .route("/outbox", get(outbox))
        .route("/outbox/{id}/retry", post(retry_outbox))
        .route("/templates", get(templates))
        .route("/templates/preview", get(template_preview))
        .route("/reports", get(reports))
        .route("/reports/download", get(report_download))
        .route("/users", get(users).post(create_user))
        .merge(crate::ui_cases::router())
        .merge(crate::ui_law::router())
        .merge(crate::ui_legal::router())
        .merge(crate::ui_financing::router())
        .merge(crate::ui_users::router())
        .merge(crate::ui_security::router())
        .merge(crate::ui_scenarios::router())
        .merge(crate::ui_imports::router())
        .merge(crate::ui_settings::router())
        .merge(crate::ui_gdpr::router())
        .merge(crate::ui_judicial::router())
        .merge(crate::ui_agency::router())
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/app.css"),
    )
        .into_response()
}

/// The icon browsers ask for (as `/favicon.ico` when a page names none).
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../assets/favicon.svg"),
    )
        .into_response()
}

// -- the frame of every page

#[derive(Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// A titled group of the navigation.
#[derive(Debug)]
pub struct NavGroup {
    pub label: String,
    pub items: Vec<NavItem>,
}

/// What the layout needs: translator, user, CSRF token, navigation, notice.
#[derive(Debug)]
pub struct Page {
    pub t: Tr,
    pub title: String,
    pub user_name: Option<String>,
    pub user_role: String,
    pub csrf: String,
    pub nav: Vec<NavGroup>,
    /// The path of this page, for the language switch to come back to.
    pub here: String,
    pub notice: Option<String>,
}

impl Page {
    pub(crate) fn new(state: &AppState, ctx: &Ctx, title_key: &str, here: &str) -> Self {
        let t = Tr::new(state.i18n.clone(), ctx.lang);
        let role = ctx.user.as_ref().map(|u| u.role);
        let mut nav: Vec<NavGroup> = Vec::new();
        let mut group_keys: Vec<&str> = Vec::new();
        for (href, key, min, group) in NAV {
            if role.is_none_or(|r| r < *min) {
                continue;
            }
            let item = NavItem {
                href,
                label: t.get(key),
                current: here == *href || (*href != "/" && here.starts_with(href)),
            };
            match group_keys.iter().position(|g| g == group) {
                Some(i) => nav[i].items.push(item),
                None => {
                    group_keys.push(group);
                    nav.push(NavGroup {
                        label: t.get(&format!("nav-group-{group}")),
                        items: vec![item],
                    });
                }
            }
        }
        Self {
            title: t.get(title_key),
            user_name: ctx.user.as_ref().map(|u| u.display_name.clone()),
            user_role: role.map_or(String::new(), |r| t.get(&format!("role-{r}"))),
            csrf: ctx.csrf.clone(),
            nav,
            here: here.to_string(),
            notice: None,
            t,
        }
    }

    /// Shows the notice named by a `notice` query parameter (only known ones).
    pub(crate) fn with_notice(mut self, p: &Params) -> Self {
        const KNOWN: &[&str] = &[
            "totp-enabled",
            "totp-disabled",
            "totp-reset",
            "totp-policy",
            "outbox-retried",
            "call-logged",
            "note-added",
            "limitation-event-added",
            "plan-created",
            "plan-draft",
            "consent-recorded",
            "plan-active",
            "dispute-resolved",
            "assigned",
            "scenarios-saved",
            "scenarios-reset",
            "settings-saved",
            "approved",
            "skipped",
            "held",
            "released",
            "user-created",
            "user-activated",
            "user-deactivated",
            "user-role",
            "user-password",
            "token-revoked",
            "language",
            "promised",
            "disputed",
            "payment-applied",
            "payment-ignored",
            "fn-recorded",
            "written-off",
            "charges-posted",
            "fn-delivery",
            "gdpr-retention",
            "gdpr-proposed",
            "gdpr-erased",
            "gdpr-withdrawn",
            "legal-opened",
            "legal-stage",
            "legal-cost",
            "legal-payment",
            "legal-parties",
            "legal-exhibit",
            "legal-answers",
            "mandate-added",
            "mandate-ended",
            "identity-saved",
            "account-saved",
            "placed",
            "withdrawn",
            "remitted",
        ];
        self.notice = p
            .raw("notice")
            .filter(|n| KNOWN.contains(n))
            .map(|n| self.t.get(&format!("notice-{n}")));
        self
    }
}

pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    message: String,
}

/// An error as a page, in the visitor's language.
pub fn error_page(state: &AppState, ctx: &Ctx, error: WebError) -> Response {
    let status = error.status();
    let mut page = Page::new(state, ctx, "error-title", "");
    let key = match status.as_u16() {
        401 => "error-401",
        403 if matches!(error, WebError::Csrf) => "error-csrf",
        403 => "error-403",
        404 => "error-404",
        422 => "error-422",
        429 => "error-429",
        503 => "error-503",
        400 => "error-400",
        _ => "error-500",
    };
    page.title = page.t.get(key);
    let message = match &error {
        WebError::Unprocessable(m) | WebError::NotFound(m) => m.clone(),
        WebError::BadRequest { detail, .. } => detail.clone(),
        _ => String::new(),
    };
    let mut response = render(&ErrorPage {
        page,
        status: status.as_u16(),
        message,
    });
    *response.status_mut() = status;
    crate::error::with_retry_after(response, &error)
}

/// A page's failure, with the context to render it (boxed: a `Ctx` is large).
pub(crate) type PageErr = Box<(Ctx, WebError)>;
pub(crate) type PageResult = Result<Response, PageErr>;

/// Attaches the request context to an error, so that it renders as a page.
pub(crate) trait OrPage<T> {
    fn page(self, ctx: &Ctx) -> Result<T, PageErr>;
}

impl<T, E: Into<WebError>> OrPage<T> for Result<T, E> {
    fn page(self, ctx: &Ctx) -> Result<T, PageErr> {
        self.map_err(|e| Box::new((ctx.clone(), e.into())))
    }
}

pub(crate) fn finish(state: &AppState, result: PageResult) -> Response {
    result.unwrap_or_else(|err| {
        let (ctx, e) = *err;
        error_page(state, &ctx, e)
    })
}

impl Params {
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.map_ref().get(name).map(String::as_str)
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A local path to go back to; anything else (another site) becomes `/`.
pub(crate) fn local(path: Option<&String>) -> String {
    match path {
        Some(p) if is_local(p) => p.clone(),
        _ => "/".into(),
    }
}

/// A path of this site only: one leading `/` (not `//`, which browsers read as another
/// host), then visible ASCII only: no backslash (read as `/`), no space, tab or control
/// character (which browsers drop, so `/<TAB>/evil` would be `//evil`), nothing a
/// `Location` header could not carry.
pub(crate) fn is_local(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

/// `path?notice=...`, keeping the path's own query.
pub(crate) fn with_notice(path: &str, notice: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}notice={notice}")
}

/// `303 See Other` to `path`; a path no `Location` header can carry (a control or
/// non-ASCII character) goes to `/` rather than failing.
pub(crate) fn see_other(path: &str) -> Response {
    match axum::http::HeaderValue::from_str(path) {
        Ok(v) if !path.contains(['\r', '\n', '\t']) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response()
        }
        _ => Redirect::to("/").into_response(),
    }
}

// -- sign in, first run, language

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    next: String,
    login: String,
    error: Option<String>,
}

async fn login_form(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, login_form_inner(&state, ctx, p).await)
}

async fn login_form_inner(state: &AppState, ctx: Ctx, p: Params) -> PageResult {
    if ctx.user.is_some() {
        return Ok(see_other("/"));
    }
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    if tx.user_count().await.page(&ctx)? == 0 {
        return Ok(see_other("/setup"));
    }
    drop(tx);
    Ok(render(&LoginPage {
        page: Page::new(state, &ctx, "login-title", "/login"),
        next: local(p.map_ref().get("next")),
        login: String::new(),
        error: None,
    }))
}

async fn login_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let login = form.get("login").map_or("", |s| s.trim()).to_lowercase();
    let password = form.get("password").map_or("", String::as_str);
    let code = form.get("code").map_or("", |s| s.trim());
    let next = local(form.get("next"));
    let retry = |key: &str, status: StatusCode| {
        let page = Page::new(&state, &ctx, "login-title", "/login");
        let error = Some(page.t.get(key));
        let mut r = render(&LoginPage {
            page,
            next: next.clone(),
            login: login.clone(),
            error,
        });
        *r.status_mut() = status;
        r
    };
    let (store, clock) = (state.store.as_ref(), state.clock.as_ref());
    match app::users::sign_in_blocked(store, clock, &ctx.client, &login).await {
        Ok(true) => return retry("login-too-many", StatusCode::TOO_MANY_REQUESTS),
        Ok(false) => {}
        Err(e) => return error_page(&state, &ctx, e.into()),
    }
    let user = match state.store.begin_read().await {
        Ok(mut tx) => tx.user_by_login(&login).await,
        Err(e) => Err(e),
    };
    let user = match user {
        Ok(u) => u,
        Err(e) => return error_page(&state, &ctx, e.into()),
    };
    let ok = match &user {
        Some(u) => u.active && auth::verify_password(password, &u.password_hash),
        None => {
            auth::verify_nobody(password);
            false
        }
    };
    let retry_ref = &retry;
    let failed = |key: &'static str| {
        let (state, ctx, login) = (&state, &ctx, &login);
        async move {
            if let Err(e) = app::users::sign_in_failed(store, clock, &ctx.client, login).await {
                return error_page(state, ctx, e.into());
            }
            tracing::info!("sign-in refused for a login from {}", ctx.client);
            retry_ref(key, StatusCode::UNAUTHORIZED)
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        return failed("login-failed").await;
    };
    // The second factor, when the user has one (or must: an administrator without one
    // while the setting makes it mandatory sets it up first, from the command line).
    match app::users::check_second_factor(store, clock, &user, code).await {
        Ok(app::users::SecondFactor::NotNeeded | app::users::SecondFactor::Accepted) => {}
        Ok(app::users::SecondFactor::Refused) => return failed("login-code").await,
        Ok(app::users::SecondFactor::SetUpFirst) => {
            return retry("login-totp-setup-first", StatusCode::FORBIDDEN);
        }
        Err(e) => return error_page(&state, &ctx, e.into()),
    }
    if let Err(e) = app::users::sign_in_succeeded(store, &ctx.client, &login).await {
        return error_page(&state, &ctx, e.into());
    }
    // A new session identifier at every sign-in: the session the browser held before (a
    // previous sign-in, or one planted by someone else) ends, and so does the CSRF token
    // of the signed-out forms.
    if let Some(old) = &ctx.session_hash
        && let Err(e) = auth::close_session(&state, old).await
    {
        return error_page(&state, &ctx, e);
    }
    match auth::open_session(&state, &user).await {
        Ok(cookie) => {
            let mut r = see_other(&next);
            auth::append_cookie(&mut r, &cookie);
            auth::append_cookie(
                &mut r,
                &auth::set_cookie(
                    auth::PRE_COOKIE,
                    "",
                    Some(0),
                    true,
                    state.config.secure_cookies,
                ),
            );
            r
        }
        Err(e) => error_page(&state, &ctx, e),
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Response {
    let Some(hash) = ctx.session_hash.clone() else {
        return see_other("/login");
    };
    match auth::close_session(&state, &hash).await {
        Ok(cookie) => {
            let mut r = see_other("/login");
            auth::append_cookie(&mut r, &cookie);
            r
        }
        Err(e) => error_page(&state, &ctx, e),
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    page: Page,
    login: String,
    name: String,
    error: Option<String>,
}

async fn setup_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let count = match state.store.begin_read().await {
        Ok(mut tx) => tx.user_count().await,
        Err(e) => Err(e),
    };
    match count {
        Ok(0) => render(&SetupPage {
            page: Page::new(&state, &ctx, "setup-title", "/setup"),
            login: "admin".into(),
            name: String::new(),
            error: None,
        }),
        Ok(_) => see_other("/login"),
        Err(e) => error_page(&state, &ctx, e.into()),
    }
}

async fn setup_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let fail = |msg: String| {
        let mut r = render(&SetupPage {
            page: Page::new(&state, &ctx, "setup-title", "/setup"),
            login: field("login"),
            name: field("display_name"),
            error: Some(msg),
        });
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    if field("password") != field("password2") {
        let t = Tr::new(state.i18n.clone(), ctx.lang);
        return fail(t.get("setup-mismatch"));
    }
    let hash = match auth::hash_password(&field("password")) {
        Ok(h) => h,
        Err(e) => return fail(e.to_string()),
    };
    let new = NewUser {
        login: field("login"),
        display_name: field("display_name"),
        role: Role::Admin,
        password_hash: hash,
        language: ctx.lang.code().into(),
    };
    match app::users::add_first_admin(state.store.as_ref(), state.clock.as_ref(), new).await {
        Ok(user) => match auth::open_session(&state, &user).await {
            Ok(cookie) => {
                let mut r = see_other("/");
                auth::append_cookie(&mut r, &cookie);
                r
            }
            Err(e) => error_page(&state, &ctx, e),
        },
        Err(app::AppError::Invalid(msg)) => fail(msg),
        Err(e) => error_page(&state, &ctx, e.into()),
    }
}

async fn language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(lang) = form.get("lang").and_then(|l| Lang::parse(l)) else {
        return error_page(&state, &ctx, WebError::field("lang", "fr or en / fr ou en"));
    };
    if let Some(user) = &ctx.user
        && let Err(e) = app::users::set_language(
            state.store.as_ref(),
            state.clock.as_ref(),
            &app::audit::Actor(user.login.clone()),
            user.id,
            lang.code(),
        )
        .await
    {
        return error_page(&state, &ctx, e.into());
    }
    let mut r = see_other(&local(form.get("back")));
    auth::append_cookie(
        &mut r,
        &auth::set_cookie(
            auth::LANG_COOKIE,
            lang.code(),
            Some(365 * 24 * 3600),
            false,
            state.config.secure_cookies,
        ),
    );
    r
}

// -- dashboard

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Page,
    as_of: String,
    overdue: String,
    open: String,
    overdue_claims: u64,
    open_claims: u64,
    debtors: i64,
    cash_month: Option<String>,
    dso: Option<String>,
    chart: String,
    chart_rows: Vec<(String, String)>,
    collections_chart: String,
    collections_rows: Vec<(String, String)>,
    rows: Vec<DebtorRow>,
}

/// One debtor in a table, ready to show.
#[derive(Debug)]
struct DebtorRow {
    id: i64,
    name: String,
    external_id: String,
    country: String,
    segment: String,
    open: String,
    overdue: String,
    days_late: i32,
    open_claims: u32,
}

fn debtor_row(l: &queries::DebtorLine, lang: Lang) -> DebtorRow {
    DebtorRow {
        id: l.id.0,
        name: l.name.clone(),
        external_id: l.external_id.clone(),
        country: l.country.clone(),
        segment: l.segment.to_string(),
        open: fmt::amounts(&l.open, lang),
        overdue: fmt::amounts(&l.overdue, lang),
        days_late: l.oldest_days_late,
        open_claims: l.open_claims,
    }
}

/// An inline SVG bar chart of amounts in one currency (other currencies are in the table
/// beside it): `id` names its title for screen readers, `muted_first` shades the first bar
/// (the "not due" bucket). Heights are integer shares of the tallest bar. Our own few
/// lines rather than charts-rs: see docs/architecture.md.
fn bar_chart(
    id: &str,
    title: &str,
    rows: &[(String, Money)],
    muted_first: bool,
    lang: Lang,
) -> String {
    const W: i64 = 640;
    const H: i64 = 220;
    const TOP: i64 = 24;
    const BASE: i64 = 180;
    let max = rows
        .iter()
        .map(|(_, m)| m.minor())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = i64::try_from(rows.len()).unwrap_or(1).max(1);
    let slot = W / n;
    let bar = slot * 3 / 5;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}\">\
         <title id=\"{id}\">{}</title>",
        escape(title)
    );
    for (i, (label, amount)) in rows.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(0);
        let h = i64::try_from(
            i128::from(amount.minor().max(0)) * i128::from(BASE - TOP) / i128::from(max),
        )
        .unwrap_or(0);
        let x = i * slot + (slot - bar) / 2;
        let y = BASE - h;
        let class = if i == 0 && muted_first {
            "bar notdue"
        } else {
            "bar"
        };
        let text = fmt::money(*amount, lang);
        svg.push_str(&format!(
            "<g><title>{label}: {text}</title>\
             <rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" rx=\"3\"/>\
             <text class=\"value\" x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\">{short}</text>\
             <text class=\"label\" x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\">{label}</text></g>",
            label = escape(label),
            text = escape(&text),
            cx = x + bar / 2,
            ty = (y - 6).max(12),
            ly = BASE + 20,
            short = escape(&short_amount(*amount)),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The rows of a chart as text, for the table that stands in for it.
fn chart_rows(rows: &[(String, Money)], lang: Lang) -> Vec<(String, String)> {
    rows.iter()
        .map(|(l, m)| (l.clone(), fmt::money(*m, lang)))
        .collect()
}

/// `12k €`, `1.2M €`: the label above a bar.
fn short_amount(m: Money) -> String {
    let units = m.minor() / 100;
    if units >= 1_000_000 {
        format!("{}.{}M", units / 1_000_000, (units % 1_000_000) / 100_000)
    } else if units >= 1_000 {
        format!("{}k", units / 1_000)
    } else {
        units.to_string()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn bucket_label(label: &str, t: &Tr) -> String {
    if label == "not due" {
        t.get("aged-not-due")
    } else {
        t.with("aged-days", label)
    }
}

async fn dashboard(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, dashboard_inner(&state, ctx, p).await)
}

async fn dashboard_inner(state: &AppState, ctx: Ctx, p: Params) -> PageResult {
    // A client's home is its client space: nothing of the dashboard is its creditor's alone.
    if ctx.user.as_ref().is_some_and(|u| u.role == Role::Client) {
        return Ok(see_other("/client"));
    }
    let today = state.clock.today();
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let book = state.books.get(tx.as_mut()).await.page(&ctx)?;
    let (s, cash) = lists::dashboard(tx.as_mut(), &book, today, &Buckets::default(), 10)
        .await
        .page(&ctx)?;
    drop(tx);
    let page = Page::new(state, &ctx, "nav-dashboard", "/").with_notice(&p);
    let lang = ctx.lang;
    let rows: Vec<(String, Money)> = s
        .aged
        .rows
        .iter()
        .map(|r| (bucket_label(&r.label, &page.t), r.amount.get(Currency::EUR)))
        .collect();
    let chart = bar_chart("chart-aged", &page.t.get("dash-aged"), &rows, true, lang);
    let cash: Vec<Money> = cash.iter().collect();
    // The DSO of `recouvre report kpis` and of the simulation: simple method, 90 days.
    // Days, per currency: "69,5 j", or "69,5 j (EUR) · 44,5 j (GBP)" when there are several.
    let per_currency: Vec<_> =
        domain::analytics::dso_simple(&book, today, app::reports::DEFAULT_PERIOD_DAYS)
            .into_iter()
            .filter_map(|d| d.days.map(|days| (days, d.currency)))
            .collect();
    let unit = page.t.get("dash-days-unit");
    let dso = per_currency
        .iter()
        .map(|(days, currency)| {
            let value = format!("{} {unit}", fmt::decimal(*days, lang));
            if per_currency.len() > 1 {
                format!("{value} ({})", currency.code())
            } else {
                value
            }
        })
        .collect::<Vec<_>>();
    let months: Vec<(String, Money)> = domain::analytics::collections_by_month(&book, today, 12)
        .into_iter()
        .map(|(first, amounts)| {
            let eur = amounts
                .iter()
                .find(|m| m.currency() == Currency::EUR)
                .copied()
                .unwrap_or(Money::zero(Currency::EUR));
            (format!("{:02}/{}", first.month(), first.year() % 100), eur)
        })
        .collect();
    let collections_chart = bar_chart(
        "chart-collections",
        &page.t.get("dash-collections"),
        &months,
        false,
        lang,
    );
    Ok(render(&DashboardPage {
        as_of: fmt::date(today, lang),
        overdue: fmt::amounts(&s.overdue, lang),
        open: fmt::amounts(&s.open, lang),
        overdue_claims: s.aged.overdue_claims(),
        open_claims: s.aged.open_claims(),
        debtors: s.counts.debtors,
        cash_month: (!cash.is_empty()).then(|| fmt::amounts(&cash, lang)),
        dso: (!dso.is_empty()).then(|| dso.join(" · ")),
        chart_rows: chart_rows(&rows, lang),
        chart,
        collections_rows: chart_rows(&months, lang),
        collections_chart,
        rows: s.top_overdue.iter().map(|l| debtor_row(l, lang)).collect(),
        page,
    }))
}

// -- worklist and actions

#[derive(Debug)]
struct TaskRow {
    action_id: i64,
    debtor_id: i64,
    debtor_name: String,
    step: String,
    channels: String,
    status: String,
    is_draft: bool,
    open: String,
    reason: String,
    /// The collector the case is assigned to (empty: the shared pool).
    owner: String,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    page: Page,
    tasks: Vec<TaskRow>,
    total: usize,
    can_approve: bool,
    can_skip: bool,
    /// Only the signed-in collector's cases and the shared pool.
    mine: bool,
    back_url: &'static str,
}

pub(crate) fn role_of(ctx: &Ctx) -> Option<Role> {
    ctx.user.as_ref().map(|u| u.role)
}

async fn worklist(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, worklist_inner(&state, ctx, p).await)
}

async fn worklist_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let mine = p.flag("mine");
    let page = Page::new(state, &ctx, "nav-worklist", "/worklist").with_notice(&p);
    p.finish().page(&ctx)?;
    let assignee = if mine {
        Some(ctx.user().page(&ctx)?.login.clone())
    } else {
        None
    };
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let book = state.books.get(tx.as_mut()).await.page(&ctx)?;
    let items =
        app::dunning::worklist_of(tx.as_mut(), &book, state.clock.today(), assignee.as_deref())
            .await
            .page(&ctx)?;
    drop(tx);
    let total = items.len();
    let lang = ctx.lang;
    let tasks = items
        .into_iter()
        .take(100)
        .map(|w| TaskRow {
            action_id: w.action_id,
            debtor_id: w.debtor_id.0,
            debtor_name: w.debtor_name,
            step: w.step,
            channels: channels_text(&w.channels.to_string(), &page.t),
            status: page.t.get(&format!("status-{}", w.status)),
            is_draft: w.status == ActionStatus::Draft,
            open: fmt::money(w.open, lang),
            reason: match lang {
                Lang::Fr => w.reason_fr,
                Lang::En => w.reason_en,
            },
            owner: w.owner.unwrap_or_default(),
        })
        .collect();
    let role = role_of(&ctx);
    Ok(render(&WorklistPage {
        page,
        tasks,
        total,
        can_approve: role >= Some(Role::Manager),
        can_skip: role >= Some(Role::Collector),
        mine,
        back_url: if mine {
            "/worklist?mine=true"
        } else {
            "/worklist"
        },
    }))
}

pub(crate) fn channels_text(channels: &str, t: &Tr) -> String {
    channels
        .split('+')
        .map(|c| t.get(&format!("channel-{c}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug)]
struct ActionRow {
    id: i64,
    debtor_id: i64,
    step: String,
    channels: String,
    amount: String,
    status: String,
    is_draft: bool,
    open: bool,
    created_on: String,
    /// Why its letter may not be issued (app::issuing), in the page's language.
    refused: Option<String>,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    page: Page,
    rows: Vec<ActionRow>,
    status: String,
    statuses: Vec<(String, String)>,
    total: usize,
    page_no: usize,
    pages: usize,
    back_url: String,
    can_approve: bool,
    can_skip: bool,
}

fn action_row(a: &app::store::StoredAction, t: &Tr) -> ActionRow {
    ActionRow {
        id: a.id,
        debtor_id: a.debtor_id.0,
        step: a.step_code.clone(),
        channels: channels_text(&a.channels.to_string(), t),
        amount: fmt::money(a.amount, t.lang),
        status: t.get(&format!("status-{}", a.status)),
        is_draft: a.status == ActionStatus::Draft,
        open: app::dunning::SKIPPABLE.contains(&a.status),
        created_on: fmt::date(a.created_on, t.lang),
        refused: None,
    }
}

async fn actions(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, actions_inner(&state, ctx, p).await)
}

async fn actions_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let status = p
        .get::<ActionStatus>("status")
        .unwrap_or(ActionStatus::Draft);
    let (page_no, per_page) = p.paging(50, 200);
    let page = Page::new(state, &ctx, "nav-actions", "/actions").with_notice(&p);
    p.finish().page(&ctx)?;
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let list = app::dunning::actions(
        tx.as_mut(),
        &ActionFilter {
            statuses: vec![status],
            ..ActionFilter::default()
        },
    )
    .await
    .page(&ctx)?;
    let paged = lists::Page::of(list, page_no, per_page);
    // A draft or planned letter that lacks what a letter must carry says so here, before
    // anyone approves it (the run writes it `failed` in the outbox).
    let mut rows = Vec::with_capacity(paged.items.len());
    let mut senders = app::issuing::Senders::default();
    for a in &paged.items {
        let mut row = action_row(a, &page.t);
        if matches!(a.status, ActionStatus::Draft | ActionStatus::Planned)
            && let Some(debtor) = tx.debtor(a.debtor_id).await.page(&ctx)?
        {
            row.refused = senders
                .letter_refusal(tx.as_mut(), a.channels, &debtor)
                .await
                .page(&ctx)?
                .map(|r| r.text(page.t.lang == Lang::Fr));
        }
        rows.push(row);
    }
    drop(tx);
    let role = role_of(&ctx);
    Ok(render(&ActionsPage {
        rows,
        status: status.to_string(),
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.to_string(), page.t.get(&format!("status-{s}"))))
            .collect(),
        total: paged.total,
        page_no: paged.page,
        pages: paged.pages(),
        back_url: format!("/actions?status={status}"),
        can_approve: role >= Some(Role::Manager),
        can_skip: role >= Some(Role::Collector),
        page,
    }))
}

async fn change_action(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    form: &HashMap<String, String>,
    approve: bool,
) -> PageResult {
    let id = id
        .parse::<i64>()
        .map_err(|_| WebError::NotFound(format!("action {id}")))
        .page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let (store, clock) = (state.store.as_ref(), state.clock.as_ref());
    if approve {
        app::audit::approve_action(store, clock, &actor, id)
            .await
            .page(&ctx)?;
    } else {
        app::audit::skip_action(store, clock, &actor, id)
            .await
            .page(&ctx)?;
    }
    let back = local(form.get("back"));
    Ok(see_other(&with_notice(
        &back,
        if approve { "approved" } else { "skipped" },
    )))
}

async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, change_action(&state, ctx, &id, &form, true).await)
}

async fn skip(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, change_action(&state, ctx, &id, &form, false).await)
}

// -- outbox

struct OutboxRow {
    id: i64,
    action_id: i64,
    debtor_id: i64,
    channel: String,
    recipient: String,
    message_id: String,
    attempts: i64,
    last_error: String,
    retryable: bool,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    page: Page,
    rows: Vec<OutboxRow>,
    status: String,
    /// (code, label, count) of every status.
    counts: Vec<(String, String, i64)>,
    page_no: usize,
    pages: usize,
    can_retry: bool,
}

async fn outbox(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, outbox_inner(&state, ctx, p).await)
}

/// `GET /outbox`: status counts and the entries of one status (failed first by default).
async fn outbox_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    use app::store::{OutboxFilter, OutboxStatus};
    let status = p
        .get::<OutboxStatus>("status")
        .unwrap_or(OutboxStatus::Failed);
    let (page_no, per_page) = p.paging(50, 200);
    let page = Page::new(state, &ctx, "nav-outbox", "/outbox").with_notice(&p);
    p.finish().page(&ctx)?;
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let counts = app::outbox::counts(tx.as_mut()).await.page(&ctx)?;
    let list = app::outbox::list(
        tx.as_mut(),
        &OutboxFilter {
            statuses: vec![status],
            ..OutboxFilter::default()
        },
    )
    .await
    .page(&ctx)?;
    drop(tx);
    let paged = lists::Page::of(list, page_no, per_page);
    Ok(render(&OutboxPage {
        rows: paged
            .items
            .iter()
            .map(|e| OutboxRow {
                id: e.id,
                action_id: e.action_id,
                debtor_id: e.debtor_id.0,
                channel: e.channel.as_str().to_string(),
                recipient: e.recipient.clone(),
                message_id: e.message_id.clone(),
                attempts: e.attempts,
                last_error: e.last_error.clone().unwrap_or_default(),
                retryable: matches!(e.status, OutboxStatus::Failed | OutboxStatus::Cancelled),
            })
            .collect(),
        status: status.to_string(),
        counts: counts
            .iter()
            .map(|(s, n)| (s.to_string(), page.t.get(&format!("outbox-status-{s}")), *n))
            .collect(),
        page_no: paged.page,
        pages: paged.pages(),
        can_retry: role_of(&ctx) >= Some(Role::Manager),
        page,
    }))
}

async fn retry_outbox(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    finish(&state, retry_outbox_inner(&state, ctx, &id).await)
}

/// `POST /outbox/{id}/retry`: queues a failed message again (managers), audited.
async fn retry_outbox_inner(state: &AppState, ctx: Ctx, id: &str) -> PageResult {
    let id = parse_id(&ctx, id, "outbox entry")?;
    let actor = ctx.actor().page(&ctx)?;
    app::outbox::retry(state.store.as_ref(), state.clock.as_ref(), &actor, id)
        .await
        .page(&ctx)?;
    Ok(see_other(&with_notice(
        "/outbox?status=queued",
        "outbox-retried",
    )))
}

// -- debtors

#[derive(Template)]
#[template(path = "debtors.html")]
struct DebtorsPage {
    page: Page,
    rows: Vec<DebtorRow>,
    search: String,
    overdue: bool,
    segment: String,
    country: String,
    sort: String,
    sorts: Vec<(String, String)>,
    reverse: bool,
    total: usize,
    page_no: usize,
    pages: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
}

async fn debtors(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, debtors_inner(&state, ctx, p).await)
}

async fn debtors_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let query = debtor_query(&mut p, 25);
    p.finish().page(&ctx)?;
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let ranked = state
        .books
        .ranking(tx.as_mut(), state.clock.today())
        .await
        .page(&ctx)?;
    drop(tx);
    let paged = lists::debtor_page(&ranked, &query);
    let page = Page::new(state, &ctx, "nav-debtors", "/debtors");
    // The query of this list, to move between its pages.
    let mut base = Vec::new();
    if let Some(s) = &query.search {
        base.push(format!("search={}", url_encode(s)));
    }
    if query.overdue {
        base.push("overdue=true".to_string());
    }
    if let Some(s) = query.segment {
        base.push(format!("segment={s}"));
    }
    if let Some(c) = &query.country {
        base.push(format!("country={}", url_encode(c)));
    }
    base.push(format!("sort={}", query.sort.as_str()));
    if query.reverse {
        base.push("reverse=true".to_string());
    }
    let url = |n: usize| format!("/debtors?{}&page={n}", base.join("&"));
    let pages = paged.pages();
    Ok(render(&DebtorsPage {
        rows: paged
            .items
            .iter()
            .map(|l| debtor_row(l, ctx.lang))
            .collect(),
        search: query.search.clone().unwrap_or_default(),
        overdue: query.overdue,
        segment: query.segment.map(|s| s.to_string()).unwrap_or_default(),
        country: query.country.clone().unwrap_or_default(),
        sort: query.sort.as_str().to_string(),
        sorts: DebtorSort::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    page.t.get(&format!("sort-{}", s.as_str())),
                )
            })
            .collect(),
        reverse: query.reverse,
        total: paged.total,
        page_no: paged.page,
        pages,
        prev_url: (paged.page > 1).then(|| url(paged.page - 1)),
        next_url: (paged.page < pages).then(|| url(paged.page + 1)),
        page,
    }))
}

#[derive(Debug)]
struct ClaimRow {
    id: i64,
    number: String,
    issue: String,
    due: String,
    open: String,
    status: String,
    status_class: &'static str,
}

#[derive(Debug)]
struct EventRow {
    date: String,
    kind: String,
    what: String,
    amount: String,
    claim_id: Option<i64>,
    action_id: Option<i64>,
    is_draft: bool,
    open: bool,
    status: String,
}

#[derive(Template)]
#[template(path = "debtor.html")]
struct DebtorPageT {
    page: Page,
    row: DebtorRow,
    language: String,
    contacts: Vec<(String, String)>,
    tags: String,
    claims: Vec<ClaimRow>,
    events: Vec<EventRow>,
    stage: String,
    scenario: String,
    hold_until: Option<String>,
    hold_default: String,
    back_url: String,
    can_hold: bool,
    can_approve: bool,
    can_skip: bool,
    promise_default: String,
    reasons: Vec<(&'static str, String)>,
    /// Plans, disputes, parties, and the choices of the quick actions' forms.
    panel: crate::ui_cases::Panel,
    /// Limitation deadlines and events, the legal routes advice.
    law: crate::ui_law::LawPanel,
    /// Why the debtor's formal notice may not be issued (app::issuing), if it may not.
    letter_refused: Option<String>,
    /// Formal notices and their delivery.
    notices: crate::ui_legal::NoticesPanel,
    /// The debtor's assignment to a factor or an insurer.
    financing: crate::ui_financing::FinancingPanel,
}

fn claim_row(c: &queries::ClaimLine, t: &Tr) -> ClaimRow {
    let (status, days) = status_parts(c.status);
    ClaimRow {
        id: c.id.0,
        number: c.number.clone(),
        issue: fmt::date(c.issue_date, t.lang),
        due: fmt::date(c.due_date, t.lang),
        open: fmt::money(c.open, t.lang),
        status: match days {
            Some(d) => t.n("claim-days-late", i64::from(d)),
            None => t.get(&format!("claim-{status}")),
        },
        status_class: status,
    }
}

pub(crate) fn parse_id(ctx: &Ctx, id: &str, what: &str) -> Result<i64, PageErr> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| WebError::NotFound(format!("{what} {id}")))
        .page(ctx)
}

async fn debtor(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> Response {
    finish(&state, debtor_inner(&state, ctx, &id, p).await)
}

async fn debtor_inner(state: &AppState, ctx: Ctx, id: &str, p: Params) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let today = state.clock.today();
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let d = queries::debtor_detail(tx.as_mut(), id, today)
        .await
        .page(&ctx)?;
    let timeline = lists::debtor_timeline(tx.as_mut(), id, today)
        .await
        .page(&ctx)?;
    let case = tx.case(id).await.page(&ctx)?;
    let scenarios = state.scenarios.get(tx.as_mut()).await.page(&ctx)?;
    // The letter link offers the formal notice: say beforehand what it lacks.
    let sender = app::issuing::sender(tx.as_mut(), d.debtor.creditor_id)
        .await
        .page(&ctx)?;
    let letter_refused =
        app::issuing::check(app::issuing::Form::RegisteredLetter, &sender, &d.debtor)
            .err()
            .map(|r| r.text(ctx.lang == Lang::Fr));
    let mut page = Page::new(state, &ctx, "nav-debtors", "/debtors").with_notice(&p);
    // Under "Debtors" in the navigation, but switching the language comes back here.
    page.here = format!("/debtors/{id}");
    page.title = d.debtor.name.clone();
    let t = page.t.clone();
    let panel = crate::ui_cases::panel(
        tx.as_mut(),
        &ctx,
        &t,
        id,
        case.as_ref().and_then(|c| c.owner.clone()),
        today,
    )
    .await
    .page(&ctx)?;
    let law = crate::ui_law::panel(state, tx.as_mut(), &ctx, &t, id, None)
        .await
        .page(&ctx)?;
    let numbers: HashMap<ClaimId, String> =
        d.claims.iter().map(|c| (c.id, c.number.clone())).collect();
    let notices = crate::ui_legal::notices_panel(tx.as_mut(), &ctx, &t, id, &numbers, today)
        .await
        .page(&ctx)?;
    let financing = crate::ui_financing::panel(tx.as_mut(), &ctx, &t, id, None, today)
        .await
        .page(&ctx)?;
    drop(tx);
    let lang = ctx.lang;
    let events = timeline
        .iter()
        .take(200)
        .map(|i| match &i.event {
            TimelineEvent::Ledger {
                claim_id,
                kind,
                amount,
                ..
            } => EventRow {
                date: fmt::date(i.date, lang),
                kind: "ledger".into(),
                what: format!(
                    "{} {}",
                    t.get(&format!("entry-{kind}")),
                    numbers.get(claim_id).cloned().unwrap_or_default()
                ),
                amount: fmt::money(*amount, lang),
                claim_id: Some(claim_id.0),
                action_id: None,
                is_draft: false,
                open: false,
                status: String::new(),
            },
            TimelineEvent::Action {
                action_id,
                step,
                channels,
                status,
                amount,
            } => EventRow {
                date: fmt::date(i.date, lang),
                kind: "action".into(),
                what: format!("{} · {}", step_text(step, &t), channels_text(channels, &t)),
                amount: fmt::money(*amount, lang),
                claim_id: None,
                action_id: Some(*action_id),
                is_draft: *status == ActionStatus::Draft,
                open: app::dunning::SKIPPABLE.contains(status),
                status: t.get(&format!("status-{status}")),
            },
            TimelineEvent::Agreement {
                kind,
                status,
                amount,
                detail,
                ..
            } => EventRow {
                date: fmt::date(i.date, lang),
                kind: format!("timeline-{kind}"),
                what: match kind.as_str() {
                    "promise" => t.with(
                        "agreement-promise",
                        &detail
                            .parse::<Date>()
                            .map_or_else(|_| detail.clone(), |d| fmt::date(d, lang)),
                    ),
                    "plan" => t.with("agreement-plan", detail),
                    _ => t.with("agreement-dispute", &t.get(&format!("reason-{detail}"))),
                },
                amount: if amount.is_zero() {
                    String::new()
                } else {
                    fmt::money(*amount, lang)
                },
                claim_id: None,
                action_id: None,
                is_draft: false,
                open: false,
                status: t.get(&format!("agreement-status-{status}")),
            },
            TimelineEvent::Note {
                kind,
                outcome,
                body,
                author,
                ..
            } => EventRow {
                date: fmt::date(i.date, lang),
                kind: format!("timeline-{kind}"),
                what: if outcome.is_empty() {
                    format!("{} · {body}", t.get("timeline-note-label"))
                } else if body.is_empty() {
                    t.with("timeline-call-label", &t.get(&format!("outcome-{outcome}")))
                } else {
                    format!(
                        "{} · {body}",
                        t.with("timeline-call-label", &t.get(&format!("outcome-{outcome}")))
                    )
                },
                amount: String::new(),
                claim_id: None,
                action_id: None,
                is_draft: false,
                open: false,
                status: author.clone(),
            },
        })
        .collect();
    let role = role_of(&ctx);
    let hold_default = today
        .checked_add(jiff::Span::new().days(14))
        .unwrap_or(today)
        .to_string();
    Ok(render(&DebtorPageT {
        letter_refused,
        row: debtor_row(&d.line, lang),
        language: d.debtor.language.clone(),
        contacts: d
            .debtor
            .contacts
            .iter()
            .map(|c| (t.get(&format!("contact-{}", c.kind)), c.value.clone()))
            .collect(),
        tags: d.debtor.tags.join(", "),
        claims: d.claims.iter().map(|c| claim_row(c, &t)).collect(),
        events,
        stage: case.as_ref().map_or_else(
            || t.get("stage-none"),
            |c| stage_text(&c.stage.to_string(), &t),
        ),
        scenario: case
            .as_ref()
            .and_then(|c| c.scenario.as_deref())
            .and_then(|code| scenarios.get(code))
            .map_or_else(|| "—".to_string(), |s| s.name(lang.code()).to_string()),
        hold_until: case
            .as_ref()
            .and_then(|c| c.hold_until)
            .filter(|d| *d > today)
            .map(|d| fmt::date(d, lang)),
        hold_default,
        back_url: format!("/debtors/{}", id.0),
        can_hold: role >= Some(Role::Collector),
        can_approve: role >= Some(Role::Manager),
        can_skip: role >= Some(Role::Collector),
        promise_default: today
            .checked_add(jiff::Span::new().days(7))
            .unwrap_or(today)
            .to_string(),
        reasons: domain::agreements::DisputeReason::ALL
            .iter()
            .map(|r| (r.as_str(), t.get(&format!("reason-{}", r.as_str()))))
            .collect(),
        panel,
        law,
        notices,
        financing,
        page,
    }))
}

async fn promise(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, promise_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/promises`: records a promise to pay on all the debtor's open claims.
async fn promise_inner(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    form: &HashMap<String, String>,
) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let text = form.get("due").map_or("", |s| s.trim());
    let due = text
        .parse::<Date>()
        .map_err(|e| WebError::field("due", format!("{text:?}: {e}")))
        .page(&ctx)?;
    let amount_text = form.get("amount").map_or("", |s| s.trim());
    let mut tx = state.store.begin().await.page(&ctx)?;
    let currency = app::agreements::open_currency(tx.as_mut(), id, state.clock.today())
        .await
        .page(&ctx)?;
    drop(tx);
    let amount = domain::Money::parse(amount_text, currency)
        .map_err(|e| WebError::field("amount", format!("{amount_text:?}: {e}")))
        .page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let terms = app::agreements::PromiseTerms {
        debtor: id,
        amount,
        due,
        claims: Vec::new(),
        channel: form
            .get("channel")
            .cloned()
            .unwrap_or_else(|| "phone".into()),
        note: form.get("note").cloned().unwrap_or_default(),
    };
    app::audit::add_promise(state.store.as_ref(), state.clock.as_ref(), &actor, &terms)
        .await
        .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/debtors/{id}"),
        "promised",
    )))
}

async fn dispute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, dispute_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/disputes`: opens a dispute on one of the debtor's claims.
async fn dispute_inner(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    form: &HashMap<String, String>,
) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let claim = ClaimId(parse_id(
        &ctx,
        form.get("claim").map_or("", String::as_str),
        "claim",
    )?);
    let reason_text = form.get("reason").map_or("", String::as_str);
    let reason = domain::agreements::DisputeReason::parse(reason_text)
        .ok_or_else(|| WebError::field("reason", format!("{reason_text:?}")))
        .page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let terms = app::agreements::DisputeTerms {
        debtor: Some(id),
        claims: vec![claim],
        reason,
        note: form.get("note").cloned().unwrap_or_default(),
        attachments: Vec::new(),
        owner: String::new(),
        due: None,
    };
    app::audit::open_dispute(state.store.as_ref(), state.clock.as_ref(), &actor, &terms)
        .await
        .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/debtors/{id}"),
        "disputed",
    )))
}

/// An action's step as a person reads it: a reminder copied to a co-debtor or guarantor
/// (`party:<case>:<cycle>:<step>`) says whose case it comes from.
fn step_text(step: &str, t: &Tr) -> String {
    match step
        .strip_prefix("party:")
        .map(|r| r.splitn(3, ':').collect::<Vec<_>>())
    {
        Some(parts) if parts.len() == 3 => {
            format!("{} {}", t.with("timeline-party", parts[0]), parts[2])
        }
        _ => step.to_string(),
    }
}

pub(crate) fn stage_text(stage: &str, t: &Tr) -> String {
    let key = stage.split(':').next().unwrap_or(stage);
    t.get(&format!("stage-{key}"))
}

async fn hold(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, hold_inner(&state, ctx, &id, &form).await)
}

async fn hold_inner(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    form: &HashMap<String, String>,
) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let release = form.contains_key("release");
    let until = if release {
        None
    } else {
        let text = form.get("until").map_or("", |s| s.trim());
        Some(
            text.parse::<Date>()
                .map_err(|e| WebError::field("until", format!("{text:?}: {e}")))
                .page(&ctx)?,
        )
    };
    let actor = ctx.actor().page(&ctx)?;
    app::audit::hold_case(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        id,
        until,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/debtors/{id}"),
        if release { "released" } else { "held" },
    )))
}

// -- claim

#[derive(Debug)]
struct PeriodRow {
    start: String,
    end: String,
    days: i32,
    rate: String,
    base: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "claim.html")]
struct ClaimPage {
    page: Page,
    row: ClaimRow,
    debtor_id: i64,
    debtor_name: String,
    nature: String,
    principal: String,
    entries: Vec<(String, String, String, String)>,
    regime: String,
    periods: Vec<PeriodRow>,
    interest_total: String,
    interest_error: Option<String>,
    indemnity: Option<String>,
    /// Interest and indemnity posted and still due, and what a manager may post.
    charges: ChargesView,
    as_of: String,
    /// Co-debtors and guarantors: (debtor id, name, role, contact they are reminded at).
    parties: Vec<(i64, String, String, String)>,
    /// The claim's limitation deadline and events.
    law: crate::ui_law::LawPanel,
    /// The term within the French B2B caps: the sentence saying so.
    terms_ok: Option<String>,
    /// Every cap the term exceeds, in the page's language.
    terms_breaches: Vec<String>,
    /// From when interest runs, or why it does not yet.
    interest_start: String,
    /// The terms of sale in force: (label, value).
    terms: Vec<(String, String)>,
    /// The claim's own terms, for the form (managers).
    own_terms: crate::ui_legal::TermsForm,
    can_edit_terms: bool,
    /// Terms not applied, and why.
    notes: Vec<String>,
    /// The claim's assignment to a factor or an insurer.
    financing: crate::ui_financing::FinancingPanel,
}

async fn claim(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> Response {
    finish(&state, claim_inner(&state, ctx, &id, p).await)
}

async fn claim_inner(state: &AppState, ctx: Ctx, id: &str, p: Params) -> PageResult {
    let id = ClaimId(parse_id(&ctx, id, "claim")?);
    let today = state.clock.today();
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let d = queries::claim_detail(tx.as_mut(), id, today)
        .await
        .page(&ctx)?;
    let pen = app::law::claim_penalties(tx.as_mut(), id, today, &state.rates)
        .await
        .page(&ctx)?;
    let own_terms = app::contract::own_claim_terms(tx.as_mut(), id)
        .await
        .page(&ctx)?;
    let mut page = Page::new(state, &ctx, "nav-debtors", "/debtors").with_notice(&p);
    page.here = format!("/claims/{id}");
    let t = page.t.clone();
    let law = crate::ui_law::panel(state, tx.as_mut(), &ctx, &t, d.debtor.id, Some(id))
        .await
        .page(&ctx)?;
    let mut parties = Vec::new();
    for p in tx.claim_parties(&[id]).await.page(&ctx)? {
        let (name, contact) = crate::ui_cases::name_and_contact(tx.as_mut(), p.debtor_id)
            .await
            .page(&ctx)?;
        parties.push((
            p.debtor_id.0,
            name,
            t.get(&format!("party-{}", p.role.as_str())),
            contact,
        ));
    }
    let financing = crate::ui_financing::panel(tx.as_mut(), &ctx, &t, d.debtor.id, Some(id), today)
        .await
        .page(&ctx)?;
    drop(tx);
    let lang = ctx.lang;
    page.title = t.with("claim-title", &d.claim.number.to_string());
    let line = d.line();
    let currency = d.claim.currency;
    let (periods, interest_error) = match &pen.interest {
        Ok(b) => (
            b.periods
                .iter()
                .map(|x| PeriodRow {
                    start: fmt::date(x.start, lang),
                    end: fmt::date(x.end, lang),
                    days: x.days,
                    rate: format!("{} %", x.annual_rate),
                    base: fmt::money(x.base, lang),
                    amount: fmt::money(
                        Money::from_decimal_rounded(x.amount, currency)
                            .unwrap_or(Money::zero(currency)),
                        lang,
                    ),
                })
                .collect(),
            // A rate whose figure should be confirmed is named next to the amount.
            (!b.warnings.is_empty()).then(|| {
                b.warnings
                    .iter()
                    .map(|w| {
                        format!(
                            "{} : {} {} % ({}, {}) — {}",
                            t.get("interest-rate-to-confirm"),
                            w.series,
                            w.rate,
                            fmt::date(w.from, lang),
                            w.status.as_str(),
                            w.source
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            }),
        ),
        Err(e) => (Vec::new(), Some(e.clone())),
    };
    Ok(render(&ClaimPage {
        row: claim_row(&line, &t),
        debtor_id: d.debtor.id.0,
        debtor_name: d.debtor.name.clone(),
        nature: t.get(&format!("nature-{}", d.claim.nature)),
        principal: fmt::money(d.principal, lang),
        entries: d
            .ledger
            .entries()
            .iter()
            .map(|e| {
                (
                    fmt::date(e.date, lang),
                    t.get(&format!("entry-{}", e.kind)),
                    fmt::money(Money::from_minor(e.amount_minor, currency), lang),
                    e.reference.clone().unwrap_or_default(),
                )
            })
            .collect(),
        regime: pen
            .regime
            .map_or_else(|| "—".to_string(), |r| t.get(&format!("regime-{r}"))),
        periods,
        // Never a silent zero when the interest could not be computed.
        interest_total: match &pen.interest {
            Ok(b) => fmt::money(b.total, lang),
            Err(_) => t.get("interest-not-computed"),
        },
        interest_error,
        indemnity: pen.indemnity.as_ref().map(|i| fmt::money(i.amount, lang)),
        charges: ChargesView::of(&pen, lang),
        as_of: fmt::date(today, lang),
        parties,
        law,
        terms_ok: d
            .terms
            .as_ref()
            .filter(|c| c.compliant)
            .map(|c| t.with("claim-terms-ok", &fmt::date(c.latest_lawful_due_date, lang))),
        terms_breaches: d
            .terms
            .iter()
            .flat_map(|c| &c.breaches)
            .map(|b| match lang {
                Lang::Fr => b.text.fr.clone(),
                Lang::En => b.text.en.clone(),
            })
            .collect(),
        interest_start: crate::ui_legal::start_sentence(pen.interest_start.as_ref(), &t),
        terms: crate::ui_legal::terms_lines(&pen.terms, &t),
        own_terms: crate::ui_legal::TermsForm::of(&own_terms),
        can_edit_terms: role_of(&ctx) >= Some(Role::Manager),
        notes: pen
            .notes
            .iter()
            .map(|n| crate::ui_legal::text(n, lang))
            .collect(),
        financing,
        page,
    }))
}

/// The claim page's figures of interest and indemnity against the ledger.
#[derive(Debug)]
struct ChargesView {
    interest_posted: String,
    indemnity_posted: String,
    principal_due: String,
    interest_due: String,
    indemnity_due: String,
    /// What posting would add (interest, indemnity), when anything.
    to_post: Option<(String, String)>,
}

impl ChargesView {
    fn of(p: &app::law::ClaimPenalties, lang: Lang) -> Self {
        let (i, d) = (p.interest_to_post(), p.indemnity_to_post());
        Self {
            interest_posted: fmt::money(p.interest_posted, lang),
            indemnity_posted: fmt::money(p.indemnity_posted, lang),
            principal_due: fmt::money(p.principal_due(), lang),
            interest_due: fmt::money(p.interest_due(), lang),
            indemnity_due: fmt::money(p.indemnity_due(), lang),
            to_post: (i.is_positive() || d.is_positive())
                .then(|| (fmt::money(i, lang), fmt::money(d, lang))),
        }
    }
}

// -- administration

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    rows: Vec<app::store::AuditEntry>,
    next_before: Option<i64>,
}

async fn audit(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, audit_inner(&state, ctx, p).await)
}

async fn audit_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let before = p.get::<i64>("before");
    p.finish().page(&ctx)?;
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let rows = app::audit::entries(tx.as_mut(), 100, before)
        .await
        .page(&ctx)?;
    let next_before = (rows.len() == 100)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    Ok(render(&AuditPage {
        page: Page::new(state, &ctx, "nav-audit", "/audit"),
        rows,
        next_before,
    }))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Page,
    rows: Vec<(String, String, String, String, String, bool)>,
    roles: Vec<(String, String)>,
    /// The creditors a user of the role `client` may be bound to: (code, name).
    creditors: Vec<(String, String)>,
    error: Option<String>,
}

async fn users(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, users_inner(&state, ctx, p, None).await)
}

async fn users_inner(state: &AppState, ctx: Ctx, p: Params, error: Option<String>) -> PageResult {
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let list = tx.users().await.page(&ctx)?;
    let creditors = tx.creditors().await.page(&ctx)?;
    drop(tx);
    let page = Page::new(state, &ctx, "nav-users", "/users").with_notice(&p);
    let t = page.t.clone();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = render(&UsersPage {
        rows: list
            .iter()
            .map(|u| {
                (
                    u.login.clone(),
                    u.display_name.clone(),
                    t.get(&format!("role-{}", u.role)),
                    u.language.clone(),
                    u.created_at.clone(),
                    u.active,
                )
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .chain(std::iter::once(&Role::Client))
            .map(|r| (r.to_string(), t.get(&format!("role-{r}"))))
            .collect(),
        creditors: creditors.into_iter().map(|c| (c.code, c.name)).collect(),
        error,
        page,
    });
    *r.status_mut() = status;
    Ok(r)
}

async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let result: Result<(), WebError> = async {
        let role = field("role")
            .parse::<Role>()
            .map_err(|e| WebError::field("role", e))?;
        let hash = auth::hash_password(&field("password"))?;
        let new = NewUser {
            login: field("login"),
            display_name: field("display_name"),
            role,
            password_hash: hash,
            language: field("language"),
        };
        if role == Role::Client {
            // A client is bound to the creditor chosen: it sees that creditor's files only.
            let creditor = {
                let mut tx = state.store.begin_read().await?;
                app::agency::creditor_named(tx.as_mut(), &field("creditor")).await?
            };
            app::users::add_client(
                state.store.as_ref(),
                state.clock.as_ref(),
                &ctx.actor()?,
                new,
                creditor.id,
            )
            .await?;
        } else {
            app::users::add(
                state.store.as_ref(),
                state.clock.as_ref(),
                &ctx.actor()?,
                new,
            )
            .await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other("/users?notice=user-created"),
        Err(WebError::Unprocessable(msg)) | Err(WebError::BadRequest { detail: msg, .. }) => {
            finish(&state, users_inner(&state, ctx, p, Some(msg)).await)
        }
        Err(e) => error_page(&state, &ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_reminder_names_the_case_it_comes_from() {
        let i18n = std::sync::Arc::new(crate::i18n::I18n::load().unwrap());
        let t = Tr::new(i18n, Lang::En);
        assert_eq!(
            step_text("party:12:1:d+30_formal_notice", &t),
            "As co-debtor or guarantor of debtor 12: d+30_formal_notice"
        );
        assert_eq!(step_text("d+8_call", &t), "d+8_call");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local(Some(&"/debtors/3".to_string())), "/debtors/3");
        assert_eq!(local(Some(&"//evil.example".to_string())), "/");
        assert_eq!(local(Some(&"https://evil.example".to_string())), "/");
        assert_eq!(local(None), "/");
        for bad in [
            "/\t/evil.example",
            "/\\evil",
            "/\\/evil.example",
            "/ /evil.example",
            "/\n/evil.example",
            "/é",
            "\t//evil.example",
        ] {
            assert_eq!(local(Some(&bad.to_string())), "/", "{bad:?}");
        }
        assert_eq!(
            local(Some(&"/debtors?sort=name&page=2".to_string())),
            "/debtors?sort=name&page=2"
        );
        assert_eq!(see_other("/\u{7f}x").headers()["location"], "/");
    }

    #[test]
    fn short_amounts() {
        assert_eq!(
            short_amount(Money::from_minor(1_234_567_00, Currency::EUR)),
            "1.2M"
        );
        assert_eq!(
            short_amount(Money::from_minor(12_345_00, Currency::EUR)),
            "12k"
        );
        assert_eq!(
            short_amount(Money::from_minor(999_00, Currency::EUR)),
            "999"
        );
    }
}

// -- payments waiting for review

#[derive(Debug)]
struct SuggestionRow {
    debtor_id: i64,
    debtor: String,
    claims: String,
    score: u16,
    reasons: String,
}

#[derive(Debug)]
struct PaymentRow {
    id: i64,
    date: String,
    payer: String,
    iban: String,
    remittance: String,
    amount: String,
    suggestion: Option<SuggestionRow>,
    /// The top suggestion's claim ids, prefilled in the apply form.
    claim_ids: String,
}

#[derive(Template)]
#[template(path = "payments.html")]
struct PaymentsPage {
    page: Page,
    rows: Vec<PaymentRow>,
    can_apply: bool,
    /// Payments received on claims assigned to a factor: (id, date, payer, amount,
    /// factor).
    pass_on: Vec<(i64, String, String, String, String)>,
}

async fn payments(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, payments_inner(&state, ctx, p).await)
}

/// `GET /payments`: bank payments the matcher left for a person, with its best suggestion.
async fn payments_inner(state: &AppState, ctx: Ctx, p: Params) -> PageResult {
    let page = Page::new(state, &ctx, "nav-payments", "/payments").with_notice(&p);
    p.finish().page(&ctx)?;
    let lang = ctx.lang;
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let items = app::payments::review(tx.as_mut(), state.clock.today())
        .await
        .page(&ctx)?;
    let applied = tx
        .payments(&app::store::PaymentFilter {
            statuses: vec![app::store::PaymentStatus::Applied],
            limit: None,
        })
        .await
        .page(&ctx)?;
    let flagged = app::financing::pass_on(tx.as_mut(), &applied)
        .await
        .page(&ctx)?;
    drop(tx);
    let pass_on = applied
        .iter()
        .filter_map(|p| {
            Some((
                p.id,
                fmt::date(p.value_date, lang),
                p.payer_name.clone().unwrap_or_default(),
                fmt::money(p.amount, lang),
                flagged.get(&p.id)?.clone(),
            ))
        })
        .collect();
    let rows = items
        .iter()
        .map(|i| {
            let best = i.suggestions.first();
            PaymentRow {
                id: i.payment.id,
                date: fmt::date(i.payment.value_date, lang),
                payer: i.payment.payer_name.clone().unwrap_or_default(),
                iban: i.payment.payer_iban.clone().unwrap_or_default(),
                remittance: i.payment.remittance.join(" "),
                amount: fmt::money(i.payment.amount, lang),
                claim_ids: best
                    .map(|s| {
                        s.claims
                            .iter()
                            .map(|c| c.claim_id.0.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default(),
                suggestion: best.map(|s| SuggestionRow {
                    debtor_id: s.debtor_id.0,
                    debtor: s.debtor_name.clone(),
                    claims: s
                        .claims
                        .iter()
                        .map(|c| c.number.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    score: s.score,
                    reasons: if lang == Lang::Fr {
                        s.reasons_fr.join(", ")
                    } else {
                        s.reasons_en.join(", ")
                    },
                }),
            }
        })
        .collect();
    Ok(render(&PaymentsPage {
        rows,
        can_apply: role_of(&ctx) >= Some(Role::Collector),
        pass_on,
        page,
    }))
}

async fn apply_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    finish(&state, apply_payment_inner(&state, ctx, &id, &form).await)
}

/// `POST /payments/{id}/apply`: on the claims named (ids, comma-separated), or else on the
/// top suggestion.
async fn apply_payment_inner(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    form: &HashMap<String, String>,
) -> PageResult {
    let id = parse_id(&ctx, id, "payment")?;
    let text = form.get("claims").map_or("", |s| s.trim());
    let mut claims = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        claims.push(ClaimId(parse_id(&ctx, part, "claim")?));
    }
    let actor = ctx.actor().page(&ctx)?;
    app::audit::apply_payment(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        id,
        (!claims.is_empty()).then_some(claims),
        &state.rates,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice("/payments", "payment-applied")))
}

async fn ignore_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    finish(&state, ignore_payment_inner(&state, ctx, &id).await)
}

async fn ignore_payment_inner(state: &AppState, ctx: Ctx, id: &str) -> PageResult {
    let id = parse_id(&ctx, id, "payment")?;
    let actor = ctx.actor().page(&ctx)?;
    app::audit::ignore_payment(state.store.as_ref(), state.clock.as_ref(), &actor, id)
        .await
        .page(&ctx)?;
    Ok(see_other(&with_notice("/payments", "payment-ignored")))
}

// -- message templates

#[derive(Debug)]
struct TemplateRow {
    name: String,
    fr: String,
    en: String,
}

#[derive(Debug)]
struct PreviewView {
    subject: String,
    recipient: String,
    lang: String,
    text: String,
    sms: String,
    sms_chars: usize,
    /// The message's HTML part, served apart (`/templates/preview`) under a policy that
    /// lets its inline styles apply, for the page's frame.
    html_href: String,
    pdf_href: String,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "templates.html")]
struct TemplatesPage {
    page: Page,
    rows: Vec<TemplateRow>,
    names: Vec<String>,
    name: String,
    debtor: String,
    lang: String,
    preview: Option<PreviewView>,
    error: Option<String>,
}

async fn templates(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, templates_inner(&state, ctx, p).await)
}

/// The templates and their parts per language, and a template rendered for a debtor
/// (`?name=…&debtor=…&lang=…`) with its letter as a PDF link.
async fn templates_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let name = p.get::<String>("name");
    let debtor = p.get::<i64>("debtor");
    let lang = p.get::<comms::Lang>("lang");
    p.finish().page(&ctx)?;
    let comms = state.comms().await.page(&ctx)?;
    let mut rows: Vec<TemplateRow> = Vec::new();
    for info in comms.templates.list() {
        if info.name == comms::templates::LAYOUT {
            continue;
        }
        let parts = info.parts_summary();
        match rows.last_mut() {
            Some(r) if r.name == info.name => match info.lang {
                comms::Lang::Fr => r.fr = parts,
                comms::Lang::En => r.en = parts,
            },
            _ => {
                let mut r = TemplateRow {
                    name: info.name.clone(),
                    fr: String::new(),
                    en: String::new(),
                };
                match info.lang {
                    comms::Lang::Fr => r.fr = parts,
                    comms::Lang::En => r.en = parts,
                }
                rows.push(r);
            }
        }
    }
    let names = comms.templates.names();
    let name = name.unwrap_or_else(|| "reminder_1".to_string());
    let (mut preview, mut error) = (None, None);
    if let Some(id) = debtor {
        match comms::compose_preview(
            state.store.as_ref(),
            &comms,
            &name,
            DebtorId(id),
            lang,
            state.clock.today(),
        )
        .await
        {
            Ok(c) => {
                let sms = c.sms.clone().unwrap_or_default();
                preview = Some(PreviewView {
                    pdf_href: format!(
                        "/api/v1/debtors/{id}/letter.pdf?template={}&lang={}",
                        url_encode(&c.template),
                        c.lang
                    ),
                    subject: c.subject,
                    recipient: c.recipient.name,
                    lang: c.lang.to_string(),
                    text: c.text,
                    sms_chars: sms.chars().count(),
                    sms,
                    html_href: format!(
                        "/templates/preview?name={}&debtor={id}&lang={}",
                        url_encode(&c.template),
                        c.lang
                    ),
                    warnings: c.warnings,
                });
            }
            Err(e) => error = Some(e.to_string()),
        }
    }
    Ok(render(&TemplatesPage {
        page: Page::new(state, &ctx, "nav-templates", "/templates"),
        rows,
        names,
        name,
        debtor: debtor.map(|d| d.to_string()).unwrap_or_default(),
        lang: lang.map(|l| l.to_string()).unwrap_or_default(),
        preview,
        error,
    }))
}

/// `GET /templates/preview?name=…&debtor=…&lang=…`: the HTML part of a message alone, for
/// the frame of the templates page. Messages carry inline styles (mail readers need them),
/// so this answer has its own Content-Security-Policy ([`crate::PREVIEW_CSP`]: those
/// styles, no script) and may be framed by our own pages only.
async fn template_preview(State(state): State<AppState>, ctx: Ctx, mut p: Params) -> Response {
    let name = p.get::<String>("name");
    let debtor = p.get::<i64>("debtor");
    let lang = p.get::<comms::Lang>("lang");
    if let Err(e) = p.finish() {
        return error_page(&state, &ctx, e);
    }
    let Some(id) = debtor else {
        return error_page(
            &state,
            &ctx,
            WebError::field("debtor", "required / obligatoire"),
        );
    };
    let comms = match state.comms().await {
        Ok(c) => c,
        Err(e) => return error_page(&state, &ctx, e.into()),
    };
    let name = name.unwrap_or_else(|| "reminder_1".to_string());
    match comms::compose_preview(
        state.store.as_ref(),
        &comms,
        &name,
        DebtorId(id),
        lang,
        state.clock.today(),
    )
    .await
    {
        Ok(c) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, crate::PREVIEW_CSP),
                (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            c.html,
        )
            .into_response(),
        Err(e) => error_page(&state, &ctx, WebError::Unprocessable(e.to_string())),
    }
}

// -- reports

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    page: Page,
    kind: &'static str,
    tabs: Vec<(&'static str, String)>,
    as_of: String,
    from: String,
    to: String,
    group_by: &'static str,
    groups: Vec<(&'static str, String)>,
    buckets: String,
    /// Payment terms: the table and reference chosen, and the choices.
    variant: &'static str,
    variants: Vec<(&'static str, String)>,
    reference: &'static str,
    references: Vec<(&'static str, String)>,
    query: String,
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<(String, bool)>>,
    chart: Option<String>,
    chart_rows: Vec<(String, String)>,
    note: Option<String>,
    truncated: Option<String>,
}

async fn reports(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, reports_inner(&state, ctx, p).await)
}

/// The report asked for by the query string, computed on the kept book.
async fn compute_report(
    state: &AppState,
    ctx: &Ctx,
    p: &mut Params,
) -> Result<
    (
        app::reports::ReportKind,
        app::reports::ReportQuery,
        app::reports::Report,
    ),
    PageErr,
> {
    use app::reports::ReportKind;
    let kind = p.get::<ReportKind>("kind").unwrap_or(ReportKind::Aging);
    let q = crate::api::report_query(p, state.clock.today(), kind);
    p.check().page(ctx)?;
    let mut tx = state.store.begin().await.page(ctx)?;
    let book = state.books.get(tx.as_mut()).await.page(ctx)?;
    let report = app::reports::report(tx.as_mut(), &book, kind, &q)
        .await
        .page(ctx)?;
    Ok((kind, q, report))
}

async fn reports_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    use app::reports::SheetCell;
    use app::reports::{Report, ReportKind};
    let (kind, q, report) = compute_report(state, &ctx, &mut p).await?;
    let page = Page::new(state, &ctx, "nav-reports", "/reports");
    let lang = ctx.lang;
    let t = &page.t;
    let sheet = app::reports::sheet(&report, &|k| t.get(k));
    let french = lang == Lang::Fr;
    // A page shows the first rows (largest groups first); the downloads have them all.
    const SHOWN: usize = 200;
    let truncated =
        (sheet.rows.len() > SHOWN).then(|| t.with("reports-truncated", &SHOWN.to_string()));
    let rows = sheet
        .rows
        .iter()
        .take(SHOWN)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    SheetCell::Amount(m) => (fmt::money(*m, lang), true),
                    SheetCell::Count(_) | SheetCell::Figure(_) => (c.text(french), true),
                    _ => (c.text(french), false),
                })
                .collect()
        })
        .collect();
    let eur = |list: &[Money]| {
        list.iter()
            .find(|m| m.currency() == Currency::EUR)
            .copied()
            .unwrap_or(Money::zero(Currency::EUR))
    };
    let (chart_data, note): (Vec<(String, Money)>, Option<String>) = match &report {
        Report::Aging(r) => (
            r.totals
                .iter()
                .find(|g| g.currency == Currency::EUR)
                .map(|g| {
                    r.buckets
                        .iter()
                        .zip(&g.amounts)
                        .map(|(b, m)| (bucket_label(b, t), *m))
                        .collect()
                })
                .unwrap_or_default(),
            None,
        ),
        Report::Forecast(f) => (
            f.weeks
                .iter()
                .map(|w| (fmt::date(w.start, lang), eur(&w.expected)))
                .collect(),
            Some(t.get("reports-forecast-note")),
        ),
        Report::Effectiveness(_) => (Vec::new(), Some(t.get("reports-baseline-note"))),
        Report::PaymentTerms(_) => (Vec::new(), Some(t.get("reports-payment-terms-note"))),
        Report::Kpis(_) => (Vec::new(), None),
    };
    let chart = (!chart_data.is_empty()).then(|| {
        bar_chart(
            "chart-report",
            &sheet.title,
            &chart_data,
            kind == ReportKind::Aging,
            lang,
        )
    });
    let buckets = p
        .map_ref()
        .get("buckets")
        .filter(|b| !b.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "30,60,90,180".to_string());
    let query = format!(
        "kind={}&as_of={}&from={}&to={}&group_by={}&buckets={}&variant={}&reference={}",
        kind.as_str(),
        q.as_of,
        q.period.from,
        q.period.to,
        q.group_by.as_str(),
        buckets.replace(',', "%2C").replace(' ', ""),
        q.terms.variant.as_str(),
        q.terms.reference.as_str(),
    );
    use domain::analytics::{ReferenceTerms, TermsVariant};
    Ok(render(&ReportsPage {
        kind: kind.as_str(),
        tabs: ReportKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.get(&format!("report-{}", k.as_str()))))
            .collect(),
        as_of: q.as_of.to_string(),
        from: q.period.from.to_string(),
        to: q.period.to.to_string(),
        group_by: q.group_by.as_str(),
        groups: domain::analytics::GroupBy::ALL
            .iter()
            .map(|g| (g.as_str(), t.get(&format!("group-{}", g.as_str()))))
            .collect(),
        buckets,
        variant: q.terms.variant.as_str(),
        variants: [TermsVariant::Unpaid, TermsVariant::PaidLate]
            .iter()
            .map(|v| (v.as_str(), t.get(&format!("pt-variant-{}", v.as_str()))))
            .collect(),
        reference: q.terms.reference.as_str(),
        references: [ReferenceTerms::Contractual, ReferenceTerms::Legal]
            .iter()
            .map(|r| (r.as_str(), t.get(&format!("pt-reference-{}", r.as_str()))))
            .collect(),
        query,
        title: sheet.title.clone(),
        headers: sheet.headers.clone(),
        rows,
        chart_rows: chart_rows(&chart_data, lang),
        chart,
        note,
        truncated,
        page,
    }))
}

async fn report_download(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, report_download_inner(&state, ctx, p).await)
}

async fn report_download_inner(state: &AppState, ctx: Ctx, mut p: Params) -> PageResult {
    let xlsx = p.map_ref().get("format").is_some_and(|f| f == "xlsx");
    let (kind, q, report) = compute_report(state, &ctx, &mut p).await?;
    let t = Tr::new(state.i18n.clone(), ctx.lang);
    let sheet = app::reports::sheet(&report, &|k| t.get(k));
    let bytes = if xlsx {
        app::reports::to_xlsx(std::slice::from_ref(&sheet))
    } else {
        app::reports::to_csv(&sheet, ctx.lang == Lang::Fr)
    }
    .map_err(|e| WebError::Internal(e.to_string()))
    .page(&ctx)?;
    let (ext, mime) = if xlsx {
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    } else {
        ("csv", "text/csv; charset=utf-8")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"recouvre-{}-{}.{ext}\"",
                    kind.as_str(),
                    q.as_of
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
