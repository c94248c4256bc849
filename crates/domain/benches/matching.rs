//! Payment matching at the scale of issue 7: 100,000 bank lines from the ground-truth
//! generator (seed 2026) against 1,000,000 open claims. Indexing the claims and matching
//! every line are timed separately; the generation is outside the timing. How well it
//! matches (precision, recall) is checked by the ignored test
//! `matching::tests::benchmark_one_million_items_one_hundred_thousand_payments`.
//!
//! Run: `cargo bench -p recouvre-domain --bench matching`

#![allow(clippy::unwrap_used)]

use recouvre_domain::matching::groundtruth::{self, Config};
use recouvre_domain::matching::{MatchIndex, match_payment};

fn main() {
    divan::main();
}

fn config() -> Config {
    Config {
        open_items: 1_000_000,
        payments: 100_000,
        seed: 2026,
    }
}

/// Building the index of 1,000,000 open claims.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn index_1m_open_claims(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| groundtruth::generate(config()).0)
        .bench_local_values(|p| MatchIndex::new(p.items, p.debtors, p.known_ibans));
}

/// Matching 100,000 payments against the index (built once, outside the timing).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn match_100k_payments(bencher: divan::Bencher) {
    let (p, cases) = groundtruth::generate(config());
    let index = MatchIndex::new(p.items, p.debtors, p.known_ibans);
    bencher.bench_local(|| {
        cases
            .iter()
            .map(|c| match_payment(&index, &c.payment))
            .filter(|r| r.best.is_some())
            .count()
    });
}
