//! The daily dunning run on the 1,000,000-claim, 200,000-debtor demo portfolio as of
//! 2026-11-23: the pure decision pass alone, and the whole `recouvre_app::dunning::run` on SQLite
//! (load, decide, write the cases, actions and done steps in one transaction).
//!
//! Both decide the first run on the portfolio: no case exists yet, so every debtor owing
//! something gets a case, a scenario and its latest due step — the heaviest day there is.
//!
//! Run: `cargo bench -p recouvre-app --bench run`

#![allow(clippy::unwrap_used)]

#[path = "sqlite_file.rs"]
mod sqlite_file;

use domain::Date;
use domain::dunning::{DunningSettings, ScenarioSet};
use recouvre_app::clock::FixedClock;
use recouvre_app::dunning::{PassInputs, RunOptions};
use recouvre_app::portfolio::{NoProgress, load_demo};
use std::collections::HashMap;
use std::path::Path;
use store_sqlite::SqliteStore;

fn main() {
    divan::main();
}

fn as_of() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

fn params() -> demo::DemoParams {
    demo::DemoParams {
        debtors: 200_000,
        claims: 1_000_000,
        seed: 2026,
        as_of: as_of(),
    }
}

/// (a) The decision pass over 200,000 cases; the inputs are built once, outside the timing.
#[divan::bench(sample_count = 10)]
fn decision_pass_1m_claims(bencher: divan::Bencher) {
    let (debtors, book) = recouvre_app::simulate::demo_book(&params());
    let cases = HashMap::new();
    let inputs = PassInputs::new(&debtors, &cases, &book, Vec::new(), &[], as_of());
    let done = inputs.done_steps();
    let cases = inputs.cases(&done);
    let scenarios = ScenarioSet::defaults().unwrap();
    let settings = DunningSettings {
        last_payment_import: Some(as_of()),
        ..DunningSettings::default()
    };
    let decisions = domain::dunning::decide(&scenarios, &settings, as_of(), &cases);
    let actions = decisions
        .iter()
        .filter(|d| matches!(d, domain::dunning::Decision::Action(_)))
        .count();
    eprintln!(
        "decision pass: {} cases, {} decisions, {actions} actions",
        cases.len(),
        decisions.len()
    );
    bencher.bench_local(|| {
        divan::black_box(domain::dunning::decide(
            &scenarios,
            &settings,
            as_of(),
            &cases,
        ))
    });
}

/// Loads the demo portfolio into `path` and leaves the file whole: the WAL checkpointed
/// into the main file and truncated, so that copying the one file copies the database.
fn build_database(rt: &tokio::runtime::Runtime, path: &Path) {
    let target = path.to_str().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(target, "2026-11-23T06:00:00Z")
            .await
            .unwrap();
        load_demo(&store, &FixedClock(as_of()), &params(), &NoProgress)
            .await
            .unwrap();
        drop(store);
        sqlite_file::checkpoint(path).await;
    });
}

/// (b) `recouvre_app::dunning::run` on SQLite, on a fresh copy of the loaded database each time.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn full_run_sqlite_1m_claims(bencher: divan::Bencher) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("portfolio.db");
    build_database(&rt, &original);
    bencher
        .with_inputs(|| sqlite_file::fresh_copy(&rt, &original, "2026-11-23T06:00:00Z"))
        .bench_local_values(|(copy, store)| {
            let report = rt
                .block_on(recouvre_app::dunning::run(
                    &store,
                    &FixedClock(as_of()),
                    RunOptions::default(),
                ))
                .unwrap();
            assert!(report.stale.is_none() && !report.actions.is_empty());
            eprintln!(
                "full run: {} cases seen, {} actions written",
                report.cases_seen,
                report.actions.len()
            );
            (copy, store, report)
        });
}
