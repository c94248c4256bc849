//! Issue 23, "also found": after a crash, `run` and `import` printed "being done by …
//! skipped here" and exited 0 for the 30 minutes of the lease. Through the real binary on
//! a throw-away SQLite file: a lease held by a live instance (of another host) makes the
//! command fail with status 75 saying until when and that it can be retried then; a lease
//! held by a process of this host that no longer runs is taken over at once.

#![allow(clippy::unwrap_used)]

mod common;

use app::store::{JobClaim, JobRequest, Store};
use common::{recouvre as ok, run};
use std::path::Path;

const DAY: &str = "2026-03-01";
/// Far beyond any test's now: 2100-01-01T00:00:00Z.
const UNTIL: i64 = 4_102_444_800;

/// `owner` takes the lease of `key` until [`UNTIL`], as a crashed or busy instance would.
fn hold(db: &Path, key: &str, kind: &str, owner: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = store_sqlite::SqliteStore::open(db.to_str().unwrap(), "2026-03-01T06:00:00Z")
            .await
            .unwrap();
        let mut tx = store.begin().await.unwrap();
        let claim = tx
            .claim_job(&JobRequest {
                key,
                kind,
                owner,
                now: 1,
                lease_until: UNTIL,
                again: true,
                take_over: None,
                at: "2026-03-01T06:00:00Z",
            })
            .await
            .unwrap();
        assert!(matches!(claim, JobClaim::Acquired { .. }), "{claim:?}");
        tx.commit().await.unwrap();
    });
}

#[test]
fn a_held_lease_fails_the_command_and_a_dead_holder_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recouvre.db");
    ok(&db, DAY, &["init"]);
    let claims = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/data/claims.csv");
    let claims = claims.to_str().unwrap();
    let live = "other-host.example:4242";

    // The day's run, held by a live instance elsewhere: status 75, nothing on stdout, the
    // reason on stderr with the end of the lease, in the language asked.
    hold(&db, &format!("run:{DAY}"), "run", live);
    let out = run(&db, DAY, &["run"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        err.contains("the run of 2026-03-01 is being done by other-host.example:4242, whose lease runs until 2100-01-01T00:00:00Z"),
        "{err}"
    );
    assert!(err.contains("retry after 2100-01-01T00:00:00Z"), "{err}");
    let out = run(&db, DAY, &["--lang", "fr", "run"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("réessayez après 2100-01-01T00:00:00Z") && !err.contains("retry after"),
        "{err}"
    );
    // With --json, the lease on stdout for scripts, and the same status.
    let out = run(&db, DAY, &["--json", "run"]);
    assert_eq!(out.status.code(), Some(75));
    let held: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(held["outcome"], "held");
    assert_eq!(held["owner"], live);
    assert_eq!(held["until"], UNTIL);

    // An import of a file another instance is importing: the same, nothing imported.
    let key = app::jobs::import_key(&std::fs::read(claims).unwrap());
    hold(&db, &key, "import", live);
    let out = run(&db, DAY, &["import", "claims", claims]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.contains("the import of"), "{err}");
    assert!(err.contains("retry after 2100-01-01T00:00:00Z"), "{err}");
    let debtors = common::json(&db, DAY, &["debtors"]);
    assert_eq!(debtors.as_array().map(Vec::len), Some(0), "{debtors}");

    // The holder was a process of this host that has died (no pid exceeds the kernel's
    // maximum): taken over at once, the command does its work and succeeds.
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let dead = format!("{}:{}", app::jobs::host_name(), pid_max + 1);
    let key_dead = "run:2026-03-02";
    hold(&db, key_dead, "run", &dead);
    let report = common::json(&db, "2026-03-02", &["run"]);
    assert!(report.get("actions").is_some(), "{report}");
    let out = run(&db, DAY, &["import", "claims", claims]);
    assert_eq!(
        out.status.code(),
        Some(75),
        "the live holder still holds its import"
    );
}
