//! Loading a whole generated portfolio (the demo) into a fresh store, in one transaction
//! and in large batches.

use crate::clock::Clock;
use crate::error::AppResult;
use crate::store::{Bulk, Store};
use domain::{ClaimId, LedgerEntry};
use serde::Serialize;

/// Something that shows progress (a terminal bar, a log line, nothing).
pub trait ProgressSink: Send + Sync {
    fn advance(&self, done: u64);
    fn finish(&self);
}

/// Progress shown nowhere.
#[derive(Debug, Clone, Copy)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// How much a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Loaded {
    pub creditors: usize,
    pub debtors: usize,
    pub claims: usize,
    pub entries: usize,
}

/// Claims written per bulk call: bounds the memory of the entry batch.
const CLAIMS_PER_BATCH: usize = 20_000;

/// Generates the demo portfolio described by `params` and writes it to `store` in one
/// transaction: all of it, or nothing. The generator streams whole accounts in batches, so
/// memory stays flat even for a million claims.
pub async fn load_demo(
    store: &dyn Store,
    clock: &dyn Clock,
    params: &demo::DemoParams,
    progress: &dyn ProgressSink,
) -> AppResult<Loaded> {
    let generator = demo::Generator::new(params);
    let now = clock.now_rfc3339();
    let creditors = generator.creditors();
    let mut tx = store.begin().await?;
    tx.bulk_insert(Bulk {
        creditors: &creditors,
        debtors: &[],
        claims: &[],
        entries: &[],
        recorded_at: &now,
    })
    .await?;
    let mut loaded = Loaded {
        creditors: creditors.len(),
        ..Loaded::default()
    };
    for batch in generator.batches(CLAIMS_PER_BATCH) {
        let debtors: Vec<domain::Debtor> = batch.debtors.into_iter().map(|d| d.debtor).collect();
        let mut claims = Vec::with_capacity(batch.claims.len());
        let mut entries: Vec<(ClaimId, LedgerEntry)> = Vec::with_capacity(batch.claims.len() * 2);
        for c in batch.claims {
            entries.extend(c.ledger.entries().iter().map(|e| (c.claim.id, e.clone())));
            claims.push(c.claim);
        }
        tx.bulk_insert(Bulk {
            creditors: &[],
            debtors: &debtors,
            claims: &claims,
            entries: &entries,
            recorded_at: &now,
        })
        .await?;
        loaded.debtors += debtors.len();
        loaded.claims += claims.len();
        loaded.entries += entries.len();
        progress.advance(loaded.claims as u64);
    }
    // The generated ledger holds every payment up to the demo's day.
    crate::dunning::note_payment_data(tx.as_mut(), params.as_of).await?;
    tx.commit().await?;
    progress.finish();
    Ok(loaded)
}
