//! The REST API of the judicial phase (`/api/v1/legal-files`): the files by deadline, a
//! file with its amounts as of a day and its deadlines, the decision that opens one, its
//! stages, costs, payments, parties and attached exhibits, the lawyer's or commissaire de
//! justice's answers by CSV, the court documents (request, evidence bundle, hand-off ZIP,
//! Form A's data, small-claims mandate) and the report. The same audited use cases as
//! `recouvre legal` (see `app::legal`); the page `/legal` (`ui_judicial`) reads its inputs
//! through the same parsers.

use crate::AppState;
use crate::api::{MoneyDto, Params, TextDto, id_path, json_body};
use crate::auth::Ctx;
use crate::error::{Problem, WebError};
use app::legal::{
    self, CostInput, CostKind, ExhibitInput, FileAmounts, LegalFile, OpenRequest, PaymentInput,
    StageInput,
};
use app::store::{LegalFileFilter, LegalFileState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::law::judicial::{Decision, Outcome, Stage, StageKind};
use domain::{ClaimId, Date, DebtorId, Money};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_files, open_file))
        .routes(routes!(get_file))
        .routes(routes!(add_stage))
        .routes(routes!(add_cost))
        .routes(routes!(add_payment))
        .routes(routes!(set_parties))
        .routes(routes!(attach))
        .routes(routes!(answers))
        .routes(routes!(report))
        .routes(routes!(document))
        // An exhibit may weigh up to app::legal::MAX_EXHIBIT_BYTES.
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::ui_imports::UPLOAD_LIMIT,
        ))
}

// -- inputs, shared with the pages

fn parse<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, WebError>
where
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse::<T>()
        .map_err(|e| WebError::field(field, format!("{:?}: {e}", text.trim())))
}

fn date(field: &str, text: &str) -> Result<Date, WebError> {
    parse::<Date>(field, text)
}

fn some(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// An amount in the file's currency unless it names another (`120.50`, `120.50 EUR`); a
/// currency other than the file's is refused by the use case.
async fn file_amount(state: &AppState, file: i64, text: &str) -> Result<Money, WebError> {
    let mut tx = state.store.begin_read().await?;
    let currency = legal::get(tx.as_mut(), file).await?.data.currency;
    drop(tx);
    Money::parse_with_code(text, currency)
        .map_err(|e| WebError::field("amount", format!("{:?}: {e}", text.trim())))
}

/// A decision from its fields (ids as text, as forms send them).
pub(crate) fn open_request(
    debtor: i64,
    decision: &str,
    claims: &[String],
    court: Option<&str>,
    agent: Option<&str>,
    reason: Option<&str>,
) -> Result<OpenRequest, WebError> {
    let claims = claims
        .iter()
        .flat_map(|c| c.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| parse::<i64>("claims", c).map(ClaimId))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OpenRequest {
        debtor: Some(DebtorId(debtor)),
        decision: Some(parse::<Decision>("decision", decision)?),
        claims,
        court: some(court),
        agent: some(agent),
        reason: some(reason),
    })
}

pub(crate) fn stage_input(
    kind: &str,
    on: &str,
    outcome: Option<&str>,
    reference: Option<&str>,
    note: Option<&str>,
) -> Result<StageInput, WebError> {
    Ok(StageInput {
        kind: parse::<StageKind>("kind", kind)?,
        on: date("date", on)?,
        outcome: some(outcome)
            .map(|o| parse::<Outcome>("outcome", &o))
            .transpose()?,
        reference: some(reference),
        note: some(note),
    })
}

pub(crate) async fn cost_input(
    state: &AppState,
    file: i64,
    kind: &str,
    amount: &str,
    on: &str,
    recoverable: bool,
    note: Option<&str>,
) -> Result<CostInput, WebError> {
    Ok(CostInput {
        kind: parse::<CostKind>("kind", kind)?,
        on: date("date", on)?,
        amount: file_amount(state, file, amount).await?,
        recoverable,
        note: some(note),
    })
}

pub(crate) async fn payment_input(
    state: &AppState,
    file: i64,
    amount: &str,
    on: &str,
    by: Option<&str>,
    note: Option<&str>,
) -> Result<PaymentInput, WebError> {
    Ok(PaymentInput {
        on: date("date", on)?,
        amount: file_amount(state, file, amount).await?,
        collected_by: some(by),
        note: some(note),
    })
}

/// The court documents of a file: `request.pdf`, `bundle.pdf`, `export.zip`,
/// `mandate.pdf`, `form-a.json` or `dossier.json`, as a download.
pub(crate) async fn document_response(
    state: &AppState,
    id: i64,
    name: &str,
) -> Result<Response, WebError> {
    let comms = state.comms().await?;
    let docs =
        comms::legal_file::gather(state.store.as_ref(), &comms, id, state.clock.today()).await?;
    let unprocessable = |e: comms::legal::LegalDocError| WebError::Unprocessable(e.to_string());
    let (bytes, media) = match name {
        "request.pdf" => (
            comms::legal::render_request(&docs.request()?).map_err(unprocessable)?,
            "application/pdf",
        ),
        "bundle.pdf" => (
            comms::legal::render_bundle(&docs.bundle()).map_err(unprocessable)?,
            "application/pdf",
        ),
        "mandate.pdf" => (
            comms::legal::render_mandate(&docs.mandate()).map_err(unprocessable)?,
            "application/pdf",
        ),
        "export.zip" => (docs.export_zip().map_err(unprocessable)?, "application/zip"),
        "form-a.json" => (
            serde_json::to_vec_pretty(&docs.form_a().map_err(unprocessable)?).unwrap_or_default(),
            "application/json",
        ),
        "dossier.json" => (
            serde_json::to_vec_pretty(&docs.dossier_json()).unwrap_or_default(),
            "application/json",
        ),
        other => {
            return Err(WebError::NotFound(domain::tr!(
                "no document {other:?}: request.pdf, bundle.pdf, export.zip, mandate.pdf, form-a.json or dossier.json",
                "pas de document {other:?} : request.pdf, bundle.pdf, export.zip, mandate.pdf, form-a.json ou dossier.json"
            )));
        }
    };
    let disposition = if media == "application/pdf" {
        "inline"
    } else {
        "attachment"
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"DOSSIER-{id}-{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// -- what the API answers

/// A file in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileLineDto {
    pub id: i64,
    /// `DOSSIER-12`.
    pub reference: String,
    pub debtor_id: i64,
    pub debtor_name: String,
    /// `injonction_de_payer`, `petites_creances`, `refere_provision`, `eu_order`,
    /// `eu_small_claims`, `write_off`, `keep_amicable` or `sell`.
    pub decision: String,
    /// `open`, `closed` or `declined`.
    pub state: String,
    /// The last stage recorded.
    pub stage: Option<String>,
    #[schema(format = Date)]
    pub opened_on: String,
    pub next_deadline: Option<DeadlineDto>,
    pub claimed: MoneyDto,
    pub collected: MoneyDto,
    pub costs: MoneyDto,
}

/// A statutory deadline of an open file.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineDto {
    /// `serve_order`, `opposition`, `small_claims_answer`, `rate_increase`,
    /// `enforce_title`.
    pub kind: String,
    pub name: TextDto,
    /// The last day, included.
    #[schema(format = Date)]
    pub due: String,
    /// The day the period itself ends, when it was extended to a working day.
    #[schema(format = Date)]
    pub extended_from: Option<String>,
    #[schema(format = Date)]
    pub from: String,
    /// The article that sets it (`C. pr. civ. 1411`).
    pub basis: String,
}

fn deadline_dto(d: &domain::law::judicial::Deadline) -> DeadlineDto {
    DeadlineDto {
        kind: d.kind.as_str().into(),
        name: (&d.name).into(),
        due: d.due.to_string(),
        extended_from: d.extended_from.map(|x| x.to_string()),
        from: d.from.to_string(),
        basis: d.basis.into(),
    }
}

/// A claim of the file, frozen at the decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrozenClaimDto {
    pub claim_id: i64,
    pub number: String,
    #[schema(format = Date)]
    pub issue_date: String,
    #[schema(format = Date)]
    pub due_date: String,
    pub amount: MoneyDto,
    pub paid: MoneyDto,
    pub principal: MoneyDto,
    pub interest: MoneyDto,
    pub interest_basis: TextDto,
    pub indemnity: MoneyDto,
}

/// A stage recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageDto {
    pub kind: String,
    pub name: TextDto,
    #[schema(format = Date)]
    pub on: String,
    /// For `closed`: `paid`, `settled`, `unrecoverable` or `abandoned`.
    pub outcome: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
}

/// A cost recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct CostDto {
    /// `court_fee`, `commissaire`, `lawyer`, `translation`, `article_700` or `other`.
    pub kind: String,
    #[schema(format = Date)]
    pub on: String,
    pub amount: MoneyDto,
    pub recoverable: bool,
    pub note: Option<String>,
}

/// A payment collected during the procedure.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDto {
    #[schema(format = Date)]
    pub on: String,
    pub amount: MoneyDto,
    pub collected_by: Option<String>,
    pub note: Option<String>,
}

/// A document attached to the file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExhibitDto {
    pub id: i64,
    pub title: String,
    #[schema(format = Date)]
    pub dated: Option<String>,
    pub media_type: String,
    pub file_name: String,
    pub sha256: String,
}

/// The amounts the file claims as of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmountsDto {
    #[schema(format = Date)]
    pub as_of: String,
    pub principal: MoneyDto,
    pub interest: MoneyDto,
    pub indemnity: MoneyDto,
    /// Legal-rate interest since the enforceable title (C. mon. fin. L313-3); `null` when
    /// a rate it needs is not known.
    pub post_judgment_interest: Option<MoneyDto>,
    pub costs_recoverable: MoneyDto,
    pub total: MoneyDto,
}

impl From<&FileAmounts> for AmountsDto {
    fn from(a: &FileAmounts) -> Self {
        Self {
            as_of: a.as_of.to_string(),
            principal: a.principal.into(),
            interest: a.interest.into(),
            indemnity: a.indemnity.into(),
            post_judgment_interest: a.post_judgment_interest.map(Into::into),
            costs_recoverable: a.costs_recoverable.into(),
            total: a.total.into(),
        }
    }
}

/// The advisor's figures when the decision was taken.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceDto {
    pub recommendation: TextDto,
    pub advised_route: Option<String>,
    pub total: MoneyDto,
    pub expected_recovery: MoneyDto,
    pub cost_low: Option<MoneyDto>,
    pub cost_high: Option<MoneyDto>,
    pub expected_net_worst_case: Option<MoneyDto>,
}

/// A legal file.
#[derive(Debug, Serialize, ToSchema)]
pub struct LegalFileDto {
    pub id: i64,
    pub reference: String,
    pub debtor_id: i64,
    pub creditor_id: i64,
    pub decision: String,
    pub decision_name: TextDto,
    /// `open`, `closed` or `declined`.
    pub state: String,
    #[schema(format = Date)]
    pub opened_on: String,
    #[schema(format = Date)]
    pub closed_on: Option<String>,
    pub court: Option<String>,
    pub agent: Option<String>,
    pub reason: Option<String>,
    pub advice: AdviceDto,
    /// The day the amounts were frozen.
    #[schema(format = Date)]
    pub frozen_on: String,
    pub claims: Vec<FrozenClaimDto>,
    /// Principal, interest and indemnities of the claims as frozen.
    pub frozen_total: MoneyDto,
    pub stages: Vec<StageDto>,
    /// The stages that may come next.
    pub next_stages: Vec<String>,
    pub deadlines: Vec<DeadlineDto>,
    pub costs: Vec<CostDto>,
    pub costs_recoverable: MoneyDto,
    pub costs_borne: MoneyDto,
    pub payments: Vec<PaymentDto>,
    pub collected: MoneyDto,
    pub exhibits: Vec<ExhibitDto>,
    /// Recomputed as of `as_of` (default today).
    pub amounts: AmountsDto,
    /// Optimistic-concurrency version.
    pub version: i64,
}

fn text(en: &str, fr: &str, code: &str) -> TextDto {
    TextDto {
        code: code.into(),
        fr: fr.into(),
        en: en.into(),
    }
}

fn file_dto(
    f: &LegalFile,
    exhibits: &[app::store::StoredExhibit],
    amounts: &FileAmounts,
) -> Result<LegalFileDto, WebError> {
    let a = &f.data.advice;
    Ok(LegalFileDto {
        id: f.id,
        reference: f.reference(),
        debtor_id: f.debtor_id.0,
        creditor_id: f.creditor_id.0,
        decision: f.data.decision.code().into(),
        decision_name: (&f.data.decision.name()).into(),
        state: f.state.as_str().into(),
        opened_on: f.opened_on.to_string(),
        closed_on: f.closed_on.map(|d| d.to_string()),
        court: f.data.court.clone(),
        agent: f.data.agent.clone(),
        reason: f.data.reason.clone(),
        advice: AdviceDto {
            recommendation: text(&a.text_en, &a.text_fr, &a.recommendation),
            advised_route: a.advised_route.map(|r| r.code().to_string()),
            total: a.total.into(),
            expected_recovery: a.expected_recovery.into(),
            cost_low: a.cost_low.map(Into::into),
            cost_high: a.cost_high.map(Into::into),
            expected_net_worst_case: a.expected_net_worst_case.map(Into::into),
        },
        frozen_on: f.data.frozen_on.to_string(),
        claims: f
            .data
            .claims
            .iter()
            .map(|c| FrozenClaimDto {
                claim_id: c.claim_id.0,
                number: c.number.clone(),
                issue_date: c.issue_date.to_string(),
                due_date: c.due_date.to_string(),
                amount: c.amount.into(),
                paid: c.paid.into(),
                principal: c.principal.into(),
                interest: c.interest.into(),
                interest_basis: text(&c.interest_basis_en, &c.interest_basis_fr, "interest"),
                indemnity: c.indemnity.into(),
            })
            .collect(),
        frozen_total: f.frozen_total().into(),
        stages: f
            .data
            .stages
            .iter()
            .map(|s| StageDto {
                kind: s.kind.as_str().into(),
                name: (&s.kind.name()).into(),
                on: s.on.to_string(),
                outcome: s.outcome.map(|o| o.as_str().to_string()),
                reference: s.reference.clone(),
                note: s.note.clone(),
                recorded_by: s.recorded_by.clone(),
            })
            .collect(),
        next_stages: next_stages(f)
            .into_iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        deadlines: f.deadlines()?.iter().map(deadline_dto).collect(),
        costs: f
            .data
            .costs
            .iter()
            .map(|c| CostDto {
                kind: c.kind.as_str().into(),
                on: c.on.to_string(),
                amount: c.amount.into(),
                recoverable: c.recoverable,
                note: c.note.clone(),
            })
            .collect(),
        costs_recoverable: f.costs_recoverable().into(),
        costs_borne: f.costs_borne().into(),
        payments: f
            .data
            .payments
            .iter()
            .map(|p| PaymentDto {
                on: p.on.to_string(),
                amount: p.amount.into(),
                collected_by: p.collected_by.clone(),
                note: p.note.clone(),
            })
            .collect(),
        collected: f.collected().into(),
        exhibits: exhibits
            .iter()
            .map(|e| ExhibitDto {
                id: e.id,
                title: e.title.clone(),
                dated: e.dated.map(|d| d.to_string()),
                media_type: e.media_type.clone(),
                file_name: e.file_name.clone(),
                sha256: e.sha256.clone(),
            })
            .collect(),
        amounts: amounts.into(),
        version: f.version,
    })
}

/// The stages that may follow the file's last one on its route (none once closed).
pub(crate) fn next_stages(f: &LegalFile) -> Vec<StageKind> {
    let (Some(route), LegalFileState::Open) = (f.route(), f.state) else {
        return Vec::new();
    };
    let stages = f.stages();
    let on = stages.last().map_or(f.opened_on, |s| s.on);
    StageKind::ALL
        .into_iter()
        .filter(|k| {
            domain::law::judicial::check_next_stage(route, &stages, Stage { kind: *k, on }).is_ok()
        })
        .collect()
}

/// A file as one read sees it: its exhibits, its amounts as of a day, its debtor's name.
pub(crate) struct Loaded {
    pub file: LegalFile,
    pub exhibits: Vec<app::store::StoredExhibit>,
    pub amounts: FileAmounts,
    pub debtor_name: String,
}

/// A file, its exhibits, its amounts as of `as_of` and its debtor's name, in one read.
pub(crate) async fn load(state: &AppState, id: i64, as_of: Date) -> Result<Loaded, WebError> {
    let mut tx = state.store.begin_read().await?;
    let file = legal::get(tx.as_mut(), id).await?;
    let exhibits = tx.exhibits(Some(id), false).await?;
    let amounts = legal::amounts(tx.as_mut(), &file, as_of, &state.rates).await?;
    let debtor_name = tx
        .debtor(file.debtor_id)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    Ok(Loaded {
        file,
        exhibits,
        amounts,
        debtor_name,
    })
}

async fn file_json(state: &AppState, id: i64) -> ApiResult<LegalFileDto> {
    let l = load(state, id, state.clock.today()).await?;
    Ok(Json(file_dto(&l.file, &l.exhibits, &l.amounts)?))
}

// -- the endpoints

/// `GET /api/v1/legal-files?state=&debtor=`: the files, open ones by next deadline first.
#[utoipa::path(get, path = "/api/v1/legal-files", tag = "legal",
    params(("state" = Option<String>, Query, pattern = "^(open|closed|declined)$", description = "open, closed or declined"),
        ("debtor" = Option<i64>, Query, minimum = 1, description = "One debtor's files")),
    responses((status = 200, body = Vec<FileLineDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_files(State(state): State<AppState>, mut p: Params) -> ApiResult<Vec<FileLineDto>> {
    let st = p.get::<LegalFileState>("state");
    let debtor = p.get::<i64>("debtor").map(DebtorId);
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let lines = legal::lines(
        tx.as_mut(),
        &LegalFileFilter {
            states: st.into_iter().collect(),
            debtor,
            ..LegalFileFilter::default()
        },
    )
    .await?;
    Ok(Json(lines.iter().map(line_dto).collect()))
}

pub(crate) fn line_dto(l: &legal::FileLine) -> FileLineDto {
    FileLineDto {
        id: l.id,
        reference: l.reference.clone(),
        debtor_id: l.debtor_id.0,
        debtor_name: l.debtor_name.clone(),
        decision: l.decision.code().into(),
        state: l.state.as_str().into(),
        stage: l.stage.map(|s| s.as_str().to_string()),
        opened_on: l.opened_on.to_string(),
        next_deadline: l.next_deadline.as_ref().map(deadline_dto),
        claimed: l.claimed.into(),
        collected: l.collected.into(),
        costs: l.costs.into(),
    }
}

/// A decision on a debtor's overdue claims.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenFileRequest {
    pub debtor_id: i64,
    /// `injonction_de_payer`, `petites_creances`, `refere_provision`, `eu_order`,
    /// `eu_small_claims`, `write_off`, `keep_amicable` or `sell`.
    pub decision: String,
    /// The claims; default every overdue claim the advisor counts.
    #[serde(default)]
    pub claims: Vec<i64>,
    /// The court seized: its seat (`Lyon`) or full name.
    pub court: Option<String>,
    pub agent: Option<String>,
    pub reason: Option<String>,
}

/// `POST /api/v1/legal-files`: opens a file on a route the advisor finds open, or records a
/// decision not to litigate; audited `legal.open`.
#[utoipa::path(post, path = "/api/v1/legal-files", tag = "legal", request_body = OpenFileRequest,
    responses((status = 201, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn open_file(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<OpenFileRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<LegalFileDto>), WebError> {
    let b = json_body(body)?;
    let claims: Vec<String> = b.claims.iter().map(i64::to_string).collect();
    let request = open_request(
        b.debtor_id,
        &b.decision,
        &claims,
        b.court.as_deref(),
        b.agent.as_deref(),
        b.reason.as_deref(),
    )?;
    let f = legal::open(
        state.store.as_ref(),
        state.clock.as_ref(),
        &state.rates,
        &ctx.actor()?,
        &request,
    )
    .await?;
    Ok((StatusCode::CREATED, file_json(&state, f.id).await?))
}

/// `GET /api/v1/legal-files/{id}?as_of=`: a file, its deadlines and its amounts as of a
/// day (default today).
#[utoipa::path(get, path = "/api/v1/legal-files/{id}", tag = "legal",
    params(("id" = i64, Path, minimum = 1, description = "The file's id"),
        ("as_of" = Option<String>, Query, format = Date, description = "The day of the amounts (default today)")),
    responses((status = 200, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    mut p: Params,
) -> ApiResult<LegalFileDto> {
    let id = id_path(&id)?;
    let as_of = p.get::<Date>("as_of").unwrap_or(state.clock.today());
    p.finish()?;
    let l = load(&state, id, as_of).await?;
    Ok(Json(file_dto(&l.file, &l.exhibits, &l.amounts)?))
}

/// A stage of the procedure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageRequest {
    /// `request_filed`, `invitation_sent`, `debtor_agreed`, `debtor_refused`,
    /// `order_made`, `order_rejected`, `order_served`, `opposition`, `enforceable`,
    /// `enforcement_act`, `payment_received`, `withdrawn` or `closed`.
    pub kind: String,
    #[schema(format = Date)]
    pub date: String,
    /// For `closed`: `paid`, `settled`, `unrecoverable` or `abandoned`.
    pub outcome: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// `POST /api/v1/legal-files/{id}/stages`: records a stage (in order; with its limitation
/// effect); audited `legal.stage`.
#[utoipa::path(post, path = "/api/v1/legal-files/{id}/stages", tag = "legal", request_body = StageRequest,
    params(("id" = i64, Path, minimum = 1, description = "The file's id")),
    responses((status = 200, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_stage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<StageRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LegalFileDto> {
    let id = id_path(&id)?;
    let b = json_body(body)?;
    let input = stage_input(
        &b.kind,
        &b.date,
        b.outcome.as_deref(),
        b.reference.as_deref(),
        b.note.as_deref(),
    )?;
    legal::record_stage(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        &input,
    )
    .await?;
    file_json(&state, id).await
}

/// A cost of the procedure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostRequest {
    /// `court_fee`, `commissaire`, `lawyer`, `translation`, `article_700` or `other`.
    pub kind: String,
    /// In the file's currency (`120.50`).
    #[schema(example = "120.50")]
    pub amount: String,
    #[schema(format = Date)]
    pub date: String,
    #[serde(default)]
    pub recoverable: bool,
    pub note: Option<String>,
}

/// `POST /api/v1/legal-files/{id}/costs`: records a cost; audited `legal.cost`.
#[utoipa::path(post, path = "/api/v1/legal-files/{id}/costs", tag = "legal", request_body = CostRequest,
    params(("id" = i64, Path, minimum = 1, description = "The file's id")),
    responses((status = 200, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_cost(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<CostRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LegalFileDto> {
    let id = id_path(&id)?;
    let b = json_body(body)?;
    let input = cost_input(
        &state,
        id,
        &b.kind,
        &b.amount,
        &b.date,
        b.recoverable,
        b.note.as_deref(),
    )
    .await?;
    legal::add_cost(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        &input,
    )
    .await?;
    file_json(&state, id).await
}

/// A payment collected during the procedure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    #[schema(example = "500.00")]
    pub amount: String,
    #[schema(format = Date)]
    pub date: String,
    pub collected_by: Option<String>,
    pub note: Option<String>,
}

/// `POST /api/v1/legal-files/{id}/payments`: records a payment collected, posted to the
/// file's claims (oldest due first); audited `legal.payment`.
#[utoipa::path(post, path = "/api/v1/legal-files/{id}/payments", tag = "legal", request_body = PaymentRequest,
    params(("id" = i64, Path, minimum = 1, description = "The file's id")),
    responses((status = 200, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<PaymentRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LegalFileDto> {
    let id = id_path(&id)?;
    let b = json_body(body)?;
    let input = payment_input(
        &state,
        id,
        &b.amount,
        &b.date,
        b.collected_by.as_deref(),
        b.note.as_deref(),
    )
    .await?;
    legal::record_payment(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        &input,
    )
    .await?;
    file_json(&state, id).await
}

/// The court and the agent of a file; an absent field is left as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartiesRequest {
    pub court: Option<String>,
    pub agent: Option<String>,
}

/// `PUT /api/v1/legal-files/{id}/parties`: changes the court or the agent; audited
/// `legal.parties`.
#[utoipa::path(put, path = "/api/v1/legal-files/{id}/parties", tag = "legal", request_body = PartiesRequest,
    params(("id" = i64, Path, minimum = 1, description = "The file's id")),
    responses((status = 200, body = LegalFileDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn set_parties(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<PartiesRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LegalFileDto> {
    let id = id_path(&id)?;
    let b = json_body(body)?;
    legal::set_parties(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        b.court,
        b.agent,
    )
    .await?;
    file_json(&state, id).await
}

/// `POST /api/v1/legal-files/{id}/exhibits?title=&dated=&file_name=`: attaches the body (a
/// PDF, PNG or JPEG, by its first bytes; at most 20 MB) as an exhibit; audited
/// `legal.attach`.
#[utoipa::path(post, path = "/api/v1/legal-files/{id}/exhibits", tag = "legal",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The document"),
    params(("id" = i64, Path, minimum = 1, description = "The file's id"),
        ("title" = String, Query, description = "Its title in the list of exhibits"),
        ("dated" = Option<String>, Query, format = Date, description = "The day the document bears"),
        ("file_name" = Option<String>, Query, description = "The original file name")),
    responses((status = 201, body = ExhibitDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut p: Params,
    body: Bytes,
) -> Result<(StatusCode, Json<ExhibitDto>), WebError> {
    let id = id_path(&id)?;
    let title = p.get::<String>("title").unwrap_or_default();
    let dated = p.get::<Date>("dated");
    let file_name = p.get::<String>("file_name");
    p.finish()?;
    let e = legal::attach(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        &ExhibitInput {
            file_name: file_name.unwrap_or_else(|| title.clone()),
            title,
            dated,
            content: body.to_vec(),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ExhibitDto {
            id: e.id,
            title: e.title,
            dated: e.dated.map(|d| d.to_string()),
            media_type: e.media_type,
            file_name: e.file_name,
            sha256: e.sha256,
        }),
    ))
}

/// What a CSV of answers changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersDto {
    pub stages: usize,
    pub costs: usize,
    pub payments: usize,
    pub files: Vec<i64>,
}

/// `POST /api/v1/legal-files/answers`: a lawyer's or commissaire de justice's answers as
/// CSV (`file, date, kind, value, amount, recoverable, outcome, reference, note`), all or
/// nothing; audited.
#[utoipa::path(post, path = "/api/v1/legal-files/answers", tag = "legal",
    request_body(content = String, content_type = "text/csv", description = "The answers"),
    responses((status = 200, body = AnswersDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn answers(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> ApiResult<AnswersDto> {
    let r = legal::import_answers(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        "answers.csv",
        &body,
    )
    .await?;
    Ok(Json(AnswersDto {
        stages: r.stages,
        costs: r.costs,
        payments: r.payments,
        files: r.files,
    }))
}

/// `GET /api/v1/legal-files/report`: the judicial phase by route, stage and amount band
/// against amicable collection (the JSON of `recouvre legal report --json`).
#[utoipa::path(get, path = "/api/v1/legal-files/report", tag = "legal",
    responses((status = 200, content_type = "application/json", description = "The report: by_route, by_stage, by_band, amicable, judicial, declined"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report(State(state): State<AppState>) -> Result<Response, WebError> {
    let mut tx = state.store.begin_read().await?;
    let r = legal::report(tx.as_mut(), state.clock.today()).await?;
    Ok(Json(r).into_response())
}

/// `GET /api/v1/legal-files/{id}/documents/{name}`: `request.pdf` (refused, naming what
/// is missing, when the request cannot be issued), `bundle.pdf`, `export.zip`,
/// `mandate.pdf`, `form-a.json` or `dossier.json`, dated today.
#[utoipa::path(get, path = "/api/v1/legal-files/{id}/documents/{name}", tag = "legal",
    params(("id" = i64, Path, minimum = 1, description = "The file's id"),
        ("name" = String, Path, description = "request.pdf, bundle.pdf, export.zip, mandate.pdf, form-a.json or dossier.json")),
    responses((status = 200, description = "The document (PDF, ZIP or JSON)"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn document(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_path(&id)?;
    document_response(&state, id, &name).await
}
