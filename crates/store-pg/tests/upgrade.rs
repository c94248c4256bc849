//! A PostgreSQL database written by each earlier schema version, filled through plain SQL
//! valid at that version, opened by today's code: every table's rows and the balances
//! intact (`store_tests::upgrade`). One fresh schema per version, dropped at the end.

#![allow(clippy::unwrap_used)]

use app::Store;
use recouvre_store_pg::PgStore;
use store_tests::upgrade::{check_upgraded, fill};

fn server_url() -> String {
    std::env::var("RECOUVRE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_earlier_schema_upgrades_with_its_data() {
    let known = store_sql::MIGRATIONS.len() as i64;
    let url = server_url();
    let admin = PgStore::connect(&url)
        .await
        .expect("PostgreSQL test server reachable (see .ci/run)");
    for version in 1..known {
        let schema = format!("up_{}_{version}", std::process::id());
        let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(admin.pool())
            .await
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
        let old = PgStore::connect(&scoped).await.unwrap();
        old.migrate_to("2026-01-01T00:00:00Z", version)
            .await
            .unwrap();
        for statement in fill(version) {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(old.pool())
                .await
                .unwrap_or_else(|e| panic!("at version {version}: {e}: {statement}"));
        }
        let before = {
            let mut tx = old.begin_read().await.unwrap();
            tx.census().await.unwrap()
        };
        assert_eq!(before.rows("recouvre_migrations"), version);
        old.pool().close().await;

        let store = PgStore::open(&scoped, "2026-06-01T00:00:00Z")
            .await
            .unwrap();
        check_upgraded(&store, &before, known).await;
        store.pool().close().await;
        let sql = format!("DROP SCHEMA {schema} CASCADE");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(admin.pool())
            .await
            .unwrap();
    }
}
