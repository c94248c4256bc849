//! Recouvre's side of the side-by-side with DuckDB (`scripts/bench-vs-duckdb`): the aged
//! balance by debtor and the simple DSO of the 1,000,000-claim demo book, computed in
//! process from the ledger as the server does, and the same book written as CSV for
//! DuckDB to load.
//!
//! Run: `cargo bench -p recouvre-app --bench vs_duckdb -- OUT_DIR [ITERATIONS]`. Writes
//! `OUT_DIR/{debtors,claims,entries}.csv` (days as day numbers, amounts in minor units),
//! then prints one JSON object: the median, fastest and slowest times in microseconds of
//! the computation, and its results (groups, per-currency bucket totals, DSO) for the
//! script to check DuckDB's against.

#![allow(clippy::unwrap_used)]

#[path = "common/mod.rs"]
mod common;

use common::{AS_OF, book_and_facts};
use domain::Date;
use domain::aging::Buckets;
use domain::analytics::{AgingReport, DsoFigure, GroupBy, aged_by, dso_simple};
use domain::date::day_number;
use std::io::Write;
use std::time::Instant;

/// The DSO's period, in days, as the dashboard's.
const DSO_DAYS: i32 = 90;

fn main() {
    // `cargo bench` passes `--bench`; everything else is ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let out = std::path::PathBuf::from(args.first().map_or("target/vs-duckdb", String::as_str));
    let iterations: usize = args.get(1).map_or(10, |n| n.parse().unwrap());
    std::fs::create_dir_all(&out).unwrap();

    let (book, facts) = book_and_facts();
    let as_of = Date::new(AS_OF.0, AS_OF.1, AS_OF.2).unwrap();
    write_csv(&out, &book, &facts);

    let buckets = Buckets::default();
    let mut times = Vec::with_capacity(iterations);
    let mut last: Option<(AgingReport, Vec<DsoFigure>)> = None;
    for _ in 0..iterations.max(1) {
        let start = Instant::now();
        let aging = aged_by(&book, &facts, as_of, &buckets, GroupBy::Debtor);
        let dso = dso_simple(&book, as_of, DSO_DAYS);
        times.push(start.elapsed().as_micros());
        last = Some(std::hint::black_box((aging, dso)));
    }
    let (aging, dso) = last.unwrap();
    times.sort_unstable();
    let result = serde_json::json!({
        "claims": book.claims().len(),
        "debtors": facts.len(),
        "as_of": as_of.to_string(),
        "as_of_day": day_number(as_of),
        "dso_days": DSO_DAYS,
        "iterations": times.len(),
        "median_us": times[times.len() / 2],
        "fastest_us": times[0],
        "slowest_us": times[times.len() - 1],
        "groups": aging.groups.len(),
        "largest_group": aging.groups.first().map(|g| (g.key.clone(), g.total.minor())),
        "totals": aging.totals.iter().map(|t| serde_json::json!({
            "currency": t.currency.code(),
            "claims": t.claims,
            "amounts": t.amounts.iter().map(|m| m.minor()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "dso": dso.iter().map(|d| serde_json::json!({
            "currency": d.currency.code(),
            "receivables": d.receivables.minor(),
            "credit_sales": d.credit_sales.minor(),
            "days": d.days.map(|x| x.to_string()),
        })).collect::<Vec<_>>(),
    });
    println!("{result}");
}

/// The book as three CSV files, every figure DuckDB needs and nothing computed.
fn write_csv(
    dir: &std::path::Path,
    book: &domain::book::Book,
    facts: &std::collections::HashMap<domain::DebtorId, domain::analytics::DebtorFacts>,
) {
    let file = |name: &str| std::io::BufWriter::new(std::fs::File::create(dir.join(name)).unwrap());
    let mut debtors = file("debtors.csv");
    writeln!(debtors, "id,name").unwrap();
    let mut ids: Vec<_> = facts.keys().copied().collect();
    ids.sort();
    for id in ids {
        // Demo names hold no quotes; commas are quoted.
        writeln!(debtors, "{id},\"{}\"", facts[&id].name).unwrap();
    }
    let mut claims = file("claims.csv");
    let mut entries = file("entries.csv");
    writeln!(claims, "id,debtor_id,currency,issue_day,due_day").unwrap();
    writeln!(entries, "claim_id,day,kind,amount_minor").unwrap();
    for c in book.claims() {
        writeln!(
            claims,
            "{},{},{},{},{}",
            c.id,
            c.debtor_id,
            c.currency.code(),
            c.issue_day,
            c.due_day
        )
        .unwrap();
        for e in book.entries_of(c) {
            writeln!(entries, "{},{},{},{}", c.id, e.day, e.kind, e.amount_minor).unwrap();
        }
    }
    for mut w in [debtors, claims, entries] {
        w.flush().unwrap();
    }
}
