//! Which reminders work: for each scenario step and template, what happened on the claims
//! an action named in the 7 and 30 days after it, against a no-action baseline.
//!
//! Baseline: the claims that became overdue in the period (the day after their due date
//! is in it) while their debtor received no action from 30 days before that day to 30
//! days after — what debtors pay of their own accord in the first days of lateness (their
//! "self-cure" rate). It is the natural yardstick for a reminder; its limit (a first
//! reminder meets debtors on the same day of lateness, a formal notice meets the ones who
//! did not pay for weeks) is stated beside it in `docs/kpis.md`.

use super::percent;
use crate::book::Book;
use crate::date::{Date, day_number};
use crate::dunning::Channels;
use crate::ids::{ClaimId, DebtorId};
use crate::ledger::EntryKind;
use crate::money::{Money, Totals};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Days after the action (or the due date, for the baseline) at which outcomes are read.
const SHORT: i32 = 7;
const LONG: i32 = 30;

/// A dunning action as the analytics read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFact {
    pub debtor: DebtorId,
    pub scenario: String,
    pub step: String,
    pub template: String,
    pub channels: Channels,
    /// The claims it named.
    pub claims: Vec<ClaimId>,
    /// The day it was decided.
    pub day: Date,
}

/// What the actions of one step and template (or the baseline) were followed by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectivenessRow {
    /// `None` for the baseline.
    pub scenario: Option<String>,
    pub step: Option<String>,
    pub template: Option<String>,
    pub actions: u64,
    /// Distinct cases (debtors) touched.
    pub cases: u64,
    /// Actions (baseline: claims) at least 7 days old, whose 7-day outcome is known.
    pub observed_7: u64,
    pub paid_fully_7: u64,
    pub paid_partly_7: u64,
    pub observed_30: u64,
    pub paid_fully_30: u64,
    pub paid_partly_30: u64,
    /// `paid_fully_30 / observed_30`, in percent.
    pub fully_rate_30: Option<Decimal>,
    /// `(paid_fully_30 + paid_partly_30) / observed_30`, in percent.
    pub any_rate_30: Option<Decimal>,
    /// Paid on the named claims within 7 and 30 days, per currency.
    pub recovered_7: Vec<Money>,
    pub recovered_30: Vec<Money>,
}

/// The effectiveness table of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectivenessReport {
    pub from: Date,
    pub to: Date,
    /// Outcomes are read up to this day (later payments are not known yet).
    pub as_of: Date,
    /// By scenario, step and template.
    pub rows: Vec<EffectivenessRow>,
    pub baseline: EffectivenessRow,
}

#[derive(Default)]
struct Acc {
    actions: u64,
    cases: HashSet<DebtorId>,
    obs: [u64; 2],
    full: [u64; 2],
    part: [u64; 2],
    recovered: [Totals; 2],
}

impl Acc {
    /// One observation from `day`: the claims open then and what came of them.
    fn observe(&mut self, book: &Book, claims: &[ClaimId], day: i32, as_of: i32) {
        let found: Vec<_> = claims.iter().filter_map(|id| book.claim(*id)).collect();
        let open: i64 = found.iter().map(|c| book.open_minor(c, day).max(0)).sum();
        if open <= 0 {
            return;
        }
        for (i, horizon) in [SHORT, LONG].into_iter().enumerate() {
            let until = day + horizon;
            if until > as_of {
                continue;
            }
            let mut paid = Totals::new();
            let mut any = false;
            for c in &found {
                for e in book.entries_of(c) {
                    if e.kind == EntryKind::Payment && e.day > day && e.day <= until {
                        paid.add_minor(c.currency, -e.amount_minor);
                        any = true;
                    }
                }
            }
            let left: i64 = found.iter().map(|c| book.open_minor(c, until).max(0)).sum();
            self.obs[i] += 1;
            if left == 0 {
                self.full[i] += 1;
            } else if any {
                self.part[i] += 1;
            }
            self.recovered[i].merge(&paid);
        }
    }

    fn row(
        self,
        scenario: Option<String>,
        step: Option<String>,
        template: Option<String>,
    ) -> EffectivenessRow {
        let [r7, r30] = self.recovered;
        EffectivenessRow {
            scenario,
            step,
            template,
            actions: self.actions,
            cases: u64::try_from(self.cases.len()).unwrap_or(u64::MAX),
            observed_7: self.obs[0],
            paid_fully_7: self.full[0],
            paid_partly_7: self.part[0],
            observed_30: self.obs[1],
            paid_fully_30: self.full[1],
            paid_partly_30: self.part[1],
            fully_rate_30: percent(self.full[1].into(), self.obs[1].into()),
            any_rate_30: percent((self.full[1] + self.part[1]).into(), self.obs[1].into()),
            recovered_7: r7.iter().collect(),
            recovered_30: r30.iter().collect(),
        }
    }
}

/// The effectiveness of the actions decided in `from..=to`, their outcomes read up to
/// `as_of`.
pub fn effectiveness(
    book: &Book,
    actions: &[ActionFact],
    from: Date,
    to: Date,
    as_of: Date,
) -> EffectivenessReport {
    let (low, high, now) = (day_number(from), day_number(to), day_number(as_of));
    let mut groups: BTreeMap<(String, String, String), Acc> = BTreeMap::new();
    let mut action_days: HashMap<DebtorId, Vec<i32>> = HashMap::new();
    for a in actions {
        let day = day_number(a.day);
        action_days.entry(a.debtor).or_default().push(day);
        if !(low..=high).contains(&day) {
            continue;
        }
        let g = groups
            .entry((a.scenario.clone(), a.step.clone(), a.template.clone()))
            .or_default();
        g.actions += 1;
        g.cases.insert(a.debtor);
        g.observe(book, &a.claims, day, now);
    }
    let mut base = Acc::default();
    for c in book.claims() {
        let start = c.due_day + 1;
        if !(low..=high).contains(&start) {
            continue;
        }
        let touched = action_days.get(&c.debtor_id).is_some_and(|days| {
            days.iter()
                .any(|d| (start - LONG..=start + LONG).contains(d))
        });
        if touched || book.open_minor(c, c.due_day) <= 0 {
            continue;
        }
        base.actions += 1;
        base.cases.insert(c.debtor_id);
        base.observe(book, &[c.id], c.due_day, now);
    }
    EffectivenessReport {
        from,
        to,
        as_of,
        rows: groups
            .into_iter()
            .map(|((s, st, t), acc)| acc.row(Some(s), Some(st), Some(t)))
            .collect(),
        baseline: base.row(None, None, None),
    }
}
