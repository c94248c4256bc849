//! Jobs under a lease on a real SQLite store: a job another instance holds is skipped
//! without running; an expired lease is taken over; the outcome is recorded.

#![allow(clippy::unwrap_used)]

use recouvre_app::clock::FixedClock;
use recouvre_app::jobs::{Lease, Leased, under_lease};
use recouvre_app::store::{JobClaim, JobRequest, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_job_is_skipped_and_an_expired_one_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-11-23T06:00:00Z")
        .await
        .unwrap();
    let clock = FixedClock("2026-11-23".parse().unwrap());
    let key = recouvre_app::jobs::import_key(b"the same file");
    // Instance "other" holds the import's lease from t=1000 until t=2800.
    let mut tx = store.begin().await.unwrap();
    let claim = tx
        .claim_job(&JobRequest {
            key: &key,
            kind: "import",
            owner: "other",
            now: 1_000,
            lease_until: 2_800,
            again: true,
            at: "2026-11-23T06:00:00Z",
        })
        .await
        .unwrap();
    assert_eq!(claim, JobClaim::Acquired { attempts: 1 });
    tx.commit().await.unwrap();

    let lease = |now| Lease {
        key: &key,
        kind: "import",
        owner: "me",
        now,
        secs: 1_800,
    };
    // At t=2000 it is held: the job does not run.
    let mut ran = false;
    let out = under_lease(
        &store,
        &clock,
        lease(2_000),
        |n: &i32| n.to_string(),
        async {
            ran = true;
            Ok(7)
        },
    )
    .await
    .unwrap();
    assert!(matches!(out, Leased::Held { ref owner, until: 2_800 } if owner == "other"));
    assert!(!ran);
    // At t=2800 the lease has expired ("other" crashed): this instance does it.
    let out = under_lease(
        &store,
        &clock,
        lease(2_800),
        |n: &i32| n.to_string(),
        async { Ok(7) },
    )
    .await
    .unwrap();
    assert!(matches!(out, Leased::Ran { report: 7 }));
    // Recorded done with its summary.
    let mut tx = store.begin().await.unwrap();
    let again = tx
        .claim_job(&JobRequest {
            key: &key,
            kind: "import",
            owner: "third",
            now: 3_000,
            lease_until: 3_100,
            again: false,
            at: "2026-11-23T06:00:00Z",
        })
        .await
        .unwrap();
    assert_eq!(
        again,
        JobClaim::Done {
            finished_at: Some("2026-11-23T12:00:00Z".into()),
            result: Some("7".into())
        }
    );
}
