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

    /// Begins a transaction that only reads: it sees one consistent state and never waits
    /// for a writer nor holds one back (SQLite: a deferred transaction beside WAL writers;
    /// PostgreSQL: `READ ONLY`, which refuses any write). Pages and API reads use it, so
    /// that readers run side by side instead of queueing for the write lock.
    async fn begin_read(&self) -> StoreResult<Box<dyn Tx>>;

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

/// What a copy of the database must agree on with its source: the row count of every
/// table of the schema and the sum of the ledger per currency. Read in one transaction,
/// it describes one moment of the database; a backup or a restore is verified by
/// comparing the census of the copy with the census of the source at the copy's moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Census {
    /// Rows per table, every table of the schema (migrations' own table included).
    pub tables: std::collections::BTreeMap<String, i64>,
    /// The sum of every ledger entry, in minor units, per currency of the claims: what
    /// the portfolio carries (invoices less payments, credit notes and write-offs, plus
    /// the charges posted).
    pub ledger_minor: std::collections::BTreeMap<String, i64>,
}

impl Census {
    /// The rows of `table` (0 when the schema has no such table).
    pub fn rows(&self, table: &str) -> i64 {
        self.tables.get(table).copied().unwrap_or(0)
    }

    /// The census without the tables named: what remains to compare when a copy does not
    /// carry those tables by design (sessions, job leases, the import log).
    pub fn without(&self, tables: &[&str]) -> Census {
        Census {
            tables: self
                .tables
                .iter()
                .filter(|(t, _)| !tables.contains(&t.as_str()))
                .map(|(t, n)| (t.clone(), *n))
                .collect(),
            ledger_minor: self.ledger_minor.clone(),
        }
    }

    /// Whether the database holds nothing but its schema: every table is empty save the
    /// migrations' own record.
    pub fn is_empty(&self) -> bool {
        self.tables
            .iter()
            .all(|(t, n)| *n == 0 || t == "recouvre_migrations")
    }
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub creditors: i64,
    pub debtors: i64,
    pub claims: i64,
    pub ledger_entries: i64,
    pub actions: i64,
    pub agreements: i64,
    pub bank_payments: i64,
    pub users: i64,
    pub audit_entries: i64,
}

impl Counts {
    /// The counts of the tables a `Book` is read from (creditors, debtors, claims, ledger
    /// entries): what a kept book depends on. Actions, agreements, users and the audit log
    /// change without changing it.
    pub fn portfolio(&self) -> (i64, i64, i64, i64) {
        (
            self.creditors,
            self.debtors,
            self.claims,
            self.ledger_entries,
        )
    }
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
    /// The collector (a user's login) the case is assigned to; `None`: nobody in particular.
    pub owner: Option<String>,
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
    /// The statuses of actions that went, or will go, to the debtor: planned, approved and
    /// done (drafts wait for a person, skipped ones never happened).
    pub const WENT_OUT: [ActionStatus; 3] = [
        ActionStatus::Planned,
        ActionStatus::Approved,
        ActionStatus::Done,
    ];

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
            _ => Err(domain::tr!(
                "{s:?} is not one of: draft, planned, approved, skipped, done",
                "{s:?} n'est pas parmi : draft, planned, approved, skipped, done"
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

/// What a user may do, from least to most: each role may do everything the roles before it
/// may. The order of the variants is the order of power (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A client creditor of an agency (issue 19): bound to one creditor
    /// ([`StoredUser::client_of`]), it uses only the client space, which shows that
    /// creditor's files and nothing else. Below every staff role, so no staff route lets it
    /// in.
    Client,
    /// Reads everything except the audit log and the users.
    Viewer,
    /// Works the worklist: skips actions, puts cases on hold.
    Collector,
    /// Approves drafts; decides for the team.
    Manager,
    /// Manages users and reads the audit log.
    Admin,
}

impl Role {
    /// The staff roles (a client also needs a creditor: [`Role::Client`]).
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Collector, Role::Manager, Role::Admin];

    /// What the `users.role` column holds: a client is stored as `viewer` with its
    /// creditor in `users.client_of`, and read back as a client (migration 0017).
    pub const fn stored_as(self) -> &'static str {
        match self {
            Role::Client => "viewer",
            other => other.as_str(),
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Viewer => "viewer",
            Role::Collector => "collector",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    /// The English names, and `administrateur`, `responsable`, `chargé`/`charge`, `lecteur`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "admin" | "administrateur" => Ok(Role::Admin),
            "manager" | "responsable" => Ok(Role::Manager),
            "collector" | "chargé" | "charge" => Ok(Role::Collector),
            "viewer" | "lecteur" => Ok(Role::Viewer),
            "client" => Ok(Role::Client),
            _ => Err(domain::tr!(
                "{s:?} is not one of: admin, manager, collector, viewer, client",
                "{s:?} n'est pas parmi : admin, manager, collector, viewer, client"
            )),
        }
    }
}

/// A person (or the owner of API tokens) who signs in to the web application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredUser {
    /// Ignored on insert.
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The creditor a [`Role::Client`] is bound to; `None` for staff.
    pub client_of: Option<CreditorId>,
    /// argon2id PHC string; never serialised.
    #[serde(skip)]
    pub password_hash: String,
    /// `fr` or `en`.
    pub language: String,
    pub active: bool,
    pub created_at: String,
}

/// A browser session, found by the SHA-256 hash of the token its cookie holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub token_hash: String,
    pub user_id: i64,
    /// The synchronizer token every form of this session must send back.
    pub csrf_token: String,
    pub created_at: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// One line of the audit log: who changed what, when, and the state before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Ignored on insert.
    pub id: i64,
    pub at: String,
    /// The user's login, or `cli:<os user>` for the command line.
    pub actor: String,
    /// What was done, e.g. `action.approve`, `user.create`, `case.hold`.
    pub action: String,
    /// What it was done to, e.g. `action:42`, `user:alice`, `debtor:7`.
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An API token as stored: only the SHA-256 of the secret is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApiToken {
    /// Ignored on insert.
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub token_hash: String,
    pub created_at: String,
    /// RFC 3339; from then on the token is refused. `None`: it does not expire.
    pub expires_at: Option<String>,
    /// RFC 3339; when it was revoked (refused from then on). `None`: not revoked.
    pub revoked_at: Option<String>,
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
    /// Every table's row count and the ledger's sum per currency (see [`Census`]).
    async fn census(&mut self) -> StoreResult<Census>;

    // -- imports
    async fn import_by_fingerprint(
        &mut self,
        fingerprint: &str,
    ) -> StoreResult<Option<ImportRecord>>;
    /// Every import recorded, oldest first (carried by a copy of the database).
    async fn imports(&mut self) -> StoreResult<Vec<ImportRecord>>;
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
    /// Moves an action from status `from` to `to` if, when written, it is still `from`
    /// (compare-and-set: two transactions that both read `from` cannot both change it);
    /// `false`, with nothing written, when there is no such action or its status is no
    /// longer `from`.
    async fn set_action_status(
        &mut self,
        id: i64,
        from: ActionStatus,
        to: ActionStatus,
    ) -> StoreResult<bool>;
    async fn setting(&mut self, key: &str) -> StoreResult<Option<String>>;
    async fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()>;
    /// Every setting, by key.
    async fn settings(&mut self) -> StoreResult<Vec<(String, String)>>;

    // -- bank statements and payments
    async fn statement_by_fingerprint(
        &mut self,
        fingerprint: &str,
    ) -> StoreResult<Option<StoredStatement>>;
    /// Records an imported statement file; returns its id.
    async fn insert_statement(&mut self, statement: &StoredStatement) -> StoreResult<i64>;
    /// Whether a transaction detail with this fingerprint is stored already.
    async fn payment_exists(&mut self, fingerprint: &str) -> StoreResult<bool>;
    /// Stores a transaction detail; returns its id. A known fingerprint is an error.
    async fn insert_payment(&mut self, payment: &StoredPayment) -> StoreResult<i64>;
    async fn payment(&mut self, id: i64) -> StoreResult<Option<StoredPayment>>;
    /// Transactions, newest first.
    async fn payments(&mut self, filter: &PaymentFilter) -> StoreResult<Vec<StoredPayment>>;
    /// Sets a transaction's status and debtor; `false` when there is no such transaction.
    async fn set_payment_status(
        &mut self,
        id: i64,
        status: PaymentStatus,
        debtor: Option<DebtorId>,
        decided_at: &str,
    ) -> StoreResult<bool>;
    /// Records allocations whose ledger entries are already appended.
    async fn insert_allocations(&mut self, allocations: &[StoredAllocation]) -> StoreResult<()>;
    /// The allocations of one payment, by claim id.
    async fn allocations(&mut self, payment: i64) -> StoreResult<Vec<StoredAllocation>>;
    /// Records (or moves) a payer IBAN to a debtor.
    async fn learn_iban(&mut self, iban: &str, debtor: DebtorId, on: Date) -> StoreResult<()>;
    /// Every learned payer IBAN, by IBAN.
    async fn payer_ibans(&mut self) -> StoreResult<Vec<PayerIban>>;
    async fn add_debtor_credit(&mut self, credit: &DebtorCredit) -> StoreResult<()>;
    /// A debtor's credit movements (every debtor's with `None`), oldest first.
    async fn debtor_credits(&mut self, debtor: Option<DebtorId>) -> StoreResult<Vec<DebtorCredit>>;
    /// Every imported bank statement, by id.
    async fn statements(&mut self) -> StoreResult<Vec<StoredStatement>>;

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

    // -- users, sessions, API tokens, audit log (the web application)
    async fn user_count(&mut self) -> StoreResult<i64>;
    /// Inserts a user (its `id` is ignored); returns the new id. A login already taken is
    /// an error.
    async fn insert_user(&mut self, user: &StoredUser) -> StoreResult<i64>;
    async fn user(&mut self, id: i64) -> StoreResult<Option<StoredUser>>;
    async fn user_by_login(&mut self, login: &str) -> StoreResult<Option<StoredUser>>;
    /// Every user, by login.
    async fn users(&mut self) -> StoreResult<Vec<StoredUser>>;
    /// Sets a user's language; `false` when there is no such user.
    async fn set_user_language(&mut self, id: i64, language: &str) -> StoreResult<bool>;
    /// Replaces a user's display name, role, password hash, language and active flag
    /// (found by `id`; the login and creation time stay); `false` when there is no such user.
    async fn update_user(&mut self, user: &StoredUser) -> StoreResult<bool>;
    /// Ends a user's sessions, all of them or all but `keep` (a session token's hash);
    /// returns how many ended.
    async fn delete_user_sessions(&mut self, user_id: i64, keep: Option<&str>) -> StoreResult<u64>;
    /// A user's TOTP secret (base32), `None` without a second factor (or no such user).
    async fn user_totp(&mut self, id: i64) -> StoreResult<Option<String>>;
    /// Sets or removes a user's TOTP secret, forgetting the last step used; `false` when
    /// there is no such user.
    async fn set_user_totp(&mut self, id: i64, secret: Option<&str>) -> StoreResult<bool>;
    /// Records that a code of time step `step` was accepted for the user, only when no
    /// code of this step or a later one was (compare-and-set): `false` refuses a replayed
    /// code, whichever instance saw it first.
    async fn use_totp_step(&mut self, id: i64, step: i64) -> StoreResult<bool>;
    /// Records a failed sign-in under each key at `at` (Unix seconds) and forgets the
    /// failures older than `forget_before`.
    async fn add_login_failures(
        &mut self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> StoreResult<()>;
    /// The failures recorded under `key` at or after `since`.
    async fn login_failures(&mut self, key: &str, since: i64) -> StoreResult<i64>;
    /// Forgets the failures under `key` (a successful sign-in).
    async fn clear_login_failures(&mut self, key: &str) -> StoreResult<()>;
    async fn insert_session(&mut self, session: &StoredSession) -> StoreResult<()>;
    async fn session(&mut self, token_hash: &str) -> StoreResult<Option<StoredSession>>;
    async fn delete_session(&mut self, token_hash: &str) -> StoreResult<()>;
    /// Removes the sessions expired at `now` (Unix seconds); returns how many.
    async fn delete_expired_sessions(&mut self, now: i64) -> StoreResult<u64>;
    /// Stores an API token (its hash, its `id` ignored); returns its id.
    async fn insert_api_token(&mut self, token: &StoredApiToken) -> StoreResult<i64>;
    /// Every API token (hashes only), by id.
    async fn api_tokens(&mut self) -> StoreResult<Vec<StoredApiToken>>;
    /// The API token with this hash, revoked or expired as well.
    async fn api_token(&mut self, token_hash: &str) -> StoreResult<Option<StoredApiToken>>;
    /// Marks a token revoked at `at`; `false` when there is no such token or it was
    /// revoked already.
    async fn revoke_api_token(&mut self, id: i64, at: &str) -> StoreResult<bool>;
    /// The user an API token acts as.
    async fn api_token_user(&mut self, token_hash: &str) -> StoreResult<Option<StoredUser>>;
    /// Appends to the audit log; returns the entry's id.
    async fn append_audit(&mut self, entry: &AuditEntry) -> StoreResult<i64>;
    /// Audit entries, newest first: at most `limit`, with an id below `before` if given.
    async fn audit_entries(
        &mut self,
        limit: usize,
        before: Option<i64>,
    ) -> StoreResult<Vec<AuditEntry>>;
    /// One case, `None` when the debtor has none.
    async fn case(&mut self, debtor: DebtorId) -> StoreResult<Option<StoredCase>>;

    // -- outbox, delivery log, jobs (delivery exactly once; work shared by instances)
    /// Queues a message unless one exists for the same (action, channel); returns the new
    /// id, or `None` when it existed (nothing written).
    async fn insert_outbox(&mut self, entry: &OutboxEntry) -> StoreResult<Option<i64>>;
    async fn outbox_entry(&mut self, id: i64) -> StoreResult<Option<OutboxEntry>>;
    /// Outbox entries, newest first.
    async fn outbox(&mut self, filter: &OutboxFilter) -> StoreResult<Vec<OutboxEntry>>;
    /// How many entries have each status (statuses with none are left out).
    async fn outbox_counts(&mut self) -> StoreResult<Vec<(OutboxStatus, i64)>>;
    /// Claims up to `limit` entries due at `now` (Unix seconds) for `worker` until
    /// `lease_until`: queued entries whose next attempt has come and that no live lease
    /// holds, and `sending` entries whose lease expired (their worker crashed). Oldest due
    /// first. On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`, so concurrent
    /// workers claim disjoint batches; SQLite has one writer at a time.
    async fn claim_outbox(
        &mut self,
        worker: &str,
        now: i64,
        lease_until: i64,
        limit: usize,
        at: &str,
    ) -> StoreResult<Vec<OutboxEntry>>;
    /// Writes an entry's delivery state (status, attempts, next attempt, lease, last
    /// error, provider id, updated_at). With `owner`, only while that worker still holds
    /// the lease: `false` when it does not (taken over) or there is no such entry.
    async fn update_outbox(
        &mut self,
        entry: &OutboxEntry,
        owner: Option<&str>,
    ) -> StoreResult<bool>;
    /// Appends to the delivery log; returns the attempt's id.
    async fn insert_delivery(&mut self, attempt: &DeliveryAttempt) -> StoreResult<i64>;
    /// Records how an attempt ended.
    async fn finish_delivery(&mut self, attempt: &DeliveryAttempt) -> StoreResult<()>;
    /// The delivery log of one entry (of all when `None`), oldest first.
    async fn deliveries(&mut self, outbox: Option<i64>) -> StoreResult<Vec<DeliveryAttempt>>;
    /// Takes the lease of a job for its owner until `lease_until` (Unix seconds), unless
    /// another owner holds an unexpired one or the job is done (and `again` is false).
    async fn claim_job(&mut self, request: &JobRequest<'_>) -> StoreResult<JobClaim>;
    /// The jobs of one kind (`run`, `import`, `backup`...; every kind with `None`), the
    /// most recently started first, at most `limit`.
    async fn jobs(&mut self, kind: Option<&str>, limit: usize) -> StoreResult<Vec<StoredJob>>;
    /// Ends a job `owner` holds (`done` or `failed`, with a short result); `false` when
    /// it does not hold it any more.
    async fn finish_job(
        &mut self,
        key: &str,
        owner: &str,
        done: bool,
        result: &str,
        at: &str,
    ) -> StoreResult<bool>;
    // -- calls and notes (migration 0008)
    /// Appends a call or note to a debtor's file; returns its id.
    async fn insert_note(&mut self, note: &StoredNote) -> StoreResult<i64>;
    /// A debtor's calls and notes, oldest first; every debtor's with `None`.
    async fn notes(&mut self, debtor: Option<DebtorId>) -> StoreResult<Vec<StoredNote>>;
    // -- limitation events (migration 0010)
    /// Appends a limitation event; returns its id.
    async fn insert_limitation_event(&mut self, event: &StoredLimitationEvent) -> StoreResult<i64>;
    /// A debtor's limitation events (its claims' and its own), by date then id; every
    /// debtor's with `None`.
    async fn limitation_events(
        &mut self,
        debtor: Option<DebtorId>,
    ) -> StoreResult<Vec<StoredLimitationEvent>>;
    // -- terms of sale and formal notices (migration 0009)
    /// The stated terms of a scope: one owner's, or every owner's with `None`.
    async fn contract_terms(
        &mut self,
        scope: TermsScope,
        owner: Option<i64>,
    ) -> StoreResult<Vec<StoredTerms>>;
    /// Replaces the terms of one owner (all fields; an empty set deletes the row).
    async fn set_contract_terms(&mut self, terms: &StoredTerms) -> StoreResult<()>;
    /// Records a formal notice; `None` when one already exists for its action.
    async fn insert_notice(&mut self, notice: &StoredNotice) -> StoreResult<Option<i64>>;
    /// Replaces a notice's delivery facts (sent date, tracking, presentation, receipt,
    /// proof, note); `false` when it does not exist.
    async fn update_notice(&mut self, notice: &StoredNotice) -> StoreResult<bool>;
    /// Formal notices, oldest first.
    async fn notices(&mut self, filter: &NoticeFilter) -> StoreResult<Vec<StoredNotice>>;
    // -- assigned and insured claims (migration 0011)
    /// Records a factor or an insurer (its `id` is ignored); returns the new id.
    async fn insert_financing_party(&mut self, party: &FinancingParty) -> StoreResult<i64>;
    /// Every factor and insurer, by id.
    async fn financing_parties(&mut self) -> StoreResult<Vec<FinancingParty>>;
    /// Assigns a claim or a debtor to a party, replacing its previous assignment.
    async fn set_assignment(&mut self, assignment: &StoredAssignment) -> StoreResult<()>;
    /// Ends an assignment; `false` when there was none.
    async fn delete_assignment(&mut self, scope: AssignmentScope, owner: i64) -> StoreResult<bool>;
    /// Every assignment, by scope and owner.
    async fn assignments(&mut self) -> StoreResult<Vec<StoredAssignment>>;
    // -- personal data (migration 0014)
    /// Erasure requests matching the filter, by id.
    async fn erasure_requests(
        &mut self,
        filter: &ErasureFilter,
    ) -> StoreResult<Vec<ErasureRequest>>;
    /// Stores a debtor's erasure request: inserts it, or replaces the debtor's row (one
    /// per debtor). Returns its id.
    async fn save_erasure_request(&mut self, request: &ErasureRequest) -> StoreResult<i64>;
    /// Replaces every personal field of one debtor by its pseudonym or by nothing,
    /// keeping ids, amounts, dates and statuses (see [`DebtorErasure`]). Returns the rows
    /// changed.
    async fn pseudonymise_debtor(&mut self, erasure: &DebtorErasure) -> StoreResult<u64>;
    /// The audit entries whose subject is one of `subjects` (`debtor:7`, `claim:12`...),
    /// oldest first.
    async fn audit_entries_about(&mut self, subjects: &[String]) -> StoreResult<Vec<AuditEntry>>;
    /// Every text column of every table of the schema (read from the database's own
    /// catalogue, not from a list) that holds `needle`, ignoring ASCII case, with how many
    /// rows: how a test proves an erased value is gone from the whole database.
    async fn text_hits(&mut self, needle: &str) -> StoreResult<Vec<TextHit>>;
    // -- legal files (migration 0015)
    /// Records a legal file (its `id` is ignored); returns the new id.
    async fn insert_legal_file(&mut self, file: &StoredLegalFile) -> StoreResult<i64>;
    /// Writes `file` over the stored file of its id when the stored version is
    /// `file.version - 1` (optimistic concurrency); `false` when it is not (another writer
    /// got there first) or the file does not exist.
    async fn update_legal_file(&mut self, file: &StoredLegalFile) -> StoreResult<bool>;
    /// Legal files matching the filter, by id.
    async fn legal_files(&mut self, filter: &LegalFileFilter) -> StoreResult<Vec<StoredLegalFile>>;
    /// Attaches a document to a file; `None` when the same content (by SHA-256) is already
    /// attached to it.
    async fn insert_exhibit(&mut self, exhibit: &StoredExhibit) -> StoreResult<Option<i64>>;
    /// The documents attached to a file (every file's with `None`), by id; with their
    /// content only when `content` is true (an empty `content` otherwise).
    async fn exhibits(
        &mut self,
        file: Option<i64>,
        content: bool,
    ) -> StoreResult<Vec<StoredExhibit>>;
    // -- agency mode (migration 0017)
    /// Records a mandate (its `id` is ignored); returns the new id. A reference already
    /// used is a conflict.
    async fn insert_mandate(&mut self, mandate: &StoredMandate) -> StoreResult<i64>;
    /// Writes `mandate` over the stored one when the stored version is
    /// `mandate.version - 1`; `false` otherwise.
    async fn update_mandate(&mut self, mandate: &StoredMandate) -> StoreResult<bool>;
    /// Mandates, by id; of one creditor with `Some`.
    async fn mandates(&mut self, creditor: Option<CreditorId>) -> StoreResult<Vec<StoredMandate>>;
    /// Records a placement; a claim already placed (in force) is a conflict.
    async fn insert_placement(&mut self, placement: &StoredPlacement) -> StoreResult<i64>;
    /// Ends a placement in force (withdrawn or closed); `false` when it is not in force.
    async fn end_placement(
        &mut self,
        id: i64,
        state: PlacementState,
        on: Date,
        reason: &str,
    ) -> StoreResult<bool>;
    /// Placements matching the filter, by id.
    async fn placements(&mut self, filter: &PlacementFilter) -> StoreResult<Vec<StoredPlacement>>;
    /// Records a remittance statement and the ledger entries it remits, all or nothing: an
    /// entry already remitted, or a statement for the same mandate and period, is a
    /// conflict.
    async fn insert_remittance(
        &mut self,
        remittance: &StoredRemittance,
        entries: &[(ClaimId, u32)],
    ) -> StoreResult<i64>;
    /// Remittance statements, newest period first; of one creditor with `Some`, one id
    /// with `id`. With the transfer's XML only when `xml` is true.
    async fn remittances(
        &mut self,
        creditor: Option<CreditorId>,
        id: Option<i64>,
        xml: bool,
    ) -> StoreResult<Vec<StoredRemittance>>;
    /// The ledger entries already remitted among those of `claims`.
    async fn remitted_entries(&mut self, claims: &[ClaimId]) -> StoreResult<Vec<(ClaimId, u32)>>;
    /// Records a notice to a client; `false` (and nothing written) when its key was
    /// already told.
    async fn insert_client_notice(&mut self, notice: &StoredClientNotice) -> StoreResult<bool>;
    /// Marks notices as e-mailed at `at` (`None`: not e-mailed); returns the rows changed.
    async fn set_client_notices_emailed(
        &mut self,
        ids: &[i64],
        at: Option<&str>,
    ) -> StoreResult<u64>;
    /// A client's notices, newest first (every client's with `None`), at most `limit`.
    async fn client_notices(
        &mut self,
        creditor: Option<CreditorId>,
        limit: usize,
    ) -> StoreResult<Vec<StoredClientNotice>>;
}

/// A written mandate from a client creditor to the agency (R124-3), migration 0017.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredMandate {
    /// Ignored on insert.
    pub id: i64,
    pub creditor_id: CreditorId,
    pub reference: String,
    pub signed_on: Date,
    pub ends_on: Option<Date>,
    /// ISO code of the mandate's currency.
    pub currency: String,
    /// The terms as JSON (`app::agency::MandateTerms`).
    pub data: String,
    /// 1 on insert; each update adds one.
    pub version: i64,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Where a placement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementState {
    /// The agency works the file.
    Placed,
    /// The client took it back.
    Withdrawn,
    /// Paid, settled or given up.
    Closed,
}

impl PlacementState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Placed => "placed",
            Self::Withdrawn => "withdrawn",
            Self::Closed => "closed",
        }
    }
}

impl FromStr for PlacementState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "placed" => Ok(Self::Placed),
            "withdrawn" => Ok(Self::Withdrawn),
            "closed" => Ok(Self::Closed),
            other => Err(format!("{other:?} is not a placement state")),
        }
    }
}

/// A claim placed with the agency ("remise de dossier").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPlacement {
    /// Ignored on insert.
    pub id: i64,
    pub mandate_id: i64,
    pub creditor_id: CreditorId,
    pub claim_id: ClaimId,
    pub placed_on: Date,
    pub principal_minor: i64,
    pub state: PlacementState,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Which placements to read.
#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    pub creditor: Option<CreditorId>,
    pub mandate: Option<i64>,
    pub claim: Option<ClaimId>,
    /// Any of these states (all when empty).
    pub states: Vec<PlacementState>,
}

/// A remittance statement (migration 0017).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredRemittance {
    /// Ignored on insert.
    pub id: i64,
    pub mandate_id: i64,
    pub creditor_id: CreditorId,
    pub period_start: Date,
    pub period_end: Date,
    pub issued_on: Date,
    pub due_by: Option<Date>,
    pub collected: Money,
    pub to_remit: Money,
    /// The statement as JSON (`domain::agency::Statement`).
    pub data: String,
    /// The pain.001 message, when something is remitted (and asked for).
    pub transfer_xml: Option<String>,
    pub message_id: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Something a client was told (R124-5), once per key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredClientNotice {
    /// Ignored on insert.
    pub id: i64,
    pub creditor_id: CreditorId,
    /// What it is about, unique (`payment:12:3`).
    pub key: String,
    /// `payment`, `proposal`, `withdrawal`, `remittance`.
    pub kind: String,
    pub claim_id: Option<ClaimId>,
    pub created_on: Date,
    /// The facts as JSON.
    pub data: String,
    pub recorded_at: String,
    /// When it went to the client by e-mail.
    pub emailed_at: Option<String>,
}

/// Where a legal file stands (migration 0015).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalFileState {
    /// The procedure runs: amicable dunning leaves its claims alone.
    Open,
    /// The procedure ended (paid, settled, unrecoverable, abandoned).
    Closed,
    /// A decision not to litigate (write-off, keep amicable, sell), recorded as a file.
    Declined,
}

impl LegalFileState {
    pub const ALL: [LegalFileState; 3] = [Self::Open, Self::Closed, Self::Declined];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Declined => "declined",
        }
    }
}

impl fmt::Display for LegalFileState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LegalFileState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                domain::tr!(
                    "{s:?} is not one of: open, closed, declined",
                    "{s:?} n'est pas parmi : open, closed, declined"
                )
            })
    }
}

/// A legal file as stored: the columns lists filter on, and the rest (`data`) as the JSON
/// the application writes whole (`crate::legal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredLegalFile {
    /// Ignored on insert.
    pub id: i64,
    pub debtor_id: DebtorId,
    pub creditor_id: CreditorId,
    /// The decision's code (`fr.injonction_de_payer`, `write_off`...).
    pub decision: String,
    pub state: LegalFileState,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub claims: Vec<ClaimId>,
    pub next_deadline: Option<Date>,
    /// JSON.
    pub data: String,
    /// 1 on insert; each update adds one.
    pub version: i64,
    pub recorded_by: String,
    pub recorded_at: String,
    pub updated_at: String,
}

/// Which legal files to read.
#[derive(Debug, Clone, Default)]
pub struct LegalFileFilter {
    pub id: Option<i64>,
    pub debtor: Option<DebtorId>,
    /// Any of these states (all when empty).
    pub states: Vec<LegalFileState>,
}

/// A document attached to a legal file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredExhibit {
    /// Ignored on insert.
    pub id: i64,
    pub file_id: i64,
    pub title: String,
    pub dated: Option<Date>,
    /// `application/pdf`, `image/png` or `image/jpeg`.
    pub media_type: String,
    pub file_name: String,
    /// SHA-256 of `content`, hex.
    pub sha256: String,
    #[serde(skip)]
    pub content: Vec<u8>,
    pub added_by: String,
    pub added_at: String,
}

/// Where a debtor's erasure request stands (migration 0014).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureState {
    /// Listed by the daily job; waits for an admin's approval.
    Proposed,
    /// Approved and erased.
    Done,
    /// No longer due when checked again; proposed anew once due.
    Withdrawn,
}

impl ErasureState {
    pub const ALL: [ErasureState; 3] = [Self::Proposed, Self::Done, Self::Withdrawn];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Done => "done",
            Self::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for ErasureState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ErasureState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("{s:?}: proposed, done or withdrawn"))
    }
}

/// A debtor's erasure request, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureRequest {
    /// Ignored on save (the debtor's row is found by `debtor_id`).
    pub id: i64,
    pub debtor_id: DebtorId,
    pub state: ErasureState,
    /// The day the case closed (last ledger entry or status change).
    pub closed_on: Date,
    /// The first day the law allows the erasure.
    pub due_on: Date,
    pub proposed_on: Date,
    pub proposed_by: String,
    pub decided_by: Option<String>,
    /// RFC 3339.
    pub decided_at: Option<String>,
    pub pseudonym: Option<String>,
}

/// Which erasure requests to read.
#[derive(Debug, Clone, Default)]
pub struct ErasureFilter {
    pub id: Option<i64>,
    pub debtor: Option<DebtorId>,
    /// Any of these states (all when empty).
    pub states: Vec<ErasureState>,
}

/// What the erasure of one debtor replaces, worked out by `gdpr::erase` from what the
/// database holds on it. The store applies it in the caller's transaction:
///
/// - the debtor's name becomes `pseudonym`; its contacts (e-mails, phones, addresses and
///   their labels) are deleted; its notes' texts emptied; its outbox rows' recipients
///   become `pseudonym` and their errors and delivery details are dropped; the proofs,
///   notes and tracking numbers of its formal notices and limitation events are dropped;
///   the payer IBANs learned for it are forgotten; the bank payments applied to it, or
///   from one of `ibans`, or whose payer is named exactly as it, lose their payer's
///   name (`pseudonym`), IBAN and remittance text;
/// - every string of `needles` (its former personal values, longest first, in raw and
///   JSON-escaped forms) is replaced by `pseudonym` in the texts that may quote them: its
///   agreements' bodies (mandates, disputes), its claims' ledger references, the audit
///   entries whose subject is one of `subjects`, and the audit entries anywhere that
///   quote one of them as a whole JSON string.
///
/// Ids, amounts, dates, statuses and the ledger's figures are never touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorErasure {
    pub debtor: DebtorId,
    pub pseudonym: String,
    /// Every IBAN known as the debtor's (mandates, payments), normalized.
    pub ibans: Vec<String>,
    /// The former personal values; at least 4 characters each.
    pub needles: Vec<String>,
    /// The audit subjects of the debtor and of what is its own (claims, agreements,
    /// payments, notices, outbox rows).
    pub subjects: Vec<String>,
}

/// A text column holding a value looked for, and in how many rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextHit {
    pub table: String,
    pub column: String,
    pub rows: i64,
}

/// What a financing party does: a factor the claims are assigned to, or a credit insurer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A factor ("affacturage", subrogation): only a payment to it discharges the debtor.
    Factor,
    /// A credit insurer: a threatened loss is declared to it within its deadline.
    Insurer,
}

impl PartyKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Factor => "factor",
            Self::Insurer => "insurer",
        }
    }
}

impl fmt::Display for PartyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PartyKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "factor" => Ok(Self::Factor),
            "insurer" => Ok(Self::Insurer),
            _ => Err(domain::tr!(
                "{s:?} is not one of: factor, insurer",
                "{s:?} n'est pas parmi : factor, insurer"
            )),
        }
    }
}

/// A factor or a credit insurer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinancingParty {
    /// Ignored on insert.
    pub id: i64,
    pub kind: PartyKind,
    pub name: String,
    /// A factor's account, normalized (no spaces, upper case); `None` for an insurer.
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// An insurer's policy reference.
    pub policy: Option<String>,
    /// An insurer's deadline to declare a threatened loss, in days after the due date.
    pub declare_within_days: Option<i64>,
    pub created_at: String,
}

/// What an assignment covers: one claim, or every claim of a debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentScope {
    Claim,
    Debtor,
}

impl AssignmentScope {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Debtor => "debtor",
        }
    }
}

impl FromStr for AssignmentScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "claim" => Ok(Self::Claim),
            "debtor" => Ok(Self::Debtor),
            _ => Err(domain::tr!(
                "{s:?} is not one of: claim, debtor",
                "{s:?} n'est pas parmi : claim, debtor"
            )),
        }
    }
}

/// A claim or a debtor financed by a party (assigned to a factor, or insured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAssignment {
    pub scope: AssignmentScope,
    /// The claim's or the debtor's id.
    pub owner_id: i64,
    pub party_id: i64,
    pub since: Date,
    /// For a factor's claims: whether Recouvre still duns them (on the factor's behalf).
    pub dun: bool,
    pub updated_at: String,
}

/// Whose terms of sale: a creditor's, or one claim's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermsScope {
    Creditor,
    Claim,
}

impl TermsScope {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Creditor => "creditor",
            Self::Claim => "claim",
        }
    }
}

impl FromStr for TermsScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "creditor" => Ok(Self::Creditor),
            "claim" => Ok(Self::Claim),
            _ => Err(domain::tr!(
                "{s:?} is not one of: creditor, claim",
                "{s:?} n'est pas parmi : creditor, claim"
            )),
        }
    }
}

/// One owner's terms of sale as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredTerms {
    pub scope: TermsScope,
    /// The creditor's or the claim's id.
    pub owner_id: i64,
    pub terms: domain::law::ContractTerms,
    pub updated_at: String,
}

/// Who sent a formal notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeSender {
    /// Decided by the daily run (its action) and posted with the day's letters.
    Run,
    /// Sent by the creditor outside the run.
    Hand,
    /// Served by a commissaire de justice: received the day it is served.
    Commissaire,
}

impl NoticeSender {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Run => "run",
            Self::Hand => "hand",
            Self::Commissaire => "commissaire",
        }
    }
}

impl fmt::Display for NoticeSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoticeSender {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "run" => Ok(Self::Run),
            "hand" | "creditor" | "manual" => Ok(Self::Hand),
            "commissaire" | "commissaire_de_justice" | "huissier" | "bailiff" => {
                Ok(Self::Commissaire)
            }
            _ => Err(domain::tr!(
                "{s:?} is not one of: run, hand, commissaire",
                "{s:?} n'est pas parmi : run, hand, commissaire"
            )),
        }
    }
}

/// A formal notice ("mise en demeure") and how it reached the debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredNotice {
    /// Ignored on insert.
    pub id: i64,
    pub debtor_id: DebtorId,
    pub action_id: Option<i64>,
    pub claims: Vec<ClaimId>,
    pub sent_by: NoticeSender,
    pub sent_on: Date,
    pub tracking_number: Option<String>,
    /// First presentation of the registered letter.
    pub presented_on: Option<Date>,
    /// The day the acknowledgment of receipt was signed.
    pub received_on: Option<Date>,
    /// The day the post returned the letter, not collected ("pli avisé et non réclamé")
    /// or not delivered.
    pub returned_on: Option<Date>,
    pub proof: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub updated_at: String,
}

impl StoredNotice {
    /// The facts the law engine reads.
    pub fn delivery(&self) -> domain::law::NoticeDelivery {
        domain::law::NoticeDelivery {
            id: self.id,
            sent_on: self.sent_on,
            served: self.sent_by == NoticeSender::Commissaire,
            presented_on: self.presented_on,
            received_on: self.received_on,
        }
    }
}

/// Which formal notices to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeFilter {
    pub id: Option<i64>,
    pub debtor: Option<DebtorId>,
    pub action: Option<i64>,
    pub tracking_number: Option<String>,
}

/// A bank statement file as imported (one file may carry several statements).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredStatement {
    /// Ignored on insert.
    pub id: i64,
    /// SHA-256 of the file's bytes, hex.
    pub fingerprint: String,
    pub file_name: String,
    /// `camt`, `mt940` or `csv`.
    pub format: String,
    /// The accounts of its statements, comma-separated.
    pub accounts: String,
    /// The bank's statement ids, comma-separated.
    pub statement_ids: String,
    pub first_date: Option<Date>,
    pub last_date: Option<Date>,
    pub entries: i64,
    pub details: i64,
    /// Details stored by this import; the others were already known.
    pub new_details: i64,
    pub duplicates: i64,
    pub imported_at: String,
}

/// Where a bank transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Allocated to claims (and perhaps a credit on the debtor).
    Applied,
    /// A credit waiting for a person.
    Review,
    /// A debit, or a credit a person set aside.
    Ignored,
    /// A reversal or a returned transaction.
    Returned,
}

impl PaymentStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Applied => "applied",
            PaymentStatus::Review => "review",
            PaymentStatus::Ignored => "ignored",
            PaymentStatus::Returned => "returned",
        }
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PaymentStatus {
    type Err = String;

    /// The English names, and `affecte`/`affecté`, `a_revoir`/`à_revoir`,
    /// `ignore`/`ignoré`, `rejete`/`rejeté`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "applied" | "affecte" | "affecté" => Ok(PaymentStatus::Applied),
            "review" | "a_revoir" | "à_revoir" => Ok(PaymentStatus::Review),
            "ignored" | "ignore" | "ignoré" => Ok(PaymentStatus::Ignored),
            "returned" | "rejete" | "rejeté" => Ok(PaymentStatus::Returned),
            _ => Err(domain::tr!(
                "{s:?} is not one of: applied, review, ignored, returned",
                "{s:?} n'est pas parmi : applied, review, ignored, returned"
            )),
        }
    }
}

/// One booked transaction detail of a statement: a received payment when positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPayment {
    /// Ignored on insert.
    pub id: i64,
    pub statement_id: i64,
    /// `formats::statement::TxDetail::fingerprint`: unique across all imports.
    pub fingerprint: String,
    /// The account credited (or debited).
    pub account: String,
    pub booking_date: Option<Date>,
    pub value_date: Date,
    /// Signed: credit positive.
    pub amount: Money,
    pub payer_name: Option<String>,
    pub payer_iban: Option<String>,
    /// Unstructured remittance lines.
    pub remittance: Vec<String>,
    pub structured_reference: Option<String>,
    pub entry_reference: Option<String>,
    pub end_to_end_id: Option<String>,
    pub status: PaymentStatus,
    /// The debtor it was applied for.
    pub debtor_id: Option<DebtorId>,
    /// When a person or the import decided its status, RFC 3339.
    pub decided_at: Option<String>,
}

/// What a payment paid on one claim, and the ledger entry that records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAllocation {
    pub payment_id: i64,
    pub claim_id: ClaimId,
    /// The `Payment` entry in the claim's ledger.
    pub ledger_seq: u32,
    pub amount: Money,
    pub fees: Money,
    pub interest: Money,
    pub principal: Money,
}

/// A payer IBAN learned from a payment applied by hand: later payments from it point at
/// this debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayerIban {
    pub iban: String,
    pub debtor_id: DebtorId,
    pub learned_on: Date,
}

/// A movement of a debtor's credit: an over-payment adds (positive), a use subtracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DebtorCredit {
    pub debtor_id: DebtorId,
    pub payment_id: Option<i64>,
    pub amount: Money,
    pub date: Date,
    pub recorded_at: String,
}

/// Which bank transactions to list.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    /// Any of these statuses (all when empty).
    pub statuses: Vec<PaymentStatus>,
    /// Newest first; at most this many.
    pub limit: Option<usize>,
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

/// Where an outbox entry stands. `queued` waits for its next attempt (or for the worker
/// holding its lease); `sending`: an attempt began and its message data may have left;
/// `sent` and `failed` are final (a person may retry a failed one); `cancelled`: its action
/// was skipped before it went out; `print`: a letter waiting in the print queue (the
/// worker does not send those).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    Cancelled,
    Print,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 6] = [
        OutboxStatus::Queued,
        OutboxStatus::Sending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
        OutboxStatus::Cancelled,
        OutboxStatus::Print,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Cancelled => "cancelled",
            OutboxStatus::Print => "print",
        }
    }
}

impl fmt::Display for OutboxStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutboxStatus {
    type Err = String;

    /// The English names, and `en_attente`, `envoi`, `envoye`/`envoyé`, `echec`/`échec`,
    /// `annule`/`annulé`, `impression`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "queued" | "en_attente" => Ok(OutboxStatus::Queued),
            "sending" | "envoi" => Ok(OutboxStatus::Sending),
            "sent" | "envoye" | "envoyé" => Ok(OutboxStatus::Sent),
            "failed" | "echec" | "échec" => Ok(OutboxStatus::Failed),
            "cancelled" | "annule" | "annulé" => Ok(OutboxStatus::Cancelled),
            "print" | "impression" => Ok(OutboxStatus::Print),
            _ => Err(domain::tr!(
                "{s:?} is not one of: queued, sending, sent, failed, cancelled, print",
                "{s:?} n'est pas parmi : queued, sending, sent, failed, cancelled, print"
            )),
        }
    }
}

/// One message to deliver: an action's e-mail, SMS or letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// Ignored on insert.
    pub id: i64,
    pub action_id: i64,
    pub debtor_id: DebtorId,
    pub channel: domain::dunning::Channel,
    /// The e-mail address or phone number (empty for a letter: the address is the
    /// debtor's, read when it is printed).
    pub recipient: String,
    /// Stable per action and channel: `<action-42.email@recouvre.example>`.
    pub message_id: String,
    pub status: OutboxStatus,
    /// Attempts begun so far.
    pub attempts: i64,
    /// Unix seconds: not attempted before.
    pub next_attempt_at: i64,
    pub lease_owner: Option<String>,
    /// Unix seconds: the lease holder's claim ends then.
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    /// What the provider called it (SMTP queue id reply, SMS provider id).
    pub provider_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Which outbox entries to list.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    /// Any of these statuses (all when empty).
    pub statuses: Vec<OutboxStatus>,
    pub action: Option<i64>,
    /// Newest first; at most this many.
    pub limit: Option<usize>,
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryResult {
    /// Begun, not ended (yet): written before the message data leaves.
    Started,
    Sent,
    Failed,
    /// Found `started` by a worker taking over an expired lease: a crash interrupted it.
    Interrupted,
}

impl DeliveryResult {
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryResult::Started => "started",
            DeliveryResult::Sent => "sent",
            DeliveryResult::Failed => "failed",
            DeliveryResult::Interrupted => "interrupted",
        }
    }
}

impl FromStr for DeliveryResult {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        [Self::Started, Self::Sent, Self::Failed, Self::Interrupted]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                domain::tr!(
                    "{s:?} is not one of: started, sent, failed, interrupted",
                    "{s:?} n'est pas parmi : started, sent, failed, interrupted"
                )
            })
    }
}

/// One attempt at delivering an outbox entry: the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryAttempt {
    /// Ignored on insert.
    pub id: i64,
    pub outbox_id: i64,
    /// 1 for the first attempt.
    pub attempt: i64,
    pub worker: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub result: DeliveryResult,
    pub provider_id: Option<String>,
    /// The error, or the server's reply.
    pub detail: Option<String>,
}

/// A request for a job's lease ([`Tx::claim_job`]).
#[derive(Debug, Clone, Copy)]
pub struct JobRequest<'a> {
    /// `run:2026-11-23`, `import:<sha256>`.
    pub key: &'a str,
    pub kind: &'a str,
    pub owner: &'a str,
    /// Unix seconds.
    pub now: i64,
    pub lease_until: i64,
    /// Take a job that is done already (a rerun).
    pub again: bool,
    /// Take the lease from this owner even before it expires: the caller found that it is
    /// a process of this host that is no longer running ([`crate::jobs::owner_is_gone`]).
    /// Nothing is taken if another owner holds the lease by then.
    pub take_over: Option<&'a str>,
    /// RFC 3339, for the log columns.
    pub at: &'a str,
}

/// A job as the `jobs` table keeps it: its last attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredJob {
    pub key: String,
    pub kind: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub attempts: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub result: Option<String>,
}

/// What [`Tx::claim_job`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum JobClaim {
    /// The caller holds the job's lease now (a new job, one whose lease expired, one that
    /// failed, or one done already when `again` was asked).
    Acquired { attempts: i64 },
    /// Another instance holds an unexpired lease.
    Held { owner: String, until: i64 },
    /// Done already.
    Done {
        finished_at: Option<String>,
        result: Option<String>,
    },
}

/// A call or note a person logged on a debtor's file (table `notes`, migration 0008).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredNote {
    /// Ignored on insert.
    pub id: i64,
    pub debtor_id: DebtorId,
    pub kind: NoteKind,
    /// How a call went (`None` for a note).
    pub outcome: Option<CallOutcome>,
    pub body: String,
    /// The login of who logged it.
    pub author: String,
    /// The business day it happened.
    pub on: Date,
    pub created_at: String,
}

/// Something that interrupts or suspends a claim's limitation period, recorded by a person
/// (table `limitation_events`, migration 0010; see [`crate::limitation_events`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredLimitationEvent {
    /// Ignored on insert.
    pub id: i64,
    /// The debtor: the claim's own for a claim's event.
    pub debtor_id: DebtorId,
    /// The claim; `None`: every claim of the debtor, and those where it is a co-debtor.
    pub claim_id: Option<ClaimId>,
    pub kind: LimitationEventKind,
    /// The day it happened (for a judgment: the day it became enforceable).
    pub on: Date,
    /// The end of a mediation or conciliation; `None` while it lasts and for other kinds.
    pub end: Option<Date>,
    /// A reference to the proof (document name, docket number).
    pub proof: Option<String>,
    pub note: Option<String>,
    /// The login of who recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
}

/// What a person can record about a claim's limitation (part payments come from the
/// ledger). Each maps to the engine's events in [`crate::limitation_events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitationEventKind {
    /// A written acknowledgment of the debt by the debtor (C. civ. 2240).
    Acknowledgment,
    /// A court claim, even in référé (2241).
    CourtClaim,
    /// The court claim was finally dismissed: its interruption is void (2243).
    CourtClaimDismissed,
    /// The court claim was withdrawn: its interruption is void (2243).
    CourtClaimWithdrawn,
    /// A conservatory measure or an act of enforcement (2244).
    EnforcementAct,
    /// A mediation or conciliation (2238): suspends the period while it lasts.
    Mediation,
    /// A judgment, from the day it is enforceable: a new 10-year period (CPCE L111-4).
    Judgment,
}

impl LimitationEventKind {
    pub const ALL: [Self; 7] = [
        Self::Acknowledgment,
        Self::CourtClaim,
        Self::CourtClaimDismissed,
        Self::CourtClaimWithdrawn,
        Self::EnforcementAct,
        Self::Mediation,
        Self::Judgment,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Acknowledgment => "acknowledgment",
            Self::CourtClaim => "court_claim",
            Self::CourtClaimDismissed => "court_claim_dismissed",
            Self::CourtClaimWithdrawn => "court_claim_withdrawn",
            Self::EnforcementAct => "enforcement_act",
            Self::Mediation => "mediation",
            Self::Judgment => "judgment",
        }
    }
}

impl FromStr for LimitationEventKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("{s:?}: one of {}", Self::ALL.map(Self::as_str).join(", ")))
    }
}

/// A call, or a plain note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Call,
    Note,
}

impl NoteKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Note => "note",
        }
    }
}

impl FromStr for NoteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "call" => Ok(Self::Call),
            "note" => Ok(Self::Note),
            other => Err(format!("{other:?}: call or note")),
        }
    }
}

/// How a call went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Spoke with the debtor.
    Reached,
    NoAnswer,
    /// Left a message.
    Voicemail,
    WrongNumber,
    /// The debtor refused to pay.
    Refused,
}

impl CallOutcome {
    pub const ALL: [Self; 5] = [
        Self::Reached,
        Self::NoAnswer,
        Self::Voicemail,
        Self::WrongNumber,
        Self::Refused,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Reached => "reached",
            Self::NoAnswer => "no_answer",
            Self::Voicemail => "voicemail",
            Self::WrongNumber => "wrong_number",
            Self::Refused => "refused",
        }
    }
}

impl fmt::Display for CallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CallOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("{s:?}: reached, no_answer, voicemail, wrong_number or refused"))
    }
}
