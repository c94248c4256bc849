//! Copying a whole database from one store to another (SQLite to PostgreSQL when a
//! customer outgrows one machine), verified by row counts and by the balances the ledger
//! gives as of the copy, to the cent, per currency. Everything is carried: the portfolio
//! and its ledger, the collection state, bank statements and payments with their
//! allocations, terms of sale and formal notices, legal files and their exhibits, factors and insurers with their
//! assignments, users, API tokens, the import log and the audit log; only browser
//! sessions (people sign in again) and job leases (held by running processes) are not.
//!
//! The source is read in one read transaction (`Store::begin_read`): on PostgreSQL a
//! repeatable-read snapshot, on SQLite one WAL snapshot, so a copy taken while others
//! write is the database of one moment, and the census it is checked against is read in
//! that same moment.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    ActionFilter, AgreementFilter, Bulk, Census, Counts, DebtorCredit, OutboxFilter, PaymentFilter,
    Store, StoredAllocation, StoredApiToken, StoredPayment, Tx,
};
use std::collections::HashMap;

use domain::aging::Buckets;
use domain::money::Money;
use serde::Serialize;

/// What was copied, and the proof that source and target agree.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    pub source: Counts,
    pub target: Counts,
    /// Open balances per currency as of the copy date, on each side.
    pub source_open: Vec<Money>,
    pub target_open: Vec<Money>,
    /// Every table's rows and the ledger's sums, on each side, without the tables a copy
    /// does not carry ([`NOT_CARRIED`]).
    pub source_census: Census,
    pub target_census: Census,
}

/// The tables a copy leaves behind by design: browser sessions (people sign in again),
/// job leases (they belong to the processes running on the source) and failed sign-ins
/// (kept 15 minutes to slow down guessing).
pub const NOT_CARRIED: &[&str] = &["sessions", "jobs", "login_failures"];

/// Copies everything from `from` into the empty store `to`, in one target transaction.
pub async fn copy_all(
    from: &dyn Store,
    to: &dyn Store,
    clock: &dyn Clock,
) -> AppResult<CopyReport> {
    let as_of = clock.today();
    // One snapshot of the source for every read below.
    let mut src = from.begin_read().await?;
    let source = src.counts().await?;
    let source_census = src.census().await?.without(NOT_CARRIED);
    {
        let mut dst = to.begin_read().await?;
        let existing = dst.census().await?;
        if !existing.is_empty() {
            let counts = dst.counts().await?;
            let (creditors, debtors, claims) = (counts.creditors, counts.debtors, counts.claims);
            let rows = existing
                .tables
                .iter()
                .filter(|(t, _)| t.as_str() != "recouvre_migrations")
                .map(|(_, n)| n)
                .sum::<i64>();
            return Err(AppError::Invalid(domain::tr!(
                "the target already holds data ({creditors} creditors, {debtors} debtors, {claims} claims, {rows} rows in all): copy into an empty database",
                "la cible contient déjà des données ({creditors} créanciers, {debtors} débiteurs, {claims} créances, {rows} lignes en tout) : copiez dans une base vide"
            )));
        }
    }
    let creditors = src.creditors().await?;
    let debtors = src.debtors(None).await?;
    let claims = src.claims(None).await?;
    let entries = src.all_ledger_entries(None).await?;
    let source_open = open_totals(src.as_mut(), as_of).await?;
    // The collection state: cases, the actions decided (their ids kept: inserted in order
    // into an empty table), the steps done in current cycles, agreements, claim parties,
    // calls and notes, and every installation setting.
    let cases = src.cases().await?;
    let steps = src.current_steps().await?;
    let mut actions = src.actions(&ActionFilter::default()).await?;
    actions.sort_by_key(|a| a.id);
    let agreements = src.agreements(&AgreementFilter::default()).await?;
    let parties = src.claim_parties(&[]).await?;
    let notes = src.notes(None).await?;
    let limitation_events = src.limitation_events(None).await?;
    let mut terms = src
        .contract_terms(crate::store::TermsScope::Creditor, None)
        .await?;
    terms.extend(
        src.contract_terms(crate::store::TermsScope::Claim, None)
            .await?,
    );
    let notices = src.notices(&crate::store::NoticeFilter::default()).await?;
    let legal_files = src
        .legal_files(&crate::store::LegalFileFilter::default())
        .await?;
    let exhibits = src.exhibits(None, true).await?;
    // Agency mode: mandates, placements, remittance statements (with the entries each
    // remitted, read from its statement's lines) and the notices to clients.
    let mandates = src.mandates(None).await?;
    let placements = src
        .placements(&crate::store::PlacementFilter::default())
        .await?;
    let mut remittances = src.remittances(None, None, true).await?;
    remittances.sort_by_key(|r| r.id);
    let mut client_notices = src.client_notices(None, usize::MAX).await?;
    client_notices.sort_by_key(|n| n.id);
    let financing_parties = src.financing_parties().await?;
    let assignments = src.assignments().await?;
    let settings = src.settings().await?;
    // The outbox and its delivery log: what was sent stays sent after the move.
    let mut outbox = src.outbox(&OutboxFilter::default()).await?;
    outbox.sort_by_key(|e| e.id);
    let deliveries = src.deliveries(None).await?;
    // The bank side: statements, payments (each with its allocations), learned payer IBANs
    // and debtors' credits. Their ids are given anew by the target, so references to them
    // are mapped below rather than assumed equal.
    let statements = src.statements().await?;
    let mut payments = src.payments(&PaymentFilter::default()).await?;
    payments.sort_by_key(|p| p.id);
    let mut allocations = Vec::with_capacity(payments.len());
    for payment in &payments {
        allocations.push(src.allocations(payment.id).await?);
    }
    let ibans = src.payer_ibans().await?;
    let credits = src.debtor_credits(None).await?;
    // People: users (with their password hashes), API tokens (hashes), the audit log.
    // Sessions are not copied: everyone signs in again on the new database.
    let users = src.users().await?;
    let mut second_factors = HashMap::new();
    for user in &users {
        if let Some(secret) = src.user_totp(user.id).await? {
            second_factors.insert(user.id, secret);
        }
    }
    let tokens = src.api_tokens().await?;
    let mut audit = src.audit_entries(usize::MAX, None).await?;
    audit.reverse();
    let imports = src.imports().await?;
    drop(src);

    let now = clock.now_rfc3339();
    let mut dst = to.begin().await?;
    dst.bulk_insert(Bulk {
        creditors: &creditors,
        debtors: &debtors,
        claims: &claims,
        entries: &entries,
        recorded_at: &now,
    })
    .await?;
    for case in &cases {
        dst.upsert_case(case, &now).await?;
    }
    for step in &steps {
        dst.upsert_step(step).await?;
    }
    let mut action_ids = HashMap::new();
    for action in &actions {
        if let Some(id) = dst.insert_action(action).await? {
            action_ids.insert(action.id, id);
        }
    }
    let mut outbox_ids = HashMap::new();
    for entry in &outbox {
        let mut moved = entry.clone();
        moved.action_id = *action_ids.get(&entry.action_id).unwrap_or(&entry.action_id);
        if let Some(id) = dst.insert_outbox(&moved).await? {
            outbox_ids.insert(entry.id, id);
        }
    }
    for attempt in &deliveries {
        let mut moved = attempt.clone();
        moved.outbox_id = *outbox_ids
            .get(&attempt.outbox_id)
            .unwrap_or(&attempt.outbox_id);
        dst.insert_delivery(&moved).await?;
    }
    for agreement in &agreements {
        dst.insert_agreement(agreement).await?;
    }
    for party in &parties {
        dst.add_claim_party(party).await?;
    }
    for note in &notes {
        dst.insert_note(note).await?;
    }
    for event in &limitation_events {
        dst.insert_limitation_event(event).await?;
    }
    for (key, value) in &settings {
        dst.set_setting(key, value).await?;
    }
    for t in &terms {
        dst.set_contract_terms(t).await?;
    }
    for notice in &notices {
        dst.insert_notice(notice).await?;
    }
    // Legal files get their ids anew (the same ones, inserted in order into an empty
    // table); their exhibits follow them.
    let mut file_ids = HashMap::new();
    for file in &legal_files {
        file_ids.insert(file.id, dst.insert_legal_file(file).await?);
    }
    for exhibit in &exhibits {
        let mut moved = exhibit.clone();
        moved.file_id = *file_ids.get(&exhibit.file_id).unwrap_or(&exhibit.file_id);
        dst.insert_exhibit(&moved).await?;
    }
    // Mandates get their ids anew; placements and statements follow them.
    let mut mandate_ids = HashMap::new();
    for m in &mandates {
        mandate_ids.insert(m.id, dst.insert_mandate(m).await?);
    }
    let mandate_of = |id: i64| -> AppResult<i64> {
        mandate_ids.get(&id).copied().ok_or_else(|| {
            AppError::Invalid(format!(
                "a placement or statement points at mandate {id}, which the source does not hold"
            ))
        })
    };
    for p in &placements {
        let mut moved = p.clone();
        moved.mandate_id = mandate_of(p.mandate_id)?;
        dst.insert_placement(&moved).await?;
    }
    for r in &remittances {
        let statement: domain::agency::Statement = serde_json::from_str(&r.data)
            .map_err(|e| AppError::Invalid(format!("remittance {}: {e}", r.id)))?;
        let entries: Vec<_> = statement.lines.iter().map(|l| (l.claim, l.seq)).collect();
        let mut moved = r.clone();
        moved.mandate_id = mandate_of(r.mandate_id)?;
        dst.insert_remittance(&moved, &entries).await?;
    }
    for n in &client_notices {
        dst.insert_client_notice(n).await?;
    }
    // Factors and insurers get their ids anew: the assignments follow them.
    let mut party_ids = HashMap::new();
    for party in &financing_parties {
        party_ids.insert(party.id, dst.insert_financing_party(party).await?);
    }
    for assignment in &assignments {
        let party_id = *party_ids.get(&assignment.party_id).ok_or_else(|| {
            AppError::Invalid(format!(
                "the assignment of {} {} points at financing party {}, which the source does not hold",
                assignment.scope.as_str(),
                assignment.owner_id,
                assignment.party_id
            ))
        })?;
        dst.set_assignment(&crate::store::StoredAssignment {
            party_id,
            ..assignment.clone()
        })
        .await?;
    }
    let mut statement_ids = HashMap::new();
    for statement in &statements {
        statement_ids.insert(statement.id, dst.insert_statement(statement).await?);
    }
    let mut payment_ids = HashMap::new();
    for (payment, allocations) in payments.iter().zip(&allocations) {
        let statement_id = *statement_ids.get(&payment.statement_id).ok_or_else(|| {
            AppError::Invalid(format!(
                "bank payment {} points at statement {}, which the source does not hold",
                payment.id, payment.statement_id
            ))
        })?;
        let id = dst
            .insert_payment(&StoredPayment {
                statement_id,
                ..payment.clone()
            })
            .await?;
        payment_ids.insert(payment.id, id);
        let mapped: Vec<_> = allocations
            .iter()
            .map(|a| StoredAllocation {
                payment_id: id,
                ..a.clone()
            })
            .collect();
        dst.insert_allocations(&mapped).await?;
    }
    for iban in &ibans {
        dst.learn_iban(&iban.iban, iban.debtor_id, iban.learned_on)
            .await?;
    }
    for credit in &credits {
        let payment_id = credit.payment_id.and_then(|p| payment_ids.get(&p).copied());
        dst.add_debtor_credit(&DebtorCredit {
            payment_id,
            ..credit.clone()
        })
        .await?;
    }
    let mut user_ids = HashMap::new();
    for user in &users {
        let id = dst.insert_user(user).await?;
        // The second factor goes along: people sign in again, with it.
        if let Some(secret) = second_factors.get(&user.id) {
            dst.set_user_totp(id, Some(secret)).await?;
        }
        user_ids.insert(user.id, id);
    }
    for token in &tokens {
        if let Some(user_id) = user_ids.get(&token.user_id) {
            dst.insert_api_token(&StoredApiToken {
                user_id: *user_id,
                ..token.clone()
            })
            .await?;
        }
    }
    for entry in &audit {
        dst.append_audit(entry).await?;
    }
    for record in &imports {
        dst.record_import(record).await?;
    }
    dst.commit().await?;

    let mut check = to.begin().await?;
    let target = check.counts().await?;
    let target_open = open_totals(check.as_mut(), as_of).await?;
    let target_census = check.census().await?.without(NOT_CARRIED);
    drop(check);
    let report = CopyReport {
        source,
        target,
        source_open,
        target_open,
        source_census,
        target_census,
    };
    if report.source_census != report.target_census {
        return Err(AppError::Invalid(format!(
            "the copy does not match its source: {}",
            census_difference(&report.source_census, &report.target_census)
        )));
    }
    if report.source != report.target || report.source_open != report.target_open {
        return Err(AppError::Invalid(format!(
            "the copy does not match its source: counts {:?} vs {:?}, open {:?} vs {:?}",
            report.source, report.target, report.source_open, report.target_open
        )));
    }
    Ok(report)
}

/// What the ledger says is open as of `as_of`, per currency: the balance a copy must keep.
async fn open_totals(tx: &mut dyn Tx, as_of: domain::Date) -> AppResult<Vec<Money>> {
    Ok(tx
        .book(None)
        .await?
        .aged_balance(as_of, &Buckets::default())
        .total()
        .iter()
        .collect())
}

/// Where two censuses differ, in words: the tables whose rows differ and the currencies
/// whose ledger sums differ.
pub fn census_difference(source: &Census, copy: &Census) -> String {
    let mut parts = Vec::new();
    let tables: std::collections::BTreeSet<&String> =
        source.tables.keys().chain(copy.tables.keys()).collect();
    for t in tables {
        let (a, b) = (source.rows(t), copy.rows(t));
        if a != b {
            parts.push(format!("{t}: {a} rows in the source, {b} in the copy"));
        }
    }
    let currencies: std::collections::BTreeSet<&String> = source
        .ledger_minor
        .keys()
        .chain(copy.ledger_minor.keys())
        .collect();
    for c in currencies {
        let a = source.ledger_minor.get(c).copied().unwrap_or(0);
        let b = copy.ledger_minor.get(c).copied().unwrap_or(0);
        if a != b {
            parts.push(format!(
                "ledger in {c}: {a} minor units in the source, {b} in the copy"
            ));
        }
    }
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join("; ")
    }
}
