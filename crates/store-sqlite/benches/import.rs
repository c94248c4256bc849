//! Import of a 100,000-row claims CSV into a fresh SQLite database, end to end: parse,
//! compare with the (empty) store, insert debtors, claims and ledger entries, commit.
//!
//! Run: `cargo bench -p recouvre-store-sqlite --bench import`

#![allow(clippy::unwrap_used)]

use app::clock::FixedClock;
use app::import::{ImportOptions, import_claims};
use domain::Date;
use recouvre_store_sqlite::SqliteStore;

fn main() {
    divan::main();
}

/// 100,000 rows over 10,000 debtors, French layout (`;`, decimal comma, DD/MM/YYYY).
fn csv(rows: usize) -> Vec<u8> {
    let mut out = String::from(
        "debtor_id;debtor_name;debtor_kind;country;email;invoice_number;issue_date;due_date;amount\n",
    );
    for i in 0..rows {
        let debtor = i % 10_000;
        // Issue months January to November, due the next month: the due date never precedes the issue date.
        let (day, month) = (1 + i % 28, 1 + (i / 28) % 11);
        out.push_str(&format!(
            "C{debtor:06};Client {debtor} SAS;company;FR;compta@client{debtor}.example;FA-{i:07};{day:02}/{month:02}/2026;{day:02}/{:02}/2026;{},{:02}\n",
            month + 1,
            100 + (i * 37) % 90_000,
            i % 100
        ));
    }
    out.into_bytes()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_100k_rows(bencher: divan::Bencher) {
    let bytes = csv(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("bench.db");
            let store = rt
                .block_on(SqliteStore::open(
                    path.to_str().unwrap(),
                    "2026-01-01T00:00:00Z",
                ))
                .unwrap();
            (dir, store)
        })
        .bench_local_values(|(dir, store)| {
            let clock = FixedClock(Date::new(2026, 6, 30).unwrap());
            let report = rt
                .block_on(import_claims(
                    &store,
                    &clock,
                    "bench.csv",
                    &bytes,
                    &ImportOptions::default(),
                ))
                .unwrap();
            assert_eq!(report.claims_created, 100_000);
            drop(store);
            dir
        });
}
