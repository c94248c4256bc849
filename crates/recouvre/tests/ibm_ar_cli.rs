//! Real data: IBM's accounts-receivable payment history (2,466 invoices of 100 customers,
//! 2012–2014; `datasets/` of the shared corpus, origin in its SOURCES.md), imported through
//! the ordinary claims import of the binary, exactly as a user would type it, then the
//! KPIs of `recouvre report kpis` compared with values computed independently of Recouvre.
//!
//! The independent values come from two places:
//!
//! 1. The corpus's SOURCES.md, which states figures computed on the raw file and matching
//!    a published analysis of it: 2,466 rows; every invoice on net-30 terms; `DaysLate =
//!    max(0, SettledDate − DueDate)`; 877 invoices paid late (35.56 %); mean DaysLate
//!    3.4424; mean DaysToSettle (`SettledDate − InvoiceDate`) 26.4448; sum of
//!    InvoiceAmount 147,703.18.
//! 2. This SQL, run with Python's sqlite3 over the raw CSV (dates rewritten to ISO, amounts
//!    in cents), for the simple DSO over the 90 days ending on a date D (receivables open
//!    at the end of D ÷ invoices issued in the 90 days × 90):
//!
//!    ```sql
//!    select (select sum(amount_cents) from ar where issued <= D and settled > D),
//!           (select sum(amount_cents) from ar where issued > date(D, '-90 day') and issued <= D);
//!    ```
//!
//!    D = 2013-06-30: 5,119.85 open ÷ 19,903.70 of sales × 90 = 23.1508 days;
//!    D = 2012-12-31: 5,725.06 ÷ 19,196.81 × 90 = 26.8407 days.
//!
//! The same DSO is also computed again below, in plain Rust over the raw cells, so that
//! the test checks itself on whatever copy of the file it reads.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../../formats/tests/common/skipped.rs"]
mod skipped;

use common::json;
use std::path::{Path, PathBuf};

const FILE: &str = "datasets/ibm-watson_WA_Fn-UseC_-Accounts-Receivable.csv";

fn corpus_file() -> Option<PathBuf> {
    let dir = std::env::var_os("RECOUVRE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    );
    let path = dir.join(FILE);
    path.exists().then_some(path)
}

/// The import, as CLAIMS_CSV.md documents it for this file.
fn import(db: &Path, file: &Path) -> serde_json::Value {
    json(
        db,
        "2014-01-31",
        &[
            "import",
            "claims",
            file.to_str().unwrap(),
            "--date-order",
            "mdy",
            "--map",
            "debtor_id=customerID,debtor_name=customerID,invoice_number=invoiceNumber",
            "--map",
            "issue_date=InvoiceDate,due_date=DueDate,amount=InvoiceAmount,paid_date=SettledDate",
            "--default",
            "debtor_kind=company",
            "--default",
            "currency=USD",
        ],
    )
}

fn kpis(db: &Path, from: &str, to: &str) -> serde_json::Value {
    let v = json(
        db,
        "2014-01-31",
        &["report", "kpis", "--from", from, "--to", to],
    );
    let currencies = v["currencies"].as_array().unwrap();
    assert_eq!(currencies.len(), 1, "{v}");
    assert_eq!(currencies[0]["currency"], "USD");
    currencies[0].clone()
}

fn dec(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Days since 0000-03-01 of a US date `M/D/YYYY` (a civil-calendar day count, written
/// here rather than taken from the code under test).
fn us_day(text: &str) -> i64 {
    let mut parts = text.split('/').map(|p| p.parse::<i64>().unwrap());
    let (m, d, y) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d
}

fn cents(text: &str) -> i64 {
    let (units, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    units.parse::<i64>().unwrap() * 100 + fraction[..2].parse::<i64>().unwrap()
}

/// The simple DSO over the 90 days ending on `to` (`M/D/YYYY`), in plain arithmetic over
/// the raw cells: (receivables open at the end of `to`, sales of the 90 days).
fn raw_dso(text: &str, to: &str) -> (i64, i64) {
    let to = us_day(to);
    let (mut open, mut sales) = (0, 0);
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        let (issued, amount, settled) = (us_day(cells[4]), cents(cells[6]), us_day(cells[8]));
        if issued <= to && settled > to {
            open += amount;
        }
        if issued > to - 90 && issued <= to {
            sales += amount;
        }
    }
    (open, sales)
}

#[test]
fn ibm_payment_history_gives_the_independent_kpis() {
    let Some(file) = corpus_file() else {
        skipped::skipped(
            "ibm_payment_history_gives_the_independent_kpis",
            &format!("no {FILE} (set RECOUVRE_CORPUS)"),
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ibm.db");

    let report = import(&db, &file);
    assert_eq!(report["rows"], 2466, "{report}");
    assert_eq!(report["debtors_created"], 100, "{report}");
    assert_eq!(report["claims_created"], 2466, "{report}");
    // Every invoice of the file was settled: one payment each.
    assert_eq!(report["settlements_posted"], 2466, "{report}");
    // Idempotent: the same file again changes nothing.
    let again = import(&db, &file);
    assert!(again["already_imported_at"].is_string(), "{again}");

    // Over the whole history, every invoice is paid in the period.
    let all = kpis(&db, "2012-01-01", "2014-01-31");
    assert_eq!(all["credit_sales"]["minor"], 14_770_318, "{all}");
    assert_eq!(all["collected"]["minor"], 14_770_318, "{all}");
    assert_eq!(all["receivables_end"]["minor"], 0, "{all}");
    assert_eq!(all["paid_claims"], 2466, "{all}");
    assert_eq!(all["paid_late"], 877, "{all}");
    // 877 / 2466 = 35.5636 %, shown to a tenth.
    assert_eq!(dec(&all["share_paid_late"]), "35.6", "{all}");
    // Mean DaysLate 3.4424 and mean DaysToSettle 26.4448, to a tenth.
    assert_eq!(dec(&all["average_days_late"]), "3.4", "{all}");
    assert_eq!(dec(&all["average_days_to_collect"]), "26.4", "{all}");

    // The simple DSO of two quarters, against the SQL above and the raw recomputation.
    let text = std::fs::read_to_string(&file).unwrap();
    for (from, to, us_to, open, sales, dso) in [
        (
            "2013-04-02",
            "2013-06-30",
            "6/30/2013",
            511_985,
            1_990_370,
            "23.2",
        ),
        (
            "2012-10-03",
            "2012-12-31",
            "12/31/2012",
            572_506,
            1_919_681,
            "26.8",
        ),
    ] {
        assert_eq!(
            raw_dso(&text, us_to),
            (open, sales),
            "raw DSO inputs on {to}"
        );
        let k = kpis(&db, from, to);
        assert_eq!(k["receivables_end"]["minor"], open, "{to}: {k}");
        assert_eq!(k["credit_sales"]["minor"], sales, "{to}: {k}");
        assert_eq!(dec(&k["dso_simple"]), dso, "{to}: {k}");
    }
}
