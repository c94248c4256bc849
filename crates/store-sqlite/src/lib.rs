//! # recouvre-store-sqlite
//!
//! The embedded default store: one SQLite file in WAL mode with foreign keys enforced.
//! Writers take the database lock when they begin (`BEGIN IMMEDIATE`), so a transaction
//! never fails half-way for lack of the lock; read transactions (`Store::begin_read`) are
//! deferred and run beside them and beside each other thanks to WAL.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

use app::store::{MigrationState, StoreResult};
use app::{Store, StoreError, Tx};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};
use std::str::FromStr;
use std::time::Duration;
use store_sql::{Dialect, sql_store};

sql_store!(Sqlite, SqliteTx);

mod migrate {
    use sqlx::Sqlite;
    store_sql::migrations!(Sqlite, store_sql::Dialect::Sqlite);
}

impl SqliteTx {
    /// Every transaction begins `IMMEDIATE`: one writer at a time holds the database, so
    /// no row lock is needed (nor understood).
    const ROW_LOCK: &'static str = "";
    const ROW_UPDATE_LOCK: &'static str = "";

    async fn after_bulk_insert(&mut self) -> Result<(), StoreError> {
        // SQLite's INTEGER PRIMARY KEY continues after the largest id by itself.
        Ok(())
    }
}

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `target` — a path or a `sqlite:` URL —
    /// and applies pending migrations, stamping them with `applied_at`.
    pub async fn open(target: &str, applied_at: &str) -> StoreResult<Self> {
        let store = Self::connect(target).await?;
        migrate::migrate(&store.pool, applied_at).await?;
        Ok(store)
    }

    /// Opens without migrating (for `recouvre migrate`, which shows what is pending).
    pub async fn connect(target: &str) -> StoreResult<Self> {
        let open_err = |reason: String| StoreError::Open {
            target: target.to_string(),
            reason,
        };
        let url = if target.starts_with("sqlite:") {
            target.to_string()
        } else {
            format!("sqlite://{target}")
        };
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| open_err(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Self { pool })
    }

    /// Applies pending migrations; returns the versions applied.
    pub async fn migrate(&self, applied_at: &str) -> StoreResult<Vec<i64>> {
        migrate::migrate(&self.pool, applied_at).await
    }

    pub fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(store_sql::db_err)?;
        Ok(Box::new(SqliteTx::new(tx)))
    }

    async fn begin_read(&self) -> StoreResult<Box<dyn Tx>> {
        // Deferred: the snapshot is taken at the first read and no lock is asked for; in
        // WAL mode it reads beside a writer.
        let tx = self
            .pool
            .begin_with("BEGIN DEFERRED")
            .await
            .map_err(store_sql::db_err)?;
        Ok(Box::new(SqliteTx::new(tx)))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn migration_status(&self) -> StoreResult<Vec<MigrationState>> {
        migrate::migration_status(&self.pool).await
    }
}
