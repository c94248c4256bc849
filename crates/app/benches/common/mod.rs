//! The 1,000,000-claim, 200,000-debtor demo portfolio as a book, shared by the benchmarks
//! of the book (`book.rs`) and the side-by-side with DuckDB (`vs_duckdb.rs`).

#![allow(dead_code, clippy::unwrap_used)] // each benchmark uses part of it; a failed unwrap fails it

use domain::analytics::DebtorFacts;
use domain::book::Book;
use domain::{Date, DebtorId};
use std::collections::HashMap;

pub const AS_OF: (i16, i8, i8) = (2026, 11, 23);

/// The 1,000,000-claim, 200,000-debtor demo portfolio as a book, as the store would load it.
pub fn book() -> Book {
    book_and_facts().0
}

/// The book and every debtor's dimensions (case owners: none, as before the first run).
pub fn book_and_facts() -> (Book, HashMap<DebtorId, DebtorFacts>) {
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    let params = demo::DemoParams {
        debtors: 200_000,
        claims: 1_000_000,
        seed: 2026,
        as_of,
    };
    let (debtors, book) = recouvre_app::simulate::demo_book(&params);
    let facts = debtors
        .into_iter()
        .map(|d| {
            (
                d.id,
                recouvre_app::reports::facts_of(d, None, String::new()),
            )
        })
        .collect();
    (book, facts)
}
