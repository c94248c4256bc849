//! A SQLite database written by each earlier schema version (1 to the one before the
//! last), filled through plain SQL valid at that version, opened by today's code: every
//! table's rows and the balances intact (`store_tests::upgrade`).

#![allow(clippy::unwrap_used)]

use app::Store;
use recouvre_store_sqlite::SqliteStore;
use store_tests::upgrade::{check_upgraded, fill};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_earlier_schema_upgrades_with_its_data() {
    // Every migration today's code knows.
    let known = store_sql::MIGRATIONS.len() as i64;
    for version in 1..known {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let target = path.display().to_string();
        let old = SqliteStore::connect(&target).await.unwrap();
        assert_eq!(
            old.migrate_to("2026-01-01T00:00:00Z", version)
                .await
                .unwrap(),
            (1..=version).collect::<Vec<_>>()
        );
        // The filling goes through a connection of its own: plain SQL, as the earlier
        // Recouvre wrote it.
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{target}"))
            .await
            .unwrap();
        for statement in fill(version) {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("at version {version}: {e}: {statement}"));
        }
        pool.close().await;
        let before = {
            let mut tx = old.begin_read().await.unwrap();
            tx.census().await.unwrap()
        };
        assert_eq!(before.rows("recouvre_migrations"), version);
        old.close().await;

        let store = SqliteStore::open(&target, "2026-06-01T00:00:00Z")
            .await
            .unwrap();
        check_upgraded(&store, &before, known).await;
    }
}
