//! The REST API of personal data (GDPR, `/api/v1`): a debtor's export (JSON and PDF), the
//! retention settings with their legal basis, the debtors due for erasure, the erasure
//! requests and their approval. The same audited use cases as `recouvre gdpr` (see
//! `app::gdpr`).

use crate::AppState;
use crate::api::{Params, id_path, json_body};
use crate::auth::Ctx;
use crate::error::{Problem, WebError};
use app::gdpr::{self, Approval, RetentionChange};
use app::store::ErasureState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use domain::DebtorId;
use domain::lang::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(personal_data))
        .routes(routes!(personal_data_pdf))
        .routes(routes!(get_retention, put_retention))
        .routes(routes!(due))
        .routes(routes!(list_requests))
        .routes(routes!(propose))
        .routes(routes!(approve_request))
        .routes(routes!(erase_debtor))
}

pub(crate) fn ui_lang(ctx: &Ctx) -> Lang {
    match ctx.lang {
        crate::i18n::Lang::Fr => Lang::Fr,
        crate::i18n::Lang::En => Lang::En,
    }
}

/// `GET /api/v1/debtors/{id}/personal-data`: everything held on the debtor, for an access
/// request (format `recouvre.personal-data/1`, documented in `app::gdpr::PersonalData`);
/// audited `gdpr.export`.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/personal-data", tag = "gdpr",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 200, content_type = "application/json", description = "The export (format recouvre.personal-data/1)"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn personal_data(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = DebtorId(id_path(&id)?);
    let data = gdpr::export(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
    )
    .await?;
    Ok((
        [(
            axum::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"personal-data-{id}.json\""),
        )],
        Json(data),
    )
        .into_response())
}

/// `GET /api/v1/debtors/{id}/personal-data.pdf?lang=`: the same export as a readable PDF
/// (default: the debtor's language); audited `gdpr.export`.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/personal-data.pdf", tag = "gdpr",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id"),
        ("lang" = Option<String>, Query, pattern = "^(fr|en)$", description = "fr or en (default: the debtor's language)")),
    responses((status = 200, content_type = "application/pdf", description = "The export"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn personal_data_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut p: Params,
) -> Result<axum::response::Response, WebError> {
    let id = DebtorId(id_path(&id)?);
    let lang = p.get::<comms::Lang>("lang");
    p.finish()?;
    let data = gdpr::export(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
    )
    .await?;
    let lang = lang
        .unwrap_or_else(|| comms::Lang::for_debtor(&data.debtor.language, &data.debtor.country));
    let pdf =
        comms::personal_data::render(&data, lang).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"personal-data-{id}.pdf\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// One retention setting with its legal basis, in the signed-in user's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionRuleDto {
    /// `b2b`, `b2c`, `accounting` or `year-end`.
    pub key: String,
    pub value: String,
    pub default: String,
    pub label: String,
    pub legal_basis: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionDto {
    pub rules: Vec<RetentionRuleDto>,
    /// The lawful basis of the active file (until the case closes).
    pub active_file: String,
}

pub(crate) fn retention_dto(r: &gdpr::Retention, lang: Lang) -> RetentionDto {
    RetentionDto {
        rules: gdpr::rules(r)
            .iter()
            .map(|rule| RetentionRuleDto {
                key: rule.key.into(),
                value: rule.value.clone(),
                default: rule.default.clone(),
                label: rule.label(Some(lang)),
                legal_basis: rule.basis(Some(lang)),
            })
            .collect(),
        active_file: match lang {
            Lang::En => gdpr::ACTIVE_FILE_EN.into(),
            Lang::Fr => gdpr::ACTIVE_FILE_FR.into(),
        },
    }
}

/// `GET /api/v1/gdpr/retention`: the retention periods and their legal basis.
#[utoipa::path(get, path = "/api/v1/gdpr/retention", tag = "gdpr",
    responses((status = 200, body = RetentionDto), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_retention(State(state): State<AppState>, ctx: Ctx) -> ApiResult<RetentionDto> {
    let mut tx = state.store.begin_read().await?;
    let r = gdpr::retention(tx.as_mut()).await?;
    Ok(Json(retention_dto(&r, ui_lang(&ctx))))
}

/// A change of the retention settings; an absent field is left as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    /// Archive after closure, business debtors: 0 to 5 years.
    #[schema(minimum = 0, maximum = 5)]
    pub b2b_years: Option<i16>,
    /// Archive after closure, consumers: 0 to 2 years.
    #[schema(minimum = 0, maximum = 2)]
    pub b2c_years: Option<i16>,
    /// Accounting documents from the financial year's close: 10 to 30 years.
    #[schema(minimum = 10, maximum = 30)]
    pub accounting_years: Option<i16>,
    /// The financial year's last day, `MM-DD`.
    #[schema(example = "12-31")]
    pub year_end: Option<String>,
}

/// `PUT /api/v1/gdpr/retention`: changes the retention periods within the law's bounds;
/// audited `gdpr.retention`.
#[utoipa::path(put, path = "/api/v1/gdpr/retention", tag = "gdpr", request_body = RetentionRequest,
    responses((status = 200, body = RetentionDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_retention(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<RetentionRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<RetentionDto> {
    let b = json_body(body)?;
    let change = RetentionChange {
        b2b_years: b.b2b_years,
        b2c_years: b.b2c_years,
        accounting_years: b.accounting_years,
        year_end: b.year_end,
    };
    let r = gdpr::set_retention(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &change,
    )
    .await?;
    Ok(Json(retention_dto(&r, ui_lang(&ctx))))
}

/// A debtor due for erasure.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueDto {
    pub debtor_id: i64,
    pub name: String,
    #[schema(format = Date)]
    pub closed_on: Option<String>,
    #[schema(format = Date)]
    pub due_on: Option<String>,
    pub reason: String,
}

/// `GET /api/v1/gdpr/due`: the debtors whose personal data may be erased today.
#[utoipa::path(get, path = "/api/v1/gdpr/due", tag = "gdpr",
    responses((status = 200, body = Vec<DueDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn due(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Vec<DueDto>> {
    let mut tx = state.store.begin_read().await?;
    let list = gdpr::due(tx.as_mut(), state.clock.today()).await?;
    let lang = ui_lang(&ctx);
    Ok(Json(
        list.iter()
            .map(|a| DueDto {
                debtor_id: a.debtor.0,
                name: a.name.clone(),
                closed_on: a.closed_on.map(|d| d.to_string()),
                due_on: a.due_on.map(|d| d.to_string()),
                reason: a.reason(Some(lang)),
            })
            .collect(),
    ))
}

/// An erasure request.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDto {
    pub id: i64,
    pub debtor_id: i64,
    /// `proposed`, `done` or `withdrawn`.
    pub state: String,
    #[schema(format = Date)]
    pub closed_on: String,
    #[schema(format = Date)]
    pub due_on: String,
    #[schema(format = Date)]
    pub proposed_on: String,
    pub proposed_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub pseudonym: Option<String>,
}

impl From<&app::store::ErasureRequest> for RequestDto {
    fn from(r: &app::store::ErasureRequest) -> Self {
        Self {
            id: r.id,
            debtor_id: r.debtor_id.0,
            state: r.state.as_str().into(),
            closed_on: r.closed_on.to_string(),
            due_on: r.due_on.to_string(),
            proposed_on: r.proposed_on.to_string(),
            proposed_by: r.proposed_by.clone(),
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at.clone(),
            pseudonym: r.pseudonym.clone(),
        }
    }
}

/// `GET /api/v1/gdpr/requests?state=`: the erasure requests.
#[utoipa::path(get, path = "/api/v1/gdpr/requests", tag = "gdpr",
    params(("state" = Option<String>, Query, pattern = "^(proposed|done|withdrawn)$", description = "Only those in this state")),
    responses((status = 200, body = Vec<RequestDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_requests(State(state): State<AppState>, mut p: Params) -> ApiResult<Vec<RequestDto>> {
    let s = p.get::<ErasureState>("state");
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let list = gdpr::requests(tx.as_mut(), s).await?;
    Ok(Json(list.iter().map(RequestDto::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalsDto {
    pub proposed: usize,
    pub withdrawn: usize,
    pub waiting: usize,
}

/// `POST /api/v1/gdpr/requests/propose`: the daily job by hand: records an erasure
/// request for each debtor due today; audited `gdpr.propose`.
#[utoipa::path(post, path = "/api/v1/gdpr/requests/propose", tag = "gdpr",
    responses((status = 200, body = ProposalsDto), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn propose(State(state): State<AppState>, ctx: Ctx) -> ApiResult<ProposalsDto> {
    let p = gdpr::propose_due(state.store.as_ref(), state.clock.as_ref(), &ctx.actor()?).await?;
    Ok(Json(ProposalsDto {
        proposed: p.proposed.len(),
        withdrawn: p.withdrawn.len(),
        waiting: p.waiting,
    }))
}

/// What an approval or an erasure did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureDto {
    /// `erased`, or `withdrawn` when the debtor was no longer due.
    pub outcome: String,
    pub debtor_id: i64,
    pub request_id: i64,
    pub pseudonym: Option<String>,
    /// Why it was withdrawn.
    pub reasons: Vec<String>,
}

fn erased(e: &gdpr::Erasure) -> ErasureDto {
    ErasureDto {
        outcome: "erased".into(),
        debtor_id: e.debtor.0,
        request_id: e.request,
        pseudonym: Some(e.pseudonym.clone()),
        reasons: Vec::new(),
    }
}

/// `POST /api/v1/gdpr/requests/{id}/approve`: approves a proposed request; the debtor,
/// assessed again today, is erased at once by pseudonymisation (audited `gdpr.erase`), or
/// the request is withdrawn with the reasons.
#[utoipa::path(post, path = "/api/v1/gdpr/requests/{id}/approve", tag = "gdpr",
    params(("id" = i64, Path, minimum = 1, description = "The request's id")),
    responses((status = 200, body = ErasureDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn approve_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<ErasureDto> {
    let id = id_path(&id)?;
    let lang = ui_lang(&ctx);
    let a = gdpr::approve(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
    )
    .await?;
    Ok(Json(match a {
        Approval::Erased(e) => erased(&e),
        Approval::Withdrawn { request, blockers } => ErasureDto {
            outcome: "withdrawn".into(),
            debtor_id: request.debtor_id.0,
            request_id: request.id,
            pseudonym: None,
            reasons: blockers.iter().map(|b| b.text(Some(lang))).collect(),
        },
    }))
}

/// `POST /api/v1/debtors/{id}/erase`: erases a debtor now if it is due (refused with the
/// reasons, 422, otherwise); audited `gdpr.erase`.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/erase", tag = "gdpr",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 200, body = ErasureDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn erase_debtor(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<ErasureDto> {
    let id = DebtorId(id_path(&id)?);
    let e = gdpr::erase(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
    )
    .await?;
    Ok(Json(erased(&e)))
}
