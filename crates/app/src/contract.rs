//! What the contract says and what happened outside a payment: the terms of sale a credit
//! manager states per creditor (and per claim), and the formal notices ("mises en
//! demeure") sent and received. The law engine reads both: the agreed penalty rate and
//! indemnity (`domain::law::contract`), and the notice's receipt from which a consumer owes
//! legal-rate interest (C. civ. 1344-1).
//!
//! Formal notices come from two places. The daily run decides one when a scenario's step
//! has the `formal_notice` channel: that action *is* the notice, posted with the day's
//! letters, so the list below shows it from the action (planned, approved or done) until a
//! person records its delivery, which stores it. A notice sent by hand or served by a
//! commissaire de justice is recorded directly. Every change here is audited through
//! [`crate::audit`].

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    ActionFilter, ActionStatus, NoticeFilter, NoticeSender, StoredAction, StoredNotice,
    StoredTerms, TermsScope, Tx,
};
use domain::dunning::Channel;
use domain::law::ContractTerms;
use domain::{Claim, ClaimId, CreditorId, Date, DebtorId};
use serde::Serialize;

/// The longest tracking number, proof reference or note kept.
const MAX_TEXT: usize = 500;

/// A creditor's stated terms (empty when none).
pub async fn creditor_terms(tx: &mut dyn Tx, creditor: CreditorId) -> AppResult<ContractTerms> {
    Ok(tx
        .contract_terms(TermsScope::Creditor, Some(creditor.0))
        .await?
        .into_iter()
        .next()
        .map(|t| t.terms)
        .unwrap_or_default())
}

/// A claim's own terms (empty when none): what overrides its creditor's.
pub async fn own_claim_terms(tx: &mut dyn Tx, claim: ClaimId) -> AppResult<ContractTerms> {
    Ok(tx
        .contract_terms(TermsScope::Claim, Some(claim.0))
        .await?
        .into_iter()
        .next()
        .map(|t| t.terms)
        .unwrap_or_default())
}

/// The terms that govern a claim: its creditor's, overridden field by field by its own.
pub async fn claim_terms(tx: &mut dyn Tx, claim: &Claim) -> AppResult<ContractTerms> {
    let creditor = creditor_terms(tx, claim.creditor_id).await?;
    Ok(creditor.overlaid_by(&own_claim_terms(tx, claim.id).await?))
}

/// Stores the terms of a creditor or a claim (replacing all their fields) inside the
/// caller's transaction; returns the terms before.
pub async fn set_terms_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    scope: TermsScope,
    owner: i64,
    terms: &ContractTerms,
) -> AppResult<ContractTerms> {
    let exists = match scope {
        TermsScope::Creditor => tx.creditors().await?.iter().any(|c| c.id.0 == owner),
        TermsScope::Claim => tx.claim(ClaimId(owner)).await?.is_some(),
    };
    if !exists {
        return Err(AppError::NotFound {
            what: scope.as_str(),
            id: owner.to_string(),
        });
    }
    let before = tx
        .contract_terms(scope, Some(owner))
        .await?
        .into_iter()
        .next()
        .map(|t| t.terms)
        .unwrap_or_default();
    tx.set_contract_terms(&StoredTerms {
        scope,
        owner_id: owner,
        terms: *terms,
        updated_at: clock.now_rfc3339(),
    })
    .await?;
    Ok(before)
}

/// A formal notice to record (sent by hand or served by a commissaire de justice), or the
/// delivery facts of one the run decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeInput {
    pub debtor: Option<DebtorId>,
    /// The claims demanded; every open overdue claim of the debtor when empty.
    pub claims: Vec<ClaimId>,
    pub sent_by: Option<NoticeSender>,
    /// When it was sent (required) and what is known of its delivery.
    pub facts: DeliveryUpdate,
}

/// Which notice an update is about: a stored one, or the one an action of the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeRef {
    Id(i64),
    Action(i64),
}

/// Whether an action of the run is a formal notice that went out (or will, today).
fn is_notice_action(a: &StoredAction) -> bool {
    a.channels.contains(Channel::FormalNotice) && ActionStatus::WENT_OUT.contains(&a.status)
}

/// The notice an action of the run is, before anything about its delivery is stored.
fn notice_of_action(a: &StoredAction) -> StoredNotice {
    StoredNotice {
        id: 0,
        debtor_id: a.debtor_id,
        action_id: Some(a.id),
        claims: a.claims.clone(),
        sent_by: NoticeSender::Run,
        sent_on: a.created_on,
        tracking_number: None,
        presented_on: None,
        received_on: None,
        returned_on: None,
        proof: None,
        note: None,
        recorded_by: "run".into(),
        recorded_at: a.created_at.clone(),
        updated_at: a.created_at.clone(),
    }
}

/// A debtor's formal notices (every debtor's with `None`), oldest first: those stored, and
/// those the run decided whose delivery nobody has recorded yet (`id` 0, `action_id` set).
pub async fn notices(tx: &mut dyn Tx, debtor: Option<DebtorId>) -> AppResult<Vec<StoredNotice>> {
    let mut out = tx
        .notices(&NoticeFilter {
            debtor,
            ..NoticeFilter::default()
        })
        .await?;
    let stored: std::collections::HashSet<i64> = out.iter().filter_map(|n| n.action_id).collect();
    let actions = tx
        .actions(&ActionFilter {
            statuses: ActionStatus::WENT_OUT.to_vec(),
            debtor,
            limit: None,
        })
        .await?;
    out.extend(
        actions
            .iter()
            .filter(|a| is_notice_action(a) && !stored.contains(&a.id))
            .map(notice_of_action),
    );
    out.sort_by_key(|n| (n.sent_on, n.id, n.action_id));
    Ok(out)
}

/// The notices that demand `claim` (of its debtor's notices).
pub fn notices_of_claim(
    notices: &[StoredNotice],
    claim: ClaimId,
) -> Vec<domain::law::NoticeDelivery> {
    notices
        .iter()
        .filter(|n| n.claims.contains(&claim))
        .map(StoredNotice::delivery)
        .collect()
}

/// A free text field (proof reference, note): trimmed, empty as none, at most
/// `MAX_TEXT` characters, no control characters.
pub(crate) fn clean_text(field: &str, value: Option<&String>) -> AppResult<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > MAX_TEXT {
        return Err(AppError::Invalid(domain::tr!(
            "{field}: at most {MAX_TEXT} characters",
            "{field} : {MAX_TEXT} caractères au plus"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(AppError::Invalid(domain::tr!(
            "{field}: control characters are not allowed",
            "{field} : caractères de contrôle interdits"
        )));
    }
    Ok(Some(v.to_string()))
}

/// Checks a notice's dates against each other and today: nothing in the future, the
/// presentation not before the sending, the signed receipt not before the presentation.
fn check_dates(n: &StoredNotice, today: Date) -> AppResult<()> {
    let future = |field: &str, d: Date| -> AppResult<()> {
        if d > today {
            Err(AppError::Invalid(domain::tr!(
                "{field}: {d} is after today ({today})",
                "{field} : {d} est après aujourd'hui ({today})"
            )))
        } else {
            Ok(())
        }
    };
    future("sent_on", n.sent_on)?;
    if let Some(p) = n.presented_on {
        future("presented_on", p)?;
        if p < n.sent_on {
            return Err(AppError::Invalid(domain::tr!(
                "presented_on: {p} is before the sending ({})",
                "presented_on : {p} précède l'envoi ({})",
                n.sent_on
            )));
        }
    }
    if let Some(r) = n.received_on {
        future("received_on", r)?;
        if r < n.presented_on.unwrap_or(n.sent_on) {
            return Err(AppError::Invalid(domain::tr!(
                "received_on: {r} is before the letter was sent or presented",
                "received_on : {r} précède l'envoi ou la présentation de la lettre"
            )));
        }
    }
    if let Some(r) = n.returned_on {
        future("returned_on", r)?;
        if r < n.presented_on.unwrap_or(n.sent_on) {
            return Err(AppError::Invalid(domain::tr!(
                "returned_on: {r} is before the letter was sent or presented",
                "returned_on : {r} précède l'envoi ou la présentation de la lettre"
            )));
        }
        if n.received_on.is_some() {
            return Err(AppError::Invalid(domain::tr!(
                "returned_on: a letter whose receipt was signed was not returned",
                "returned_on : une lettre dont l'avis de réception est signé n'a pas été retournée"
            )));
        }
    }
    if n.sent_by == NoticeSender::Commissaire
        && (n.presented_on.is_some() || n.received_on.is_some() || n.returned_on.is_some())
    {
        return Err(AppError::Invalid(domain::tr!(
            "presented_on: a notice served by a commissaire de justice is received the day it is served",
            "presented_on : un acte signifié par un commissaire de justice est reçu le jour de la signification"
        )));
    }
    Ok(())
}

async fn check_tracking_free(tx: &mut dyn Tx, n: &StoredNotice) -> AppResult<()> {
    if let Some(t) = &n.tracking_number {
        let others = tx
            .notices(&NoticeFilter {
                tracking_number: Some(t.clone()),
                ..NoticeFilter::default()
            })
            .await?;
        if others.iter().any(|o| o.id != n.id) {
            return Err(AppError::Invalid(domain::tr!(
                "tracking_number: {t} is already the number of another notice",
                "tracking_number : {t} est déjà le numéro d'une autre mise en demeure"
            )));
        }
    }
    Ok(())
}

/// Records a formal notice sent outside the run, inside the caller's transaction.
pub async fn record_notice_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    input: &NoticeInput,
) -> AppResult<StoredNotice> {
    let debtor_id = input.debtor.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "debtor: which debtor was put on notice",
            "debtor : quel débiteur a été mis en demeure"
        ))
    })?;
    if tx.debtor(debtor_id).await?.is_none() {
        return Err(AppError::NotFound {
            what: "debtor",
            id: debtor_id.to_string(),
        });
    }
    let today = clock.today();
    let facts = &input.facts;
    let sent_on = facts.sent_on.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "sent_on: the day the notice was sent",
            "sent_on : le jour de l'envoi de la mise en demeure"
        ))
    })?;
    let sent_by = input.sent_by.unwrap_or(NoticeSender::Hand);
    if sent_by == NoticeSender::Run {
        return Err(AppError::Invalid(domain::tr!(
            "sent_by: the run records its own notices; use hand or commissaire",
            "sent_by : la relance enregistre ses propres mises en demeure ; utilisez hand ou commissaire"
        )));
    }
    let chosen: Vec<ClaimId> = if input.claims.is_empty() {
        // What the run would demand that day: overdue, open, undisputed.
        crate::agreements::demandable_claims(tx, debtor_id, sent_on, None).await?
    } else {
        let claims = tx.claims_of_debtor(debtor_id).await?;
        for id in &input.claims {
            let Some(c) = claims.iter().find(|c| c.id == *id) else {
                return Err(AppError::Invalid(domain::tr!(
                    "claims: claim {id} is not a claim of debtor {debtor_id}",
                    "claims : la créance {id} n'est pas une créance du débiteur {debtor_id}"
                )));
            };
            if c.due_date >= sent_on {
                return Err(AppError::Invalid(domain::tr!(
                    "claims: claim {} was not yet due on {sent_on} (due {}): a notice demands only what is due",
                    "claims : la créance {} n'était pas échue le {sent_on} (échéance {}) : une mise en demeure ne vise que l'exigible",
                    c.number,
                    c.due_date
                )));
            }
        }
        input.claims.clone()
    };
    if chosen.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "claims: debtor {debtor_id} had no overdue, undisputed claim on {sent_on}",
            "claims : le débiteur {debtor_id} n'avait aucune créance échue et non contestée le {sent_on}"
        )));
    }
    let now = clock.now_rfc3339();
    let mut notice = StoredNotice {
        id: 0,
        debtor_id,
        action_id: None,
        claims: chosen,
        sent_by,
        sent_on,
        tracking_number: clean_text("tracking_number", facts.tracking_number.as_ref())?,
        presented_on: facts.presented_on,
        received_on: facts.received_on,
        returned_on: facts.returned_on,
        proof: clean_text("proof", facts.proof.as_ref())?,
        note: clean_text("note", facts.note.as_ref())?,
        recorded_by: author.to_string(),
        recorded_at: now.clone(),
        updated_at: now,
    };
    check_dates(&notice, today)?;
    check_tracking_free(tx, &notice).await?;
    notice.id = tx.insert_notice(&notice).await?.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "notice: already recorded",
            "notice : déjà enregistrée"
        ))
    })?;
    Ok(notice)
}

/// Finds a notice by reference: a stored one, or the run's action (stored on the way
/// when its delivery is first recorded).
async fn find_notice(tx: &mut dyn Tx, reference: NoticeRef) -> AppResult<Option<StoredNotice>> {
    match reference {
        NoticeRef::Id(id) => Ok(tx
            .notices(&NoticeFilter {
                id: Some(id),
                ..NoticeFilter::default()
            })
            .await?
            .into_iter()
            .next()),
        NoticeRef::Action(action) => {
            let stored = tx
                .notices(&NoticeFilter {
                    action: Some(action),
                    ..NoticeFilter::default()
                })
                .await?
                .into_iter()
                .next();
            if stored.is_some() {
                return Ok(stored);
            }
            Ok(tx
                .action(action)
                .await?
                .filter(is_notice_action)
                .map(|a| notice_of_action(&a)))
        }
    }
}

/// What a delivery update changes: each `Some` replaces the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryUpdate {
    pub sent_on: Option<Date>,
    pub tracking_number: Option<String>,
    pub presented_on: Option<Date>,
    pub received_on: Option<Date>,
    /// The post returned the letter, not collected or not delivered.
    pub returned_on: Option<Date>,
    pub proof: Option<String>,
    pub note: Option<String>,
}

/// Records the delivery facts of a notice (tracking number, first presentation, signed
/// receipt, proof), inside the caller's transaction; returns it before and after.
pub async fn update_delivery_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    reference: NoticeRef,
    update: &DeliveryUpdate,
) -> AppResult<(StoredNotice, StoredNotice)> {
    let before = find_notice(tx, reference)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "formal notice",
            id: match reference {
                NoticeRef::Id(id) => id.to_string(),
                NoticeRef::Action(a) => format!("action {a}"),
            },
        })?;
    let mut after = before.clone();
    if let Some(d) = update.sent_on {
        after.sent_on = d;
    }
    if let Some(t) = clean_text("tracking_number", update.tracking_number.as_ref())? {
        after.tracking_number = Some(t);
    }
    if update.presented_on.is_some() {
        after.presented_on = update.presented_on;
    }
    if update.received_on.is_some() {
        after.received_on = update.received_on;
    }
    if update.returned_on.is_some() {
        after.returned_on = update.returned_on;
    }
    if let Some(p) = clean_text("proof", update.proof.as_ref())? {
        after.proof = Some(p);
    }
    if let Some(n) = clean_text("note", update.note.as_ref())? {
        after.note = Some(n);
    }
    after.updated_at = clock.now_rfc3339();
    check_dates(&after, clock.today())?;
    check_tracking_free(tx, &after).await?;
    if after.id == 0 {
        after.id = tx.insert_notice(&after).await?.ok_or_else(|| {
            AppError::Invalid(domain::tr!(
                "notice: recorded meanwhile, try again",
                "notice : enregistrée entre-temps, réessayez"
            ))
        })?;
    } else if !tx.update_notice(&after).await? {
        return Err(AppError::NotFound {
            what: "formal notice",
            id: after.id.to_string(),
        });
    }
    mark_posted(tx, clock, &after).await?;
    Ok((before, after))
}

/// A notice of the run whose letter has left (a tracking number, a presentation, a
/// receipt): its letter in the outbox is no longer "to print" but sent, under the
/// tracking number when there is one.
async fn mark_posted(tx: &mut dyn Tx, clock: &dyn Clock, notice: &StoredNotice) -> AppResult<()> {
    let Some(action) = notice.action_id else {
        return Ok(());
    };
    if notice.tracking_number.is_none()
        && notice.presented_on.is_none()
        && notice.received_on.is_none()
        && notice.returned_on.is_none()
    {
        return Ok(());
    }
    let printing = tx
        .outbox(&crate::store::OutboxFilter {
            statuses: vec![crate::store::OutboxStatus::Print],
            action: Some(action),
            limit: None,
        })
        .await?;
    for mut entry in printing {
        entry.status = crate::store::OutboxStatus::Sent;
        entry.provider_id = notice.tracking_number.clone().or(entry.provider_id);
        entry.updated_at = clock.now_rfc3339();
        tx.update_outbox(&entry, None).await?;
    }
    Ok(())
}

/// One line of a tracking file, as applied.
#[derive(Debug, Clone, Serialize)]
pub struct TrackingLine {
    pub line: u64,
    pub notice_id: i64,
    pub tracking_number: Option<String>,
    pub presented_on: Option<Date>,
    pub received_on: Option<Date>,
    /// Whether anything changed.
    pub changed: bool,
}

/// Applies the postal operator's tracking export (see `formats::tracking_csv`) inside the
/// caller's transaction: each line names a notice (by our reference, its id, or its
/// tracking number), found through the store line by line, and gives its delivery dates. All or nothing: the first line naming
/// an unknown notice or with impossible dates fails the whole file, with its line.
pub async fn apply_tracking_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    file_name: &str,
    rows: &[formats::tracking_csv::TrackingRow],
) -> AppResult<Vec<TrackingLine>> {
    let mut out = Vec::new();
    for row in rows {
        let at = |field: &str, why: String| {
            AppError::Invalid(format!("{file_name}: line {}: {field}: {why}", row.line))
        };
        let reference = match &row.notice {
            formats::tracking_csv::NoticeKey::Id(id) => Some(NoticeRef::Id(*id)),
            formats::tracking_csv::NoticeKey::Action(a) => Some(NoticeRef::Action(*a)),
            formats::tracking_csv::NoticeKey::Tracking(t) => tx
                .notices(&NoticeFilter {
                    tracking_number: Some(t.clone()),
                    ..NoticeFilter::default()
                })
                .await?
                .first()
                .map(|n| NoticeRef::Id(n.id)),
        };
        let unknown = || {
            at(
                row.notice.field(),
                domain::tr!(
                    "{} names no formal notice",
                    "{} ne désigne aucune mise en demeure",
                    row.notice
                ),
            )
        };
        let reference = reference.ok_or_else(unknown)?;
        let update = DeliveryUpdate {
            tracking_number: row.tracking_number.clone(),
            presented_on: row.presented_on,
            received_on: row.received_on,
            returned_on: row.returned_on,
            ..DeliveryUpdate::default()
        };
        let (before, after) = match update_delivery_in(tx, clock, reference, &update).await {
            Ok(both) => both,
            Err(AppError::NotFound { .. }) => return Err(unknown()),
            Err(e) => return Err(at("dates", e.to_string())),
        };
        out.push(TrackingLine {
            line: row.line,
            notice_id: after.id,
            tracking_number: after.tracking_number.clone(),
            presented_on: after.presented_on,
            received_on: after.received_on,
            changed: before.tracking_number != after.tracking_number
                || before.presented_on != after.presented_on
                || before.received_on != after.received_on
                || before.returned_on != after.returned_on,
        });
    }
    Ok(out)
}

/// The longest reason kept for a write-off.
pub const MAX_REASON: usize = 500;

/// Writes off what is open on a claim, or `amount` of it, with a reason, inside the
/// caller's transaction: a `write_off` entry dated today, whose reference is the reason
/// (the ledger keeps why). Refused when nothing is open, the amount is not positive or
/// above what is open, or the reason is empty. Returns the amount written off.
pub async fn write_off_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    claim: ClaimId,
    amount: Option<domain::Money>,
    reason: &str,
    now: &str,
) -> AppResult<domain::Money> {
    let c = tx.claim(claim).await?.ok_or_else(|| AppError::NotFound {
        what: "claim",
        id: claim.to_string(),
    })?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "reason: a write-off needs its reason",
            "reason : un passage en perte a besoin d'un motif"
        )));
    }
    if reason.chars().count() > MAX_REASON || reason.chars().any(char::is_control) {
        return Err(AppError::Invalid(domain::tr!(
            "reason: at most {MAX_REASON} characters, no control character",
            "reason : {MAX_REASON} caractères au plus, sans caractère de contrôle"
        )));
    }
    let today = clock.today();
    let mut ledger = domain::ClaimLedger::from_entries(c.currency, tx.ledger_entries(claim).await?);
    let open = ledger.balance_as_of(today);
    if !open.is_positive() {
        return Err(AppError::Invalid(domain::tr!(
            "claim {}: nothing is open to write off",
            "créance {} : rien à passer en perte",
            c.number
        )));
    }
    let amount = amount.unwrap_or(open);
    if amount.currency() != c.currency {
        return Err(AppError::Invalid(domain::tr!(
            "amount: the claim is in {}",
            "montant : la créance est en {}",
            c.currency.code()
        )));
    }
    if !amount.is_positive() || amount.minor() > open.minor() {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {amount} is not between 0 and what is open ({open})",
            "amount : {amount} n'est pas entre 0 et le reste dû ({open})"
        )));
    }
    let before = ledger.entries().len();
    ledger.post(
        domain::EntryKind::WriteOff,
        amount,
        today,
        Some(format!("write-off: {reason}")),
    )?;
    tx.append_entries(claim, &ledger.entries()[before..], now)
        .await?;
    Ok(amount)
}
