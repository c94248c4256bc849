//! # Analytics: the figures a credit manager steers by
//!
//! Every figure here is a pure function of the ledger in memory ([`Book`]), plain facts
//! about debtors and dunning actions, and dates: the aged balance as of any date, grouped
//! by debtor, creditor, currency, country, segment, collector or financing ([`aged_by`]); the KPIs
//! of a period ([`kpis`]: DSO by two methods, best possible DSO, average days
//! delinquent, CEI, recovery rate, time to collect, share paid late, write-offs, cost of
//! collection); what each dunning step and template achieves ([`effectiveness`]); the
//! receipts expected over the next 13 weeks ([`forecast`]); cash collected month by month
//! ([`collections_by_month`]); the statutory table of payment terms of the management
//! report, C. com. D441-6 ([`payment_terms`]).
//!
//! Amounts in different currencies are never added: every money figure is per currency.
//! Day counts and ratios are exact decimals rounded half up to a tenth (never floats).
//! The formulas, in French and English, with their sources, are in `docs/kpis.md`.

mod effectiveness;
mod forecast;
mod kpis;
mod payment_terms;

#[cfg(test)]
mod tests;

pub use effectiveness::{ActionFact, EffectivenessReport, EffectivenessRow, effectiveness};
pub use forecast::{FORECAST_WEEKS, Forecast, ForecastWeek, forecast};
pub use kpis::{
    CostOfCollection, CurrencyKpis, DsoFigure, Kpis, UnitCosts, dso_simple, kpis, period_sales,
    receivables,
};
pub use payment_terms::{
    AmountBasis, BRACKETS, LEGAL_TERM_DAYS, PaymentTermsQuery, PaymentTermsReport,
    PaymentTermsTable, ReferenceTerms, TermsVariant, bracket, payment_terms,
};

use crate::aging::Buckets;
use crate::book::{Book, BookClaim};
use crate::date::{Date, date_of_day, day_number};
use crate::ids::{ClaimId, CreditorId, DebtorId};
use crate::ledger::EntryKind;
use crate::money::{Currency, Money, Totals};
use crate::party::Segment;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// What analytics need to know about a debtor beyond its claims: the dimensions reports
/// are grouped by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorFacts {
    pub creditor: CreditorId,
    /// The creditor's name: the label of a creditor group (its id when empty).
    pub creditor_name: String,
    /// Shown as the label of a debtor group.
    pub name: String,
    pub country: String,
    pub segment: Segment,
    /// The login of the collector who owns the debtor's case (`None`: the shared pool).
    pub collector: Option<String>,
}

/// The dimension an aged balance is grouped by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Debtor,
    Creditor,
    #[default]
    Currency,
    Country,
    Segment,
    Collector,
    /// The creditor's own claims, those assigned to a factor, those insured: a claim's
    /// group comes from the claim, not its debtor ([`aged_by_claims`]).
    Financing,
}

impl GroupBy {
    pub const ALL: [GroupBy; 7] = [
        GroupBy::Debtor,
        GroupBy::Creditor,
        GroupBy::Currency,
        GroupBy::Country,
        GroupBy::Segment,
        GroupBy::Collector,
        GroupBy::Financing,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            GroupBy::Debtor => "debtor",
            GroupBy::Creditor => "creditor",
            GroupBy::Currency => "currency",
            GroupBy::Country => "country",
            GroupBy::Segment => "segment",
            GroupBy::Collector => "collector",
            GroupBy::Financing => "financing",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        GroupBy::ALL
            .into_iter()
            .find(|g| g.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                crate::tr!(
                    "{s:?} is not one of: debtor, creditor, currency, country, segment, collector, financing",
                    "{s:?} n'est pas parmi : debtor, creditor, currency, country, segment, collector, financing"
                )
            })
    }
}

/// One group of an aged balance, in one currency: claims and amounts per bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgingGroup {
    /// The group's key: a debtor or creditor id, a currency or country code, `b2b`/`b2c`,
    /// a collector's login (empty: nobody in particular; `?`: a debtor with no facts).
    pub key: String,
    /// What a person reads: the debtor's name, else the key.
    pub label: String,
    pub currency: Currency,
    /// Open claims per bucket.
    pub claims: Vec<u64>,
    /// Open amounts per bucket.
    pub amounts: Vec<Money>,
    pub total: Money,
    /// The part of `total` past due (every bucket but "not due").
    pub overdue: Money,
}

impl AgingGroup {
    fn new(
        key: String,
        label: String,
        currency: Currency,
        claims: Vec<u64>,
        amounts: &[i64],
    ) -> Self {
        let money = |m: i64| Money::from_minor(m, currency);
        Self {
            key,
            label,
            currency,
            total: money(amounts.iter().sum()),
            // Every bucket but the first, "not due".
            overdue: money(amounts[1..].iter().sum()),
            amounts: amounts.iter().map(|m| money(*m)).collect(),
            claims,
        }
    }
}

/// An aged balance as of a date, grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgingReport {
    pub as_of: Date,
    pub group_by: GroupBy,
    /// Bucket labels (`not due`, `1-30`, …, `> 180`).
    pub buckets: Vec<String>,
    /// Largest total first within each currency, currencies by code.
    pub groups: Vec<AgingGroup>,
    /// One line per currency: the sum of the groups, equal to the open ledger balances.
    pub totals: Vec<AgingGroup>,
}

/// The aged balance as of `as_of`, reconstructed from the ledger (every entry dated up to
/// that day, claims issued by then), bucketed by days past due and grouped by `group_by`.
/// A claim with nothing open (settled or in credit) is in no bucket, as in
/// [`Book::aged_balance`]; the totals therefore equal the sum of the positive open
/// balances of the ledger, to the cent.
pub fn aged_by(
    book: &Book,
    debtors: &HashMap<DebtorId, DebtorFacts>,
    as_of: Date,
    buckets: &Buckets,
    group_by: GroupBy,
) -> AgingReport {
    aged_by_claims(book, debtors, &HashMap::new(), as_of, buckets, group_by)
}

/// The group of a claim not in the map of [`aged_by_claims`]: the creditor's own.
pub const OWN_GROUP: &str = "own";

/// [`aged_by`], with each claim's group for the dimensions that belong to a claim rather
/// than its debtor ([`GroupBy::Financing`]: `assigned`, `insured`; a claim not in
/// `claim_groups` is in [`OWN_GROUP`]).
pub fn aged_by_claims(
    book: &Book,
    debtors: &HashMap<DebtorId, DebtorFacts>,
    claim_groups: &HashMap<ClaimId, String>,
    as_of: Date,
    buckets: &Buckets,
    group_by: GroupBy,
) -> AgingReport {
    let day = day_number(as_of);
    let n = buckets.len();
    // Each claim's group, as a small number: a debtor's key is looked up once per debtor
    // (in a dense table when ids are dense, as a database gives them), consecutive claims
    // of one debtor (the usual order) reuse the last look-up, and the text of a key is
    // built once per group, at the end.
    let mut keys: Vec<Key> = Vec::new();
    let mut text_keys: HashMap<String, u32> = HashMap::new();
    let mut of_debtor = if matches!(group_by, GroupBy::Currency | GroupBy::Financing) {
        DebtorIndex::sparse()
    } else {
        DebtorIndex::new(book)
    };
    let mut last_debtor: Option<(DebtorId, u32)> = None;
    let mut currency_keys: Vec<(Currency, u32)> = Vec::new();
    let mut acc = Slots::new(n);
    for c in book.claims() {
        if c.issue_day > day {
            continue;
        }
        let open = book.open_minor(c, day);
        if open <= 0 {
            continue;
        }
        let k = if group_by == GroupBy::Financing {
            let text = claim_groups.get(&c.id).map_or(OWN_GROUP, String::as_str);
            intern(&mut keys, &mut text_keys, text, || {
                Key::Text(text.to_string())
            })
        } else if group_by == GroupBy::Currency {
            // A handful of currencies: a linear scan beats hashing.
            match currency_keys.iter().find(|(cur, _)| *cur == c.currency) {
                Some((_, k)) => *k,
                None => {
                    keys.push(Key::Text(c.currency.code().to_string()));
                    let k = u32::try_from(keys.len() - 1).unwrap_or(u32::MAX);
                    currency_keys.push((c.currency, k));
                    k
                }
            }
        } else if let Some((_, k)) = last_debtor.filter(|(d, _)| *d == c.debtor_id) {
            k
        } else {
            let k = match of_debtor.get(c.debtor_id) {
                Some(k) => k,
                None => {
                    let k = match group_by {
                        GroupBy::Debtor => {
                            keys.push(Key::Debtor(c.debtor_id));
                            u32::try_from(keys.len() - 1).unwrap_or(u32::MAX)
                        }
                        _ => {
                            let text = group_text(group_by, debtors.get(&c.debtor_id));
                            intern(&mut keys, &mut text_keys, &text, || {
                                Key::Text(text.to_string())
                            })
                        }
                    };
                    of_debtor.insert(c.debtor_id, k);
                    k
                }
            };
            last_debtor = Some((c.debtor_id, k));
            k
        };
        let at = acc.slot(k, c.currency) * n + buckets.index(day - c.due_day);
        acc.counts[at] += 1;
        acc.sums[at] += open;
    }
    let Slots {
        slots,
        counts,
        sums,
        ..
    } = acc;
    // Totals per currency: a handful, found by a linear scan.
    let mut totals: Vec<(Currency, Vec<u64>, Vec<i64>)> = Vec::new();
    let mut groups: Vec<AgingGroup> = Vec::with_capacity(slots.len());
    for (s, &(k, currency)) in slots.iter().enumerate() {
        let claims = &counts[s * n..s * n + n];
        let amounts = &sums[s * n..s * n + n];
        let t = match totals.iter().position(|t| t.0 == currency) {
            Some(i) => &mut totals[i],
            None => {
                totals.push((currency, vec![0; n], vec![0; n]));
                let last = totals.len() - 1;
                &mut totals[last]
            }
        };
        for i in 0..n {
            t.1[i] += claims[i];
            t.2[i] += amounts[i];
        }
        let (key, label) = match &keys[k as usize] {
            Key::Debtor(id) => (
                id.to_string(),
                debtors
                    .get(id)
                    .map_or_else(|| id.to_string(), |f| f.name.clone()),
            ),
            // A creditor group reads as the creditor's name, its key staying the id.
            Key::Text(text) if group_by == GroupBy::Creditor => (
                text.clone(),
                debtors
                    .values()
                    .find(|f| f.creditor.to_string() == *text && !f.creditor_name.is_empty())
                    .map_or_else(|| text.clone(), |f| f.creditor_name.clone()),
            ),
            Key::Text(text) => (text.clone(), text.clone()),
        };
        groups.push(AgingGroup::new(
            key,
            label,
            currency,
            claims.to_vec(),
            amounts,
        ));
    }
    // Keys are unique within a currency: the order is total, and an unstable sort is
    // deterministic.
    groups.sort_unstable_by(|a, b| {
        a.currency
            .code()
            .cmp(b.currency.code())
            .then_with(|| b.total.minor().cmp(&a.total.minor()))
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut totals: Vec<AgingGroup> = totals
        .into_iter()
        .map(|(currency, claims, amounts)| {
            AgingGroup::new("total".into(), "total".into(), currency, claims, &amounts)
        })
        .collect();
    totals.sort_by_key(|t| t.currency.code());
    AgingReport {
        as_of,
        group_by,
        buckets: buckets.labels(),
        groups,
        totals,
    }
}

/// The accumulators of an aged balance in flat arrays: slot `s` holds the counts and sums
/// of buckets `s*n .. s*n+n` of one (group, currency). A group's first currency has its
/// slot in `first`; further currencies (rare) in `more`; the last slot used is kept, as
/// consecutive claims usually share it.
struct Slots {
    n: usize,
    first: Vec<(Currency, u32)>,
    more: HashMap<(u32, Currency), u32>,
    last: Option<(u32, Currency, usize)>,
    slots: Vec<(u32, Currency)>,
    counts: Vec<u64>,
    sums: Vec<i64>,
}

impl Slots {
    const NONE: u32 = u32::MAX;

    fn new(n: usize) -> Self {
        Self {
            n,
            first: Vec::new(),
            more: HashMap::new(),
            last: None,
            slots: Vec::new(),
            counts: Vec::new(),
            sums: Vec::new(),
        }
    }

    /// The slot of group `k` in `currency`, made when new.
    fn slot(&mut self, k: u32, currency: Currency) -> usize {
        if let Some((lk, lc, s)) = self.last
            && lk == k
            && lc == currency
        {
            return s;
        }
        let ki = k as usize;
        if self.first.len() <= ki {
            self.first.resize(ki + 1, (currency, Self::NONE));
        }
        let s = match self.first[ki] {
            (c, s) if s != Self::NONE && c == currency => s,
            (_, Self::NONE) => {
                let s = self.add(k, currency);
                self.first[ki] = (currency, s);
                s
            }
            _ => match self.more.get(&(k, currency)) {
                Some(s) => *s,
                None => {
                    let s = self.add(k, currency);
                    self.more.insert((k, currency), s);
                    s
                }
            },
        } as usize;
        self.last = Some((k, currency, s));
        s
    }

    fn add(&mut self, k: u32, currency: Currency) -> u32 {
        self.slots.push((k, currency));
        self.counts.extend(std::iter::repeat_n(0, self.n));
        self.sums.extend(std::iter::repeat_n(0, self.n));
        u32::try_from(self.slots.len() - 1).unwrap_or(Self::NONE)
    }
}

/// A group of an aged balance while it is computed: a debtor (its text is built at the
/// end, once), or the text of another dimension.
enum Key {
    Debtor(DebtorId),
    Text(String),
}

/// The index of the key `text`, added by `make` when new.
fn intern(
    keys: &mut Vec<Key>,
    index: &mut HashMap<String, u32>,
    text: &str,
    make: impl FnOnce() -> Key,
) -> u32 {
    if let Some(k) = index.get(text) {
        return *k;
    }
    keys.push(make());
    let k = u32::try_from(keys.len() - 1).unwrap_or(u32::MAX);
    index.insert(text.to_string(), k);
    k
}

/// The group of a debtor for the dimensions other than the debtor itself and the currency
/// (`?`: a debtor with no facts; empty collector: nobody in particular).
fn group_text(group_by: GroupBy, facts: Option<&DebtorFacts>) -> std::borrow::Cow<'_, str> {
    let Some(f) = facts else {
        return "?".into();
    };
    match group_by {
        GroupBy::Creditor => f.creditor.to_string().into(),
        GroupBy::Country => f.country.as_str().into(),
        GroupBy::Segment => f.segment.as_str().into(),
        GroupBy::Collector => f.collector.as_deref().unwrap_or_default().into(),
        GroupBy::Debtor | GroupBy::Currency | GroupBy::Financing => "".into(),
    }
}

/// A value per debtor: a table indexed by id when the book's ids are dense (at most a few
/// times the number of claims), a hash map otherwise.
struct DebtorIndex {
    dense: Vec<u32>,
    sparse: HashMap<DebtorId, u32>,
}

impl DebtorIndex {
    const NONE: u32 = u32::MAX;

    fn new(book: &Book) -> Self {
        let claims = book.claims();
        let (min, max) = claims.iter().fold((0, 0), |(lo, hi), c| {
            (lo.min(c.debtor_id.0), hi.max(c.debtor_id.0))
        });
        let limit = i64::try_from(claims.len()).unwrap_or(i64::MAX / 8) * 4 + 1024;
        let dense = if min >= 0 && max <= limit {
            vec![Self::NONE; usize::try_from(max).unwrap_or(0) + 1]
        } else {
            Vec::new()
        };
        Self {
            dense,
            sparse: HashMap::new(),
        }
    }

    /// An index with no table: for an aged balance that needs none.
    fn sparse() -> Self {
        Self {
            dense: Vec::new(),
            sparse: HashMap::new(),
        }
    }

    fn get(&self, id: DebtorId) -> Option<u32> {
        match usize::try_from(id.0).ok().and_then(|i| self.dense.get(i)) {
            Some(&v) => (v != Self::NONE).then_some(v),
            None => self.sparse.get(&id).copied(),
        }
    }

    fn insert(&mut self, id: DebtorId, value: u32) {
        match usize::try_from(id.0)
            .ok()
            .and_then(|i| self.dense.get_mut(i))
        {
            Some(slot) => *slot = value,
            None => {
                self.sparse.insert(id, value);
            }
        }
    }
}

/// Cash collected (payments posted) per calendar month, the `months` months ending with
/// the month of `as_of` (that one up to `as_of` only), oldest first: (first day of the
/// month, amounts per currency).
pub fn collections_by_month(book: &Book, as_of: Date, months: u32) -> Vec<(Date, Vec<Money>)> {
    let first = as_of.first_of_month();
    let mut starts: Vec<Date> = Vec::new();
    let mut m = first;
    for _ in 0..months.max(1) {
        starts.push(m);
        m = match m.checked_sub(jiff::Span::new().months(1)) {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    starts.reverse();
    let low = day_number(starts[0]);
    let high = day_number(as_of);
    let bounds: Vec<i32> = starts.iter().map(|d| day_number(*d)).collect();
    let mut sums: Vec<Totals> = vec![Totals::new(); starts.len()];
    for c in book.claims() {
        for e in book.entries_of(c) {
            if e.kind == EntryKind::Payment && (low..=high).contains(&e.day) {
                // The month whose first day is the last one not after the payment.
                let i = bounds.partition_point(|b| *b <= e.day) - 1;
                sums[i].add_minor(c.currency, -e.amount_minor);
            }
        }
    }
    starts
        .into_iter()
        .zip(sums)
        .map(|(d, t)| (d, t.iter().collect()))
        .collect()
}

/// `numerator / denominator`, rounded half away from zero to a tenth; `None` when the
/// denominator is zero. Integers all the way: no float ever touches a figure.
pub(crate) fn tenths(numerator: i128, denominator: i128) -> Option<Decimal> {
    if denominator == 0 {
        return None;
    }
    let (n, d) = if denominator < 0 {
        (-numerator, -denominator)
    } else {
        (numerator, denominator)
    };
    let scaled = n * 10;
    let q = if scaled >= 0 {
        (2 * scaled + d) / (2 * d)
    } else {
        -((-2 * scaled + d) / (2 * d))
    };
    Some(Decimal::new(i64::try_from(q).unwrap_or(i64::MAX), 1))
}

/// `part / whole` as a percentage rounded to a tenth.
pub(crate) fn percent(part: i128, whole: i128) -> Option<Decimal> {
    tenths(part * 100, whole)
}

/// The day a claim was settled, if it was by `until`: the first day (not before its
/// issue) at the end of which nothing is open, and whether a payment was booked that day
/// (settled by payment, as opposed to a credit note or a write-off alone).
pub(crate) fn settlement(book: &Book, c: &BookClaim, until: i32) -> Option<(i32, bool)> {
    let entries = book.entries_of(c);
    if entries.windows(2).all(|w| w[0].day <= w[1].day) {
        // Entries in date order (the usual case): one running sum, day by day.
        let (mut open, mut invoiced, mut i) = (0i64, false, 0usize);
        while i < entries.len() && entries[i].day <= until {
            let day = entries[i].day;
            let (mut reduced, mut paid) = (false, false);
            while i < entries.len() && entries[i].day == day {
                let e = entries[i];
                open += e.amount_minor;
                invoiced |= e.amount_minor > 0;
                reduced |= e.amount_minor < 0;
                paid |= e.kind == EntryKind::Payment;
                i += 1;
            }
            if invoiced && reduced && open <= 0 {
                return Some((day, paid));
            }
        }
        return None;
    }
    let invoiced: i64 = entries
        .iter()
        .filter(|e| e.amount_minor > 0 && e.day <= until)
        .map(|e| e.amount_minor)
        .sum();
    if invoiced <= 0 {
        return None;
    }
    // Out of date order: check each day an amount came off (a claim has a handful).
    let mut best: Option<i32> = None;
    for e in entries {
        if e.amount_minor < 0
            && e.day <= until
            && best.is_none_or(|b| e.day < b)
            && book.open_minor(c, e.day) <= 0
        {
            best = Some(e.day);
        }
    }
    best.map(|d| {
        let paid = entries
            .iter()
            .any(|e| e.day == d && e.kind == EntryKind::Payment);
        (d, paid)
    })
}

/// The date of a day number, for figures that go out of the engine.
pub(crate) fn date_of(day: i32) -> Date {
    date_of_day(day).unwrap_or(Date::MIN)
}
