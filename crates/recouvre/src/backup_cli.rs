//! `recouvre backup` and `recouvre restore`: a copy of the whole database taken while the
//! server runs, always a SQLite file, and its way back into an empty database.
//!
//! A SQLite database is copied by `VACUUM INTO` (one snapshot, writers go on); a
//! PostgreSQL database by the `migrate-data` copy (`app::copy`), whose reads share one
//! repeatable-read snapshot. Either way the backup is written to `DEST.partial`, checked
//! (`PRAGMA integrity_check`, then the census of every table and of the ledger's sums per
//! currency, equal to the source's census at the copy's moment) and only then renamed to
//! its name: a failed or interrupted backup never leaves a file that looks like one.

use crate::output::{print_json, right, table};
use crate::{is_postgres, open_store};
use anyhow::{Context, Result, bail};
use app::clock::Clock;
use app::copy::{NOT_CARRIED, census_difference};
use app::store::{Census, Store};
use comfy_table::Cell;
use domain::tr;
use serde::Serialize;
use std::path::{Path, PathBuf};
use store_sqlite::SqliteStore;

/// What a backup or a restore wrote, and the proof that it matches its source.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The file written (backup) or the database filled (restore).
    pub target: String,
    /// The size of the backup file, in bytes (backup only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// How the copy was taken: `vacuum-into` (SQLite) or `copy` (PostgreSQL, restore).
    pub method: &'static str,
    /// Whether writers were held back while the copy ran (SQLite, when writers kept
    /// committing during the lock-free attempts).
    pub writers_held: bool,
    /// The source's census at the copy's moment.
    pub source: Census,
    /// The copy's census, read back from what was written.
    pub copy: Census,
    /// Older backups deleted by `--keep`.
    pub removed: Vec<String>,
}

/// `recouvre backup DEST`: see the module documentation.
pub async fn backup(
    source: &str,
    clock: &dyn Clock,
    dest: &Path,
    force: bool,
    keep: Option<u32>,
    json: bool,
) -> Result<()> {
    print_report(&take(source, clock, dest, force, keep).await?, json)
}

/// Takes a verified backup of `source` into `dest` (a file, or a folder where it gets a
/// dated name, `keep` of them kept); what `recouvre backup` and the worker's daily backup
/// do.
pub async fn take(
    source: &str,
    clock: &dyn Clock,
    dest: &Path,
    force: bool,
    keep: Option<u32>,
) -> Result<Report> {
    let file = if dest.is_dir() {
        dest.join(backup_name(dest)?)
    } else if keep.is_some() {
        let shown = dest.display();
        bail!(tr!(
            "--keep needs DEST to be a folder: {shown} is not one",
            "--keep demande que DEST soit un dossier : {shown} n'en est pas un"
        ));
    } else {
        dest.to_path_buf()
    };
    if file.exists() && !force {
        let shown = file.display();
        bail!(tr!(
            "{shown} exists: give --force to replace it",
            "{shown} existe : --force pour le remplacer"
        ));
    }
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    remove_if_present(&partial)?;
    let (method, writers_held, source_census) = if is_postgres(source) {
        let store = store_pg::PgStore::connect(source).await?;
        require_current_schema(&store).await?;
        let copy = SqliteStore::open(&partial.display().to_string(), &clock.now_rfc3339()).await?;
        let result = app::copy::copy_all(&store, &copy, clock).await;
        copy.close().await;
        match result {
            Ok(report) => ("copy", false, report.source_census),
            Err(e) => {
                remove_if_present(&partial)?;
                return Err(e.into());
            }
        }
    } else {
        if !Path::new(source.trim_start_matches("sqlite:")).is_file() {
            bail!(tr!(
                "no database at {source}",
                "pas de base à l'emplacement {source}"
            ));
        }
        let store = SqliteStore::connect(source).await?;
        let taken = store.backup_into(&partial).await;
        store.close().await;
        let taken = taken.inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })?;
        ("vacuum-into", taken.locked, taken.census)
    };
    let copy_census = match verify(&partial, &source_census).await {
        Ok(census) => census,
        Err(e) => {
            remove_if_present(&partial)?;
            return Err(e);
        }
    };
    if force {
        remove_if_present(&file)?;
    }
    std::fs::rename(&partial, &file).with_context(|| {
        let (from, to) = (partial.display(), file.display());
        tr!(
            "cannot rename {from} to {to}",
            "impossible de renommer {from} en {to}"
        )
    })?;
    let bytes = std::fs::metadata(&file)
        .with_context(|| {
            let shown = file.display();
            tr!("cannot read {shown}", "impossible de lire {shown}")
        })?
        .len();
    let removed = match keep {
        Some(n) => prune(dest, n as usize)?,
        None => Vec::new(),
    };
    Ok(Report {
        target: file.display().to_string(),
        bytes: Some(bytes),
        method,
        writers_held,
        source: source_census,
        copy: copy_census,
        removed,
    })
}

/// `recouvre restore SRC`: copies the backup into the empty database `target`, after
/// checking, without writing anything, that the target is empty.
pub async fn restore(src: &Path, target: &str, clock: &dyn Clock, json: bool) -> Result<()> {
    let backup = SqliteStore::open_read_only(src).await?;
    let problems = backup.integrity_problems().await?;
    if !problems.is_empty() {
        let (shown, problems) = (src.display(), problems.join("; "));
        bail!(tr!(
            "{shown} is damaged: {problems}",
            "la sauvegarde {shown} est endommagée : {problems}"
        ));
    }
    let behind = backup
        .migration_status()
        .await?
        .iter()
        .any(|m| m.applied_at.is_none());
    // A backup written by an earlier Recouvre is migrated in a scratch copy: the backup
    // itself is never written to.
    let scratch = std::env::temp_dir().join(format!("recouvre-restore-{}.db", std::process::id()));
    let source: Box<dyn Store> = if behind {
        backup.close().await;
        std::fs::copy(src, &scratch)
            .with_context(|| format!("cannot copy {} to {}", src.display(), scratch.display()))?;
        Box::new(SqliteStore::open(&scratch.display().to_string(), &clock.now_rfc3339()).await?)
    } else {
        Box::new(backup)
    };
    let result = restore_from(source.as_ref(), src, target, clock).await;
    drop(source);
    if behind {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
        }
    }
    print_report(&result?, json)
}

async fn restore_from(
    source: &dyn Store,
    src: &Path,
    target: &str,
    clock: &dyn Clock,
) -> Result<Report> {
    refuse_non_empty(target).await?;
    let store = open_store(target, clock).await?;
    let report = app::copy::copy_all(source, store.as_ref(), clock)
        .await
        .with_context(|| format!("restoring {}", src.display()))?;
    Ok(Report {
        target: if is_postgres(target) {
            store_pg::redact(target)
        } else {
            target.to_string()
        },
        bytes: None,
        method: "copy",
        writers_held: false,
        source: report.source_census,
        copy: report.target_census,
        removed: Vec::new(),
    })
}

/// Refuses a target that holds data, reading it without migrating or creating it.
async fn refuse_non_empty(target: &str) -> Result<()> {
    let census = if is_postgres(target) {
        let store = store_pg::PgStore::connect(target).await?;
        let mut tx = store.begin_read().await?;
        tx.census().await?
    } else {
        let path = Path::new(target.trim_start_matches("sqlite:"));
        if !path.exists() {
            return Ok(());
        }
        let store = SqliteStore::open_read_only(path).await?;
        let mut tx = store.begin_read().await?;
        let census = tx.census().await?;
        drop(tx);
        store.close().await;
        census
    };
    if !census.is_empty() {
        let rows: i64 = census
            .tables
            .iter()
            .filter(|(t, _)| t.as_str() != "recouvre_migrations")
            .map(|(_, n)| n)
            .sum();
        let (claims, debtors) = (census.rows("claims"), census.rows("debtors"));
        bail!(tr!(
            "the target database is not empty ({claims} claims, {debtors} debtors, {rows} rows in all): restore only into an empty database",
            "la base cible n'est pas vide ({claims} créances, {debtors} débiteurs, {rows} lignes en tout) : restaurer seulement dans une base vide"
        ));
    }
    Ok(())
}

/// A PostgreSQL source must be at the schema this Recouvre reads: the copy reads it with
/// today's queries (and a backup must not migrate the live database behind the server).
async fn require_current_schema(store: &store_pg::PgStore) -> Result<()> {
    let pending: Vec<_> = store
        .migration_status()
        .await?
        .into_iter()
        .filter(|m| m.applied_at.is_none())
        .map(|m| format!("{} {}", m.version, m.name))
        .collect();
    if !pending.is_empty() {
        let pending = pending.join(", ");
        bail!(tr!(
            "the source database is behind this Recouvre (pending migrations: {pending}): run `recouvre migrate` first",
            "la base source est en retard sur ce Recouvre (migrations en attente : {pending}) : lancez d'abord `recouvre migrate`"
        ));
    }
    Ok(())
}

/// Checks the written file: SQLite's integrity check, then its census against the
/// source's (without the tables a copy does not carry when the copy is not a `VACUUM
/// INTO`, which has them all).
async fn verify(file: &Path, source: &Census) -> Result<Census> {
    let copy = SqliteStore::open_read_only(file).await?;
    let problems = copy.integrity_problems().await?;
    if !problems.is_empty() {
        let problems = problems.join("; ");
        bail!(tr!(
            "the backup fails its integrity check: {problems}",
            "la sauvegarde est endommagée : {problems}"
        ));
    }
    let mut tx = copy.begin_read().await?;
    let mut census = tx.census().await?;
    drop(tx);
    copy.close().await;
    if !NOT_CARRIED.iter().any(|t| source.tables.contains_key(*t)) {
        census = census.without(NOT_CARRIED);
    }
    if &census != source {
        let difference = census_difference(source, &census);
        bail!(tr!(
            "the backup does not match its source: {difference}",
            "la sauvegarde ne correspond pas à la source : {difference}"
        ));
    }
    Ok(census)
}

/// `recouvre-YYYYMMDD-HHMMSS.db`, the moment in Paris time; `-2`, `-3`… when a backup of
/// the same second exists. The name is the file's own moment, not a business date: it
/// comes from the system clock even under `--as-of`.
fn backup_name(dir: &Path) -> Result<String> {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
    let stamp = jiff::Timestamp::now()
        .to_zoned(tz)
        .strftime("%Y%m%d-%H%M%S")
        .to_string();
    let mut name = format!("recouvre-{stamp}.db");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("recouvre-{stamp}-{n}.db");
        n += 1;
    }
    Ok(name)
}

/// Whether `name` is one of the files `backup_name` gives.
fn is_backup_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_prefix("recouvre-")
        .and_then(|s| s.strip_suffix(".db"))
    else {
        return false;
    };
    let (stamp, serial) = match stem.get(15..) {
        Some(rest) => (&stem[..stem.len().min(15)], rest),
        None => return false,
    };
    let stamp_ok = stamp.len() == 15
        && stamp
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() });
    let serial_ok = serial.is_empty()
        || serial
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    stamp_ok && serial_ok
}

/// Deletes the oldest backups in `dir` beyond the `keep` newest; returns their names.
fn prune(dir: &Path, keep: usize) -> Result<Vec<String>> {
    let mut backups: Vec<(String, u32)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_backup_name(n))
        .map(|n| {
            let serial = n[24..n.len() - 3]
                .trim_start_matches('-')
                .parse()
                .unwrap_or(1);
            (n, serial)
        })
        .collect();
    // Oldest first: by the second, then by the serial within it.
    backups.sort_by(|a, b| a.0[..24].cmp(&b.0[..24]).then(a.1.cmp(&b.1)));
    let excess = backups.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (name, _) in backups.into_iter().take(excess) {
        let path = dir.join(&name);
        std::fs::remove_file(&path).with_context(|| format!("cannot delete {}", path.display()))?;
        removed.push(name);
    }
    Ok(removed)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot delete {}", path.display())),
    }
}

fn print_report(r: &Report, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let mut t = table(&["table", "source", &tr!("copy", "copie")]);
    for (name, rows) in &r.source.tables {
        t.add_row(vec![Cell::new(name), right(rows), right(r.copy.rows(name))]);
    }
    for (currency, minor) in &r.source.ledger_minor {
        t.add_row(vec![
            Cell::new(tr!("ledger {currency}", "grand livre {currency}")),
            right(amount(*minor, currency)),
            right(amount(
                r.copy.ledger_minor.get(currency).copied().unwrap_or(0),
                currency,
            )),
        ]);
    }
    println!("{t}");
    match r.bytes {
        Some(bytes) => {
            let (target, method) = (&r.target, &r.method);
            println!(
                "{}",
                tr!(
                    "backup written and verified: {target} ({bytes} bytes, {method})",
                    "sauvegarde écrite et vérifiée : {target} ({bytes} octets, {method})"
                )
            );
            if r.writers_held {
                println!(
                    "{}",
                    tr!(
                        "writers kept committing: the copy held them back while it ran",
                        "les écritures ont attendu la fin de la copie"
                    )
                );
            }
        }
        None => {
            let target = &r.target;
            println!(
                "{}",
                tr!(
                    "restored and verified: {target}",
                    "restauration vérifiée : {target}"
                )
            )
        }
    }
    for name in &r.removed {
        println!(
            "{}",
            tr!(
                "older backup deleted: {name}",
                "ancienne sauvegarde supprimée : {name}"
            )
        );
    }
    Ok(())
}

/// A ledger sum in the currency's major unit when the currency is known (its minor
/// units otherwise).
fn amount(minor: i64, currency: &str) -> String {
    match domain::money::parse_currency(currency) {
        Ok(c) => domain::Money::from_minor(minor, c).to_string(),
        Err(_) => tr!("{minor} (minor units)", "{minor} (unités mineures)"),
    }
}
