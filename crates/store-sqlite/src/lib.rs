//! # recouvre-store-sqlite
//!
//! The embedded default store: one SQLite file in WAL mode with foreign keys enforced.
//! Writers take the database lock when they begin (`BEGIN IMMEDIATE`), so a transaction
//! never fails half-way for lack of the lock; read transactions (`Store::begin_read`) are
//! deferred and run beside them and beside each other thanks to WAL.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

use app::store::{Census, MigrationState, StoreResult};
use app::{Store, StoreError, Tx};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};
use std::path::Path;
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
    const TABLES: &'static str = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
    const TEXT_COLUMNS: &'static str =
        "SELECT name FROM pragma_table_info($1) WHERE upper(type) = 'TEXT' ORDER BY cid";

    async fn after_bulk_insert(&mut self) -> Result<(), StoreError> {
        // SQLite's INTEGER PRIMARY KEY continues after the largest id by itself.
        Ok(())
    }
}

/// How long a writer waits for another writer's lock before giving up (the web then
/// answers 503 with `Retry-After`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `target` — a path or a `sqlite:` URL —
    /// and applies pending migrations, stamping them with `applied_at`.
    pub async fn open(target: &str, applied_at: &str) -> StoreResult<Self> {
        Self::open_waiting(target, applied_at, BUSY_TIMEOUT).await
    }

    /// The same, a writer waiting at most `busy` for another's lock (instead of
    /// [`BUSY_TIMEOUT`]) before giving up with `StoreError::Busy`.
    pub async fn open_waiting(target: &str, applied_at: &str, busy: Duration) -> StoreResult<Self> {
        let store = Self::connect_waiting(target, busy).await?;
        migrate::migrate(&store.pool, applied_at).await?;
        Ok(store)
    }

    /// Opens without migrating (for `recouvre migrate`, which shows what is pending).
    pub async fn connect(target: &str) -> StoreResult<Self> {
        Self::connect_waiting(target, BUSY_TIMEOUT).await
    }

    async fn connect_waiting(target: &str, busy: Duration) -> StoreResult<Self> {
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
            .busy_timeout(busy);
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

    /// Applies the pending migrations up to version `last` included, and no further: the
    /// schema an earlier Recouvre wrote (what the upgrade tests start from).
    pub async fn migrate_to(&self, applied_at: &str, last: i64) -> StoreResult<Vec<i64>> {
        migrate::migrate_to(&self.pool, applied_at, last).await
    }

    /// Opens an existing database file for reading only, without migrating it: a backup
    /// being verified or restored is never written to.
    pub async fn open_read_only(path: &Path) -> StoreResult<Self> {
        let open_err = |reason: String| StoreError::Open {
            target: path.display().to_string(),
            reason,
        };
        if !path.is_file() {
            return Err(open_err("no such file".into()));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Self { pool })
    }

    /// What `PRAGMA integrity_check` finds wrong with the file: nothing when it is sound.
    pub async fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        use sqlx::Row;
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await
            .map_err(store_sql::db_err)?;
        let mut problems = Vec::new();
        for row in &rows {
            let line: String = row.try_get(0).map_err(store_sql::db_err)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        Ok(problems)
    }

    /// Closes every connection. The last one to close checkpoints the write-ahead log
    /// into the database file, which then stands alone (it can be moved or copied).
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Writes a consistent copy of the whole database to `dest` (which must not exist)
    /// with `VACUUM INTO`, while other connections go on writing, and returns the census
    /// of the source at the copy's moment.
    ///
    /// `VACUUM INTO` reads one snapshot, but cannot run inside a transaction, so the
    /// census cannot be read in that same snapshot. It is read just before, between two
    /// readings of `PRAGMA data_version` on the connection that runs the copy: when no
    /// other connection committed in between, census and copy saw the same database.
    /// After `LOCK_FREE_ATTEMPTS` copies during which a writer did commit, the last
    /// attempt holds the write lock (`BEGIN IMMEDIATE`) while it reads the census and
    /// copies: readers go on, writers wait for it (up to their busy timeout, 10 s).
    pub async fn backup_into(&self, dest: &Path) -> StoreResult<SqliteBackup> {
        const LOCK_FREE_ATTEMPTS: u32 = 2;
        let dest_text = dest.to_str().ok_or_else(|| StoreError::Open {
            target: dest.display().to_string(),
            reason: "the backup path is not valid UTF-8".into(),
        })?;
        let vacuum = format!("VACUUM INTO '{}'", dest_text.replace('\'', "''"));
        let mut conn = self.pool.acquire().await.map_err(store_sql::db_err)?;
        for attempt in 1..=LOCK_FREE_ATTEMPTS + 1 {
            remove_if_present(dest)?;
            let locked = attempt > LOCK_FREE_ATTEMPTS;
            let before = data_version(&mut conn).await?;
            let (census, writer) = if locked {
                let mut tx = self.begin().await?;
                (tx.census().await?, Some(tx))
            } else {
                let mut tx = self.begin_read().await?;
                let census = tx.census().await?;
                drop(tx);
                (census, None)
            };
            sqlx::raw_sql(sqlx::AssertSqlSafe(vacuum.clone()))
                .execute(&mut *conn)
                .await
                .map_err(store_sql::db_err)?;
            let after = data_version(&mut conn).await?;
            drop(writer);
            if locked || before == after {
                return Ok(SqliteBackup {
                    census,
                    attempts: attempt,
                    locked,
                });
            }
        }
        Err(StoreError::Open {
            target: dest.display().to_string(),
            reason:
                "the backup could not be taken (impossible: the last attempt holds the write lock)"
                    .into(),
        })
    }
}

/// A backup written by [`SqliteStore::backup_into`]: the source's census at its moment,
/// and how it was taken.
#[derive(Debug, Clone)]
pub struct SqliteBackup {
    pub census: Census,
    /// 1 when nothing was written during the first copy.
    pub attempts: u32,
    /// Whether writers were held back while the last copy ran.
    pub locked: bool,
}

/// The counter SQLite moves when another connection commits.
async fn data_version(conn: &mut sqlx::SqliteConnection) -> StoreResult<i64> {
    use sqlx::Row;
    sqlx::query("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .map_err(store_sql::db_err)?
        .try_get(0)
        .map_err(store_sql::db_err)
}

fn remove_if_present(path: &Path) -> StoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Open {
            target: path.display().to_string(),
            reason: e.to_string(),
        }),
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
