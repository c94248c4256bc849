//! Work several instances share, done once: the daily run (and imports) take a lease on a
//! row of the `jobs` table before they start. Whoever holds an unexpired lease does the
//! job; a second instance skips with a clear message; a crashed instance's lease expires
//! and another takes the job over. A lease held by a process of this same host that is no
//! longer running (its pid gone from `/proc`) is taken over at once, without waiting for
//! it to expire. On PostgreSQL the claim locks the job's row
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

/// What a job under a lease did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Leased<T> {
    /// This instance did the job.
    Ran { report: T },
    /// Another instance holds the job's lease: nothing was done here.
    Held { owner: String, until: i64 },
}

/// A job's identity and lease, for [`under_lease`].
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    /// `run:2026-11-23`, `import:<sha256>`.
    pub key: &'a str,
    pub kind: &'a str,
    pub owner: &'a str,
    /// Unix seconds.
    pub now: i64,
    pub secs: i64,
}

/// Does `job` under the lease of `lease.key`: skipped (`Held`) while another instance
/// holds an unexpired lease; otherwise the lease is taken, the job done, and the job
/// recorded `done` (or `failed`, with the error) with `summary` of its result. A job done
/// before is done again: every job here is idempotent, the lease only keeps two
/// instances from doing it at the same time.
pub async fn under_lease<T, F>(
    store: &dyn Store,
    clock: &dyn Clock,
    lease: Lease<'_>,
    summary: impl Fn(&T) -> String,
    job: F,
) -> AppResult<Leased<T>>
where
    F: std::future::Future<Output = AppResult<T>>,
{
    let at = clock.now_rfc3339();
    let mut claim = claim_lease(store, &lease, &at, None).await?;
    if let JobClaim::Held { owner, .. } = &claim
        && owner_is_gone(owner)
    {
        // The holder crashed on this host: its lease is taken over now (unless another
        // instance did so first), not in up to half an hour.
        let gone = owner.clone();
        claim = claim_lease(store, &lease, &at, Some(&gone)).await?;
    }
    if let JobClaim::Held { owner, until } = claim {
        return Ok(Leased::Held { owner, until });
    }
    let result = job.await;
    let text = match &result {
        Ok(r) => summary(r),
        Err(e) => e.to_string(),
    };
    let mut tx = store.begin().await?;
    tx.finish_job(
        lease.key,
        lease.owner,
        result.is_ok(),
        &text,
        &clock.now_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(Leased::Ran { report: result? })
}

/// Takes `lease` (from `take_over` even if unexpired), in its own transaction.
async fn claim_lease(
    store: &dyn Store,
    lease: &Lease<'_>,
    at: &str,
    take_over: Option<&str>,
) -> AppResult<JobClaim> {
    let mut tx = store.begin().await?;
    let claim = tx
        .claim_job(&JobRequest {
            key: lease.key,
            kind: lease.kind,
            owner: lease.owner,
            now: lease.now,
            lease_until: lease.now + lease.secs,
            again: true,
            take_over,
            at,
        })
        .await?;
    tx.commit().await?;
    Ok(claim)
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
) -> AppResult<Leased<RunReport>> {
    let key = run_key(clock.today());
    let lease = Lease {
        key: &key,
        kind: "run",
        owner,
        now,
        secs: RUN_LEASE_SECS,
    };
    under_lease(
        store,
        clock,
        lease,
        |r: &RunReport| format!("{} actions", r.actions.len()),
        dunning::run(store, clock, options),
    )
    .await
}

/// Now in Unix seconds, for leases; with a business day (`--as-of`), that day at the
/// current time of day in Paris, so that instances run for the same day agree.
pub fn unix_now(as_of: Option<domain::Date>) -> i64 {
    let now = jiff::Timestamp::now();
    match as_of {
        None => now.as_second(),
        Some(day) => {
            let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
            let time = now.to_zoned(tz.clone()).time();
            day.to_datetime(time)
                .to_zoned(tz)
                .map(|z| z.timestamp().as_second())
                .unwrap_or_else(|_| now.as_second())
        }
    }
}

/// This host's name, as leases carry it.
pub fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into())
}

/// This process's name in leases and logs: `host:pid`.
pub fn instance_id() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

/// Whether the owner of a lease (`host:pid`, [`instance_id`]) is a process of this host
/// that no longer runs, so that its lease can be taken over at once. Only where `/proc`
/// lists the processes (Linux); elsewhere, or for an owner of another host or not of that
/// form, nothing can be told and the lease runs its course. Instances that share a host
/// name must share the process table (not two containers with one host name).
pub fn owner_is_gone(owner: &str) -> bool {
    let Some((host, pid)) = owner.rsplit_once(':') else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    let proc = std::path::Path::new("/proc");
    pid != 0
        && host == host_name()
        && proc.join("self").exists()
        && !proc.join(pid.to_string()).exists()
}

/// How long an import's lease lasts (seconds): far longer than a million-claim file takes.
pub const IMPORT_LEASE_SECS: i64 = 30 * 60;

/// The lease of an import (key from [`import_key`]) taken by `owner` at `now`.
pub fn import_lease<'a>(key: &'a str, owner: &'a str, now: i64) -> Lease<'a> {
    Lease {
        key,
        kind: "import",
        owner,
        now,
        secs: IMPORT_LEASE_SECS,
    }
}

/// The job key of an import: the SHA-256 of the file's bytes, so that two instances given
/// the same file at the same time import it once (the import's own fingerprint check then
/// makes any later attempt write nothing).
pub fn import_key(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("import:{hex}")
}

/// How far a long task (an import) has gone, for whoever shows it while it runs: `done`
/// of `total` units (rows of a claims file, transactions of a statement). Shared through
/// an `Arc`; the task advances it, a page reads it.
#[derive(Debug, Default)]
pub struct Progress {
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// The work is known: `total` units, none done yet.
    pub fn start(&self, total: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        self.total
            .store(u64::try_from(total).unwrap_or(u64::MAX), Relaxed);
        self.done.store(0, Relaxed);
    }

    /// One more unit done.
    pub fn advance(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// (done, total); total is 0 until the work is known.
    pub fn get(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.done.load(Relaxed), self.total.load(Relaxed))
    }
}

/// Advances `progress` when there is one.
pub fn advance(progress: Option<&std::sync::Arc<Progress>>) {
    if let Some(p) = progress {
        p.advance();
    }
}
