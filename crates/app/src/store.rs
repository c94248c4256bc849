//! The store port. Use cases talk to the database only through these traits; each backend
//! crate (`store-sqlite`, `store-pg`) implements them, and one conformance suite
//! (`store-tests`) checks that both behave the same.
//!
//! Everything happens inside a [`Tx`]: a use case begins one, reads and writes, and
//! commits; dropping a `Tx` without committing rolls everything back. That is how "every
//! command is one transaction" and "bad input changes nothing" hold.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::book::Book;
use domain::{Claim, ClaimId, Creditor, CreditorId, Debtor, DebtorId, LedgerEntry};
use serde::Serialize;

pub type StoreResult<T> = Result<T, StoreError>;

/// A database holding one Recouvre installation.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Begins a transaction. Reads inside it see one consistent state.
    async fn begin(&self) -> StoreResult<Box<dyn Tx>>;

    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The schema versions applied and known, for `recouvre migrate`.
    async fn migration_status(&self) -> StoreResult<Vec<MigrationState>>;
}

/// One schema migration and whether it is applied.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationState {
    pub version: i64,
    pub name: String,
    pub applied_at: Option<String>,
}

/// A record of an import that changed something: its content fingerprint makes the same
/// file imported twice a no-op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub kind: String,
    pub file_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub fingerprint: String,
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
    pub imported_at: String,
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub creditors: i64,
    pub debtors: i64,
    pub claims: i64,
    pub ledger_entries: i64,
}

/// Everything needed to load a whole portfolio at once, ids assigned by the caller: used
/// by the demo on a fresh database and by copies between backends. Much faster than one
/// insert per row.
#[derive(Debug, Clone, Copy)]
pub struct Bulk<'a> {
    pub creditors: &'a [Creditor],
    pub debtors: &'a [Debtor],
    pub claims: &'a [Claim],
    pub entries: &'a [(ClaimId, LedgerEntry)],
    pub recorded_at: &'a str,
}

/// One transaction on the store. After any of its operations fails, the transaction can
/// only roll back: `commit` then returns `StoreError::Aborted` (both backends behave the
/// same, whatever their own rules after an error).
#[async_trait]
pub trait Tx: Send {
    /// Makes every write of this transaction durable, or none of them.
    async fn commit(self: Box<Self>) -> StoreResult<()>;

    // -- creditors
    async fn creditors(&mut self) -> StoreResult<Vec<Creditor>>;
    async fn creditor_by_code(&mut self, code: &str) -> StoreResult<Option<Creditor>>;
    async fn insert_creditor(
        &mut self,
        code: &str,
        name: &str,
        country: &str,
    ) -> StoreResult<Creditor>;

    // -- debtors
    async fn debtor(&mut self, id: DebtorId) -> StoreResult<Option<Debtor>>;
    /// Every debtor of a creditor (or of all creditors), contacts included, by id.
    async fn debtors(&mut self, creditor: Option<CreditorId>) -> StoreResult<Vec<Debtor>>;
    /// Inserts a debtor (its `id` is ignored) with its contacts; returns the new id.
    async fn insert_debtor(&mut self, debtor: &Debtor) -> StoreResult<DebtorId>;
    /// Replaces a debtor's fields and contacts.
    async fn update_debtor(&mut self, debtor: &Debtor) -> StoreResult<()>;

    // -- claims
    async fn claim(&mut self, id: ClaimId) -> StoreResult<Option<Claim>>;
    async fn claims_of_debtor(&mut self, debtor: DebtorId) -> StoreResult<Vec<Claim>>;
    /// Every claim of a creditor (or of all), by id.
    async fn claims(&mut self, creditor: Option<CreditorId>) -> StoreResult<Vec<Claim>>;
    /// Inserts a claim (its `id` is ignored); returns the new id.
    async fn insert_claim(&mut self, claim: &Claim) -> StoreResult<ClaimId>;
    /// Updates the facts of a claim (dates, number, nature). Amounts never change here:
    /// they change through ledger entries.
    async fn update_claim(&mut self, claim: &Claim) -> StoreResult<()>;

    // -- ledger
    async fn ledger_entries(&mut self, claim: ClaimId) -> StoreResult<Vec<LedgerEntry>>;
    /// The entries of every claim of one debtor, ordered by claim then seq.
    async fn ledger_entries_of_debtor(
        &mut self,
        debtor: DebtorId,
    ) -> StoreResult<Vec<(ClaimId, LedgerEntry)>>;
    /// The entries of every claim of a creditor (or of all), ordered by claim then seq.
    async fn all_ledger_entries(
        &mut self,
        creditor: Option<CreditorId>,
    ) -> StoreResult<Vec<(ClaimId, LedgerEntry)>>;
    /// Appends entries whose `seq` the domain ledger assigned. A `seq` already taken is an
    /// error: two writers never both append the same position.
    async fn append_entries(
        &mut self,
        claim: ClaimId,
        entries: &[LedgerEntry],
        recorded_at: &str,
    ) -> StoreResult<()>;

    /// The compact, in-memory form of the whole ledger that analytics and lists compute
    /// from: every claim with its due date and its dated amounts.
    async fn book(&mut self, creditor: Option<CreditorId>) -> StoreResult<Book>;

    // -- bulk and housekeeping
    async fn bulk_insert(&mut self, bulk: Bulk<'_>) -> StoreResult<()>;
    async fn counts(&mut self) -> StoreResult<Counts>;

    // -- imports
    async fn import_by_fingerprint(
        &mut self,
        fingerprint: &str,
    ) -> StoreResult<Option<ImportRecord>>;
    async fn record_import(&mut self, record: &ImportRecord) -> StoreResult<()>;
}
