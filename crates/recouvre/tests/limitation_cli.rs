//! `recouvre event add|list` and `recouvre limitation` through the real binary on a
//! throw-away SQLite file: recorded events move the deadlines the list shows.

#![allow(clippy::unwrap_used)]

mod common;

use common::{recouvre as ok, run};
use serde_json::Value;
use std::path::Path;

/// F2026-0101 (debtor 1, B2B, due 2026-02-09) runs 5 years (L110-4) to 2031-02-09; an
/// acknowledgment recorded on the debtor on 2027-05-03 restarts 5 years → 2032-05-03
/// (C. civ. 2231). F2026-0102 (debtor 2) gets a judgment enforceable 2027-06-01 → 10
/// years (CPCE L111-4) → 2037-06-01. A date after --as-of is refused and writes nothing.
#[test]
fn recorded_events_move_the_limitation_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    let day = "2028-03-01";
    ok(&db, day, &["init"]);
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/data/claims.csv");
    ok(&db, day, &["import", "claims", claims.to_str().unwrap()]);
    let deadline_of = |number: &str| {
        let out = ok(&db, day, &["--json", "limitation", "--within", "100000"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        let line = v
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["number"] == number)
            .unwrap()
            .clone();
        (
            line["deadline"]["deadline"].as_str().unwrap().to_string(),
            line["deadline"]["runs_from"]["kind"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    assert_eq!(
        deadline_of("F2026-0101"),
        ("2031-02-09".to_string(), "exigibility".to_string())
    );
    ok(
        &db,
        day,
        &[
            "event",
            "add",
            "--debtor",
            "1",
            "--kind",
            "acknowledgment",
            "--date",
            "2027-05-03",
            "--proof",
            "courrier du 3 mai",
        ],
    );
    assert_eq!(
        deadline_of("F2026-0101"),
        ("2032-05-03".to_string(), "acknowledgment".to_string())
    );
    ok(
        &db,
        day,
        &[
            "event",
            "add",
            "--claim",
            "2",
            "--kind",
            "judgment",
            "--date",
            "2027-06-01",
        ],
    );
    assert_eq!(
        deadline_of("F2026-0102"),
        ("2037-06-01".to_string(), "judgment".to_string())
    );

    let refused = run(
        &db,
        day,
        &[
            "event",
            "add",
            "--debtor",
            "1",
            "--kind",
            "acknowledgment",
            "--date",
            "2028-03-02",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("date: 2028-03-02 is in the future"),
        "{stderr}"
    );
    let bad_kind = run(
        &db,
        day,
        &[
            "event",
            "add",
            "--debtor",
            "1",
            "--kind",
            "promise",
            "--date",
            "2027-01-01",
        ],
    );
    assert!(!bad_kind.status.success());
    assert!(String::from_utf8_lossy(&bad_kind.stderr).contains("--kind"));
    let listed: Value =
        serde_json::from_str(&ok(&db, day, &["--json", "event", "list", "--debtor", "1"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["kind"], "acknowledgment");
    assert_eq!(listed[0]["proof"], "courrier du 3 mai");
    assert!(
        listed[0]["recorded_by"]
            .as_str()
            .unwrap()
            .starts_with("cli:")
    );
    let all: Value = serde_json::from_str(&ok(&db, day, &["--json", "event", "list"])).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
}
