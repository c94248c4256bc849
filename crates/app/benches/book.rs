//! Open balances, the aged balance (plain and grouped) and the KPIs of 1,000,000 claims,
//! computed from the ledger in memory (the `Book`); the dunning decision pass's input side
//! is measured elsewhere.
//!
//! Run: `cargo bench -p recouvre-app --bench book`

#![allow(clippy::unwrap_used)]

#[path = "common/mod.rs"]
mod common;

use common::{AS_OF, book, book_and_facts};
use domain::Date;
use domain::aging::Buckets;
use domain::analytics::{GroupBy, UnitCosts};

fn main() {
    divan::main();
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
