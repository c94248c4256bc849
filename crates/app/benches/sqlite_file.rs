//! A SQLite database built once and copied fresh for each sample, shared by the benchmarks
//! that write (`run.rs`, `remittance.rs`).

#![allow(dead_code, clippy::unwrap_used)] // each benchmark uses part of it; a failed unwrap fails it

use sqlx::Connection;
use std::path::Path;
use store_sqlite::SqliteStore;

/// Checkpoints the WAL of the database at `path` into its main file and truncates it, so
/// that copying the one file copies the database. Every store on it must be dropped first.
pub async fn checkpoint(path: &Path) {
    let target = path.to_str().unwrap();
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{target}"))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let wal = path.with_extension("db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the WAL still holds data after the checkpoint"
    );
}

/// A fresh copy of `original` in its own temporary folder (kept alive with the store),
/// opened as a store.
pub fn fresh_copy(
    rt: &tokio::runtime::Runtime,
    original: &Path,
    now: &str,
) -> (tempfile::TempDir, SqliteStore) {
    let copy = tempfile::tempdir().unwrap();
    let path = copy.path().join("copy.db");
    std::fs::copy(original, &path).unwrap();
    let store = rt
        .block_on(SqliteStore::open(path.to_str().unwrap(), now))
        .unwrap();
    (copy, store)
}
