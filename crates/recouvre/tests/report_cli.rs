//! `recouvre report` through the real binary on a throw-away SQLite demo database: the CSV
//! of the aged balance carries the summary's open amounts, XLSX needs a file, bad options
//! are refused with a clear message.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Output;

const DAY: &str = "2026-06-30";

fn run(db: &Path, args: &[&str]) -> Output {
    common::run(db, DAY, args)
}

fn ok(db: &Path, args: &[&str]) -> String {
    common::recouvre(db, DAY, args)
}

#[test]
fn report_as_csv_xlsx_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(
        &db,
        &[
            "demo",
            "--no-serve",
            "--debtors",
            "100",
            "--claims",
            "1000",
            "--simulate-days",
            "0",
        ],
    );
    // The summary's open amounts (aged through `Book::aged_balance`)…
    let summary: serde_json::Value =
        serde_json::from_str(&ok(&db, &["--json", "summary"])).unwrap();
    // …are the total lines of the aged balance CSV, English layout: group, currency, six
    // buckets, then the total (column 9).
    let csv = ok(
        &db,
        &[
            "report",
            "aging",
            "--format",
            "csv",
            "--lang",
            "en",
            "--group-by",
            "country",
        ],
    );
    assert!(
        csv.starts_with(
            "Group,Currency,not due,1-30,31-60,61-90,91-180,> 180,Total,Overdue,Open claims\n"
        ),
        "{csv}"
    );
    for open in summary["open"].as_array().unwrap() {
        let (amount, currency) = (
            open["minor"].as_i64().unwrap(),
            open["currency"].as_str().unwrap(),
        );
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("Total,{currency},")))
            .unwrap();
        let total = line.split(',').nth(8).unwrap().replace('.', "");
        assert_eq!(total.parse::<i64>().unwrap(), amount, "{line}");
    }
    // French: semicolons and decimal commas.
    let fr = ok(&db, &["report", "kpis", "--format", "csv"]);
    assert!(fr.starts_with("Clé;Indicateur;Devise;Valeur\n"), "{fr}");
    assert!(fr.contains("kpi-dso-simple;DSO, méthode simple (jours);EUR;"));
    // XLSX goes to a file, and needs one.
    let out = dir.path().join("forecast.xlsx");
    ok(
        &db,
        &[
            "report",
            "forecast",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
    let refused = run(&db, &["report", "forecast", "--format", "xlsx"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--out"));
    let bad = run(&db, &["report", "aging", "--group-by", "planet"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("collector"));
    let reversed = run(
        &db,
        &[
            "report",
            "kpis",
            "--from",
            "2026-06-30",
            "--to",
            "2026-06-01",
        ],
    );
    assert!(
        String::from_utf8_lossy(&reversed.stderr).contains("starts (2026-06-30) after it ends")
    );
    // JSON: the full figures.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["--json", "report", "forecast"])).unwrap();
    assert_eq!(json["weeks"].as_array().unwrap().len(), 13);
}
