//! # Simulation: a period of collection replayed day by day, in memory
//!
//! `recouvre simulate --from D1 --to D2` watches a year of dunning in seconds. The demo
//! portfolio is generated as of D2, so every claim's payment plan is played out up to D2
//! (the generator's ledgers hold everything dated up to D2). The simulation starts from
//! the portfolio as it stood at the end of D1 — claims issued by then, ledger entries dated
//! up to then, no dunning case yet (as after `recouvre demo`) — and for each day d after
//! D1 up to D2:
//!
//! 1. the claims issued on d and the entries dated d (payments, credit notes, write-offs)
//!    come into view: the pass reads the book as of d, so a payment dated d is seen before
//!    anyone is reminded that day;
//! 2. payment data counts as refreshed on d (a daily bank statement), so the freshness
//!    gate never holds anything back;
//! 3. the pure decision pass decides for d from the same inputs [`dunning::run`] would
//!    load ([`PassInputs`]), and its decisions are applied by the same rule
//!    ([`dunning::apply_case`]): cases, done steps and contacts are kept in memory exactly
//!    as the store would keep them, an action at most once per (case, cycle, step,
//!    currency, day).
//!
//! The first day decides for every case at once, as the first run on a fresh database
//! does: each owing debtor gets the latest step due, never the ones "missed" before D1.
//!
//! **Limitation: payments do not react to reminders.** Each debtor's payments follow the
//! plan drawn when the portfolio was generated ([`demo::PaymentPlan`]); a reminder changes
//! nothing in them. The simulation therefore measures what dunning *does* (how many
//! actions, on which channels, to whom) on a realistic flow of invoices and payments, not
//! how much sooner it makes debtors pay.
//!
//! DSO, simple method, per currency: receivables open at the end of the day (overdue
//! included) ÷ credit sales invoiced in the 90 days ending that day × 90.

use crate::dunning::{
    self, PassInputs, apply_case, by_case, contacts_of, done_step, new_case, skip_key,
};
use crate::error::{AppError, AppResult};
use crate::store::{StoredAction, StoredCase};
use domain::analytics;
use domain::book::{Book, BookEntry, ClaimHead};
use domain::date::{Date, day_number};
use domain::dunning::{CloseReason, Decision, DunningSettings, ScenarioSet};
use domain::money::{Currency, Money, Totals};
use domain::{ClaimId, Debtor, DebtorId, EntryKind};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the DSO is computed, as printed with it.
pub const DSO_FORMULA: &str = "DSO = receivables open at the end of the day (overdue included) \
     / credit sales invoiced in the 90 days ending that day x 90, per currency";

/// The limitation every report states.
pub const BEHAVIOUR_NOTE: &str = "Payments follow the plans drawn when the portfolio was \
     generated: reminders do not change when debtors pay (yet).";

/// Days of sales the DSO looks back on.
const DSO_DAYS: i32 = 90;

/// What to simulate.
#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// The simulation starts from the end of this day; the first day decided is the next.
    pub from: Date,
    /// Keep every action and closure in [`SimReport::trace`] (tests, analysis).
    pub trace: bool,
}

/// The DSO of one currency on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dso {
    pub currency: Currency,
    pub receivables: Money,
    pub credit_sales_90d: Money,
    /// Rounded half up to a tenth of a day; `None` when nothing was invoiced in the 90
    /// days. A decimal (a string in JSON, like money amounts), never a float.
    pub days: Option<Decimal>,
}

/// The portfolio at the end of one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub date: Date,
    /// Open amounts (claims with something positive open), per currency.
    pub open: Vec<Money>,
    /// The part of `open` past its due date.
    pub overdue: Vec<Money>,
    pub dso: Vec<Dso>,
}

/// What a simulation did.
#[derive(Debug, Clone, Serialize)]
pub struct SimReport {
    /// The starting state is the end of this day.
    pub from: Date,
    /// The last day decided.
    pub to: Date,
    /// Days decided (every day of the period, Sundays and holidays included: the pass
    /// runs daily and keeps SMS and calls off quiet days itself).
    pub days: u32,
    pub debtors: usize,
    /// Claims of the portfolio as of `to`.
    pub claims: usize,
    /// Actions recorded over the period.
    pub actions: usize,
    /// Actions by channel (an action with two channels counts in both).
    pub actions_by_channel: BTreeMap<String, usize>,
    /// Actions by step code.
    pub actions_by_step: BTreeMap<String, usize>,
    /// Steps held back, by reason, summed over the days (a step waiting three days for
    /// the cool-down counts three times).
    pub skips_by_reason: BTreeMap<String, usize>,
    pub cases_assigned: usize,
    /// Cases opened or reopened (a debtor's first case counts as an opening).
    pub cases_opened: usize,
    pub cases_closed_paid: usize,
    /// Payments posted over the period (entries dated after `from`, up to `to`), per
    /// currency.
    pub cash_collected: Vec<Money>,
    pub start: Snapshot,
    pub end: Snapshot,
    pub dso_formula: &'static str,
    pub note: &'static str,
    /// Every action and closure, when asked for ([`SimOptions::trace`]).
    #[serde(skip)]
    pub trace: Option<SimTrace>,
}

/// The detail of a simulation, for tests and analysis.
#[derive(Debug, Clone, Default)]
pub struct SimTrace {
    /// Every action recorded, in order (`created_on` is its day).
    pub actions: Vec<StoredAction>,
    /// Cases closed as paid: the day and the debtor.
    pub closed_paid: Vec<(Date, DebtorId)>,
    /// Every case at the end, by debtor.
    pub cases: BTreeMap<DebtorId, StoredCase>,
}

/// The demo portfolio as the simulation reads it: its debtors and its book as of
/// `params.as_of` (every entry dated up to then).
pub fn demo_book(params: &demo::DemoParams) -> (Vec<Debtor>, Book) {
    let generator = demo::Generator::new(params);
    let mut debtors = Vec::with_capacity(generator.debtor_count());
    let mut heads = Vec::with_capacity(generator.claim_count());
    let mut entries: Vec<(ClaimId, BookEntry)> = Vec::with_capacity(generator.claim_count() * 2);
    for account in generator.accounts() {
        debtors.push(account.debtor.debtor);
        for c in account.claims {
            heads.push(ClaimHead {
                id: c.claim.id,
                debtor_id: c.claim.debtor_id,
                currency: c.claim.currency,
                issue_date: c.claim.issue_date,
                due_date: c.claim.due_date,
            });
            entries.extend(c.ledger.entries().iter().map(|e| {
                (
                    c.claim.id,
                    BookEntry {
                        day: day_number(e.date),
                        kind: e.kind,
                        amount_minor: e.amount_minor,
                    },
                )
            }));
        }
    }
    // Accounts come in debtor order and a debtor's claims in id order, and claim ids are
    // given in that same order: both lists are already sorted by claim id.
    let book = match Book::from_sorted(heads, entries) {
        Ok(book) => book,
        Err(e) => unreachable!("the demo generator numbers claims in order: {e}"),
    };
    (debtors, book)
}

/// The portfolio at the end of `date`. The DSO is the simple one of
/// [`domain::analytics::dso_simple`] over 90 days, the method `recouvre report kpis`
/// states too.
pub fn snapshot(book: &Book, date: Date) -> Snapshot {
    let (open, current) = analytics::receivables(book, day_number(date));
    let mut overdue = open.clone();
    for m in current.iter() {
        overdue.add_minor(m.currency(), -m.minor());
    }
    let dso = analytics::dso_simple(book, date, DSO_DAYS)
        .into_iter()
        .map(|d| Dso {
            currency: d.currency,
            receivables: d.receivables,
            credit_sales_90d: d.credit_sales,
            days: d.days,
        })
        .collect();
    Snapshot {
        date,
        open: open.iter().collect(),
        overdue: overdue.iter().filter(|m| !m.is_zero()).collect(),
        dso,
    }
}

/// Simulates every day after `options.from` up to `params.as_of` on the demo portfolio of
/// `params` (see the module documentation).
pub fn simulate(params: &demo::DemoParams, options: SimOptions) -> AppResult<SimReport> {
    let (from, to) = (options.from, params.as_of);
    if from >= to {
        return Err(AppError::Invalid(domain::tr!(
            "the simulation needs --from ({from}) before --to ({to})",
            "la simulation demande --from ({from}) avant --to ({to})"
        )));
    }
    let scenarios = ScenarioSet::defaults().map_err(|e| AppError::Invalid(e.to_string()))?;
    let (debtors, book) = demo_book(params);
    let creditor_of: HashMap<DebtorId, domain::CreditorId> =
        debtors.iter().map(|d| (d.id, d.creditor_id)).collect();

    let mut report = SimReport {
        from,
        to,
        days: 0,
        debtors: debtors.len(),
        claims: book.len(),
        actions: 0,
        actions_by_channel: BTreeMap::new(),
        actions_by_step: BTreeMap::new(),
        skips_by_reason: BTreeMap::new(),
        cases_assigned: 0,
        cases_opened: 0,
        cases_closed_paid: 0,
        cash_collected: Vec::new(),
        start: snapshot(&book, from),
        end: snapshot(&book, to),
        dso_formula: DSO_FORMULA,
        note: BEHAVIOUR_NOTE,
        trace: None,
    };
    let mut trace = options.trace.then(SimTrace::default);

    // What the store would hold: cases, done steps (by debtor and step code: the cycle
    // and the day; a step of an older cycle is never read again), and the actions recent
    // enough to count as contacts.
    let mut cases: HashMap<DebtorId, StoredCase> = HashMap::new();
    let mut steps: BTreeMap<(DebtorId, String), (i64, Date)> = BTreeMap::new();
    let mut recent: Vec<StoredAction> = Vec::new();
    let mut keys: HashSet<(DebtorId, i64, String, Currency)> = HashSet::new();

    let mut day = from;
    while day < to {
        day = day
            .tomorrow()
            .map_err(|e| AppError::Invalid(format!("no day after {day}: {e}")))?;
        report.days += 1;
        let settings = DunningSettings {
            last_payment_import: Some(day),
            ..DunningSettings::default()
        };
        let current: Vec<_> = steps
            .iter()
            .filter(|((debtor, _), (cycle, _))| {
                cases.get(debtor).is_some_and(|c| c.cycle == *cycle)
            })
            .map(|((debtor, code), (cycle, on))| crate::store::StoredStep {
                debtor_id: *debtor,
                cycle: *cycle,
                step_code: code.clone(),
                done_on: *on,
            })
            .collect();
        let inputs = PassInputs::new(&debtors, &cases, &book, current, &recent, day);
        let done = inputs.done_steps();
        let case_inputs = inputs.cases(&done);
        let decisions = domain::dunning::decide(&scenarios, &settings, day, &case_inputs);
        drop(case_inputs);
        drop(done);
        drop(inputs);

        let stamp = day.to_string();
        keys.clear();
        for group in by_case(&decisions) {
            let debtor = DebtorId(group[0].case().0);
            for decision in group {
                match decision {
                    Decision::Assign { .. } => report.cases_assigned += 1,
                    Decision::Reopen { .. } => report.cases_opened += 1,
                    Decision::Close { reason, .. } => {
                        if *reason == CloseReason::Paid {
                            report.cases_closed_paid += 1;
                            if let Some(t) = trace.as_mut() {
                                t.closed_paid.push((day, debtor));
                            }
                        }
                    }
                    Decision::Skip(s) => {
                        *report
                            .skips_by_reason
                            .entry(skip_key(&s.reason))
                            .or_default() += 1;
                    }
                    Decision::Action(_) => {}
                }
            }
            let mut state = cases.get(&debtor).cloned().unwrap_or_else(|| {
                new_case(
                    debtor,
                    creditor_of
                        .get(&debtor)
                        .copied()
                        .unwrap_or(domain::CreditorId(0)),
                )
            });
            let change = apply_case(&mut state, group, day, &stamp);
            for action in change.actions {
                // The store's unique key: (debtor, cycle, step, currency, day).
                let key = (
                    debtor,
                    action.cycle,
                    action.step_code.clone(),
                    action.amount.currency(),
                );
                let step = done_step(&action);
                steps.insert((debtor, step.step_code), (step.cycle, step.done_on));
                if !keys.insert(key) {
                    continue;
                }
                report.actions += 1;
                for channel in action.channels.iter() {
                    *report
                        .actions_by_channel
                        .entry(channel.as_str().to_string())
                        .or_default() += 1;
                }
                *report
                    .actions_by_step
                    .entry(action.step_code.clone())
                    .or_default() += 1;
                if let Some(t) = trace.as_mut() {
                    t.actions.push(action.clone());
                }
                if contacts_of(&action).next().is_some() {
                    recent.push(action);
                }
            }
            if change.changed {
                cases.insert(debtor, state);
            }
        }
        // Contacts older than the window the run loads never matter again.
        let since = day_number(day) - dunning::CONTACT_WINDOW_DAYS;
        recent.retain(|a| day_number(a.created_on) >= since);
    }

    let (low, high) = (day_number(from), day_number(to));
    let mut cash = Totals::new();
    for c in book.claims() {
        for e in book.entries_of(c) {
            if e.kind == EntryKind::Payment && low < e.day && e.day <= high {
                // Payments are negative in the ledger: cash in is their opposite.
                cash.add_minor(c.currency, -e.amount_minor);
            }
        }
    }
    report.cash_collected = cash.iter().collect();
    if let Some(t) = trace.as_mut() {
        t.cases = cases.into_iter().collect();
    }
    report.trace = trace;
    Ok(report)
}
