//! `recouvre call` and the audited `scenarios load|reset` through the real binary on a
//! throw-away SQLite file.

#![allow(clippy::unwrap_used)]

mod common;

use common::{recouvre as ok, run};
use serde_json::Value;
use std::path::Path;

/// A call with a promise lands on the timeline with its promise; a note without text is
/// refused; `scenarios reset` is audited.
#[test]
fn a_call_is_logged_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    ok(&db, "2026-03-01", &["init"]);
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/data/claims.csv");
    ok(
        &db,
        "2026-03-01",
        &["import", "claims", claims.to_str().unwrap()],
    );
    let out = ok(
        &db,
        "2026-03-01",
        &[
            "--json",
            "call",
            "1",
            "--outcome",
            "reached",
            "--note",
            "will pay on the 15th",
            "--promise-amount",
            "100.00",
            "--promise-due",
            "2026-03-15",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["note"]["kind"], "call");
    assert_eq!(v["note"]["outcome"], "reached");
    assert_eq!(v["note"]["on"], "2026-03-01");
    assert_eq!(v["promise"][1]["due"], "2026-03-15");
    let refused = run(&db, "2026-03-01", &["call", "1", "--note", " "]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("note"), "{stderr}");
    ok(&db, "2026-03-01", &["scenarios", "reset"]);
}
