//! Personal data (GDPR) for administrators: the page `/personal-data` shows the retention
//! settings with their legal basis (and changes them), the debtors due for erasure today
//! (the page's clock) and the erasure requests; its forms run the daily proposal by hand,
//! approve a proposed request and erase a due debtor. Each form calls the audited use case
//! of `app::gdpr`, as `recouvre gdpr` and the API (`api_gdpr`) do.

use crate::AppState;
use crate::api::{Params, id_path};
use crate::api_gdpr::{RetentionRuleDto, retention_dto, ui_lang};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::ui::{OrPage, PageResult, finish, render, see_other, with_notice};
use crate::ui_cases::{Fields, optional};
use app::gdpr::{self, Approval, RetentionChange};
use app::store::ErasureState;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::DebtorId;

const HERE: &str = "/personal-data";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(HERE, get(page))
        .route("/personal-data/retention", post(set_retention))
        .route("/personal-data/propose", post(propose))
        .route("/personal-data/requests/{id}/approve", post(approve))
        .route("/personal-data/debtors/{id}/erase", post(erase))
}

/// A debtor due for erasure, as displayed.
#[derive(Debug)]
struct DueRow {
    id: i64,
    name: String,
    closed_on: String,
    due_on: String,
    reason: String,
}

/// An erasure request, as displayed.
#[derive(Debug)]
struct RequestRow {
    id: i64,
    debtor_id: i64,
    state: String,
    proposed: bool,
    closed_on: String,
    due_on: String,
    proposed_on: String,
    decided: String,
    pseudonym: String,
}

#[derive(Template)]
#[template(path = "personal_data.html")]
struct PersonalDataPage {
    page: crate::ui::Page,
    /// The form field of each setting, with the setting and its legal basis.
    rules: Vec<(&'static str, RetentionRuleDto)>,
    /// The lawful basis of the active file.
    active_file: String,
    today: String,
    due: Vec<DueRow>,
    requests: Vec<RequestRow>,
}

async fn page(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    let result: PageResult = async {
        let lang = ui_lang(&ctx);
        let today = state.clock.today();
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let retention = gdpr::retention(tx.as_mut()).await.page(&ctx)?;
        let due = gdpr::due(tx.as_mut(), today).await.page(&ctx)?;
        let requests = gdpr::requests(tx.as_mut(), None).await.page(&ctx)?;
        drop(tx);
        let page = crate::ui::Page::new(&state, &ctx, "gdpr-title", HERE).with_notice(&p);
        let text = |d: Option<domain::Date>| d.map_or(String::new(), |d| d.to_string());
        let due = due
            .iter()
            .map(|a| DueRow {
                id: a.debtor.0,
                name: a.name.clone(),
                closed_on: text(a.closed_on),
                due_on: text(a.due_on),
                reason: a.reason(Some(lang)),
            })
            .collect();
        let requests = requests
            .iter()
            .map(|r| RequestRow {
                id: r.id,
                debtor_id: r.debtor_id.0,
                state: page.t.get(&format!("gdpr-state-{}", r.state.as_str())),
                proposed: r.state == ErasureState::Proposed,
                closed_on: r.closed_on.to_string(),
                due_on: r.due_on.to_string(),
                proposed_on: format!("{} ({})", r.proposed_on, r.proposed_by),
                decided: match (&r.decided_by, &r.decided_at) {
                    (Some(by), Some(at)) => format!("{at} ({by})"),
                    (Some(by), None) => by.clone(),
                    (None, Some(at)) => at.clone(),
                    (None, None) => String::new(),
                },
                pseudonym: r.pseudonym.clone().unwrap_or_default(),
            })
            .collect();
        let retention = retention_dto(&retention, lang);
        let rules = retention
            .rules
            .into_iter()
            .map(|r| {
                let name = match r.key.as_str() {
                    "b2b" => "b2b_years",
                    "b2c" => "b2c_years",
                    "accounting" => "accounting_years",
                    _ => "year_end",
                };
                (name, r)
            })
            .collect();
        Ok(render(&PersonalDataPage {
            rules,
            active_file: retention.active_file,
            today: today.to_string(),
            due,
            requests,
            page,
        }))
    }
    .await;
    finish(&state, result)
}

/// A number of years from the form; empty leaves the setting as it is.
fn years(form: &Fields, name: &str) -> Result<Option<i16>, WebError> {
    optional(form, name)
        .map(|v| {
            v.parse::<i16>().map_err(|_| {
                WebError::field(
                    name,
                    domain::tr!(
                        "{v:?} is not a number of years",
                        "{v:?} n'est pas un nombre d'années"
                    ),
                )
            })
        })
        .transpose()
}

async fn set_retention(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let change = RetentionChange {
            b2b_years: years(&form, "b2b_years").page(&ctx)?,
            b2c_years: years(&form, "b2c_years").page(&ctx)?,
            accounting_years: years(&form, "accounting_years").page(&ctx)?,
            year_end: optional(&form, "year_end"),
        };
        let actor = ctx.actor().page(&ctx)?;
        gdpr::set_retention(state.store.as_ref(), state.clock.as_ref(), &actor, &change)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice(HERE, "gdpr-retention")))
    }
    .await;
    finish(&state, result)
}

/// The daily job by hand.
async fn propose(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        gdpr::propose_due(state.store.as_ref(), state.clock.as_ref(), &actor)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice(HERE, "gdpr-proposed")))
    }
    .await;
    finish(&state, result)
}

/// Approves a proposed request: erased if still due, withdrawn otherwise.
async fn approve(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result: PageResult = async {
        let id = id_path(&id).page(&ctx)?;
        let actor = ctx.actor().page(&ctx)?;
        let outcome = gdpr::approve(state.store.as_ref(), state.clock.as_ref(), &actor, id)
            .await
            .page(&ctx)?;
        let notice = match outcome {
            Approval::Erased(_) => "gdpr-erased",
            Approval::Withdrawn { .. } => "gdpr-withdrawn",
        };
        Ok(see_other(&with_notice(HERE, notice)))
    }
    .await;
    finish(&state, result)
}

/// Erases a due debtor now (refused with the reasons when it is not due).
async fn erase(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result: PageResult = async {
        let id = DebtorId(id_path(&id).page(&ctx)?);
        let actor = ctx.actor().page(&ctx)?;
        gdpr::erase(state.store.as_ref(), state.clock.as_ref(), &actor, id)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice(HERE, "gdpr-erased")))
    }
    .await;
    finish(&state, result)
}
