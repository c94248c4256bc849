//! The daily dunning run and the collectors' worklist: the shell around the pure engine of
//! `domain::dunning`.
//!
//! [`run`] loads, in one transaction, everything the decision pass reads — debtors, the
//! book (open amounts as of the day), cases, the steps done in their current cycle, the
//! last two weeks of contacts, the date of the last payment-data refresh — calls
//! [`dunning::decide`], and writes what it decided in the same transaction: case
//! assignments, reopenings and closures, actions, done steps. All or nothing: a run that
//! fails half-way leaves the database as it was, and the next run decides the same things.
//!
//! Exactly once: an action is written at most once per (case, cycle, step, currency, day)
//! (the store's unique key, `ON CONFLICT DO NOTHING`), and the step is recorded as done in
//! the same transaction, so later runs do not decide it again. A run repeated the same
//! day creates nothing.
//!
//! Payment data: until bank statements are imported (a later issue), a claims import that
//! changes something, and the demo load, count as a refresh of payment data
//! ([`PAYMENT_DATA_AS_OF`]). Manual holds are set by [`crate::audit::hold_case`]; the agreements
//! ([`crate::agreements::watch`]) mark the claims under an open dispute as disputed (the
//! others are reminded) and pause the debtors with a live promise or plan; a promise or
//! plan found broken resumes the scenario and leaves a task for the collector.
//!
//! The scenarios followed are those stored in the database ([`crate::scenarios`]), the
//! shipped ones until a credit manager loads others. Each run also raises limitation
//! alerts ([`LIMITATION_SCENARIO`]): a legal-review task when an open claim comes within
//! 90 and then 30 days of its limitation deadline, each once.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{ActionFilter, ActionStatus, Store, StoredAction, StoredCase, StoredStep, Tx};
use domain::book::Book;
use domain::date::{Date, date_of_day, day_number};
use domain::dunning::{
    self, CaseId, CaseInput, CaseState, Channel, Channels, CloseReason, ContactRecord, DebtorFacts,
    Decision, DoneStep, DunningSettings, OpenClaim, PaymentHistory, ScenarioSet, SkipReason, Stage,
};
use domain::{ClaimId, ContactKind, CreditorId, Debtor, DebtorId, EntryKind, Money};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Setting: the business day of the last refresh of payment data (`YYYY-MM-DD`).
pub const PAYMENT_DATA_AS_OF: &str = "payment_data_as_of";
/// Setting: `true` makes every run create drafts a person approves.
pub const REVIEW_MODE: &str = "review_mode";
/// Contacts older than this do not matter to the cool-down and the weekly cap (7 days);
/// two weeks leave room.
pub(crate) const CONTACT_WINDOW_DAYS: i32 = 14;

/// How to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Decide and report, write nothing.
    pub dry_run: bool,
    /// What tomorrow's run would decide from today's data; writes nothing.
    pub preview: bool,
    /// Create drafts awaiting approval (also on when the `review_mode` setting is `true`).
    pub review_mode: bool,
}

/// A legal file a scenario step opened by itself (`legal_decision`), or why it left the
/// review to a person.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioDecision {
    pub action_id: i64,
    pub debtor_id: DebtorId,
    pub decision: String,
    /// The file opened; `None` when the advisor refused (see `refused`).
    pub file_id: Option<i64>,
    pub refused: Option<String>,
}

/// A planned legal review whose step carries a `legal_decision`: the file is opened in the
/// run's transaction when the advisor finds the route open (the review is then done);
/// otherwise the review stays for a person, and the report says why.
async fn decide_by_scenario(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    tables: &mut Option<domain::law::RateTables>,
    id: i64,
    action: &StoredAction,
    decision: domain::law::judicial::Decision,
    report: &mut RunReport,
) -> AppResult<()> {
    if action.status != ActionStatus::Planned {
        return Ok(());
    }
    if tables.is_none() {
        *tables = Some(
            domain::law::RateTables::embedded().map_err(|e| AppError::Invalid(e.to_string()))?,
        );
    }
    let Some(tables) = tables.as_ref() else {
        return Ok(());
    };
    let request = crate::legal::OpenRequest {
        debtor: Some(action.debtor_id),
        decision: Some(decision),
        claims: action.claims.clone(),
        court: None,
        agent: None,
        reason: Some(format!(
            "scenario {} / {}",
            action.scenario, action.step_code
        )),
    };
    let outcome = crate::legal::open_in(tx, clock, tables, "run", &request).await;
    let (file_id, refused) = match outcome {
        Ok(file) => (Some(file.id), None),
        Err(AppError::Invalid(why)) => (None, Some(why)),
        Err(e) => return Err(e),
    };
    report.scenario_decisions.push(ScenarioDecision {
        action_id: id,
        debtor_id: action.debtor_id,
        decision: decision.code().to_string(),
        file_id,
        refused,
    });
    Ok(())
}

/// One action of a run.
#[derive(Debug, Clone, Serialize)]
pub struct RunAction {
    /// The stored action's id; `None` in a dry run or preview.
    pub id: Option<i64>,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub scenario: String,
    pub step: String,
    pub channels: Channels,
    pub claims: Vec<ClaimId>,
    pub amount: Money,
    pub stage_after: Stage,
    pub status: ActionStatus,
}

/// Payment data too old to remind anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StaleData {
    pub last_refresh: Option<Date>,
    pub limit_days: u32,
}

/// What a run decided (and, unless dry or preview, wrote).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The day decided: the run's date, or the next day for a preview.
    pub as_of: Date,
    pub dry_run: bool,
    pub preview: bool,
    pub review_mode: bool,
    /// Whether the decisions were written.
    pub written: bool,
    pub payment_data_as_of: Option<Date>,
    /// Set when payment data is too old: every due step was held back.
    pub stale: Option<StaleData>,
    pub cases_seen: usize,
    pub assigned: usize,
    pub reopened: usize,
    pub closed: usize,
    /// Actions by channel (an action with two channels counts in both).
    pub actions_by_channel: BTreeMap<String, usize>,
    /// Steps held back, by reason (`contact_cap`, `paused:hold`…).
    pub skips_by_reason: BTreeMap<String, usize>,
    pub actions: Vec<RunAction>,
    /// Claims whose limitation deadline is within 90 or 30 days, each raised once per
    /// threshold and deadline as a legal-review task ([`LIMITATION_SCENARIO`]).
    pub limitation_alerts: Vec<LimitationAlert>,
    /// Insured claims whose declaration deadline at the insurer is near: a task raised
    /// once per claim and deadline ([`crate::financing::INSURER_SCENARIO`]).
    pub insurer_alerts: Vec<InsurerAlert>,
    /// Statutory deadlines of open legal files coming up (serve the order, the end of the
    /// opposition period...): a task raised once per deadline ([`crate::legal`]).
    pub legal_alerts: Vec<LegalAlert>,
    /// Agency mode: collections not remitted to the client a month after (R124-6), each
    /// raised once as a task on the worklist ([`crate::agency::late_remittances`]).
    pub late_remittances: Vec<crate::agency::LateRemittance>,
    /// Agency mode: the notices to clients this run wrote (R124-5: payments, even
    /// partial, and debtors' proposals), once each ([`crate::agency::notify_clients`]).
    pub client_notices: usize,
    /// Legal files the scenario steps opened by themselves (`legal_decision`).
    pub scenario_decisions: Vec<ScenarioDecision>,
    /// Promises and plans found kept, completed or broken by this run.
    pub agreement_events: Vec<crate::agreements::AgreementEvent>,
    /// Debtors whose legal step waits for a payment in the review queue.
    pub held_back: Vec<HeldBack>,
    /// Actions whose letter cannot be issued (no sender address, SIREN, IBAN or debtor
    /// address: [`crate::issuing`]): their letter is written `failed` in the outbox with
    /// the reason, never printed.
    pub letters_refused: Vec<RefusedLetter>,
}

/// An action of the run whose letter is refused, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedLetter {
    /// `None` when nothing was written (dry run, preview).
    pub action_id: Option<i64>,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub step: String,
    pub refusal: crate::issuing::Refusal,
}

/// The pseudo-scenario of limitation alerts: a legal-review task per claim and threshold,
/// outside the case's cycles (cycle 0), dated the day the threshold was crossed so that the
/// store's unique key makes it exactly once whatever day the run first sees it.
pub const LIMITATION_SCENARIO: &str = "limitation";

/// The thresholds of limitation alerts, in days before the deadline (issue: 90 and 30).
pub const LIMITATION_THRESHOLDS: [i32; 2] = [90, 30];

/// A claim nearing its limitation deadline.
#[derive(Debug, Clone, Serialize)]
pub struct LimitationAlert {
    /// The task's id; `None` when it existed already (raised by an earlier run) or nothing
    /// was written.
    pub action_id: Option<i64>,
    pub claim_id: ClaimId,
    pub number: String,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub open: Money,
    pub deadline: Date,
    pub days_left: i32,
    /// 90 or 30.
    pub threshold: i32,
    /// The event that would save the claim, and by when (FR/EN).
    pub remedy: domain::law::Text,
}

/// The step code of a limitation alert: `limitation_90:<claim id>`.
fn limitation_step(threshold: i32, claim: ClaimId) -> String {
    format!("limitation_{threshold}:{}", claim.0)
}

/// Open claims that could be within 90 days of a limitation deadline: those whose last
/// event (due date, part payment) is older than the shortest period allows otherwise.
fn limitation_candidates(book: &Book, today: i32) -> Vec<ClaimId> {
    book.claims()
        .iter()
        .filter(|c| c.issue_day <= today && book.open_minor(c, today) > 0)
        .filter(|c| {
            let last = book
                .entries_of(c)
                .iter()
                .filter(|e| e.kind == EntryKind::Payment && e.day <= today)
                .map(|e| e.day)
                .fold(c.due_day, i32::max);
            today - last >= crate::law::LIMITATION_CANDIDATE_DAYS
        })
        .map(|c| c.id)
        .collect()
}

/// A legal-review task about one claim, outside the case's cycles (cycle 0), dated the day
/// it fell due so that the actions' unique key makes it exactly once whatever day a run
/// first sees it: the limitation alerts and the insurer's declarations.
struct ReviewTask<'a> {
    debtor: DebtorId,
    claim: ClaimId,
    open: Money,
    step_code: String,
    scenario: &'a str,
    template: &'a str,
    on: Date,
}

impl ReviewTask<'_> {
    fn action(self, cases: &HashMap<DebtorId, StoredCase>, now: &str) -> StoredAction {
        StoredAction {
            id: 0,
            debtor_id: self.debtor,
            cycle: 0,
            step_code: self.step_code,
            scenario: self.scenario.to_string(),
            channels: Channels::empty().with(Channel::LegalReviewTask),
            template: self.template.to_string(),
            claims: vec![self.claim],
            amount: self.open,
            claim_penalties: false,
            stage_after: cases.get(&self.debtor).map_or(Stage::Amicable, |c| c.stage),
            status: ActionStatus::Planned,
            created_on: self.on,
            created_at: now.to_string(),
        }
    }
}

/// Raises the limitation alerts due as of `today` (writing them when `write`).
async fn limitation_alerts(
    tx: &mut dyn Tx,
    candidates: &[ClaimId],
    cases: &HashMap<DebtorId, StoredCase>,
    today: Date,
    now: &str,
    write: bool,
) -> AppResult<Vec<LimitationAlert>> {
    let mut out = Vec::new();
    let lines = crate::law::limitation_of(tx, candidates, today, LIMITATION_THRESHOLDS[0]).await?;
    for line in lines {
        let threshold = match line.alert {
            domain::law::AlertLevel::Within90 => LIMITATION_THRESHOLDS[0],
            domain::law::AlertLevel::Within30 => LIMITATION_THRESHOLDS[1],
            domain::law::AlertLevel::None | domain::law::AlertLevel::Expired => continue,
        };
        let crossed = date_of_day(day_number(line.deadline.deadline) - threshold).unwrap_or(today);
        let action = ReviewTask {
            debtor: line.debtor_id,
            claim: line.claim_id,
            open: line.open,
            step_code: limitation_step(threshold, line.claim_id),
            scenario: LIMITATION_SCENARIO,
            template: "limitation_alert",
            on: crossed,
        }
        .action(cases, now);
        let action_id = if write {
            tx.insert_action(&action).await?
        } else {
            None
        };
        out.push(LimitationAlert {
            action_id,
            claim_id: line.claim_id,
            number: line.number,
            debtor_id: line.debtor_id,
            debtor_name: line.debtor_name,
            open: line.open,
            deadline: line.deadline.deadline,
            days_left: line.days_left,
            threshold,
            remedy: line.deadline.remedy(),
        });
    }
    Ok(out)
}

/// An insured claim to declare to its insurer.
#[derive(Debug, Clone, Serialize)]
pub struct InsurerAlert {
    /// The task's id; `None` when an earlier run raised it or nothing was written.
    pub action_id: Option<i64>,
    pub debtor_name: String,
    #[serde(flatten)]
    pub deadline: crate::financing::InsurerDeadline,
}

/// Raises the insurer tasks due (writing them when `write`): a legal-review task per
/// claim and deadline, dated the day it fell due so that the actions' unique key makes it
/// exactly once.
async fn insurer_alerts(
    tx: &mut dyn Tx,
    due: Vec<crate::financing::InsurerDeadline>,
    cases: &HashMap<DebtorId, StoredCase>,
    names: &HashMap<DebtorId, (&str, CreditorId)>,
    now: &str,
    write: bool,
) -> AppResult<Vec<InsurerAlert>> {
    let mut out = Vec::with_capacity(due.len());
    for deadline in due {
        let action = ReviewTask {
            debtor: deadline.debtor_id,
            claim: deadline.claim_id,
            open: deadline.open,
            step_code: deadline.step_code(),
            scenario: crate::financing::INSURER_SCENARIO,
            template: "insurer_declaration",
            on: deadline.raise_on,
        }
        .action(cases, now);
        let action_id = if write {
            tx.insert_action(&action).await?
        } else {
            None
        };
        out.push(InsurerAlert {
            action_id,
            debtor_name: names
                .get(&deadline.debtor_id)
                .map_or("", |n| n.0)
                .to_string(),
            deadline,
        });
    }
    Ok(out)
}

/// A legal file's deadline the run raised a task for.
#[derive(Debug, Clone, Serialize)]
pub struct LegalAlert {
    /// The task's id; `None` when an earlier run raised it or nothing was written.
    pub action_id: Option<i64>,
    pub debtor_name: String,
    #[serde(flatten)]
    pub task: crate::legal::DeadlineTask,
}

/// Raises the legal deadline tasks due (writing them when `write`): a legal-review task
/// per file and deadline, exactly once under the actions' unique key.
async fn legal_alerts(
    tx: &mut dyn Tx,
    due: Vec<crate::legal::DeadlineTask>,
    cases: &HashMap<DebtorId, StoredCase>,
    names: &HashMap<DebtorId, (&str, CreditorId)>,
    now: &str,
    write: bool,
) -> AppResult<Vec<LegalAlert>> {
    let mut out = Vec::with_capacity(due.len());
    for task in due {
        let action = ReviewTask {
            debtor: task.debtor_id,
            claim: task.claim_id,
            open: task.open,
            step_code: task.step_code(),
            scenario: crate::legal::LEGAL_SCENARIO,
            template: "legal_deadline",
            on: task.raise_on,
        }
        .action(cases, now);
        let action_id = if write {
            tx.insert_action(&action).await?
        } else {
            None
        };
        out.push(LegalAlert {
            action_id,
            debtor_name: names.get(&task.debtor_id).map_or("", |n| n.0).to_string(),
            task,
        });
    }
    Ok(out)
}

/// The report key of a skip reason (`contact_cap`, `paused:hold`...).
pub fn skip_key(reason: &SkipReason) -> String {
    match reason {
        SkipReason::BelowMinimum { .. } => "below_minimum".into(),
        SkipReason::NothingDue => "nothing_due".into(),
        SkipReason::ContactCap { .. } => "contact_cap".into(),
        SkipReason::CoolDown { .. } => "cool_down".into(),
        SkipReason::QuietDay => "quiet_day".into(),
        SkipReason::StaleData { .. } => "stale_data".into(),
        SkipReason::Paused { pause } => format!("paused:{pause}"),
        SkipReason::PaymentInReview => "payment_in_review".into(),
    }
}

/// A debtor whose legal step the run held back because a payment that may be theirs waits
/// in the review queue, and why, in English and French.
#[derive(Debug, Clone, Serialize)]
pub struct HeldBack {
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub step: String,
    /// The payments waiting for review whose suggestions name the debtor.
    pub payments: Vec<i64>,
    pub reason_en: String,
    pub reason_fr: String,
}

impl HeldBack {
    fn new(debtor_id: DebtorId, debtor_name: &str, step: &str, payments: &[i64]) -> Self {
        let ids = payments
            .iter()
            .map(|p| format!("#{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            debtor_id,
            debtor_name: debtor_name.to_string(),
            step: step.to_string(),
            payments: payments.to_vec(),
            reason_en: format!(
                "{step} held back: payment {ids} waiting for review may be this debtor's; legal steps wait until it is applied or set aside (recouvre payments review)"
            ),
            reason_fr: format!(
                "{step} reportée : le paiement {ids} en attente de revue pourrait être celui de ce débiteur ; les étapes juridiques attendent qu'il soit affecté ou écarté (recouvre payments review)"
            ),
        }
    }
}

/// Everything the decision pass reads, gathered from plain data: the debtors, their stored
/// cases, the book (open amounts as of the day), the steps done in the cases' current
/// cycles and the recent actions (contacts). Pure — [`run`] fills it from one transaction,
/// the simulation (`crate::simulate`) from memory — so both decide from the same inputs
/// by the same rules. [`PassInputs::cases`] lends it out as `CaseInput`s.
#[derive(Debug)]
pub struct PassInputs<'a> {
    debtors: &'a [Debtor],
    /// Debtors paused by a live promise or plan (from the agreements, over the case's
    /// stored arrangement).
    arrangements: HashMap<DebtorId, dunning::Arrangement>,
    /// Stored cases by debtor id.
    cases: &'a HashMap<DebtorId, StoredCase>,
    /// Open claims sorted by debtor, and each debtor's range in it.
    claims: Vec<OpenClaim>,
    claim_ranges: HashMap<DebtorId, (usize, usize)>,
    steps: Vec<StoredStep>,
    step_ranges: HashMap<DebtorId, (usize, usize)>,
    contacts: Vec<ContactRecord>,
    contact_ranges: HashMap<DebtorId, (usize, usize)>,
    last_payment: HashMap<DebtorId, Date>,
    /// Debtors a payment waiting for review may belong to, with those payments' ids.
    in_review: HashMap<DebtorId, Vec<i64>>,
    /// Debtors whose every open claim the run leaves alone ([`PassInputs::leave_out`]):
    /// no case input, so their case is neither reminded nor closed.
    untouched: std::collections::HashSet<DebtorId>,
}

/// Ranges of equal keys in a slice sorted by key.
fn ranges<T>(items: &[T], key: impl Fn(&T) -> DebtorId) -> HashMap<DebtorId, (usize, usize)> {
    let mut out = HashMap::new();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || key(&items[i]) != key(&items[start]) {
            out.insert(key(&items[start]), (start, i));
            start = i;
        }
    }
    out
}

/// The contacts an action made with its debtor: one per channel that reaches the debtor,
/// none for a draft (it has not gone out, and may never).
pub fn contacts_of(action: &StoredAction) -> impl Iterator<Item = ContactRecord> + '_ {
    let sent = action.status != ActionStatus::Draft;
    action
        .channels
        .iter()
        .filter(move |c| sent && c.reaches_debtor())
        .map(|channel| ContactRecord {
            on: action.created_on,
            channel,
        })
}

/// Reads what the pass needs from the store, in the run's transaction.
async fn load(tx: &mut dyn Tx, as_of: Date) -> AppResult<Stored> {
    let since = date_of_day(day_number(as_of) - CONTACT_WINDOW_DAYS).unwrap_or(as_of);
    Ok(Stored {
        debtors: tx.debtors(None).await?,
        book: tx.book(None).await?,
        cases: tx
            .cases()
            .await?
            .into_iter()
            .map(|c| (c.debtor_id, c))
            .collect(),
        steps: tx.current_steps().await?,
        recent_actions: tx.actions_since(since).await?,
    })
}

/// The raw reads of [`load`], owned.
struct Stored {
    debtors: Vec<Debtor>,
    book: Book,
    cases: HashMap<DebtorId, StoredCase>,
    steps: Vec<StoredStep>,
    recent_actions: Vec<StoredAction>,
}

/// The state of a debtor with no stored case: closed, so that the first run finding it
/// owing opens it (a `Reopen` to cycle 1) and one owing nothing is left alone.
const NO_CASE_STAGE: Stage = Stage::Closed(CloseReason::Paid);

impl<'a> PassInputs<'a> {
    /// Gathers the pass's inputs as of `as_of`: claims issued by then with something open
    /// (entries dated after `as_of` are ignored), each debtor's last payment, the done
    /// steps (`steps`: those of the cases' current cycles) and the contacts of
    /// `recent_actions` made by `as_of` (only the last two weeks matter).
    pub fn new(
        debtors: &'a [Debtor],
        cases: &'a HashMap<DebtorId, StoredCase>,
        book: &Book,
        mut steps: Vec<StoredStep>,
        recent_actions: &[StoredAction],
        as_of: Date,
    ) -> Self {
        let today = day_number(as_of);
        let mut with_debtor: Vec<(DebtorId, OpenClaim)> = Vec::new();
        let mut last_payment_day: HashMap<DebtorId, i32> = HashMap::new();
        for c in book.claims() {
            if c.issue_day > today {
                continue;
            }
            for e in book.entries_of(c) {
                if e.kind == EntryKind::Payment && e.day <= today {
                    let last = last_payment_day.entry(c.debtor_id).or_insert(e.day);
                    *last = (*last).max(e.day);
                }
            }
            let open = book.open_minor(c, today);
            let Some(due_date) = date_of_day(c.due_day) else {
                continue;
            };
            if open != 0 {
                with_debtor.push((
                    c.debtor_id,
                    OpenClaim {
                        id: c.id,
                        currency: c.currency,
                        due_date,
                        open_minor: open,
                        disputed: false,
                    },
                ));
            }
        }
        with_debtor.sort_by_key(|(d, c)| (*d, c.id));
        let claim_ranges = ranges(&with_debtor, |(d, _)| *d);
        let claims = with_debtor.into_iter().map(|(_, c)| c).collect();

        steps.sort_by_key(|s| s.debtor_id);
        let step_ranges = ranges(&steps, |s| s.debtor_id);

        let since = today - CONTACT_WINDOW_DAYS;
        let mut with_contact: Vec<(DebtorId, ContactRecord)> = Vec::new();
        for a in recent_actions {
            let day = day_number(a.created_on);
            if day > today || day < since {
                continue;
            }
            with_contact.extend(contacts_of(a).map(|c| (a.debtor_id, c)));
        }
        with_contact.sort_by_key(|(d, c)| (*d, c.on));
        let contact_ranges = ranges(&with_contact, |(d, _)| *d);
        let contacts = with_contact.into_iter().map(|(_, c)| c).collect();

        let last_payment = last_payment_day
            .into_iter()
            .filter_map(|(d, day)| Some((d, date_of_day(day)?)))
            .collect();
        Self {
            debtors,
            arrangements: HashMap::new(),
            cases,
            claims,
            claim_ranges,
            steps,
            step_ranges,
            contacts,
            contact_ranges,
            last_payment,
            in_review: HashMap::new(),
            untouched: std::collections::HashSet::new(),
        }
    }

    /// Notes the payments waiting for review and the debtors they may belong to (see
    /// [`crate::payments::debtors_in_review`]): those debtors' legal steps wait.
    pub fn apply_payments_in_review(&mut self, in_review: HashMap<DebtorId, Vec<i64>>) {
        self.in_review = in_review;
    }

    /// The payments waiting for review that may be `debtor`'s.
    pub fn payments_in_review(&self, debtor: DebtorId) -> &[i64] {
        self.in_review.get(&debtor).map_or(&[], Vec::as_slice)
    }

    /// Leaves `claims` out of every reminder (claims assigned to a factor that collects
    /// them itself). A debtor left with no open claim is not decided at all: its case is
    /// not the creditor's to close.
    pub fn leave_out(&mut self, claims: &std::collections::HashSet<ClaimId>) {
        if claims.is_empty() {
            return;
        }
        let mut by_debtor: Vec<(DebtorId, usize, usize)> = self
            .claim_ranges
            .iter()
            .map(|(d, &(a, b))| (*d, a, b))
            .collect();
        by_debtor.sort_by_key(|&(_, a, _)| a);
        let mut kept = Vec::with_capacity(self.claims.len());
        let mut ranges = HashMap::with_capacity(by_debtor.len());
        for (debtor, a, b) in by_debtor {
            let start = kept.len();
            kept.extend(
                self.claims[a..b]
                    .iter()
                    .filter(|c| !claims.contains(&c.id))
                    .cloned(),
            );
            if kept.len() == start {
                self.untouched.insert(debtor);
            } else {
                ranges.insert(debtor, (start, kept.len()));
            }
        }
        self.claims = kept;
        self.claim_ranges = ranges;
    }

    /// Applies what the agreements say: the claims under an open dispute are disputed
    /// (not reminded), the debtors with a live promise or plan are paused.
    pub fn apply_agreements(
        &mut self,
        disputed: &std::collections::HashSet<ClaimId>,
        arrangements: &HashMap<DebtorId, dunning::Arrangement>,
    ) {
        for c in &mut self.claims {
            c.disputed = disputed.contains(&c.id);
        }
        self.arrangements.clone_from(arrangements);
    }

    fn slice<'b, T>(
        items: &'b [T],
        ranges: &HashMap<DebtorId, (usize, usize)>,
        d: DebtorId,
    ) -> &'b [T] {
        ranges.get(&d).map_or(&[], |&(a, b)| &items[a..b])
    }

    /// The done steps, borrowed as the pass wants them (same order as `steps`).
    pub fn done_steps(&self) -> Vec<DoneStep<'_>> {
        self.steps
            .iter()
            .map(|s| DoneStep {
                code: &s.step_code,
                on: s.done_on,
            })
            .collect()
    }

    /// One `CaseInput` per debtor, in the order of `debtors`; `done` is
    /// [`PassInputs::done_steps`].
    pub fn cases<'b>(&'b self, done: &'b [DoneStep<'b>]) -> Vec<CaseInput<'b>> {
        self.debtors
            .iter()
            .filter(|d| !self.untouched.contains(&d.id))
            .map(|d| {
                let case = self.cases.get(&d.id);
                CaseInput {
                    case: CaseId(d.id.0),
                    debtor: DebtorFacts {
                        segment: d.segment,
                        country: &d.country,
                        language: &d.language,
                        tags: &d.tags,
                        risk_band: None,
                    },
                    state: CaseState {
                        scenario: case.and_then(|c| c.scenario.as_deref()),
                        stage: case.map_or(NO_CASE_STAGE, |c| c.stage),
                        hold_until: case.and_then(|c| c.hold_until),
                        arrangement: self
                            .arrangements
                            .get(&d.id)
                            .copied()
                            .or(case.and_then(|c| c.arrangement)),
                        last_payment: self.last_payment.get(&d.id).copied(),
                        payment_in_review: self.in_review.contains_key(&d.id),
                    },
                    claims: Self::slice(&self.claims, &self.claim_ranges, d.id),
                    done: Self::slice(done, &self.step_ranges, d.id),
                    contacts: Self::slice(&self.contacts, &self.contact_ranges, d.id),
                }
            })
            .collect()
    }
}

/// The run's settings: the defaults, the last payment-data refresh and review mode from
/// the stored settings.
async fn settings(tx: &mut dyn Tx, review: bool) -> AppResult<DunningSettings> {
    let last = match tx.setting(PAYMENT_DATA_AS_OF).await? {
        Some(text) => Some(text.parse::<Date>().map_err(|e| {
            AppError::Invalid(format!(
                "setting {PAYMENT_DATA_AS_OF}: {text:?} is not a date: {e}"
            ))
        })?),
        None => None,
    };
    let stored_review = tx
        .setting(REVIEW_MODE)
        .await?
        .is_some_and(|v| matches!(v.trim(), "true" | "1" | "yes" | "oui"));
    Ok(DunningSettings {
        last_payment_import: last,
        review_mode: review || stored_review,
        ..DunningSettings::default()
    })
}

fn stale(settings: &DunningSettings, as_of: Date) -> Option<StaleData> {
    let limit = settings.freshness_limit_days?;
    let fresh = settings
        .last_payment_import
        .is_some_and(|last| i64::from(day_number(as_of) - day_number(last)) <= i64::from(limit));
    (!fresh).then_some(StaleData {
        last_refresh: settings.last_payment_import,
        limit_days: limit,
    })
}

/// The decisions of a pass, one slice per case (the pass groups them by case).
pub fn by_case(decisions: &[Decision]) -> impl Iterator<Item = &[Decision]> {
    decisions.chunk_by(|a, b| a.case() == b.case())
}

/// The stored state of a debtor that has no case yet (see [`NO_CASE_STAGE`]).
pub fn new_case(debtor: DebtorId, creditor: CreditorId) -> StoredCase {
    StoredCase {
        debtor_id: debtor,
        creditor_id: creditor,
        scenario: None,
        stage: NO_CASE_STAGE,
        cycle: 0,
        hold_until: None,
        arrangement: None,
        owner: None,
    }
}

/// What one case's decisions change.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    /// The case's stored state changed (assigned, reopened, closed or moved on a stage).
    pub changed: bool,
    /// The actions to record, each with its step marked done ([`done_step`]).
    pub actions: Vec<StoredAction>,
}

/// Applies one case's decisions of day `as_of` to its stored state: assignment,
/// reopening (a new cycle), closure, stage moves, and the actions to record. Pure: the
/// one rule by which [`run`] persists a pass and the simulation keeps it in memory.
pub fn apply_case(
    state: &mut StoredCase,
    group: &[Decision],
    as_of: Date,
    now: &str,
) -> CaseChange {
    let mut change = CaseChange::default();
    for decision in group {
        match decision {
            Decision::Assign { scenario, .. } => {
                state.scenario = Some(scenario.to_string());
                change.changed = true;
            }
            Decision::Reopen { stage, .. } => {
                state.stage = *stage;
                state.cycle += 1;
                change.changed = true;
            }
            Decision::Close { reason, .. } => {
                state.stage = Stage::Closed(*reason);
                change.changed = true;
            }
            Decision::Skip(_) => {}
            Decision::Action(a) => {
                state.stage = state.stage.advanced_to(a.stage_after);
                change.changed = true;
                change.actions.push(StoredAction {
                    id: 0,
                    debtor_id: state.debtor_id,
                    cycle: state.cycle,
                    step_code: a.step.to_string(),
                    scenario: a.scenario.to_string(),
                    channels: a.channels,
                    template: a.template.to_string(),
                    claims: a.claims.clone(),
                    amount: a.amount,
                    claim_penalties: a.claim_penalties,
                    stage_after: a.stage_after,
                    status: if a.draft {
                        ActionStatus::Draft
                    } else {
                        ActionStatus::Planned
                    },
                    created_on: as_of,
                    created_at: now.to_string(),
                });
            }
        }
    }
    change
}

/// The step an action marks done in its case's cycle.
pub fn done_step(action: &StoredAction) -> StoredStep {
    StoredStep {
        debtor_id: action.debtor_id,
        cycle: action.cycle,
        step_code: action.step_code.clone(),
        done_on: action.created_on,
    }
}

/// Counts a decision in the report.
fn count(report: &mut RunReport, decision: &Decision) {
    match decision {
        Decision::Assign { .. } => report.assigned += 1,
        Decision::Reopen { .. } => report.reopened += 1,
        Decision::Close { .. } => report.closed += 1,
        Decision::Skip(skip) => {
            *report
                .skips_by_reason
                .entry(skip_key(&skip.reason))
                .or_default() += 1;
        }
        Decision::Action(a) => {
            for channel in a.channels.iter() {
                *report
                    .actions_by_channel
                    .entry(channel.as_str().to_string())
                    .or_default() += 1;
            }
        }
    }
}

/// Runs the daily decision pass as of the clock's day and, unless `dry_run` or
/// `preview`, writes its decisions in the same transaction.
pub async fn run(
    store: &dyn Store,
    clock: &dyn Clock,
    options: RunOptions,
) -> AppResult<RunReport> {
    run_with(store, clock, options, None).await
}

/// What tomorrow's run would decide if `scenarios` were the set in force (the scenario
/// editor's preview of a set before it is saved); writes nothing.
pub async fn preview_with(
    store: &dyn Store,
    clock: &dyn Clock,
    scenarios: ScenarioSet,
) -> AppResult<RunReport> {
    let options = RunOptions {
        preview: true,
        ..RunOptions::default()
    };
    run_with(store, clock, options, Some(scenarios)).await
}

async fn run_with(
    store: &dyn Store,
    clock: &dyn Clock,
    options: RunOptions,
    scenarios: Option<ScenarioSet>,
) -> AppResult<RunReport> {
    let today = clock.today();
    let now = clock.now_rfc3339();
    let mut tx = store.begin().await?;
    let scenarios = match scenarios {
        Some(set) => set,
        None => crate::scenarios::current(tx.as_mut()).await?,
    };
    let settings = settings(tx.as_mut(), options.review_mode).await?;
    let stored = load(tx.as_mut(), today).await?;
    let watch = crate::agreements::watch(tx.as_mut(), &stored.book, today, &now).await?;
    let mut loaded = PassInputs::new(
        &stored.debtors,
        &stored.cases,
        &stored.book,
        stored.steps,
        &stored.recent_actions,
        today,
    );
    loaded.apply_agreements(&watch.disputed, &watch.arrangements);
    loaded.apply_payments_in_review(crate::payments::debtors_in_review(tx.as_mut(), today).await?);
    // Assigned and insured claims: a factor's claims it collects itself are left out; an
    // insured claim nearing the insurer's declaration deadline gets a task.
    let financing = crate::financing::FinancingBook::load(tx.as_mut()).await?;
    loaded.leave_out(&financing.not_dunned(&stored.book, today));
    // Claims in an open legal file are in the court's hands: no amicable reminder.
    loaded.leave_out(&crate::legal::claims_in_open_files(tx.as_mut()).await?);
    let legal_due = crate::legal::deadline_tasks(tx.as_mut(), today).await?;
    let late_remittances = crate::agency::late_remittances(tx.as_mut(), today).await?;
    let insurer_due = financing.insurer_deadlines(
        &stored.book,
        today,
        crate::financing::alert_days(tx.as_mut()).await?,
    );
    let candidates = limitation_candidates(&stored.book, day_number(today));
    let parties = Parties::load(tx.as_mut(), &stored.book, &stored.debtors, today).await?;
    drop(stored.book);
    drop(stored.recent_actions);
    let done = loaded.done_steps();
    // The rate tables, loaded when a scenario step first decides to litigate.
    let mut tables: Option<domain::law::RateTables> = None;
    let inputs = loaded.cases(&done);
    let (as_of, decisions) = if options.preview {
        let tomorrow = today.tomorrow().unwrap_or(today);
        (
            tomorrow,
            dunning::preview(&scenarios, &settings, today, &inputs),
        )
    } else {
        (
            today,
            dunning::decide(&scenarios, &settings, today, &inputs),
        )
    };
    let write = !options.dry_run && !options.preview;
    let mut report = RunReport {
        as_of,
        dry_run: options.dry_run,
        preview: options.preview,
        review_mode: settings.review_mode,
        written: write,
        payment_data_as_of: settings.last_payment_import,
        stale: stale(&settings, as_of),
        cases_seen: inputs.len(),
        assigned: 0,
        reopened: 0,
        closed: 0,
        actions_by_channel: BTreeMap::new(),
        skips_by_reason: BTreeMap::new(),
        actions: Vec::new(),
        limitation_alerts: Vec::new(),
        insurer_alerts: Vec::new(),
        legal_alerts: Vec::new(),
        late_remittances: Vec::new(),
        client_notices: 0,
        scenario_decisions: Vec::new(),
        agreement_events: watch.events.clone(),
        held_back: Vec::new(),
        letters_refused: Vec::new(),
    };
    let mut senders = crate::issuing::Senders::default();
    let names: HashMap<DebtorId, (&str, CreditorId)> = stored
        .debtors
        .iter()
        .map(|d| (d.id, (d.name.as_str(), d.creditor_id)))
        .collect();
    let debtors: HashMap<DebtorId, &Debtor> = stored.debtors.iter().map(|d| (d.id, d)).collect();
    let message_domain = crate::outbox::message_id_domain(tx.as_mut()).await?;

    // Decisions come grouped by case: apply each group to the case's state, write the
    // case first (steps refer to it), then its actions and steps.
    for group in by_case(&decisions) {
        let debtor = DebtorId(group[0].case().0);
        let (name, creditor_id) = names.get(&debtor).copied().unwrap_or(("", CreditorId(0)));
        for decision in group {
            count(&mut report, decision);
            if let Decision::Skip(skip) = decision
                && skip.reason == SkipReason::PaymentInReview
            {
                report.held_back.push(HeldBack::new(
                    debtor,
                    name,
                    skip.step.as_str(),
                    loaded.payments_in_review(debtor),
                ));
            }
        }
        let mut state = stored
            .cases
            .get(&debtor)
            .cloned()
            .unwrap_or_else(|| new_case(debtor, creditor_id));
        let change = apply_case(&mut state, group, as_of, &now);
        if write && change.changed {
            tx.upsert_case(&state, &now).await?;
        }
        for action in change.actions {
            let id = if write {
                let id = tx.insert_action(&action).await?;
                tx.upsert_step(&done_step(&action)).await?;
                if let Some(id) = id
                    && let Some(decision) = scenarios
                        .get(&action.scenario)
                        .and_then(|s| {
                            s.steps()
                                .iter()
                                .find(|st| st.code.as_str() == action.step_code)
                        })
                        .and_then(|st| st.legal_decision)
                {
                    decide_by_scenario(
                        tx.as_mut(),
                        clock,
                        &mut tables,
                        id,
                        &action,
                        decision,
                        &mut report,
                    )
                    .await?;
                }
                // Its messages, in the same transaction: a planned action is sent, a
                // draft waits for its approval.
                if let (Some(id), ActionStatus::Planned, Some(d)) =
                    (id, action.status, debtors.get(&debtor))
                {
                    crate::outbox::enqueue(tx.as_mut(), id, &action, d, &message_domain, &now)
                        .await?;
                }
                id
            } else {
                None
            };
            // The same reminder to the claims' co-debtors and guarantors, made with the
            // debtor's (never on a rerun: the original was refused by the unique key).
            if id.is_some() || !write {
                for copy in parties.copies(&action) {
                    let copy_id = if write {
                        let copy_id = tx.insert_action(&copy).await?;
                        // Queued like the debtor's own, to the party's own contacts.
                        if let (Some(id), ActionStatus::Planned, Some(party)) =
                            (copy_id, copy.status, debtors.get(&copy.debtor_id))
                        {
                            crate::outbox::enqueue(
                                tx.as_mut(),
                                id,
                                &copy,
                                party,
                                &message_domain,
                                &now,
                            )
                            .await?;
                        }
                        copy_id
                    } else {
                        None
                    };
                    for channel in copy.channels.iter() {
                        *report
                            .actions_by_channel
                            .entry(channel.as_str().to_string())
                            .or_default() += 1;
                    }
                    report.actions.push(RunAction {
                        id: copy_id,
                        debtor_id: copy.debtor_id,
                        debtor_name: parties.name(copy.debtor_id).to_string(),
                        scenario: copy.scenario,
                        step: copy.step_code,
                        channels: copy.channels,
                        claims: copy.claims,
                        amount: copy.amount,
                        stage_after: copy.stage_after,
                        status: copy.status,
                    });
                }
            }
            if let Some(d) = debtors.get(&debtor)
                && let Some(refusal) = senders
                    .letter_refusal(tx.as_mut(), action.channels, d)
                    .await?
            {
                report.letters_refused.push(RefusedLetter {
                    action_id: id,
                    debtor_id: debtor,
                    debtor_name: name.to_string(),
                    step: action.step_code.clone(),
                    refusal,
                });
            }
            report.actions.push(RunAction {
                id,
                debtor_id: debtor,
                debtor_name: name.to_string(),
                scenario: action.scenario,
                step: action.step_code,
                channels: action.channels,
                claims: action.claims,
                amount: action.amount,
                stage_after: action.stage_after,
                status: action.status,
            });
        }
    }
    report.limitation_alerts =
        limitation_alerts(tx.as_mut(), &candidates, &stored.cases, today, &now, write).await?;
    report.insurer_alerts =
        insurer_alerts(tx.as_mut(), insurer_due, &stored.cases, &names, &now, write).await?;
    report.legal_alerts =
        legal_alerts(tx.as_mut(), legal_due, &stored.cases, &names, &now, write).await?;
    if write {
        for late in &late_remittances {
            let action = ReviewTask {
                debtor: late.debtor,
                claim: late.claim,
                open: late.amount,
                step_code: late.step_code(),
                scenario: "agency",
                template: "remittance_late",
                on: late.due_by,
            }
            .action(&stored.cases, &now);
            tx.insert_action(&action).await?;
        }
    }
    report.late_remittances = late_remittances;
    if write {
        // Kept and broken promises and plans: their new status, and the task of each
        // broken one (exactly once: dated the day it broke, under the actions' unique key).
        for agreement in &watch.changed {
            tx.update_agreement(agreement).await?;
        }
        for task in &watch.tasks {
            tx.insert_action(task).await?;
        }
        // Agency mode: what the clients must be told, in the same transaction.
        report.client_notices = crate::agency::notify_clients_in(tx.as_mut(), &now, today).await?;
    }
    if write {
        tx.commit().await?;
    }
    Ok(report)
}

/// The pseudo-scenario of the reminders sent to a claim's co-debtors and guarantors.
pub const PARTY_SCENARIO: &str = "parties";

/// The step code of the copy, for a party, of the step `step` of cycle `cycle` of the case
/// of `debtor`: unique per (case, cycle, step), so under the actions' unique key (party,
/// cycle 0, this code, currency, day) a party gets each reminder of a case at most once,
/// made in the same transaction as the debtor's own.
pub fn party_step_code(debtor: DebtorId, cycle: i64, step: &str) -> String {
    format!("party:{debtor}:{cycle}:{step}")
}

/// Co-debtors and guarantors who can be reminded (they have a contact), by claim, and what
/// is open on their claims: what the run needs to copy a reminder to them.
struct Parties {
    /// Claim → the parties bound to it (co-debtors and guarantors) that have a contact.
    by_claim: HashMap<ClaimId, Vec<DebtorId>>,
    open: HashMap<ClaimId, i64>,
    names: HashMap<DebtorId, String>,
    /// The channels each party can be reached by: e-mail with an address, SMS with a
    /// phone number; letters and tasks always.
    reachable_by: HashMap<DebtorId, Channels>,
}

impl Parties {
    async fn load(
        tx: &mut dyn Tx,
        book: &Book,
        debtors: &[Debtor],
        today: Date,
    ) -> AppResult<Self> {
        let reachable: HashMap<DebtorId, &Debtor> = debtors
            .iter()
            .filter(|d| !d.contacts.is_empty())
            .map(|d| (d.id, d))
            .collect();
        let mut by_claim: HashMap<ClaimId, Vec<DebtorId>> = HashMap::new();
        let mut names = HashMap::new();
        let mut reachable_by = HashMap::new();
        for p in tx.claim_parties(&[]).await? {
            if let Some(d) = reachable.get(&p.debtor_id) {
                by_claim.entry(p.claim_id).or_default().push(p.debtor_id);
                names.insert(p.debtor_id, d.name.clone());
                let by = Channel::ALL
                    .iter()
                    .copied()
                    .filter(|c| match c {
                        Channel::Email => d.contact(ContactKind::Email).is_some(),
                        Channel::Sms => d.contact(ContactKind::Phone).is_some(),
                        _ => true,
                    })
                    .collect();
                reachable_by.insert(p.debtor_id, by);
            }
        }
        let day = day_number(today);
        let open = by_claim
            .keys()
            .filter_map(|id| book.claim(*id).map(|c| (*id, book.open_minor(c, day))))
            .collect();
        Ok(Self {
            by_claim,
            open,
            names,
            reachable_by,
        })
    }

    fn name(&self, id: DebtorId) -> &str {
        self.names.get(&id).map_or("", String::as_str)
    }

    /// The copies of `action` for the parties of its claims: a reminder that reaches the
    /// debtor (not an internal task), on the claims each party answers for, for what is
    /// open on them, by the channels the party can be reached by (no e-mail to a guarantor
    /// known only by phone); none when no channel that reaches the party remains.
    fn copies(&self, action: &StoredAction) -> Vec<StoredAction> {
        if self.by_claim.is_empty() || !action.channels.reaches_debtor() {
            return Vec::new();
        }
        let mut claims_of: BTreeMap<DebtorId, Vec<ClaimId>> = BTreeMap::new();
        for claim in &action.claims {
            for party in self.by_claim.get(claim).into_iter().flatten() {
                if *party != action.debtor_id {
                    claims_of.entry(*party).or_default().push(*claim);
                }
            }
        }
        claims_of
            .into_iter()
            .filter_map(|(party, claims)| {
                let by = self.reachable_by.get(&party).copied().unwrap_or_default();
                let channels: Channels =
                    action.channels.iter().filter(|c| by.contains(*c)).collect();
                if !channels.reaches_debtor() {
                    return None;
                }
                let open = claims.iter().filter_map(|c| self.open.get(c)).sum();
                Some(StoredAction {
                    id: 0,
                    debtor_id: party,
                    cycle: 0,
                    step_code: party_step_code(action.debtor_id, action.cycle, &action.step_code),
                    scenario: PARTY_SCENARIO.to_string(),
                    channels,
                    template: action.template.clone(),
                    claims,
                    amount: Money::from_minor(open, action.amount.currency()),
                    claim_penalties: action.claim_penalties,
                    stage_after: action.stage_after,
                    status: action.status,
                    created_on: action.created_on,
                    created_at: action.created_at.clone(),
                })
            })
            .collect()
    }
}

/// Approves a draft action, so that it goes out with the planned ones.
pub async fn approve(store: &dyn Store, id: i64) -> AppResult<StoredAction> {
    change_status(store, id, APPROVABLE, ActionStatus::Approved).await
}

/// Skips an action that has not gone out: it will not be sent. Its step stays done.
pub async fn skip(store: &dyn Store, id: i64) -> AppResult<StoredAction> {
    change_status(store, id, SKIPPABLE, ActionStatus::Skipped).await
}

async fn change_status(
    store: &dyn Store,
    id: i64,
    from: &[ActionStatus],
    to: ActionStatus,
) -> AppResult<StoredAction> {
    let mut tx = store.begin().await?;
    // No clock here: the outbox entries an approval queues are stamped with the
    // action's own creation time (the audited path, `app::audit`, stamps them now).
    let at = tx
        .action(id)
        .await?
        .map(|a| a.created_at)
        .unwrap_or_default();
    let (_, action) = change_status_in(tx.as_mut(), id, from, to, &at).await?;
    tx.commit().await?;
    Ok(action)
}

/// The statuses a draft may be approved from.
pub const APPROVABLE: &[ActionStatus] = &[ActionStatus::Draft];
/// The statuses an action may be skipped from: any that has not gone out.
pub const SKIPPABLE: &[ActionStatus] = &[
    ActionStatus::Draft,
    ActionStatus::Planned,
    ActionStatus::Approved,
];

/// Moves an action from one of `from` to `to` inside the caller's transaction (which
/// commits it, with its audit entry); returns the status it was changed from (the one the
/// compare-and-set saw, for the audit log) and the action as changed.
pub async fn change_status_in(
    tx: &mut dyn Tx,
    id: i64,
    from: &[ActionStatus],
    to: ActionStatus,
    at: &str,
) -> AppResult<(ActionStatus, StoredAction)> {
    let mut action = tx.action(id).await?.ok_or_else(|| AppError::NotFound {
        what: "action",
        id: id.to_string(),
    })?;
    if !from.contains(&action.status) {
        let from = from
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        return Err(AppError::Invalid(domain::tr!(
            "action {id} is {status}: only {from} can become {to}",
            "l'action {id} est {status} : seule une action {from} peut devenir {to}",
            status = action.status,
        )));
    }
    // Compare-and-set: another transaction (on PostgreSQL) may have read the same status
    // and changed it first; then this one writes nothing and says so.
    if !tx.set_action_status(id, action.status, to).await? {
        let now = tx.action(id).await?.map(|a| a.status.to_string());
        let now = now.as_deref().unwrap_or("deleted");
        return Err(AppError::Invalid(domain::tr!(
            "action {id} was changed by someone else at the same time (now {now}); nothing done, reload it",
            "l'action {id} a été modifiée au même moment par quelqu'un d'autre (désormais {now}) ; rien n'a été fait, rechargez-la"
        )));
    }
    let before = action.status;
    action.status = to;
    // The outbox follows in the same transaction: an approved draft's messages are
    // queued, a skipped action's unsent ones cancelled.
    match to {
        ActionStatus::Approved => {
            crate::outbox::enqueue_action(tx, &action, at).await?;
        }
        ActionStatus::Skipped => {
            crate::outbox::cancel_for_action(tx, id, at).await?;
        }
        _ => {}
    }
    Ok((before, action))
}

/// Actions, newest first.
pub async fn actions(tx: &mut dyn Tx, filter: &ActionFilter) -> AppResult<Vec<StoredAction>> {
    Ok(tx.actions(filter).await?)
}

/// A task in a collector's worklist.
#[derive(Debug, Clone, Serialize)]
pub struct WorkItem {
    pub action_id: i64,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub step: String,
    pub channels: Channels,
    pub status: ActionStatus,
    pub created_on: Date,
    /// What is still open today on the action's claims.
    pub open: Money,
    pub likelihood_per_mille: u16,
    /// Days until the case's next escalation step (zero or less: due or passed).
    pub urgency_days: i32,
    pub priority: i64,
    pub reason_fr: String,
    pub reason_en: String,
    /// The collector the case is assigned to.
    pub owner: Option<String>,
}

/// The threshold of a limitation alert (90 or 30), `None` for other actions.
fn limitation_threshold(a: &StoredAction) -> Option<i32> {
    if a.scenario != LIMITATION_SCENARIO {
        return None;
    }
    let rest = a.step_code.strip_prefix("limitation_")?;
    rest.split(':').next()?.parse().ok()
}

/// The opening of a limitation alert's reason.
fn limitation_reason(threshold: Option<i32>, days_left: i32, lang: &str) -> String {
    match (threshold, lang) {
        (None, _) => String::new(),
        (Some(_), "fr") => format!(
            "prescription dans {days_left} jours : obtenir une reconnaissance de dette écrite ou un paiement partiel, déposer une demande en justice (ou, pour la forclusion, seulement une demande en justice), ou passer en perte ; "
        ),
        (Some(_), _) => format!(
            "limitation deadline in {days_left} days: obtain a written acknowledgment or a part payment, file a court claim (for foreclosure, only a court claim), or write off; "
        ),
    }
}

/// The opening of an insurer task's reason: which insurer, by when.
fn insurer_reason(
    task: Option<(i64, Date)>,
    insurers: &HashMap<i64, String>,
    lang: &str,
) -> String {
    task.map_or_else(String::new, |(id, deadline)| {
        let name = insurers.get(&id).map_or("?", String::as_str);
        crate::financing::task_reason(name, deadline, lang)
    })
}

/// Whether an action needs a person: a call, a legal review, an agency hand-off, or a
/// draft awaiting approval.
fn needs_person(a: &StoredAction) -> bool {
    a.status == ActionStatus::Draft
        || [
            Channel::PhoneTask,
            Channel::LegalReviewTask,
            Channel::AgencyHandoff,
        ]
        .iter()
        .any(|c| a.channels.contains(*c))
}

/// A debtor's payment record from the book, as of a day: claims no longer open, those
/// settled by payments (not written off), and their average lateness.
fn histories(book: &Book, today: i32) -> HashMap<DebtorId, PaymentHistory> {
    let mut sums: HashMap<DebtorId, (PaymentHistory, i64)> = HashMap::new();
    for c in book.claims() {
        let entries = book.entries_of(c);
        if entries.is_empty() || c.issue_day > today || book.open_minor(c, today) > 0 {
            continue;
        }
        let (h, late_sum) = sums.entry(c.debtor_id).or_default();
        h.claims_closed += 1;
        let written_off = entries
            .iter()
            .any(|e| e.day <= today && e.kind == EntryKind::WriteOff);
        let last_payment = entries
            .iter()
            .filter(|e| e.day <= today && e.kind == EntryKind::Payment)
            .map(|e| e.day)
            .max();
        if let (false, Some(paid_on)) = (written_off, last_payment) {
            h.claims_paid += 1;
            *late_sum += i64::from((paid_on - c.due_day).max(0));
        }
    }
    sums.into_iter()
        .map(|(d, (mut h, late_sum))| {
            if h.claims_paid > 0 {
                h.average_days_late =
                    u32::try_from(late_sum / i64::from(h.claims_paid)).unwrap_or(u32::MAX);
            }
            (d, h)
        })
        .collect()
}

/// The collectors' worklist as of a day: open human tasks (planned or draft actions that
/// need a person), highest priority first (see `domain::dunning::priority`): what is still
/// open on the task's claims × the debtor's likelihood to pay (from its payment history)
/// × urgency (days until the case's next escalation step; a task on a scenario's last step
/// is due from the day it was created).
///
/// With an `assignee` (a user's login), the worklist of that collector: the tasks of the
/// cases assigned to them and of the cases assigned to nobody (the shared pool); the tasks
/// of cases assigned to others are left out.
pub async fn worklist(
    tx: &mut dyn Tx,
    as_of: Date,
    assignee: Option<&str>,
) -> AppResult<Vec<WorkItem>> {
    let book = tx.book(None).await?;
    worklist_of(tx, &book, as_of, assignee).await
}

/// [`worklist`] from a book already loaded.
pub async fn worklist_of(
    tx: &mut dyn Tx,
    book: &Book,
    as_of: Date,
    assignee: Option<&str>,
) -> AppResult<Vec<WorkItem>> {
    let scenarios = crate::scenarios::current(tx).await?;
    let today = day_number(as_of);
    let owners: HashMap<DebtorId, String> = tx
        .cases()
        .await?
        .into_iter()
        .filter_map(|c| Some((c.debtor_id, c.owner?)))
        .collect();
    let tasks: Vec<StoredAction> = tx
        .actions(&ActionFilter {
            statuses: vec![ActionStatus::Draft, ActionStatus::Planned],
            ..ActionFilter::default()
        })
        .await?
        .into_iter()
        .filter(needs_person)
        .filter(|a| assignee.is_none_or(|who| owners.get(&a.debtor_id).is_none_or(|o| o == who)))
        .collect();
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    let history = histories(book, today);
    let claims: HashMap<ClaimId, &domain::book::BookClaim> =
        book.claims().iter().map(|c| (c.id, c)).collect();
    let names: HashMap<DebtorId, String> = tx
        .debtors(None)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let insurers: HashMap<i64, String> = tx
        .financing_parties()
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut items = Vec::with_capacity(tasks.len());
    for a in tasks {
        let name = names.get(&a.debtor_id).cloned().unwrap_or_default();
        let currency = a.amount.currency();
        let mut open = 0_i64;
        let mut oldest_due: Option<i32> = None;
        for c in a.claims.iter().filter_map(|id| claims.get(id)) {
            let o = book.open_minor(c, today);
            open += o;
            if o > 0 {
                oldest_due = Some(oldest_due.map_or(c.due_day, |d| d.min(c.due_day)));
            }
        }
        let open = Money::from_minor(open.max(0), currency);
        // Days to the next escalation: the next step's offset minus the case's age.
        let step = scenarios
            .get(&a.scenario)
            .and_then(|s| Some((s, s.step(&a.step_code)?)));
        let next = step.and_then(|(s, step)| {
            s.steps()
                .iter()
                .find(|n| n.offset_days > step.offset_days)
                .map(|n| n.offset_days)
        });
        let limitation = limitation_threshold(&a);
        let insurer = (a.scenario == crate::financing::INSURER_SCENARIO)
            .then(|| crate::financing::parse_step(&a.step_code))
            .flatten();
        let urgency_days = match (limitation, next, oldest_due) {
            // A limitation alert is as urgent as the deadline is near; so is an insurer's.
            (Some(threshold), _, _) => day_number(a.created_on) + threshold - today,
            _ if insurer.is_some() => {
                insurer.map_or(0, |(_, deadline)| day_number(deadline) - today)
            }
            (None, Some(offset), Some(due)) => offset - (today - due),
            _ => day_number(a.created_on) - today,
        };
        let likelihood = dunning::recovery_likelihood_per_mille(
            &history.get(&a.debtor_id).copied().unwrap_or_default(),
        );
        items.push(WorkItem {
            action_id: a.id,
            debtor_id: a.debtor_id,
            debtor_name: name,
            step: a.step_code,
            channels: a.channels,
            status: a.status,
            created_on: a.created_on,
            open,
            likelihood_per_mille: likelihood,
            urgency_days,
            priority: dunning::priority(open.minor(), likelihood, urgency_days),
            reason_fr: limitation_reason(limitation, urgency_days, "fr")
                + &insurer_reason(insurer, &insurers, "fr")
                + &dunning::priority_reasons(open, likelihood, urgency_days, "fr"),
            reason_en: limitation_reason(limitation, urgency_days, "en")
                + &insurer_reason(insurer, &insurers, "en")
                + &dunning::priority_reasons(open, likelihood, urgency_days, "en"),
            owner: owners.get(&a.debtor_id).cloned(),
        });
    }
    items.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.action_id.cmp(&b.action_id))
    });
    Ok(items)
}

/// Records that payment data was refreshed on `day` (never moves the date backwards).
pub async fn note_payment_data(tx: &mut dyn Tx, day: Date) -> AppResult<()> {
    let current = tx.setting(PAYMENT_DATA_AS_OF).await?;
    let later = current
        .and_then(|c| c.parse::<Date>().ok())
        .is_some_and(|c| c >= day);
    if !later {
        tx.set_setting(PAYMENT_DATA_AS_OF, &day.to_string()).await?;
    }
    Ok(())
}
