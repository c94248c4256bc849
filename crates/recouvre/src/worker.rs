//! The background work of a Recouvre process: `recouvre serve` runs it beside the web
//! application (unless `--no-worker`), `recouvre worker` alone. On each tick (every 30
//! seconds by default):
//! 1. the daily collection run, once its hour has passed (`--run-at`, default 06:30
//!    Europe/Paris), under the day's job lease — several instances run it once;
//! 2. the delivery of the outbox (e-mails, SMS) when a channel is configured, under the
//!    outbox's per-message leases — each message goes out once;
//! 3. once the daily run's hour has passed, the list of debtors due for erasure of their
//!    personal data (`app::gdpr::propose_due`), under the lease `gdpr:<day>`: recorded as
//!    erasure requests an admin approves (nothing is erased by the job itself);
//! 4. the bank statement files dropped into the watched folder (`--watch DIR`), each
//!    imported under its file's lease and moved to `DIR/done/`, or to `DIR/failed/` with
//!    the error beside it in `NAME.error.txt`.
//!
//! A failure in one of them is logged and recorded (the `jobs` table for the run) and
//! does not stop the others nor the web application.

use crate::delivery_cli::Delivery;
use anyhow::{Context, Result};
use app::clock::Clock;
use app::schedule::{Schedule, run_due};
use app::store::Store;
use clap::Args;
use domain::Date;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How the background work runs (`recouvre serve` and `recouvre worker`).
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The local time (Europe/Paris, HH:MM) of the daily collection run; a process started
    /// later that day runs it at once.
    #[arg(long, env = "RECOUVRE_RUN_AT", default_value = app::schedule::DEFAULT_RUN_AT)]
    pub run_at: String,
    /// A folder whose bank statement files (camt, MT940) are imported as they arrive,
    /// then moved to `done/` or `failed/` inside it.
    #[arg(long, env = "RECOUVRE_WATCH")]
    pub watch: Option<PathBuf>,
    /// Seconds between two rounds of background work.
    #[arg(long, env = "RECOUVRE_TICK_SECS", default_value_t = 30)]
    pub tick_secs: u64,
    /// A folder where a verified backup of the database is written every day (as
    /// `recouvre backup DIR --keep N` does), at `--backup-at`.
    #[arg(long, env = "RECOUVRE_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// The local time (Europe/Paris, HH:MM) of the daily backup.
    #[arg(long, env = "RECOUVRE_BACKUP_AT", default_value = "02:30")]
    pub backup_at: String,
    /// How many daily backups are kept in `--backup-dir`.
    #[arg(long, env = "RECOUVRE_BACKUP_KEEP", default_value_t = 14)]
    pub backup_keep: u32,
    #[command(flatten)]
    pub rates: crate::cli::RatesArg,
}

/// What one round of background work did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Tick {
    /// The actions the daily run created, when it ran in this round.
    pub run_actions: Option<usize>,
    /// Messages sent in this round.
    pub sent: usize,
    /// The backup written in this round.
    pub backup: Option<String>,
    /// Erasure requests proposed in this round (the daily GDPR job).
    pub erasure_proposed: Option<usize>,
    /// Files imported from the watched folder, and files refused.
    pub imported: Vec<String>,
    pub refused: Vec<String>,
    /// What failed, for the log.
    pub errors: Vec<String>,
}

/// The background work of one process.
pub struct BackgroundWork {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    as_of: Option<Date>,
    schedule: Schedule,
    watch: Option<PathBuf>,
    tick: Duration,
    tables: domain::law::RateTables,
    templates: Option<PathBuf>,
    id: String,
    /// The database (`--db`), and where and when its daily backup goes.
    db: String,
    backup: Option<(PathBuf, Schedule, u32)>,
}

impl std::fmt::Debug for BackgroundWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundWork")
            .field("id", &self.id)
            .field("schedule", &self.schedule)
            .field("watch", &self.watch)
            .finish_non_exhaustive()
    }
}

impl BackgroundWork {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        as_of: Option<Date>,
        templates: Option<PathBuf>,
        db: String,
        args: &WorkerArgs,
    ) -> Result<Self> {
        let schedule = Schedule::parse(&args.run_at).map_err(anyhow::Error::msg)?;
        let backup = match &args.backup_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("--backup-dir {}: cannot create it", dir.display()))?;
                Some((
                    dir.clone(),
                    Schedule::parse(&args.backup_at).map_err(anyhow::Error::msg)?,
                    args.backup_keep.max(1),
                ))
            }
            None => None,
        };
        if let Some(dir) = &args.watch {
            for sub in ["done", "failed"] {
                std::fs::create_dir_all(dir.join(sub))
                    .with_context(|| format!("--watch {}: cannot create {sub}/", dir.display()))?;
            }
        }
        Ok(Self {
            store,
            clock,
            as_of,
            schedule,
            watch: args.watch.clone(),
            tick: Duration::from_secs(args.tick_secs.max(1)),
            tables: crate::rate_tables(&args.rates)?,
            templates,
            id: crate::delivery_cli::default_worker_id(),
            db,
            backup,
        })
    }

    /// Rounds of work until `shutdown` resolves.
    pub async fn run_until(&self, shutdown: impl std::future::Future<Output = ()>) {
        tracing::info!(
            "background work as {}: daily run at {} (Europe/Paris){}",
            self.id,
            self.schedule.run_at,
            self.watch
                .as_ref()
                .map(|w| format!(", watching {}", w.display()))
                .unwrap_or_default()
        );
        tokio::pin!(shutdown);
        loop {
            let t = self.tick().await;
            for e in &t.errors {
                // Delivery and import errors may quote an address or an account.
                tracing::error!("background work: {}", domain::redact::redact(e));
            }
            if let Some(n) = t.run_actions {
                tracing::info!("daily run of {}: {n} actions", self.clock.today());
            }
            if t.sent > 0 {
                tracing::info!("outbox: {} sent", t.sent);
            }
            for f in &t.imported {
                tracing::info!("statement imported: {f}");
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(self.tick) => {}
            }
        }
    }

    /// One round: the run when due, the outbox, the watched folder.
    pub async fn tick(&self) -> Tick {
        let mut t = Tick::default();
        let now = app::jobs::unix_now(self.as_of);
        let today = self.clock.today();
        if let Err(e) = self.daily_run(today, now, &mut t).await {
            t.errors.push(format!("daily run: {e:#}"));
        }
        if let Err(e) = self.daily_erasure_review(today, now, &mut t).await {
            t.errors.push(format!("daily erasure review: {e:#}"));
        }
        if let Err(e) = self.deliver(&mut t).await {
            t.errors.push(format!("delivery: {e:#}"));
        }
        if let Some(dir) = &self.watch
            && let Err(e) = self.import_folder(dir, now, &mut t).await
        {
            t.errors
                .push(format!("watched folder {}: {e:#}", dir.display()));
        }
        if let Err(e) = self.daily_backup(today, now, &mut t).await {
            t.errors.push(format!("daily backup: {e:#}"));
        }
        t
    }

    /// The day's backup once its hour has passed, under the job lease `backup:<day>`: one
    /// instance takes it; a failed one is tried again after 15 minutes.
    async fn daily_backup(&self, today: Date, now: i64, t: &mut Tick) -> Result<()> {
        let Some((dir, schedule, keep)) = &self.backup else {
            return Ok(());
        };
        let key = format!("backup:{today}");
        if !self.due("backup", &key, schedule, today, now).await? {
            return Ok(());
        }
        let lease = app::jobs::Lease {
            key: &key,
            kind: "backup",
            owner: &self.id,
            now,
            secs: app::jobs::RUN_LEASE_SECS,
        };
        let taken = app::jobs::under_lease(
            self.store.as_ref(),
            self.clock.as_ref(),
            lease,
            |file: &String| file.clone(),
            async {
                crate::backup_cli::take(&self.db, self.clock.as_ref(), dir, false, Some(*keep))
                    .await
                    .map(|r| r.target)
                    .map_err(|e| app::AppError::Invalid(format!("{e:#}")))
            },
        )
        .await?;
        if let app::jobs::Leased::Ran { report } = taken {
            tracing::info!("daily backup written: {report}");
            t.backup = Some(report);
        }
        Ok(())
    }

    /// Whether the daily job `key` (of `kind`) is due at `now` by `schedule`, from its row
    /// of the `jobs` table.
    async fn due(
        &self,
        kind: &str,
        key: &str,
        schedule: &Schedule,
        today: Date,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.store.begin_read().await?;
        let job = tx
            .jobs(Some(kind), 5)
            .await?
            .into_iter()
            .find(|j| j.key == key);
        Ok(run_due(schedule, today, now, job.as_ref()))
    }

    async fn daily_run(&self, today: Date, now: i64, t: &mut Tick) -> Result<()> {
        if !self
            .due(
                "run",
                &app::jobs::run_key(today),
                &self.schedule,
                today,
                now,
            )
            .await?
        {
            return Ok(());
        }
        match app::jobs::daily_run(
            self.store.as_ref(),
            self.clock.as_ref(),
            app::dunning::RunOptions::default(),
            &self.id,
            now,
        )
        .await?
        {
            app::jobs::Leased::Ran { report } => {
                t.run_actions = Some(report.actions.len());
                // Agency mode: the run wrote the clients' notices (R124-5); they go out by
                // e-mail now, once. A failure waits for the next day, it does not stop the
                // worker.
                match crate::agency_cli::email_notices(self.store.as_ref(), self.clock.as_ref())
                    .await
                {
                    Ok(Some(sent)) => {
                        for e in sent.iter().filter(|e| e.error.is_some()) {
                            tracing::warn!(
                                "client notices of {} not e-mailed: {}",
                                e.client,
                                domain::redact::redact(e.error.as_deref().unwrap_or_default())
                            );
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(
                            "client notices not e-mailed: {}",
                            domain::redact::redact(&format!("{e:#}"))
                        )
                    }
                }
            }
            app::jobs::Leased::Held { .. } => {}
        }
        Ok(())
    }

    /// The day's list of debtors due for erasure, at the daily run's hour, under the job
    /// lease `gdpr:<day>`: one instance records the proposals; an admin approves them.
    async fn daily_erasure_review(&self, today: Date, now: i64, t: &mut Tick) -> Result<()> {
        let key = format!("gdpr:{today}");
        if !self.due("gdpr", &key, &self.schedule, today, now).await? {
            return Ok(());
        }
        let lease = app::jobs::Lease {
            key: &key,
            kind: "gdpr",
            owner: &self.id,
            now,
            secs: app::jobs::RUN_LEASE_SECS,
        };
        let actor = app::audit::Actor(format!("job:{}", self.id));
        let taken = app::jobs::under_lease(
            self.store.as_ref(),
            self.clock.as_ref(),
            lease,
            |p: &app::gdpr::Proposals| {
                format!("{} proposed, {} waiting", p.proposed.len(), p.waiting)
            },
            app::gdpr::propose_due(self.store.as_ref(), self.clock.as_ref(), &actor),
        )
        .await?;
        if let app::jobs::Leased::Ran { report } = taken {
            // Counts only: the log never names a debtor.
            tracing::info!(
                "erasure review: {} proposed, {} withdrawn, {} waiting for approval",
                report.proposed.len(),
                report.withdrawn.len(),
                report.waiting
            );
            t.erasure_proposed = Some(report.proposed.len());
        }
        Ok(())
    }

    async fn deliver(&self, t: &mut Tick) -> Result<()> {
        // Read each round: a channel configured while the process runs is used at once.
        let Some(delivery) = Delivery::load(
            self.store.clone(),
            self.templates.as_deref(),
            self.tables.clone(),
        )
        .await?
        else {
            return Ok(());
        };
        let report = delivery
            .worker(self.id.clone(), 20, 300)
            .drain(&crate::delivery_cli::instant(self.as_of))
            .await?;
        t.sent += report.sent;
        Ok(())
    }

    async fn import_folder(&self, dir: &Path, now: i64, t: &mut Tick) -> Result<()> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !n.starts_with('.') && !n.ends_with(".part"))
            })
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let key = app::jobs::import_key(&bytes);
            let options = app::payments::StatementOptions {
                rates: Some(Arc::new(self.tables.clone())),
                actor: Some(app::audit::Actor(format!("worker:{}", self.id))),
                ..Default::default()
            };
            let result = app::jobs::under_lease(
                self.store.as_ref(),
                self.clock.as_ref(),
                app::jobs::import_lease(&key, &self.id, now),
                |r: &app::payments::StatementReport| format!("{} details", r.details),
                app::payments::import_statement(
                    self.store.as_ref(),
                    self.clock.as_ref(),
                    &name,
                    &bytes,
                    &options,
                ),
            )
            .await;
            match result {
                Ok(app::jobs::Leased::Ran { .. }) => {
                    move_into(&path, &dir.join("done"))?;
                    t.imported.push(name);
                }
                // Another instance imports it: it moves the file.
                Ok(app::jobs::Leased::Held { .. }) => {}
                Err(e) => {
                    let target = move_into(&path, &dir.join("failed"))?;
                    let mut why = target.clone().into_os_string();
                    why.push(".error.txt");
                    std::fs::write(&why, format!("{e}\n")).with_context(|| {
                        format!("cannot write {}", PathBuf::from(&why).display())
                    })?;
                    t.refused.push(name.clone());
                    t.errors.push(format!("{name}: {e}"));
                }
            }
        }
        Ok(())
    }
}

/// Moves `file` into `dir`, under a new name when one of the same name is there already
/// (`name.1`, `name.2`...). Returns where it went. A file another instance moved first is
/// not an error.
fn move_into(file: &Path, dir: &Path) -> Result<PathBuf> {
    let name = file.file_name().unwrap_or_default();
    let mut target = dir.join(name);
    let mut n = 1;
    while target.exists() {
        let mut other = name.to_os_string();
        other.push(format!(".{n}"));
        target = dir.join(other);
        n += 1;
    }
    match std::fs::rename(file, &target) {
        Ok(()) => Ok(target),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(target),
        Err(e) => {
            Err(e).with_context(|| format!("cannot move {} to {}", file.display(), dir.display()))
        }
    }
}
