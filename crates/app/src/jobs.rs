//! Work several instances share, done once: the daily run (and imports) take a lease on a
//! row of the `jobs` table before they start. Whoever holds an unexpired lease does the
//! job; a second instance skips with a clear message; a crashed instance's lease expires
//! and another takes the job over. On PostgreSQL the claim locks the job's row
//! (`FOR UPDATE`), so two instances claiming at the same moment cannot both win; on
//! SQLite writers are serialised anyway.
//!
//! The lease is the first line of defence; the unique keys of actions and outbox entries
//! are the second: even a run taken over after its lease expired under a slow first
//! instance writes nothing twice.

use crate::clock::Clock;
use crate::dunning::{self, RunOptions, RunReport};
use crate::error::AppResult;
use crate::store::{JobClaim, JobRequest, Store};
use serde::Serialize;

/// How long a daily run's lease lasts (seconds): far longer than a run over a million
/// claims takes (see docs/benchmarks.md), short enough for a crashed run to be taken over
/// the same morning.
pub const RUN_LEASE_SECS: i64 = 30 * 60;

/// The job key of the daily run of a day.
pub fn run_key(day: domain::Date) -> String {
    format!("run:{day}")
}

/// What [`daily_run`] did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DailyRun {
    /// This instance ran the day.
    Ran { report: Box<RunReport> },
    /// Another instance holds the day's lease: nothing was done here.
    Held { owner: String, until: i64 },
}

/// Runs the day's dunning pass under the day's job lease (`run:<day>`), as `owner`, at
/// `now` (Unix seconds). A day already done runs again (a rerun creates nothing twice and
/// picks up what changed since); a day another instance is running is skipped.
pub async fn daily_run(
    store: &dyn Store,
    clock: &dyn Clock,
    options: RunOptions,
    owner: &str,
    now: i64,
) -> AppResult<DailyRun> {
    let key = run_key(clock.today());
    let at = clock.now_rfc3339();
    let mut tx = store.begin().await?;
    let claim = tx
        .claim_job(&JobRequest {
            key: &key,
            kind: "run",
            owner,
            now,
            lease_until: now + RUN_LEASE_SECS,
            again: true,
            at: &at,
        })
        .await?;
    tx.commit().await?;
    if let JobClaim::Held { owner, until } = claim {
        return Ok(DailyRun::Held { owner, until });
    }
    let result = dunning::run(store, clock, options).await;
    let mut tx = store.begin().await?;
    let summary = match &result {
        Ok(r) => format!("{} actions", r.actions.len()),
        Err(e) => e.to_string(),
    };
    tx.finish_job(&key, owner, result.is_ok(), &summary, &clock.now_rfc3339())
        .await?;
    tx.commit().await?;
    Ok(DailyRun::Ran {
        report: Box::new(result?),
    })
}
