//! The REST API of assigned and insured claims (`/api/v1`): factors and credit insurers, a
//! claim's or a debtor's assignment, and the payments to pass on to a factor. The same
//! audited use cases as `recouvre financing` (see `app::financing`).

use crate::AppState;
use crate::api::{MoneyDto, id_path, json_body};
use crate::auth::Ctx;
use crate::error::{Problem, WebError};
use app::financing::{AssignInput, AssignmentView, PartyInput, Target};
use app::store::{FinancingParty, PartyKind, PaymentFilter, PaymentStatus};
use axum::Json;
use axum::extract::{Path, State};
use domain::{ClaimId, DebtorId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_financing))
        .routes(routes!(add_factor))
        .routes(routes!(add_insurer))
        .routes(routes!(payments_to_pass_on))
        .routes(routes!(
            get_claim_financing,
            put_claim_financing,
            delete_claim_financing
        ))
        .routes(routes!(
            get_debtor_financing,
            put_debtor_financing,
            delete_debtor_financing
        ))
}

/// A factor or a credit insurer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyDto {
    pub id: i64,
    /// `factor` or `insurer`.
    pub kind: String,
    pub name: String,
    /// A factor's account (electronic form); `null` for an insurer.
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// An insurer's policy reference.
    pub policy: Option<String>,
    /// An insurer's deadline to declare a threatened loss, in days after the due date.
    pub declare_within_days: Option<i64>,
}

impl From<&FinancingParty> for PartyDto {
    fn from(p: &FinancingParty) -> Self {
        Self {
            id: p.id,
            kind: p.kind.as_str().into(),
            name: p.name.clone(),
            iban: p.iban.clone(),
            bic: p.bic.clone(),
            policy: p.policy.clone(),
            declare_within_days: p.declare_within_days,
        }
    }
}

/// A claim or a debtor assigned to a factor or covered by an insurer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDto {
    /// `claim` or `debtor` (all its claims).
    pub scope: String,
    /// The claim's or the debtor's id.
    pub owner_id: i64,
    /// `assigned` (to a factor) or `insured`.
    pub financing: String,
    pub party_id: i64,
    pub party_name: String,
    #[schema(format = Date)]
    pub since: String,
    /// Whether Recouvre still duns the claims (always for an insured claim).
    pub dun: bool,
}

impl From<&AssignmentView> for AssignmentDto {
    fn from(v: &AssignmentView) -> Self {
        Self {
            scope: v.assignment.scope.as_str().into(),
            owner_id: v.assignment.owner_id,
            financing: v.financing.as_str().into(),
            party_id: v.assignment.party_id,
            party_name: v.party_name.clone(),
            since: v.assignment.since.to_string(),
            dun: v.assignment.dun,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FinancingDto {
    pub parties: Vec<PartyDto>,
    pub assignments: Vec<AssignmentDto>,
}

/// `GET /api/v1/financing`: the factors and insurers, and every assignment.
#[utoipa::path(get, path = "/api/v1/financing", tag = "financing",
    responses((status = 200, body = FinancingDto), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_financing(State(state): State<AppState>) -> ApiResult<FinancingDto> {
    let mut tx = state.store.begin_read().await?;
    let listing = app::financing::list(tx.as_mut()).await?;
    Ok(Json(FinancingDto {
        parties: listing.parties.iter().map(PartyDto::from).collect(),
        assignments: listing
            .assignments
            .iter()
            .map(AssignmentDto::from)
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorRequest {
    #[schema(example = "Factofrance")]
    pub name: String,
    /// Where debtors must pay the assigned claims.
    #[schema(example = "FR7630006000011234567890189")]
    pub iban: String,
    pub bic: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InsurerRequest {
    #[schema(example = "Allianz Trade")]
    pub name: String,
    #[schema(example = "POL-42")]
    pub policy: String,
    /// Days after a claim's due date within which a threatened loss is declared.
    #[schema(minimum = 0, example = 60)]
    pub declare_within_days: i64,
}

async fn add_party(
    state: &AppState,
    ctx: &Ctx,
    kind: PartyKind,
    input: &PartyInput,
) -> ApiResult<PartyDto> {
    let party = app::audit::add_financing_party(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        kind,
        input,
    )
    .await?;
    Ok(Json(PartyDto::from(&party)))
}

/// `POST /api/v1/financing/factors`: records a factor ("affacturage"); audited.
#[utoipa::path(post, path = "/api/v1/financing/factors", tag = "financing",
    request_body = FactorRequest,
    responses((status = 200, body = PartyDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_factor(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<FactorRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<PartyDto> {
    let body = json_body(body)?;
    let input = PartyInput {
        name: body.name,
        iban: Some(body.iban),
        bic: body.bic,
        ..PartyInput::default()
    };
    add_party(&state, &ctx, PartyKind::Factor, &input).await
}

/// `POST /api/v1/financing/insurers`: records a credit insurer; audited.
#[utoipa::path(post, path = "/api/v1/financing/insurers", tag = "financing",
    request_body = InsurerRequest,
    responses((status = 200, body = PartyDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_insurer(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<InsurerRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<PartyDto> {
    let body = json_body(body)?;
    let input = PartyInput {
        name: body.name,
        policy: Some(body.policy),
        declare_within_days: Some(body.declare_within_days),
        ..PartyInput::default()
    };
    add_party(&state, &ctx, PartyKind::Insurer, &input).await
}

/// An assignment to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The factor's or insurer's id.
    pub party_id: i64,
    /// From when (default: today).
    #[schema(format = Date)]
    pub since: Option<String>,
    /// A factor's claims: `false` leaves them to the factor (the run stops dunning them).
    /// Default `true`; must be `true` for an insurer.
    pub dun: Option<bool>,
}

impl AssignRequest {
    fn input(&self, target: Target) -> Result<AssignInput, WebError> {
        let since = crate::api_contract::date_field("since", self.since.as_deref())?;
        Ok(AssignInput {
            target,
            party: self.party_id,
            since,
            dun: self.dun.unwrap_or(true),
        })
    }
}

async fn claim_target(state: &AppState, id: &str) -> Result<(ClaimId, DebtorId), WebError> {
    let id = ClaimId(id_path(id)?);
    let mut tx = state.store.begin_read().await?;
    let claim = tx.claim(id).await?.ok_or_else(|| app::AppError::NotFound {
        what: "claim",
        id: id.to_string(),
    })?;
    Ok((id, claim.debtor_id))
}

async fn claim_financing(
    state: &AppState,
    claim: ClaimId,
    debtor: DebtorId,
) -> Result<Option<AssignmentDto>, WebError> {
    let mut tx = state.store.begin_read().await?;
    Ok(app::financing::of_claim(tx.as_mut(), claim, debtor)
        .await?
        .as_ref()
        .map(AssignmentDto::from))
}

/// `GET /api/v1/claims/{id}/financing`: the assignment in force on a claim (its own, else
/// its debtor's); `null` for the creditor's own claim.
#[utoipa::path(get, path = "/api/v1/claims/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_claim_financing(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Option<AssignmentDto>> {
    let (claim, debtor) = claim_target(&state, &id).await?;
    Ok(Json(claim_financing(&state, claim, debtor).await?))
}

/// `PUT /api/v1/claims/{id}/financing`: assigns a claim to a factor or an insurer
/// (replacing its assignment); audited.
#[utoipa::path(put, path = "/api/v1/claims/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    request_body = AssignRequest,
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_claim_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<AssignRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Option<AssignmentDto>> {
    let (claim, debtor) = claim_target(&state, &id).await?;
    let input = json_body(body)?.input(Target::Claim(claim))?;
    app::audit::assign_financing(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &input,
    )
    .await?;
    Ok(Json(claim_financing(&state, claim, debtor).await?))
}

/// `DELETE /api/v1/claims/{id}/financing`: ends a claim's own assignment (its debtor's,
/// if any, then applies); audited.
#[utoipa::path(delete, path = "/api/v1/claims/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_claim_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<Option<AssignmentDto>> {
    let (claim, debtor) = claim_target(&state, &id).await?;
    app::audit::unassign_financing(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        Target::Claim(claim),
    )
    .await?;
    Ok(Json(claim_financing(&state, claim, debtor).await?))
}

async fn debtor_financing(
    state: &AppState,
    debtor: DebtorId,
) -> Result<Option<AssignmentDto>, WebError> {
    let mut tx = state.store.begin_read().await?;
    if tx.debtor(debtor).await?.is_none() {
        return Err(app::AppError::NotFound {
            what: "debtor",
            id: debtor.to_string(),
        }
        .into());
    }
    Ok(app::financing::of_debtor(tx.as_mut(), debtor)
        .await?
        .as_ref()
        .map(AssignmentDto::from))
}

/// `GET /api/v1/debtors/{id}/financing`: a debtor's assignment (of all its claims);
/// `null` when none.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_debtor_financing(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Option<AssignmentDto>> {
    let debtor = DebtorId(id_path(&id)?);
    Ok(Json(debtor_financing(&state, debtor).await?))
}

/// `PUT /api/v1/debtors/{id}/financing`: assigns all of a debtor's claims to a factor or
/// an insurer; audited.
#[utoipa::path(put, path = "/api/v1/debtors/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = AssignRequest,
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_debtor_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<AssignRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Option<AssignmentDto>> {
    let debtor = DebtorId(id_path(&id)?);
    let input = json_body(body)?.input(Target::Debtor(debtor))?;
    app::audit::assign_financing(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &input,
    )
    .await?;
    Ok(Json(debtor_financing(&state, debtor).await?))
}

/// `DELETE /api/v1/debtors/{id}/financing`: ends a debtor's assignment; audited.
#[utoipa::path(delete, path = "/api/v1/debtors/{id}/financing", tag = "financing",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 200, body = Option<AssignmentDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_debtor_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<Option<AssignmentDto>> {
    let debtor = DebtorId(id_path(&id)?);
    app::audit::unassign_financing(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        Target::Debtor(debtor),
    )
    .await?;
    Ok(Json(debtor_financing(&state, debtor).await?))
}

/// A payment received on a claim assigned to a factor: money to pass on.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassOnDto {
    pub payment_id: i64,
    #[schema(format = Date)]
    pub value_date: String,
    pub amount: MoneyDto,
    pub payer_name: Option<String>,
    pub debtor_id: Option<i64>,
    /// The factor to pass it on to.
    pub pass_on_to: String,
}

/// `GET /api/v1/financing/pass-on`: the applied payments received on claims assigned to a
/// factor, newest first.
#[utoipa::path(get, path = "/api/v1/financing/pass-on", tag = "financing",
    responses((status = 200, body = Vec<PassOnDto>), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn payments_to_pass_on(State(state): State<AppState>) -> ApiResult<Vec<PassOnDto>> {
    let mut tx = state.store.begin_read().await?;
    let payments = tx
        .payments(&PaymentFilter {
            statuses: vec![PaymentStatus::Applied],
            limit: None,
        })
        .await?;
    let flagged = app::financing::pass_on(tx.as_mut(), &payments).await?;
    Ok(Json(
        payments
            .iter()
            .filter_map(|p| {
                Some(PassOnDto {
                    payment_id: p.id,
                    value_date: p.value_date.to_string(),
                    amount: p.amount.into(),
                    payer_name: p.payer_name.clone(),
                    debtor_id: p.debtor_id.map(|d| d.0),
                    pass_on_to: flagged.get(&p.id)?.clone(),
                })
            })
            .collect(),
    ))
}

/// The factor a payment is to be passed on to, if any (the payment DTOs' `pass_on_to`).
pub async fn pass_on_to(state: &AppState, payment: i64) -> Result<Option<String>, WebError> {
    let mut tx = state.store.begin_read().await?;
    let Some(p) = tx.payment(payment).await? else {
        return Ok(None);
    };
    Ok(
        app::financing::pass_on(tx.as_mut(), std::slice::from_ref(&p))
            .await?
            .remove(&payment),
    )
}
