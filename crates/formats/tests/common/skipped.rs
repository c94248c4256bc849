//! One way for a test to say it was skipped for want of the third-party corpus
//! (`RECOUVRE_CORPUS`, `shared/fixtures`), shared by the test files of every crate that
//! reads the corpus (they include this file with `#[path]`; it is test code, not a crate).
//!
//! A skipped test passes, and nextest shows a passing test's output only on request, so
//! a line on stdout is not enough: when `RECOUVRE_SKIPPED_LOG` names a file (scripts/test
//! sets it to a fresh one), the test appends its name there, and scripts/test prints the
//! list after the suite.

use std::io::Write;

/// Records that `test` (of this crate and test binary) was skipped, and why.
pub fn skipped(test: &str, why: &str) {
    let name = format!(
        "{} {}::{test}",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_CRATE_NAME")
    );
    println!("SKIPPED {name}: {why}");
    let Some(log) = std::env::var_os("RECOUVRE_SKIPPED_LOG") else {
        return;
    };
    // One write of one short line with O_APPEND: the lines of tests running at once in
    // several processes do not interleave.
    let line = format!("{name}: {why}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        // The skip itself is not a failure; losing its record would hide it, so say so.
        eprintln!("cannot record the skip in {}: {e}", log.to_string_lossy());
    }
}
