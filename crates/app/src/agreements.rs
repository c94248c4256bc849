//! Promises to pay, payment plans, disputes, SEPA mandates and co-debtors: the use cases
//! around `domain::agreements`, and what the daily run learns from them.
//!
//! Each agreement is stored as a JSON document of its domain type (see migration 0005).
//! [`watch`] is called by the daily run in its transaction: it marks the claims under an
//! open dispute as disputed, pauses the debtors with a live promise or plan, and detects
//! the promises and plans kept or broken since the last run from the payments in the
//! ledger — a broken one resumes the scenario and produces a "broken promise" or
//! "broken plan" task, once.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    ActionStatus, AgreementFilter, AgreementKind, ClaimParty, Store, StoredAction, StoredAgreement,
    Tx,
};
use domain::agreements::{
    Consent, Dispute, DisputeReason, Frequency, Plan, PlanProgress, PlanStatus, Promise,
    PromiseStatus, Resolution, ScheduleRequest, missing_consents, plan_progress, promise_status,
    schedule,
};
use domain::book::Book;
use domain::date::{Date, date_of_day, day_number};
use domain::dunning::{Arrangement, Channel, Channels, Stage};
use domain::{ClaimId, ClaimLedger, Currency, DebtorId, EntryKind, Money};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};

/// Days after a promise's date before it is judged (a payment takes a day or two to
/// show on a statement).
pub const PROMISE_GRACE_DAYS: i32 = 2;

/// The pseudo-scenario of the tasks agreements produce (broken promise, broken plan).
pub const AGREEMENT_SCENARIO: &str = "agreements";

fn decode<T: DeserializeOwned>(a: &StoredAgreement) -> AppResult<T> {
    serde_json::from_str(&a.body).map_err(|e| {
        AppError::Invalid(format!(
            "stored {} {}: unreadable document: {e}",
            a.kind.as_str(),
            a.id
        ))
    })
}

fn encode<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Invalid(format!("cannot encode: {e}")))
}

fn stored(
    kind: AgreementKind,
    id: i64,
    debtor: DebtorId,
    status: &str,
    body: String,
    now: &str,
) -> StoredAgreement {
    StoredAgreement {
        id,
        kind,
        debtor_id: debtor,
        status: status.to_string(),
        body,
        updated_at: now.to_string(),
    }
}

/// The serde name of a status (`open`, `partly_kept`…); for a tagged enum such as a
/// dispute's `Resolution`, its tag (`credit_note`…).
pub fn status_name<T: Serialize>(status: T) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(o)) => o
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

/// Reads agreements of one kind.
pub async fn list<T: DeserializeOwned>(
    tx: &mut dyn Tx,
    kind: AgreementKind,
    debtor: Option<DebtorId>,
) -> AppResult<Vec<(i64, T)>> {
    let rows = tx
        .agreements(&AgreementFilter {
            kind: Some(kind),
            debtor,
            ..AgreementFilter::default()
        })
        .await?;
    rows.iter().map(|a| Ok((a.id, decode(a)?))).collect()
}

async fn one<T: DeserializeOwned>(
    tx: &mut dyn Tx,
    kind: AgreementKind,
    id: i64,
) -> AppResult<(StoredAgreement, T)> {
    let row = tx
        .agreements(&AgreementFilter {
            id: Some(id),
            kind: Some(kind),
            ..AgreementFilter::default()
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound {
            what: kind.as_str(),
            id: id.to_string(),
        })?;
    let value = decode(&row)?;
    Ok((row, value))
}

/// The debtor's open claims among `wanted` (all its open claims when empty), with their
/// open amounts as of `as_of`, in one currency.
async fn open_claims(
    tx: &mut dyn Tx,
    debtor: DebtorId,
    wanted: &[ClaimId],
    as_of: Date,
) -> AppResult<Vec<(ClaimId, Money)>> {
    let mut out = Vec::new();
    for claim in tx.claims_of_debtor(debtor).await? {
        if !wanted.is_empty() && !wanted.contains(&claim.id) {
            continue;
        }
        let ledger = ClaimLedger::from_entries(claim.currency, tx.ledger_entries(claim.id).await?);
        let open = ledger.balance_as_of(as_of);
        if open.is_positive() {
            out.push((claim.id, open));
        }
    }
    if let Some(id) = wanted.iter().find(|id| !out.iter().any(|(c, _)| c == *id)) {
        return Err(AppError::Invalid(domain::tr!(
            "claim {id}: not an open claim of debtor {debtor}",
            "créance {id} : pas une créance ouverte du débiteur {debtor}",
        )));
    }
    if out.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "debtor {debtor} has nothing open",
            "le débiteur {debtor} ne doit rien"
        )));
    }
    let currency = out[0].1.currency();
    if out.iter().any(|(_, m)| m.currency() != currency) {
        return Err(AppError::Invalid(domain::tr!(
            "the claims are in several currencies: choose them with --claims",
            "créances en plusieurs devises : les choisir avec --claims"
        )));
    }
    Ok(out)
}

// ----------------------------------------------------------------------------- promises

/// The currency of the debtor's open claims as of `as_of` (what a promise is made in);
/// an error when nothing is open or the open claims are in several currencies.
pub async fn open_currency(tx: &mut dyn Tx, debtor: DebtorId, as_of: Date) -> AppResult<Currency> {
    Ok(open_claims(tx, debtor, &[], as_of).await?[0].1.currency())
}

/// What a debtor promised.
#[derive(Debug, Clone)]
pub struct PromiseTerms {
    pub debtor: DebtorId,
    pub amount: Money,
    pub due: Date,
    /// The claims it is for (all the debtor's open claims when empty).
    pub claims: Vec<ClaimId>,
    pub channel: String,
    pub note: String,
}

/// Records a promise to pay.
pub async fn add_promise(
    store: &dyn Store,
    clock: &dyn Clock,
    terms: &PromiseTerms,
) -> AppResult<(i64, Promise)> {
    let mut tx = store.begin().await?;
    let out = add_promise_in(tx.as_mut(), clock, terms).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`add_promise`] inside the caller's transaction (to audit it in the same one).
pub async fn add_promise_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    terms: &PromiseTerms,
) -> AppResult<(i64, Promise)> {
    let PromiseTerms {
        debtor,
        amount,
        due,
        ref claims,
        ref channel,
        ref note,
    } = *terms;
    let today = clock.today();
    if due < today {
        return Err(AppError::Invalid(domain::tr!(
            "due: {due} is in the past",
            "due : {due} est dans le passé"
        )));
    }
    let open = open_claims(tx, debtor, claims, today).await?;
    if amount.currency() != open[0].1.currency() || !amount.is_positive() {
        return Err(AppError::Invalid(domain::tr!(
            "amount: must be positive and in {}",
            "montant : doit être positif et en {}",
            open[0].1.currency().code()
        )));
    }
    let promise = Promise {
        debtor_id: debtor,
        claims: open.iter().map(|(c, _)| *c).collect(),
        amount,
        due,
        made_on: today,
        channel: channel.to_string(),
        note: note.to_string(),
        status: PromiseStatus::Open,
        closed_on: None,
    };
    let now = clock.now_rfc3339();
    let row = stored(
        AgreementKind::Promise,
        0,
        debtor,
        "open",
        encode(&promise)?,
        &now,
    );
    let id = tx.insert_agreement(&row).await?;
    Ok((id, promise))
}

// -------------------------------------------------------------------------------- plans

/// What a plan is to be built from.
#[derive(Debug, Clone)]
pub struct PlanTerms {
    pub claims: Vec<ClaimId>,
    pub down_payment: Option<Money>,
    pub count: Option<u32>,
    pub fixed: Option<Money>,
    pub every: Frequency,
    pub first: Date,
    pub annual_rate_bp: Option<u32>,
    pub grace_days: i32,
    pub court_ordered: bool,
    pub channel: String,
    pub agreed_by: String,
    pub mandate: Option<String>,
}

/// An annual interest rate typed as a percentage (`3.5`, `3,5`) in basis points (350):
/// how the CLI, the API and the interface read a plan's rate.
pub fn parse_rate_bp(text: &str) -> Result<u32, String> {
    let pct = rust_decimal::Decimal::from_str_exact(text.trim().replace(',', ".").as_str())
        .map_err(|_| {
            domain::tr!(
                "{text:?}: a percentage, e.g. 3.5",
                "{text:?} : un pourcentage, par exemple 3.5"
            )
        })?;
    let bp = (pct * rust_decimal::Decimal::from(100)).round();
    u32::try_from(bp.mantissa())
        .ok()
        .filter(|v| bp.scale() == 0 && *v <= 10_000)
        .ok_or_else(|| {
            domain::tr!(
                "{text:?}: between 0 and 100 %",
                "{text:?} : entre 0 et 100 %"
            )
        })
}

/// A plan as it would be: shown before it is saved.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub plan: Plan,
    pub total: Money,
    pub total_with_interest: Money,
}

/// Builds the plan for a debtor's open claims without saving it.
pub async fn propose_plan(
    tx: &mut dyn Tx,
    debtor: DebtorId,
    terms: &PlanTerms,
    as_of: Date,
) -> AppResult<Proposal> {
    let open = open_claims(tx, debtor, &terms.claims, as_of).await?;
    let currency = open[0].1.currency();
    let total = Money::from_minor(open.iter().map(|(_, m)| m.minor()).sum(), currency);
    let instalments = schedule(&ScheduleRequest {
        total,
        down_payment: terms.down_payment,
        count: terms.count,
        fixed: terms.fixed,
        every: terms.every,
        first: terms.first,
        annual_rate_bp: terms.annual_rate_bp,
    })
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    if terms.court_ordered {
        // "Délais de grâce" are granted for at most two years (C. civ. 1343-5).
        let limit = day_number(as_of) + 2 * 365 + 1;
        if instalments
            .last()
            .is_some_and(|i| day_number(i.due) > limit)
        {
            return Err(AppError::Invalid(domain::tr!(
                "a court-granted schedule lasts at most 2 years (C. civ. 1343-5)",
                "des délais de grâce judiciaires durent 2 ans au plus (C. civ. 1343-5)"
            )));
        }
    }
    let claim_ids: Vec<ClaimId> = open.iter().map(|(c, _)| *c).collect();
    let mut co_debtors: Vec<DebtorId> = tx
        .claim_parties(&claim_ids)
        .await?
        .into_iter()
        .filter(|p| p.role == domain::agreements::PartyRole::CoDebtor && p.debtor_id != debtor)
        .map(|p| p.debtor_id)
        .collect();
    co_debtors.sort();
    co_debtors.dedup();
    let total_with_interest =
        Money::from_minor(instalments.iter().map(|i| i.amount.minor()).sum(), currency);
    Ok(Proposal {
        plan: Plan {
            debtor_id: debtor,
            claims: claim_ids,
            currency,
            instalments,
            grace_days: terms.grace_days,
            court_ordered: terms.court_ordered,
            agreed_on: as_of,
            channel: terms.channel.clone(),
            agreed_by: terms.agreed_by.clone(),
            mandate: terms.mandate.clone(),
            co_debtors,
            consents: Vec::new(),
            status: PlanStatus::Draft,
            closed_on: None,
        },
        total,
        total_with_interest,
    })
}

/// Saves a plan: active at once when no co-debtor's consent is needed, a draft otherwise.
pub async fn create_plan(
    store: &dyn Store,
    clock: &dyn Clock,
    debtor: DebtorId,
    terms: &PlanTerms,
) -> AppResult<(i64, Plan)> {
    let mut tx = store.begin().await?;
    let out = create_plan_in(tx.as_mut(), clock, debtor, terms).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`create_plan`] inside the caller's transaction (to audit it in the same one).
pub async fn create_plan_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    debtor: DebtorId,
    terms: &PlanTerms,
) -> AppResult<(i64, Plan)> {
    let mut plan = propose_plan(tx, debtor, terms, clock.today()).await?.plan;
    plan.status = if plan.co_debtors.is_empty() {
        PlanStatus::Active
    } else {
        PlanStatus::Draft
    };
    let now = clock.now_rfc3339();
    let row = stored(
        AgreementKind::Plan,
        0,
        debtor,
        &status_name(plan.status),
        encode(&plan)?,
        &now,
    );
    let id = tx.insert_agreement(&row).await?;
    Ok((id, plan))
}

/// A plan and how it is being kept.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub id: i64,
    pub plan: Plan,
    pub progress: PlanProgress,
    pub missing_consents: Vec<DebtorId>,
}

/// One plan with its progress as of `as_of`.
pub async fn show_plan(tx: &mut dyn Tx, id: i64, as_of: Date) -> AppResult<PlanView> {
    let (_, plan) = one::<Plan>(tx, AgreementKind::Plan, id).await?;
    // Only the plan's claims' ledgers, not the whole book.
    let mut payments = Vec::new();
    for claim in &plan.claims {
        payments.extend(
            tx.ledger_entries(*claim)
                .await?
                .into_iter()
                .filter(|e| e.kind == EntryKind::Payment)
                .map(|e| {
                    (
                        e.date,
                        Money::from_minor(e.amount_minor.abs(), plan.currency),
                    )
                }),
        );
    }
    Ok(PlanView {
        id,
        progress: plan_progress(&plan, &payments, as_of),
        missing_consents: missing_consents(&plan),
        plan,
    })
}

/// Records a co-debtor's consent to a plan; the plan becomes active with the last one.
/// Returns the plan and the consents still missing.
pub async fn record_consent(
    store: &dyn Store,
    clock: &dyn Clock,
    plan_id: i64,
    debtor: DebtorId,
    channel: &str,
) -> AppResult<(Plan, Vec<DebtorId>)> {
    let mut tx = store.begin().await?;
    let out = record_consent_in(tx.as_mut(), clock, plan_id, debtor, channel).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`record_consent`] inside the caller's transaction.
pub async fn record_consent_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    plan_id: i64,
    debtor: DebtorId,
    channel: &str,
) -> AppResult<(Plan, Vec<DebtorId>)> {
    let (mut row, mut plan) = one::<Plan>(tx, AgreementKind::Plan, plan_id).await?;
    if !plan.co_debtors.contains(&debtor) {
        return Err(AppError::Invalid(domain::tr!(
            "debtor {debtor} is not a co-debtor of plan {plan_id}'s claims",
            "le débiteur {debtor} n'est pas codébiteur des créances de l'échéancier {plan_id}"
        )));
    }
    if plan.status != PlanStatus::Draft {
        return Err(AppError::Invalid(domain::tr!(
            "plan {plan_id} is {}, not waiting for consents",
            "l'échéancier {plan_id} est {}, il n'attend pas d'accord",
            status_name(plan.status)
        )));
    }
    plan.consents.retain(|c| c.debtor_id != debtor);
    plan.consents.push(Consent {
        debtor_id: debtor,
        on: clock.today(),
        channel: channel.to_string(),
    });
    let missing = missing_consents(&plan);
    if missing.is_empty() {
        plan.status = PlanStatus::Active;
    }
    row.status = status_name(plan.status);
    row.body = encode(&plan)?;
    row.updated_at = clock.now_rfc3339();
    tx.update_agreement(&row).await?;
    Ok((plan, missing))
}

// ----------------------------------------------------------------------------- disputes

/// What a dispute is opened with.
#[derive(Debug, Clone)]
pub struct DisputeTerms {
    /// The debtor whose claims they must be, when the request names one (a debtor's page,
    /// an API path); `None`: whoever's they are, as long as they are one debtor's.
    pub debtor: Option<DebtorId>,
    /// The disputed claims, all of one debtor.
    pub claims: Vec<ClaimId>,
    pub reason: DisputeReason,
    pub note: String,
    /// References of attachments (file names, document ids).
    pub attachments: Vec<String>,
    /// Who handles it.
    pub owner: String,
    /// When it should be settled by.
    pub due: Option<Date>,
}

/// Opens a dispute on some of a debtor's claims.
pub async fn open_dispute(
    store: &dyn Store,
    clock: &dyn Clock,
    terms: &DisputeTerms,
) -> AppResult<(i64, Dispute)> {
    let mut tx = store.begin().await?;
    let out = open_dispute_in(tx.as_mut(), clock, terms).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`open_dispute`] inside the caller's transaction.
pub async fn open_dispute_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    terms: &DisputeTerms,
) -> AppResult<(i64, Dispute)> {
    let claims = &terms.claims;
    let mut debtor = None;
    for id in claims {
        let claim = tx.claim(*id).await?.ok_or_else(|| AppError::NotFound {
            what: "claim",
            id: id.to_string(),
        })?;
        if let Some(expected) = terms.debtor.filter(|d| *d != claim.debtor_id) {
            return Err(AppError::Invalid(domain::tr!(
                "claims: {id} is not a claim of debtor {expected}",
                "claims : {id} n'est pas une créance du débiteur {expected}"
            )));
        }
        if debtor.is_some_and(|d| d != claim.debtor_id) {
            return Err(AppError::Invalid(domain::tr!(
                "claims: a dispute is on claims of one debtor",
                "claims : un litige porte sur les créances d'un seul débiteur"
            )));
        }
        debtor = Some(claim.debtor_id);
    }
    let debtor = debtor.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "claims: at least one",
            "claims : au moins une créance"
        ))
    })?;
    let dispute = Dispute {
        debtor_id: debtor,
        claims: claims.clone(),
        reason: terms.reason,
        note: terms.note.clone(),
        attachments: terms.attachments.clone(),
        owner: terms.owner.clone(),
        due: terms.due,
        opened_on: clock.today(),
        resolution: None,
        resolved_on: None,
    };
    let now = clock.now_rfc3339();
    let id = tx
        .insert_agreement(&stored(
            AgreementKind::Dispute,
            0,
            debtor,
            "open",
            encode(&dispute)?,
            &now,
        ))
        .await?;
    Ok((id, dispute))
}

/// Resolves a dispute. A credit note or partial agreement posts a credit note on the
/// disputed claims (oldest first, never more than is open on each); collection of what
/// remains resumes.
pub async fn resolve_dispute(
    store: &dyn Store,
    clock: &dyn Clock,
    id: i64,
    resolution: Resolution,
) -> AppResult<Dispute> {
    let mut tx = store.begin().await?;
    let out = resolve_dispute_in(tx.as_mut(), clock, id, resolution).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`resolve_dispute`] inside the caller's transaction.
pub async fn resolve_dispute_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    id: i64,
    resolution: Resolution,
) -> AppResult<Dispute> {
    let today = clock.today();
    let now = clock.now_rfc3339();
    let (mut row, mut dispute) = one::<Dispute>(tx, AgreementKind::Dispute, id).await?;
    if !dispute.is_open() {
        return Err(AppError::Invalid(domain::tr!(
            "dispute {id} is already resolved",
            "le litige {id} est déjà résolu"
        )));
    }
    if let Resolution::CreditNote { amount } | Resolution::PartialAgreement { amount } = resolution
    {
        let mut left = amount.minor();
        if left <= 0 {
            return Err(AppError::Invalid(domain::tr!(
                "amount: must be positive",
                "montant : doit être positif"
            )));
        }
        for claim_id in &dispute.claims {
            let Some(claim) = tx.claim(*claim_id).await? else {
                continue;
            };
            if claim.currency != amount.currency() {
                return Err(AppError::Invalid(domain::tr!(
                    "amount: claim {claim_id} is in {}",
                    "montant : la créance {claim_id} est en {}",
                    claim.currency.code()
                )));
            }
            let mut ledger =
                ClaimLedger::from_entries(claim.currency, tx.ledger_entries(*claim_id).await?);
            let part = left.min(ledger.balance_as_of(today).minor().max(0));
            if part == 0 {
                continue;
            }
            left -= part;
            let before = ledger.entries().len();
            ledger
                .post(
                    EntryKind::CreditNote,
                    Money::from_minor(part, claim.currency),
                    today,
                    Some(format!("dispute {id}")),
                )
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            tx.append_entries(*claim_id, &ledger.entries()[before..], &now)
                .await?;
        }
        if left > 0 {
            return Err(AppError::Invalid(domain::tr!(
                "amount: {amount} is more than is open on the disputed claims",
                "montant : {amount} dépasse le reste dû des créances en litige"
            )));
        }
    }
    dispute.resolution = Some(resolution);
    dispute.resolved_on = Some(today);
    row.status = match resolution {
        Resolution::CreditNote { .. } => "credit_note",
        Resolution::PartialAgreement { .. } => "partial_agreement",
        Resolution::Rejected => "rejected",
    }
    .to_string();
    row.body = encode(&dispute)?;
    row.updated_at = now;
    tx.update_agreement(&row).await?;
    Ok(dispute)
}

/// Disputes by reason, with their ageing.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeReport {
    pub as_of: Date,
    pub rows: Vec<DisputeReasonRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisputeReasonRow {
    pub reason: DisputeReason,
    pub open: usize,
    /// Open ones by age: 0–30, 31–60, 61–90, over 90 days.
    pub open_by_age: [usize; 4],
    /// Open past their due date.
    pub overdue: usize,
    pub resolved: usize,
    /// Average days to resolve, rounded down (`None` when none was resolved).
    pub average_days_to_resolve: Option<i32>,
}

/// Counts disputes by reason and ages the open ones as of `as_of`.
pub async fn dispute_report(tx: &mut dyn Tx, as_of: Date) -> AppResult<DisputeReport> {
    let disputes: Vec<(i64, Dispute)> = list(tx, AgreementKind::Dispute, None).await?;
    let rows = DisputeReason::ALL
        .into_iter()
        .map(|reason| {
            let of: Vec<&Dispute> = disputes
                .iter()
                .map(|(_, d)| d)
                .filter(|d| d.reason == reason)
                .collect();
            let mut by_age = [0; 4];
            for d in of.iter().filter(|d| d.is_open()) {
                let bucket = match d.age_days(as_of) {
                    ..=30 => 0,
                    31..=60 => 1,
                    61..=90 => 2,
                    _ => 3,
                };
                by_age[bucket] += 1;
            }
            let resolved: Vec<i32> = of
                .iter()
                .filter(|d| !d.is_open())
                .map(|d| d.age_days(as_of))
                .collect();
            DisputeReasonRow {
                reason,
                open: of.iter().filter(|d| d.is_open()).count(),
                open_by_age: by_age,
                overdue: of.iter().filter(|d| d.overdue(as_of)).count(),
                resolved: resolved.len(),
                average_days_to_resolve: (!resolved.is_empty()).then(|| {
                    resolved.iter().sum::<i32>() / i32::try_from(resolved.len()).unwrap_or(i32::MAX)
                }),
            }
        })
        .collect();
    Ok(DisputeReport { as_of, rows })
}

/// The currency of a dispute's claims: what a credit note resolving it is in.
pub async fn dispute_currency(tx: &mut dyn Tx, id: i64) -> AppResult<Currency> {
    let (_, dispute) = one::<Dispute>(tx, AgreementKind::Dispute, id).await?;
    let first = dispute.claims.first().ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "dispute {id} has no claim",
            "le litige {id} ne porte sur aucune créance"
        ))
    })?;
    let claim = tx.claim(*first).await?.ok_or_else(|| AppError::NotFound {
        what: "claim",
        id: first.to_string(),
    })?;
    Ok(claim.currency)
}

// --------------------------------------------------------------------------- co-debtors

/// The claims of other debtors that `debtor` is bound to as a co-debtor or guarantor.
pub async fn bound_to(tx: &mut dyn Tx, debtor: DebtorId) -> AppResult<Vec<ClaimParty>> {
    Ok(tx
        .claim_parties(&[])
        .await?
        .into_iter()
        .filter(|p| p.debtor_id == debtor)
        .collect())
}

/// Binds a co-debtor or guarantor to a claim, in the caller's transaction (audited by
/// [`crate::audit::add_claim_party`]).
pub async fn add_party_in(tx: &mut dyn Tx, party: &ClaimParty) -> AppResult<()> {
    let claim = tx
        .claim(party.claim_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "claim",
            id: party.claim_id.to_string(),
        })?;
    let other = tx
        .debtor(party.debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: party.debtor_id.to_string(),
        })?;
    if claim.debtor_id == other.id {
        return Err(AppError::Invalid(domain::tr!(
            "the claim's own debtor",
            "le débiteur de la créance lui-même"
        )));
    }
    if other.creditor_id != claim.creditor_id {
        return Err(AppError::Invalid(domain::tr!(
            "the party belongs to another creditor",
            "le tiers relève d'un autre créancier"
        )));
    }
    tx.add_claim_party(party).await?;
    Ok(())
}

// ------------------------------------------------------------------------ the daily run

/// What the agreements mean for a day's run.
#[derive(Debug, Default)]
pub struct Watch {
    /// Claims under an open dispute: not reminded.
    pub disputed: HashSet<ClaimId>,
    /// Debtors paused by a live promise or plan.
    pub arrangements: HashMap<DebtorId, Arrangement>,
    /// Agreements whose status changed today (to store).
    pub changed: Vec<StoredAgreement>,
    /// Tasks for the broken ones (to store, once each).
    pub tasks: Vec<StoredAction>,
    /// What changed, for the run's report.
    pub events: Vec<AgreementEvent>,
}

/// A promise or plan that was kept or broken.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementEvent {
    pub kind: AgreementKind,
    pub id: i64,
    pub debtor_id: DebtorId,
    /// The new status (`kept`, `partly_kept`, `broken`, `completed`).
    pub status: String,
    pub on: Date,
}

/// The live agreements (open or active), of one kind and one debtor when given.
fn live(kind: Option<AgreementKind>, debtor: Option<DebtorId>) -> AgreementFilter {
    AgreementFilter {
        kind,
        debtor,
        statuses: vec!["open".into(), "active".into()],
        ..AgreementFilter::default()
    }
}

/// The debtor's claims under an open dispute: what no message claims (the run's rule,
/// applied to the letters composed outside it).
pub async fn disputed_claims(tx: &mut dyn Tx, debtor: DebtorId) -> AppResult<HashSet<ClaimId>> {
    let mut out = HashSet::new();
    for row in tx
        .agreements(&live(Some(AgreementKind::Dispute), Some(debtor)))
        .await?
    {
        let d: Dispute = decode(&row)?;
        out.extend(d.claims.iter().copied());
    }
    Ok(out)
}

/// The debtor's claims a message written on `as_of` may demand, by the run's rule
/// ([`domain::dunning::Window`]): open that day, issued, not under an open dispute, and
/// overdue — or, for a step sent `pre_due_lead` days before the due date, falling due
/// within that lead. Letters composed outside the run and formal notices recorded by hand
/// take their claims from here.
pub async fn demandable_claims(
    tx: &mut dyn Tx,
    debtor: DebtorId,
    as_of: Date,
    pre_due_lead: Option<i32>,
) -> AppResult<Vec<ClaimId>> {
    let window = domain::dunning::Window::message(as_of, pre_due_lead);
    let disputed = disputed_claims(tx, debtor).await?;
    let mut out = Vec::new();
    for c in tx.claims_of_debtor(debtor).await? {
        let ledger = domain::ClaimLedger::from_entries(c.currency, tx.ledger_entries(c.id).await?);
        if ledger.balance_as_of(as_of).is_positive()
            && c.issue_date <= as_of
            && window.covers_claim(c.due_date, disputed.contains(&c.id))
        {
            out.push(c.id);
        }
    }
    Ok(out)
}

/// Reads the live agreements and judges them as of `as_of` from the payments in `book`.
pub async fn watch(tx: &mut dyn Tx, book: &Book, as_of: Date, now: &str) -> AppResult<Watch> {
    let mut out = Watch::default();
    let live = tx.agreements(&live(None, None)).await?;
    let today = day_number(as_of);
    for row in live {
        match row.kind {
            AgreementKind::Dispute => {
                let d: Dispute = decode(&row)?;
                out.disputed.extend(d.claims.iter().copied());
            }
            AgreementKind::Promise => {
                let mut p: Promise = decode(&row)?;
                let made = day_number(p.made_on);
                let paid: i64 = book
                    .payments_on(&p.claims)
                    .iter()
                    .filter(|(d, _)| (made..=today).contains(&day_number(*d)))
                    .map(|(_, m)| m.minor())
                    .sum();
                let status = promise_status(
                    &p,
                    Money::from_minor(paid, p.amount.currency()),
                    as_of,
                    PROMISE_GRACE_DAYS,
                );
                if status == PromiseStatus::Open {
                    out.arrangements.insert(p.debtor_id, Arrangement::Promise);
                    continue;
                }
                p.status = status;
                p.closed_on = Some(as_of);
                if matches!(status, PromiseStatus::Broken | PromiseStatus::PartlyKept) {
                    out.tasks.push(task(
                        &row,
                        "broken_promise",
                        "broken_promise",
                        Channel::PhoneTask,
                        &p.claims,
                        p.amount,
                        as_of,
                        now,
                    ));
                }
                out.events.push(AgreementEvent {
                    kind: row.kind,
                    id: row.id,
                    debtor_id: row.debtor_id,
                    status: status_name(status),
                    on: as_of,
                });
                out.changed.push(StoredAgreement {
                    status: status_name(status),
                    body: encode(&p)?,
                    updated_at: now.to_string(),
                    ..row
                });
            }
            AgreementKind::Plan => {
                let mut plan: Plan = decode(&row)?;
                let progress = plan_progress(&plan, &book.payments_on(&plan.claims), as_of);
                if progress.status == PlanStatus::Active {
                    out.arrangements.insert(plan.debtor_id, Arrangement::Plan);
                    continue;
                }
                plan.status = progress.status;
                plan.closed_on = Some(progress.broken_on.unwrap_or(as_of));
                if progress.status == PlanStatus::Broken {
                    let left = progress
                        .next
                        .map_or(Money::from_minor(0, plan.currency), |(_, m)| m);
                    // Dated the day it broke, so a run that sees it late still makes it once.
                    let on = progress.broken_on.unwrap_or(as_of);
                    out.tasks.push(task(
                        &row,
                        "broken_plan",
                        "broken_plan",
                        Channel::Email,
                        &plan.claims,
                        left,
                        on,
                        now,
                    ));
                }
                out.events.push(AgreementEvent {
                    kind: row.kind,
                    id: row.id,
                    debtor_id: row.debtor_id,
                    status: status_name(plan.status),
                    on: as_of,
                });
                out.changed.push(StoredAgreement {
                    status: status_name(plan.status),
                    body: encode(&plan)?,
                    updated_at: now.to_string(),
                    ..row
                });
            }
            AgreementKind::Mandate => {}
        }
    }
    Ok(out)
}

/// The task a broken agreement produces: a call for a broken promise (the collector asks
/// why), the "broken plan" letter by e-mail plus a call for a broken plan.
#[allow(clippy::too_many_arguments)]
fn task(
    row: &StoredAgreement,
    step: &str,
    template: &str,
    channel: Channel,
    claims: &[ClaimId],
    amount: Money,
    on: Date,
    now: &str,
) -> StoredAction {
    let mut channels = Channels::empty().with(channel);
    if channel == Channel::Email {
        channels = channels.with(Channel::PhoneTask);
    }
    StoredAction {
        id: 0,
        debtor_id: row.debtor_id,
        cycle: 0,
        step_code: format!("{step}:{}", row.id),
        scenario: AGREEMENT_SCENARIO.to_string(),
        channels,
        template: template.to_string(),
        claims: claims.to_vec(),
        amount,
        claim_penalties: false,
        stage_after: Stage::Amicable,
        status: ActionStatus::Planned,
        created_on: on,
        created_at: now.to_string(),
    }
}

/// Everything agreed with a debtor, for the debtor page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DebtorAgreements {
    pub promises: Vec<(i64, Promise)>,
    pub plans: Vec<(i64, Plan)>,
    pub disputes: Vec<(i64, Dispute)>,
    pub parties: Vec<ClaimParty>,
}

pub async fn of_debtor(tx: &mut dyn Tx, debtor: DebtorId) -> AppResult<DebtorAgreements> {
    let claims: Vec<ClaimId> = tx
        .claims_of_debtor(debtor)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    Ok(DebtorAgreements {
        promises: list(tx, AgreementKind::Promise, Some(debtor)).await?,
        plans: list(tx, AgreementKind::Plan, Some(debtor)).await?,
        disputes: list(tx, AgreementKind::Dispute, Some(debtor)).await?,
        parties: if claims.is_empty() {
            Vec::new()
        } else {
            tx.claim_parties(&claims).await?
        },
    })
}

/// What [`seed_demo`] agreed.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Seeded {
    pub promises: usize,
    pub plans: usize,
    pub disputes: usize,
}

/// Gives the demo portfolio the agreements a real one has: among debtors with overdue
/// claims, deterministically by id, one in 40 has promised to pay its overdue total within
/// a week, one in 40 is on a 6-month plan, and one in 40 disputes its oldest overdue
/// invoice (reasons in turn); at most `limit` of each.
pub async fn seed_demo(store: &dyn Store, clock: &dyn Clock, limit: usize) -> AppResult<Seeded> {
    let today = clock.today();
    let day = day_number(today);
    let mut tx = store.begin().await?;
    let book = tx.book(None).await?;
    drop(tx);
    // Each debtor's overdue claims (id, due day), oldest first.
    let mut overdue: std::collections::BTreeMap<DebtorId, Vec<(i32, ClaimId)>> =
        std::collections::BTreeMap::new();
    for c in book.claims() {
        if c.due_day < day && c.issue_day <= day && book.open_minor(c, day) > 0 {
            overdue
                .entry(c.debtor_id)
                .or_default()
                .push((c.due_day, c.id));
        }
    }
    let mut seeded = Seeded::default();
    let mut reasons = DisputeReason::ALL.iter().cycle();
    for (debtor, mut claims) in overdue {
        claims.sort_unstable();
        let ids: Vec<ClaimId> = claims.iter().map(|(_, id)| *id).collect();
        match debtor.0 % 40 {
            7 if seeded.promises < limit => {
                let open: i64 = book
                    .claims()
                    .iter()
                    .filter(|c| ids.contains(&c.id))
                    .map(|c| book.open_minor(c, day))
                    .sum();
                let Some(currency) = book
                    .claims()
                    .iter()
                    .find(|c| c.id == ids[0])
                    .map(|c| c.currency)
                else {
                    continue;
                };
                let terms = PromiseTerms {
                    debtor,
                    amount: Money::from_minor(open, currency),
                    due: date_of_day(day + 7).unwrap_or(today),
                    claims: ids,
                    channel: "phone".into(),
                    note: domain::tr!("Demo: promised on the phone", "Démo : promis au téléphone"),
                };
                // A debtor whose claims are in several currencies is skipped.
                if add_promise(store, clock, &terms).await.is_ok() {
                    seeded.promises += 1;
                }
            }
            17 if seeded.plans < limit => {
                let terms = PlanTerms {
                    claims: ids,
                    down_payment: None,
                    count: Some(6),
                    fixed: None,
                    every: Frequency::Monthly,
                    first: date_of_day(day + 10).unwrap_or(today),
                    annual_rate_bp: None,
                    grace_days: 5,
                    court_ordered: false,
                    channel: "phone".into(),
                    agreed_by: "demo".into(),
                    mandate: None,
                };
                if create_plan(store, clock, debtor, &terms).await.is_ok() {
                    seeded.plans += 1;
                }
            }
            27 if seeded.disputes < limit => {
                let reason = reasons.next().copied().unwrap_or(DisputeReason::Other);
                let due = date_of_day(day + 14);
                let terms = DisputeTerms {
                    debtor: Some(debtor),
                    claims: ids[..1].to_vec(),
                    reason,
                    note: domain::tr!("Demo dispute", "litige de démo"),
                    attachments: Vec::new(),
                    owner: "demo".into(),
                    due,
                };
                if open_dispute(store, clock, &terms).await.is_ok() {
                    seeded.disputes += 1;
                }
            }
            _ => {}
        }
    }
    Ok(seeded)
}
