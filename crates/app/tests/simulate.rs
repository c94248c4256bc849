//! The simulation on a small demo portfolio (50 debtors, 300 claims, 60 days): checked
//! against figures worked out here from the generator's ledgers and plans, and against the
//! real daily run on SQLite replayed over the same days.

#![allow(clippy::unwrap_used)]

use domain::date::day_number;
use domain::money::Totals;
use domain::{ClaimId, Date, DebtorId, EntryKind, Money};
use recouvre_app::clock::FixedClock;
use recouvre_app::portfolio::{NoProgress, load_demo};
use recouvre_app::simulate::{SimOptions, SimReport, simulate};
use recouvre_app::store::{ActionFilter, Store};
use std::collections::{BTreeSet, HashMap, HashSet};

fn params() -> demo::DemoParams {
    demo::DemoParams {
        debtors: 50,
        claims: 300,
        seed: 7,
        as_of: Date::new(2026, 6, 30).unwrap(),
    }
}

/// 60 days before the end.
fn from() -> Date {
    Date::new(2026, 5, 1).unwrap()
}

fn run() -> SimReport {
    simulate(
        &params(),
        SimOptions {
            from: from(),
            trace: true,
        },
    )
    .unwrap()
}

/// What is open on each claim at the end of a day, straight from the generator's ledgers.
struct Truth {
    portfolio: demo::Portfolio,
    by_id: HashMap<ClaimId, usize>,
}

impl Truth {
    fn new() -> Self {
        let portfolio = demo::generate(&params());
        let by_id = portfolio
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.claim.id, i))
            .collect();
        Self { portfolio, by_id }
    }

    fn claim(&self, id: ClaimId) -> &demo::DemoClaim {
        &self.portfolio.claims[self.by_id[&id]]
    }

    fn open(&self, id: ClaimId, day: Date) -> i64 {
        self.claim(id).ledger.balance_as_of(day).minor()
    }

    fn debtor_claims(&self, debtor: DebtorId, day: Date) -> impl Iterator<Item = &demo::DemoClaim> {
        self.portfolio
            .claims
            .iter()
            .filter(move |c| c.claim.debtor_id == debtor && c.claim.issue_date <= day)
    }
}

#[test]
fn the_simulation_is_deterministic() {
    let (a, b) = (run(), run());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let (ta, tb) = (a.trace.unwrap(), b.trace.unwrap());
    assert_eq!(ta.actions, tb.actions);
    assert_eq!(ta.closed_paid, tb.closed_paid);
    assert_eq!(ta.cases, tb.cases);
}

#[test]
fn actions_are_unique_and_claim_only_what_is_open_that_day() {
    let report = run();
    let truth = Truth::new();
    let trace = report.trace.as_ref().unwrap();
    assert!(trace.actions.len() > 20, "too few actions to test anything");
    assert_eq!(report.actions, trace.actions.len());

    let mut seen = HashSet::new();
    for a in &trace.actions {
        assert!(
            seen.insert((a.debtor_id, a.step_code.clone(), a.cycle, a.created_on)),
            "duplicate action {a:?}"
        );
        let day = a.created_on;
        assert!(from() < day && day <= params().as_of);
        // Every claim of the action is open that day (a payment dated that day counts),
        // and the amount is what is open on them, credits deducted.
        let mut sum = 0;
        for id in &a.claims {
            let open = truth.open(*id, day);
            assert_ne!(open, 0, "{a:?} claims {id}, settled on {day}");
            assert!(truth.claim(*id).claim.issue_date <= day);
            sum += open;
        }
        assert_eq!(Money::from_minor(sum, a.amount.currency()), a.amount);
        // A step after the due date claims at least one claim overdue and unpaid that day.
        if a.step_code.starts_with("d+") {
            assert!(
                a.claims.iter().any(|id| {
                    truth.open(*id, day) > 0 && truth.claim(*id).claim.due_date < day
                })
            );
        }
    }

    // The days when a payment cleared a debtor's last overdue claim: nothing after the due
    // date goes to that debtor that day.
    let mut cleared = 0;
    let after_due: HashSet<(DebtorId, Date)> = trace
        .actions
        .iter()
        .filter(|a| a.step_code.starts_with("d+"))
        .map(|a| (a.debtor_id, a.created_on))
        .collect();
    for d in &truth.portfolio.debtors {
        let id = d.debtor.id;
        let mut day = from();
        while day < params().as_of {
            day = day.tomorrow().unwrap();
            let yesterday = day.yesterday().unwrap();
            let overdue_at = |at: Date| {
                truth
                    .debtor_claims(id, at)
                    .filter(|c| c.claim.due_date < day && c.ledger.balance_as_of(at).minor() > 0)
                    .count()
            };
            // Overdue last night (by today's due dates), nothing overdue tonight, and a
            // payment today.
            let paid_today = truth.debtor_claims(id, day).any(|c| {
                c.ledger
                    .entries()
                    .iter()
                    .any(|e| e.kind == EntryKind::Payment && e.date == day)
            });
            if paid_today && overdue_at(yesterday) > 0 && overdue_at(day) == 0 {
                cleared += 1;
                assert!(
                    !after_due.contains(&(id, day)),
                    "debtor {id} reminded on {day}, the day it paid its overdue claims"
                );
            }
        }
    }
    assert!(cleared > 0, "no day tests the rule");
}

#[test]
fn paid_cases_are_closed_and_open_ones_owe() {
    let report = run();
    let truth = Truth::new();
    let trace = report.trace.as_ref().unwrap();
    assert!(!trace.closed_paid.is_empty());
    assert_eq!(report.cases_closed_paid, trace.closed_paid.len());
    for (day, debtor) in &trace.closed_paid {
        assert!(
            truth
                .debtor_claims(*debtor, *day)
                .all(|c| c.ledger.balance_as_of(*day).minor() <= 0),
            "debtor {debtor} closed on {day} while owing"
        );
    }
    let end = params().as_of;
    for (debtor, case) in &trace.cases {
        let owes = truth
            .debtor_claims(*debtor, end)
            .any(|c| c.ledger.balance_as_of(end).minor() > 0);
        assert_eq!(
            owes,
            !case.stage.is_closed(),
            "debtor {debtor}: case {case:?}"
        );
    }
}

#[test]
fn cash_and_balances_match_the_generator() {
    let report = run();
    let truth = Truth::new();
    let (low, high) = (from(), params().as_of);
    // Cash: the payments of the ledgers dated in the period, and the same from the plans'
    // schedules (the ledger holds every scheduled settlement dated up to the end).
    let mut from_ledgers = Totals::new();
    let mut from_plans = Totals::new();
    let mut open_end = Totals::new();
    let mut overdue_end = Totals::new();
    for c in &truth.portfolio.claims {
        let currency = c.claim.currency;
        for e in c.ledger.entries() {
            if e.kind == EntryKind::Payment && low < e.date && e.date <= high {
                from_ledgers.add_minor(currency, -e.amount_minor);
            }
        }
        let invoiced = c.ledger.entries()[0].amount_minor;
        for s in c
            .plan
            .schedule(c.claim.issue_date, c.claim.due_date, invoiced)
        {
            if s.kind == EntryKind::Payment && low < s.date && s.date <= high {
                from_plans.add_minor(currency, s.amount_minor);
            }
        }
        let open = c.ledger.balance_as_of(high).minor();
        if open > 0 {
            open_end.add_minor(currency, open);
            if c.claim.due_date < high {
                overdue_end.add_minor(currency, open);
            }
        }
    }
    let cash: Vec<Money> = from_ledgers.iter().collect();
    assert!(!cash.is_empty() && cash.iter().all(|m| m.minor() > 0));
    assert_eq!(report.cash_collected, cash);
    assert_eq!(from_plans.iter().collect::<Vec<_>>(), cash);
    assert_eq!(report.end.open, open_end.iter().collect::<Vec<_>>());
    assert_eq!(report.end.overdue, overdue_end.iter().collect::<Vec<_>>());
    // DSO = receivables / sales of the 90 days × 90, here from the figures above.
    for dso in &report.end.dso {
        let sales: i64 = truth
            .portfolio
            .claims
            .iter()
            .filter(|c| {
                c.claim.currency == dso.currency
                    && c.claim.issue_date <= high
                    && day_number(high) - day_number(c.claim.issue_date) < 90
            })
            .map(|c| c.ledger.entries()[0].amount_minor)
            .sum();
        assert_eq!(dso.credit_sales_90d.minor(), sales);
        assert_eq!(dso.receivables, open_end.get(dso.currency));
        // In tenths of a day, rounded half up: receivables × 900 / sales.
        let tenths = (dso.receivables.minor() * 900 * 2 + sales) / (2 * sales);
        assert_eq!(
            dso.days,
            Some(rust_decimal::Decimal::new(tenths, 1)),
            "{dso:?}"
        );
    }
}

/// The real run, day after day on SQLite, decides and records exactly what the simulation
/// keeps in memory.
#[test]
fn the_simulation_records_what_the_daily_run_would() {
    let report = run();
    let trace = report.trace.unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim.db");
    let stored = rt.block_on(async {
        let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-05-01T06:00:00Z")
            .await
            .unwrap();
        // The portfolio as of the end, whose entries dated later than a run's day the run
        // does not see; payment data counts as fresh (refreshed on the last day).
        load_demo(&store, &FixedClock(params().as_of), &params(), &NoProgress)
            .await
            .unwrap();
        let mut day = from();
        while day < params().as_of {
            day = day.tomorrow().unwrap();
            recouvre_app::dunning::run(&store, &FixedClock(day), Default::default())
                .await
                .unwrap();
        }
        let mut tx = store.begin().await.unwrap();
        let actions = tx.actions(&ActionFilter::default()).await.unwrap();
        let cases = tx.cases().await.unwrap();
        (actions, cases)
    });
    let key = |a: &recouvre_app::store::StoredAction| {
        (
            a.created_on,
            a.debtor_id,
            a.cycle,
            a.step_code.clone(),
            a.channels.to_string(),
            a.claims.clone(),
            a.amount.to_string(),
            a.stage_after.to_string(),
            a.status,
        )
    };
    let run_actions: BTreeSet<_> = stored.0.iter().map(key).collect();
    let sim_actions: BTreeSet<_> = trace.actions.iter().map(key).collect();
    assert_eq!(stored.0.len(), trace.actions.len());
    assert_eq!(run_actions, sim_actions);
    let run_cases: Vec<_> = stored
        .1
        .iter()
        .map(|c| (c.debtor_id, c.scenario.clone(), c.stage, c.cycle))
        .collect();
    let sim_cases: Vec<_> = trace
        .cases
        .values()
        .map(|c| (c.debtor_id, c.scenario.clone(), c.stage, c.cycle))
        .collect();
    assert_eq!(run_cases, sim_cases);
}
