//! The store conformance suite on SQLite: each case gets a fresh database file.

use app::Store;
use recouvre_store_sqlite::SqliteStore;

async fn fresh() -> (Box<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("recouvre.db");
    let store = SqliteStore::open(path.to_str().expect("utf-8 path"), "2026-01-01T00:00:00Z")
        .await
        .expect("open SQLite store");
    (Box::new(store), dir)
}

store_tests::conformance_suite!(fresh);
