//! Changes made by people, each written to the audit log in the same transaction as the
//! change itself: who did it, when, what it was done to, and the state before and after.
//! The web application and the CLI call these rather than the unaudited use cases, so a
//! change without its audit line cannot be committed.

use crate::clock::Clock;
use crate::dunning::{self, APPROVABLE, SKIPPABLE};
use crate::error::{AppError, AppResult};
use crate::store::{ActionStatus, AuditEntry, Store, StoredAction, StoredCase, Tx};
use domain::{Date, DebtorId};
use serde::Serialize;

/// Who makes a change: a user's login, or `cli:<name>` for the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn to_json<T: Serialize>(value: Option<&T>) -> AppResult<Option<String>> {
    value
        .map(|v| serde_json::to_string(v).map_err(|e| AppError::Invalid(e.to_string())))
        .transpose()
}

/// Appends one line to the audit log inside the caller's transaction.
pub async fn record<B: Serialize, A: Serialize>(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: &Actor,
    action: &str,
    subject: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<()> {
    tx.append_audit(&AuditEntry {
        id: 0,
        at: clock.now_rfc3339(),
        actor: actor.0.clone(),
        action: action.to_string(),
        subject: subject.to_string(),
        before: to_json(before)?,
        after: to_json(after)?,
    })
    .await?;
    Ok(())
}

/// Audits an import (`import.claims`, `import.statement`) with its report, inside the
/// import's transaction, when it has an actor (every face gives one).
pub(crate) async fn record_import<R: Serialize>(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: Option<&Actor>,
    what: &str,
    file_name: &str,
    report: &R,
) -> AppResult<()> {
    match actor {
        Some(actor) => {
            let subject = format!("file:{file_name}");
            record::<(), _>(tx, clock, actor, what, &subject, None, Some(report)).await
        }
        None => Ok(()),
    }
}

async fn change_action(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    from: &[ActionStatus],
    to: ActionStatus,
    what: &str,
) -> AppResult<StoredAction> {
    let mut tx = store.begin().await?;
    // The status the change left from is the one its compare-and-set saw, not one read
    // earlier (on PostgreSQL another transaction may commit in between).
    let (before, action) =
        dunning::change_status_in(tx.as_mut(), id, from, to, &clock.now_rfc3339()).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        what,
        &format!("action:{id}"),
        Some(&before),
        Some(&action.status),
    )
    .await?;
    tx.commit().await?;
    Ok(action)
}

/// Approves a draft action (see [`dunning::approve`]), audited.
pub async fn approve_action(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> AppResult<StoredAction> {
    change_action(
        store,
        clock,
        actor,
        id,
        APPROVABLE,
        ActionStatus::Approved,
        "action.approve",
    )
    .await
}

/// Skips an action that has not gone out (see [`dunning::skip`]), audited.
pub async fn skip_action(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> AppResult<StoredAction> {
    change_action(
        store,
        clock,
        actor,
        id,
        SKIPPABLE,
        ActionStatus::Skipped,
        "action.skip",
    )
    .await
}

/// Changes a debtor's case in one audited transaction: loads it (a debtor the run has not
/// seen yet gets its case now), applies `change`, stores it and records before and after
/// under `what`.
async fn change_case(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
    what: &str,
    change: impl FnOnce(&mut StoredCase) + Send,
) -> AppResult<StoredCase> {
    let d = tx.debtor(debtor).await?.ok_or_else(|| AppError::NotFound {
        what: "debtor",
        id: debtor.to_string(),
    })?;
    let before = tx.case(debtor).await?;
    let mut case = before
        .clone()
        .unwrap_or_else(|| dunning::new_case(debtor, d.creditor_id));
    change(&mut case);
    tx.upsert_case(&case, &clock.now_rfc3339()).await?;
    record(
        tx,
        clock,
        actor,
        what,
        &format!("debtor:{debtor}"),
        before.as_ref(),
        Some(&case),
    )
    .await?;
    Ok(case)
}

/// Puts a debtor's case on hold until a day (the daily run sends nothing before it), or
/// lifts the hold with `None`.
pub async fn hold_case(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
    until: Option<Date>,
) -> AppResult<StoredCase> {
    if let Some(day) = until
        && day <= clock.today()
    {
        return Err(AppError::Invalid(domain::tr!(
            "a hold must end after today ({}): {day}",
            "une suspension doit finir après aujourd'hui ({}) : {day}",
            clock.today()
        )));
    }
    let what = if until.is_some() {
        "case.hold"
    } else {
        "case.release"
    };
    let mut tx = store.begin().await?;
    let case = change_case(tx.as_mut(), clock, actor, debtor, what, |c| {
        c.hold_until = until;
    })
    .await?;
    tx.commit().await?;
    Ok(case)
}

/// Assigns a debtor's case to a collector (a user's login), or to nobody with `None`:
/// their worklist then shows its tasks, other collectors' do not.
pub async fn assign_case(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
    owner: Option<&str>,
) -> AppResult<StoredCase> {
    let mut tx = store.begin().await?;
    if let Some(login) = owner {
        let user = tx.user_by_login(login).await?;
        if !user.is_some_and(|u| u.active) {
            return Err(AppError::Invalid(domain::tr!(
                "owner: no active user {login:?}",
                "owner : aucun utilisateur actif {login:?}"
            )));
        }
    }
    let case = change_case(tx.as_mut(), clock, actor, debtor, "case.assign", |c| {
        c.owner = owner.map(str::to_string);
    })
    .await?;
    tx.commit().await?;
    Ok(case)
}

/// The audit log, newest first.
pub async fn entries(
    tx: &mut dyn Tx,
    limit: usize,
    before: Option<i64>,
) -> AppResult<Vec<AuditEntry>> {
    Ok(tx.audit_entries(limit, before).await?)
}

/// Records a promise to pay (see [`crate::agreements::add_promise`]), audited.
pub async fn add_promise(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    terms: &crate::agreements::PromiseTerms,
) -> AppResult<(i64, domain::agreements::Promise)> {
    let mut tx = store.begin().await?;
    let (id, promise) = crate::agreements::add_promise_in(tx.as_mut(), clock, terms).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "promise.add",
        &format!("promise:{id}"),
        None::<&()>,
        Some(&promise),
    )
    .await?;
    tx.commit().await?;
    Ok((id, promise))
}

/// Opens a dispute (see [`crate::agreements::open_dispute`]), audited; the actor owns it
/// unless the terms name an owner.
pub async fn open_dispute(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    terms: &crate::agreements::DisputeTerms,
) -> AppResult<(i64, domain::agreements::Dispute)> {
    let mut terms = terms.clone();
    if terms.owner.is_empty() {
        terms.owner = actor.as_str().to_string();
    }
    let mut tx = store.begin().await?;
    let (id, dispute) = crate::agreements::open_dispute_in(tx.as_mut(), clock, &terms).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "dispute.open",
        &format!("dispute:{id}"),
        None::<&()>,
        Some(&dispute),
    )
    .await?;
    tx.commit().await?;
    Ok((id, dispute))
}

/// Applies a payment waiting for review (see [`crate::payments::apply`]), audited.
pub async fn apply_payment(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    payment_id: i64,
    claims: Option<Vec<domain::ClaimId>>,
    tables: &domain::law::RateTables,
) -> AppResult<crate::payments::Posted> {
    let mut tx = store.begin().await?;
    let posted = crate::payments::apply_in(tx.as_mut(), clock, payment_id, claims, tables).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "payment.apply",
        &format!("payment:{payment_id}"),
        Some(&"review"),
        Some(&posted),
    )
    .await?;
    tx.commit().await?;
    Ok(posted)
}

/// Sets a payment waiting for review aside (see [`crate::payments::ignore`]), audited.
pub async fn ignore_payment(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    payment_id: i64,
) -> AppResult<()> {
    let mut tx = store.begin().await?;
    crate::payments::ignore_in(tx.as_mut(), clock, payment_id).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "payment.ignore",
        &format!("payment:{payment_id}"),
        Some(&"review"),
        Some(&"ignored"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves a payment plan (see [`crate::agreements::create_plan`]), audited.
pub async fn create_plan(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
    terms: &crate::agreements::PlanTerms,
) -> AppResult<(i64, domain::agreements::Plan)> {
    let mut tx = store.begin().await?;
    let (id, plan) = crate::agreements::create_plan_in(tx.as_mut(), clock, debtor, terms).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "plan.create",
        &format!("plan:{id}"),
        None::<&()>,
        Some(&plan),
    )
    .await?;
    tx.commit().await?;
    Ok((id, plan))
}

/// Records a co-debtor's consent to a plan (see [`crate::agreements::record_consent`]),
/// audited.
pub async fn record_consent(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    plan_id: i64,
    debtor: DebtorId,
    channel: &str,
) -> AppResult<(domain::agreements::Plan, Vec<DebtorId>)> {
    let mut tx = store.begin().await?;
    let (plan, missing) =
        crate::agreements::record_consent_in(tx.as_mut(), clock, plan_id, debtor, channel).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "plan.consent",
        &format!("plan:{plan_id}"),
        None::<&()>,
        Some(&serde_json::json!({
            "debtor": debtor,
            "channel": channel,
            "status": crate::agreements::status_name(plan.status),
            "missing": missing,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok((plan, missing))
}

/// Resolves a dispute (see [`crate::agreements::resolve_dispute`]), audited.
pub async fn resolve_dispute(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    resolution: domain::agreements::Resolution,
) -> AppResult<domain::agreements::Dispute> {
    let mut tx = store.begin().await?;
    let dispute = crate::agreements::resolve_dispute_in(tx.as_mut(), clock, id, resolution).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "dispute.resolve",
        &format!("dispute:{id}"),
        Some(&"open"),
        Some(&dispute),
    )
    .await?;
    tx.commit().await?;
    Ok(dispute)
}

/// Logs a call or note on a debtor's file, with the promise made on the call if any
/// (see [`crate::notes`]), audited.
pub async fn log_call(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    log: &crate::notes::CallLog,
) -> AppResult<(
    crate::store::StoredNote,
    Option<(i64, domain::agreements::Promise)>,
)> {
    let mut tx = store.begin().await?;
    let (note, promise) = crate::notes::log_in(tx.as_mut(), clock, actor.as_str(), log).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        if note.outcome.is_some() {
            "call.log"
        } else {
            "note.add"
        },
        &format!("debtor:{}", log.debtor),
        None::<&()>,
        Some(&serde_json::json!({ "note": note, "promise": promise })),
    )
    .await?;
    tx.commit().await?;
    Ok((note, promise))
}

/// Records a limitation event on a claim or a debtor (see [`crate::limitation_events`]),
/// audited.
pub async fn record_limitation_event(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: &crate::limitation_events::NewLimitationEvent,
) -> AppResult<crate::store::StoredLimitationEvent> {
    let mut tx = store.begin().await?;
    let event =
        crate::limitation_events::record_in(tx.as_mut(), clock, actor.as_str(), new).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "limitation_event.add",
        &new.subject.audit_subject(),
        None::<&()>,
        Some(&event),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

/// The scenario files as the audit log keeps them: file name → text.
fn scenario_texts(
    files: &crate::scenarios::ScenarioFiles,
) -> std::collections::BTreeMap<String, String> {
    files
        .scenarios
        .iter()
        .chain(std::iter::once(&files.assignment))
        .cloned()
        .collect()
}

/// Validates and stores a scenario set (see [`crate::scenarios::load`]), audited with the
/// files before and after.
pub async fn load_scenarios(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    files: &crate::scenarios::ScenarioFiles,
) -> AppResult<domain::dunning::ScenarioSet> {
    let mut tx = store.begin().await?;
    let before = crate::scenarios::stored_files(tx.as_mut()).await?;
    let set = crate::scenarios::load(tx.as_mut(), files).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "scenarios.load",
        "scenarios",
        Some(&scenario_texts(&before)),
        Some(&scenario_texts(files)),
    )
    .await?;
    tx.commit().await?;
    Ok(set)
}

/// Goes back to the shipped scenarios (see [`crate::scenarios::reset`]), audited.
pub async fn reset_scenarios(store: &dyn Store, clock: &dyn Clock, actor: &Actor) -> AppResult<()> {
    let mut tx = store.begin().await?;
    let before = crate::scenarios::stored_files(tx.as_mut()).await?;
    crate::scenarios::reset(tx.as_mut()).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "scenarios.reset",
        "scenarios",
        Some(&scenario_texts(&before)),
        Some(&"shipped"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the company's identity and bank details (the SEPA creditor identity, normalised
/// then checked as [`crate::sepa::set_creditor`] does), its postal address and, when
/// given, the company number its letters print (the SIREN of a French company, which a
/// registered letter needs: [`crate::issuing`]), audited; returns the identity as stored.
pub async fn set_company(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    identity: &crate::sepa::CreditorIdentity,
    address: &str,
    company_id: Option<&str>,
) -> AppResult<crate::sepa::CreditorIdentity> {
    let identity = &identity.normalised();
    let mut tx = store.begin().await?;
    let before = crate::sepa::identity(tx.as_mut()).await?;
    let before_id = tx
        .setting(crate::issuing::settings::SENDER_COMPANY_ID)
        .await?;
    crate::sepa::set_creditor_in(tx.as_mut(), identity).await?;
    tx.set_setting(crate::sepa::COMPANY_ADDRESS, address.trim())
        .await?;
    if let Some(id) = company_id {
        tx.set_setting(crate::issuing::settings::SENDER_COMPANY_ID, id.trim())
            .await?;
    }
    record(
        tx.as_mut(),
        clock,
        actor,
        "settings.company",
        "settings",
        Some(&(before, before_id.as_deref())),
        Some(&(identity, address.trim(), company_id.map(str::trim))),
    )
    .await?;
    tx.commit().await?;
    Ok(identity.clone())
}

/// Replaces the terms of sale of a creditor or a claim (see [`crate::contract`]), audited
/// with the terms before and after.
pub async fn set_terms(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    scope: crate::store::TermsScope,
    owner: i64,
    terms: &domain::law::ContractTerms,
) -> AppResult<domain::law::ContractTerms> {
    let mut tx = store.begin().await?;
    let before = crate::contract::set_terms_in(tx.as_mut(), clock, scope, owner, terms).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "terms.set",
        &format!("{}:{owner}", scope.as_str()),
        Some(&before),
        Some(terms),
    )
    .await?;
    tx.commit().await?;
    Ok(*terms)
}

/// Records a formal notice sent by hand or served by a commissaire de justice (see
/// [`crate::contract::record_notice_in`]), audited.
pub async fn record_notice(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &crate::contract::NoticeInput,
) -> AppResult<crate::store::StoredNotice> {
    let mut tx = store.begin().await?;
    let notice =
        crate::contract::record_notice_in(tx.as_mut(), clock, actor.as_str(), input).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "notice.record",
        &format!("debtor:{}", notice.debtor_id),
        None::<&()>,
        Some(&notice),
    )
    .await?;
    tx.commit().await?;
    Ok(notice)
}

/// Records a formal notice's delivery (tracking number, first presentation, signed
/// receipt, proof; see [`crate::contract::update_delivery_in`]), audited.
pub async fn update_notice(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    reference: crate::contract::NoticeRef,
    update: &crate::contract::DeliveryUpdate,
) -> AppResult<crate::store::StoredNotice> {
    let mut tx = store.begin().await?;
    let (before, after) =
        crate::contract::update_delivery_in(tx.as_mut(), clock, reference, update).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "notice.delivery",
        &format!("notice:{}", after.id),
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Applies a postal tracking file to the formal notices, all or nothing (see
/// [`crate::contract::apply_tracking_in`]), audited with the lines applied.
pub async fn import_tracking(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Vec<crate::contract::TrackingLine>> {
    let rows = formats::tracking_csv::read_tracking_csv(file_name, bytes)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let mut tx = store.begin().await?;
    let lines = crate::contract::apply_tracking_in(tx.as_mut(), clock, file_name, &rows).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "notice.tracking_import",
        &format!("file:{file_name}"),
        None::<&()>,
        Some(&lines),
    )
    .await?;
    tx.commit().await?;
    Ok(lines)
}

/// Records a factor or an insurer (see [`crate::financing::add_party_in`]), audited.
pub async fn add_financing_party(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    kind: crate::store::PartyKind,
    input: &crate::financing::PartyInput,
) -> AppResult<crate::store::FinancingParty> {
    let mut tx = store.begin().await?;
    let party = crate::financing::add_party_in(tx.as_mut(), clock, kind, input).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "financing.add_party",
        &format!("financing_party:{}", party.id),
        None::<&()>,
        Some(&party),
    )
    .await?;
    tx.commit().await?;
    Ok(party)
}

/// Assigns a claim or a debtor to a factor or an insurer (see
/// [`crate::financing::assign_in`]), audited with the assignment before and after.
pub async fn assign_financing(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &crate::financing::AssignInput,
) -> AppResult<crate::store::StoredAssignment> {
    let mut tx = store.begin().await?;
    let (before, after) = crate::financing::assign_in(tx.as_mut(), clock, input).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "financing.assign",
        &input.target.subject(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Ends the assignment of a claim or a debtor (see [`crate::financing::unassign_in`]),
/// audited.
pub async fn unassign_financing(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target: crate::financing::Target,
) -> AppResult<crate::store::StoredAssignment> {
    let mut tx = store.begin().await?;
    let before = crate::financing::unassign_in(tx.as_mut(), target).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "financing.unassign",
        &target.subject(),
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

/// Claims by hand the interest and indemnity not yet posted on a claim (see
/// [`crate::charges::claim_in`]), as of the clock's day, audited with what was posted.
pub async fn post_charges(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    claim: domain::ClaimId,
    tables: &domain::law::RateTables,
) -> AppResult<crate::charges::PostedCharges> {
    let mut tx = store.begin().await?;
    let now = clock.now_rfc3339();
    let posted = crate::charges::claim_in(tx.as_mut(), claim, clock.today(), tables, &now).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "claim.post_charges",
        &format!("claim:{claim}"),
        None::<&()>,
        Some(&serde_json::json!({ "interest": posted.interest, "indemnity": posted.indemnity })),
    )
    .await?;
    tx.commit().await?;
    Ok(posted)
}

/// Writes off a claim, or part of it, with a reason (see
/// [`crate::contract::write_off_in`]), audited with the amount and the reason.
pub async fn write_off(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    claim: domain::ClaimId,
    amount: Option<domain::Money>,
    reason: &str,
) -> AppResult<domain::Money> {
    let mut tx = store.begin().await?;
    let now = clock.now_rfc3339();
    let written =
        crate::contract::write_off_in(tx.as_mut(), clock, claim, amount, reason, &now).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "claim.write_off",
        &format!("claim:{claim}"),
        None::<&()>,
        Some(&serde_json::json!({ "amount": written, "reason": reason.trim() })),
    )
    .await?;
    tx.commit().await?;
    Ok(written)
}

/// Binds a co-debtor or guarantor to a claim (see [`crate::agreements::add_party_in`]),
/// audited.
pub async fn add_claim_party(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    party: &crate::store::ClaimParty,
) -> AppResult<()> {
    let mut tx = store.begin().await?;
    crate::agreements::add_party_in(tx.as_mut(), party).await?;
    record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "claim.add_party",
        &format!("claim:{}", party.claim_id),
        None,
        Some(party),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a debtor's direct-debit mandate (see [`crate::sepa::add_mandate_in`]), audited
/// (its IBAN included, as the mandate itself holds it); returns its id.
pub async fn add_mandate(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    mandate: &crate::sepa::Mandate,
) -> AppResult<i64> {
    let mut tx = store.begin().await?;
    let id = crate::sepa::add_mandate_in(tx.as_mut(), clock, mandate).await?;
    record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "sepa.add_mandate",
        &format!("debtor:{}", mandate.debtor_id),
        None,
        Some(mandate),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets the creditor's SEPA identity alone (see [`crate::sepa::set_creditor_in`]; the
/// settings page sets it with the address through [`set_company`]), audited with the
/// identity before and after.
pub async fn set_sepa_creditor(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    identity: &crate::sepa::CreditorIdentity,
) -> AppResult<()> {
    let identity = &identity.normalised();
    let mut tx = store.begin().await?;
    let (before, _) = crate::sepa::identity(tx.as_mut()).await?;
    crate::sepa::set_creditor_in(tx.as_mut(), identity).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "settings.sepa_creditor",
        "settings",
        Some(&before),
        Some(identity),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
