//! The KPIs of a period, per currency. Definitions, with sources, in `docs/kpis.md`.

use super::{percent, settlement, tenths};
use crate::book::Book;
use crate::date::{Date, date_of_day, day_number};
use crate::dunning::Channel;
use crate::ledger::EntryKind;
use crate::money::{Currency, Money, Totals};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How many months the countback DSO may walk back before giving up.
const COUNTBACK_MONTHS: i32 = 36;

/// The simple DSO of one currency at the end of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DsoFigure {
    pub currency: Currency,
    /// Open at the end of the last day (overdue included).
    pub receivables: Money,
    /// Invoiced on the claims issued in the period.
    pub credit_sales: Money,
    /// `receivables / credit_sales × days`, to a tenth; `None` without sales.
    pub days: Option<Decimal>,
}

/// Credit sales of the period `from..=to` per currency: the invoice entries (dated up to
/// `to`) of the claims issued in the period.
pub fn period_sales(book: &Book, from: Date, to: Date) -> Totals {
    let (low, high) = (day_number(from), day_number(to));
    let mut sales = Totals::new();
    for c in book.claims() {
        if (low..=high).contains(&c.issue_day) {
            for e in book.entries_of(c) {
                if e.kind == EntryKind::Invoice && e.day <= high {
                    sales.add_minor(c.currency, e.amount_minor);
                }
            }
        }
    }
    sales
}

/// Receivables at the end of `day` (a day number), per currency: (open, the part not yet
/// due, i.e. whose due date is `day` or later).
pub fn receivables(book: &Book, day: i32) -> (Totals, Totals) {
    let (mut open, mut current) = (Totals::new(), Totals::new());
    for c in book.claims() {
        if c.issue_day > day {
            continue;
        }
        let o = book.open_minor(c, day);
        if o > 0 {
            open.add_minor(c.currency, o);
            if c.due_day >= day {
                current.add_minor(c.currency, o);
            }
        }
    }
    (open, current)
}

/// DSO by the simple method at the end of `to`, over the `days` days ending then:
/// receivables ÷ credit sales of those days × days, per currency. The demo's simulation
/// prints this one (90 days).
pub fn dso_simple(book: &Book, to: Date, days: i32) -> Vec<DsoFigure> {
    let from = date_of_day(day_number(to) - days + 1).unwrap_or(to);
    let (open, _) = receivables(book, day_number(to));
    let sales = period_sales(book, from, to);
    currencies(&[&open, &sales])
        .into_iter()
        .map(|currency| {
            let (r, s) = (open.get(currency), sales.get(currency));
            DsoFigure {
                currency,
                receivables: r,
                credit_sales: s,
                days: (s.minor() > 0)
                    .then(|| tenths(i128::from(r.minor()) * i128::from(days), s.minor().into()))
                    .flatten(),
            }
        })
        .collect()
}

fn currencies(sets: &[&Totals]) -> Vec<Currency> {
    let mut v: Vec<Currency> = sets
        .iter()
        .flat_map(|t| t.iter().map(|m| m.currency()))
        .collect();
    v.sort_by_key(|c| c.code());
    v.dedup();
    v
}

/// What one action costs on each channel, in one currency (settings
/// `cost_per_action.<channel>`, see `docs/kpis.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCosts {
    pub currency: Currency,
    /// Minor units per action on the channel; a channel not listed costs nothing.
    pub per_channel: BTreeMap<Channel, i64>,
}

impl Default for UnitCosts {
    /// Orders of magnitude for a French SME in 2026 (a credit manager sets their own):
    /// e-mail 0.10 €, SMS 0.08 €, letter 1.50 €, registered letter 7.00 €, call 4.00 €
    /// (ten minutes of a collector), formal notice 8.00 €, legal review 25.00 €; an agency
    /// hand-off costs nothing here (the agency's commission is a fee on the ledger).
    fn default() -> Self {
        let per_channel = [
            (Channel::Email, 10),
            (Channel::Sms, 8),
            (Channel::Letter, 1_50),
            (Channel::RegisteredLetter, 7_00),
            (Channel::PhoneTask, 4_00),
            (Channel::FormalNotice, 8_00),
            (Channel::AgencyHandoff, 0),
            (Channel::LegalReviewTask, 25_00),
        ]
        .into_iter()
        .collect();
        Self {
            currency: Currency::EUR,
            per_channel,
        }
    }
}

/// Cost of collection over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostOfCollection {
    /// Actions per channel (an action on two channels counts on both).
    pub actions_by_channel: BTreeMap<String, u64>,
    /// Σ actions × unit cost, in the unit costs' currency.
    pub actions_cost: Money,
    /// Fee entries booked in the period, per currency (collection costs: agency, bailiff).
    pub fees: Vec<Money>,
    /// `actions_cost + fees` per currency.
    pub total: Vec<Money>,
}

/// The KPIs of one currency over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyKpis {
    pub currency: Currency,
    /// Open at the end of the day before the period.
    pub receivables_start: Money,
    /// Open at the end of the period.
    pub receivables_end: Money,
    /// The part of `receivables_end` not yet due.
    pub current_end: Money,
    pub credit_sales: Money,
    /// Payments booked in the period.
    pub collected: Money,
    /// `receivables_end / credit_sales × days`.
    pub dso_simple: Option<Decimal>,
    /// Countback: months of sales, newest first, it takes to account for `receivables_end`.
    pub dso_countback: Option<Decimal>,
    /// `current_end / credit_sales × days`.
    pub best_possible_dso: Option<Decimal>,
    /// `dso_simple − best_possible_dso`, computed before rounding: overdue receivables ÷
    /// credit sales × days.
    pub average_days_delinquent: Option<Decimal>,
    /// Collection effectiveness index, in percent.
    pub cei: Option<Decimal>,
    /// Open at the end of its due day, on the claims that became overdue in the period.
    pub became_overdue: Money,
    /// Paid, by the end of the period, on those claims after their due day.
    pub recovered: Money,
    /// `recovered / became_overdue`, in percent.
    pub recovery_rate: Option<Decimal>,
    /// Claims settled by a payment in the period.
    pub paid_claims: u64,
    /// Of which settled after their due date.
    pub paid_late: u64,
    /// `paid_late / paid_claims`, in percent.
    pub share_paid_late: Option<Decimal>,
    /// Mean days from issue to settlement of the paid claims.
    pub average_days_to_collect: Option<Decimal>,
    /// Mean days past due at settlement (0 for one paid on time) of the paid claims.
    pub average_days_late: Option<Decimal>,
    pub write_offs: Money,
    pub written_off_claims: u64,
}

/// The KPIs of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kpis {
    pub from: Date,
    pub to: Date,
    /// Days in the period, both ends included.
    pub days: i32,
    pub currencies: Vec<CurrencyKpis>,
    pub cost: CostOfCollection,
}

#[derive(Debug, Default)]
struct Acc {
    became_overdue: i64,
    recovered: i64,
    paid: u64,
    paid_late: u64,
    days_to_collect: i64,
    days_late: i64,
    write_offs: i64,
    written_off: u64,
    collected: i64,
    fees: i64,
}

/// The KPIs of `from..=to`. `actions` are the days and channels of the dunning actions
/// carried out (skipped ones excluded by the caller).
pub fn kpis(
    book: &Book,
    from: Date,
    to: Date,
    actions: &[(Date, crate::dunning::Channels)],
    costs: &UnitCosts,
) -> Kpis {
    let (low, high) = (day_number(from), day_number(to));
    let days = high - low + 1;
    let (start, _) = receivables(book, low - 1);
    let (end, current) = receivables(book, high);
    let sales = period_sales(book, from, to);
    let mut acc: HashMap<Currency, Acc> = HashMap::new();
    for c in book.claims() {
        if c.issue_day > high {
            continue;
        }
        let entries = book.entries_of(c);
        let a = acc.entry(c.currency).or_default();
        for e in entries {
            if (low..=high).contains(&e.day) {
                match e.kind {
                    EntryKind::Payment => a.collected -= e.amount_minor,
                    EntryKind::WriteOff => a.write_offs -= e.amount_minor,
                    EntryKind::Fee => a.fees += e.amount_minor,
                    _ => {}
                }
            }
        }
        if entries
            .iter()
            .any(|e| e.kind == EntryKind::WriteOff && (low..=high).contains(&e.day))
        {
            a.written_off += 1;
        }
        // Became overdue in the period: the day after the due date is in it.
        if (low..=high).contains(&(c.due_day + 1)) {
            let open = book.open_minor(c, c.due_day);
            if open > 0 {
                a.became_overdue += open;
                let paid: i64 = entries
                    .iter()
                    .filter(|e| e.kind == EntryKind::Payment && e.day > c.due_day && e.day <= high)
                    .map(|e| -e.amount_minor)
                    .sum();
                a.recovered += paid.min(open);
            }
        }
        // Settled by a payment in the period: only a claim with a payment in it can be.
        let paid_in_period = entries
            .iter()
            .any(|e| e.kind == EntryKind::Payment && (low..=high).contains(&e.day));
        if paid_in_period
            && let Some((day, true)) = settlement(book, c, high)
            && day >= low
        {
            a.paid += 1;
            a.days_to_collect += i64::from(day - c.issue_day);
            let late = day - c.due_day;
            if late > 0 {
                a.paid_late += 1;
                a.days_late += i64::from(late);
            }
        }
    }
    let countback = countback_sales(book, to);
    let mut out = Vec::new();
    let all = currencies(&[&start, &end, &sales]);
    for currency in all {
        let a = acc.remove(&currency).unwrap_or_default();
        let (br, er, ecr, cs) = (
            start.get(currency).minor(),
            end.get(currency).minor(),
            current.get(currency).minor(),
            sales.get(currency).minor(),
        );
        let d = i128::from(days);
        let dso = tenths(i128::from(er) * d, cs.into());
        let best = tenths(i128::from(ecr) * d, cs.into());
        out.push(CurrencyKpis {
            currency,
            receivables_start: Money::from_minor(br, currency),
            receivables_end: Money::from_minor(er, currency),
            current_end: Money::from_minor(ecr, currency),
            credit_sales: Money::from_minor(cs, currency),
            collected: Money::from_minor(a.collected, currency),
            dso_simple: dso,
            dso_countback: countback_dso(er, countback.get(&currency).map(Vec::as_slice)),
            best_possible_dso: best,
            average_days_delinquent: tenths(i128::from(er - ecr) * d, cs.into()),
            cei: percent(
                i128::from(br) + i128::from(cs) - i128::from(er),
                i128::from(br) + i128::from(cs) - i128::from(ecr),
            ),
            became_overdue: Money::from_minor(a.became_overdue, currency),
            recovered: Money::from_minor(a.recovered, currency),
            recovery_rate: percent(a.recovered.into(), a.became_overdue.into()),
            paid_claims: a.paid,
            paid_late: a.paid_late,
            share_paid_late: percent(a.paid_late.into(), a.paid.into()),
            average_days_to_collect: tenths(a.days_to_collect.into(), a.paid.into()),
            average_days_late: tenths(a.days_late.into(), a.paid.into()),
            write_offs: Money::from_minor(a.write_offs, currency),
            written_off_claims: a.written_off,
        });
    }
    let cost = cost_of_collection(book, low, high, actions, costs);
    Kpis {
        from,
        to,
        days,
        currencies: out,
        cost,
    }
}

fn cost_of_collection(
    book: &Book,
    low: i32,
    high: i32,
    actions: &[(Date, crate::dunning::Channels)],
    costs: &UnitCosts,
) -> CostOfCollection {
    let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
    let mut actions_cost = 0i64;
    for (day, channels) in actions {
        if !(low..=high).contains(&day_number(*day)) {
            continue;
        }
        for ch in channels.iter() {
            *by_channel.entry(ch.as_str().to_string()).or_default() += 1;
            actions_cost += costs.per_channel.get(&ch).copied().unwrap_or(0);
        }
    }
    let mut fees = Totals::new();
    for c in book.claims() {
        for e in book.entries_of(c) {
            if e.kind == EntryKind::Fee && (low..=high).contains(&e.day) {
                fees.add_minor(c.currency, e.amount_minor);
            }
        }
    }
    let mut total = fees.clone();
    total.add_minor(costs.currency, actions_cost);
    CostOfCollection {
        actions_by_channel: by_channel,
        actions_cost: Money::from_minor(actions_cost, costs.currency),
        fees: fees.iter().collect(),
        total: total.iter().filter(|m| !m.is_zero()).collect(),
    }
}

/// Sales per calendar month going back from the month of `to` (index 0: its first day up
/// to `to`), with each month's length in days, per currency.
fn countback_sales(book: &Book, to: Date) -> HashMap<Currency, Vec<(i64, i32)>> {
    let high = day_number(to);
    // Month starts, newest first: index k covers starts[k] ..= (starts[k-1] - 1, or `to`).
    let mut starts = vec![day_number(to.first_of_month())];
    let mut m = to.first_of_month();
    for _ in 1..COUNTBACK_MONTHS {
        match m.checked_sub(jiff::Span::new().months(1)) {
            Ok(d) => {
                m = d;
                starts.push(day_number(d));
            }
            Err(_) => break,
        }
    }
    let lengths: Vec<i32> = (0..starts.len())
        .map(|k| {
            let end = if k == 0 { high } else { starts[k - 1] - 1 };
            end - starts[k] + 1
        })
        .collect();
    let oldest = *starts.last().unwrap_or(&high);
    let mut out: HashMap<Currency, Vec<(i64, i32)>> = HashMap::new();
    for c in book.claims() {
        if c.issue_day > high || c.issue_day < oldest {
            continue;
        }
        // starts is descending: the first start not after the issue day.
        let k = starts.partition_point(|s| *s > c.issue_day);
        let v = out
            .entry(c.currency)
            .or_insert_with(|| lengths.iter().map(|l| (0, *l)).collect());
        for e in book.entries_of(c) {
            if e.kind == EntryKind::Invoice && e.day <= high {
                v[k].0 += e.amount_minor;
            }
        }
    }
    out
}

/// The countback ("exhaustion") DSO: subtract each month's sales from the receivables,
/// newest month first, counting its days, until what is left is less than a month's
/// sales, which counts for its share of that month's days.
fn countback_dso(receivables: i64, months: Option<&[(i64, i32)]>) -> Option<Decimal> {
    let months = months?;
    let mut left = i128::from(receivables);
    if left <= 0 {
        return Some(Decimal::ZERO);
    }
    let mut whole_days: i128 = 0;
    for &(sales, days) in months {
        let (s, d) = (i128::from(sales), i128::from(days));
        if s <= 0 {
            whole_days += d;
            continue;
        }
        if left > s {
            left -= s;
            whole_days += d;
        } else {
            // whole_days + left / s × d, in one rounding.
            return tenths(whole_days * s + left * d, s);
        }
    }
    // Receivables older than the months looked at: not a meaningful figure.
    None
}
