//! Who is asking, and may they? Passwords (argon2id), sessions (a random token in an
//! HttpOnly cookie, kept in the database only as its SHA-256), API tokens (bearer, hashed
//! the same way), CSRF synchronizer tokens, login rate limiting, and the permission table
//! that says, for every route, the least role that may use it.
//!
//! [`authorize`] runs before every handler: a route missing from [`PERMISSIONS`] is refused
//! to everyone, so a new route cannot be left open by mistake.

use crate::error::WebError;
use crate::i18n::Lang;
use crate::{AppState, BODY_LIMIT};
use app::store::{Role, StoredSession, StoredUser};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user with at least this role.
    Signed(Role),
}

/// One line of the permission table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub method: &'static str,
    /// The route pattern, as the router declares it.
    pub path: &'static str,
    pub access: Access,
}

const fn rule(method: &'static str, path: &'static str, access: Access) -> Rule {
    Rule {
        method,
        path,
        access,
    }
}

use Access::{Public, Signed};
use Role::{Admin, Client, Collector, Manager, Viewer};

/// Every route of the application and the least role that may use it. Reading is for
/// everyone signed in; collectors skip actions, put cases on hold, log calls, record
/// promises, plans, consents and disputes; managers approve drafts, assign cases, resolve
/// disputes and edit the scenarios; admins manage users and settings and read the audit
/// log.
pub const PERMISSIONS: &[Rule] = &[
    rule("GET", "/health", Public),
    rule("GET", "/metrics", Public),
    rule("GET", "/api/openapi.json", Public),
    rule("GET", "/assets/app.css", Public),
    rule("GET", "/assets/favicon.svg", Public),
    rule("GET", "/favicon.ico", Public),
    rule("GET", "/login", Public),
    rule("POST", "/login", Public),
    rule("GET", "/setup", Public),
    rule("POST", "/setup", Public),
    rule("POST", "/language", Public),
    rule("POST", "/logout", Signed(Client)),
    // interface (a client, below every staff role, reaches only the routes that say
    // `Signed(Client)`: signing out, the home page that sends it to its client space, the
    // client space and its report, each bound to its own creditor: ui_agency::client_scope)
    rule("GET", "/", Signed(Client)),
    rule("GET", "/worklist", Signed(Viewer)),
    rule("GET", "/debtors", Signed(Viewer)),
    rule("GET", "/debtors/{id}", Signed(Viewer)),
    rule("POST", "/debtors/{id}/hold", Signed(Collector)),
    rule("POST", "/debtors/{id}/promises", Signed(Collector)),
    rule("GET", "/payments", Signed(Viewer)),
    rule("POST", "/payments/{id}/apply", Signed(Collector)),
    rule("POST", "/payments/{id}/ignore", Signed(Collector)),
    rule("POST", "/debtors/{id}/disputes", Signed(Collector)),
    rule("GET", "/claims/{id}", Signed(Viewer)),
    rule("GET", "/actions", Signed(Viewer)),
    rule("POST", "/actions/{id}/approve", Signed(Manager)),
    rule("POST", "/actions/{id}/skip", Signed(Collector)),
    rule("POST", "/debtors/{id}/calls", Signed(Collector)),
    rule("POST", "/debtors/{id}/limitation-events", Signed(Collector)),
    rule("POST", "/debtors/{id}/plans", Signed(Collector)),
    rule("POST", "/debtors/{id}/assign", Signed(Manager)),
    rule("POST", "/plans/{id}/consents", Signed(Collector)),
    rule("POST", "/disputes/{id}/resolve", Signed(Manager)),
    rule("GET", "/scenarios", Signed(Manager)),
    rule("POST", "/scenarios", Signed(Manager)),
    rule("POST", "/scenarios/reset", Signed(Manager)),
    rule("GET", "/imports", Signed(Manager)),
    rule("POST", "/imports", Signed(Manager)),
    rule("GET", "/imports/{id}", Signed(Manager)),
    rule("GET", "/settings", Signed(Admin)),
    rule("POST", "/settings/company", Signed(Admin)),
    rule("POST", "/settings/smtp", Signed(Admin)),
    rule("POST", "/settings/sms", Signed(Admin)),
    rule("GET", "/audit", Signed(Admin)),
    rule("GET", "/outbox", Signed(Viewer)),
    rule("POST", "/outbox/{id}/retry", Signed(Manager)),
    rule("GET", "/users", Signed(Admin)),
    rule("GET", "/templates", Signed(Viewer)),
    rule("GET", "/templates/preview", Signed(Viewer)),
    rule("GET", "/reports", Signed(Viewer)),
    rule("GET", "/reports/download", Signed(Viewer)),
    rule("POST", "/users", Signed(Admin)),
    // API
    rule("GET", "/api/v1/me", Signed(Client)),
    rule("GET", "/api/v1/summary", Signed(Viewer)),
    rule("GET", "/api/v1/debtors", Signed(Viewer)),
    rule("GET", "/api/v1/debtors/{id}", Signed(Viewer)),
    rule("GET", "/api/v1/debtors/{id}/timeline", Signed(Viewer)),
    rule("GET", "/api/v1/claims", Signed(Viewer)),
    rule("GET", "/api/v1/claims/{id}", Signed(Viewer)),
    rule("GET", "/api/v1/cases", Signed(Viewer)),
    rule("GET", "/api/v1/cases/{id}", Signed(Viewer)),
    rule("POST", "/api/v1/cases/{id}/hold", Signed(Collector)),
    rule("POST", "/api/v1/debtors/{id}/promises", Signed(Collector)),
    rule("POST", "/api/v1/debtors/{id}/disputes", Signed(Collector)),
    rule("GET", "/api/v1/debtors/{id}/agreements", Signed(Viewer)),
    rule("GET", "/api/v1/debtors/{id}/limitation", Signed(Viewer)),
    rule("GET", "/api/v1/debtors/{id}/routes", Signed(Viewer)),
    rule(
        "POST",
        "/api/v1/debtors/{id}/limitation-events",
        Signed(Collector),
    ),
    rule(
        "POST",
        "/api/v1/claims/{id}/limitation-events",
        Signed(Collector),
    ),
    rule("GET", "/api/v1/payments/review", Signed(Viewer)),
    rule("POST", "/api/v1/payments/{id}/apply", Signed(Collector)),
    rule("POST", "/api/v1/payments/{id}/ignore", Signed(Collector)),
    rule("GET", "/api/v1/actions", Signed(Viewer)),
    rule("POST", "/api/v1/actions/{id}/approve", Signed(Manager)),
    rule("POST", "/api/v1/actions/{id}/skip", Signed(Collector)),
    rule("GET", "/api/v1/worklist", Signed(Viewer)),
    rule("GET", "/api/v1/scenarios", Signed(Viewer)),
    rule("PUT", "/api/v1/scenarios", Signed(Manager)),
    rule("GET", "/api/v1/scenarios/files", Signed(Viewer)),
    rule("POST", "/api/v1/scenarios/reset", Signed(Manager)),
    rule("POST", "/api/v1/scenarios/preview", Signed(Manager)),
    rule(
        "POST",
        "/api/v1/debtors/{id}/plans/proposal",
        Signed(Viewer),
    ),
    rule("POST", "/api/v1/debtors/{id}/plans", Signed(Collector)),
    rule("POST", "/api/v1/plans/{id}/consents", Signed(Collector)),
    rule("POST", "/api/v1/disputes/{id}/resolve", Signed(Manager)),
    rule("POST", "/api/v1/debtors/{id}/calls", Signed(Collector)),
    rule("POST", "/api/v1/cases/{id}/assign", Signed(Manager)),
    rule("GET", "/api/v1/templates", Signed(Viewer)),
    rule("GET", "/api/v1/templates/{name}/preview", Signed(Viewer)),
    rule("GET", "/api/v1/debtors/{id}/letter.pdf", Signed(Viewer)),
    rule("GET", "/api/v1/audit", Signed(Admin)),
    rule("GET", "/api/v1/outbox", Signed(Viewer)),
    rule("POST", "/api/v1/outbox/{id}/retry", Signed(Manager)),
    rule("GET", "/api/v1/settings/smtp", Signed(Admin)),
    rule("PUT", "/api/v1/settings/smtp", Signed(Admin)),
    rule("GET", "/api/v1/settings/sms", Signed(Admin)),
    rule("PUT", "/api/v1/settings/sms", Signed(Admin)),
    rule("GET", "/api/v1/settings/company", Signed(Admin)),
    rule("PUT", "/api/v1/settings/company", Signed(Admin)),
    rule("POST", "/api/v1/imports/claims", Signed(Manager)),
    rule("POST", "/api/v1/imports/statement", Signed(Manager)),
    rule("GET", "/api/v1/reports/aging", Signed(Viewer)),
    rule("GET", "/api/v1/reports/kpis", Signed(Viewer)),
    rule("GET", "/api/v1/reports/effectiveness", Signed(Viewer)),
    rule("GET", "/api/v1/reports/forecast", Signed(Viewer)),
    rule("GET", "/api/v1/reports/payment-terms", Signed(Viewer)),
    rule("POST", "/debtors/{id}/notices", Signed(Collector)),
    rule("POST", "/debtors/{id}/notices/delivery", Signed(Collector)),
    rule("POST", "/claims/{id}/terms", Signed(Manager)),
    rule("POST", "/claims/{id}/write-off", Signed(Manager)),
    rule("POST", "/api/v1/claims/{id}/write-off", Signed(Manager)),
    rule("POST", "/claims/{id}/charges", Signed(Manager)),
    rule("POST", "/api/v1/claims/{id}/charges", Signed(Manager)),
    rule("POST", "/settings/terms", Signed(Admin)),
    rule("GET", "/api/v1/creditors/{id}/terms", Signed(Viewer)),
    rule("PUT", "/api/v1/creditors/{id}/terms", Signed(Admin)),
    rule("GET", "/api/v1/claims/{id}/terms", Signed(Viewer)),
    rule("PUT", "/api/v1/claims/{id}/terms", Signed(Manager)),
    rule("GET", "/api/v1/debtors/{id}/notices", Signed(Viewer)),
    rule("POST", "/api/v1/debtors/{id}/notices", Signed(Collector)),
    rule("POST", "/api/v1/notices/{id}/delivery", Signed(Collector)),
    rule("POST", "/api/v1/actions/{id}/delivery", Signed(Collector)),
    rule("POST", "/api/v1/imports/tracking", Signed(Manager)),
    rule("GET", "/api/v1/financing", Signed(Viewer)),
    rule("POST", "/api/v1/financing/factors", Signed(Admin)),
    rule("POST", "/api/v1/financing/insurers", Signed(Admin)),
    rule("GET", "/api/v1/financing/pass-on", Signed(Viewer)),
    rule("GET", "/api/v1/claims/{id}/financing", Signed(Viewer)),
    rule("PUT", "/api/v1/claims/{id}/financing", Signed(Manager)),
    rule("DELETE", "/api/v1/claims/{id}/financing", Signed(Manager)),
    rule("GET", "/api/v1/debtors/{id}/financing", Signed(Viewer)),
    rule("PUT", "/api/v1/debtors/{id}/financing", Signed(Manager)),
    rule("DELETE", "/api/v1/debtors/{id}/financing", Signed(Manager)),
    rule("POST", "/claims/{id}/financing", Signed(Manager)),
    rule("POST", "/debtors/{id}/financing", Signed(Manager)),
    rule("POST", "/settings/financing", Signed(Admin)),
    // users and API tokens (administrators)
    rule("GET", "/api/v1/debtors/{id}/personal-data", Signed(Manager)),
    rule(
        "GET",
        "/api/v1/debtors/{id}/personal-data.pdf",
        Signed(Manager),
    ),
    rule("GET", "/api/v1/gdpr/retention", Signed(Admin)),
    rule("PUT", "/api/v1/gdpr/retention", Signed(Admin)),
    rule("GET", "/api/v1/gdpr/due", Signed(Admin)),
    rule("GET", "/api/v1/gdpr/requests", Signed(Admin)),
    rule("POST", "/api/v1/gdpr/requests/propose", Signed(Admin)),
    rule("POST", "/api/v1/gdpr/requests/{id}/approve", Signed(Admin)),
    rule("POST", "/api/v1/debtors/{id}/erase", Signed(Admin)),
    rule("GET", "/personal-data", Signed(Admin)),
    rule("POST", "/personal-data/retention", Signed(Admin)),
    rule("POST", "/personal-data/propose", Signed(Admin)),
    rule(
        "POST",
        "/personal-data/requests/{id}/approve",
        Signed(Admin),
    ),
    rule("POST", "/personal-data/debtors/{id}/erase", Signed(Admin)),
    rule("GET", "/api/v1/users", Signed(Admin)),
    rule("POST", "/api/v1/users/{login}/deactivate", Signed(Admin)),
    rule("POST", "/api/v1/users/{login}/activate", Signed(Admin)),
    rule("POST", "/api/v1/users/{login}/totp/reset", Signed(Admin)),
    rule("PUT", "/api/v1/settings/security", Signed(Admin)),
    rule("PUT", "/api/v1/users/{login}/role", Signed(Admin)),
    rule("PUT", "/api/v1/users/{login}/password", Signed(Admin)),
    rule("GET", "/api/v1/users/{login}/tokens", Signed(Admin)),
    rule("POST", "/api/v1/users/{login}/tokens", Signed(Admin)),
    rule(
        "POST",
        "/api/v1/users/{login}/tokens/{id}/revoke",
        Signed(Admin),
    ),
    rule("GET", "/users/{login}", Signed(Admin)),
    rule("POST", "/users/{login}/active", Signed(Admin)),
    rule("POST", "/users/{login}/role", Signed(Admin)),
    rule("POST", "/users/{login}/password", Signed(Admin)),
    rule("POST", "/users/{login}/totp/reset", Signed(Admin)),
    rule("GET", "/account/security", Signed(Viewer)),
    rule("POST", "/account/security/totp", Signed(Viewer)),
    rule("POST", "/account/security/totp/off", Signed(Viewer)),
    rule("POST", "/settings/security", Signed(Admin)),
    rule("POST", "/users/{login}/tokens", Signed(Admin)),
    rule("POST", "/users/{login}/tokens/{id}/revoke", Signed(Admin)),
    // the judicial phase
    rule("GET", "/api/v1/legal-files", Signed(Viewer)),
    rule("POST", "/api/v1/legal-files", Signed(Manager)),
    rule("GET", "/api/v1/legal-files/report", Signed(Viewer)),
    rule("POST", "/api/v1/legal-files/answers", Signed(Collector)),
    rule("GET", "/api/v1/legal-files/{id}", Signed(Viewer)),
    rule("POST", "/api/v1/legal-files/{id}/stages", Signed(Collector)),
    rule("POST", "/api/v1/legal-files/{id}/costs", Signed(Collector)),
    rule(
        "POST",
        "/api/v1/legal-files/{id}/payments",
        Signed(Collector),
    ),
    rule("PUT", "/api/v1/legal-files/{id}/parties", Signed(Collector)),
    rule(
        "POST",
        "/api/v1/legal-files/{id}/exhibits",
        Signed(Collector),
    ),
    rule(
        "GET",
        "/api/v1/legal-files/{id}/documents/{name}",
        Signed(Viewer),
    ),
    rule("GET", "/legal", Signed(Viewer)),
    rule("GET", "/legal/{id}", Signed(Viewer)),
    rule("POST", "/legal/{id}/stages", Signed(Collector)),
    rule("POST", "/legal/{id}/costs", Signed(Collector)),
    rule("POST", "/legal/{id}/payments", Signed(Collector)),
    rule("POST", "/legal/{id}/parties", Signed(Collector)),
    rule("POST", "/legal/{id}/exhibits", Signed(Collector)),
    rule("POST", "/legal/answers", Signed(Collector)),
    rule("GET", "/legal/{id}/documents/{name}", Signed(Viewer)),
    rule("POST", "/debtors/{id}/legal", Signed(Manager)),
    // agency mode (issue 19)
    rule("GET", "/agency", Signed(Viewer)),
    rule("POST", "/agency/mandates", Signed(Manager)),
    rule("POST", "/agency/mandates/end", Signed(Manager)),
    rule("POST", "/agency/identity", Signed(Admin)),
    rule("POST", "/agency/account", Signed(Admin)),
    rule("PUT", "/api/v1/clients/{id}/identity", Signed(Admin)),
    rule("GET", "/api/v1/claims/{id}/receipt", Signed(Viewer)),
    rule("POST", "/api/v1/mandates/end", Signed(Manager)),
    rule("POST", "/agency/placements", Signed(Manager)),
    rule("POST", "/agency/withdraw", Signed(Manager)),
    rule("POST", "/agency/remittances", Signed(Manager)),
    rule("GET", "/agency/remittances/{id}", Signed(Viewer)),
    rule("GET", "/agency/remittances/{id}/transfer", Signed(Viewer)),
    rule("GET", "/agency/receipts/{id}", Signed(Viewer)),
    rule("GET", "/agency/remittances/{id}/pdf", Signed(Viewer)),
    rule("GET", "/client/remittances/{id}/pdf", Signed(Client)),
    rule("GET", "/client", Signed(Client)),
    rule("GET", "/client/report.csv", Signed(Client)),
    rule("GET", "/client/report.xlsx", Signed(Client)),
    rule("GET", "/client/remittances/{id}", Signed(Client)),
    rule("GET", "/api/v1/mandates", Signed(Viewer)),
    rule("POST", "/api/v1/mandates", Signed(Manager)),
    rule("GET", "/api/v1/placements", Signed(Viewer)),
    rule("POST", "/api/v1/placements", Signed(Manager)),
    rule("POST", "/api/v1/placements/withdraw", Signed(Manager)),
    rule("GET", "/api/v1/remittances", Signed(Viewer)),
    rule("POST", "/api/v1/remittances", Signed(Manager)),
    rule("GET", "/api/v1/remittances/{id}", Signed(Viewer)),
    rule("GET", "/api/v1/remittances/{id}/transfer", Signed(Viewer)),
    rule("GET", "/api/v1/client/report", Signed(Client)),
];

/// The rule of a route, if the table has one.
pub fn rule_for(method: &str, path: &str) -> Option<&'static Rule> {
    PERMISSIONS
        .iter()
        .find(|r| r.method == method && r.path == path)
}

pub const SESSION_COOKIE: &str = "rc_session";
/// The CSRF token of a visitor not signed in (double-submit cookie for the login form).
pub const PRE_COOKIE: &str = "rc_pre";
pub const LANG_COOKIE: &str = "rc_lang";
/// The form field that carries the CSRF token; the header `X-CSRF-Token` may instead.
pub const CSRF_FIELD: &str = "_csrf";
pub const MIN_PASSWORD_CHARS: usize = 12;

// -- secrets

/// 32 random bytes as hex: session, CSRF and API tokens.
pub fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Internal(format!("random: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps of a token.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The most common passwords, one a line (`crates/web/common-passwords.txt`, its source
/// noted in the file).
const COMMON_PASSWORDS: &str = include_str!("../common-passwords.txt");

/// Whether `password` is a common one: in the list, in any case, or a word of the list
/// followed only by digits and symbols (`Motdepasse2024!`).
pub fn common_password(password: &str) -> bool {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    let lower = password.trim().to_lowercase();
    let base = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    list.contains(lower.as_str()) || (!base.is_empty() && list.contains(base))
}

/// Why a new password is refused, if it is: shorter than [`MIN_PASSWORD_CHARS`] or
/// common. The text is in English and French, for the CLI, the API and the pages alike.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(format!(
            "at least {MIN_PASSWORD_CHARS} characters / au moins {MIN_PASSWORD_CHARS} caractères"
        ));
    }
    if common_password(password) {
        return Some(
            "this password is among the most common ones; choose another / ce mot de passe est parmi les plus courants, choisissez-en un autre"
                .to_string(),
        );
    }
    None
}

/// An argon2id hash (PHC string) of a new password, which must pass [`password_problem`].
pub fn hash_password(password: &str) -> Result<String, WebError> {
    if let Some(why) = password_problem(password) {
        return Err(WebError::field("password", why));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| WebError::Internal(format!("random: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| WebError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("argon2: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Spends the time of one verification when the login does not exist, so that the answer
/// time does not tell which logins exist.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

// -- cookies

pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A `Set-Cookie` value: always `Path=/`, `SameSite=Lax`; `HttpOnly` for secrets.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    http_only: bool,
    secure: bool,
) -> String {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

// -- sessions

/// Opens a session for a user who proved who they are; returns the cookie to set.
pub async fn open_session(state: &AppState, user: &StoredUser) -> Result<String, WebError> {
    let token = random_token()?;
    let hours = state.config.session_hours;
    let now = unix_now();
    let mut tx = state.store.begin().await?;
    tx.delete_expired_sessions(now).await?;
    tx.insert_session(&StoredSession {
        token_hash: hash_token(&token),
        user_id: user.id,
        csrf_token: random_token()?,
        created_at: state.clock.now_rfc3339(),
        expires_at: now + hours * 3600,
    })
    .await?;
    tx.commit().await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &token,
        Some(hours * 3600),
        true,
        state.config.secure_cookies,
    ))
}

pub async fn close_session(state: &AppState, token_hash: &str) -> Result<String, WebError> {
    let mut tx = state.store.begin().await?;
    tx.delete_session(token_hash).await?;
    tx.commit().await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        "",
        Some(0),
        true,
        state.config.secure_cookies,
    ))
}

// -- sign-in rate limiting: app::users::sign_in_blocked, counted in the database so that
// every instance on one PostgreSQL database shares it.

/// The client's address: the TCP peer, or, when the peer is the trusted reverse proxy,
/// the last address of `X-Forwarded-For` (the one that proxy appended; earlier entries
/// were written by the client and prove nothing).
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    trusted_proxy: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_string();
    };
    if trusted_proxy != Some(peer) {
        return peer.to_string();
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|a| !a.is_empty())
        .and_then(|a| a.parse::<std::net::IpAddr>().ok());
    forwarded.unwrap_or(peer).to_string()
}

// -- the request context

/// Who is asking and how to answer them; set by [`authorize`] on every request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: Option<StoredUser>,
    /// The CSRF token the forms of this page must carry.
    pub csrf: String,
    pub lang: Lang,
    /// The hash of the session token, when signed in through a session.
    pub session_hash: Option<String>,
    /// The client's address, for rate limiting.
    pub client: String,
}

impl Ctx {
    /// The signed-in user; `authorize` guarantees one on every `Signed` route.
    pub fn user(&self) -> Result<&StoredUser, WebError> {
        self.user.as_ref().ok_or(WebError::Unauthorized)
    }

    pub fn actor(&self) -> Result<app::audit::Actor, WebError> {
        Ok(app::audit::Actor(self.user()?.login.clone()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError::Internal("no request context: authorize did not run".into()))
    }
}

/// The user behind a bearer token or a session cookie, and the session.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    jar: &HashMap<String, String>,
) -> Result<(Option<StoredUser>, Option<StoredSession>, bool), WebError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        // A revoked or expired token, or one of a deactivated user, is refused (401).
        let mut tx = state.store.begin_read().await?;
        let now = state.clock.now_rfc3339();
        let token = tx
            .api_token(&hash_token(token.trim()))
            .await?
            .filter(|t| app::users::token_usable(t, &now))
            .ok_or(WebError::Unauthorized)?;
        let user = tx
            .user(token.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or(WebError::Unauthorized)?;
        return Ok((Some(user), None, true));
    }
    let Some(token) = jar.get(SESSION_COOKIE).filter(|t| !t.is_empty()) else {
        return Ok((None, None, false));
    };
    let mut tx = state.store.begin_read().await?;
    let Some(session) = tx.session(&hash_token(token)).await? else {
        return Ok((None, None, false));
    };
    if session.expires_at <= unix_now() {
        return Ok((None, None, false));
    }
    let user = tx.user(session.user_id).await?.filter(|u| u.active);
    Ok(match user {
        Some(u) => (Some(u), Some(session), false),
        None => (None, None, false),
    })
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The `_csrf` part of a multipart form (an upload): the 64 hex characters after the
/// part's headers. The form puts it first, before the file.
fn multipart_csrf(body: &[u8]) -> Option<String> {
    let marker = format!("name=\"{CSRF_FIELD}\"");
    let at = body
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())?;
    let rest = &body[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let token = rest.get(start..start + 64)?;
    token
        .iter()
        .all(u8::is_ascii_hexdigit)
        .then(|| String::from_utf8_lossy(token).into_owned())
}

/// The CSRF token a change carries: the `X-CSRF-Token` header or the `_csrf` form field.
fn sent_csrf(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(v) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    if is_multipart(headers) {
        return multipart_csrf(body);
    }
    // Tokens are hex: no percent-decoding needed to compare them.
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == CSRF_FIELD)
        .map(|(_, v)| v.to_string())
}

fn deny(state: &AppState, ctx: &Ctx, api: bool, error: WebError) -> Response {
    if api {
        error.into_response()
    } else {
        crate::ui::error_page(state, ctx, error)
    }
}

/// The gate in front of every handler: identifies the user, applies the permission table,
/// checks the CSRF token of every change made through a session (or, signed out, through
/// the login and setup forms), and hands the handler a [`Ctx`].
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let api = path.starts_with("/api/");
    let jar = cookies(req.headers());
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let client = client_address(peer, state.config.trusted_proxy, req.headers());
    let (user, session, via_token) = match identify(&state, req.headers(), &jar).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let mut new_pre = None;
    let csrf = match (&session, jar.get(PRE_COOKIE)) {
        (Some(s), _) => s.csrf_token.clone(),
        (None, Some(pre)) if pre.len() == 64 => pre.clone(),
        (None, _) => match random_token() {
            Ok(t) => {
                new_pre = Some(t.clone());
                t
            }
            Err(e) => return e.into_response(),
        },
    };
    let lang = user
        .as_ref()
        .and_then(|u| Lang::parse(&u.language))
        .or_else(|| jar.get(LANG_COOKIE).and_then(|l| Lang::parse(l)))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    let ctx = Ctx {
        user,
        csrf,
        lang,
        session_hash: session.as_ref().map(|s| s.token_hash.clone()),
        client,
    };

    let Some(rule) = rule_for(method.as_str(), &path) else {
        tracing::error!("{method} {path} is not in the permission table: refused");
        return deny(&state, &ctx, api, WebError::Forbidden);
    };
    if let Access::Signed(min) = rule.access {
        match &ctx.user {
            None if api => return WebError::Unauthorized.into_response(),
            None => {
                let next_url = req
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string();
                let target = format!("/login?next={}", crate::ui::url_encode(&next_url));
                return Redirect::to(&target).into_response();
            }
            Some(u) if u.role < min => return deny(&state, &ctx, api, WebError::Forbidden),
            Some(_) => {}
        }
    }

    let mut req = req;
    let safe = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !via_token {
        let (parts, body) = req.into_parts();
        // Only the upload form takes files; every other change stays small.
        let limit = if matches!(
            path.as_str(),
            "/imports" | "/api/v1/imports/claims" | "/api/v1/imports/statement"
        ) || path == "/legal/answers"
            || (path.starts_with("/legal/") && path.ends_with("/exhibits"))
        {
            crate::ui_imports::UPLOAD_LIMIT
        } else {
            BODY_LIMIT
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => {
                return (
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "request body too large",
                )
                    .into_response();
            }
        };
        // Signed out, the expected token is the one the visitor's cookie already holds.
        let expected = match &session {
            Some(s) => Some(s.csrf_token.as_str()),
            None => jar.get(PRE_COOKIE).map(String::as_str),
        };
        let sent = sent_csrf(&parts.headers, &bytes);
        let ok = matches!((expected, sent.as_deref()), (Some(e), Some(s)) if !e.is_empty() && same_secret(e, s));
        if !ok {
            tracing::warn!("{method} {path}: CSRF token missing or wrong");
            return deny(&state, &ctx, api, WebError::Csrf);
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(ctx);
    let mut response = next.run(req).await;
    if let Some(pre) = new_pre {
        append_cookie(
            &mut response,
            &set_cookie(PRE_COOKIE, &pre, None, true, state.config.secure_cookies),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn new_passwords_are_long_and_not_common() {
        // 11 characters: refused; 12: accepted.
        assert!(password_problem("abcdefghij1").is_some_and(|e| e.contains("12")));
        assert_eq!(password_problem("tram-velo-42"), None);
        for common in [
            "password1234",
            "PASSWORD1234",
            "Motdepasse2024!",
            "azertyuiop123",
            "qwertyuiop!!",
            "123456789012",
            "Iloveyou2026!",
        ] {
            let e = password_problem(common).unwrap_or_default();
            assert!(
                e.contains("most common") && e.contains("plus courants"),
                "{common}"
            );
            assert!(hash_password(common).is_err(), "{common}");
        }
        // The demo's passwords and the tests' pass.
        for login in ["admin", "manager", "collector", "viewer"] {
            assert_eq!(password_problem(&format!("{login}-demo-2026")), None);
            assert_eq!(password_problem(&format!("{login}-password-1")), None);
        }
        // The list is read: some 200 entries, no blank or duplicate.
        let entries: Vec<&str> = COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        let distinct: std::collections::HashSet<&&str> = entries.iter().collect();
        assert!(entries.len() >= 200, "{}", entries.len());
        assert_eq!(distinct.len(), entries.len());
        assert!(entries.iter().all(|e| !e.trim().is_empty()));
    }

    #[test]
    fn the_table_has_no_duplicate() {
        let mut seen = std::collections::HashSet::new();
        for r in PERMISSIONS {
            assert!(seen.insert((r.method, r.path)), "{} {}", r.method, r.path);
        }
    }

    #[test]
    fn forwarded_for_is_believed_from_the_trusted_proxy_only() {
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        h.append("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let other: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(client_address(Some(proxy), Some(proxy), &h), "203.0.113.9");
        assert_eq!(client_address(Some(other), Some(proxy), &h), "192.0.2.1");
        assert_eq!(client_address(Some(proxy), None, &h), "127.0.0.1");
        let bad = HeaderMap::from_iter([(
            header::HeaderName::from_static("x-forwarded-for"),
            HeaderValue::from_static("not-an-address"),
        )]);
        assert_eq!(client_address(Some(proxy), Some(proxy), &bad), "127.0.0.1");
        assert_eq!(client_address(None, Some(proxy), &h), "unknown");
    }
}
