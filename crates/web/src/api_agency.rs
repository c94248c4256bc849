//! The REST API of agency mode (issue 19): mandates, placements, withdrawals, remittance
//! statements and their pain.001 transfers (agency staff), and the client's report (a
//! `client` sees its own creditor's only). The same audited use cases as `recouvre
//! mandate|placement|remittance|client` (see `app::agency`); the mandate's fields read as
//! the page's form does.

use crate::AppState;
use crate::api::{MoneyDto, Params, id_path, json_body};
use crate::auth::Ctx;
use crate::error::{Problem, WebError};
use app::agency;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mandates, add_mandate))
        .routes(routes!(end_mandate))
        .routes(routes!(list_placements, place))
        .routes(routes!(withdraw))
        .routes(routes!(list_remittances, remit))
        .routes(routes!(get_remittance))
        .routes(routes!(get_transfer))
        .routes(routes!(client_report))
        .routes(routes!(put_identity))
        .routes(routes!(get_receipt))
}

/// A mandate.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateDto {
    pub id: i64,
    pub reference: String,
    /// The client creditor's code.
    pub creditor: String,
    pub creditor_name: String,
    pub signed_on: String,
    pub ends_on: Option<String>,
    pub currency: String,
    /// As it reads: `15%`, `amount:1000.00=15,*=8`, `age:90=10,*=25`.
    pub commission: String,
    pub minimum: Option<MoneyDto>,
    pub file_fee: Option<MoneyDto>,
    pub success_fee: Option<MoneyDto>,
    /// Percent.
    pub vat_rate: String,
    pub remit_months: i8,
    pub insurance: String,
    pub scope: String,
    pub payee_name: String,
    pub payee_iban: String,
}

fn mandate_dto(m: &agency::Mandate) -> MandateDto {
    let f = &m.terms.fees;
    MandateDto {
        id: m.id,
        reference: m.reference.clone(),
        creditor: m.creditor_code.clone(),
        creditor_name: m.creditor_name.clone(),
        signed_on: m.signed_on.to_string(),
        ends_on: m.ends_on.map(|d| d.to_string()),
        currency: m.currency.code().to_string(),
        commission: m.commission.clone(),
        minimum: f.minimum.map(MoneyDto::from),
        file_fee: f.file_fee.map(MoneyDto::from),
        success_fee: f.success_fee.map(MoneyDto::from),
        vat_rate: f.vat_rate.normalize().to_string(),
        remit_months: m.terms.remit_months,
        insurance: m.terms.insurance.clone(),
        scope: m.terms.scope.clone(),
        payee_name: m.terms.payee_name.clone(),
        payee_iban: m.terms.payee_iban.clone(),
    }
}

/// A new mandate: the fields of the page's form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MandateRequest {
    /// The client creditor's code.
    pub creditor: String,
    pub reference: String,
    /// YYYY-MM-DD.
    pub signed: String,
    pub ends: Option<String>,
    /// `15`, `amount:1000=15,5000=12,*=8` or `age:90=10,365=15,*=25`.
    pub commission: String,
    pub minimum: Option<String>,
    pub file_fee: Option<String>,
    pub success_fee: Option<String>,
    /// Percent (20 by default).
    pub vat: Option<String>,
    pub remit_months: Option<i8>,
    /// The agency's liability insurance: insurer and policy (R124-3 2°).
    pub insurance: String,
    pub scope: Option<String>,
    /// The account holder (default: the creditor's name).
    pub payee: Option<String>,
    pub iban: String,
    pub bic: Option<String>,
    /// Default EUR.
    pub currency: Option<String>,
}

/// `GET /api/v1/mandates`: every mandate.
#[utoipa::path(get, path = "/api/v1/mandates", tag = "agency",
    responses((status = 200, body = Vec<MandateDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_mandates(State(state): State<AppState>) -> ApiResult<Vec<MandateDto>> {
    let mut tx = state.store.begin_read().await?;
    let list = agency::mandates(tx.as_mut(), None).await?;
    Ok(Json(list.iter().map(mandate_dto).collect()))
}

/// `POST /api/v1/mandates`: records a mandate (managers).
#[utoipa::path(post, path = "/api/v1/mandates", tag = "agency", request_body = MandateRequest,
    responses((status = 200, body = MandateDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_mandate(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<MandateRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<MandateDto> {
    let b = json_body(body)?;
    let mut form = crate::ui_cases::Fields::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            form.insert(k.to_string(), v);
        }
    };
    put("creditor", Some(b.creditor));
    put("reference", Some(b.reference));
    put("signed", Some(b.signed));
    put("ends", b.ends);
    put("commission", Some(b.commission));
    put("minimum", b.minimum);
    put("file_fee", b.file_fee);
    put("success_fee", b.success_fee);
    put("vat", b.vat);
    put("remit_months", b.remit_months.map(|m| m.to_string()));
    put("insurance", Some(b.insurance));
    put("scope", b.scope);
    put("payee", b.payee);
    put("iban", Some(b.iban));
    put("bic", b.bic);
    put("currency", b.currency);
    let mut new = crate::ui_agency::mandate_from_fields(&form)?;
    if new.terms.payee_name.trim().is_empty() {
        let mut tx = state.store.begin_read().await?;
        new.terms.payee_name = agency::creditor_named(tx.as_mut(), &new.creditor)
            .await?
            .name;
    }
    let m = agency::add_mandate(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        new,
    )
    .await?;
    Ok(Json(mandate_dto(&m)))
}

/// A mandate to end.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EndMandateRequest {
    pub reference: String,
}

/// `POST /api/v1/mandates/end`: ends a mandate today, its last day in force (managers).
#[utoipa::path(post, path = "/api/v1/mandates/end", tag = "agency", request_body = EndMandateRequest,
    responses((status = 200, body = MandateDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn end_mandate(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<EndMandateRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<MandateDto> {
    let b = json_body(body)?;
    let m = agency::end_mandate(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &b.reference,
        state.clock.today(),
    )
    .await?;
    Ok(Json(mandate_dto(&m)))
}

/// A claim placed with the agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementDto {
    pub id: i64,
    pub mandate_id: i64,
    pub claim_id: i64,
    pub placed_on: String,
    /// The principal open when placed, in minor units.
    pub principal_minor: i64,
    /// placed, withdrawn or closed.
    pub state: String,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
}

/// Claims to place under a mandate, on the server's business day.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaceRequest {
    pub mandate: String,
    /// The claims' numbers or external ids.
    pub claims: Vec<String>,
}

/// What a placement did.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacedDto {
    pub mandate: String,
    pub placed_on: String,
    pub claims: Vec<PlacedClaimDto>,
    /// The agency's first letters (CPCE R124-4) queued, one per debtor not yet written to.
    pub first_letters: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlacedClaimDto {
    pub number: String,
    pub principal: MoneyDto,
}

/// `GET /api/v1/placements?creditor=`: the files placed (of one client).
#[utoipa::path(get, path = "/api/v1/placements", tag = "agency",
    params(("creditor" = Option<String>, Query, description = "A client creditor's code")),
    responses((status = 200, body = Vec<PlacementDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_placements(
    State(state): State<AppState>,
    mut p: Params,
) -> ApiResult<Vec<PlacementDto>> {
    let creditor = p.get::<String>("creditor");
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let only = agency::creditor_filter(tx.as_mut(), creditor.as_deref()).await?;
    let list = tx
        .placements(&app::store::PlacementFilter {
            creditor: only,
            ..Default::default()
        })
        .await?;
    Ok(Json(
        list.iter()
            .map(|p| PlacementDto {
                id: p.id,
                mandate_id: p.mandate_id,
                claim_id: p.claim_id.0,
                placed_on: p.placed_on.to_string(),
                principal_minor: p.principal_minor,
                state: p.state.as_str().into(),
                ended_on: p.ended_on.map(|d| d.to_string()),
                end_reason: p.end_reason.clone(),
            })
            .collect(),
    ))
}

/// `POST /api/v1/placements`: places claims under a mandate in force today (all or
/// nothing; managers).
#[utoipa::path(post, path = "/api/v1/placements", tag = "agency", request_body = PlaceRequest,
    responses((status = 200, body = PlacedDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn place(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<PlaceRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<PlacedDto> {
    let b = json_body(body)?;
    let placed = agency::place(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &b.mandate,
        &b.claims,
        state.clock.today(),
    )
    .await?;
    Ok(Json(PlacedDto {
        mandate: placed.mandate,
        placed_on: placed.placed_on.to_string(),
        first_letters: placed.first_letters,
        claims: placed
            .claims
            .into_iter()
            .map(|(number, principal)| PlacedClaimDto {
                number,
                principal: principal.into(),
            })
            .collect(),
    }))
}

/// A file the client takes back.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// The claim's number.
    pub claim: String,
    pub reason: Option<String>,
}

/// The closing report of a withdrawn file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosingReportDto {
    pub claim: String,
    pub debtor: String,
    pub placed_on: String,
    pub ended_on: String,
    pub reason: String,
    pub principal_placed: MoneyDto,
    pub collected: MoneyDto,
    pub open: MoneyDto,
    pub actions: usize,
}

/// `POST /api/v1/placements/withdraw`: a client takes a file back today (managers).
#[utoipa::path(post, path = "/api/v1/placements/withdraw", tag = "agency", request_body = WithdrawRequest,
    responses((status = 200, body = ClosingReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<WithdrawRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<ClosingReportDto> {
    let b = json_body(body)?;
    let r = agency::withdraw(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &b.claim,
        state.clock.today(),
        b.reason.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(Json(ClosingReportDto {
        claim: r.claim,
        debtor: r.debtor,
        placed_on: r.placed_on.to_string(),
        ended_on: r.ended_on.to_string(),
        reason: r.reason,
        principal_placed: r.principal_placed.into(),
        collected: r.collected.into(),
        open: r.open.into(),
        actions: r.actions,
    }))
}

/// A remittance statement's line.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLineDto {
    pub claim_id: i64,
    pub date: String,
    pub amount: MoneyDto,
    /// Percent.
    pub rate: String,
    pub commission: MoneyDto,
    pub success_fee: Option<MoneyDto>,
}

/// A remittance statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemittanceDto {
    pub id: i64,
    pub mandate: String,
    pub creditor_name: String,
    pub period_start: String,
    pub period_end: String,
    pub issued_on: String,
    pub due_by: Option<String>,
    pub collected: MoneyDto,
    pub commission: MoneyDto,
    pub file_fees: MoneyDto,
    pub success_fees: MoneyDto,
    pub fees_net: MoneyDto,
    pub vat: MoneyDto,
    pub fees_gross: MoneyDto,
    pub to_remit: MoneyDto,
    pub client_owes: MoneyDto,
    /// The pain.001 message id, when something was remitted.
    pub message_id: Option<String>,
    pub lines: Vec<StatementLineDto>,
}

fn remittance_dto(r: &agency::Remittance) -> RemittanceDto {
    let s = &r.statement;
    RemittanceDto {
        id: r.id,
        mandate: r.mandate.clone(),
        creditor_name: r.creditor_name.clone(),
        period_start: r.period_start.to_string(),
        period_end: r.period_end.to_string(),
        issued_on: r.issued_on.to_string(),
        due_by: r.due_by.map(|d| d.to_string()),
        collected: s.collected.into(),
        commission: s.commission.into(),
        file_fees: s.file_fees.into(),
        success_fees: s.success_fees.into(),
        fees_net: s.fees_net.into(),
        vat: s.vat.into(),
        fees_gross: s.fees_gross.into(),
        to_remit: s.to_remit.into(),
        client_owes: s.client_owes.into(),
        message_id: r.message_id.clone(),
        lines: s
            .lines
            .iter()
            .map(|l| StatementLineDto {
                claim_id: l.claim.0,
                date: l.date.to_string(),
                amount: l.amount.into(),
                rate: l.rate.normalize().to_string(),
                commission: l.commission.into(),
                success_fee: l.success_fee.map(MoneyDto::from),
            })
            .collect(),
    }
}

/// `GET /api/v1/remittances`: every remittance statement, newest period first.
#[utoipa::path(get, path = "/api/v1/remittances", tag = "agency",
    responses((status = 200, body = Vec<RemittanceDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_remittances(State(state): State<AppState>) -> ApiResult<Vec<RemittanceDto>> {
    let mut tx = state.store.begin_read().await?;
    let list = agency::remittances(tx.as_mut(), None, None).await?;
    Ok(Json(list.iter().map(remittance_dto).collect()))
}

/// A month to remit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RemitRequest {
    /// YYYY-MM.
    pub period: String,
    /// Only this client (its code).
    pub creditor: Option<String>,
}

/// What a remittance run did for one mandate.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemitOutcomeDto {
    pub mandate: String,
    pub creditor: String,
    pub id: Option<i64>,
    pub collected: MoneyDto,
    pub fees_gross: MoneyDto,
    pub to_remit: MoneyDto,
    pub client_owes: MoneyDto,
    pub already_issued: bool,
}

/// `POST /api/v1/remittances`: issues a month's remittance statements (managers); a month
/// already issued is reported and left alone.
#[utoipa::path(post, path = "/api/v1/remittances", tag = "agency", request_body = RemitRequest,
    responses((status = 200, body = Vec<RemitOutcomeDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn remit(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<RemitRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Vec<RemitOutcomeDto>> {
    let b = json_body(body)?;
    let (start, end) = agency::month(&b.period)?;
    let out = agency::remit(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        start,
        end,
        state.clock.today(),
        b.creditor.as_deref(),
    )
    .await?;
    Ok(Json(
        out.into_iter()
            .map(|o| RemitOutcomeDto {
                mandate: o.mandate,
                creditor: o.creditor,
                id: o.id,
                collected: o.collected.into(),
                fees_gross: o.fees_gross.into(),
                to_remit: o.to_remit.into(),
                client_owes: o.client_owes.into(),
                already_issued: o.already_issued,
            })
            .collect(),
    ))
}

/// `GET /api/v1/remittances/{id}`: one statement with its lines.
#[utoipa::path(get, path = "/api/v1/remittances/{id}", tag = "agency",
    params(("id" = i64, Path, minimum = 1, description = "The statement's id")),
    responses((status = 200, body = RemittanceDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_remittance(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<RemittanceDto> {
    let id = id_path(&id)?;
    let mut tx = state.store.begin_read().await?;
    let r = agency::remittance(tx.as_mut(), id, None).await?;
    Ok(Json(remittance_dto(&r)))
}

/// `GET /api/v1/remittances/{id}/transfer`: the SEPA credit transfer (pain.001.001.03)
/// paying the statement.
#[utoipa::path(get, path = "/api/v1/remittances/{id}/transfer", tag = "agency",
    params(("id" = i64, Path, minimum = 1, description = "The statement's id")),
    responses((status = 200, body = String, content_type = "application/xml"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_transfer(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_path(&id)?;
    let mut tx = state.store.begin_read().await?;
    let xml = agency::transfer_xml(tx.as_mut(), id, None).await?;
    Ok(([(header::CONTENT_TYPE, "application/xml")], xml).into_response())
}

/// One file of a client's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientFileDto {
    pub claim_id: i64,
    pub number: String,
    pub debtor: String,
    pub placed_on: String,
    pub state: String,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    pub principal_placed: MoneyDto,
    pub collected: MoneyDto,
    pub open: MoneyDto,
    /// Messages and tasks issued on the file while it was placed.
    pub actions: usize,
}

/// A client's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientReportDto {
    pub creditor_name: String,
    pub from: String,
    pub to: String,
    pub placed: MoneyDto,
    pub recovered: MoneyDto,
    /// Percent, one decimal.
    pub recovery_rate: Option<String>,
    pub closed: usize,
    pub remitted: MoneyDto,
    pub files: Vec<ClientFileDto>,
    pub remittances: Vec<RemittanceDto>,
}

/// `GET /api/v1/client/report?from=&to=&creditor=`: a client's files, recovery and
/// statements. A `client` gets its own creditor's, whatever it asks; staff name the client
/// by its code.
#[utoipa::path(get, path = "/api/v1/client/report", tag = "agency",
    params(("from" = Option<String>, Query, description = "YYYY-MM-DD; default: 1 January of `to`'s year"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD; default: today"),
        ("creditor" = Option<String>, Query, description = "Staff: the client creditor's code")),
    responses((status = 200, body = ClientReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn client_report(
    State(state): State<AppState>,
    ctx: Ctx,
    mut p: Params,
) -> ApiResult<ClientReportDto> {
    let today = state.clock.today();
    let to = p.get::<domain::Date>("to").unwrap_or(today);
    let from = p.get::<domain::Date>("from").unwrap_or(to.first_of_year());
    let requested = p.get::<String>("creditor");
    p.finish()?;
    let creditor = crate::ui_agency::client_scope(&state, &ctx, requested.as_deref()).await?;
    let mut tx = state.store.begin_read().await?;
    let r = agency::client_report(tx.as_mut(), creditor, from, to).await?;
    Ok(Json(ClientReportDto {
        creditor_name: r.creditor_name.clone(),
        from: r.from.to_string(),
        to: r.to.to_string(),
        placed: r.placed.into(),
        recovered: r.recovered.into(),
        recovery_rate: r.recovery_rate.clone(),
        closed: r.closed,
        remitted: r.remitted.into(),
        files: r
            .files
            .iter()
            .map(|f| ClientFileDto {
                claim_id: f.claim.0,
                number: f.number.clone(),
                debtor: f.debtor.clone(),
                placed_on: f.placed_on.to_string(),
                state: f.state.as_str().into(),
                ended_on: f.ended_on.map(|d| d.to_string()),
                end_reason: f.end_reason.clone(),
                principal_placed: f.principal_placed.into(),
                collected: f.collected.into(),
                open: f.open.into(),
                actions: f.actions,
            })
            .collect(),
        remittances: r.remittances.iter().map(remittance_dto).collect(),
    }))
}

/// A client's identity on letters and messages about its claims; what is absent stays.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct IdentityDto {
    pub name: Option<String>,
    /// Lines separated by new lines or ", ".
    pub address: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// SIREN or RCS, as it should read.
    pub company_id: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// `PUT /api/v1/clients/{id}/identity`: sets a client's identity (administrators); `id` is
/// the creditor's code or id. Returns the identity as now set.
#[utoipa::path(put, path = "/api/v1/clients/{id}/identity", tag = "agency", request_body = IdentityDto,
    params(("id" = String, Path, description = "The client creditor's code or id")),
    responses((status = 200, body = IdentityDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_identity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<IdentityDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<IdentityDto> {
    let b = json_body(body)?;
    let identity = agency::ClientIdentity {
        name: b.name,
        address: b.address,
        city: b.city,
        email: b.email,
        phone: b.phone,
        company_id: b.company_id,
        iban: b.iban,
        bic: b.bic,
    };
    agency::set_client_identity(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &id,
        &identity,
    )
    .await?;
    let mut tx = state.store.begin_read().await?;
    let code = agency::creditor_named(tx.as_mut(), &id).await?.code;
    let now = agency::client_identity(tx.as_mut(), &code).await?;
    Ok(Json(IdentityDto {
        name: now.name,
        address: now.address,
        city: now.city,
        email: now.email,
        phone: now.phone,
        company_id: now.company_id,
        iban: now.iban,
        bic: now.bic,
    }))
}

/// `GET /api/v1/claims/{id}/receipt?seq=`: the receipt ("quittance", R124-6) of a payment
/// on a placed file (by default its latest), as a PDF in the debtor's language.
#[utoipa::path(get, path = "/api/v1/claims/{id}/receipt", tag = "agency",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id"),
        ("seq" = Option<u32>, Query, description = "The payment's position in the claim's ledger")),
    responses((status = 200, body = Vec<u8>, content_type = "application/pdf"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_receipt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    mut p: Params,
) -> Result<Response, WebError> {
    let id = domain::ClaimId(id_path(&id)?);
    let seq = p.get::<u32>("seq");
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let r = agency::receipt(tx.as_mut(), id, seq).await?;
    drop(tx);
    let pdf = comms::receipt::pdf(&r).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
}
