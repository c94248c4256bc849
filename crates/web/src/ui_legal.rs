//! The interface of terms of sale and formal notices: the debtor page's panel of formal
//! notices (with the forms to record one sent by hand and a notice's delivery), the terms
//! of sale of a claim (claim page) and of each creditor (settings page). Each form calls
//! the audited use case of `app::audit`, as the CLI and the API do.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::{Lang, Tr};
use crate::ui::{OrPage, PageResult, finish, parse_id, see_other, with_notice};
use app::contract::{DeliveryUpdate, NoticeInput, NoticeRef};
use app::store::{NoticeSender, Role, StoredNotice, TermsScope, Tx};
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::law::{ContractTerms, InterestStart, PaymentTerm, PenaltyRate};
use domain::{ClaimId, Date, DebtorId};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/debtors/{id}/notices", post(record_notice))
        .route("/debtors/{id}/notices/delivery", post(notice_delivery))
        .route("/claims/{id}/terms", post(claim_terms))
        .route("/settings/terms", post(creditor_terms))
        .route("/claims/{id}/write-off", post(write_off_form))
        .route("/claims/{id}/charges", post(charges_form))
}

async fn charges_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(_form): Form<Fields>,
) -> Response {
    finish(&state, charges_inner(&state, ctx, &id).await)
}

/// `POST /claims/{id}/charges`: the claim page's "post interest and indemnity" (managers).
async fn charges_inner(state: &AppState, ctx: Ctx, id: &str) -> PageResult {
    let id = ClaimId(parse_id(&ctx, id, "claim")?);
    let actor = ctx.actor().page(&ctx)?;
    app::audit::post_charges(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        id,
        &state.rates,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/claims/{id}"),
        "charges-posted",
    )))
}

async fn write_off_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, write_off_inner(&state, ctx, &id, &form).await)
}

/// `POST /claims/{id}/write-off`: the claim page's write-off (managers).
async fn write_off_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = ClaimId(parse_id(&ctx, id, "claim")?);
    crate::api_contract::write_off_claim(
        state,
        &ctx,
        id,
        Some(field(form, "amount")),
        field(form, "reason"),
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/claims/{id}"),
        "written-off",
    )))
}

use crate::ui_cases::{Fields, field, optional};

fn date(form: &Fields, name: &str) -> Result<Option<Date>, WebError> {
    optional(form, name)
        .map(|v| {
            v.parse::<Date>()
                .map_err(|_| WebError::field(name, format!("{v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// A domain sentence in the page's language.
pub fn text(t: &domain::law::Text, lang: Lang) -> String {
    match lang {
        Lang::Fr => t.fr.clone(),
        Lang::En => t.en.clone(),
    }
}

// -- the debtor page's formal notices

/// One formal notice on the debtor page.
#[derive(Debug)]
pub struct NoticeRow {
    /// The stored notice's id, 0 while only its action of the run holds it.
    pub id: i64,
    pub action_id: i64,
    pub sent_on: String,
    pub by: String,
    pub claims: String,
    pub tracking: String,
    pub presented: String,
    pub received: String,
    /// Dates for the form's fields (ISO), empty when unknown.
    pub returned_iso: String,
    pub presented_iso: String,
    pub received_iso: String,
}

/// The debtor page's panel of formal notices.
#[derive(Debug, Default)]
pub struct NoticesPanel {
    pub rows: Vec<NoticeRow>,
    pub can_record: bool,
    /// Today, the default sending date of a notice recorded by hand.
    pub today: String,
}

fn sender(n: &StoredNotice, t: &Tr) -> String {
    t.get(&format!("fn-by-{}", n.sent_by.as_str()))
}

/// The panel, read inside the debtor page's transaction; `numbers` are the page's claim
/// numbers by id.
pub async fn notices_panel(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    t: &Tr,
    debtor: DebtorId,
    numbers: &std::collections::HashMap<ClaimId, String>,
    today: Date,
) -> Result<NoticesPanel, WebError> {
    let lang = t.lang;
    let number = |id: ClaimId| numbers.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let day = |d: Option<Date>| d.map_or_else(|| "—".to_string(), |d| fmt::date(d, lang));
    let rows = app::contract::notices(tx, Some(debtor))
        .await?
        .iter()
        .map(|n| NoticeRow {
            id: n.id,
            action_id: n.action_id.unwrap_or(0),
            sent_on: fmt::date(n.sent_on, lang),
            by: sender(n, t),
            claims: n
                .claims
                .iter()
                .map(|c| number(*c))
                .collect::<Vec<_>>()
                .join(", "),
            tracking: n.tracking_number.clone().unwrap_or_default(),
            presented: day(n.presented_on),
            received: match n.returned_on {
                Some(r) => t.with("fn-returned-on", &fmt::date(r, lang)),
                None => day(n.received_on),
            },
            presented_iso: n.presented_on.map(|d| d.to_string()).unwrap_or_default(),
            received_iso: n.received_on.map(|d| d.to_string()).unwrap_or_default(),
            returned_iso: n.returned_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    Ok(NoticesPanel {
        rows,
        can_record: crate::ui::role_of(ctx) >= Some(Role::Collector),
        today: today.to_string(),
    })
}

async fn record_notice(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, record_notice_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/notices`: a formal notice sent by hand or served by a commissaire.
async fn record_notice_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let sent_by = field(form, "by")
        .parse::<NoticeSender>()
        .map_err(|e| WebError::field("by", e))
        .page(&ctx)?;
    let input = NoticeInput {
        debtor: Some(id),
        claims: Vec::new(),
        sent_by: Some(sent_by),
        facts: DeliveryUpdate {
            sent_on: date(form, "sent_on").page(&ctx)?,
            tracking_number: optional(form, "tracking"),
            presented_on: date(form, "presented_on").page(&ctx)?,
            received_on: date(form, "received_on").page(&ctx)?,
            returned_on: None,
            proof: optional(form, "proof"),
            note: None,
        },
    };
    let actor = ctx.actor().page(&ctx)?;
    app::audit::record_notice(state.store.as_ref(), state.clock.as_ref(), &actor, &input)
        .await
        .page(&ctx)?;
    Ok(see_other(&format!(
        "{}#notices",
        with_notice(&format!("/debtors/{id}"), "fn-recorded")
    )))
}

async fn notice_delivery(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, notice_delivery_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/notices/delivery`: the delivery of one of its notices (`notice` or,
/// for one of the run not yet stored, `action`).
async fn notice_delivery_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = DebtorId(parse_id(&ctx, id, "debtor")?);
    let number = |name: &str| field(form, name).parse::<i64>().ok().filter(|v| *v > 0);
    let reference = match (number("notice"), number("action")) {
        (Some(n), _) => NoticeRef::Id(n),
        (None, Some(a)) => NoticeRef::Action(a),
        (None, None) => {
            return Err(Box::new((
                ctx,
                WebError::field("notice", "which formal notice / quelle mise en demeure"),
            )));
        }
    };
    let update = DeliveryUpdate {
        sent_on: None,
        tracking_number: optional(form, "tracking"),
        presented_on: date(form, "presented_on").page(&ctx)?,
        received_on: date(form, "received_on").page(&ctx)?,
        returned_on: date(form, "returned_on").page(&ctx)?,
        proof: optional(form, "proof"),
        note: None,
    };
    let actor = ctx.actor().page(&ctx)?;
    let stored = app::audit::update_notice(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        reference,
        &update,
    )
    .await
    .page(&ctx)?;
    if stored.debtor_id != id {
        return Err(Box::new((
            ctx,
            WebError::field("notice", "not a notice of this debtor"),
        )));
    }
    Ok(see_other(&format!(
        "{}#notices",
        with_notice(&format!("/debtors/{id}"), "fn-delivery")
    )))
}

// -- terms of sale

/// The terms form's fields, as shown (canonical forms, empty when unset).
#[derive(Debug, Default, Clone)]
pub struct TermsForm {
    pub penalty_rate: String,
    pub indemnity: String,
    pub payment_terms: String,
    /// `yes`, `no` or empty.
    pub due_date_is_notice: String,
}

impl TermsForm {
    pub fn of(t: &ContractTerms) -> Self {
        Self {
            penalty_rate: t.penalty_rate.map(|r| r.to_string()).unwrap_or_default(),
            indemnity: t
                .indemnity
                .map(|d| d.normalize().to_string())
                .unwrap_or_default(),
            payment_terms: t.payment_term.map(|p| p.to_string()).unwrap_or_default(),
            due_date_is_notice: match t.due_date_is_notice {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
        }
    }

    fn parse(form: &Fields) -> Result<ContractTerms, WebError> {
        Ok(ContractTerms {
            penalty_rate: optional(form, "penalty_rate")
                .map(|v| PenaltyRate::parse(&v))
                .transpose()
                .map_err(|e| WebError::field("penalty_rate", e))?,
            indemnity: optional(form, "indemnity")
                .map(|v| domain::law::contract::parse_indemnity(&v))
                .transpose()
                .map_err(|e| WebError::field("indemnity", e))?,
            payment_term: optional(form, "payment_terms")
                .map(|v| PaymentTerm::parse(&v))
                .transpose()
                .map_err(|e| WebError::field("payment_terms", e))?,
            due_date_is_notice: optional(form, "due_date_is_notice")
                .map(|v| domain::law::contract::parse_flag(&v))
                .transpose()
                .map_err(|e| WebError::field("due_date_is_notice", e))?,
        })
    }
}

/// A line of the terms in force, for the claim page: (label, value).
pub fn terms_lines(t: &ContractTerms, tr: &Tr) -> Vec<(String, String)> {
    let fr = tr.lang == Lang::Fr;
    let mut out = Vec::new();
    if let Some(r) = t.penalty_rate {
        out.push((tr.get("terms-penalty-rate"), r.describe(fr)));
    }
    if let Some(i) = t.indemnity {
        out.push((tr.get("terms-indemnity"), i.normalize().to_string()));
    }
    if let Some(p) = t.payment_term {
        out.push((tr.get("terms-payment-terms"), p.to_string()));
    }
    if let Some(n) = t.due_date_is_notice {
        out.push((
            tr.get("terms-due-date-is-notice"),
            tr.get(if n { "yes" } else { "no" }),
        ));
    }
    out
}

/// The sentence saying from when interest runs.
pub fn start_sentence(start: Option<&InterestStart>, tr: &Tr) -> String {
    let lang = tr.lang;
    match start {
        None => String::new(),
        Some(InterestStart::NotYet { reason }) => text(reason, lang),
        Some(InterestStart::DueDate { date }) => {
            tr.with("interest-start-due-date", &fmt::date(*date, lang))
        }
        Some(InterestStart::DueDateIsNotice { date }) => {
            tr.with("interest-start-due-date-is-notice", &fmt::date(*date, lang))
        }
        Some(InterestStart::FormalNotice { date, .. }) => {
            tr.with("interest-start-notice", &fmt::date(*date, lang))
        }
    }
}

async fn claim_terms(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, claim_terms_inner(&state, ctx, &id, &form).await)
}

/// `POST /claims/{id}/terms`: a claim's own terms (empty fields: its creditor's apply).
async fn claim_terms_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let id = ClaimId(parse_id(&ctx, id, "claim")?);
    let terms = TermsForm::parse(form).page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    app::audit::set_terms(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        TermsScope::Claim,
        id.0,
        &terms,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        &format!("/claims/{id}"),
        "settings-saved",
    )))
}

async fn creditor_terms(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, creditor_terms_inner(&state, ctx, &form).await)
}

/// `POST /settings/terms`: a creditor's terms of sale.
async fn creditor_terms_inner(state: &AppState, ctx: Ctx, form: &Fields) -> PageResult {
    let creditor = field(form, "creditor")
        .parse::<i64>()
        .map_err(|_| WebError::field("creditor", "which creditor"))
        .page(&ctx)?;
    let terms = TermsForm::parse(form).page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    app::audit::set_terms(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        TermsScope::Creditor,
        creditor,
        &terms,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&format!(
        "{}#terms",
        with_notice("/settings", "settings-saved")
    )))
}

/// Each creditor's terms, for the settings page: (id, code and name, form).
pub async fn creditors_terms(tx: &mut dyn Tx) -> Result<Vec<(i64, String, TermsForm)>, WebError> {
    let mut out = Vec::new();
    for c in tx.creditors().await? {
        let terms = app::contract::creditor_terms(tx, c.id).await?;
        out.push((
            c.id.0,
            format!("{} — {}", c.code, c.name),
            TermsForm::of(&terms),
        ));
    }
    Ok(out)
}
