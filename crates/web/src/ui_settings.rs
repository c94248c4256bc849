//! The settings page (administrators), built as sections: the company's identity and bank
//! details (the SEPA creditor identity of `app::sepa`, and the postal address), the users
//! (their own page), the e-mail server (SMTP) and the SMS provider of the delivery worker
//! (`app::channels`; no secret is ever stored or shown: the SMTP password is named by an
//! environment variable, SMS header values read back as `***`), and a link to the message
//! templates. Each section is one block of `settings.html` and one field of
//! [`SettingsPage`].

use crate::AppState;
use crate::api::Params;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::ui::{OrPage, Page, PageResult, finish, render, see_other, with_notice};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/settings/company", post(save_company))
        .route("/settings/smtp", post(save_smtp))
        .route("/settings/sms", post(save_sms))
}

/// The SMTP section's fields, as stored or as typed.
#[derive(Debug, Default)]
pub struct SmtpForm {
    pub host: String,
    pub port: String,
    /// `starttls`, `tls` or `plain`.
    pub security: String,
    pub user: String,
    pub password_env: String,
    pub from: String,
    pub reply_to: String,
    pub ca_file: String,
    pub error: Option<String>,
}

impl SmtpForm {
    fn of(s: app::channels::SmtpSettings) -> Self {
        Self {
            host: s.host,
            port: s.port.to_string(),
            security: s.security.as_str().into(),
            user: s.user.unwrap_or_default(),
            password_env: s.password_env.unwrap_or_default(),
            from: s.from,
            reply_to: s.reply_to.unwrap_or_default(),
            ca_file: s.ca_file.unwrap_or_default(),
            error: None,
        }
    }
}

/// The SMS section's fields, as stored (header values hidden) or as typed.
#[derive(Debug, Default)]
pub struct SmsForm {
    pub url: String,
    pub method: String,
    /// One `Name: value` a line.
    pub headers: String,
    pub body: String,
    pub success_status: String,
    pub sender: String,
    pub max_parts: String,
    pub error: Option<String>,
}

impl SmsForm {
    fn of(s: app::channels::SmsSettings) -> Self {
        let s = s.redacted();
        Self {
            url: s.url,
            method: s.method,
            headers: s
                .headers
                .iter()
                .map(|h| format!("{}: {}", h.name, h.value))
                .collect::<Vec<_>>()
                .join("\n"),
            body: s.body,
            success_status: s.success_status.to_string(),
            sender: s.sender.unwrap_or_default(),
            max_parts: s.max_parts.to_string(),
            error: None,
        }
    }
}

/// What a refused save typed, to show it again with the reason.
#[derive(Debug, Default)]
struct Typed {
    company: Option<CompanyForm>,
    smtp: Option<SmtpForm>,
    sms: Option<SmsForm>,
}

/// The company section's fields, as stored or as typed.
#[derive(Debug, Default)]
pub struct CompanyForm {
    pub name: String,
    pub identifier: String,
    pub iban: String,
    pub bic: String,
    pub address: String,
    /// The company number printed on letters (SIREN).
    pub company_id: String,
    /// Why the last save was refused.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    company: CompanyForm,
    smtp: SmtpForm,
    sms: SmsForm,
    users: usize,
    /// Each creditor's terms of sale: (id, code and name, form).
    creditor_terms: Vec<(i64, String, crate::ui_legal::TermsForm)>,
    /// Factors and insurers: (label, details).
    financing_parties: Vec<(String, String)>,
    /// The background jobs: the daily run's hour, state and next time, the latest jobs.
    jobs: JobsView,
}

/// The settings page's background jobs section.
#[derive(Debug)]
struct JobsView {
    run_at: String,
    next: String,
    late: bool,
    failed: bool,
    /// (kind, key, state, started, finished, result), newest first.
    recent: Vec<(String, String, String, String, String, String)>,
}

impl JobsView {
    async fn read(state: &AppState, tx: &mut dyn app::store::Tx) -> app::error::AppResult<Self> {
        let schedule = &state.config.schedule;
        let status =
            app::schedule::run_status(tx, schedule, state.clock.today(), state.clock.now_unix())
                .await?;
        let recent = tx
            .jobs(None, 10)
            .await?
            .into_iter()
            .map(|j| {
                (
                    j.kind,
                    j.key.chars().take(40).collect(),
                    j.state,
                    j.started_at,
                    j.finished_at.unwrap_or_default(),
                    j.result.unwrap_or_default(),
                )
            })
            .collect();
        Ok(Self {
            run_at: schedule.run_at.strftime("%H:%M").to_string(),
            next: status.next,
            late: status.late,
            failed: status.failed,
            recent,
        })
    }
}

async fn settings(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(
        &state,
        settings_inner(&state, ctx, p, Typed::default()).await,
    )
}

async fn settings_inner(state: &AppState, ctx: Ctx, p: Params, typed: Typed) -> PageResult {
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let (identity, address) = app::sepa::identity(tx.as_mut()).await.page(&ctx)?;
    let company_id = tx
        .setting(app::issuing::settings::SENDER_COMPANY_ID)
        .await
        .page(&ctx)?
        .unwrap_or_default();
    let users = tx.users().await.page(&ctx)?.len();
    let smtp = app::channels::smtp(tx.as_mut()).await.page(&ctx)?;
    let sms = app::channels::sms(tx.as_mut()).await.page(&ctx)?;
    let creditor_terms = crate::ui_legal::creditors_terms(tx.as_mut())
        .await
        .page(&ctx)?;
    let t = crate::i18n::Tr::new(state.i18n.clone(), ctx.lang);
    let financing_parties = crate::ui_financing::parties(tx.as_mut(), &t)
        .await
        .page(&ctx)?;
    let jobs = JobsView::read(state, tx.as_mut()).await.page(&ctx)?;
    drop(tx);
    let refused = typed.company.is_some() || typed.smtp.is_some() || typed.sms.is_some();
    let smtp = typed.smtp.unwrap_or_else(|| {
        smtp.map_or_else(
            || SmtpForm {
                port: "587".into(),
                security: "starttls".into(),
                ..SmtpForm::default()
            },
            SmtpForm::of,
        )
    });
    let sms = typed.sms.unwrap_or_else(|| {
        sms.map_or_else(
            || SmsForm {
                method: "POST".into(),
                success_status: "200".into(),
                max_parts: "3".into(),
                ..SmsForm::default()
            },
            SmsForm::of,
        )
    });
    let company = typed.company.unwrap_or(CompanyForm {
        name: identity.name,
        identifier: identity.identifier,
        iban: identity.iban,
        bic: identity.bic.unwrap_or_default(),
        address,
        company_id,
        error: None,
    });
    let mut r = render(&SettingsPage {
        page: Page::new(state, &ctx, "nav-settings", "/settings").with_notice(&p),
        company,
        smtp,
        sms,
        users,
        creditor_terms,
        financing_parties,
        jobs,
    });
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

async fn save_company(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).map_or("", |s| s.trim()).to_string();
    let identity = app::sepa::CreditorIdentity {
        name: field("name"),
        iban: field("iban"),
        bic: Some(field("bic")),
        identifier: field("identifier"),
    };
    let saved: Result<(), WebError> = async {
        app::audit::set_company(
            state.store.as_ref(),
            state.clock.as_ref(),
            &ctx.actor()?,
            &identity,
            &field("address"),
            Some(&field("company_id")),
        )
        .await?;
        Ok(())
    }
    .await;
    after_save(&state, ctx, p, saved, |msg| Typed {
        company: Some(CompanyForm {
            name: identity.name,
            identifier: identity.identifier,
            iban: identity.iban,
            bic: identity.bic.unwrap_or_default(),
            address: field("address"),
            company_id: field("company_id"),
            error: Some(msg),
        }),
        ..Typed::default()
    })
    .await
}

async fn save_smtp(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).map_or("", |s| s.trim()).to_string();
    let optional = |k: &str| Some(field(k)).filter(|v| !v.is_empty());
    let typed = SmtpForm {
        host: field("host"),
        port: field("port"),
        security: field("security"),
        user: field("user"),
        password_env: field("password_env"),
        from: field("from"),
        reply_to: field("reply_to"),
        ca_file: field("ca_file"),
        error: None,
    };
    let saved: Result<(), WebError> = async {
        let port = typed.port.parse::<u16>().map_err(|_| {
            WebError::Unprocessable(format!(
                "port {:?}: a number from 1 to 65535 / un nombre de 1 à 65535",
                typed.port
            ))
        })?;
        let security = typed
            .security
            .parse::<app::channels::Security>()
            .map_err(WebError::Unprocessable)?;
        let settings = app::channels::SmtpSettings {
            host: typed.host.clone(),
            port,
            security,
            user: optional("user"),
            password_env: optional("password_env"),
            from: typed.from.clone(),
            reply_to: optional("reply_to"),
            ca_file: optional("ca_file"),
        };
        app::channels::set_smtp(
            state.store.as_ref(),
            state.clock.as_ref(),
            &ctx.actor()?,
            &settings,
        )
        .await?;
        Ok(())
    }
    .await;
    after_save(&state, ctx, p, saved, |msg| Typed {
        smtp: Some(SmtpForm {
            error: Some(msg),
            ..typed
        }),
        ..Typed::default()
    })
    .await
}

async fn save_sms(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).map_or("", |s| s.trim()).to_string();
    let typed = SmsForm {
        url: field("url"),
        method: field("method"),
        headers: field("headers"),
        body: field("body"),
        success_status: field("success_status"),
        sender: field("sender"),
        max_parts: field("max_parts"),
        error: None,
    };
    let saved: Result<(), WebError> = async {
        let mut tx = state.store.begin_read().await?;
        let stored = app::channels::sms(tx.as_mut()).await?;
        drop(tx);
        let mut headers = Vec::new();
        for (n, line) in typed.headers.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| {
                WebError::Unprocessable(format!(
                    "headers, line {}: {line:?} is not `Name: value` / n'est pas « Nom: valeur »",
                    n + 1
                ))
            })?;
            let (name, mut value) = (name.trim().to_string(), value.trim().to_string());
            // A hidden value read back as *** keeps the stored one.
            if value == "***"
                && let Some(h) = stored
                    .as_ref()
                    .and_then(|s| s.headers.iter().find(|h| h.name == name))
            {
                value = h.value.clone();
            }
            headers.push(app::channels::Header { name, value });
        }
        let number = |what: &str, text: &str| {
            text.parse::<u16>().map_err(|_| {
                WebError::Unprocessable(format!("{what} {text:?}: a number / un nombre"))
            })
        };
        let settings = app::channels::SmsSettings {
            url: typed.url.clone(),
            method: typed.method.to_uppercase(),
            headers,
            body: typed.body.clone(),
            success_status: number("success_status", &typed.success_status)?,
            sender: Some(typed.sender.clone()).filter(|s| !s.is_empty()),
            max_parts: u8::try_from(number("max_parts", &typed.max_parts)?).map_err(|_| {
                WebError::Unprocessable("max_parts: at most 255 / au plus 255".into())
            })?,
        };
        app::channels::set_sms(
            state.store.as_ref(),
            state.clock.as_ref(),
            &ctx.actor()?,
            &settings,
        )
        .await?;
        Ok(())
    }
    .await;
    after_save(&state, ctx, p, saved, |msg| Typed {
        sms: Some(SmsForm {
            error: Some(msg),
            ..typed
        }),
        ..Typed::default()
    })
    .await
}

/// After a section's save: back to the page with a notice; or, refused by a rule, the page
/// again with what was typed and why (`refused` puts the reason into its section); or the
/// error page.
async fn after_save(
    state: &AppState,
    ctx: Ctx,
    p: Params,
    saved: Result<(), WebError>,
    refused: impl FnOnce(String) -> Typed,
) -> Response {
    match saved {
        Ok(()) => see_other(&with_notice("/settings", "settings-saved")),
        Err(WebError::Unprocessable(msg)) => {
            finish(state, settings_inner(state, ctx, p, refused(msg)).await)
        }
        Err(e) => crate::ui::error_page(state, &ctx, e),
    }
}
