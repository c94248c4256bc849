//! The settings page (administrators), built as sections: the company's identity and bank
//! details (the SEPA creditor identity of `app::sepa`, and the postal address), the users
//! (their own page). Each section is one block of `settings.html` and one field of
//! [`SettingsPage`]: the e-mail (SMTP), SMS and templates sections slot in the same way.

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
}

/// The company section's fields, as stored or as typed.
#[derive(Debug, Default)]
pub struct CompanyForm {
    pub name: String,
    pub identifier: String,
    pub iban: String,
    pub bic: String,
    pub address: String,
    /// Why the last save was refused.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    company: CompanyForm,
    users: usize,
}

async fn settings(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, settings_inner(&state, ctx, p, None).await)
}

async fn settings_inner(
    state: &AppState,
    ctx: Ctx,
    p: Params,
    typed: Option<CompanyForm>,
) -> PageResult {
    let mut tx = state.store.begin().await.page(&ctx)?;
    let (identity, address) = app::sepa::identity(tx.as_mut()).await.page(&ctx)?;
    let users = tx.users().await.page(&ctx)?.len();
    drop(tx);
    let refused = typed.is_some();
    let company = typed.unwrap_or(CompanyForm {
        name: identity.name,
        identifier: identity.identifier,
        iban: identity.iban,
        bic: identity.bic.unwrap_or_default(),
        address,
        error: None,
    });
    let mut r = render(&SettingsPage {
        page: Page::new(state, &ctx, "nav-settings", "/settings").with_notice(&p),
        company,
        users,
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
        )
        .await?;
        Ok(())
    }
    .await;
    match saved {
        Ok(()) => see_other(&with_notice("/settings", "settings-saved")),
        Err(WebError::Unprocessable(msg)) => {
            let typed = CompanyForm {
                name: identity.name,
                identifier: identity.identifier,
                iban: identity.iban,
                bic: identity.bic.unwrap_or_default(),
                address: field("address"),
                error: Some(msg),
            };
            finish(&state, settings_inner(&state, ctx, p, Some(typed)).await)
        }
        Err(e) => crate::ui::error_page(&state, &ctx, e),
    }
}
