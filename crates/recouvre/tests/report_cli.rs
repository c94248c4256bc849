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
    let fr = ok(&db, &["report", "kpis", "--format", "csv", "--lang", "fr"]);
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

/// `recouvre report payment-terms` on three claims imported from a file written here,
/// closing 2026-06-30, financial year from 2026-01-01; the import lists the row whose term
/// exceeds the caps and imports it; `show claim` says the same.
#[test]
fn payment_terms_table_and_import_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("terms.db");
    let csv = dir.path().join("claims.csv");
    // F-1: 15 Jan → 15 Apr, 90 days: beyond 60 days (16 Mar) and beyond "45 days end of
    // month" read either way ((a) 31 Jan + 45 = 17 Mar, (b) 1 Mar → 31 Mar).
    std::fs::write(
        &csv,
        "\
invoice_number,debtor_id,debtor_name,debtor_kind,segment,country,issue_date,due_date,amount,currency
F-1,D1,Garage Martin SARL,company,b2b,FR,2026-01-15,2026-04-15,1200.00,EUR
F-2,D1,Garage Martin SARL,company,b2b,FR,2026-05-01,2026-05-31,300.00,EUR
F-3,D2,Imprimerie Nouvelle,company,b2b,FR,2025-12-01,2025-12-31,500.00,EUR
",
    )
    .unwrap();
    let imported = ok(&db, &["import", "claims", csv.to_str().unwrap()]);
    assert!(
        imported.contains("line 2, invoice F-1") && !imported.contains("ligne 2, facture F-1"),
        "{imported}"
    );
    assert!(!imported.contains("F-2 ("), "{imported}");
    let shown = ok(&db, &["show", "claim", "1"]);
    assert!(
        shown.contains("F-1") && shown.contains("beyond the legal cap of 60 days"),
        "{shown}"
    );

    // Lateness at the closing 2026-06-30: F-1 due 04-15 → 15 + 31 + 30 = 76 days (61–90);
    // F-2 due 05-31 → 30 days (1–30); F-3 due 2025-12-31 → 181 days (91+).
    // Invoices issued in the year: F-1 + F-2 = 1,500.00; shares 300 / 1,500 = 20.0 %,
    // 1,200 / 1,500 = 80.0 %, 500 / 1,500 = 33.3 % (an invoice of the previous year), total
    // 2,000 / 1,500 = 133.3 %.
    let en = ok(
        &db,
        &[
            "report",
            "payment-terms",
            "--closing",
            "2026-06-30",
            "--year-start",
            "2026-01-01",
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    );
    let lines: Vec<&str> = en.lines().collect();
    assert_eq!(
        lines[0],
        "Lateness bracket,Currency,0 days (indicative),1 to 30 days,31 to 60 days,61 to 90 days,91 days and more,Total (1 day and more)"
    );
    assert_eq!(lines[1], "(A) Number of invoices concerned,EUR,0,1,0,1,1,3");
    assert!(
        lines[2].ends_with(",EUR,0.00,300.00,0.00,1200.00,500.00,2000.00"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with(",EUR,0.0,20.0,0.0,80.0,33.3,133.3"),
        "{}",
        lines[3]
    );
    assert!(en.contains("Contractual terms"), "{en}");
    // The closing defaults to the --as-of day and the year to the twelve months ending
    // then (2025-07-01 to 2026-06-30): the same brackets. French layout: semicolons,
    // decimal commas.
    let fr = ok(
        &db,
        &["report", "payment-terms", "--format", "csv", "--lang", "fr"],
    );
    assert!(
        fr.starts_with("Tranche de retard de paiement;Devise;0 jour (indicatif);1 à 30 jours;"),
        "{fr}"
    );
    assert!(
        fr.contains(";EUR;0,00;300,00;0,00;1200,00;500,00;2000,00\n"),
        "{fr}"
    );
    // Legal terms: 60 days from issue. F-1: 15 Jan + 60 = 16 Mar → 106 days (91+); F-2:
    // 1 May + 60 = 30 Jun → 0 days; F-3: 1 Dec + 60 = 30 Jan → 151 days (91+).
    let legal = ok(
        &db,
        &[
            "report",
            "payment-terms",
            "--reference",
            "legal",
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    );
    assert_eq!(
        legal.lines().nth(1),
        Some("(A) Number of invoices concerned,EUR,1,0,0,0,2,2")
    );
    // Nothing was paid: the D441-6 II table is empty.
    let paid = ok(
        &db,
        &[
            "report",
            "payment-terms",
            "--variant",
            "paid-late",
            "--format",
            "csv",
            "--lang",
            "en",
        ],
    );
    assert_eq!(
        paid.lines().nth(1),
        Some("(A) Number of invoices concerned,EUR,0,0,0,0,0,0")
    );
    let out = dir.path().join("terms.xlsx");
    ok(
        &db,
        &[
            "report",
            "payment-terms",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
    // Bad values are refused, saying why.
    let stderr = |args: &[&str]| String::from_utf8_lossy(&run(&db, args).stderr).into_owned();
    assert!(stderr(&["report", "payment-terms", "--amounts", "ht"]).contains("no VAT split"));
    assert!(stderr(&["report", "payment-terms", "--variant", "weekly"]).contains("paid-late"));
    assert!(
        stderr(&[
            "report",
            "payment-terms",
            "--closing",
            "2026-06-30",
            "--year-start",
            "2026-07-01"
        ])
        .contains("after its closing date")
    );
    assert!(
        stderr(&[
            "report",
            "payment-terms",
            "--closing",
            "2026-06-30",
            "--year-start",
            "2024-01-01"
        ])
        .contains("longer than 24 months")
    );
}
