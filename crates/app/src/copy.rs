//! Copying a whole database from one store to another (SQLite to PostgreSQL when a
//! customer outgrows one machine), verified by row counts and by the balances the ledger
//! gives as of the copy, to the cent, per currency.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{ActionFilter, AgreementFilter, Bulk, Counts, PaymentFilter, Store, Tx};

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
}

/// Copies everything from `from` into the empty store `to`, in one target transaction.
pub async fn copy_all(
    from: &dyn Store,
    to: &dyn Store,
    clock: &dyn Clock,
) -> AppResult<CopyReport> {
    let as_of = clock.today();
    let mut src = from.begin().await?;
    let source = src.counts().await?;
    {
        let mut dst = to.begin().await?;
        let existing = dst.counts().await?;
        if existing != Counts::default() {
            return Err(AppError::Invalid(format!(
                "the target already holds data ({} creditors, {} debtors, {} claims): copy into an empty database",
                existing.creditors, existing.debtors, existing.claims
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
    let settings = src.settings().await?;
    // Bank payments are not copied yet: refuse rather than lose them.
    let payments = src.payments(&PaymentFilter::default()).await?;
    if !payments.is_empty() {
        return Err(AppError::Invalid(format!(
            "the source holds {} bank payments, which migrate-data does not copy yet: nothing was copied / la source contient des paiements bancaires que migrate-data ne copie pas encore : rien n'a été copié",
            payments.len()
        )));
    }
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
    for action in &actions {
        dst.insert_action(action).await?;
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
    for (key, value) in &settings {
        dst.set_setting(key, value).await?;
    }
    dst.commit().await?;

    let mut check = to.begin().await?;
    let target = check.counts().await?;
    let target_open = open_totals(check.as_mut(), as_of).await?;
    let report = CopyReport {
        source,
        target,
        source_open,
        target_open,
    };
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
