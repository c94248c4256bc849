//! Open balances and the aged balance of 1,000,000 claims, computed from the ledger in
//! memory (the `Book`), and the dunning decision pass's input side is measured elsewhere.
//!
//! Run: `cargo bench -p recouvre-app --bench book`

#![allow(clippy::unwrap_used)]

use domain::aging::Buckets;
use domain::book::{Book, BookEntry, ClaimHead};
use domain::date::day_number;
use domain::{ClaimId, Date};

fn main() {
    divan::main();
}

const AS_OF: (i16, i8, i8) = (2026, 11, 23);

/// The 1,000,000-claim, 200,000-debtor demo portfolio as a book, as the store would load it.
fn book() -> Book {
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
    for batch in generator.batches(50_000) {
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
    Book::from_sorted(heads, entries).unwrap()
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
