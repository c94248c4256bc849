//! The REST API of terms of sale and formal notices (`/api/v1`): a creditor's and a claim's
//! terms, a debtor's formal notices, their delivery, and the postal tracking import. The
//! same audited use cases as `recouvre creditor|terms|notice` (see `app::contract`).

use crate::AppState;
use crate::api::{id_path, json_body};
use crate::auth::Ctx;
use crate::error::{Problem, WebError};
use app::contract::{DeliveryUpdate, NoticeInput, NoticeRef};
use app::store::{NoticeSender, StoredNotice, TermsScope};
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::law::{ContractTerms, PaymentTerm, PenaltyRate};
use domain::{ClaimId, CreditorId, Date, DebtorId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_creditor_terms, put_creditor_terms))
        .routes(routes!(get_claim_terms, put_claim_terms))
        .routes(routes!(list_notices, record_notice))
        .routes(routes!(notice_delivery))
        .routes(routes!(action_notice_delivery))
        .routes(routes!(import_tracking))
        .routes(routes!(write_off))
        .routes(routes!(post_charges))
}

/// Terms of sale, as written and read: each field `null` when the contract says nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsDto {
    /// Agreed late-penalty rate: `12%`, `1%/month`, `3x legal`, `ecb+10`.
    #[schema(example = "3x legal")]
    pub penalty_rate: Option<String>,
    /// Recovery indemnity agreed above the statutory one, in the claim's currency.
    #[schema(example = "60")]
    pub indemnity: Option<String>,
    /// Agreed payment term: `60d`, `45d eom`.
    #[schema(example = "45d eom")]
    pub payment_terms: Option<String>,
    /// The contract makes the due date the formal notice (C. civ. 1344).
    pub due_date_is_notice: Option<bool>,
}

impl From<&ContractTerms> for TermsDto {
    fn from(t: &ContractTerms) -> Self {
        Self {
            penalty_rate: t.penalty_rate.map(|r| r.to_string()),
            indemnity: t.indemnity.map(|d| d.normalize().to_string()),
            payment_terms: t.payment_term.map(|p| p.to_string()),
            due_date_is_notice: t.due_date_is_notice,
        }
    }
}

impl TermsDto {
    /// Parses every field, naming the first bad one.
    pub fn parse(&self) -> Result<ContractTerms, WebError> {
        fn text(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        Ok(ContractTerms {
            penalty_rate: text(&self.penalty_rate)
                .map(PenaltyRate::parse)
                .transpose()
                .map_err(|e| WebError::field("penalty_rate", e))?,
            indemnity: text(&self.indemnity)
                .map(domain::law::contract::parse_indemnity)
                .transpose()
                .map_err(|e| WebError::field("indemnity", e))?,
            payment_term: text(&self.payment_terms)
                .map(PaymentTerm::parse)
                .transpose()
                .map_err(|e| WebError::field("payment_terms", e))?,
            due_date_is_notice: self.due_date_is_notice,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimTermsDto {
    /// The claim's own terms.
    pub own: TermsDto,
    /// The terms in force: its creditor's, overridden field by field by its own.
    pub effective: TermsDto,
}

/// `GET /api/v1/creditors/{id}/terms`: a creditor's terms of sale.
#[utoipa::path(get, path = "/api/v1/creditors/{id}/terms", tag = "terms",
    params(("id" = i64, Path, minimum = 1, description = "The creditor's id")),
    responses((status = 200, body = TermsDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_creditor_terms(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<TermsDto> {
    let id = id_path(&id)?;
    let mut tx = state.store.begin_read().await?;
    if !tx.creditors().await?.iter().any(|c| c.id.0 == id) {
        return Err(app::AppError::NotFound {
            what: "creditor",
            id: id.to_string(),
        }
        .into());
    }
    let terms = app::contract::creditor_terms(tx.as_mut(), CreditorId(id)).await?;
    Ok(Json(TermsDto::from(&terms)))
}

/// `PUT /api/v1/creditors/{id}/terms`: replaces a creditor's terms of sale (every field;
/// `null` says nothing); audited.
#[utoipa::path(put, path = "/api/v1/creditors/{id}/terms", tag = "terms",
    params(("id" = i64, Path, minimum = 1, description = "The creditor's id")),
    request_body = TermsDto,
    responses((status = 200, body = TermsDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_creditor_terms(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<TermsDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<TermsDto> {
    let id = id_path(&id)?;
    let terms = json_body(body)?.parse()?;
    let saved = app::audit::set_terms(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        TermsScope::Creditor,
        id,
        &terms,
    )
    .await?;
    Ok(Json(TermsDto::from(&saved)))
}

async fn claim_terms_dto(state: &AppState, id: ClaimId) -> Result<ClaimTermsDto, WebError> {
    let mut tx = state.store.begin_read().await?;
    let claim = tx.claim(id).await?.ok_or_else(|| app::AppError::NotFound {
        what: "claim",
        id: id.to_string(),
    })?;
    let own = app::contract::own_claim_terms(tx.as_mut(), id).await?;
    let effective = app::contract::claim_terms(tx.as_mut(), &claim).await?;
    Ok(ClaimTermsDto {
        own: TermsDto::from(&own),
        effective: TermsDto::from(&effective),
    })
}

/// `GET /api/v1/claims/{id}/terms`: a claim's own terms of sale and those in force.
#[utoipa::path(get, path = "/api/v1/claims/{id}/terms", tag = "terms",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    responses((status = 200, body = ClaimTermsDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_claim_terms(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<ClaimTermsDto> {
    let id = ClaimId(id_path(&id)?);
    Ok(Json(claim_terms_dto(&state, id).await?))
}

/// `PUT /api/v1/claims/{id}/terms`: replaces a claim's own terms of sale (every field;
/// `null` leaves it to the creditor's); audited.
#[utoipa::path(put, path = "/api/v1/claims/{id}/terms", tag = "terms",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    request_body = TermsDto,
    responses((status = 200, body = ClaimTermsDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_claim_terms(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<TermsDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<ClaimTermsDto> {
    let id = ClaimId(id_path(&id)?);
    let terms = json_body(body)?.parse()?;
    app::audit::set_terms(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        TermsScope::Claim,
        id.0,
        &terms,
    )
    .await?;
    Ok(Json(claim_terms_dto(&state, id).await?))
}

/// A formal notice and how it reached the debtor.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDto {
    /// `null` for a notice the run decided whose delivery nobody has recorded yet: address
    /// it through its `action_id`.
    pub id: Option<i64>,
    pub debtor_id: i64,
    pub action_id: Option<i64>,
    pub claim_ids: Vec<i64>,
    /// `run`, `hand` or `commissaire`.
    pub sent_by: String,
    #[schema(format = Date)]
    pub sent_on: String,
    pub tracking_number: Option<String>,
    #[schema(format = Date)]
    pub presented_on: Option<String>,
    #[schema(format = Date)]
    pub received_on: Option<String>,
    /// The day the post returned the letter, not collected or not delivered.
    #[schema(format = Date)]
    pub returned_on: Option<String>,
    pub proof: Option<String>,
    pub note: Option<String>,
}

impl From<&StoredNotice> for NoticeDto {
    fn from(n: &StoredNotice) -> Self {
        Self {
            id: (n.id > 0).then_some(n.id),
            debtor_id: n.debtor_id.0,
            action_id: n.action_id,
            claim_ids: n.claims.iter().map(|c| c.0).collect(),
            sent_by: n.sent_by.as_str().into(),
            sent_on: n.sent_on.to_string(),
            tracking_number: n.tracking_number.clone(),
            presented_on: n.presented_on.map(|d| d.to_string()),
            received_on: n.received_on.map(|d| d.to_string()),
            returned_on: n.returned_on.map(|d| d.to_string()),
            proof: n.proof.clone(),
            note: n.note.clone(),
        }
    }
}

/// `GET /api/v1/debtors/{id}/notices`: the debtor's formal notices, oldest first.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/notices", tag = "notices",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 200, body = Vec<NoticeDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_notices(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Vec<NoticeDto>> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    if tx.debtor(id).await?.is_none() {
        return Err(app::AppError::NotFound {
            what: "debtor",
            id: id.to_string(),
        }
        .into());
    }
    let list = app::contract::notices(tx.as_mut(), Some(id)).await?;
    Ok(Json(list.iter().map(NoticeDto::from).collect()))
}

/// An optional `YYYY-MM-DD` field of a request body; empty is absent.
pub(crate) fn date_field(field: &str, value: Option<&str>) -> Result<Option<Date>, WebError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<Date>()
                .map_err(|_| WebError::field(field, format!("{v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// The delivery facts of a notice; each field given replaces the stored one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryRequest {
    #[schema(format = Date)]
    pub sent_on: Option<String>,
    pub tracking_number: Option<String>,
    /// First presentation of the registered letter.
    #[schema(format = Date)]
    pub presented_on: Option<String>,
    /// The day the acknowledgment of receipt was signed.
    #[schema(format = Date)]
    pub received_on: Option<String>,
    /// The day the post returned the letter, not collected ("pli avisé et non réclamé")
    /// or not delivered.
    #[schema(format = Date)]
    pub returned_on: Option<String>,
    /// The proof kept: file name or document reference.
    pub proof: Option<String>,
    pub note: Option<String>,
}

impl DeliveryRequest {
    pub fn parse(&self) -> Result<DeliveryUpdate, WebError> {
        Ok(DeliveryUpdate {
            sent_on: date_field("sent_on", self.sent_on.as_deref())?,
            tracking_number: self.tracking_number.clone(),
            presented_on: date_field("presented_on", self.presented_on.as_deref())?,
            received_on: date_field("received_on", self.received_on.as_deref())?,
            returned_on: date_field("returned_on", self.returned_on.as_deref())?,
            proof: self.proof.clone(),
            note: self.note.clone(),
        })
    }
}

/// A formal notice sent outside the run.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeRequest {
    /// The claims demanded; every claim overdue on the sending day when empty.
    #[serde(default)]
    pub claim_ids: Vec<i64>,
    /// `hand` (registered letter sent by the creditor) or `commissaire` (served by a
    /// commissaire de justice).
    #[schema(pattern = "^(hand|commissaire)$")]
    pub sent_by: String,
    #[serde(flatten)]
    pub delivery: DeliveryRequest,
}

/// `POST /api/v1/debtors/{id}/notices`: records a formal notice sent by hand or served by
/// a commissaire de justice; audited.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/notices", tag = "notices",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = NoticeRequest,
    responses((status = 200, body = NoticeDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn record_notice(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<NoticeRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<NoticeDto> {
    let id = DebtorId(id_path(&id)?);
    let body = json_body(body)?;
    let sent_by = body
        .sent_by
        .parse::<NoticeSender>()
        .map_err(|e| WebError::field("sent_by", e))?;
    let input = NoticeInput {
        debtor: Some(id),
        claims: body.claim_ids.iter().map(|c| ClaimId(*c)).collect(),
        sent_by: Some(sent_by),
        facts: body.delivery.parse()?,
    };
    let n = app::audit::record_notice(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &input,
    )
    .await?;
    Ok(Json(NoticeDto::from(&n)))
}

async fn delivery(
    state: &AppState,
    ctx: &Ctx,
    reference: NoticeRef,
    body: DeliveryRequest,
) -> ApiResult<NoticeDto> {
    let update = body.parse()?;
    if update == DeliveryUpdate::default() {
        return Err(WebError::field(
            "body",
            "nothing to record: give tracking_number, presented_on, received_on, returned_on, proof, sent_on or note",
        ));
    }
    let n = app::audit::update_notice(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        reference,
        &update,
    )
    .await?;
    Ok(Json(NoticeDto::from(&n)))
}

/// `POST /api/v1/notices/{id}/delivery`: records a notice's delivery (tracking number,
/// first presentation, signed receipt, proof); audited.
#[utoipa::path(post, path = "/api/v1/notices/{id}/delivery", tag = "notices",
    params(("id" = i64, Path, minimum = 1, description = "The notice's id")),
    request_body = DeliveryRequest,
    responses((status = 200, body = NoticeDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn notice_delivery(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<DeliveryRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<NoticeDto> {
    let id = id_path(&id)?;
    delivery(&state, &ctx, NoticeRef::Id(id), json_body(body)?).await
}

/// `POST /api/v1/actions/{id}/delivery`: records the delivery of the formal notice an
/// action of the run is (stored as a notice on the way); audited.
#[utoipa::path(post, path = "/api/v1/actions/{id}/delivery", tag = "notices",
    params(("id" = i64, Path, minimum = 1, description = "The action's id")),
    request_body = DeliveryRequest,
    responses((status = 200, body = NoticeDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn action_notice_delivery(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<DeliveryRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<NoticeDto> {
    let id = id_path(&id)?;
    delivery(&state, &ctx, NoticeRef::Action(id), json_body(body)?).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackingParams {
    /// The file's name, for the messages and the audit log.
    name: Option<String>,
}

/// `POST /api/v1/imports/tracking`: applies the postal operator's tracking export (CSV:
/// `reference` or `notice` or `tracking_number`, `presented_on`, `received_on`) to the
/// formal notices, all lines or none; audited.
#[utoipa::path(post, path = "/api/v1/imports/tracking", tag = "notices", params(TrackingParams),
    request_body(content = String, content_type = "text/csv", description = "The tracking CSV"),
    responses((status = 200, body = Object, description = "The lines applied"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 413, description = "The file is too large"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_tracking(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<TrackingParams>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, WebError> {
    let name = p
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "tracking.csv".into());
    let lines = app::audit::import_tracking(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &name,
        &body,
    )
    .await?;
    Ok(Json(
        serde_json::json!({ "file_name": name, "lines": lines }),
    ))
}

/// A write-off ("passage en perte").
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteOffRequest {
    /// Why: kept in the ledger and the audit log.
    pub reason: String,
    /// How much, in the claim's currency; everything open when absent.
    #[schema(example = "120.00")]
    pub amount: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WriteOffDto {
    pub claim_id: i64,
    pub written_off: crate::api::MoneyDto,
}

/// `POST /api/v1/claims/{id}/write-off`: writes off what is open on a claim, or part of
/// it, with its reason; audited.
#[utoipa::path(post, path = "/api/v1/claims/{id}/write-off", tag = "claims",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    request_body = WriteOffRequest,
    responses((status = 200, body = WriteOffDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn write_off(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<WriteOffRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<WriteOffDto> {
    let id = ClaimId(id_path(&id)?);
    let body = json_body(body)?;
    let written = write_off_claim(&state, &ctx, id, body.amount.as_deref(), &body.reason).await?;
    Ok(Json(WriteOffDto {
        claim_id: id.0,
        written_off: written.into(),
    }))
}

/// What `POST /api/v1/claims/{id}/charges` posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedChargesDto {
    pub claim_id: i64,
    pub interest: crate::api::MoneyDto,
    pub indemnity: crate::api::MoneyDto,
}

/// `POST /api/v1/claims/{id}/charges`: claims the late interest computed to the day and
/// the recovery indemnity, less what the ledger already holds, by posting them to the
/// claim's ledger (audited); payments then settle them before the principal (C. civ.
/// 1343-1). Refused (422) when nothing is to post, or when the interest cannot be computed
/// or rests on a rate to confirm.
#[utoipa::path(post, path = "/api/v1/claims/{id}/charges", tag = "claims",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    responses((status = 200, body = PostedChargesDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_charges(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<PostedChargesDto> {
    let id = ClaimId(id_path(&id)?);
    let posted = app::audit::post_charges(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        &state.rates,
    )
    .await?;
    Ok(Json(PostedChargesDto {
        claim_id: id.0,
        interest: posted.interest.into(),
        indemnity: posted.indemnity.into(),
    }))
}

/// Writes off a claim (or `amount` of it, in its currency) for the API and the page.
pub(crate) async fn write_off_claim(
    state: &AppState,
    ctx: &Ctx,
    id: ClaimId,
    amount: Option<&str>,
    reason: &str,
) -> Result<domain::Money, WebError> {
    let mut tx = state.store.begin_read().await?;
    let claim = tx.claim(id).await?.ok_or_else(|| app::AppError::NotFound {
        what: "claim",
        id: id.to_string(),
    })?;
    drop(tx);
    let amount = amount
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            domain::Money::parse(a, claim.currency)
                .map_err(|e| WebError::field("amount", e.to_string()))
        })
        .transpose()?;
    Ok(app::audit::write_off(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        amount,
        reason,
    )
    .await?)
}
