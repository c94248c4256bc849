//! # recouvre-store-pg
//!
//! The PostgreSQL store. Same schema, same SQL and same behaviour as the SQLite store (both
//! instantiate `store_sql::sql_store!`); chosen with `--db postgres://...`.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

use app::store::{MigrationState, StoreResult};
use app::{Store, StoreError, Tx};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};
use std::str::FromStr;
use store_sql::sql_store;

sql_store!(Postgres, PgTx);

mod migrate {
    use sqlx::Postgres;
    store_sql::migrations!(Postgres, store_sql::Dialect::Postgres);
}

impl PgTx {
    /// Competing workers claim disjoint rows: each skips the rows another has locked.
    const ROW_LOCK: &'static str = " FOR UPDATE SKIP LOCKED";
    /// A row read to be updated stays locked until the transaction ends.
    const ROW_UPDATE_LOCK: &'static str = " FOR UPDATE";
    /// The tables of the schema the connection works in (`search_path`).
    const TABLES: &'static str = "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";
    /// The text columns of one table of that schema.
    const TEXT_COLUMNS: &'static str = "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'text' ORDER BY ordinal_position";

    /// A bulk load writes explicit ids; move each identity sequence past them so the next
    /// ordinary insert does not collide.
    async fn after_bulk_insert(&mut self) -> Result<(), StoreError> {
        for table in ["creditors", "debtors", "claims"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *self.tx)
                .await
                .map_err(store_sql::db_err)?;
        }
        // Fresh statistics for the planner: without them (a server with autovacuum off,
        // or before its next pass) a debtor's claims and ledger are read by scanning the
        // whole tables. ANALYZE in the transaction sees its own rows.
        sqlx::query("ANALYZE creditors, debtors, debtor_contacts, claims, ledger_entries")
            .execute(&mut *self.tx)
            .await
            .map_err(store_sql::db_err)?;
        Ok(())
    }
}

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: Pool<Postgres>,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host/db`, optionally `?options=-csearch_path%3Dx`)
    /// and applies pending migrations.
    pub async fn open(url: &str, applied_at: &str) -> StoreResult<Self> {
        let store = Self::connect(url).await?;
        migrate::migrate(&store.pool, applied_at).await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let open_err = |reason: String| StoreError::Open {
            target: redact(url),
            reason,
        };
        let options = PgConnectOptions::from_str(url).map_err(|e| open_err(e.to_string()))?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self, applied_at: &str) -> StoreResult<Vec<i64>> {
        migrate::migrate(&self.pool, applied_at).await
    }

    /// Applies the pending migrations up to version `last` included, and no further: the
    /// schema an earlier Recouvre wrote (what the upgrade tests start from).
    pub async fn migrate_to(&self, applied_at: &str, last: i64) -> StoreResult<Vec<i64>> {
        migrate::migrate_to(&self.pool, applied_at, last).await
    }

    /// The pool, for tests that create and drop their own schemas.
    pub fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }
}

/// A URL with its password hidden, for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[async_trait::async_trait]
impl Store for PgStore {
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self.pool.begin().await.map_err(store_sql::db_err)?;
        Ok(Box::new(PgTx::new(tx)))
    }

    async fn begin_read(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(store_sql::db_err)?;
        Ok(Box::new(PgTx::new(tx)))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn migration_status(&self) -> StoreResult<Vec<MigrationState>> {
        migrate::migration_status(&self.pool).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
