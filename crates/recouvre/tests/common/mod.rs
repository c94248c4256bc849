//! What the command-line tests share: running the real binary on a database.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of it; a failed unwrap fails it

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `recouvre --db DB --as-of DAY ARGS...`, whatever its exit.
pub fn run(db: &Path, day: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .arg("--db")
        .arg(db)
        .args(["--as-of", day])
        .args(args)
        .output()
        .unwrap()
}

/// The same; returns stdout, failing on a non-zero exit.
pub fn recouvre(db: &Path, day: &str, args: &[&str]) -> String {
    let out = run(db, day, args);
    assert!(
        out.status.success(),
        "recouvre {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The same with `--json`, parsed.
pub fn json(db: &Path, day: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&recouvre(db, day, &all)).unwrap()
}

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
