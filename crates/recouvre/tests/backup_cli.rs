//! `recouvre backup` and `recouvre restore` through the real binary: a backup taken while
//! another process imports is the database of one moment, restores into a fresh SQLite
//! file and a fresh PostgreSQL schema with the same counts and balances, and a restore
//! into a database that holds data is refused without writing anything.

#![allow(clippy::unwrap_used)]

mod common;

use app::store::{Census, Store};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const DAY: &str = "2026-11-23";
/// Each import of the writer adds one debtor and `BATCH` claims of 10.00 EUR.
const BATCH: i64 = 40;

fn cli(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .args(["--db", db, "--as-of", DAY])
        .args(args)
        .output()
        .unwrap()
}

fn ok_json(db: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = cli(db, &all);
    assert!(
        out.status.success(),
        "recouvre {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The census of a database read through the store itself (not through the binary).
fn census_of(db: &str) -> Census {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store: Box<dyn Store> = if db.starts_with("postgres") {
            Box::new(store_pg::PgStore::connect(db).await.unwrap())
        } else {
            Box::new(
                store_sqlite::SqliteStore::open_read_only(Path::new(db))
                    .await
                    .unwrap(),
            )
        };
        let mut tx = store.begin_read().await.unwrap();
        tx.census().await.unwrap()
    })
}

fn census_json(v: &Value) -> Census {
    let mut c = Census::default();
    for (t, n) in v["tables"].as_object().unwrap() {
        c.tables.insert(t.clone(), n.as_i64().unwrap());
    }
    for (cur, n) in v["ledger_minor"].as_object().unwrap() {
        c.ledger_minor.insert(cur.clone(), n.as_i64().unwrap());
    }
    c
}

/// Writes the writer's claims files: file k holds debtor `W{k}` with `BATCH` invoices
/// of 10.00 EUR.
fn batches(dir: &Path, count: usize) -> Vec<String> {
    (1..=count)
        .map(|k| {
            let mut csv = String::from(
                "invoice_number,debtor_id,debtor_name,debtor_kind,segment,country,issue_date,due_date,amount,currency\n",
            );
            for i in 1..=BATCH {
                csv.push_str(&format!(
                    "W{k}-{i},W{k},Writer {k} SARL,company,b2b,FR,2026-09-01,2026-10-01,10.00,EUR\n"
                ));
            }
            let path = dir.join(format!("batch-{k}.csv"));
            std::fs::write(&path, csv).unwrap();
            path.display().to_string()
        })
        .collect()
}

/// Runs `import claims` of each batch in turn (each its own process and transaction),
/// then the daily run, until told to stop; signals after its first import.
fn spawn_writer(
    db: String,
    files: Vec<String>,
    stop: Arc<AtomicBool>,
) -> (
    std::thread::JoinHandle<usize>,
    std::sync::mpsc::Receiver<()>,
) {
    let (started, first) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let mut done = 0;
        for file in &files {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let out = cli(&db, &["import", "claims", file]);
            assert!(
                out.status.success(),
                "writer import: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            done += 1;
            if done == 1 {
                let _ = started.send(());
                let out = cli(&db, &["run"]);
                assert!(
                    out.status.success(),
                    "writer run: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        done
    });
    (handle, first)
}

/// The portfolio a backup holds is one the writer's imports went through, never half of
/// one: beyond the starting point `base`, whole batches of one debtor, `BATCH` claims and
/// `BATCH` × 10.00 EUR each.
fn assert_whole_batches(base: &Census, copy: &Census) -> i64 {
    let batches = copy.rows("debtors") - base.rows("debtors");
    assert!(batches >= 1, "the writer's first import is in the backup");
    assert_eq!(
        copy.rows("claims") - base.rows("claims"),
        batches * BATCH,
        "claims of whole imports"
    );
    assert_eq!(
        copy.rows("ledger_entries") - base.rows("ledger_entries"),
        batches * BATCH,
        "one invoice entry per claim"
    );
    // 10.00 EUR = 1,000 cents per claim.
    assert_eq!(
        copy.ledger_minor["EUR"] - base.ledger_minor["EUR"],
        batches * BATCH * 1_000,
        "the ledger's EUR sum moves by whole imports"
    );
    assert_eq!(copy.rows("imports") - base.rows("imports"), batches);
    batches
}

/// A SQLite database backed up while another process imports and runs; the backup is
/// verified by the command, holds whole imports only, and restores into a fresh SQLite
/// file and a fresh PostgreSQL schema with its counts and balances.
#[test]
fn a_sqlite_backup_taken_while_writing_restores_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db").display().to_string();
    let out = cli(
        &db,
        &["demo", "--no-serve", "--claims", "5000", "--debtors", "500"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = census_of(&db);

    let stop = Arc::new(AtomicBool::new(false));
    let (writer, first) = spawn_writer(db.clone(), batches(dir.path(), 30), stop.clone());
    first.recv().unwrap();
    let backup = dir.path().join("backup.db").display().to_string();
    let report = ok_json(&db, &["backup", &backup]);
    stop.store(true, Ordering::SeqCst);
    let imported = writer.join().unwrap();

    assert_eq!(report["method"], "vacuum-into");
    let source = census_json(&report["source"]);
    let copy = census_of(&backup);
    assert_eq!(copy, source, "the backup is the source at its moment");
    assert_eq!(copy, census_json(&report["copy"]));
    let batches = assert_whole_batches(&base, &copy);
    assert!(batches <= imported as i64);
    assert_eq!(
        report["bytes"].as_u64().unwrap(),
        std::fs::metadata(&backup).unwrap().len()
    );
    assert!(!Path::new(&format!("{backup}.partial")).exists());

    // Restored into a fresh SQLite file: every table but sessions and job leases, and the
    // ledger's sums, as in the backup.
    let carried = copy.without(app::copy::NOT_CARRIED);
    let restored = dir.path().join("restored.db").display().to_string();
    let report = ok_json(&restored, &["restore", &backup]);
    assert_eq!(census_json(&report["copy"]), carried);
    assert_eq!(
        census_of(&restored).without(app::copy::NOT_CARRIED),
        carried
    );

    // And into a fresh PostgreSQL schema.
    let schema = common::Schema::new("bk_sqlite");
    let report = ok_json(&schema.url, &["restore", &backup]);
    assert_eq!(census_json(&report["copy"]), carried);
    assert_eq!(
        census_of(&schema.url).without(app::copy::NOT_CARRIED),
        carried
    );
    // The restored portfolio reads the same: same open total in the summary.
    let summary_backup = ok_json(&backup, &["summary"]);
    let summary_pg = ok_json(&schema.url, &["summary"]);
    assert_eq!(summary_backup["open"], summary_pg["open"]);
}

/// A PostgreSQL database backed up (into a SQLite file, by the copy in one snapshot)
/// while another process imports; the file restores into a fresh SQLite database.
#[test]
fn a_postgres_backup_taken_while_writing_is_one_moment() {
    let dir = tempfile::tempdir().unwrap();
    let schema = common::Schema::new("bk_pg");
    let db = schema.url.clone();
    let out = cli(
        &db,
        &["demo", "--no-serve", "--claims", "2000", "--debtors", "200"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = census_of(&db);

    let stop = Arc::new(AtomicBool::new(false));
    let (writer, first) = spawn_writer(db.clone(), batches(dir.path(), 30), stop.clone());
    first.recv().unwrap();
    let backup = dir.path().join("pg-backup.db").display().to_string();
    let report = ok_json(&db, &["backup", &backup]);
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();

    assert_eq!(report["method"], "copy");
    let source = census_json(&report["source"]);
    let copy = census_of(&backup).without(app::copy::NOT_CARRIED);
    assert_eq!(copy, source);
    assert_whole_batches(&base.without(app::copy::NOT_CARRIED), &copy);

    let restored = dir.path().join("restored.db").display().to_string();
    let report = ok_json(&restored, &["restore", &backup]);
    assert_eq!(census_json(&report["copy"]), copy);
}

/// A restore into a database that holds data is refused with a clear error and changes
/// nothing in it; an existing backup file is not overwritten without --force.
#[test]
fn a_restore_into_a_database_with_data_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db").display().to_string();
    let out = cli(
        &db,
        &["demo", "--no-serve", "--claims", "300", "--debtors", "30"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let backup = dir.path().join("b.db").display().to_string();
    ok_json(&db, &["backup", &backup]);

    // The target: another database with one creditor and nothing else.
    let target = dir.path().join("target.db").display().to_string();
    let out = cli(&target, &["init"]);
    assert!(out.status.success());
    let before = census_of(&target);
    let bytes_before = std::fs::read(&target).unwrap();
    let out = cli(&target, &["restore", &backup]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not empty") && err.contains("restore only into an empty database"),
        "{err}"
    );
    assert_eq!(census_of(&target), before);
    assert_eq!(std::fs::read(&target).unwrap(), bytes_before);

    // The same on PostgreSQL.
    let schema = common::Schema::new("bk_full");
    let out = cli(&schema.url, &["init"]);
    assert!(out.status.success());
    let before = census_of(&schema.url);
    let out = cli(&schema.url, &["restore", &backup]);
    assert!(!out.status.success());
    assert_eq!(census_of(&schema.url), before);

    // A second backup to the same file needs --force.
    let out = cli(&db, &["backup", &backup]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    ok_json(&db, &["backup", &backup, "--force"]);
}

/// With a folder and --keep 2, three backups leave the two newest.
#[test]
fn keep_leaves_the_newest_backups() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db").display().to_string();
    assert!(cli(&db, &["init"]).status.success());
    let folder = dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    // Someone else's file in the folder is never touched.
    std::fs::write(folder.join("notes.txt"), "keep me").unwrap();
    let folder = folder.display().to_string();
    let mut written = Vec::new();
    for _ in 0..3 {
        let report = ok_json(&db, &["backup", &folder, "--keep", "2"]);
        written.push(report["target"].as_str().unwrap().to_string());
    }
    let mut left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    left.sort();
    let mut expected = vec![written[1].clone(), written[2].clone()];
    expected.push(format!("{folder}/notes.txt"));
    expected.sort();
    assert_eq!(left, expected);
    // --keep needs a folder.
    let out = cli(&db, &["backup", &format!("{folder}/x.db"), "--keep", "2"]);
    assert!(!out.status.success());
}
