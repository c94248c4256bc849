//! The debtor page's quick actions beyond a promise, a dispute and a hold: log a call,
//! propose then create a payment plan (and record the co-debtors' consents it waits for),
//! resolve a dispute, assign the case to a collector. Each calls the audited use case of
//! `app::audit`, as the CLI and the API do, and comes back to the debtor's page with a
//! notice. Also builds the debtor page's panel of plans, disputes and other parties.

use crate::AppState;
use crate::api::PlanRequest;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::Tr;
use crate::ui::{
    OrPage, Page, PageResult, finish, parse_id, render, role_of, see_other, with_notice,
};
use app::store::{CallOutcome, Role, Tx};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::agreements::{Frequency, PlanStatus, Resolution};
use domain::{ClaimId, Date, DebtorId, Money};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/debtors/{id}/calls", post(log_call))
        .route("/debtors/{id}/plans", post(plan))
        .route("/debtors/{id}/assign", post(assign))
        .route("/plans/{id}/consents", post(consent))
        .route("/disputes/{id}/resolve", post(resolve))
}

pub(crate) type Fields = HashMap<String, String>;

pub(crate) fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.get(name).map_or("", |s| s.trim())
}

pub(crate) fn optional(form: &Fields, name: &str) -> Option<String> {
    Some(field(form, name).to_string()).filter(|s| !s.is_empty())
}

// -- the panel of the debtor page

/// A plan on the debtor page.
#[derive(Debug)]
pub struct PlanRow {
    pub id: i64,
    pub status: String,
    pub draft: bool,
    pub summary: String,
    /// Co-debtors still to consent: (id, name).
    pub missing: Vec<(i64, String)>,
    /// Consents given: "name, date".
    pub consented: Vec<String>,
}

/// An open dispute on the debtor page.
#[derive(Debug)]
pub struct DisputeRow {
    pub id: i64,
    pub claims: String,
    pub reason: String,
    pub opened: String,
    pub owner: String,
}

/// Another party bound to one of the debtor's claims, or a claim of another debtor this
/// debtor answers for.
#[derive(Debug)]
pub struct PartyRow {
    pub claim_id: i64,
    pub claim: String,
    pub debtor_id: i64,
    pub name: String,
    pub role: String,
    /// The party's e-mail or phone, what a reminder reaches it by (empty: none).
    pub contact: String,
}

/// What the debtor page shows of agreements and parties, and the choices of its forms.
#[derive(Debug, Default)]
pub struct Panel {
    pub plans: Vec<PlanRow>,
    pub disputes: Vec<DisputeRow>,
    /// Co-debtors and guarantors of this debtor's claims.
    pub parties: Vec<PartyRow>,
    /// Claims of other debtors this debtor is bound to.
    pub bound_to: Vec<PartyRow>,
    pub outcomes: Vec<(&'static str, String)>,
    pub frequencies: Vec<(&'static str, String)>,
    /// Active users who may own a case: (login, display name).
    pub owners: Vec<(String, String)>,
    pub owner: Option<String>,
    pub can_assign: bool,
    pub can_resolve: bool,
    pub plan_first_default: String,
}

pub async fn name_and_contact(tx: &mut dyn Tx, id: DebtorId) -> Result<(String, String), WebError> {
    Ok(match tx.debtor(id).await? {
        Some(d) => {
            let contact = d
                .contacts
                .iter()
                .find(|c| {
                    matches!(
                        c.kind,
                        domain::ContactKind::Email | domain::ContactKind::Phone
                    )
                })
                .map(|c| c.value.clone())
                .unwrap_or_default();
            (d.name, contact)
        }
        None => (id.to_string(), String::new()),
    })
}

/// The debtor page's panel, read inside the page's transaction.
pub async fn panel(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    t: &Tr,
    debtor: DebtorId,
    owner: Option<String>,
    today: Date,
) -> Result<Panel, WebError> {
    let lang = t.lang;
    let a = app::agreements::of_debtor(tx, debtor).await?;
    let claims = tx.claims_of_debtor(debtor).await?;
    let number = |id: ClaimId| {
        claims
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.number.to_string())
    };
    let mut plans = Vec::new();
    for (id, p) in a.plans.iter().rev() {
        if !matches!(p.status, PlanStatus::Draft | PlanStatus::Active) {
            continue;
        }
        let total = Money::from_minor(
            p.instalments.iter().map(|i| i.amount.minor()).sum(),
            p.currency,
        );
        let mut missing = Vec::new();
        for d in domain::agreements::missing_consents(p) {
            missing.push((d.0, name_and_contact(tx, d).await?.0));
        }
        let mut consented = Vec::new();
        for c in &p.consents {
            let name = name_and_contact(tx, c.debtor_id).await?.0;
            consented.push(format!("{name}, {}", fmt::date(c.on, lang)));
        }
        plans.push(PlanRow {
            id: *id,
            status: t.get(&format!(
                "agreement-status-{}",
                app::agreements::status_name(p.status)
            )),
            draft: p.status == PlanStatus::Draft,
            summary: format!(
                "{} · {}",
                t.with("agreement-plan", &p.instalments.len().to_string()),
                fmt::money(total, lang)
            ),
            missing,
            consented,
        });
    }
    let disputes = a
        .disputes
        .iter()
        .filter(|(_, d)| d.is_open())
        .map(|(id, d)| DisputeRow {
            id: *id,
            claims: d
                .claims
                .iter()
                .map(|c| number(*c))
                .collect::<Vec<_>>()
                .join(", "),
            reason: t.get(&format!("reason-{}", d.reason.as_str())),
            opened: fmt::date(d.opened_on, lang),
            owner: d.owner.clone(),
        })
        .collect();
    let mut parties = Vec::new();
    for p in &a.parties {
        let (name, contact) = name_and_contact(tx, p.debtor_id).await?;
        parties.push(PartyRow {
            claim_id: p.claim_id.0,
            claim: number(p.claim_id),
            debtor_id: p.debtor_id.0,
            name,
            role: t.get(&format!("party-{}", p.role.as_str())),
            contact,
        });
    }
    let mut bound_to = Vec::new();
    for p in app::agreements::bound_to(tx, debtor).await? {
        let Some(claim) = tx.claim(p.claim_id).await? else {
            continue;
        };
        let (name, _) = name_and_contact(tx, claim.debtor_id).await?;
        bound_to.push(PartyRow {
            claim_id: claim.id.0,
            claim: claim.number.to_string(),
            debtor_id: claim.debtor_id.0,
            name,
            role: t.get(&format!("party-{}", p.role.as_str())),
            contact: String::new(),
        });
    }
    let role = role_of(ctx);
    let can_assign = role >= Some(Role::Manager);
    let owners = if can_assign {
        tx.users()
            .await?
            .into_iter()
            .filter(|u| u.active && u.role >= Role::Collector)
            .map(|u| (u.login, u.display_name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Panel {
        plans,
        disputes,
        parties,
        bound_to,
        outcomes: CallOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), t.get(&format!("outcome-{}", o.as_str()))))
            .collect(),
        frequencies: [
            Frequency::Monthly,
            Frequency::Weekly,
            Frequency::Fortnightly,
            Frequency::Quarterly,
        ]
        .iter()
        .map(|f| {
            let code = frequency_code(*f);
            (code, t.get(&format!("every-{code}")))
        })
        .collect(),
        owners,
        owner,
        can_assign,
        can_resolve: role >= Some(Role::Manager),
        plan_first_default: today
            .checked_add(jiff::Span::new().days(15))
            .unwrap_or(today)
            .to_string(),
    })
}

pub fn frequency_code(f: Frequency) -> &'static str {
    match f {
        Frequency::Weekly => "weekly",
        Frequency::Fortnightly => "fortnightly",
        Frequency::Monthly => "monthly",
        Frequency::Quarterly => "quarterly",
    }
}

// -- log a call

async fn log_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, log_call_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/calls`: how the call went, a note, and perhaps a promise made on
/// the call (amount and date, both or neither).
async fn log_call_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let outcome = match field(form, "outcome") {
        "" | "note" => None,
        text => Some(
            text.parse::<CallOutcome>()
                .map_err(|e| WebError::field("outcome", e))
                .page(&ctx)?,
        ),
    };
    let promise = promise_terms(
        state,
        id,
        optional(form, "promise_amount"),
        optional(form, "promise_due"),
    )
    .await
    .page(&ctx)?;
    let log = app::notes::CallLog {
        debtor: id,
        outcome,
        note: field(form, "note").to_string(),
        promise,
    };
    let actor = ctx.actor().page(&ctx)?;
    app::audit::log_call(state.store.as_ref(), state.clock.as_ref(), &actor, &log)
        .await
        .page(&ctx)?;
    let notice = if outcome.is_some() {
        "call-logged"
    } else {
        "note-added"
    };
    Ok(see_other(&with_notice(&format!("/debtors/{id}"), notice)))
}

/// The promise made on a call: an amount and a date, both or neither.
pub async fn promise_terms(
    state: &AppState,
    debtor: DebtorId,
    amount: Option<String>,
    due: Option<String>,
) -> Result<Option<app::agreements::PromiseTerms>, WebError> {
    let (amount, due) = match (amount, due) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(WebError::field(
                "promise_due",
                "the promised date is missing / date promise manquante",
            ));
        }
        (None, Some(_)) => {
            return Err(WebError::field(
                "promise_amount",
                "the promised amount is missing / montant promis manquant",
            ));
        }
        (Some(a), Some(d)) => (a, d),
    };
    let due = due
        .parse::<Date>()
        .map_err(|e| WebError::field("promise_due", format!("{due:?}: {e}")))?;
    let mut tx = state.store.begin().await?;
    let currency = app::agreements::open_currency(tx.as_mut(), debtor, state.clock.today()).await?;
    drop(tx);
    let amount = Money::parse(&amount, currency)
        .map_err(|e| WebError::field("promise_amount", format!("{amount:?}: {e}")))?;
    Ok(Some(app::agreements::PromiseTerms {
        debtor,
        amount,
        due,
        claims: Vec::new(),
        channel: "phone".into(),
        note: String::new(),
    }))
}

// -- propose and create a plan

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    page: Page,
    debtor_id: i64,
    debtor_name: String,
    total: String,
    total_with_interest: String,
    rows: Vec<(usize, String, String, String)>,
    co_debtors: Vec<String>,
    /// The form's fields, sent again to create the plan.
    fields: Vec<(String, String)>,
}

impl PlanRequest {
    /// The request of the plan form's fields.
    fn from_form(form: &Fields) -> Result<Self, WebError> {
        let number = |name: &str| -> Result<Option<i64>, WebError> {
            match field(form, name) {
                "" => Ok(None),
                t => t.parse::<i64>().map(Some).map_err(|_| {
                    WebError::field(name, format!("{t:?}: a whole number / un nombre entier"))
                }),
            }
        };
        Ok(Self {
            claims: None,
            down_payment: optional(form, "down_payment"),
            count: number("count")?
                .map(u32::try_from)
                .transpose()
                .map_err(|_| WebError::field("count", "1 or more / 1 ou plus"))?,
            instalment: optional(form, "instalment"),
            every: optional(form, "every"),
            first: optional(form, "first"),
            rate: optional(form, "rate"),
            grace_days: number("grace_days")?
                .map(i32::try_from)
                .transpose()
                .map_err(|_| WebError::field("grace_days", "0 to 60 / de 0 à 60"))?,
            channel: optional(form, "channel"),
        })
    }
}

async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, plan_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/plans`: with `do=preview` shows the schedule the terms give
/// (nothing saved), with `do=create` saves the plan (active, or waiting for co-debtors).
async fn plan_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let today = state.clock.today();
    let request = PlanRequest::from_form(form).page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let mut tx = state.store.begin().await.page(&ctx)?;
    let terms = request
        .terms(tx.as_mut(), id, today, actor.as_str())
        .await
        .page(&ctx)?;
    if field(form, "do") == "create" {
        drop(tx);
        let (_, plan) = app::audit::create_plan(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            id,
            &terms,
        )
        .await
        .page(&ctx)?;
        let notice = if plan.status == PlanStatus::Draft {
            "plan-draft"
        } else {
            "plan-created"
        };
        return Ok(see_other(&with_notice(&format!("/debtors/{id}"), notice)));
    }
    let proposal = app::agreements::propose_plan(tx.as_mut(), id, &terms, today)
        .await
        .page(&ctx)?;
    let debtor_name = tx
        .debtor(id)
        .await
        .page(&ctx)?
        .map(|d| d.name)
        .unwrap_or_default();
    let mut co_debtors = Vec::new();
    for d in &proposal.plan.co_debtors {
        co_debtors.push(name_and_contact(tx.as_mut(), *d).await.page(&ctx)?.0);
    }
    drop(tx);
    let mut page = Page::new(state, &ctx, "plan-title", "/debtors");
    page.here = format!("/debtors/{id}");
    let lang = ctx.lang;
    let keep = [
        "down_payment",
        "count",
        "instalment",
        "every",
        "first",
        "rate",
        "grace_days",
        "channel",
    ];
    Ok(render(&PlanPage {
        debtor_id: id.0,
        debtor_name,
        total: fmt::money(proposal.total, lang),
        total_with_interest: fmt::money(proposal.total_with_interest, lang),
        rows: proposal
            .plan
            .instalments
            .iter()
            .enumerate()
            .map(|(i, x)| {
                (
                    i + 1,
                    fmt::date(x.due, lang),
                    fmt::money(x.amount, lang),
                    fmt::money(x.interest, lang),
                )
            })
            .collect(),
        co_debtors,
        fields: keep
            .iter()
            .filter_map(|k| optional(form, k).map(|v| ((*k).to_string(), v)))
            .collect(),
        page,
    }))
}

// -- consents

async fn consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, consent_inner(&state, ctx, &id, &form).await)
}

/// `POST /plans/{id}/consents`: a co-debtor's consent, by the channel it came through.
async fn consent_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let plan_id = parse_id(&ctx, id, "plan")?;
    let debtor = DebtorId(
        field(form, "debtor")
            .parse::<i64>()
            .map_err(|_| WebError::field("debtor", "choose the co-debtor / choisir le codébiteur"))
            .page(&ctx)?,
    );
    let channel = optional(form, "channel").unwrap_or_else(|| "letter".into());
    let actor = ctx.actor().page(&ctx)?;
    let (plan, missing) = app::audit::record_consent(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        plan_id,
        debtor,
        &channel,
    )
    .await
    .page(&ctx)?;
    let notice = if missing.is_empty() {
        "plan-active"
    } else {
        "consent-recorded"
    };
    Ok(see_other(&with_notice(
        &format!("/debtors/{}", plan.debtor_id),
        notice,
    )))
}

// -- resolve a dispute

async fn resolve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, resolve_inner(&state, ctx, &id, &form).await)
}

/// The resolution a form or request asks for: `credit_note` or `partial` with an amount
/// (in the disputed claims' currency), or `reject`.
pub async fn resolution(
    state: &AppState,
    dispute: i64,
    how: &str,
    amount: Option<&str>,
) -> Result<Resolution, WebError> {
    if how == "reject" {
        return Ok(Resolution::Rejected);
    }
    if !matches!(how, "credit_note" | "partial") {
        return Err(WebError::field(
            "how",
            format!("{how:?}: credit_note, partial or reject"),
        ));
    }
    let text = amount.unwrap_or("").trim();
    let mut tx = state.store.begin().await?;
    let currency = app::agreements::dispute_currency(tx.as_mut(), dispute).await?;
    drop(tx);
    let amount = Money::parse(text, currency)
        .map_err(|e| WebError::field("amount", format!("{text:?}: {e}")))?;
    Ok(if how == "partial" {
        Resolution::PartialAgreement { amount }
    } else {
        Resolution::CreditNote { amount }
    })
}

/// `POST /disputes/{id}/resolve`: by a credit note, a partial agreement or a rejection.
async fn resolve_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = parse_id(&ctx, id, "dispute")?;
    let how = resolution(
        state,
        id,
        field(form, "how"),
        form.get("amount").map(String::as_str),
    )
    .await
    .page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let dispute =
        app::audit::resolve_dispute(state.store.as_ref(), state.clock.as_ref(), &actor, id, how)
            .await
            .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/debtors/{}", dispute.debtor_id),
        "dispute-resolved",
    )))
}

// -- assign

async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, assign_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/assign`: the case's owner, or nobody (the shared pool).
async fn assign_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let owner = optional(form, "owner");
    let actor = ctx.actor().page(&ctx)?;
    app::audit::assign_case(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        id,
        owner.as_deref(),
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/debtors/{id}"),
        "assigned",
    )))
}
