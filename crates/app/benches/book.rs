//! Open balances, the aged balance (plain and grouped) and the KPIs of 1,000,000 claims,
//! computed from the ledger in memory (the `Book`); the dunning decision pass's input side
//! is measured elsewhere.
//!
//! Run: `cargo bench -p recouvre-app --bench book`

#![allow(clippy::unwrap_used)]

use domain::aging::Buckets;
use domain::analytics::{DebtorFacts, GroupBy, UnitCosts};
use domain::book::{Book, BookEntry, ClaimHead};
use domain::date::day_number;
use domain::{ClaimId, Date, DebtorId};
use std::collections::HashMap;

fn main() {
    divan::main();
}

const AS_OF: (i16, i8, i8) = (2026, 11, 23);

/// The 1,000,000-claim, 200,000-debtor demo portfolio as a book, as the store would load it.
fn book() -> Book {
    book_and_facts().0
}

/// The book and every debtor's dimensions (case owners: none, as before the first run).
fn book_and_facts() -> (Book, HashMap<DebtorId, DebtorFacts>) {
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    let params = demo::DemoParams {
        debtors: 200_000,
        claims: 1_000_000,
        seed: 2026,
        as_of,
    };
    let generator = demo::Generator::new(&params);
    let mut heads = Vec::with_capacity(1_000_000);
    let mut entries = Vec::with_capacity(2_000_000);
    let mut facts = HashMap::new();
    for batch in generator.batches(50_000) {
        for d in batch.debtors {
            facts.insert(d.debtor.id, recouvre_app::reports::facts_of(d.debtor, None));
        }
        for c in batch.claims {
            heads.push(ClaimHead {
                id: c.claim.id,
                debtor_id: c.claim.debtor_id,
                currency: c.claim.currency,
                issue_date: c.claim.issue_date,
                due_date: c.claim.due_date,
            });
            for e in c.ledger.entries() {
                entries.push((
                    c.claim.id,
                    BookEntry {
                        day: day_number(e.date),
                        kind: e.kind,
                        amount_minor: e.amount_minor,
                    },
                ));
            }
        }
    }
    heads.sort_by_key(|h| h.id);
    entries.sort_by_key(|(id, _): &(ClaimId, BookEntry)| *id);
    (Book::from_sorted(heads, entries).unwrap(), facts)
}

#[divan::bench(sample_count = 10)]
fn aged_balance_1m_claims(bencher: divan::Bencher) {
    let book = book();
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    let buckets = Buckets::default();
    bencher.bench_local(|| divan::black_box(book.aged_balance(as_of, &buckets)));
}

#[divan::bench(sample_count = 10)]
fn debtor_positions_1m_claims(bencher: divan::Bencher) {
    let book = book();
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    bencher.bench_local(|| divan::black_box(book.positions(as_of)));
}

/// The aged balance grouped by debtor (200,000 groups) and by country.
#[divan::bench(sample_count = 10, args = [GroupBy::Debtor, GroupBy::Country, GroupBy::Currency])]
fn aged_by_1m_claims(bencher: divan::Bencher, group_by: GroupBy) {
    let (book, facts) = book_and_facts();
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    let buckets = Buckets::default();
    bencher.bench_local(|| {
        divan::black_box(domain::analytics::aged_by(
            &book, &facts, as_of, &buckets, group_by,
        ))
    });
}

/// Every KPI of the 90 days ending on the date (DSO both ways, CEI, recovery rate, time to
/// collect, share paid late, write-offs, cost of collection without actions).
#[divan::bench(sample_count = 10)]
fn kpis_90_days_1m_claims(bencher: divan::Bencher) {
    let book = book();
    let to = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    let from = to.checked_sub(jiff::Span::new().days(89)).unwrap();
    let costs = UnitCosts::default();
    bencher.bench_local(|| divan::black_box(domain::analytics::kpis(&book, from, to, &[], &costs)));
}

/// The simple DSO alone (the dashboard's figure).
#[divan::bench(sample_count = 10)]
fn dso_simple_1m_claims(bencher: divan::Bencher) {
    let book = book();
    let to = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    bencher.bench_local(|| divan::black_box(domain::analytics::dso_simple(&book, to, 90)));
}

/// The 13-week cash forecast.
#[divan::bench(sample_count = 10)]
fn forecast_1m_claims(bencher: divan::Bencher) {
    let book = book();
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    bencher.bench_local(|| divan::black_box(domain::analytics::forecast(&book, as_of)));
}
