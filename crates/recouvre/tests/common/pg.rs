//! A fresh PostgreSQL schema per test file, for the tests of the binary (shared by
//! `common` and by the delivery tests, which use the delivery crate's `common`).

#![allow(dead_code, clippy::unwrap_used)] // a failed unwrap fails the test

/// The test PostgreSQL server (`RECOUVRE_TEST_PG`, or the local one).
pub fn pg_url() -> String {
    std::env::var("RECOUVRE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh schema on the test PostgreSQL server, dropped at the end.
pub struct Schema {
    pub name: String,
    pub url: String,
}

impl Schema {
    /// A schema named `PREFIX_PID`: each test file gives its own prefix.
    pub fn new(prefix: &str) -> Schema {
        let name = format!("{prefix}_{}", std::process::id());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let admin = store_pg::PgStore::connect(&pg_url())
                .await
                .expect("PostgreSQL test server reachable (see scripts/test)");
            let sql = format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(admin.pool())
                .await
                .unwrap();
        });
        let base = pg_url();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Schema { name, url }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) = store_pg::PgStore::connect(&pg_url()).await {
                    let sql = format!("DROP SCHEMA IF EXISTS {name} CASCADE");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(admin.pool())
                        .await;
                }
            });
        })
        .join();
    }
}
