//! The REST API, `/api/v1`: JSON over the same use cases as the CLI and the interface.
//! Every handler carries its `#[utoipa::path]` description and is registered through
//! `utoipa_axum::routes!`, so the OpenAPI document at `/api/openapi.json` is built from the
//! handlers themselves and cannot drift from them.
//!
//! Lists take `page` (from 1) and `per_page` (1 to 500) and answer `{items, page, per_page,
//! total}`. Errors are `application/problem+json` (see [`crate::error`]); a bad parameter
//! names the field at fault. Clients authenticate with `Authorization: Bearer <token>`
//! (`recouvre user token`) or the session cookie of the interface; changes through the
//! cookie also need the `X-CSRF-Token` header.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::{FieldError, Problem, WebError};
use app::lists::{self, DebtorQuery, DebtorSort, TimelineEvent};
use app::queries::{self, ClaimFilter, ClaimLine, DebtorLine};
use app::store::{ActionFilter, ActionStatus, AuditEntry, StoredAction, StoredCase};
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use domain::aging::Buckets;
use domain::{ClaimId, Currency, Date, DebtorId, Money, Segment};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Recouvre API",
        description = "Accounts-receivable collection: debtors, claims, cases, dunning actions, worklist. Errors are RFC 9457 problem documents."
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "portfolio", description = "Summary and aged balance"),
        (name = "debtors"), (name = "claims"), (name = "cases"), (name = "actions"),
        (name = "outbox", description = "Messages queued, sent and failed; retries"),
        (name = "agreements", description = "Promises, payment plans, consents, disputes, calls"),
        (name = "law", description = "Limitation deadlines and events, legal routes"),
        (name = "scenarios", description = "The dunning scenarios and their editor"),
        (name = "messages", description = "Templates of e-mails, SMS and letters; letter PDFs"),
        (name = "reports", description = "Aged balance, KPIs, effectiveness of reminders, cash forecast"),
        (name = "terms", description = "Terms of sale of creditors and claims: agreed penalty rate, indemnity, payment term, due date as notice"),
        (name = "notices", description = "Formal notices (mises en demeure) and their delivery"),
        (name = "financing", description = "Assigned and insured claims: factors, credit insurers, assignments, payments to pass on"),
        (name = "legal", description = "The judicial phase: legal files, their stages, deadlines, costs, payments, exhibits, court documents and report"),
        (name = "gdpr", description = "Personal data: a debtor's export, retention settings and their legal basis, erasure by pseudonymisation"),
        (name = "admin", description = "Audit log, users and API tokens (administrators)")
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// The API routes and their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(summary))
        .routes(routes!(list_debtors))
        .routes(routes!(get_debtor))
        .routes(routes!(debtor_timeline))
        .routes(routes!(list_claims))
        .routes(routes!(get_claim))
        .routes(routes!(list_cases))
        .routes(routes!(get_case))
        .routes(routes!(hold_case))
        .routes(routes!(add_promise))
        .routes(routes!(open_dispute))
        .routes(routes!(debtor_agreements))
        .routes(routes!(payments_review))
        .routes(routes!(apply_payment))
        .routes(routes!(ignore_payment))
        .routes(routes!(list_actions))
        .routes(routes!(approve_action))
        .routes(routes!(skip_action))
        .routes(routes!(worklist))
        .routes(routes!(scenarios, put_scenarios))
        .routes(routes!(scenario_files))
        .routes(routes!(reset_scenarios))
        .routes(routes!(preview_scenarios))
        .routes(routes!(propose_plan))
        .routes(routes!(create_plan))
        .routes(routes!(record_consent))
        .routes(routes!(resolve_dispute))
        .routes(routes!(log_call))
        .routes(routes!(debtor_limitation))
        .routes(routes!(debtor_routes))
        .routes(routes!(add_debtor_limitation_event))
        .routes(routes!(add_claim_limitation_event))
        .routes(routes!(assign_case))
        .routes(routes!(get_company, put_company))
        .routes(routes!(import_claims))
        .routes(routes!(import_statement))
        .routes(routes!(list_templates))
        .routes(routes!(preview_template))
        .routes(routes!(debtor_letter))
        .routes(routes!(audit))
        .routes(routes!(list_outbox))
        .routes(routes!(retry_outbox))
        .routes(routes!(get_smtp, put_smtp))
        .routes(routes!(get_sms, put_sms))
        .routes(routes!(report_aging))
        .routes(routes!(report_kpis))
        .routes(routes!(report_effectiveness))
        .routes(routes!(report_forecast))
        .routes(routes!(report_payment_terms))
        .merge(crate::api_contract::router())
        .merge(crate::api_financing::router())
        .merge(crate::api_gdpr::router())
        .merge(crate::api_judicial::router())
        .merge(crate::api_agency::router())
        .merge(crate::api_users::router())
}

// -- parameters

/// Query parameters, parsed field by field so that every bad one is reported by name.
#[derive(Debug)]
pub struct Params {
    map: HashMap<String, String>,
    errors: Vec<FieldError>,
    /// The API's parameters: an empty value is parsed like any other (and refused where
    /// the type wants more, as the OpenAPI document says). Forms of the pages send their
    /// empty fields, which mean "not given".
    strict: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let Query(map) =
            Query::<HashMap<String, String>>::try_from_uri(&parts.uri).map_err(|e| {
                WebError::BadRequest {
                    detail: format!("the query string cannot be read: {e}"),
                    fields: Vec::new(),
                }
            })?;
        Ok(Params {
            map,
            errors: Vec::new(),
            strict: parts.uri.path().starts_with("/api/"),
        })
    }
}

impl Params {
    pub fn get<T: FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: Display,
    {
        let raw = self.map.get(name)?.trim();
        if raw.is_empty() && !self.strict {
            return None;
        }
        match raw.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError {
                    field: name.to_string(),
                    message: format!("{raw:?}: {e}"),
                });
                None
            }
        }
    }

    pub fn flag(&mut self, name: &str) -> bool {
        self.get::<bool>(name).unwrap_or(false)
    }

    /// `page` (≥ 1, default 1) and `per_page` (1 to `max`, default `default`).
    pub fn paging(&mut self, default: usize, max: usize) -> (usize, usize) {
        let page = self.get::<usize>("page").unwrap_or(1);
        let per_page = self.get::<usize>("per_page").unwrap_or(default);
        if page == 0 {
            self.errors.push(FieldError {
                field: "page".into(),
                message: "pages count from 1".into(),
            });
        }
        if per_page == 0 || per_page > max {
            self.errors.push(FieldError {
                field: "per_page".into(),
                message: format!("between 1 and {max}"),
            });
        }
        (page.max(1), per_page.clamp(1, max))
    }

    /// Fails with every wrong field read so far (and forgets them), keeping the
    /// parameters for later reads.
    pub fn check(&mut self) -> Result<(), WebError> {
        Params {
            map: HashMap::new(),
            errors: std::mem::take(&mut self.errors),
            strict: self.strict,
        }
        .finish()
    }

    /// The raw parameters.
    pub fn map_ref(&self) -> &HashMap<String, String> {
        &self.map
    }

    /// Fails with every wrong field at once.
    pub fn finish(self) -> Result<(), WebError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(WebError::BadRequest {
                detail: self
                    .errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                fields: self.errors,
            })
        }
    }
}

// -- shapes

/// An exact amount: `amount` is a decimal string, never a float.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyDto {
    #[schema(example = "1234.50")]
    pub amount: String,
    #[schema(example = "EUR")]
    pub currency: String,
    /// The amount in minor units (cents).
    pub minor: i64,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        Self {
            amount: m.amount_string(),
            currency: m.currency().code().to_string(),
            minor: m.minor(),
        }
    }
}

fn monies(list: &[Money]) -> Vec<MoneyDto> {
    list.iter().copied().map(MoneyDto::from).collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DebtorDto {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub country: String,
    /// `b2b` or `b2c`.
    pub segment: String,
    /// How many claims the debtor has (all statuses).
    pub claim_count: u32,
    pub open_claims: u32,
    pub overdue_claims: u32,
    pub open: Vec<MoneyDto>,
    pub overdue: Vec<MoneyDto>,
    pub oldest_days_late: i32,
}

impl From<&DebtorLine> for DebtorDto {
    fn from(l: &DebtorLine) -> Self {
        Self {
            id: l.id.0,
            external_id: l.external_id.clone(),
            name: l.name.clone(),
            country: l.country.clone(),
            segment: l.segment.to_string(),
            claim_count: l.claims,
            open_claims: l.open_claims,
            overdue_claims: l.overdue_claims,
            open: monies(&l.open),
            overdue: monies(&l.overdue),
            oldest_days_late: l.oldest_days_late,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimDto {
    pub id: i64,
    pub number: String,
    pub debtor_id: i64,
    pub debtor_name: String,
    #[schema(format = Date)]
    pub issue_date: String,
    #[schema(format = Date)]
    pub due_date: String,
    pub open: MoneyDto,
    /// `not_due`, `overdue`, `settled`, `written_off` or `credit`.
    pub status: String,
    /// Days past due when overdue.
    pub days_late: Option<i32>,
}

pub fn status_parts(s: domain::ClaimStatus) -> (&'static str, Option<i32>) {
    use domain::ClaimStatus as S;
    match s {
        S::NotDue => ("not_due", None),
        S::Overdue { days } => ("overdue", Some(days)),
        S::Settled => ("settled", None),
        S::WrittenOff => ("written_off", None),
        S::Credit => ("credit", None),
    }
}

impl From<&ClaimLine> for ClaimDto {
    fn from(c: &ClaimLine) -> Self {
        let (status, days_late) = status_parts(c.status);
        Self {
            id: c.id.0,
            number: c.number.clone(),
            debtor_id: c.debtor_id.0,
            debtor_name: c.debtor_name.clone(),
            issue_date: c.issue_date.to_string(),
            due_date: c.due_date.to_string(),
            open: c.open.into(),
            status: status.into(),
            days_late,
        }
    }
}

macro_rules! page_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub page: usize,
            pub per_page: usize,
            pub total: usize,
        }

        impl $name {
            fn of<T>(p: lists::Page<T>, map: impl Fn(&T) -> $item) -> Self {
                Self {
                    items: p.items.iter().map(map).collect(),
                    page: p.page,
                    per_page: p.per_page,
                    total: p.total,
                }
            }
        }
    };
}

page_type!(DebtorPage, DebtorDto);
page_type!(ClaimPage, ClaimDto);
page_type!(CasePage, CaseDto);
page_type!(ActionPage, ActionDto);

#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    pub login: String,
    pub display_name: String,
    /// `viewer`, `collector`, `manager` or `admin`.
    pub role: String,
    pub language: String,
}

/// `GET /api/v1/me`: who the token or session belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "admin",
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 200, body = MeDto), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn me(ctx: Ctx) -> ApiResult<MeDto> {
    let u = ctx.user()?;
    Ok(Json(MeDto {
        login: u.login.clone(),
        display_name: u.display_name.clone(),
        role: u.role.to_string(),
        language: u.language.clone(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BucketDto {
    /// `not due`, `1-30`, …, `> 180` (days past due).
    pub label: String,
    pub claims: u64,
    pub amounts: Vec<MoneyDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryDto {
    #[schema(format = Date)]
    pub as_of: String,
    pub debtors: i64,
    pub claims: i64,
    pub open: Vec<MoneyDto>,
    pub overdue: Vec<MoneyDto>,
    pub aged_balance: Vec<BucketDto>,
    pub top_overdue: Vec<DebtorDto>,
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters that `summary` parses
struct SummaryParams {
    /// Upper bounds of the overdue buckets in days, e.g. `30,60,90,180` (the default).
    buckets: Option<String>,
    /// How many of the largest overdue debtors to list (default 10, at most 100).
    #[param(maximum = 100)]
    top: Option<usize>,
}

/// `GET /api/v1/summary`: totals, the aged balance, the largest overdue debtors.
#[utoipa::path(get, path = "/api/v1/summary", tag = "portfolio", params(SummaryParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = SummaryDto), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn summary(State(state): State<AppState>, mut p: Params) -> ApiResult<SummaryDto> {
    let buckets = match p.map.get("buckets").cloned() {
        Some(text) => match Buckets::parse(&text) {
            Ok(b) => b,
            Err(e) => {
                p.errors.push(FieldError {
                    field: "buckets".into(),
                    message: e,
                });
                Buckets::default()
            }
        },
        None => Buckets::default(),
    };
    let top = p.get::<usize>("top").unwrap_or(10);
    if top > 100 {
        p.errors.push(FieldError {
            field: "top".into(),
            message: "at most 100".into(),
        });
    }
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let book = state.books.get(tx.as_mut()).await?;
    let s = queries::summary_of(tx.as_mut(), &book, state.clock.today(), &buckets, top).await?;
    Ok(Json(SummaryDto {
        as_of: s.as_of.to_string(),
        debtors: s.counts.debtors,
        claims: s.counts.claims,
        open: monies(&s.open),
        overdue: monies(&s.overdue),
        aged_balance: s
            .aged
            .rows
            .iter()
            .map(|r| BucketDto {
                label: r.label.clone(),
                claims: r.claims,
                amounts: r.amount.iter().map(MoneyDto::from).collect(),
            })
            .collect(),
        top_overdue: s.top_overdue.iter().map(DebtorDto::from).collect(),
    }))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters that `DebtorQuery` is parsed from
pub struct DebtorListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<usize>,
    /// Part of the name or of the customer reference.
    search: Option<String>,
    /// Only debtors with something overdue.
    overdue: Option<bool>,
    /// `b2b` or `b2c`.
    #[param(inline)]
    segment: Option<SegmentParam>,
    /// ISO country code.
    country: Option<String>,
    /// `overdue` (default), `open`, `name` or `days_late`.
    #[param(inline)]
    sort: Option<DebtorSortParam>,
    /// Reverse the order.
    reverse: Option<bool>,
}

/// Reads the debtor list's parameters (shared with the interface).
pub fn debtor_query(p: &mut Params, default_per_page: usize) -> DebtorQuery {
    let (page, per_page) = p.paging(default_per_page, 500);
    DebtorQuery {
        overdue: p.flag("overdue"),
        search: p.get::<String>("search"),
        segment: p.get::<Segment>("segment"),
        country: p.get::<String>("country"),
        sort: p.get::<DebtorSort>("sort").unwrap_or_default(),
        reverse: p.flag("reverse"),
        page,
        per_page,
    }
}

/// `GET /api/v1/debtors`: debtors with what they owe, filtered, sorted, paged.
#[utoipa::path(get, path = "/api/v1/debtors", tag = "debtors", params(DebtorListParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = DebtorPage), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_debtors(State(state): State<AppState>, mut p: Params) -> ApiResult<DebtorPage> {
    let query = debtor_query(&mut p, 50);
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let ranked = state
        .books
        .ranking(tx.as_mut(), state.clock.today())
        .await?;
    drop(tx);
    let page = lists::debtor_page(&ranked, &query);
    Ok(Json(DebtorPage::of(page, |d| DebtorDto::from(d))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactDto {
    /// `email`, `phone`, `mobile` or `address`.
    pub kind: String,
    pub value: String,
    pub label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DebtorDetailDto {
    #[serde(flatten)]
    pub debtor: DebtorDto,
    pub language: String,
    pub contacts: Vec<ContactDto>,
    pub tags: Vec<String>,
    pub claims: Vec<ClaimDto>,
}

pub(crate) fn id_path(id: &str) -> Result<i64, WebError> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| WebError::field("id", format!("{id:?} is not a positive integer id")))
}

/// `GET /api/v1/debtors/{id}`: one debtor, its contacts and claims.
#[utoipa::path(get, path = "/api/v1/debtors/{id}", tag = "debtors",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = DebtorDetailDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_debtor(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<DebtorDetailDto> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    let d = queries::debtor_detail(tx.as_mut(), id, state.clock.today()).await?;
    Ok(Json(DebtorDetailDto {
        debtor: DebtorDto::from(&d.line),
        language: d.debtor.language.clone(),
        contacts: d
            .debtor
            .contacts
            .iter()
            .map(|c| ContactDto {
                kind: c.kind.to_string(),
                value: c.value.clone(),
                label: c.label.clone(),
            })
            .collect(),
        tags: d.debtor.tags.clone(),
        claims: d.claims.iter().map(ClaimDto::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDto {
    #[schema(format = Date)]
    pub date: String,
    /// `ledger`, `action`, `promise`, `plan`, `dispute`, `call` or `note`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The ledger entry kind (`invoice`, `payment`…), the action's step code, or how a
    /// call went (`reached`, `no_answer`, `voicemail`, `wrong_number`, `refused`).
    pub what: String,
    /// Absent for calls and notes.
    pub amount: Option<MoneyDto>,
    pub claim_id: Option<i64>,
    pub action_id: Option<i64>,
    /// The action's or agreement's status.
    pub status: Option<String>,
    /// The text of a call or note, and who logged it.
    pub note: Option<String>,
    pub author: Option<String>,
}

/// `GET /api/v1/debtors/{id}/timeline`: ledger entries, actions, agreements, calls and
/// notes, newest first.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/timeline", tag = "debtors",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<TimelineDto>), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn debtor_timeline(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Vec<TimelineDto>> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    let items = lists::debtor_timeline(tx.as_mut(), id, state.clock.today()).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| match i.event {
                TimelineEvent::Ledger {
                    claim_id,
                    kind,
                    amount,
                    ..
                } => TimelineDto {
                    date: i.date.to_string(),
                    kind: "ledger".into(),
                    what: kind.to_string(),
                    amount: Some(amount.into()),
                    claim_id: Some(claim_id.0),
                    action_id: None,
                    status: None,
                    note: None,
                    author: None,
                },
                TimelineEvent::Action {
                    action_id,
                    step,
                    status,
                    amount,
                    ..
                } => TimelineDto {
                    date: i.date.to_string(),
                    kind: "action".into(),
                    what: step,
                    amount: Some(amount.into()),
                    claim_id: None,
                    action_id: Some(action_id),
                    status: Some(status.to_string()),
                    note: None,
                    author: None,
                },
                TimelineEvent::Agreement {
                    kind,
                    status,
                    amount,
                    ..
                } => TimelineDto {
                    date: i.date.to_string(),
                    kind,
                    what: String::new(),
                    amount: Some(amount.into()),
                    claim_id: None,
                    action_id: None,
                    status: Some(status),
                    note: None,
                    author: None,
                },
                TimelineEvent::Note {
                    kind,
                    outcome,
                    body,
                    author,
                    ..
                } => TimelineDto {
                    date: i.date.to_string(),
                    kind,
                    what: outcome,
                    amount: None,
                    claim_id: None,
                    action_id: None,
                    status: None,
                    note: Some(body),
                    author: Some(author),
                },
            })
            .collect(),
    ))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `list_claims` parses
struct ClaimListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<usize>,
    /// Only overdue claims.
    overdue: Option<bool>,
    /// Only this debtor's claims.
    debtor: Option<i64>,
    /// Only claims with at least this much open, in euros (e.g. `500` or `1000.50`).
    min_amount: Option<String>,
    /// Include settled and written-off claims.
    include_closed: Option<bool>,
}

/// `GET /api/v1/claims`: claims, oldest due date first.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ClaimListParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ClaimPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_claims(State(state): State<AppState>, mut p: Params) -> ApiResult<ClaimPage> {
    let (page, per_page) = p.paging(50, 500);
    let min = p.map.get("min_amount").cloned();
    let min_open_minor = match min.as_deref().map(|t| Money::parse(t, Currency::EUR)) {
        Some(Ok(m)) => Some(m.minor()),
        Some(Err(e)) => {
            p.errors.push(FieldError {
                field: "min_amount".into(),
                message: e.to_string(),
            });
            None
        }
        None => None,
    };
    let filter = ClaimFilter {
        overdue: p.flag("overdue"),
        debtor: p.get::<i64>("debtor").map(DebtorId),
        min_open_minor,
        include_closed: p.flag("include_closed"),
        limit: None,
    };
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let page = lists::claim_page(tx.as_mut(), state.clock.today(), &filter, page, per_page).await?;
    Ok(Json(ClaimPage::of(page, |c| ClaimDto::from(c))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryDto {
    pub seq: u32,
    pub kind: String,
    #[schema(format = Date)]
    pub date: String,
    pub amount: MoneyDto,
    pub reference: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterestPeriodDto {
    #[schema(format = Date)]
    pub start: String,
    #[schema(format = Date)]
    pub end: String,
    pub days: i32,
    /// Percent per year, exact decimal.
    pub annual_rate: String,
    pub base: MoneyDto,
    /// Unrounded, exact decimal.
    pub amount: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterestDto {
    /// The statutory regime applied, e.g. `fr_b2b`.
    pub regime: Option<String>,
    pub days: i32,
    pub periods: Vec<InterestPeriodDto>,
    /// Rounded once, to the cent.
    pub total: MoneyDto,
    /// Why the interest could not be computed, when it could not.
    pub error: Option<String>,
    pub indemnity: Option<MoneyDto>,
    /// The event interest runs from (the day after it): `due_date`,
    /// `due_date_is_notice`, `formal_notice`, or `not_yet` (then `start_reason` says why).
    #[schema(pattern = "^(due_date|due_date_is_notice|formal_notice|not_yet)$")]
    pub start_event: Option<String>,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    /// The formal notice interest runs from, when it does.
    pub start_notice_id: Option<i64>,
    /// Why interest does not run yet (English; `start_reason_fr` in French).
    pub start_reason: Option<String>,
    pub start_reason_fr: Option<String>,
    /// The terms of sale in force for the claim.
    pub terms: crate::api_contract::TermsDto,
    /// What the reader should know (terms not applied, and why), in English.
    pub notes: Vec<String>,
    /// Interest and indemnity already posted to the ledger (claimed), paid or not.
    pub interest_posted: MoneyDto,
    pub indemnity_posted: MoneyDto,
    /// What the law allows and the ledger does not hold yet: `POST
    /// /api/v1/claims/{id}/charges` posts it.
    pub interest_to_post: MoneyDto,
    pub indemnity_to_post: MoneyDto,
    /// What is still owed, payments imputed interest first (C. civ. 1343-1): on the title
    /// (principal and fees), of the interest and of the indemnity.
    pub principal_due: MoneyDto,
    pub interest_due: MoneyDto,
    pub indemnity_due: MoneyDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimDetailDto {
    #[serde(flatten)]
    pub claim: ClaimDto,
    pub nature: String,
    pub principal: MoneyDto,
    pub ledger: Vec<LedgerEntryDto>,
    pub interest: InterestDto,
    /// The claim's limitation deadline and the event it runs from; absent when the claim
    /// is settled or no rule is known for it.
    pub limitation: Option<LimitationLineDto>,
    /// The claim's term against the French caps on B2B payment terms (French creditor,
    /// B2B debtor); absent when they do not govern it.
    pub terms: Option<TermsCheckDto>,
}

/// A claim's term against the French caps on B2B payment terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermsCheckDto {
    pub compliant: bool,
    /// The latest due date the law allows for the claim's issue date (the later of 60
    /// days and "45 days end of month", whose stipulation the product cannot know).
    #[schema(format = Date)]
    pub latest_lawful_due_date: String,
    /// Every cap the due date exceeds.
    pub breaches: Vec<TermBreachDto>,
}

/// A cap on payment terms a due date exceeds.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermBreachDto {
    /// Stable code (`fr.terms.60_days`, `fr.terms.45_days_end_of_month`…).
    pub rule: String,
    pub article: String,
    /// The latest due date this rule allows.
    #[schema(format = Date)]
    pub limit: String,
    pub days_over: i32,
    /// What is wrong, in French and in English.
    pub text_fr: String,
    pub text_en: String,
}

impl From<&domain::law::TermsCheck> for TermsCheckDto {
    fn from(c: &domain::law::TermsCheck) -> Self {
        Self {
            compliant: c.compliant,
            latest_lawful_due_date: c.latest_lawful_due_date.to_string(),
            breaches: c
                .breaches
                .iter()
                .map(|b| TermBreachDto {
                    rule: b.rule.code().to_string(),
                    article: b.article.to_string(),
                    limit: b.limit.to_string(),
                    days_over: b.days_over,
                    text_fr: b.text.fr.clone(),
                    text_en: b.text.en.clone(),
                })
                .collect(),
        }
    }
}

/// `GET /api/v1/claims/{id}`: one claim, its ledger and its late interest as of today.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ClaimDetailDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_claim(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<ClaimDetailDto> {
    let id = ClaimId(id_path(&id)?);
    let as_of = state.clock.today();
    let mut tx = state.store.begin_read().await?;
    let d = queries::claim_detail(tx.as_mut(), id, as_of).await?;
    let pen = app::law::claim_penalties(tx.as_mut(), id, as_of, &state.rates).await?;
    let limitation = app::law::debtor_limitation(tx.as_mut(), d.claim.debtor_id, as_of)
        .await?
        .lines
        .iter()
        .find(|l| l.claim_id == id)
        .map(LimitationLineDto::from);
    let line = d.line();
    let currency = d.claim.currency;
    Ok(Json(ClaimDetailDto {
        claim: ClaimDto::from(&line),
        nature: d.claim.nature.to_string(),
        principal: d.principal.into(),
        ledger: d
            .ledger
            .entries()
            .iter()
            .map(|e| LedgerEntryDto {
                seq: e.seq,
                kind: e.kind.to_string(),
                date: e.date.to_string(),
                amount: Money::from_minor(e.amount_minor, currency).into(),
                reference: e.reference.clone(),
            })
            .collect(),
        interest: interest_dto(&pen),
        limitation,
        terms: d.terms.as_ref().map(TermsCheckDto::from),
    }))
}

fn interest_dto(p: &app::law::ClaimPenalties) -> InterestDto {
    let (days, periods, error) = match &p.interest {
        Ok(b) => (
            b.days,
            b.periods
                .iter()
                .map(|x| InterestPeriodDto {
                    start: x.start.to_string(),
                    end: x.end.to_string(),
                    days: x.days,
                    annual_rate: x.annual_rate.to_string(),
                    base: x.base.into(),
                    amount: x.amount.to_string(),
                })
                .collect(),
            None,
        ),
        Err(e) => (0, Vec::new(), Some(e.clone())),
    };
    InterestDto {
        regime: p.regime.map(str::to_string),
        days,
        periods,
        total: p.interest_total().into(),
        error,
        indemnity: p.indemnity.as_ref().map(|i| i.amount.into()),
        start_event: p.interest_start.as_ref().map(|s| s.code().to_string()),
        start_date: p
            .interest_start
            .as_ref()
            .and_then(domain::law::InterestStart::date)
            .map(|d| d.to_string()),
        start_notice_id: match &p.interest_start {
            Some(domain::law::InterestStart::FormalNotice { notice_id, .. }) => Some(*notice_id),
            _ => None,
        },
        start_reason: match &p.interest_start {
            Some(domain::law::InterestStart::NotYet { reason }) => Some(reason.en.clone()),
            _ => None,
        },
        start_reason_fr: match &p.interest_start {
            Some(domain::law::InterestStart::NotYet { reason }) => Some(reason.fr.clone()),
            _ => None,
        },
        terms: crate::api_contract::TermsDto::from(&p.terms),
        notes: p.notes.iter().map(|n| n.en.clone()).collect(),
        interest_posted: p.interest_posted.into(),
        indemnity_posted: p.indemnity_posted.into(),
        interest_to_post: p.interest_to_post().into(),
        indemnity_to_post: p.indemnity_to_post().into(),
        principal_due: p.principal_due().into(),
        interest_due: p.interest_due().into(),
        indemnity_due: p.indemnity_due().into(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDto {
    /// The case's id is its debtor's id.
    pub debtor_id: i64,
    pub creditor_id: i64,
    pub scenario: Option<String>,
    /// `pre_due`, `amicable`, `formal_notice`, `pre_litigation`, `litigation`, `closed:…`.
    pub stage: String,
    pub cycle: i64,
    #[schema(format = Date)]
    pub hold_until: Option<String>,
    /// `promise` or `plan` while one is live.
    pub arrangement: Option<String>,
    /// The login of the collector the case is assigned to (`null`: the shared pool).
    pub owner: Option<String>,
}

impl From<&StoredCase> for CaseDto {
    fn from(c: &StoredCase) -> Self {
        Self {
            debtor_id: c.debtor_id.0,
            creditor_id: c.creditor_id.0,
            scenario: c.scenario.clone(),
            stage: c.stage.to_string(),
            cycle: c.cycle,
            hold_until: c.hold_until.map(|d| d.to_string()),
            owner: c.owner.clone(),
            arrangement: c.arrangement.map(|a| {
                match a {
                    domain::dunning::Arrangement::Promise => "promise",
                    domain::dunning::Arrangement::Plan => "plan",
                }
                .to_string()
            }),
        }
    }
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `list_cases` parses
struct CaseListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<usize>,
    /// Only cases at this stage.
    stage: Option<String>,
}

/// `GET /api/v1/cases`: collection cases by debtor id.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseListParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CasePage), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_cases(State(state): State<AppState>, mut p: Params) -> ApiResult<CasePage> {
    let (page, per_page) = p.paging(50, 500);
    let stage = p.get::<domain::dunning::Stage>("stage");
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let mut cases = tx.cases().await?;
    if let Some(stage) = stage {
        cases.retain(|c| c.stage == stage);
    }
    Ok(Json(CasePage::of(
        lists::Page::of(cases, page, per_page),
        |c| CaseDto::from(c),
    )))
}

/// `GET /api/v1/cases/{id}`: one debtor's case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CaseDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_case(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<CaseDto> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    let case = tx
        .case(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("no case for debtor {id}")))?;
    Ok(Json(CaseDto::from(&case)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// The first day the run may act again; `null` lifts the hold.
    #[schema(format = Date, example = "2026-12-31")]
    pub until: Option<String>,
}

/// `POST /api/v1/cases/{id}/hold`: pauses dunning of a case until a day, or resumes it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/hold", tag = "cases",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = HoldRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CaseDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn hold_case(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<HoldRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<CaseDto> {
    let id = DebtorId(id_path(&id)?);
    let Json(body) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    // `null` lifts the hold; an empty string is no date (the document says `date`).
    let until = match body.until.as_deref() {
        None => None,
        Some(t) => Some(
            t.parse::<Date>()
                .map_err(|e| WebError::field("until", format!("{t:?}: {e}")))?,
        ),
    };
    let case = app::audit::hold_case(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        until,
    )
    .await?;
    Ok(Json(CaseDto::from(&case)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseRequest {
    /// The amount promised, in the currency of the debtor's claims.
    #[schema(example = "1500.00")]
    pub amount: String,
    /// The day it is promised for (today or later).
    #[schema(format = Date, example = "2026-12-31")]
    pub due: String,
    /// How it was made (`phone`, `email`…).
    pub channel: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementDto {
    pub id: i64,
    /// `promise`, `plan` or `dispute`.
    #[serde(rename = "type")]
    pub kind: String,
    pub debtor_id: i64,
    pub status: String,
    /// The whole agreement: a promise (amount, due), a plan (instalments, consents) or a
    /// dispute (claims, reason, resolution).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

fn agreement_dto<T: Serialize>(
    id: i64,
    kind: &str,
    debtor: DebtorId,
    status: String,
    value: &T,
) -> AgreementDto {
    AgreementDto {
        id,
        kind: kind.to_string(),
        debtor_id: debtor.0,
        status,
        detail: serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
    }
}

/// `POST /api/v1/debtors/{id}/promises`: records a promise to pay on the debtor's open
/// claims; reminders wait until its date.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/promises", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = PromiseRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = AgreementDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_promise(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<PromiseRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<AgreementDto> {
    let id = DebtorId(id_path(&id)?);
    let Json(body) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    let due = body
        .due
        .parse::<Date>()
        .map_err(|e| WebError::field("due", format!("{:?}: {e}", body.due)))?;
    let mut tx = state.store.begin().await?;
    let currency = app::agreements::open_currency(tx.as_mut(), id, state.clock.today()).await?;
    drop(tx);
    let amount = Money::parse(&body.amount, currency)
        .map_err(|e| WebError::field("amount", format!("{:?}: {e}", body.amount)))?;
    let terms = app::agreements::PromiseTerms {
        debtor: id,
        amount,
        due,
        claims: Vec::new(),
        channel: body.channel.unwrap_or_else(|| "api".into()),
        note: body.note.unwrap_or_default(),
    };
    let (pid, promise) = app::audit::add_promise(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &terms,
    )
    .await?;
    Ok(Json(agreement_dto(
        pid,
        "promise",
        id,
        app::agreements::status_name(promise.status),
        &promise,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    /// The disputed claims (ids), all of this debtor.
    pub claims: Vec<i64>,
    /// `quality`, `price`, `delivery`, `not_received`, `already_paid` or `other`.
    #[schema(
        example = "quality",
        pattern = "^(quality|price|delivery|not_received|already_paid|other)$"
    )]
    pub reason: String,
    pub note: Option<String>,
    /// References of attachments (file names, document ids).
    pub attachments: Option<Vec<String>>,
}

/// `POST /api/v1/debtors/{id}/disputes`: opens a dispute; its claims are no longer reminded.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/disputes", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = DisputeRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = AgreementDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn open_dispute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<DisputeRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<AgreementDto> {
    let id = DebtorId(id_path(&id)?);
    let Json(body) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    let reason = domain::agreements::DisputeReason::parse(&body.reason)
        .ok_or_else(|| WebError::field("reason", format!("{:?}", body.reason)))?;
    let claims: Vec<ClaimId> = body.claims.iter().map(|c| ClaimId(*c)).collect();
    let terms = app::agreements::DisputeTerms {
        debtor: Some(id),
        claims,
        reason,
        note: body.note.unwrap_or_default(),
        attachments: body.attachments.unwrap_or_default(),
        owner: String::new(),
        due: None,
    };
    let (did, dispute) = app::audit::open_dispute(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &terms,
    )
    .await?;
    Ok(Json(agreement_dto(
        did,
        "dispute",
        id,
        "open".into(),
        &dispute,
    )))
}

/// `GET /api/v1/debtors/{id}/agreements`: the debtor's promises, plans and disputes.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/agreements", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<AgreementDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn debtor_agreements(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Vec<AgreementDto>> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    if tx.debtor(id).await?.is_none() {
        return Err(WebError::NotFound(format!("no debtor {id}")));
    }
    let a = app::agreements::of_debtor(tx.as_mut(), id).await?;
    let mut out = Vec::new();
    out.extend(
        a.promises.iter().map(|(i, p)| {
            agreement_dto(*i, "promise", id, app::agreements::status_name(p.status), p)
        }),
    );
    out.extend(
        a.plans
            .iter()
            .map(|(i, p)| agreement_dto(*i, "plan", id, app::agreements::status_name(p.status), p)),
    );
    out.extend(a.disputes.iter().map(|(i, d)| {
        let status = if d.is_open() { "open" } else { "resolved" };
        agreement_dto(*i, "dispute", id, status.into(), d)
    }));
    out.sort_by_key(|a| a.id);
    Ok(Json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub debtor_id: i64,
    pub debtor_name: String,
    pub claims: Vec<i64>,
    /// Confidence, per mille.
    pub score: u16,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    pub id: i64,
    #[schema(format = Date)]
    pub value_date: String,
    pub amount: MoneyDto,
    pub payer_name: Option<String>,
    pub payer_iban: Option<String>,
    pub remittance: Vec<String>,
    pub structured_reference: Option<String>,
    /// Best first.
    pub suggestions: Vec<SuggestionDto>,
}

/// `GET /api/v1/payments/review`: bank payments waiting for a person, with suggestions.
#[utoipa::path(get, path = "/api/v1/payments/review", tag = "payments",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<ReviewDto>)))]
async fn payments_review(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Vec<ReviewDto>> {
    let fr = ctx.lang == crate::i18n::Lang::Fr;
    let mut tx = state.store.begin_read().await?;
    let items = app::payments::review(tx.as_mut(), state.clock.today()).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| ReviewDto {
                id: i.payment.id,
                value_date: i.payment.value_date.to_string(),
                amount: i.payment.amount.into(),
                payer_name: i.payment.payer_name,
                payer_iban: i.payment.payer_iban,
                remittance: i.payment.remittance,
                structured_reference: i.payment.structured_reference,
                suggestions: i
                    .suggestions
                    .into_iter()
                    .map(|s| SuggestionDto {
                        debtor_id: s.debtor_id.0,
                        debtor_name: s.debtor_name,
                        claims: s.claims.iter().map(|c| c.claim_id.0).collect(),
                        score: s.score,
                        reasons: if fr { s.reasons_fr } else { s.reasons_en },
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// The claims to apply it on (one debtor's); empty or absent: the top suggestion.
    pub claims: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostedDto {
    pub payment_id: i64,
    pub debtor_id: i64,
    /// (claim id, amount) of each allocation.
    pub allocations: Vec<(i64, MoneyDto)>,
    /// Interest and indemnity the payment paid beyond the open balances, posted to the
    /// claims' ledgers before it was imputed: (claim id, interest, indemnity).
    pub charges: Vec<(i64, MoneyDto, MoneyDto)>,
    /// What no claim took: kept as a credit on the debtor.
    pub overpayment: MoneyDto,
    /// The factor this payment is to be passed on to: it was received on a claim assigned
    /// to one (`null`: the creditor's own).
    pub pass_on_to: Option<String>,
}

/// `POST /api/v1/payments/{id}/apply`: applies a payment waiting for review.
#[utoipa::path(post, path = "/api/v1/payments/{id}/apply", tag = "payments",
    params(("id" = i64, Path, minimum = 1, description = "The payment's id")),
    request_body = ApplyRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = PostedDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn apply_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<ApplyRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<PostedDto> {
    let id = id_path(&id)?;
    let Json(body) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    let claims = body
        .claims
        .filter(|c| !c.is_empty())
        .map(|c| c.into_iter().map(ClaimId).collect());
    let posted = app::audit::apply_payment(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        claims,
        &state.rates,
    )
    .await?;
    Ok(Json(PostedDto {
        payment_id: posted.payment_id,
        debtor_id: posted.debtor_id.0,
        allocations: posted
            .allocations
            .iter()
            .map(|a| (a.claim_id.0, a.amount.into()))
            .collect(),
        charges: posted
            .charges
            .iter()
            .map(|c| (c.claim_id.0, c.interest.into(), c.indemnity.into()))
            .collect(),
        overpayment: posted.overpayment.into(),
        pass_on_to: crate::api_financing::pass_on_to(&state, posted.payment_id).await?,
    }))
}

/// `POST /api/v1/payments/{id}/ignore`: sets a payment waiting for review aside.
#[utoipa::path(post, path = "/api/v1/payments/{id}/ignore", tag = "payments",
    params(("id" = i64, Path, minimum = 1, description = "The payment's id")),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 204), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn ignore_payment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, WebError> {
    let id = id_path(&id)?;
    app::audit::ignore_payment(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDto {
    pub id: i64,
    pub debtor_id: i64,
    pub scenario: String,
    pub step: String,
    /// Channels joined with `+`, e.g. `email+phone_task`.
    pub channels: String,
    pub claims: Vec<i64>,
    pub amount: MoneyDto,
    /// `draft`, `planned`, `approved`, `skipped` or `done`.
    pub status: String,
    #[schema(format = Date)]
    pub created_on: String,
}

impl From<&StoredAction> for ActionDto {
    fn from(a: &StoredAction) -> Self {
        Self {
            id: a.id,
            debtor_id: a.debtor_id.0,
            scenario: a.scenario.clone(),
            step: a.step_code.clone(),
            channels: a.channels.to_string(),
            claims: a.claims.iter().map(|c| c.0).collect(),
            amount: a.amount.into(),
            status: a.status.to_string(),
            created_on: a.created_on.to_string(),
        }
    }
}

/// The statuses an action list can be filtered by (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `list_actions` parses
enum ActionStatusParam {
    Draft,
    Planned,
    Approved,
    Skipped,
    Done,
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `list_actions` parses
struct ActionListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<usize>,
    /// `draft`, `planned`, `approved`, `skipped` or `done`.
    #[param(inline)]
    status: Option<ActionStatusParam>,
    /// Only this debtor's actions.
    debtor: Option<i64>,
}

/// `GET /api/v1/actions`: dunning actions, newest first.
#[utoipa::path(get, path = "/api/v1/actions", tag = "actions", params(ActionListParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ActionPage), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_actions(State(state): State<AppState>, mut p: Params) -> ApiResult<ActionPage> {
    let (page, per_page) = p.paging(50, 500);
    let filter = ActionFilter {
        statuses: p.get::<ActionStatus>("status").into_iter().collect(),
        debtor: p.get::<i64>("debtor").map(DebtorId),
        limit: None,
    };
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let list = app::dunning::actions(tx.as_mut(), &filter).await?;
    Ok(Json(ActionPage::of(
        lists::Page::of(list, page, per_page),
        |a| ActionDto::from(a),
    )))
}

fn action_id(id: &str) -> Result<i64, WebError> {
    id_path(id)
}

/// `POST /api/v1/actions/{id}/approve`: approves a draft (managers).
#[utoipa::path(post, path = "/api/v1/actions/{id}/approve", tag = "actions",
    params(("id" = i64, Path, minimum = 1, description = "The action's id")),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ActionDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn approve_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<ActionDto> {
    let a = app::audit::approve_action(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        action_id(&id)?,
    )
    .await?;
    Ok(Json(ActionDto::from(&a)))
}

/// `POST /api/v1/actions/{id}/skip`: skips an action that has not gone out.
#[utoipa::path(post, path = "/api/v1/actions/{id}/skip", tag = "actions",
    params(("id" = i64, Path, minimum = 1, description = "The action's id")),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ActionDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn skip_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<ActionDto> {
    let a = app::audit::skip_action(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        action_id(&id)?,
    )
    .await?;
    Ok(Json(ActionDto::from(&a)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItemDto {
    pub action_id: i64,
    pub debtor_id: i64,
    pub debtor_name: String,
    pub step: String,
    pub channels: String,
    pub status: String,
    pub open: MoneyDto,
    /// Higher first.
    pub priority: i64,
    /// Days to the next escalation (zero or less: due).
    pub urgency_days: i32,
    pub reason: String,
    /// The collector the case is assigned to (`null`: the shared pool).
    pub owner: Option<String>,
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `worklist` parses
struct WorklistParams {
    /// At most this many tasks (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// Only the tasks of this collector's cases and of the unassigned pool.
    assignee: Option<String>,
    /// `true`: the tasks of the caller's cases and of the unassigned pool.
    mine: Option<bool>,
}

/// `GET /api/v1/worklist`: today's tasks for people, highest priority first.
#[utoipa::path(get, path = "/api/v1/worklist", tag = "actions", params(WorklistParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<WorkItemDto>), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn worklist(
    State(state): State<AppState>,
    ctx: Ctx,
    mut p: Params,
) -> ApiResult<Vec<WorkItemDto>> {
    let limit = p.get::<usize>("limit").unwrap_or(50);
    if limit == 0 || limit > 500 {
        p.errors.push(FieldError {
            field: "limit".into(),
            message: "between 1 and 500".into(),
        });
    }
    let mine = p.flag("mine");
    let assignee = if mine {
        Some(ctx.user()?.login.clone())
    } else {
        p.get::<String>("assignee")
    };
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let book = state.books.get(tx.as_mut()).await?;
    let items =
        app::dunning::worklist_of(tx.as_mut(), &book, state.clock.today(), assignee.as_deref())
            .await?;
    Ok(Json(
        items
            .into_iter()
            .take(limit)
            .map(|w| WorkItemDto {
                action_id: w.action_id,
                debtor_id: w.debtor_id.0,
                debtor_name: w.debtor_name,
                step: w.step,
                channels: w.channels.to_string(),
                status: w.status.to_string(),
                open: w.open.into(),
                priority: w.priority,
                urgency_days: w.urgency_days,
                reason: match ctx.lang {
                    crate::i18n::Lang::Fr => w.reason_fr,
                    crate::i18n::Lang::En => w.reason_en,
                },
                owner: w.owner,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    pub code: String,
    /// Days from the due date of the oldest open claim.
    pub offset_days: i32,
    pub channels: String,
    pub stage: String,
    pub claim_penalties: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioDto {
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
    pub default: bool,
    pub steps: Vec<StepDto>,
}

/// `GET /api/v1/scenarios`: the dunning scenarios and their steps.
#[utoipa::path(get, path = "/api/v1/scenarios", tag = "scenarios",
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<ScenarioDto>)))]
async fn scenarios(State(state): State<AppState>) -> ApiResult<Vec<ScenarioDto>> {
    let mut tx = state.store.begin_read().await?;
    let set = state.scenarios.get(tx.as_mut()).await?;
    drop(tx);
    Ok(Json(scenario_dtos(&set)))
}

fn scenario_dtos(set: &domain::dunning::ScenarioSet) -> Vec<ScenarioDto> {
    set.scenarios()
        .iter()
        .map(|s| ScenarioDto {
            code: s.code().as_str().to_string(),
            name_fr: s.name_fr().to_string(),
            name_en: s.name_en().to_string(),
            default: s.code() == set.default_scenario().code(),
            steps: s
                .steps()
                .iter()
                .map(|st| StepDto {
                    code: st.code.as_str().to_string(),
                    offset_days: st.offset_days,
                    channels: st.channels.to_string(),
                    stage: st.stage.to_string(),
                    claim_penalties: st.claim_penalties,
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// The state before, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<&AuditEntry> for AuditDto {
    fn from(e: &AuditEntry) -> Self {
        Self {
            id: e.id,
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            before: e.before.clone(),
            after: e.after.clone(),
        }
    }
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `audit` parses
struct AuditParams {
    /// At most this many entries (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// Only entries older than this id (the next page).
    before: Option<i64>,
}

/// `GET /api/v1/audit`: the audit log, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditParams),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<AuditDto>), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn audit(State(state): State<AppState>, mut p: Params) -> ApiResult<Vec<AuditDto>> {
    let limit = p.get::<usize>("limit").unwrap_or(100);
    if limit == 0 || limit > 1000 {
        p.errors.push(FieldError {
            field: "limit".into(),
            message: "between 1 and 1000".into(),
        });
    }
    let before = p.get::<i64>("before");
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let entries = app::audit::entries(tx.as_mut(), limit, before).await?;
    Ok(Json(entries.iter().map(AuditDto::from).collect()))
}

// -- outbox and delivery settings

/// One message of the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxDto {
    pub id: i64,
    pub action_id: i64,
    pub debtor_id: i64,
    /// `email`, `sms`, `letter`, `registered_letter` or `formal_notice`.
    pub channel: String,
    pub recipient: String,
    /// Stable per action and channel: the SMTP Message-ID, the SMS idempotency key.
    pub message_id: String,
    /// `queued`, `sending`, `sent`, `failed`, `cancelled` or `print`.
    pub status: String,
    pub attempts: i64,
    /// Unix seconds: not attempted before.
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    pub updated_at: String,
}

impl From<&app::store::OutboxEntry> for OutboxDto {
    fn from(e: &app::store::OutboxEntry) -> Self {
        Self {
            id: e.id,
            action_id: e.action_id,
            debtor_id: e.debtor_id.0,
            channel: e.channel.as_str().to_string(),
            recipient: e.recipient.clone(),
            message_id: e.message_id.clone(),
            status: e.status.to_string(),
            attempts: e.attempts,
            next_attempt_at: e.next_attempt_at,
            last_error: e.last_error.clone(),
            provider_id: e.provider_id.clone(),
            updated_at: e.updated_at.clone(),
        }
    }
}

page_type!(OutboxPage, OutboxDto);

/// A debtor's segment (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `list_debtors` parses
enum SegmentParam {
    B2b,
    B2c,
}

/// The orders of the debtor list (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `list_debtors` parses
enum DebtorSortParam {
    Overdue,
    Open,
    Name,
    DaysLate,
}

/// What an aged balance is grouped by (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `report_query` parses
enum GroupByParam {
    Debtor,
    Creditor,
    Currency,
    Country,
    Segment,
    Collector,
    Financing,
}

/// The tables of the payment-terms report (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "kebab-case")]
#[allow(dead_code)] // documents the values `report_query` parses
enum TermsVariantParam {
    Unpaid,
    PaidLate,
}

/// The reference terms of the payment-terms report (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `report_query` parses
enum ReferenceTermsParam {
    Contractual,
    Legal,
}

/// The statuses an outbox list can be filtered by (the OpenAPI document's enumeration).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // documents the values `list_outbox` parses
enum OutboxStatusParam {
    Queued,
    Sending,
    Sent,
    Failed,
    Cancelled,
    Print,
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters `list_outbox` parses
struct OutboxListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<usize>,
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    per_page: Option<usize>,
    /// `queued`, `sending`, `sent`, `failed`, `cancelled` or `print`.
    #[param(inline)]
    status: Option<OutboxStatusParam>,
    /// Only this action's messages.
    action: Option<i64>,
}

/// `GET /api/v1/outbox`: the messages of the outbox, newest first.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", params(OutboxListParams),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = OutboxPage), (status = 400, body = Problem, content_type = "application/problem+json")))]
async fn list_outbox(State(state): State<AppState>, mut p: Params) -> ApiResult<OutboxPage> {
    let (page, per_page) = p.paging(50, 500);
    let filter = app::store::OutboxFilter {
        statuses: p
            .get::<app::store::OutboxStatus>("status")
            .into_iter()
            .collect(),
        action: p.get::<i64>("action"),
        limit: None,
    };
    p.finish()?;
    let mut tx = state.store.begin_read().await?;
    let list = app::outbox::list(tx.as_mut(), &filter).await?;
    Ok(Json(OutboxPage::of(
        lists::Page::of(list, page, per_page),
        |e| OutboxDto::from(e),
    )))
}

/// `POST /api/v1/outbox/{id}/retry`: queues a failed or cancelled message again
/// (managers), audited.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox",
    params(("id" = i64, Path, minimum = 1, description = "The outbox entry's id")),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = OutboxDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn retry_outbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<OutboxDto> {
    let e = app::outbox::retry(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id_path(&id)?,
    )
    .await?;
    Ok(Json(OutboxDto::from(&e)))
}

/// The SMTP settings. No password: `password_env` names the environment variable that
/// holds it when the worker runs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettingsDto {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` or `plain`.
    #[schema(pattern = "^(starttls|tls|plain)$")]
    pub security: String,
    pub user: Option<String>,
    pub password_env: Option<String>,
    pub from: String,
    pub reply_to: Option<String>,
    /// A PEM file, on the server, of certificate authorities to trust besides the public
    /// ones.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// One header sent to the SMS provider (`${VAR}` values are read from the environment).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderDto {
    pub name: String,
    /// Hidden (`***`) when read back, unless it only names a variable (`${VAR}`).
    pub value: String,
}

/// The HTTP SMS provider.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSettingsDto {
    pub url: String,
    pub method: String,
    pub headers: Vec<HeaderDto>,
    /// With `{{to}}`, `{{text}}`, `{{message_id}}`, `{{sender}}`.
    pub body: String,
    pub success_status: u16,
    pub sender: Option<String>,
    pub max_parts: Option<u8>,
}

fn smtp_dto(s: app::channels::SmtpSettings) -> SmtpSettingsDto {
    let s = s.redacted();
    SmtpSettingsDto {
        host: s.host,
        port: s.port,
        security: s.security.as_str().into(),
        user: s.user,
        password_env: s.password_env,
        from: s.from,
        reply_to: s.reply_to,
        ca_file: s.ca_file,
    }
}

fn sms_dto(s: app::channels::SmsSettings) -> SmsSettingsDto {
    let s = s.redacted();
    SmsSettingsDto {
        url: s.url,
        method: s.method,
        headers: s
            .headers
            .into_iter()
            .map(|h| HeaderDto {
                name: h.name,
                value: h.value,
            })
            .collect(),
        body: s.body,
        success_status: s.success_status,
        sender: s.sender,
        max_parts: Some(s.max_parts),
    }
}

/// `GET /api/v1/settings/smtp` (administrators).
#[utoipa::path(get, path = "/api/v1/settings/smtp", tag = "admin",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = SmtpSettingsDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_smtp(State(state): State<AppState>) -> ApiResult<SmtpSettingsDto> {
    let mut tx = state.store.begin_read().await?;
    let s = app::channels::smtp(tx.as_mut())
        .await?
        .ok_or_else(|| app::AppError::NotFound {
            what: "settings",
            id: "smtp".into(),
        })?;
    Ok(Json(smtp_dto(s)))
}

/// `PUT /api/v1/settings/smtp` (administrators), validated and audited.
#[utoipa::path(put, path = "/api/v1/settings/smtp", tag = "admin", request_body = SmtpSettingsDto,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = SmtpSettingsDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_smtp(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<SmtpSettingsDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<SmtpSettingsDto> {
    let Json(b) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    let settings = app::channels::SmtpSettings {
        host: b.host,
        port: b.port,
        security: b
            .security
            .parse()
            .map_err(|e: String| WebError::field("security", e))?,
        user: b.user,
        password_env: b.password_env,
        from: b.from,
        reply_to: b.reply_to,
        ca_file: b.ca_file,
    };
    app::channels::set_smtp(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &settings,
    )
    .await?;
    Ok(Json(smtp_dto(settings)))
}

/// `GET /api/v1/settings/sms` (administrators); header values hidden.
#[utoipa::path(get, path = "/api/v1/settings/sms", tag = "admin",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = SmsSettingsDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_sms(State(state): State<AppState>) -> ApiResult<SmsSettingsDto> {
    let mut tx = state.store.begin_read().await?;
    let s = app::channels::sms(tx.as_mut())
        .await?
        .ok_or_else(|| app::AppError::NotFound {
            what: "settings",
            id: "sms".into(),
        })?;
    Ok(Json(sms_dto(s)))
}

/// `PUT /api/v1/settings/sms` (administrators), validated and audited.
#[utoipa::path(put, path = "/api/v1/settings/sms", tag = "admin", request_body = SmsSettingsDto,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = SmsSettingsDto), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_sms(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<SmsSettingsDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<SmsSettingsDto> {
    let Json(b) = body.map_err(|e| WebError::field("body", e.body_text()))?;
    let settings = app::channels::SmsSettings {
        url: b.url,
        method: b.method.to_uppercase(),
        headers: b
            .headers
            .into_iter()
            .map(|h| app::channels::Header {
                name: h.name,
                value: h.value,
            })
            .collect(),
        body: b.body,
        success_status: b.success_status,
        sender: b.sender,
        max_parts: b.max_parts.unwrap_or(3),
    };
    app::channels::set_sms(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &settings,
    )
    .await?;
    Ok(Json(sms_dto(settings)))
}

// -- plans, consents, disputes, calls, assignment

/// The terms of a payment plan. Give `count` or `instalment`, not both.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The claims it covers (ids); absent: all the debtor's open claims.
    pub claims: Option<Vec<i64>>,
    /// Paid first, on the first date.
    #[schema(example = "500.00")]
    pub down_payment: Option<String>,
    /// The number of instalments.
    #[schema(minimum = 1)]
    pub count: Option<u32>,
    /// Or a fixed instalment amount (the last one is smaller).
    #[schema(example = "250.00")]
    pub instalment: Option<String>,
    /// `weekly`, `fortnightly`, `monthly` (default) or `quarterly`.
    pub every: Option<String>,
    /// The first instalment's day (default: in 15 days).
    #[schema(format = Date, example = "2026-12-01")]
    pub first: Option<String>,
    /// Interest on the remaining principal, % a year (e.g. `3.5`); absent: none.
    pub rate: Option<String>,
    /// Days after an instalment's due date before it counts as missed (default 5).
    #[schema(minimum = 0, maximum = 60)]
    pub grace_days: Option<i32>,
    /// How it was agreed (`phone`, `email`, `letter`…).
    pub channel: Option<String>,
}

impl PlanRequest {
    /// The use case's terms; amounts in the currency of the debtor's open claims.
    pub async fn terms(
        &self,
        tx: &mut dyn app::Tx,
        debtor: DebtorId,
        today: Date,
        agreed_by: &str,
    ) -> Result<app::agreements::PlanTerms, WebError> {
        let currency = app::agreements::open_currency(tx, debtor, today).await?;
        let money = |name: &str, text: &Option<String>| -> Result<Option<Money>, WebError> {
            text.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| {
                    Money::parse(t, currency)
                        .map_err(|e| WebError::field(name, format!("{t:?}: {e}")))
                })
                .transpose()
        };
        let fixed = money("instalment", &self.instalment)?;
        if self.count.is_some() == fixed.is_some() {
            return Err(WebError::field(
                "count",
                "give the number of instalments or a fixed instalment amount, not both / le nombre d'échéances ou un montant fixe, pas les deux",
            ));
        }
        let every_text = self.every.as_deref().unwrap_or("monthly");
        let every = domain::agreements::Frequency::parse(every_text).ok_or_else(|| {
            WebError::field(
                "every",
                format!("{every_text:?}: weekly, fortnightly, monthly or quarterly"),
            )
        })?;
        let first = match self.first.as_deref().map(str::trim) {
            None | Some("") => {
                domain::date::date_of_day(domain::date::day_number(today) + 15).unwrap_or(today)
            }
            Some(t) => t
                .parse::<Date>()
                .map_err(|e| WebError::field("first", format!("{t:?}: {e}")))?,
        };
        let annual_rate_bp = match self.rate.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => {
                Some(app::agreements::parse_rate_bp(t).map_err(|e| WebError::field("rate", e))?)
            }
        };
        let grace_days = self.grace_days.unwrap_or(5);
        if !(0..=60).contains(&grace_days) {
            return Err(WebError::field("grace_days", "0 to 60 / de 0 à 60"));
        }
        Ok(app::agreements::PlanTerms {
            claims: self.claims.iter().flatten().map(|c| ClaimId(*c)).collect(),
            down_payment: money("down_payment", &self.down_payment)?,
            count: self.count,
            fixed,
            every,
            first,
            annual_rate_bp,
            grace_days,
            court_ordered: false,
            channel: self.channel.clone().unwrap_or_else(|| "phone".into()),
            agreed_by: agreed_by.to_string(),
            mandate: None,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDto {
    /// What the plan settles.
    pub total: MoneyDto,
    /// What the debtor pays in all, interest included.
    pub total_with_interest: MoneyDto,
    /// The plan as it would be saved: instalments, co-debtors whose consent it needs.
    #[schema(value_type = Object)]
    pub plan: serde_json::Value,
}

pub(crate) fn json_body<T>(
    body: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, WebError> {
    body.map(|Json(b)| b)
        .map_err(|e| WebError::field("body", e.body_text()))
}

/// `POST /api/v1/debtors/{id}/plans/proposal`: the schedule the terms give; nothing saved.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/plans/proposal", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = PlanRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ProposalDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn propose_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<PlanRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<ProposalDto> {
    let id = DebtorId(id_path(&id)?);
    let body = json_body(body)?;
    let today = state.clock.today();
    let mut tx = state.store.begin().await?;
    let terms = body
        .terms(tx.as_mut(), id, today, ctx.actor()?.as_str())
        .await?;
    let p = app::agreements::propose_plan(tx.as_mut(), id, &terms, today).await?;
    Ok(Json(ProposalDto {
        total: p.total.into(),
        total_with_interest: p.total_with_interest.into(),
        plan: serde_json::to_value(&p.plan).unwrap_or(serde_json::Value::Null),
    }))
}

/// `POST /api/v1/debtors/{id}/plans`: saves a plan: active at once, or a draft until every
/// co-debtor of its claims has consented.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/plans", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = PlanRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = AgreementDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<PlanRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<AgreementDto> {
    let id = DebtorId(id_path(&id)?);
    let body = json_body(body)?;
    let actor = ctx.actor()?;
    let mut tx = state.store.begin().await?;
    let terms = body
        .terms(tx.as_mut(), id, state.clock.today(), actor.as_str())
        .await?;
    drop(tx);
    let (pid, plan) = app::audit::create_plan(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        id,
        &terms,
    )
    .await?;
    Ok(Json(agreement_dto(
        pid,
        "plan",
        id,
        app::agreements::status_name(plan.status),
        &plan,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// The co-debtor who consents (a debtor id).
    pub debtor: i64,
    /// How the consent came (`letter`, `email`, `phone`…; default `letter`).
    pub channel: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentDto {
    pub plan: AgreementDto,
    /// Co-debtors whose consent is still missing; empty: the plan is active.
    pub missing: Vec<i64>,
}

/// `POST /api/v1/plans/{id}/consents`: records a co-debtor's consent; the plan becomes
/// active with the last one.
#[utoipa::path(post, path = "/api/v1/plans/{id}/consents", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The plan's id")),
    request_body = ConsentRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ConsentDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn record_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<ConsentRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<ConsentDto> {
    let id = id_path(&id)?;
    let body = json_body(body)?;
    let (plan, missing) = app::audit::record_consent(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        DebtorId(body.debtor),
        body.channel.as_deref().unwrap_or("letter"),
    )
    .await?;
    Ok(Json(ConsentDto {
        plan: agreement_dto(
            id,
            "plan",
            plan.debtor_id,
            app::agreements::status_name(plan.status),
            &plan,
        ),
        missing: missing.iter().map(|d| d.0).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `credit_note`, `partial` (a credit note for the part conceded) or `reject`.
    #[schema(example = "credit_note", pattern = "^(credit_note|partial|reject)$")]
    pub how: String,
    /// The credit note's amount, in the disputed claims' currency (not for `reject`).
    #[schema(example = "120.00")]
    pub amount: Option<String>,
}

/// `POST /api/v1/disputes/{id}/resolve`: resolves a dispute; collection of what remains
/// resumes.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/resolve", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The dispute's id")),
    request_body = ResolveRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = AgreementDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resolve_dispute(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<ResolveRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<AgreementDto> {
    let id = id_path(&id)?;
    let body = json_body(body)?;
    let how = crate::ui_cases::resolution(&state, id, &body.how, body.amount.as_deref()).await?;
    let dispute = app::audit::resolve_dispute(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        how,
    )
    .await?;
    let status = dispute
        .resolution
        .map_or_else(|| "open".to_string(), app::agreements::status_name);
    Ok(Json(agreement_dto(
        id,
        "dispute",
        dispute.debtor_id,
        status,
        &dispute,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    /// `reached`, `no_answer`, `voicemail`, `wrong_number` or `refused`; absent: a plain
    /// note (then `note` is required).
    #[schema(pattern = "^(reached|no_answer|voicemail|wrong_number|refused)$")]
    pub outcome: Option<String>,
    pub note: Option<String>,
    /// A promise made on the call: amount and date, both or neither.
    #[schema(example = "300.00")]
    pub promise_amount: Option<String>,
    #[schema(format = Date, example = "2026-12-15")]
    pub promise_due: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteDto {
    pub id: i64,
    pub debtor_id: i64,
    /// `call` or `note`.
    #[serde(rename = "type")]
    pub kind: String,
    pub outcome: Option<String>,
    pub note: String,
    pub author: String,
    #[schema(format = Date)]
    pub date: String,
    /// The promise recorded with the call, if any.
    pub promise: Option<AgreementDto>,
}

/// `POST /api/v1/debtors/{id}/calls`: logs a call (or a note) on the debtor's file, with
/// the promise made on the call if any; it shows on the timeline.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/calls", tag = "agreements",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = CallRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = NoteDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn log_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<CallRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<NoteDto> {
    let id = DebtorId(id_path(&id)?);
    let body = json_body(body)?;
    let outcome = body
        .outcome
        .as_deref()
        .filter(|o| !o.is_empty())
        .map(|o| {
            o.parse::<app::store::CallOutcome>()
                .map_err(|e| WebError::field("outcome", e))
        })
        .transpose()?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let promise = crate::ui_cases::promise_terms(
        &state,
        id,
        nonempty(body.promise_amount),
        nonempty(body.promise_due),
    )
    .await?;
    let log = app::notes::CallLog {
        debtor: id,
        outcome,
        note: body.note.unwrap_or_default(),
        promise,
    };
    let (note, promise) = app::audit::log_call(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &log,
    )
    .await?;
    Ok(Json(NoteDto {
        id: note.id,
        debtor_id: id.0,
        kind: note.kind.as_str().into(),
        outcome: note.outcome.map(|o| o.as_str().to_string()),
        note: note.body,
        author: note.author,
        date: note.on.to_string(),
        promise: promise.map(|(pid, p)| {
            agreement_dto(
                pid,
                "promise",
                id,
                app::agreements::status_name(p.status),
                &p,
            )
        }),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// A collector's login; `null` or empty: nobody (the shared pool).
    pub owner: Option<String>,
}

/// `POST /api/v1/cases/{id}/assign`: gives a debtor's case to a collector, or to nobody.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", tag = "cases",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = AssignRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CaseDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn assign_case(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<AssignRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<CaseDto> {
    let id = DebtorId(id_path(&id)?);
    let body = json_body(body)?;
    let owner = body.owner.filter(|o| !o.trim().is_empty());
    let case = app::audit::assign_case(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        owner.as_deref(),
    )
    .await?;
    Ok(Json(CaseDto::from(&case)))
}

// -- the scenario editor

/// A scenario set as files: what `recouvre scenarios export` writes and `load` reads.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFilesDto {
    /// One TOML text per scenario, with its file name.
    pub scenarios: Vec<ScenarioFileDto>,
    /// The assignment rules (TOML).
    pub assignment: String,
    /// `true` when these are the shipped scenarios (read only).
    #[serde(default)]
    pub shipped: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFileDto {
    #[schema(example = "fr_b2b_standard.toml")]
    pub name: String,
    pub text: String,
}

impl ScenarioFilesDto {
    pub fn from_files(f: &app::scenarios::ScenarioFiles) -> Self {
        Self {
            scenarios: f
                .scenarios
                .iter()
                .map(|(name, text)| ScenarioFileDto {
                    name: name.clone(),
                    text: text.clone(),
                })
                .collect(),
            assignment: f.assignment.1.clone(),
            shipped: f.shipped,
        }
    }

    pub fn files(&self) -> app::scenarios::ScenarioFiles {
        app::scenarios::ScenarioFiles {
            scenarios: self
                .scenarios
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect(),
            assignment: ("assignment.toml".into(), self.assignment.clone()),
            shipped: false,
        }
    }
}

/// A set that does not validate, as a problem naming the file and line at fault.
pub fn scenario_problem(e: &domain::dunning::ScenarioError) -> WebError {
    let field = match e.line {
        Some(line) => format!("{}:{line}", e.origin),
        None => e.origin.clone(),
    };
    WebError::BadRequest {
        detail: e.to_string(),
        fields: vec![FieldError {
            field,
            message: e.kind.to_string(),
        }],
    }
}

/// `GET /api/v1/scenarios/files`: the scenario set in force as TOML files.
#[utoipa::path(get, path = "/api/v1/scenarios/files", tag = "scenarios",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = ScenarioFilesDto)))]
async fn scenario_files(State(state): State<AppState>) -> ApiResult<ScenarioFilesDto> {
    let mut tx = state.store.begin_read().await?;
    let files = app::scenarios::stored_files(tx.as_mut()).await?;
    Ok(Json(ScenarioFilesDto::from_files(&files)))
}

/// `PUT /api/v1/scenarios`: validates a whole set and makes it the one in force (the next
/// run follows it); a set with an error is refused whole, naming file and line.
#[utoipa::path(put, path = "/api/v1/scenarios", tag = "scenarios",
    request_body = ScenarioFilesDto,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<ScenarioDto>), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_scenarios(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<ScenarioFilesDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Vec<ScenarioDto>> {
    let files = json_body(body)?.files();
    files.check().map_err(|e| scenario_problem(&e))?;
    let set = app::audit::load_scenarios(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &files,
    )
    .await?;
    Ok(Json(scenario_dtos(&set)))
}

/// `POST /api/v1/scenarios/reset`: back to the shipped scenarios.
#[utoipa::path(post, path = "/api/v1/scenarios/reset", tag = "scenarios",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<ScenarioDto>), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn reset_scenarios(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Vec<ScenarioDto>> {
    app::audit::reset_scenarios(state.store.as_ref(), state.clock.as_ref(), &ctx.actor()?).await?;
    let set = app::scenarios::ScenarioFiles::shipped().build()?;
    Ok(Json(scenario_dtos(&set)))
}

// -- messages: templates and letters

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplatePartDto {
    /// subject, text, html, sms or letter.
    pub part: String,
    /// Where the text comes from: built-in, file …, setting ….
    pub origin: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateDto {
    pub name: String,
    pub lang: String,
    pub parts: Vec<TemplatePartDto>,
}

/// `GET /api/v1/templates`: every template in each language, its parts and their origin.
#[utoipa::path(get, path = "/api/v1/templates", tag = "messages",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 200, body = Vec<TemplateDto>)))]
async fn list_templates(State(state): State<AppState>) -> ApiResult<Vec<TemplateDto>> {
    let comms = state.comms().await?;
    Ok(Json(
        comms
            .templates
            .list()
            .into_iter()
            .map(|t| TemplateDto {
                name: t.name,
                lang: t.lang.to_string(),
                parts: t
                    .parts
                    .into_iter()
                    .map(|(p, o)| TemplatePartDto {
                        part: p.to_string(),
                        origin: o.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientDto {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_lines: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewDto {
    /// The day previewed: tomorrow.
    #[schema(format = Date)]
    pub as_of: String,
    pub cases_seen: usize,
    /// Actions by channel.
    #[schema(value_type = Object)]
    pub actions_by_channel: std::collections::BTreeMap<String, usize>,
    /// Steps held back, by reason.
    #[schema(value_type = Object)]
    pub skips_by_reason: std::collections::BTreeMap<String, usize>,
    pub actions: usize,
    /// Set when payment data is too old for the run to remind anyone.
    pub stale: bool,
    /// Debtors whose legal step would wait for a payment in the review queue, and why.
    pub held_back: Vec<HeldBackDto>,
    /// Letters the run could not issue (no sender address, SIREN, IBAN or debtor address:
    /// docs/templates.md), each with its reason.
    pub letters_refused: Vec<String>,
}

/// A debtor whose legal step waits because a payment that may be theirs is in review.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldBackDto {
    pub debtor_id: i64,
    pub debtor_name: String,
    /// The step held back.
    pub step: String,
    /// The payments waiting for review whose suggestions name the debtor.
    pub payments: Vec<i64>,
    pub reason_en: String,
    pub reason_fr: String,
}

impl From<&app::dunning::RunReport> for PreviewDto {
    fn from(r: &app::dunning::RunReport) -> Self {
        Self {
            as_of: r.as_of.to_string(),
            cases_seen: r.cases_seen,
            actions_by_channel: r.actions_by_channel.clone(),
            skips_by_reason: r.skips_by_reason.clone(),
            actions: r.actions.len(),
            stale: r.stale.is_some(),
            held_back: r
                .held_back
                .iter()
                .map(|h| HeldBackDto {
                    debtor_id: h.debtor_id.0,
                    debtor_name: h.debtor_name.clone(),
                    step: h.step.clone(),
                    payments: h.payments.clone(),
                    reason_en: h.reason_en.clone(),
                    reason_fr: h.reason_fr.clone(),
                })
                .collect(),
            letters_refused: r
                .letters_refused
                .iter()
                .map(|l| {
                    format!(
                        "{} ({}), {}: {}",
                        l.debtor_name, l.debtor_id, l.step, l.refusal
                    )
                })
                .collect(),
        }
    }
}

/// `POST /api/v1/scenarios/preview`: what tomorrow's run would do with this set, without
/// saving it.
#[utoipa::path(post, path = "/api/v1/scenarios/preview", tag = "scenarios",
    request_body = ScenarioFilesDto,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = PreviewDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn preview_scenarios(
    State(state): State<AppState>,
    body: Result<Json<ScenarioFilesDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<PreviewDto> {
    let files = json_body(body)?.files();
    let set = files.check().map_err(|e| scenario_problem(&e))?;
    let report =
        app::dunning::preview_with(state.store.as_ref(), state.clock.as_ref(), set).await?;
    Ok(Json(PreviewDto::from(&report)))
}

// -- settings

/// The company's identity and bank details (the SEPA creditor identity) and its address.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyDto {
    pub name: String,
    /// The SEPA creditor identifier (ICS), e.g. `FR12ZZZ123456`.
    pub identifier: String,
    pub iban: String,
    pub bic: Option<String>,
    /// The postal address, lines separated by `\n`.
    #[serde(default)]
    pub address: String,
    /// The company number printed on letters (`SIREN 552 100 554` for a French company;
    /// a registered letter needs it). Absent in a `PUT`: left as it is.
    #[serde(default)]
    pub company_id: Option<String>,
}

/// `GET /api/v1/settings/company`: the company's identity and bank details.
#[utoipa::path(get, path = "/api/v1/settings/company", tag = "admin",
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CompanyDto), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_company(State(state): State<AppState>) -> ApiResult<CompanyDto> {
    let mut tx = state.store.begin_read().await?;
    let (i, address) = app::sepa::identity(tx.as_mut()).await?;
    let company_id = tx
        .setting(app::issuing::settings::SENDER_COMPANY_ID)
        .await?;
    Ok(Json(CompanyDto {
        name: i.name,
        identifier: i.identifier,
        iban: i.iban,
        bic: i.bic,
        address,
        company_id,
    }))
}

/// `PUT /api/v1/settings/company`: sets them (the IBAN and the creditor identifier are
/// checked; audited).
#[utoipa::path(put, path = "/api/v1/settings/company", tag = "admin",
    request_body = CompanyDto,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = CompanyDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_company(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<CompanyDto>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<CompanyDto> {
    let c = json_body(body)?;
    let identity = app::audit::set_company(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &app::sepa::CreditorIdentity {
            name: c.name,
            iban: c.iban,
            bic: c.bic,
            identifier: c.identifier,
        },
        &c.address,
        c.company_id.as_deref(),
    )
    .await?;
    let c = CompanyDto {
        name: identity.name,
        identifier: identity.identifier,
        iban: identity.iban,
        bic: identity.bic,
        address: c.address.trim().to_string(),
        company_id: c.company_id.map(|s| s.trim().to_string()),
    };
    Ok(Json(c))
}

// -- imports

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters the import handlers parse
struct ImportParams {
    /// The file's name, quoted in errors (`file:line: field: reason`).
    name: Option<String>,
    /// Claims: the creditor's code when the file has no `creditor` column.
    creditor: Option<String>,
    /// Statements: `camt`, `mt940` or `csv` (default: detected from the content).
    format: Option<String>,
    /// The column mapping, `key=Header` pairs separated by commas. Claims also take
    /// `default.COLUMN=value` (a value for a column the file lacks), `date_order=mdy` and
    /// `delimiter=;`.
    map: Option<String>,
    /// Statements: `true` imports a statement whose balances do not close (opening +
    /// entries ≠ closing) or an MT940 statement without its closing balance, refused
    /// otherwise.
    accept_unbalanced: Option<bool>,
}

/// `POST /api/v1/imports/claims`: imports a claims CSV (the request body) as
/// `recouvre import claims` does: all or nothing, idempotent; audited.
#[utoipa::path(post, path = "/api/v1/imports/claims", tag = "admin", params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The claims CSV (crates/formats/CLAIMS_CSV.md)"),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Object, description = "The import's report; `terms_warnings` lists the rows imported with a payment term beyond the French B2B caps (line, invoice, rules broken)"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 413, description = "The file is too large"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_claims(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, WebError> {
    import_file(
        &state,
        &ctx,
        p,
        &body,
        crate::ui_imports::ImportKind::Claims,
    )
    .await
}

/// `POST /api/v1/imports/statement`: imports a bank statement (camt.053/054, MT940, CSV;
/// the request body) as `recouvre import statement` does; audited.
#[utoipa::path(post, path = "/api/v1/imports/statement", tag = "admin", params(ImportParams),
    request_body(content = String, content_type = "application/octet-stream", description = "The statement file"),
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = Object, description = "The import's report"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 413, description = "The file is too large"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_statement(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, WebError> {
    import_file(
        &state,
        &ctx,
        p,
        &body,
        crate::ui_imports::ImportKind::Statement,
    )
    .await
}

/// An import through the API: at most 2 MB (axum's default body limit; the imports page
/// takes up to 32 MB).
async fn import_file(
    state: &AppState,
    ctx: &Ctx,
    mut p: Params,
    body: &[u8],
    kind: crate::ui_imports::ImportKind,
) -> Result<Json<serde_json::Value>, WebError> {
    let name = p
        .get::<String>("name")
        .unwrap_or_else(|| "upload".to_string());
    let creditor = p.get::<String>("creditor");
    let format = p.get::<String>("format").unwrap_or_default();
    let map = p.get::<String>("map").unwrap_or_default();
    let accept_unbalanced = p.get::<bool>("accept_unbalanced").unwrap_or(false);
    p.finish()?;
    if body.is_empty() {
        return Err(WebError::field("body", "the file is empty / fichier vide"));
    }
    let options =
        crate::ui_imports::Options::read(kind, &format, &map, creditor, accept_unbalanced)?;
    let report =
        crate::ui_imports::import_and_audit(state, &ctx.actor()?, &name, body, &options).await?;
    Ok(Json(
        serde_json::to_value(&report).unwrap_or(serde_json::Value::Null),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplatePreviewDto {
    pub template: String,
    pub lang: String,
    pub reference: String,
    pub recipient: RecipientDto,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sms: Option<String>,
    pub letter: String,
    /// Everything the message claims, formatted in its language.
    pub total_claimed: String,
    /// Figures that could not be computed (a rate the law engine does not know).
    pub warnings: Vec<String>,
    /// The letter as a PDF.
    pub letter_pdf: String,
}

fn debtor_param(p: &mut Params) -> Result<DebtorId, WebError> {
    match p.get::<i64>("debtor") {
        Some(id) if id > 0 => Ok(DebtorId(id)),
        _ => Err(WebError::field(
            "debtor",
            "a positive debtor id is required",
        )),
    }
}

/// `GET /api/v1/templates/{name}/preview?debtor=ID&lang=fr|en`: the template rendered for
/// a debtor as of today, in the debtor's language unless `lang` says otherwise.
#[utoipa::path(get, path = "/api/v1/templates/{name}/preview", tag = "messages",
    params(("name" = String, Path, description = "The template's name"),
        ("debtor" = i64, Query, minimum = 1, description = "The debtor's id"),
        ("lang" = Option<String>, Query, pattern = "^(fr|en)$", description = "fr or en (default: the debtor's language)")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 200, body = TemplatePreviewDto)))]
async fn preview_template(
    State(state): State<AppState>,
    Path(name): Path<String>,
    mut p: Params,
) -> ApiResult<TemplatePreviewDto> {
    let debtor = debtor_param(&mut p);
    let lang = p.get::<comms::Lang>("lang");
    p.finish()?;
    let debtor = debtor?;
    let comms = state.comms().await?;
    let c = comms::compose_preview(
        state.store.as_ref(),
        &comms,
        &name,
        debtor,
        lang,
        state.clock.today(),
    )
    .await?;
    Ok(Json(TemplatePreviewDto {
        letter_pdf: format!(
            "/api/v1/debtors/{}/letter.pdf?template={}&lang={}",
            debtor.0,
            crate::ui::url_encode(&c.template),
            c.lang
        ),
        template: c.template,
        lang: c.lang.to_string(),
        reference: c.reference,
        recipient: RecipientDto {
            name: c.recipient.name,
            email: c.recipient.email,
            phone: c.recipient.phone,
            address_lines: c.recipient.address_lines,
        },
        subject: c.subject,
        text: c.text,
        html: c.html,
        sms: c.sms,
        letter: c.letter,
        total_claimed: c.total_claimed,
        warnings: c.warnings,
    }))
}

/// `GET /api/v1/debtors/{id}/letter.pdf?template=NAME&lang=`: the debtor's letter as a
/// PDF, as of today (default template: the formal notice for the debtor's segment).
#[utoipa::path(get, path = "/api/v1/debtors/{id}/letter.pdf", tag = "messages",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id"),
        ("template" = Option<String>, Query, description = "The template (default formal_notice_b2b or formal_notice_b2c)"),
        ("lang" = Option<String>, Query, pattern = "^(fr|en)$", description = "fr or en (default: the debtor's language)")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 200, content_type = "application/pdf", description = "The letter")))]
async fn debtor_letter(
    State(state): State<AppState>,
    Path(id): Path<String>,
    mut p: Params,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let id = DebtorId(id_path(&id)?);
    let template = p.get::<String>("template");
    let lang = p.get::<comms::Lang>("lang");
    p.finish()?;
    let template = match template {
        Some(t) => t,
        None => {
            let mut tx = state.store.begin().await?;
            let debtor = tx.debtor(id).await?.ok_or_else(|| {
                WebError::NotFound(format!("debtor {id} not found / débiteur introuvable"))
            })?;
            match debtor.segment {
                Segment::B2b => "formal_notice_b2b".to_string(),
                Segment::B2c => "formal_notice_b2c".to_string(),
            }
        }
    };
    let comms = state.comms().await?;
    let c = comms::compose_preview(
        state.store.as_ref(),
        &comms,
        &template,
        id,
        lang,
        state.clock.today(),
    )
    .await?;
    let pdf = c.letter_pdf()?;
    let filename: String = format!("{template}-{}.pdf", c.reference)
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

// -- reports

/// The parameters of report `kind`, read from the query string; a bad one is reported by
/// name. `as_of` defaults to today, the period to the 90 days ending on `to` (for the
/// payment-terms table, the financial year closing on `to`).
pub fn report_query(
    p: &mut Params,
    today: Date,
    kind: app::reports::ReportKind,
) -> app::reports::ReportQuery {
    use app::reports::{Period, ReportQuery, TermsOptions};
    let as_of = p.get::<Date>("as_of").unwrap_or(today);
    let from = p.get::<Date>("from");
    let to = p.get::<Date>("to");
    let period = match kind.period(as_of, from, to) {
        Ok(period) => period,
        Err(e) => {
            p.errors.push(FieldError {
                field: "from".into(),
                message: e.to_string(),
            });
            Period {
                from: as_of,
                to: as_of,
            }
        }
    };
    let group_by = p
        .get::<domain::analytics::GroupBy>("group_by")
        .unwrap_or_default();
    let buckets = match p
        .map
        .get("buckets")
        .filter(|t| !t.trim().is_empty())
        .cloned()
    {
        Some(text) => Buckets::parse(&text).unwrap_or_else(|e| {
            p.errors.push(FieldError {
                field: "buckets".into(),
                message: e,
            });
            Buckets::default()
        }),
        None => Buckets::default(),
    };
    let terms = TermsOptions {
        variant: p.get("variant").unwrap_or_default(),
        reference: p.get("reference").unwrap_or_default(),
        basis: p.get("amounts").unwrap_or_default(),
    };
    ReportQuery {
        as_of,
        period,
        buckets,
        group_by,
        terms,
    }
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters that `report_query` parses
struct ReportParams {
    /// The day the report is computed on (default: today).
    #[param(format = Date)]
    as_of: Option<String>,
    /// First day of the period of kpis and effectiveness (default: 90 days ending `to`);
    /// payment-terms: first day of the financial year (default: the day after the closing
    /// date a year earlier).
    #[param(format = Date)]
    from: Option<String>,
    /// Last day of the period (default: `as_of`); payment-terms: the closing date.
    #[param(format = Date)]
    to: Option<String>,
    /// Payment terms: `unpaid` (D441-6 I, default) or `paid-late` (D441-6 II).
    #[param(inline)]
    variant: Option<TermsVariantParam>,
    /// Payment terms: lateness from the `contractual` due dates (default) or the `legal`
    /// term (60 days from issue).
    #[param(inline)]
    reference: Option<ReferenceTermsParam>,
    /// Payment terms: `ttc` (default, the ledger's amounts); `ht` is refused with 400, the
    /// ledger holds no VAT split.
    amounts: Option<String>,
    /// Aged balance: `debtor`, `creditor`, `currency` (default), `country`, `segment`,
    /// `collector` or `financing` (own, assigned to a factor, insured).
    #[param(inline)]
    group_by: Option<GroupByParam>,
    /// Aged balance: upper bounds of the overdue buckets in days (default `30,60,90,180`).
    buckets: Option<String>,
}

/// A report: its table as the CLI, CSV and XLSX show it, and its full figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    /// `aging`, `kpis`, `effectiveness`, `forecast` or `payment-terms`.
    pub report: String,
    #[schema(format = Date)]
    pub as_of: String,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// The title and column headers, in the caller's language.
    pub title: String,
    pub headers: Vec<String>,
    /// The cells as text (amounts as exact decimals with a point, empty when not
    /// computable).
    pub rows: Vec<Vec<String>>,
    /// Every figure of the report, as computed (amounts in minor units with their
    /// currency, days and percentages as decimal strings); see `docs/kpis.md`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

async fn report_dto(
    state: &AppState,
    ctx: &Ctx,
    mut p: Params,
    kind: app::reports::ReportKind,
) -> ApiResult<ReportDto> {
    let q = report_query(&mut p, state.clock.today(), kind);
    p.finish()?;
    let mut tx = state.store.begin().await?;
    let book = state.books.get(tx.as_mut()).await?;
    let report = app::reports::report(tx.as_mut(), &book, kind, &q).await?;
    drop(tx);
    let t = crate::i18n::Tr::new(state.i18n.clone(), ctx.lang);
    let sheet = app::reports::sheet(&report, &|k| t.get(k));
    let data = serde_json::to_value(&report).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(ReportDto {
        report: kind.as_str().to_string(),
        as_of: q.as_of.to_string(),
        from: q.period.from.to_string(),
        to: q.period.to.to_string(),
        title: sheet.title,
        headers: sheet.headers,
        rows: sheet
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text(false)).collect())
            .collect(),
        data,
    }))
}

/// `GET /api/v1/reports/aging`: the aged balance as of a date, grouped.
#[utoipa::path(get, path = "/api/v1/reports/aging", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report_aging(State(state): State<AppState>, ctx: Ctx, p: Params) -> ApiResult<ReportDto> {
    report_dto(&state, &ctx, p, app::reports::ReportKind::Aging).await
}

/// `GET /api/v1/reports/kpis`: DSO (simple and countback), best possible DSO, average days
/// delinquent, CEI, recovery rate, time to collect, share paid late, write-offs, cost of
/// collection, over a period.
#[utoipa::path(get, path = "/api/v1/reports/kpis", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report_kpis(State(state): State<AppState>, ctx: Ctx, p: Params) -> ApiResult<ReportDto> {
    report_dto(&state, &ctx, p, app::reports::ReportKind::Kpis).await
}

/// `GET /api/v1/reports/effectiveness`: what each scenario step and template was followed
/// by within 7 and 30 days, against the no-action baseline.
#[utoipa::path(get, path = "/api/v1/reports/effectiveness", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report_effectiveness(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
) -> ApiResult<ReportDto> {
    report_dto(&state, &ctx, p, app::reports::ReportKind::Effectiveness).await
}

/// `GET /api/v1/reports/forecast`: expected receipts per week for the next 13 weeks.
#[utoipa::path(get, path = "/api/v1/reports/forecast", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report_forecast(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
) -> ApiResult<ReportDto> {
    report_dto(&state, &ctx, p, app::reports::ReportKind::Forecast).await
}

// ------------------------------------------------------------------ limitation, routes

/// A text in both languages.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextDto {
    pub code: String,
    pub fr: String,
    pub en: String,
}

impl From<&domain::law::Text> for TextDto {
    fn from(t: &domain::law::Text) -> Self {
        Self {
            code: t.code.to_string(),
            fr: t.fr.clone(),
            en: t.en.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LimitationLineDto {
    pub claim_id: i64,
    pub number: String,
    pub open: MoneyDto,
    /// `commercial`, `civil`, `consumer`, `consumer_credit_foreclosure` or
    /// `enforcement_title` (after a judgment).
    pub kind: String,
    /// The last day to act.
    #[schema(format = Date)]
    pub deadline: String,
    pub days_left: i32,
    /// `none`, `within90`, `within30` or `expired`.
    pub alert: String,
    /// What the period runs from: `exigibility`, `acknowledgment`, `part_payment`,
    /// `legal_action`, `suspension_ended`, `judgment`…
    pub runs_from: String,
    #[schema(format = Date)]
    pub runs_from_date: String,
    pub basis: TextDto,
    /// A court claim is pending or a mediation is under way: the deadline is a lower
    /// bound and no alert is raised.
    pub on_hold: bool,
    /// The event that would save the claim, and by when.
    pub remedy: TextDto,
    /// Events that changed nothing, and why.
    pub notes: Vec<TextDto>,
}

impl From<&app::law::LimitationLine> for LimitationLineDto {
    fn from(l: &app::law::LimitationLine) -> Self {
        let d = &l.deadline;
        Self {
            claim_id: l.claim_id.0,
            number: l.number.clone(),
            open: l.open.into(),
            kind: snake(&d.kind),
            deadline: d.deadline.to_string(),
            days_left: l.days_left,
            alert: snake(&l.alert),
            runs_from: d.runs_from.kind.code().to_string(),
            runs_from_date: d.runs_from.date.to_string(),
            basis: (&d.basis).into(),
            on_hold: d.proceedings_pending || d.suspended,
            remedy: (&d.remedy()).into(),
            notes: d.notes.iter().map(TextDto::from).collect(),
        }
    }
}

/// The serde name of a unit enum (`snake_case`).
fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LimitationEventDto {
    pub id: i64,
    pub debtor_id: i64,
    /// Absent: the event counts for every claim of the debtor (and those where it is a
    /// solidary co-debtor).
    pub claim_id: Option<i64>,
    #[schema(
        pattern = "^(acknowledgment|court_claim|court_claim_dismissed|court_claim_withdrawn|enforcement_act|mediation|judgment)$"
    )]
    pub kind: String,
    #[schema(format = Date)]
    pub date: String,
    #[schema(format = Date)]
    pub end: Option<String>,
    pub proof: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl From<&app::store::StoredLimitationEvent> for LimitationEventDto {
    fn from(e: &app::store::StoredLimitationEvent) -> Self {
        Self {
            id: e.id,
            debtor_id: e.debtor_id.0,
            claim_id: e.claim_id.map(|c| c.0),
            kind: e.kind.as_str().to_string(),
            date: e.on.to_string(),
            end: e.end.map(|d| d.to_string()),
            proof: e.proof.clone(),
            note: e.note.clone(),
            recorded_by: e.recorded_by.clone(),
            recorded_at: e.recorded_at.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DebtorLimitationDto {
    /// The open claims' deadlines, soonest first.
    pub claims: Vec<LimitationLineDto>,
    /// The events recorded on the debtor, its claims and its solidary co-debtors, by date.
    pub events: Vec<LimitationEventDto>,
}

/// `GET /api/v1/debtors/{id}/limitation`: each open claim's limitation deadline, the event
/// it runs from and what would save it, with the events recorded.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/limitation", tag = "law",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = DebtorLimitationDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn debtor_limitation(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<DebtorLimitationDto> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    let l = app::law::debtor_limitation(tx.as_mut(), id, state.clock.today()).await?;
    Ok(Json(DebtorLimitationDto {
        claims: l.lines.iter().map(LimitationLineDto::from).collect(),
        events: l.events.iter().map(LimitationEventDto::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitationEventRequest {
    #[schema(
        pattern = "^(acknowledgment|court_claim|court_claim_dismissed|court_claim_withdrawn|enforcement_act|mediation|judgment)$"
    )]
    pub kind: String,
    /// The day it happened (a judgment: the day it became enforceable); not in the future.
    #[schema(format = Date, example = "2026-02-14")]
    pub date: String,
    /// The end of a mediation or conciliation, once it has ended.
    #[schema(format = Date)]
    pub end: Option<String>,
    /// A reference to the proof (document name, docket number), at most 500 characters.
    pub proof: Option<String>,
    pub note: Option<String>,
}

/// Checks a request and records the event, audited.
async fn record_event(
    state: &AppState,
    ctx: &Ctx,
    subject: app::limitation_events::EventSubject,
    body: LimitationEventRequest,
) -> ApiResult<LimitationEventDto> {
    let new = new_event(subject, body)?;
    let event = app::audit::record_limitation_event(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &new,
    )
    .await?;
    Ok(Json((&event).into()))
}

fn new_event(
    subject: app::limitation_events::EventSubject,
    body: LimitationEventRequest,
) -> Result<app::limitation_events::NewLimitationEvent, WebError> {
    let date = |field: &'static str, v: &str| {
        domain::date::parse_iso(v.trim())
            .map_err(|_| WebError::field(field, format!("{v:?} is not a date (YYYY-MM-DD)")))
    };
    Ok(app::limitation_events::NewLimitationEvent {
        subject,
        kind: body
            .kind
            .parse::<app::store::LimitationEventKind>()
            .map_err(|e| WebError::field("kind", e))?,
        on: date("date", &body.date)?,
        end: body
            .end
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| date("end", v))
            .transpose()?,
        proof: body.proof,
        note: body.note,
    })
}

/// `POST /api/v1/debtors/{id}/limitation-events`: records a limitation event for every
/// claim of the debtor (and those where it is a solidary co-debtor, C. civ. 2245), audited.
#[utoipa::path(post, path = "/api/v1/debtors/{id}/limitation-events", tag = "law",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    request_body = LimitationEventRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = LimitationEventDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_debtor_limitation_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<LimitationEventRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LimitationEventDto> {
    let subject = app::limitation_events::EventSubject::Debtor(DebtorId(id_path(&id)?));
    record_event(&state, &ctx, subject, json_body(body)?).await
}

/// `POST /api/v1/claims/{id}/limitation-events`: records a limitation event on one claim,
/// audited.
#[utoipa::path(post, path = "/api/v1/claims/{id}/limitation-events", tag = "law",
    params(("id" = i64, Path, minimum = 1, description = "The claim's id")),
    request_body = LimitationEventRequest,
    responses((status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = LimitationEventDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_claim_limitation_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Result<Json<LimitationEventRequest>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<LimitationEventDto> {
    let subject = app::limitation_events::EventSubject::Claim(ClaimId(id_path(&id)?));
    record_event(&state, &ctx, subject, json_body(body)?).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RouteDto {
    /// `fr.injonction_de_payer`, `fr.petites_creances`, `fr.refere_provision`,
    /// `eu.order_for_payment`, `eu.small_claims`.
    pub route: String,
    pub name: TextDto,
    pub basis: String,
    pub open: bool,
    pub conditions: Vec<TextDto>,
    /// Why it is closed.
    pub blockers: Vec<TextDto>,
    /// Estimated cost, low and high (estimates: no published tariff).
    pub cost_low: MoneyDto,
    pub cost_high: MoneyDto,
    pub recoverable: MoneyDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimeBarredDto {
    pub claim_id: i64,
    pub number: String,
    pub open: MoneyDto,
    #[schema(format = Date)]
    pub deadline: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoutesDto {
    pub debtor_id: i64,
    /// Principal + interest + indemnities of the overdue claims litigated.
    pub total: MoneyDto,
    pub expected_recovery: MoneyDto,
    /// `advice.nothing_due`, `advice.no_route_open`, `advice.do_not_litigate`,
    /// `advice.resolve_dispute_first`, `advice.litigate`, `advice.time_barred`,
    /// `advice.public_body`.
    pub recommendation: TextDto,
    pub recommended_route: Option<String>,
    pub routes: Vec<RouteDto>,
    /// Overdue claims left out because their limitation deadline has passed.
    pub time_barred: Vec<TimeBarredDto>,
    /// An open dispute covers a claim litigated.
    pub disputed: bool,
    /// The debtor is tagged `public` (a public body): no civil procedure.
    pub public_body: bool,
}

/// `GET /api/v1/debtors/{id}/routes`: the legal routes open for the debtor's overdue
/// claims (EUR), their estimated costs, and the advice.
#[utoipa::path(get, path = "/api/v1/debtors/{id}/routes", tag = "law",
    params(("id" = i64, Path, minimum = 1, description = "The debtor's id")),
    responses((status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 200, body = RoutesDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn debtor_routes(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<RoutesDto> {
    let id = DebtorId(id_path(&id)?);
    let mut tx = state.store.begin_read().await?;
    let r = app::law::debtor_routes(tx.as_mut(), id, state.clock.today(), &state.rates).await?;
    Ok(Json(routes_dto(&r)))
}

pub(crate) fn routes_dto(r: &app::law::DebtorRoutes) -> RoutesDto {
    let a = &r.advice;
    RoutesDto {
        debtor_id: r.debtor_id.0,
        total: a.total.into(),
        expected_recovery: a.expected_recovery.into(),
        recommendation: (&a.recommendation.text).into(),
        recommended_route: a.recommendation.route.map(|x| x.code().to_string()),
        routes: a
            .routes
            .iter()
            .map(|x| RouteDto {
                route: x.route.code().to_string(),
                name: (&x.name).into(),
                basis: x.basis.to_string(),
                open: x.open,
                conditions: x.conditions.iter().map(TextDto::from).collect(),
                blockers: x.blockers.iter().map(TextDto::from).collect(),
                cost_low: x.cost.low.into(),
                cost_high: x.cost.high.into(),
                recoverable: x.recoverable.into(),
            })
            .collect(),
        time_barred: r
            .time_barred
            .iter()
            .map(|t| TimeBarredDto {
                claim_id: t.claim_id.0,
                number: t.number.clone(),
                open: t.open.into(),
                deadline: t.deadline.to_string(),
            })
            .collect(),
        disputed: r.disputed,
        public_body: r.public_body,
    }
}

/// `GET /api/v1/reports/payment-terms`: the table of payment terms of the management
/// report (C. com. L441-14, D441-6 and the model of the arrêté of 20 March 2017): invoices
/// unpaid at the closing date (`variant=unpaid`) or paid late during the financial year
/// (`variant=paid-late`), by lateness bracket (0 days, 1–30, 31–60, 61–90, 91 and more,
/// total), with number, amount incl. VAT and share of the year's invoices; disputed
/// invoices counted apart; the reference terms used. `from` is the first day of the
/// financial year, `to` the closing date.
#[utoipa::path(get, path = "/api/v1/reports/payment-terms", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn report_payment_terms(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
) -> ApiResult<ReportDto> {
    report_dto(&state, &ctx, p, app::reports::ReportKind::PaymentTerms).await
}
