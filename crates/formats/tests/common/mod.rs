//! Shared by the statement tests: where the third-party corpus is.

#![allow(dead_code)]

pub mod skipped;

use std::path::PathBuf;

/// The fixture corpus (`shared/fixtures`): `$RECOUVRE_CORPUS`, else `../../../shared/fixtures`
/// from this crate (the layout of /work), else `../shared/fixtures` from the workspace root.
/// `None` (and a `SKIPPED` line) when absent, so a bare clone still passes.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = match std::env::var_os("RECOUVRE_CORPUS") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            manifest.join("../../../shared/fixtures"),
            manifest.join("../../shared/fixtures"),
        ],
    };
    for dir in &candidates {
        if dir.join("camt").is_dir() && dir.join("mt940").is_dir() {
            return Some(dir.clone());
        }
    }
    skipped::skipped(test, &format!("corpus not found at {candidates:?}"));
    None
}

/// A file of the corpus.
pub fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
