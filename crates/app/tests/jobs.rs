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
            take_over: None,
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
            take_over: None,
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

/// Issue 23, "also found": after a crash, `run` and `import` said "being done by …
/// skipped here" for the rest of the lease (30 minutes). A lease whose owner is a process
/// of this host that no longer runs is taken over at once; one of another host, or of a
/// process of this host that runs, is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_of_a_dead_process_of_this_host_is_taken_over_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-11-23T06:00:00Z")
        .await
        .unwrap();
    let clock = FixedClock("2026-11-23".parse().unwrap());
    let host = recouvre_app::jobs::host_name();
    // No process can have a pid above the kernel's maximum: that one is surely gone.
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let dead = format!("{host}:{}", pid_max + 1);
    // A process of this host that runs: the test runner that started this test.
    let alive = format!("{host}:{}", std::os::unix::process::parent_id());
    let elsewhere = format!("another-host.example:{}", pid_max + 1);
    assert!(recouvre_app::jobs::owner_is_gone(&dead));
    assert!(!recouvre_app::jobs::owner_is_gone(&alive));
    assert!(!recouvre_app::jobs::owner_is_gone(&elsewhere));
    assert!(!recouvre_app::jobs::owner_is_gone("no-pid-here"));

    for (n, holder, taken) in [(1, &alive, false), (2, &elsewhere, false), (3, &dead, true)] {
        let key = format!("run:2026-11-2{n}");
        // The holder took the lease at t=1000 until t=2800 ...
        let mut tx = store.begin().await.unwrap();
        tx.claim_job(&JobRequest {
            key: &key,
            kind: "run",
            owner: holder,
            now: 1_000,
            lease_until: 2_800,
            again: true,
            take_over: None,
            at: "2026-11-23T06:00:00Z",
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // ... and at t=1100, well before it expires, this instance wants the job.
        let mut ran = false;
        let out = under_lease(
            &store,
            &clock,
            Lease {
                key: &key,
                kind: "run",
                owner: "me",
                now: 1_100,
                secs: 1_800,
            },
            |n: &i32| n.to_string(),
            async {
                ran = true;
                Ok(7)
            },
        )
        .await
        .unwrap();
        assert_eq!(ran, taken, "{holder}");
        if taken {
            assert!(matches!(out, Leased::Ran { report: 7 }), "{holder}");
        } else {
            assert!(
                matches!(out, Leased::Held { ref owner, until: 2_800 } if owner == holder),
                "{holder}"
            );
        }
        let job = store
            .begin()
            .await
            .unwrap()
            .jobs(Some("run"), 10)
            .await
            .unwrap();
        let job = job.iter().find(|j| j.key == key).unwrap();
        if taken {
            // Done by this instance: the second attempt, with its summary.
            assert_eq!(job.state, "done");
            assert_eq!(job.attempts, 2);
            assert_eq!(job.result.as_deref(), Some("7"));
        } else {
            assert_eq!(job.state, "running");
            assert_eq!(job.lease_owner.as_deref(), Some(holder.as_str()));
        }
    }

    // The store takes over only the owner named: if another instance took the lease in
    // between, naming the dead one takes nothing.
    let mut tx = store.begin().await.unwrap();
    let claim = tx
        .claim_job(&JobRequest {
            key: "run:2026-11-21",
            kind: "run",
            owner: "me",
            now: 1_200,
            lease_until: 3_000,
            again: true,
            take_over: Some(&dead),
            at: "2026-11-23T06:00:00Z",
        })
        .await
        .unwrap();
    assert_eq!(
        claim,
        JobClaim::Held {
            owner: alive.clone(),
            until: 2_800
        }
    );
}
