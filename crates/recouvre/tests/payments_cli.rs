//! The payment commands through the real binary on a throw-away SQLite file, with the
//! statements of `crates/app/tests/data` (see `crates/app/tests/payments.rs` for the
//! portfolio and the figures).

#![allow(clippy::unwrap_used)]

mod common;
use common::{json, recouvre};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/data")
        .join(name)
}

/// A fresh database with the six claims of `claims.csv`.
fn portfolio() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    recouvre(&db, "2026-03-01", &["init"]);
    let claims = data("claims.csv");
    recouvre(
        &db,
        "2026-03-01",
        &["import", "claims", claims.to_str().unwrap()],
    );
    (dir, db)
}

#[test]
fn import_statement_review_apply_and_ignore() {
    let (_dir, db) = portfolio();

    let camt = data("camt053_march.xml");
    let camt = camt.to_str().unwrap();
    let table = recouvre(&db, "2026-03-03", &["import", "statement", camt]);
    assert!(table.contains("applied automatically"), "{table}");
    let again = recouvre(
        &db,
        "2026-03-03",
        &["import", "statement", camt, "--lang", "fr"],
    );
    assert!(again.contains("déjà été importé"), "{again}");

    // 1,000.00 (over-paying F2026-0105) and 300.00 (Dupont Frères) wait, oldest first.
    let review = json(&db, "2026-03-03", &["payments", "review"]);
    let items = review.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let dupont = &items[1];
    assert_eq!(dupont["payment"]["amount"]["minor"], 300_00);
    let id = dupont["payment"]["id"].as_i64().unwrap().to_string();
    // The later of Dupont's two claims, as suggested second or first.
    let claim = dupont["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["claims"].as_array().unwrap().clone())
        .find(|c| c["number"] == "F2026-0104")
        .unwrap()["claim_id"]
        .as_i64()
        .unwrap()
        .to_string();
    let posted = json(
        &db,
        "2026-03-03",
        &["payments", "apply", &id, "--claims", &claim],
    );
    assert_eq!(posted["allocations"][0]["amount"]["minor"], 300_00);

    let other = items[0]["payment"]["id"].as_i64().unwrap().to_string();
    let ignored = json(&db, "2026-03-03", &["payments", "ignore", &other]);
    assert_eq!(ignored[0]["status"], "ignored");
    let waiting = json(
        &db,
        "2026-03-03",
        &["payments", "list", "--status", "review"],
    );
    assert_eq!(waiting.as_array().unwrap().len(), 0);
    // 4 lines: applied, ignored (the debit), applied (by hand), ignored (by hand).
    let all = json(&db, "2026-03-03", &["payments"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
}

/// `recouvre worker --watch DIR` imports the statements dropped into DIR: the camt file
/// is booked (its payments listed) and moved to `done/`; a file that is no statement is
/// moved to `failed/` with the reason beside it, and books nothing. With `--backup-dir`,
/// the day's backup is written once its hour has passed, and restores.
#[test]
fn the_worker_imports_the_watched_folder() {
    let (dir, db) = portfolio();
    let inbox = dir.path().join("inbox");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(data("camt053_march.xml"), inbox.join("march.xml")).unwrap();
    std::fs::write(inbox.join("broken.xml"), "<Document><BkToCstmrStmt>").unwrap();
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--as-of",
            "2026-03-03",
            "worker",
        ])
        .args(["--watch", inbox.to_str().unwrap(), "--tick-secs", "1"])
        .args([
            "--backup-dir",
            backups.to_str().unwrap(),
            "--backup-at",
            "00:00",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let backup_file = || {
        std::fs::read_dir(&backups).ok().and_then(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "db"))
        })
    };
    while !(inbox.join("done/march.xml").exists()
        && inbox.join("failed/broken.xml.error.txt").exists()
        && backup_file().is_some())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the folder was not handled"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let _ = worker.kill();
    let _ = worker.wait();
    assert!(!inbox.join("march.xml").exists() && !inbox.join("broken.xml").exists());
    let why = std::fs::read_to_string(inbox.join("failed/broken.xml.error.txt")).unwrap();
    assert!(why.contains("broken.xml"), "{why}");
    // The camt statement's four entries are booked: Garage Martin's payment applied, the
    // bank's fee (a debit) set aside, two credits waiting for review.
    let payments = json(&db, "2026-03-03", &["payments", "list"]);
    let statuses: Vec<&str> = payments
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["review", "review", "ignored", "applied"],
        "{payments}"
    );

    // The backup restores into a fresh database (after or before the import: it was
    // taken at some round; either way it restores whole).
    let restored = dir.path().join("restored.db");
    let backup = backup_file().unwrap();
    recouvre(
        &restored,
        "2026-03-03",
        &["restore", backup.to_str().unwrap()],
    );
    let claims = json(&restored, "2026-03-03", &["summary"]);
    assert_eq!(claims["counts"]["claims"], 6, "{claims}");
}

/// Issue 23, also found: "Every change made from the CLI is audited like the same change
/// made from the web (today imports, payments apply/ignore, party add, SEPA creditor are
/// not)" and "A truncated MT940 is booked half and exits 0".
#[test]
fn command_line_changes_are_audited_and_a_statement_cut_short_is_refused() {
    let (dir, db) = portfolio();

    // mt940_day1.sta cut before its closing balance: refused, non-zero exit, nothing booked.
    let whole = std::fs::read_to_string(data("mt940_day1.sta")).unwrap();
    let cut = dir.path().join("cut.sta");
    std::fs::write(&cut, &whole[..whole.find(":62F:").unwrap()]).unwrap();
    let out = common::run(
        &db,
        "2026-03-03",
        &["import", "statement", cut.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":62F:") && err.contains("--accept-unbalanced"),
        "{err}"
    );
    assert_eq!(
        json(&db, "2026-03-03", &["payments"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Told to, it is imported: one credit.
    let report = json(
        &db,
        "2026-03-03",
        &[
            "import",
            "statement",
            cut.to_str().unwrap(),
            "--accept-unbalanced",
        ],
    );
    assert_eq!(report["new"], 1, "{report}");

    // A co-debtor and the SEPA identity, both from the command line.
    let debtors = json(&db, "2026-03-03", &["debtors"]);
    let debtors = debtors.as_array().unwrap();
    let (first, second) = (&debtors[0], &debtors[1]);
    let claims = json(
        &db,
        "2026-03-03",
        &["claims", "--debtor", &first["id"].to_string()],
    );
    let claim = claims[0]["id"].to_string();
    recouvre(
        &db,
        "2026-03-03",
        &[
            "party",
            "add",
            &claim,
            &second["id"].to_string(),
            "--role",
            "co_debtor",
        ],
    );
    recouvre(
        &db,
        "2026-03-03",
        &[
            "sepa",
            "creditor",
            "--name",
            "Acme SAS",
            "--iban",
            "FR7630006000011234567890189",
            "--ics",
            "DE98ZZZ09999999999",
        ],
    );

    let log = json(&db, "2026-03-03", &["audit", "--limit", "20"]);
    let mut actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "import.claims",
            "import.statement",
            "claim.add_party",
            "settings.sepa_creditor"
        ],
        "{log}"
    );
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == format!("cli:{user}")),
        "{log}"
    );
    let only = json(
        &db,
        "2026-03-03",
        &["audit", "--action", "import.statement"],
    );
    assert_eq!(only.as_array().unwrap().len(), 1, "{only}");
    assert_eq!(only[0]["subject"], format!("file:{}", cut.display()));
}
