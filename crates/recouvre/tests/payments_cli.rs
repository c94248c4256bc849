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

#[test]
fn import_statement_review_apply_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    recouvre(&db, "2026-03-01", &["init"]);
    let claims = data("claims.csv");
    recouvre(
        &db,
        "2026-03-01",
        &["import", "claims", claims.to_str().unwrap()],
    );

    let camt = data("camt053_march.xml");
    let camt = camt.to_str().unwrap();
    let table = recouvre(&db, "2026-03-03", &["import", "statement", camt]);
    assert!(
        table.contains("applied automatically / affectées automatiquement"),
        "{table}"
    );
    let again = recouvre(&db, "2026-03-03", &["import", "statement", camt]);
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
