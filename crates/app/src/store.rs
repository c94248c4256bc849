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
use domain::dunning::{Arrangement, Channels, Stage};
use domain::{Claim, ClaimId, Creditor, CreditorId, Date, Debtor, DebtorId, LedgerEntry, Money};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

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

/// A collection case as stored: one per debtor that has ever owed something the daily run
/// saw. A debtor without a case is read as a closed case of cycle 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCase {
    pub debtor_id: DebtorId,
    pub creditor_id: CreditorId,
    /// The scenario code the case follows (`None` until the run assigns one).
    pub scenario: Option<String>,
    pub stage: Stage,
    /// Openings of the case: 1 for the first, +1 at each reopening.
    pub cycle: i64,
    pub hold_until: Option<Date>,
    pub arrangement: Option<Arrangement>,
}

/// A step done in a case's current cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredStep {
    pub debtor_id: DebtorId,
    pub cycle: i64,
    pub step_code: String,
    pub done_on: Date,
}

/// Where an action stands. The run creates `planned` ones (`draft` in review mode); a
/// person approves a draft or skips an action; sending (a later issue) marks it `done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Draft,
    Planned,
    Approved,
    Skipped,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Draft,
        ActionStatus::Planned,
        ActionStatus::Approved,
        ActionStatus::Skipped,
        ActionStatus::Done,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Draft => "draft",
            ActionStatus::Planned => "planned",
            ActionStatus::Approved => "approved",
            ActionStatus::Skipped => "skipped",
            ActionStatus::Done => "done",
        }
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActionStatus {
    type Err = String;

    /// The English names, and `brouillon`, `prevue`/`prévue`, `approuvee`/`approuvée`,
    /// `ignoree`/`ignorée`, `faite`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "draft" | "brouillon" => Ok(ActionStatus::Draft),
            "planned" | "prevue" | "prévue" => Ok(ActionStatus::Planned),
            "approved" | "approuvee" | "approuvée" => Ok(ActionStatus::Approved),
            "skipped" | "ignoree" | "ignorée" => Ok(ActionStatus::Skipped),
            "done" | "faite" => Ok(ActionStatus::Done),
            _ => Err(format!(
                "{s:?} is not one of: draft, planned, approved, skipped, done"
            )),
        }
    }
}

/// An action the daily run decided: one step, for one case, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAction {
    /// Ignored on insert.
    pub id: i64,
    pub debtor_id: DebtorId,
    pub cycle: i64,
    pub step_code: String,
    pub scenario: String,
    pub channels: Channels,
    pub template: String,
    pub claims: Vec<ClaimId>,
    /// What is claimed, in the action's currency.
    pub amount: Money,
    pub claim_penalties: bool,
    pub stage_after: Stage,
    pub status: ActionStatus,
    /// The business day of the run that decided it.
    pub created_on: Date,
    pub created_at: String,
}

/// Which actions to list.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    /// Any of these statuses (all when empty).
    pub statuses: Vec<ActionStatus>,
    pub debtor: Option<DebtorId>,
    /// Newest first; at most this many.
    pub limit: Option<usize>,
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

    // -- dunning
    /// Every case, by debtor id.
    async fn cases(&mut self) -> StoreResult<Vec<StoredCase>>;
    /// Inserts or replaces a case's state.
    async fn upsert_case(&mut self, case: &StoredCase, updated_at: &str) -> StoreResult<()>;
    /// The steps done in every case's current cycle, by debtor id.
    async fn current_steps(&mut self) -> StoreResult<Vec<StoredStep>>;
    /// Records a step as done (again: a step redone after a payment moves its day).
    async fn upsert_step(&mut self, step: &StoredStep) -> StoreResult<()>;
    /// Inserts an action unless the same (debtor, cycle, step, currency, day) exists;
    /// returns the new id, or `None` when it already existed (nothing written).
    async fn insert_action(&mut self, action: &StoredAction) -> StoreResult<Option<i64>>;
    async fn action(&mut self, id: i64) -> StoreResult<Option<StoredAction>>;
    /// Actions, newest first.
    async fn actions(&mut self, filter: &ActionFilter) -> StoreResult<Vec<StoredAction>>;
    /// Actions decided on or after `since`, not skipped: the contacts the cool-down and the
    /// weekly cap look at. By debtor id, then day.
    async fn actions_since(&mut self, since: Date) -> StoreResult<Vec<StoredAction>>;
    /// Sets an action's status; `false` when there is no such action.
    async fn set_action_status(&mut self, id: i64, status: ActionStatus) -> StoreResult<bool>;
    async fn setting(&mut self, key: &str) -> StoreResult<Option<String>>;
    async fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()>;

    // -- agreements (promises, plans, disputes, mandates) and claim parties
    /// Stores a new agreement (`id` ignored; `updated_at` is also its creation time).
    async fn insert_agreement(&mut self, agreement: &StoredAgreement) -> StoreResult<i64>;
    /// Replaces an agreement's status and body; `false` when there is no such agreement
    /// of that kind.
    async fn update_agreement(&mut self, agreement: &StoredAgreement) -> StoreResult<bool>;
    /// Agreements matching `filter`, oldest first.
    async fn agreements(&mut self, filter: &AgreementFilter) -> StoreResult<Vec<StoredAgreement>>;
    /// Binds another party to a claim (replacing its role if it was bound already).
    async fn add_claim_party(&mut self, party: &ClaimParty) -> StoreResult<()>;
    /// The parties bound to these claims (all claims when empty).
    async fn claim_parties(&mut self, claims: &[ClaimId]) -> StoreResult<Vec<ClaimParty>>;
}

/// What an agreement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    Promise,
    Plan,
    Dispute,
    Mandate,
}

impl AgreementKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Promise => "promise",
            Self::Plan => "plan",
            Self::Dispute => "dispute",
            Self::Mandate => "mandate",
        }
    }
}

impl FromStr for AgreementKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        [Self::Promise, Self::Plan, Self::Dispute, Self::Mandate]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown agreement kind {s:?}"))
    }
}

/// An agreement as stored: its details are a JSON document (`body`) the application
/// reads into the `domain::agreements` types; `status` is kept beside it for lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAgreement {
    pub id: i64,
    pub kind: AgreementKind,
    pub debtor_id: DebtorId,
    pub status: String,
    pub body: String,
    pub updated_at: String,
}

/// Which agreements to read.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub id: Option<i64>,
    pub kind: Option<AgreementKind>,
    pub debtor: Option<DebtorId>,
    /// Any of these statuses (all when empty).
    pub statuses: Vec<String>,
}

/// A party bound to a claim besides its debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClaimParty {
    pub claim_id: ClaimId,
    pub debtor_id: DebtorId,
    pub role: domain::agreements::PartyRole,
}
