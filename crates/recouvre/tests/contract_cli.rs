//! Terms of sale and formal notices through the real binary on a throw-away SQLite file:
//! `creditor` sets an existing creditor's terms (a second transaction once the lookup is
//! done: on SQLite an open one would lock the database), `terms` a claim's own, `notice`
//! records a notice and its delivery, and `interest` then says which event started it.

#![allow(clippy::unwrap_used)]

mod common;

use common::{json, recouvre as ok, run};
use std::path::Path;

#[test]
fn terms_and_notices_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    let day = "2026-03-31";
    ok(&db, day, &["init", "--creditor-code", "ACME"]);
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/data/claims.csv");
    ok(&db, day, &["import", "claims", claims.to_str().unwrap()]);

    // An existing creditor's terms: set, merged field by field, shown.
    let set = json(
        &db,
        day,
        &[
            "creditor",
            "ACME",
            "--penalty-rate",
            "3 fois le taux légal",
            "--indemnity",
            "60",
        ],
    );
    assert_eq!(
        set["terms"]["penalty_rate"]["kind"], "legal_multiple",
        "{set}"
    );
    let again = json(
        &db,
        day,
        &[
            "creditor",
            "ACME",
            "--payment-terms",
            "45 jours fin de mois",
        ],
    );
    assert_eq!(again["terms"]["penalty_rate"]["kind"], "legal_multiple");
    assert_eq!(again["terms"]["payment_term"]["days"], 45);
    // A negative rate is refused by our parser (not taken for an option), nothing written.
    let bad = run(&db, day, &["creditor", "ACME", "--penalty-rate", "-5%"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("negative"), "{err}");
    let shown = json(&db, day, &["creditor", "ACME"]);
    assert_eq!(shown["terms"], again["terms"]);

    // A claim's own rate overrides the creditor's; the rest stays the creditor's.
    let own = json(&db, day, &["terms", "1", "--penalty-rate", "12%"]);
    assert_eq!(own["terms"]["penalty_rate"]["annual_rate"], "12");
    assert_eq!(own["effective"]["indemnity"], "60");
    let i = json(&db, day, &["interest", "1"]);
    assert_eq!(i["regime"], "fr_b2b_contractual");
    assert_eq!(i["interest_start"]["event"], "due_date");
    assert_eq!(i["indemnity"]["amount"]["minor"], 6_000, "{i}");

    // A notice sent by hand, then its first presentation.
    let n = json(
        &db,
        day,
        &[
            "notice",
            "add",
            "1",
            "--sent",
            "2026-03-20",
            "--tracking",
            "1A42",
        ],
    );
    let id = n["id"].as_i64().unwrap();
    let d = json(
        &db,
        day,
        &[
            "notice",
            "delivery",
            &id.to_string(),
            "--presented",
            "2026-03-23",
        ],
    );
    assert_eq!(d[0]["presented_on"], "2026-03-23", "{d}");
    let future = run(
        &db,
        day,
        &[
            "notice",
            "delivery",
            &id.to_string(),
            "--received",
            "2026-04-02",
        ],
    );
    assert!(!future.status.success(), "a receipt after today is refused");

    // A write-off of part of claim 2 (480.00 open), with its reason.
    let w = json(
        &db,
        day,
        &[
            "write-off",
            "2",
            "--reason",
            "geste commercial",
            "--amount",
            "80,00",
        ],
    );
    assert_eq!(w["written_off"]["minor"], 8_000, "{w}");
    let too_much = run(
        &db,
        day,
        &["write-off", "2", "--reason", "x", "--amount", "500"],
    );
    assert!(!too_much.status.success());
}
