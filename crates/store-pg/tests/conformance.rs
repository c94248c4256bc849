//! The store conformance suite on a real PostgreSQL server: each case gets its own schema,
//! dropped afterwards. The server is `RECOUVRE_TEST_PG` (default: the local one on
//! 127.0.0.1:5432, database `test`); `.ci/run` makes sure it is up. There is no silent
//! skip: without a server these tests fail.

use app::Store;
use recouvre_store_pg::PgStore;
use std::sync::atomic::{AtomicU32, Ordering};

fn server_url() -> String {
    std::env::var("RECOUVRE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Drops the test's schema when the test ends.
struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let (url, schema) = (self.url.clone(), self.schema.clone());
        // Drop runs inside the test's runtime: clean up on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(admin) = PgStore::connect(&url).await {
                    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(admin.pool())
                        .await;
                }
            });
        })
        .join();
    }
}

async fn fresh() -> (Box<dyn Store>, SchemaGuard) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = server_url();
    let schema = format!(
        "rt_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let admin = PgStore::connect(&url)
        .await
        .expect("PostgreSQL test server reachable (see .ci/run)");
    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(admin.pool())
        .await
        .expect("create test schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let store = PgStore::open(&scoped, "2026-01-01T00:00:00Z")
        .await
        .expect("open PostgreSQL store");
    (Box::new(store), SchemaGuard { url, schema })
}

store_tests::conformance_suite!(fresh);
