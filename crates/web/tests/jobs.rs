//! The background jobs as the web face shows them: `/health` says "degraded" while the
//! day's run has not ended two hours after its hour, and "ok" once it is done; the settings
//! page lists the jobs with their results and the hour of the daily run.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::{JobClaim, JobRequest, Role};
use common::spawn_sqlite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_settings_report_the_daily_run() {
    let app = spawn_sqlite().await;
    let health = || async {
        let r = app.client.get(app.url("/health")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json::<serde_json::Value>().await.unwrap()
    };
    // The test clock stands at noon UTC (14:00 in Paris, summer time) on its day; the
    // demo's run was made outside any job: no run is recorded, 06:30 + 2 h has passed.
    let h = health().await;
    assert_eq!(h["status"], "degraded", "{h}");
    assert_eq!(h["daily_run"]["late"], true);

    // The day's run, as the worker records it.
    let key = format!("run:{}", common::AS_OF);
    let mut tx = app.store.begin().await.unwrap();
    let claim = tx
        .claim_job(&JobRequest {
            key: &key,
            kind: "run",
            owner: "host:1",
            now: 1,
            lease_until: 2,
            again: true,
            take_over: None,
            at: "2026-06-30T04:31:00Z",
        })
        .await
        .unwrap();
    assert!(matches!(claim, JobClaim::Acquired { .. }));
    assert!(
        tx.finish_job(&key, "host:1", true, "412 actions", "2026-06-30T04:35:00Z")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let h = health().await;
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(h["daily_run"]["last_result"], "412 actions");
    // The next run: tomorrow 06:30 in Paris (UTC+2 in July) = 04:30 UTC.
    assert_eq!(h["daily_run"]["next"], "2026-07-01T04:30:00Z");

    let mut b = app.login(Role::Admin).await;
    let page = app.get(&mut b, "/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"jobs\""));
    assert!(page.body.contains(&key) && page.body.contains("412 actions"));
}
