//! When the background jobs run, and whether they are late: the daily collection run at a
//! local time of day (default 06:30, Europe/Paris), catching up when the process starts
//! after that time; the state every instance reads from the `jobs` table (the settings
//! page, `/health`).
//!
//! The decisions are pure functions of the configured time, the current instant and the
//! day's job as the table holds it; `recouvre serve` and `recouvre worker` call them on
//! each tick.

use crate::error::AppResult;
use crate::jobs::run_key;
use crate::store::{StoredJob, Tx};
use domain::Date;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::Serialize;

/// The default hour of the daily run: before the working day, after the night's bank
/// statements.
pub const DEFAULT_RUN_AT: &str = "06:30";

/// A failed run is tried again after this many seconds.
pub const RETRY_FAILED_SECS: i64 = 15 * 60;

/// The daily run is late when it has not ended this many seconds after its hour.
pub const LATE_AFTER_SECS: i64 = 2 * 60 * 60;

/// When the daily run runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub run_at: Time,
    pub tz: TimeZone,
}

impl Schedule {
    /// `HH:MM` (24 h) in Europe/Paris; a clear error otherwise.
    pub fn parse(run_at: &str) -> Result<Self, String> {
        let t = run_at.trim();
        let time = t
            .split_once(':')
            .filter(|(h, m)| h.len() <= 2 && m.len() == 2)
            .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
            .and_then(|(h, m)| Time::new(h, m, 0, 0).ok())
            .ok_or_else(|| {
                domain::tr!(
                    "run time {t:?}: expected HH:MM, e.g. 06:30",
                    "heure {t:?} : HH:MM attendu, par exemple 06:30"
                )
            })?;
        Ok(Self {
            run_at: time,
            tz: TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC),
        })
    }

    /// The instant (Unix seconds) of the run of `day`.
    pub fn instant_of(&self, day: Date) -> i64 {
        day.to_datetime(self.run_at)
            .to_zoned(self.tz.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0)
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            run_at: Time::new(6, 30, 0, 0).unwrap_or(Time::midnight()),
            tz: TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC),
        }
    }
}

/// Seconds since the epoch of an RFC 3339 time, when it reads.
fn seconds(rfc3339: &str) -> Option<i64> {
    rfc3339
        .parse::<jiff::Timestamp>()
        .ok()
        .map(jiff::Timestamp::as_second)
}

/// Whether the run of `today` is due at `now` (Unix seconds): its hour has passed and its
/// job is neither done nor running under a live lease; a failed run is tried again after
/// [`RETRY_FAILED_SECS`]. A process started after the hour runs it at once (catching up;
/// the run itself catches up the days it missed).
pub fn run_due(schedule: &Schedule, today: Date, now: i64, job: Option<&StoredJob>) -> bool {
    if now < schedule.instant_of(today) {
        return false;
    }
    match job {
        None => true,
        Some(j) => match j.state.as_str() {
            "done" => false,
            "running" => j.lease_until.is_none_or(|until| until <= now),
            _ => j
                .finished_at
                .as_deref()
                .and_then(seconds)
                .is_none_or(|at| now - at >= RETRY_FAILED_SECS),
        },
    }
}

/// What the settings page and `/health` say of the daily run.
#[derive(Debug, Clone, Serialize)]
pub struct RunStatus {
    /// The day's job, when it started.
    pub today: Option<StoredJob>,
    /// The last run that ended (any day), done or failed.
    pub last: Option<StoredJob>,
    /// The next run's instant (RFC 3339).
    pub next: String,
    /// The day's run has not ended [`LATE_AFTER_SECS`] after its hour.
    pub late: bool,
    /// The last run that ended failed.
    pub failed: bool,
}

/// The daily run's status at `now`, for `today`.
pub async fn run_status(
    tx: &mut dyn Tx,
    schedule: &Schedule,
    today: Date,
    now: i64,
) -> AppResult<RunStatus> {
    let key = run_key(today);
    let jobs = tx.jobs(Some("run"), 20).await?;
    let today_job = jobs.iter().find(|j| j.key == key).cloned();
    let last = jobs.iter().find(|j| j.state != "running").cloned();
    let done_today = today_job.as_ref().is_some_and(|j| j.state == "done");
    let today_at = schedule.instant_of(today);
    let next = if done_today {
        schedule.instant_of(today.tomorrow().unwrap_or(today))
    } else if now >= today_at {
        // Due now, or running, or waiting to be tried again: as soon as the worker can.
        now.max(today_at)
    } else {
        today_at
    };
    let next = jiff::Timestamp::from_second(next)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let late = !done_today && now > schedule.instant_of(today) + LATE_AFTER_SECS;
    let failed = last.as_ref().is_some_and(|j| j.state == "failed");
    Ok(RunStatus {
        today: today_job,
        last,
        next,
        late,
        failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(state: &str, lease_until: Option<i64>, finished_at: Option<&str>) -> StoredJob {
        StoredJob {
            key: "run:2026-12-07".into(),
            kind: "run".into(),
            state: state.into(),
            lease_owner: lease_until.map(|_| "host:1".into()),
            lease_until,
            attempts: 1,
            started_at: "2026-12-07T05:30:00Z".into(),
            finished_at: finished_at.map(str::to_string),
            result: None,
        }
    }

    #[test]
    fn the_run_is_due_once_its_hour_has_passed_and_until_it_is_done() {
        let s = Schedule::parse("06:30").unwrap();
        let day = Date::new(2026, 12, 7).unwrap();
        // 06:30 in Paris on 7 December 2026 (UTC+1) is 05:30 UTC.
        let at = "2026-12-07T05:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second();
        assert_eq!(s.instant_of(day), at);
        assert!(!run_due(&s, day, at - 1, None));
        assert!(run_due(&s, day, at, None));
        // Started at 09:00 after a night down: due at once (catching up).
        assert!(run_due(&s, day, at + 9_000, None));
        assert!(!run_due(&s, day, at + 60, Some(&job("done", None, None))));
        // Running under another instance's live lease: not due; its lease expired: due.
        assert!(!run_due(
            &s,
            day,
            at + 60,
            Some(&job("running", Some(at + 600), None))
        ));
        assert!(run_due(
            &s,
            day,
            at + 601,
            Some(&job("running", Some(at + 600), None))
        ));
        // Failed at 05:31 UTC: tried again from 05:46.
        let failed = job("failed", None, Some("2026-12-07T05:31:00Z"));
        assert!(!run_due(
            &s,
            day,
            at + 60 + RETRY_FAILED_SECS - 1,
            Some(&failed)
        ));
        assert!(run_due(&s, day, at + 60 + RETRY_FAILED_SECS, Some(&failed)));
    }

    #[test]
    fn run_times_read_strictly() {
        assert_eq!(
            Schedule::parse("7:05").unwrap().run_at,
            Time::new(7, 5, 0, 0).unwrap()
        );
        for bad in ["25:00", "06h30", "6:3", "", "06:30:00"] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }
}
