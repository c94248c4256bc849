//! `recouvre`: the command-line face of Recouvre. Every command opens the store named by
//! `--db` (or `RECOUVRE_DB`, or the default file in the platform data directory), runs
//! one use case of `recouvre-app` on the date given by `--as-of` (default: today in
//! Paris), and prints a table for people or JSON for machines (`--json`).
//!
//! The binary (`src/main.rs`) only calls [`main`]; the code is a library so that the tests
//! can reach the command-line declaration itself ([`cli::Cli`]) without running it.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

mod agency_cli;
mod agreements_cli;
mod backup_cli;
pub mod cli;
mod comms_cli;
mod config;
mod contract_cli;
mod delivery_cli;
mod financing_cli;
mod gdpr_cli;
mod help_fr;
mod i18n;
mod legal_cli;
mod output;
mod worker;

use anyhow::{Context, Result, bail};
use app::clock::{Clock, FixedClock};
use app::import::{ImportOptions, import_claims};
use app::queries::{self, ClaimFilter, DebtorFilter};
use app::store::Store;
use cli::{
    ActionChange, Cli, Command, ImportWhat, PaymentsWhat, ScenariosChange, ShowWhat, UserCommand,
};
use domain::aging::Buckets;
use domain::{ClaimId, Date, DebtorId, tr};
use formats::claims_csv::{ColumnDefaults, ColumnMap, ReadOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// The binary's entry point (`src/main.rs`): parse the command line, run it, map an error
/// to one message and a failing exit code.
pub fn main() -> ExitCode {
    quiet_broken_pipe();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let command = <Cli as clap::CommandFactory>::command();
    // The language first, so that the help and clap's errors speak it too.
    let flag = i18n::lang_flag(&command, &args);
    let lang = i18n::detect(flag.as_deref(), config::lang_setting(&args).as_deref());
    domain::lang::set(lang);
    let command = match config::apply(i18n::localize(command, lang), &args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", tr!("error: {e}", "erreur : {e}"));
            return ExitCode::FAILURE;
        }
    };
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match (parsed, lang) {
        (Ok(cli), _) => cli,
        (Err(e), domain::lang::Lang::Fr) => e.apply::<i18n::French>().exit(),
        (Err(e), domain::lang::Lang::En) => e.exit(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "{}",
                tr!(
                    "error: cannot start the runtime: {e}",
                    "erreur : impossible de démarrer le moteur d'exécution : {e}"
                )
            );
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", tr!("error: {e:#}", "erreur : {e:#}"));
            if e.downcast_ref::<LeaseHeld>().is_some() {
                ExitCode::from(EXIT_LEASE_HELD)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The exit status of a command another instance is doing (`EX_TEMPFAIL`): nothing was
/// done, try again once its lease has run out.
pub const EXIT_LEASE_HELD: u8 = 75;

/// A job (the day's run, an import) whose lease another live instance holds: the command
/// did nothing and fails with [`EXIT_LEASE_HELD`], saying until when the lease runs.
#[derive(Debug)]
struct LeaseHeld {
    what_en: String,
    what_fr: String,
    owner: String,
    until: i64,
}

impl std::fmt::Display for LeaseHeld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let until = jiff::Timestamp::from_second(self.until)
            .map(|t| t.to_string())
            .unwrap_or_else(|_| self.until.to_string());
        let LeaseHeld {
            what_en,
            what_fr,
            owner,
            ..
        } = self;
        let text = tr!(
            "{what_en} is being done by {owner}, whose lease runs until {until}: nothing done here; \
             retry after {until} (if {owner} no longer runs, on its host the lease is taken over at once)",
            "{what_fr} est en cours sur {owner}, dont le bail court jusqu'à {until} : rien fait ici ; \
             réessayez après {until} (si {owner} ne tourne plus, sur sa machine le bail est repris aussitôt)"
        );
        f.write_str(&text)
    }
}

impl std::error::Error for LeaseHeld {}

/// Today's date in Paris and the current instant: the clock of normal runs.
#[derive(Debug, Clone, Copy)]
struct SystemClock;

impl Clock for SystemClock {
    fn today(&self) -> Date {
        let now = jiff::Timestamp::now();
        match jiff::tz::TimeZone::get("Europe/Paris") {
            Ok(tz) => now.to_zoned(tz).date(),
            Err(_) => now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        }
    }

    fn now_rfc3339(&self) -> String {
        jiff::Timestamp::now().to_string()
    }
}

/// The clock a command runs with: stopped on `--as-of`, or the system clock.
fn clock(as_of: Option<Date>) -> Box<dyn Clock> {
    match as_of {
        Some(d) => Box::new(FixedClock(d)),
        None => Box::new(SystemClock),
    }
}

/// The default database: `recouvre.db` in the platform data directory.
fn default_db_path(file: &str) -> Result<PathBuf> {
    let dir = dirs::data_dir()
        .with_context(|| {
            tr!(
                "no data directory on this platform: pass --db PATH",
                "pas de dossier de données sur cette plateforme : donnez --db CHEMIN"
            )
        })?
        .join("recouvre");
    std::fs::create_dir_all(&dir).with_context(|| {
        let dir = dir.display();
        tr!("cannot create {dir}", "impossible de créer {dir}")
    })?;
    Ok(dir.join(file))
}

pub(crate) fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// Opens the store at `target` (a path, a `sqlite:` URL or a `postgres://` URL) and
/// applies pending migrations.
pub(crate) async fn open_store(target: &str, clock: &dyn Clock) -> Result<Box<dyn Store>> {
    let stamp = clock.now_rfc3339();
    if is_postgres(target) {
        Ok(Box::new(store_pg::PgStore::open(target, &stamp).await?))
    } else {
        Ok(Box::new(
            store_sqlite::SqliteStore::open(target, &stamp).await?,
        ))
    }
}

fn db_target(cli_db: Option<&str>) -> Result<String> {
    match cli_db {
        Some(t) => Ok(t.to_string()),
        None => Ok(default_db_path("recouvre.db")?.display().to_string()),
    }
}

async fn run(cli: Cli) -> Result<()> {
    let clock = clock(cli.as_of);
    let as_of = clock.today();
    let json = cli.json;
    match cli.command {
        Command::Init {
            creditor_code,
            creditor_name,
            country,
        } => {
            let target = db_target(cli.db.as_deref())?;
            let store = open_store(&target, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            if tx.creditor_by_code(&creditor_code).await?.is_none() {
                tx.insert_creditor(&creditor_code, &creditor_name, &country)
                    .await?;
            }
            tx.commit().await?;
            let backend = store.backend();
            println!(
                "{}",
                tr!(
                    "Recouvre database ready: {target} ({backend})",
                    "Base Recouvre prête : {target} ({backend})"
                )
            );
        }
        Command::Migrate => {
            let target = db_target(cli.db.as_deref())?;
            let store = open_store(&target, clock.as_ref()).await?;
            let status = store.migration_status().await?;
            output::migrations(&status, json)?;
        }
        Command::MigrateData { from, to } => {
            let source = open_store(&from, clock.as_ref()).await?;
            let target = open_store(&to, clock.as_ref()).await?;
            let spinner = output::spinner(&tr!("copying", "copie"));
            let report =
                app::copy::copy_all(source.as_ref(), target.as_ref(), clock.as_ref()).await;
            spinner.finish_and_clear();
            output::copy_report(&report?, json)?;
        }
        Command::Backup { dest, force, keep } => {
            let source = db_target(cli.db.as_deref())?;
            backup_cli::backup(&source, clock.as_ref(), &dest, force, keep, json).await?;
        }
        Command::Restore { src } => {
            let target = db_target(cli.db.as_deref())?;
            backup_cli::restore(&src, &target, clock.as_ref(), json).await?;
        }
        Command::Creditor {
            code,
            name,
            country,
            terms,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            let creditor = match tx.creditor_by_code(&code).await? {
                Some(c) => {
                    if name.is_some() {
                        bail!(tr!(
                            "creditor {code:?} already exists (give only terms options to change its terms)",
                            "le créancier {code:?} existe déjà (ne donnez que des options de conditions pour les changer)"
                        ));
                    }
                    // The terms are written in a transaction of their own: on SQLite a
                    // second writer would wait for this one.
                    drop(tx);
                    c
                }
                None => {
                    let Some(name) = name else {
                        bail!(tr!(
                            "creditor {code:?} does not exist: give its name to create it",
                            "le créancier {code:?} n'existe pas : donnez son nom pour le créer"
                        ));
                    };
                    let c = tx.insert_creditor(&code, &name, &country).await?;
                    tx.commit().await?;
                    let (code, id) = (&c.code, c.id);
                    println!(
                        "{}",
                        tr!(
                            "creditor {code} created (id {id})",
                            "créancier {code} créé (id {id})"
                        )
                    );
                    if terms.is_empty() {
                        return Ok(());
                    }
                    c
                }
            };
            contract_cli::terms(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                app::store::TermsScope::Creditor,
                creditor.id.0,
                &terms,
                json,
            )
            .await?;
        }
        Command::Terms { claim, terms } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            contract_cli::terms(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                app::store::TermsScope::Claim,
                claim,
                &terms,
                json,
            )
            .await?;
        }
        Command::WriteOff {
            claim,
            reason,
            amount,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            contract_cli::write_off(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                claim,
                amount,
                &reason,
                json,
            )
            .await?;
        }
        Command::Notice(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            contract_cli::notice(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Financing(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            financing_cli::financing(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json)
                .await?;
        }
        Command::Gdpr(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            gdpr_cli::gdpr(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Client(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agency_cli::client(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Mandate(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agency_cli::mandate(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Placement(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agency_cli::placement(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Remittance(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agency_cli::remittance(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Legal(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            legal_cli::legal(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                cli.templates.as_deref(),
                cmd,
                json,
            )
            .await?;
        }
        Command::Import {
            what:
                ImportWhat::Claims {
                    file,
                    map,
                    creditor,
                    delimiter,
                    date_order,
                    defaults,
                },
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let bytes = std::fs::read(&file).with_context(|| cannot_read(&file))?;
            let mut read = ReadOptions::default();
            for m in &map {
                read.map
                    .merge(ColumnMap::parse(m).map_err(anyhow::Error::msg)?);
            }
            for d in &defaults {
                read.defaults
                    .merge(ColumnDefaults::parse(d).map_err(anyhow::Error::msg)?)
                    .map_err(anyhow::Error::msg)?;
            }
            read.delimiter = delimiter.map(|d| d as u8);
            if let Some(order) = date_order {
                read.date_order = order.parse().map_err(anyhow::Error::msg)?;
            }
            let progress = std::sync::Arc::new(app::jobs::Progress::default());
            let spinner = output::follow(&importing(&file), progress.clone());
            let name = file.display().to_string();
            let key = app::jobs::import_key(&bytes);
            let owner = delivery_cli::default_worker_id();
            let result = app::jobs::under_lease(
                store.as_ref(),
                clock.as_ref(),
                app::jobs::import_lease(&key, &owner, app::jobs::unix_now(cli.as_of)),
                |r: &app::import::ImportReport| format!("{} rows", r.rows),
                import_claims(
                    store.as_ref(),
                    clock.as_ref(),
                    &name,
                    &bytes,
                    &ImportOptions {
                        creditor,
                        read,
                        progress: Some(progress),
                        actor: Some(cli_actor()),
                    },
                ),
            )
            .await;
            spinner.finish();
            match result? {
                app::jobs::Leased::Ran { report } => output::import_report(&report, json)?,
                held @ app::jobs::Leased::Held { .. } => return import_held(&name, held, json),
            }
        }
        Command::Import {
            what:
                ImportWhat::Statement {
                    file,
                    format,
                    map,
                    threshold,
                    accept_unbalanced,
                    rates,
                },
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let bytes = std::fs::read(&file).with_context(|| cannot_read(&file))?;
            let mut options = app::payments::StatementOptions {
                format: format
                    .map(|f| f.parse())
                    .transpose()
                    .map_err(anyhow::Error::msg)?,
                rates: Some(std::sync::Arc::new(rate_tables(&rates)?)),
                accept_unbalanced,
                actor: Some(cli_actor()),
                ..Default::default()
            };
            if !map.is_empty() {
                options.csv = Some(app::payments::csv_mapping(&map)?);
            }
            if let Some(t) = threshold {
                options.threshold = t;
            }
            let progress = std::sync::Arc::new(app::jobs::Progress::default());
            options.progress = Some(progress.clone());
            let spinner = output::follow(&importing(&file), progress);
            let name = file.display().to_string();
            let key = app::jobs::import_key(&bytes);
            let owner = delivery_cli::default_worker_id();
            let result = app::jobs::under_lease(
                store.as_ref(),
                clock.as_ref(),
                app::jobs::import_lease(&key, &owner, app::jobs::unix_now(cli.as_of)),
                |r: &app::payments::StatementReport| format!("{} details", r.details),
                app::payments::import_statement(
                    store.as_ref(),
                    clock.as_ref(),
                    &name,
                    &bytes,
                    &options,
                ),
            )
            .await;
            spinner.finish();
            match result? {
                app::jobs::Leased::Ran { report } => output::statement_report(&report, json)?,
                held @ app::jobs::Leased::Held { .. } => return import_held(&name, held, json),
            }
        }
        Command::Payments { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            match what.unwrap_or(PaymentsWhat::List {
                status: None,
                limit: 50,
            }) {
                PaymentsWhat::List { status, limit } => {
                    let statuses = status_filter(status)?;
                    let mut tx = store.begin().await?;
                    let list = app::payments::list(
                        tx.as_mut(),
                        &app::store::PaymentFilter {
                            statuses,
                            limit: Some(limit),
                        },
                    )
                    .await?;
                    let pass_on = app::financing::pass_on(tx.as_mut(), &list).await?;
                    output::payments(&list, &pass_on, json)?;
                }
                PaymentsWhat::Review => {
                    let mut tx = store.begin().await?;
                    let items = app::payments::review(tx.as_mut(), as_of).await?;
                    output::payment_review(&items, json)?;
                }
                PaymentsWhat::Apply { id, claims, rates } => {
                    let claims =
                        (!claims.is_empty()).then(|| claims.into_iter().map(ClaimId).collect());
                    let tables = rate_tables(&rates)?;
                    let posted = app::audit::apply_payment(
                        store.as_ref(),
                        clock.as_ref(),
                        &cli_actor(),
                        id,
                        claims,
                        &tables,
                    )
                    .await?;
                    output::payment_applied(&posted, json)?;
                }
                PaymentsWhat::Ignore { id } => {
                    let p = app::payments::ignore(store.as_ref(), clock.as_ref(), id).await?;
                    // An ignored payment is on no claim: nothing to pass on.
                    output::payments(std::slice::from_ref(&p), &Default::default(), json)?;
                }
            }
        }
        Command::Debtors {
            overdue,
            search,
            limit,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            let lines = queries::debtors(
                tx.as_mut(),
                as_of,
                &DebtorFilter {
                    overdue,
                    search,
                    limit: Some(limit),
                },
            )
            .await?;
            output::debtors(&lines, as_of, json)?;
        }
        Command::Claims {
            overdue,
            debtor,
            min_amount,
            all,
            limit,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let min_open_minor = match min_amount {
                Some(text) => Some(
                    domain::Money::parse(&text, domain::Currency::EUR)
                        .map_err(anyhow::Error::msg)?
                        .minor(),
                ),
                None => None,
            };
            let filter = ClaimFilter {
                overdue,
                debtor: debtor.map(DebtorId),
                min_open_minor,
                include_closed: all,
                limit: Some(limit),
            };
            let mut tx = store.begin().await?;
            let lines = queries::claims(tx.as_mut(), as_of, &filter).await?;
            output::claims(&lines, as_of, json)?;
        }
        Command::Show { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            match what {
                ShowWhat::Debtor { id } => {
                    let detail = queries::debtor_detail(tx.as_mut(), DebtorId(id), as_of).await?;
                    output::debtor_detail(&detail, as_of, json)?;
                }
                ShowWhat::Claim { id } => {
                    let detail = queries::claim_detail(tx.as_mut(), ClaimId(id), as_of).await?;
                    output::claim_detail(&detail, as_of, json)?;
                    let parties = tx.claim_parties(&[ClaimId(id)]).await?;
                    if !json && !parties.is_empty() {
                        println!("{}", tr!("Also bound:", "Autres obligés :"));
                        for p in parties {
                            let name = tx
                                .debtor(p.debtor_id)
                                .await?
                                .map(|d| d.name)
                                .unwrap_or_default();
                            let role = match p.role {
                                domain::agreements::PartyRole::CoDebtor => {
                                    tr!("co-debtor", "codébiteur solidaire")
                                }
                                domain::agreements::PartyRole::Guarantor => {
                                    tr!("guarantor", "caution")
                                }
                            };
                            println!("  {} {name} — {role}", p.debtor_id);
                        }
                    }
                }
            }
        }
        Command::Summary { buckets } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let buckets = Buckets::parse(&buckets).map_err(anyhow::Error::msg)?;
            let mut tx = store.begin().await?;
            let summary = queries::summary(tx.as_mut(), as_of, &buckets, 10).await?;
            output::summary(&summary, json)?;
        }
        Command::Rates { series, rates } => {
            let tables = rate_tables(&rates)?;
            output::rates(&tables, series.as_deref(), as_of, json)?;
        }
        Command::Interest { claim, post, rates } => {
            let tables = rate_tables(&rates)?;
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            if post {
                let posted = app::audit::post_charges(
                    store.as_ref(),
                    clock.as_ref(),
                    &cli_actor(),
                    ClaimId(claim),
                    &tables,
                )
                .await?;
                output::charges_posted(&posted, json)?;
                if json {
                    return Ok(());
                }
            }
            let mut tx = store.begin().await?;
            let p = app::law::claim_penalties(tx.as_mut(), ClaimId(claim), as_of, &tables).await?;
            output::penalties(&p, as_of, json)?;
        }
        Command::Limitation { within } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            let lines = app::law::limitation(tx.as_mut(), as_of, within).await?;
            output::limitation(&lines, as_of, json)?;
        }
        Command::Event { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            match what {
                cli::EventCommand::Add {
                    claim,
                    debtor,
                    kind,
                    date,
                    end,
                    proof,
                    note,
                } => {
                    let subject = match (claim, debtor) {
                        (Some(c), _) => app::limitation_events::EventSubject::Claim(ClaimId(c)),
                        (None, Some(d)) => {
                            app::limitation_events::EventSubject::Debtor(DebtorId(d))
                        }
                        (None, None) => anyhow::bail!(tr!(
                            "--claim or --debtor is required",
                            "--claim ou --debtor est obligatoire"
                        )),
                    };
                    let kind = kind
                        .parse::<app::store::LimitationEventKind>()
                        .map_err(|e| anyhow::anyhow!("--kind {e}"))?;
                    let new = app::limitation_events::NewLimitationEvent {
                        subject,
                        kind,
                        on: date,
                        end,
                        proof,
                        note,
                    };
                    let event = app::audit::record_limitation_event(
                        store.as_ref(),
                        clock.as_ref(),
                        &cli_actor(),
                        &new,
                    )
                    .await?;
                    if json {
                        output::print_json(&event)?;
                    } else {
                        let (id, kind, on) = (event.id, event.kind.as_str(), event.on);
                        println!(
                            "{}",
                            tr!(
                                "Limitation event {id} recorded: {kind} {on}",
                                "Événement de prescription {id} enregistré : {kind} {on}"
                            )
                        );
                    }
                }
                cli::EventCommand::List { claim, debtor } => {
                    let mut tx = store.begin().await?;
                    let debtor = match (claim, debtor) {
                        (Some(c), _) => Some(
                            tx.claim(ClaimId(c))
                                .await?
                                .ok_or_else(|| {
                                    anyhow::anyhow!(tr!(
                                        "claim {c} not found",
                                        "créance {c} introuvable"
                                    ))
                                })?
                                .debtor_id,
                        ),
                        (None, d) => d.map(DebtorId),
                    };
                    let events = match debtor {
                        Some(d) => {
                            app::law::debtor_limitation(tx.as_mut(), d, as_of)
                                .await?
                                .events
                        }
                        None => tx.limitation_events(None).await?,
                    };
                    let events: Vec<_> = events
                        .into_iter()
                        .filter(|e| claim.is_none_or(|c| e.claim_id.is_none_or(|id| id.0 == c)))
                        .collect();
                    output::limitation_events(&events, json)?;
                }
            }
        }
        Command::Routes { debtor, rates } => {
            let tables = rate_tables(&rates)?;
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            let r = app::law::debtor_routes(tx.as_mut(), DebtorId(debtor), as_of, &tables).await?;
            output::routes(&r, json)?;
        }
        Command::Demo(args) => demo_command(cli.db.as_deref(), clock, args, json).await?,
        Command::Run {
            dry_run,
            preview,
            review,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let options = app::dunning::RunOptions {
                dry_run,
                preview,
                review_mode: review,
            };
            if dry_run || preview {
                let report = app::dunning::run(store.as_ref(), clock.as_ref(), options).await?;
                output::run_report(&report, json)?;
            } else {
                // Under the day's job lease: one instance runs a day at a time.
                let owner = delivery_cli::default_worker_id();
                let now = delivery_cli::instant(cli.as_of)();
                match app::jobs::daily_run(store.as_ref(), clock.as_ref(), options, &owner, now)
                    .await?
                {
                    app::jobs::Leased::Ran { report } => output::run_report(&report, json)?,
                    held @ app::jobs::Leased::Held { .. } => {
                        if json {
                            output::print_json(&held)?;
                        }
                        if let app::jobs::Leased::Held { owner, until } = held {
                            return Err(LeaseHeld {
                                what_en: format!("the run of {as_of}"),
                                what_fr: format!("la relance du {as_of}"),
                                owner,
                                until,
                            }
                            .into());
                        }
                    }
                }
            }
        }
        Command::Worklist { assignee, limit } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            let mut items = app::dunning::worklist(tx.as_mut(), as_of, assignee.as_deref()).await?;
            items.truncate(limit);
            output::worklist(&items, as_of, assignee.as_deref(), json)?;
        }
        Command::Audit { limit, action } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin_read().await?;
            let entries = if action.is_some() {
                // Filtered: read further back so that `limit` entries of that action show.
                app::audit::entries(tx.as_mut(), limit.saturating_mul(20).max(1000), None).await?
            } else {
                app::audit::entries(tx.as_mut(), limit, None).await?
            };
            let entries: Vec<_> = entries
                .into_iter()
                .filter(|e| action.as_deref().is_none_or(|a| e.action == a))
                .take(limit)
                .collect();
            if json {
                return output::print_json(&entries);
            }
            let mut t = output::table(&[
                domain::tr!("when", "quand").as_str(),
                domain::tr!("who", "qui").as_str(),
                domain::tr!("action", "action").as_str(),
                domain::tr!("subject", "objet").as_str(),
            ]);
            for e in &entries {
                t.add_row(vec![&e.at, &e.actor, &e.action, &e.subject]);
            }
            println!("{t}");
        }
        Command::Actions {
            change,
            status,
            limit,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            match change {
                Some(ActionChange::Approve { id }) => {
                    let a = app::audit::approve_action(
                        store.as_ref(),
                        clock.as_ref(),
                        &cli_actor(),
                        id,
                    )
                    .await?;
                    output::action_changed(&a, json)?;
                }
                Some(ActionChange::Skip { id }) => {
                    let a =
                        app::audit::skip_action(store.as_ref(), clock.as_ref(), &cli_actor(), id)
                            .await?;
                    output::action_changed(&a, json)?;
                }
                None => {
                    let statuses = status_filter(status)?;
                    let mut tx = store.begin().await?;
                    let list = app::dunning::actions(
                        tx.as_mut(),
                        &app::store::ActionFilter {
                            statuses,
                            debtor: None,
                            limit: Some(limit),
                        },
                    )
                    .await?;
                    output::actions(&list, json)?;
                }
            }
        }
        Command::Scenarios { change } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let mut tx = store.begin().await?;
            match change {
                None => {
                    let files = app::scenarios::stored_files(tx.as_mut()).await?;
                    output::scenarios(&files.build()?, files.shipped, json)?;
                }
                Some(ScenariosChange::Load { files, assignment }) => {
                    let read = |path: &std::path::Path| -> Result<(String, String)> {
                        let text = std::fs::read_to_string(path).with_context(|| {
                            let shown = path.display();
                            tr!("{shown}: cannot read", "{shown} : illisible")
                        })?;
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        Ok((name, text))
                    };
                    let loaded = app::scenarios::ScenarioFiles {
                        scenarios: files.iter().map(|f| read(f)).collect::<Result<_>>()?,
                        assignment: read(&assignment)?,
                        shipped: false,
                    };
                    drop(tx);
                    let set = app::audit::load_scenarios(
                        store.as_ref(),
                        clock.as_ref(),
                        &cli_actor(),
                        &loaded,
                    )
                    .await?;
                    if !json {
                        let n = set.scenarios().len();
                        println!(
                            "{}",
                            tr!(
                                "{n} scenarios loaded; the next run follows them",
                                "{n} scénarios chargés ; la prochaine relance les suit"
                            )
                        );
                    }
                    output::scenarios(&set, false, json)?;
                }
                Some(ScenariosChange::Reset) => {
                    drop(tx);
                    app::audit::reset_scenarios(store.as_ref(), clock.as_ref(), &cli_actor())
                        .await?;
                    println!(
                        "{}",
                        tr!(
                            "Back to the shipped scenarios",
                            "Retour aux scénarios livrés"
                        )
                    );
                }
                Some(ScenariosChange::Export { dir }) => {
                    let files = app::scenarios::stored_files(tx.as_mut()).await?;
                    std::fs::create_dir_all(&dir).with_context(|| {
                        let shown = dir.display();
                        tr!("{shown}: cannot create", "{shown} : création impossible")
                    })?;
                    for (name, text) in files
                        .scenarios
                        .iter()
                        .chain(std::iter::once(&files.assignment))
                    {
                        let path = dir.join(name);
                        std::fs::write(&path, text).with_context(|| {
                            let shown = path.display();
                            tr!("{shown}: cannot write", "{shown} : écriture impossible")
                        })?;
                        println!("{}", path.display());
                    }
                }
            }
        }
        Command::Template(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            comms_cli::template(
                store.as_ref(),
                clock.as_ref(),
                cli.templates.as_deref(),
                cmd,
                json,
            )
            .await?;
        }
        Command::Letters(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            comms_cli::letters(
                store.as_ref(),
                clock.as_ref(),
                cli.templates.as_deref(),
                cmd,
                json,
            )
            .await?;
        }
        Command::Promise(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::promise(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json)
                .await?;
        }
        Command::Plan(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::plan(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json).await?;
        }
        Command::Consent(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::consent(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json)
                .await?;
        }
        Command::Dispute(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::dispute(store.as_ref(), clock.as_ref(), &cli_actor(), cmd, json)
                .await?;
        }
        Command::Sepa(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::sepa(store.as_ref(), clock.as_ref(), cmd, json).await?;
        }
        Command::Party(cmd) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            agreements_cli::party(store.as_ref(), clock.as_ref(), cmd).await?;
        }
        Command::Assign { debtor, to, nobody } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let owner = if nobody { None } else { to };
            let case = app::audit::assign_case(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                DebtorId(debtor),
                owner.as_deref(),
            )
            .await?;
            match case.owner {
                Some(o) => println!(
                    "{}",
                    tr!(
                        "Debtor {debtor} assigned to {o}",
                        "Débiteur {debtor} confié à {o}"
                    )
                ),
                None => println!(
                    "{}",
                    tr!(
                        "Debtor {debtor} back in the shared pool",
                        "Débiteur {debtor} remis au pot commun"
                    )
                ),
            }
        }
        Command::Call {
            debtor,
            outcome,
            note,
            promise_amount,
            promise_due,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let debtor = DebtorId(debtor);
            let outcome = outcome
                .map(|o| o.parse::<app::store::CallOutcome>())
                .transpose()
                .map_err(|e| anyhow::anyhow!("--outcome {e}"))?;
            let promise = match (promise_amount, promise_due) {
                (Some(amount), Some(due)) => {
                    let mut tx = store.begin().await?;
                    let currency =
                        app::agreements::open_currency(tx.as_mut(), debtor, clock.today()).await?;
                    drop(tx);
                    Some(app::agreements::PromiseTerms {
                        debtor,
                        amount: domain::Money::parse(&amount, currency)
                            .map_err(|e| anyhow::anyhow!("--promise-amount {amount:?}: {e}"))?,
                        due,
                        claims: Vec::new(),
                        channel: "phone".into(),
                        note: String::new(),
                    })
                }
                _ => None,
            };
            let log = app::notes::CallLog {
                debtor,
                outcome,
                note,
                promise,
            };
            let (note, promise) =
                app::audit::log_call(store.as_ref(), clock.as_ref(), &cli_actor(), &log).await?;
            if json {
                output::print_json(&serde_json::json!({ "note": note, "promise": promise }))?;
            } else {
                let promise = promise
                    .map(|(id, p)| {
                        let (amount, due) = (p.amount, p.due);
                        tr!(
                            " — promise {id}: {amount} → {due}",
                            " — promesse {id} : {amount} → {due}"
                        )
                    })
                    .unwrap_or_default();
                println!(
                    "{}",
                    tr!(
                        "Logged on debtor {debtor}'s timeline{promise}",
                        "Consigné dans l'historique du débiteur {debtor}{promise}"
                    )
                );
            }
        }
        Command::Hold {
            debtor,
            until,
            release,
        } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            let until = if release { None } else { until };
            let case = app::audit::hold_case(
                store.as_ref(),
                clock.as_ref(),
                &cli_actor(),
                domain::DebtorId(debtor),
                until,
            )
            .await?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "debtor_id": case.debtor_id,
                        "hold_until": case.hold_until,
                    }))?
                );
            } else {
                match case.hold_until {
                    Some(d) => println!(
                        "{}",
                        tr!(
                            "Debtor {debtor} on hold until {d}",
                            "Débiteur {debtor} suspendu jusqu'au {d}"
                        )
                    ),
                    None => println!(
                        "{}",
                        tr!(
                            "Hold lifted for debtor {debtor}",
                            "Suspension levée pour le débiteur {debtor}"
                        )
                    ),
                }
            }
        }
        Command::Settings { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            delivery_cli::settings(store.as_ref(), clock.as_ref(), &cli_actor(), what, json)
                .await?;
        }
        Command::Deliver(args) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            delivery_cli::deliver(
                std::sync::Arc::from(store),
                cli.as_of,
                cli.templates.as_deref(),
                args,
                json,
            )
            .await?;
        }
        Command::Outbox { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            delivery_cli::outbox(store.as_ref(), clock.as_ref(), &cli_actor(), what, json).await?;
        }
        Command::Serve(args) => {
            let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(
                open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?,
            );
            let clock: std::sync::Arc<dyn Clock> = std::sync::Arc::from(clock);
            let background = if args.no_worker {
                None
            } else {
                Some(worker::BackgroundWork::new(
                    store.clone(),
                    clock.clone(),
                    cli.as_of,
                    cli.templates.clone(),
                    db_target(cli.db.as_deref())?,
                    &args.worker,
                )?)
            };
            serve(
                store,
                clock,
                &args.listen,
                web::Config {
                    secure_cookies: args.secure_cookies,
                    trusted_proxy: args.trusted_proxy,
                    templates_dir: cli.templates.clone(),
                    lists_recheck: web::LISTS_RECHECK,
                    schedule: app::schedule::Schedule::parse(&args.worker.run_at)
                        .map_err(anyhow::Error::msg)?,
                    ..web::Config::default()
                },
                None,
                background,
            )
            .await?;
        }
        Command::Worker(args) => {
            init_logs();
            let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(
                open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?,
            );
            let work = worker::BackgroundWork::new(
                store,
                std::sync::Arc::from(clock),
                cli.as_of,
                cli.templates.clone(),
                db_target(cli.db.as_deref())?,
                &args,
            )?;
            println!(
                "{}",
                tr!(
                    "Recouvre worker running; Ctrl-C stops it.",
                    "Travail de fond de Recouvre en marche ; Ctrl-C pour arrêter."
                )
            );
            work.run_until(web::shutdown_signal()).await;
        }
        Command::User { what } => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            user_command(store.as_ref(), clock.as_ref(), what, json).await?;
        }
        Command::Simulate(args) => {
            let params = demo::DemoParams {
                debtors: args.debtors,
                claims: args.claims,
                seed: args.seed,
                as_of: args.to.unwrap_or(as_of),
            };
            simulate(&params, args.from, json)?;
        }
        Command::Report(args) => {
            let store = open_store(&db_target(cli.db.as_deref())?, clock.as_ref()).await?;
            report(store.as_ref(), args, as_of, json).await?;
        }
    }
    Ok(())
}

/// The built-in rate tables, with the files of `--rates-dir` added or replacing series.
fn rate_tables(arg: &cli::RatesArg) -> Result<domain::law::RateTables> {
    let tables = domain::law::RateTables::embedded()?;
    match &arg.rates_dir {
        Some(dir) => Ok(tables.with_overrides(domain::law::RateTables::from_dir(dir)?)),
        None => Ok(tables),
    }
}

/// `recouvre debtors | head` closes our stdout early: Rust ignores SIGPIPE, so `println!`
/// panics with "Broken pipe". A reader that stopped reading is not an error: leave quietly
/// with the shell's status for SIGPIPE (128 + 13) instead of a panic and a backtrace.
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

async fn demo_command(
    db: Option<&str>,
    owned_clock: Box<dyn Clock>,
    args: cli::DemoArgs,
    json: bool,
) -> Result<()> {
    let clock = owned_clock.as_ref();
    let target = match db {
        Some(t) => t.to_string(),
        None => {
            let path = default_db_path("demo.db")?;
            for suffix in ["", "-wal", "-shm"] {
                let p = PathBuf::from(format!("{}{suffix}", path.display()));
                if p.exists() {
                    std::fs::remove_file(&p).with_context(|| {
                        let shown = p.display();
                        tr!(
                            "cannot remove the old demo database {shown}",
                            "impossible de supprimer l'ancienne base de démonstration {shown}"
                        )
                    })?;
                }
            }
            path.display().to_string()
        }
    };
    let store = open_store(&target, clock).await?;
    {
        let mut tx = store.begin().await?;
        let counts = tx.counts().await?;
        if counts.claims > 0 || counts.debtors > 0 {
            bail!(tr!(
                "{target} already holds data: the demo needs a fresh database (omit --db to use the default demo database)",
                "{target} contient déjà des données : la démonstration demande une base neuve (sans --db, la base de démonstration par défaut)"
            ));
        }
    }
    let params = demo::DemoParams {
        debtors: args.debtors,
        claims: args.claims,
        seed: args.seed,
        as_of: clock.today(),
    };
    let loaded = app::portfolio::load_demo(
        store.as_ref(),
        clock,
        &params,
        &output::Progress::new(
            args.claims as u64,
            &tr!(
                "building the demo portfolio",
                "construction du portefeuille de démonstration"
            ),
        ),
    )
    .await?;
    let seeded = app::agreements::seed_demo(store.as_ref(), clock, 200).await?;
    let files =
        app::legal::seed_demo(store.as_ref(), clock, &domain::law::RateTables::embedded()?).await?;
    let mut tx = store.begin().await?;
    let summary = queries::summary(tx.as_mut(), clock.today(), &Buckets::default(), 10).await?;
    drop(tx);
    if !json {
        println!(
            "{}",
            tr!(
                "Demo database: {target}",
                "Base de démonstration : {target}"
            )
        );
        let (debtors, claims, entries) = (loaded.debtors, loaded.claims, loaded.entries);
        println!(
            "{}\n",
            tr!(
                "{debtors} debtors, {claims} claims, {entries} ledger entries loaded.",
                "{debtors} débiteurs, {claims} créances, {entries} écritures chargés."
            )
        );
        let (promises, plans, disputes) = (seeded.promises, seeded.plans, seeded.disputes);
        println!(
            "{}\n",
            tr!(
                "Agreements: {promises} promises, {plans} payment plans, {disputes} disputes.",
                "Accords : {promises} promesses, {plans} échéanciers, {disputes} litiges."
            )
        );
        println!(
            "{}\n",
            tr!(
                "Legal files: {} (orders won and paid {}, opposed {}, unrecoverable {}, awaiting service {}, small claims {}, not litigated {}).",
                "Dossiers contentieux : {} (injonctions gagnées et payées {}, frappées d'opposition {}, irrécouvrables {}, à signifier {}, petites créances {}, sans procédure {}).",
                files.total(),
                files.won,
                files.opposed,
                files.unrecoverable,
                files.pending,
                files.small_claims,
                files.declined
            )
        );
    }
    output::summary(&summary, json)?;
    demo_sender(store.as_ref(), clock).await?;
    // One daily run on the fresh portfolio, to show what dunning does with it.
    let report =
        app::dunning::run(store.as_ref(), clock, app::dunning::RunOptions::default()).await?;
    if !json {
        println!();
        output::run_counts(&report);
    }
    if args.simulate_days > 0 {
        let from = clock
            .today()
            .checked_sub(jiff::Span::new().days(i64::from(args.simulate_days)))
            .with_context(|| {
                tr!(
                    "--simulate-days goes back before the first date",
                    "--simulate-days remonte avant la première date"
                )
            })?;
        if !json {
            println!();
        }
        simulate(&params, from, json)?;
    }
    let store: std::sync::Arc<dyn app::Store> = std::sync::Arc::from(store);
    if let Some(url) = &args.smtp {
        demo_smtp(store.clone(), clock, url, json).await?;
    }
    let mut logins = demo_users(store.as_ref(), clock).await?;
    if args.agency {
        let built = app::agency::seed_demo(store.as_ref(), clock).await?;
        logins.extend(demo_client_users(store.as_ref(), clock, &built).await?);
        if !json {
            println!();
            println!(
                "{}",
                tr!(
                    "Agency: {} clients, {} files placed, {} payments, {} remittance statements, {} client notices.",
                    "Agence : {} clients, {} dossiers confiés, {} paiements, {} relevés de reversement, {} avis aux clients.",
                    built.clients.len(),
                    built.placed,
                    built.payments,
                    built.remittances,
                    built.notices
                )
            );
        }
    }
    if json {
        return Ok(());
    }
    println!();
    println!(
        "{}",
        tr!(
            "Demo users (login, password):",
            "Utilisateurs de démonstration (identifiant, mot de passe) :"
        )
    );
    for (login, password) in &logins {
        println!("  {login:<14} {password}");
    }
    if args.no_serve {
        return Ok(());
    }
    // The demo serves what it built: its day is run already, and nothing is delivered
    // from it (no background work).
    serve(
        store,
        std::sync::Arc::from(owned_clock),
        &args.listen,
        web::Config {
            lists_recheck: web::LISTS_RECHECK,
            ..web::Config::default()
        },
        Some(&logins),
        None,
    )
    .await
}

/// Points the demo's SMTP settings at `url` (`smtp://HOST:PORT`, plain) and delivers the
/// day's messages there.
async fn demo_smtp(
    store: std::sync::Arc<dyn app::Store>,
    clock: &dyn Clock,
    url: &str,
    json: bool,
) -> Result<()> {
    let rest = url
        .strip_prefix("smtp://")
        .with_context(|| format!("--smtp {url:?}: expected smtp://HOST:PORT"))?;
    let (host, port) = rest
        .trim_end_matches('/')
        .rsplit_once(':')
        .with_context(|| format!("--smtp {url:?}: expected smtp://HOST:PORT"))?;
    let port: u16 = port
        .parse()
        .with_context(|| format!("--smtp {url:?}: {port:?} is not a port"))?;
    let settings = app::channels::SmtpSettings {
        host: host.to_string(),
        port,
        security: app::channels::Security::Plain,
        user: None,
        password_env: None,
        from: "Recouvre demo <relances@demo.recouvre.example>".into(),
        reply_to: None,
        ca_file: None,
    };
    let actor = app::audit::Actor("cli:demo".into());
    app::channels::set_smtp(store.as_ref(), clock, &actor, &settings).await?;
    if !json {
        println!();
        println!(
            "{}",
            tr!(
                "Delivering the day's e-mails to {url}:",
                "Envoi des e-mails du jour à {url} :"
            )
        );
    }
    delivery_cli::deliver(
        store,
        Some(clock.today()),
        None,
        delivery_cli::DeliverArgs {
            once: true,
            batch: 50,
            worker_id: Some("demo".into()),
            lease_secs: 300,
            rates: cli::RatesArg { rates_dir: None },
        },
        json,
    )
    .await?;
    Ok(())
}

/// The demo company's identity, so that its letters and e-mails can be issued (a letter
/// lacking the sender's address, SIREN or IBAN is refused: app::issuing). Fictitious
/// figures: the bank's example IBAN, an example SIREN and SEPA creditor identifier.
async fn demo_sender(store: &dyn Store, clock: &dyn Clock) -> Result<()> {
    let actor = app::audit::Actor("cli:demo".into());
    app::audit::set_company(
        store,
        clock,
        &actor,
        &app::sepa::CreditorIdentity {
            name: "Démo Industrie SAS".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: Some("AGRIFRPP".into()),
            identifier: "FR72ZZZ123456".into(),
        },
        "8 quai des Forges\n75011 Paris",
        Some("SIREN 123 456 789 (fictif / fictitious)"),
    )
    .await?;
    comms::admin::set_settings(
        store,
        clock,
        &actor,
        &[
            (comms::compose::settings::SENDER_CITY, "Paris".to_string()),
            (
                comms::compose::settings::SENDER_EMAIL,
                "recouvrement@demo.example".to_string(),
            ),
        ],
    )
    .await?;
    Ok(())
}

/// One user of the role `client` per client of the demo agency (`client-alpha`...), with
/// a password anyone reading the demo's output may use.
async fn demo_client_users(
    store: &dyn Store,
    clock: &dyn Clock,
    built: &app::agency::DemoAgency,
) -> Result<Vec<(String, String)>> {
    let actor = app::audit::Actor("cli:demo".into());
    let mut logins = Vec::new();
    for (code, name) in &built.clients {
        let login = format!("client-{}", code.to_lowercase());
        let password = format!("{login}-demo-2026");
        let creditor = {
            let mut tx = store.begin_read().await?;
            app::agency::creditor_named(tx.as_mut(), code).await?.id
        };
        app::users::add_client(
            store,
            clock,
            &actor,
            app::users::NewUser {
                login: login.clone(),
                display_name: name.clone(),
                role: app::store::Role::Client,
                password_hash: web::auth::hash_password(&password)
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                language: "fr".into(),
            },
            creditor,
        )
        .await?;
        logins.push((login, password));
    }
    Ok(logins)
}

/// The demo's users, one per role, with passwords anyone reading the demo's output may
/// use: the demo database is for trying Recouvre, never for real data.
async fn demo_users(store: &dyn Store, clock: &dyn Clock) -> Result<Vec<(String, String)>> {
    let actor = app::audit::Actor("cli:demo".into());
    let mut logins = Vec::new();
    for role in app::store::Role::ALL.iter().rev() {
        let login = role.as_str().to_string();
        let password = format!("{login}-demo-2026");
        let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
        app::users::add(
            store,
            clock,
            &actor,
            app::users::NewUser {
                login: login.clone(),
                display_name: format!("Demo {login}"),
                role: *role,
                password_hash: hash,
                language: "fr".into(),
            },
        )
        .await?;
        logins.push((login, password));
    }
    Ok(logins)
}

/// Serves the web application on `listen` until Ctrl-C, logging requests to stderr.
/// Logs on standard error, filtered by `RUST_LOG` (default `info`).
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn serve(
    store: std::sync::Arc<dyn Store>,
    clock: std::sync::Arc<dyn Clock>,
    listen: &str,
    config: web::Config,
    demo_logins: Option<&[(String, String)]>,
    background: Option<worker::BackgroundWork>,
) -> Result<()> {
    init_logs();
    let backend = store.backend();
    let state = web::AppState::new(store, clock, config)?;
    let listener = web::bind(listen).await?;
    let addr = listener.local_addr()?;
    println!();
    println!(
        "{}",
        tr!(
            "Recouvre is serving http://{addr}/ ({backend}); Ctrl-C stops it.",
            "Recouvre est servi sur http://{addr}/ ({backend}) ; Ctrl-C pour arrêter."
        )
    );
    println!(
        "{}",
        tr!(
            "API: http://{addr}/api/v1 — OpenAPI: http://{addr}/api/openapi.json",
            "API : http://{addr}/api/v1 — OpenAPI : http://{addr}/api/openapi.json"
        )
    );
    if demo_logins.is_some_and(|l| !l.is_empty()) {
        println!(
            "{}",
            tr!(
                "Sign in with a demo user above.",
                "Connectez-vous avec un utilisateur ci-dessus."
            )
        );
    }
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let worker = background.map(|work| {
        let stop = stop.clone();
        tokio::spawn(async move { work.run_until(stop.notified()).await })
    });
    let served = web::serve(state, listener, web::shutdown_signal()).await;
    stop.notify_one();
    if let Some(w) = worker {
        let _ = w.await;
    }
    served?;
    Ok(())
}

/// An import another instance is doing: nothing done here, a failing exit
/// ([`EXIT_LEASE_HELD`]) saying until when (with `--json`, the lease on stdout too).
fn import_held<T: serde::Serialize>(
    name: &str,
    held: app::jobs::Leased<T>,
    json: bool,
) -> Result<()> {
    if json {
        output::print_json(&held)?;
    }
    match held {
        app::jobs::Leased::Held { owner, until } => Err(LeaseHeld {
            what_en: format!("the import of {name}"),
            what_fr: format!("l'import de {name}"),
            owner,
            until,
        }
        .into()),
        app::jobs::Leased::Ran { .. } => Ok(()),
    }
}

/// Who the audit log names for a change made at the command line: `cli:<OS user>`.
pub(crate) fn cli_actor() -> app::audit::Actor {
    app::audit::Actor(format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    ))
}

/// A new password: the first line of standard input, or asked twice on the terminal.
fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).with_context(|| {
            tr!(
                "cannot read the password from standard input",
                "impossible de lire le mot de passe sur l'entrée standard"
            )
        })?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let unreadable = || {
        tr!(
            "cannot read the password",
            "impossible de lire le mot de passe"
        )
    };
    let first = rpassword::prompt_password(tr!("Password: ", "Mot de passe : "))
        .with_context(unreadable)?;
    let again =
        rpassword::prompt_password(tr!("Again: ", "Confirmation : ")).with_context(unreadable)?;
    if first != again {
        bail!(tr!("the passwords differ", "les mots de passe diffèrent"));
    }
    Ok(first)
}

/// One user after a change: as JSON, or `login: what happened`.
fn print_user(user: &app::store::StoredUser, json: bool, what: &str) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(user)?);
    } else {
        let login = &user.login;
        println!(
            "{}",
            tr!("user {login}: {what}", "utilisateur {login} : {what}")
        );
    }
    Ok(())
}

/// The error of a file that cannot be read.
pub(crate) fn cannot_read(file: &std::path::Path) -> String {
    let file = file.display();
    tr!("cannot read {file}", "impossible de lire {file}")
}

/// The spinner's message while a file is imported.
fn importing(file: &std::path::Path) -> String {
    let file = file.display();
    tr!("importing {file}", "import de {file}")
}

/// `recouvre user add|token|tokens|revoke|deactivate|activate|role|password|list`.
async fn user_command(
    store: &dyn Store,
    clock: &dyn Clock,
    what: UserCommand,
    json: bool,
) -> Result<()> {
    let actor = cli_actor();
    match what {
        UserCommand::Add {
            login,
            role,
            name,
            language,
            password_stdin,
        } => {
            let role: app::store::Role = role.parse().map_err(anyhow::Error::msg)?;
            let password = read_password(password_stdin)?;
            let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = app::users::add(
                store,
                clock,
                &actor,
                app::users::NewUser {
                    login: login.clone(),
                    display_name: name.unwrap_or_default(),
                    role,
                    password_hash: hash,
                    language,
                },
            )
            .await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&user)?);
            } else {
                let (login, role) = (&user.login, user.role);
                println!(
                    "{}",
                    tr!(
                        "user {login} created ({role})",
                        "utilisateur {login} créé ({role})"
                    )
                );
            }
        }
        UserCommand::Token {
            login,
            name,
            expires_days,
        } => {
            let token = web::auth::random_token().map_err(|e| anyhow::anyhow!("{e}"))?;
            let view = app::users::add_api_token(
                store,
                clock,
                &actor,
                &login,
                &name,
                &web::auth::hash_token(&token),
                expires_days,
            )
            .await?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "id": view.id, "token": token, "expires_at": view.expires_at })
                );
            } else {
                println!("{token}");
                let expiry = view
                    .expires_at
                    .as_deref()
                    .map_or(String::new(), |e| tr!(", expires {e}", ", expire le {e}"));
                let (id, login) = (view.id, &view.login);
                eprintln!(
                    "{}",
                    tr!(
                        "API token {id} for {login}{expiry}: shown once, keep it secret (Authorization: Bearer ...)",
                        "Jeton d'API {id} pour {login}{expiry} : montré une seule fois, gardez-le secret (Authorization: Bearer ...)"
                    )
                );
            }
        }
        UserCommand::Tokens { login } => {
            let tokens = app::users::api_tokens(store, clock, &login).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                println!(
                    "{:>5} {:<16} {:<22} {:<22} {:<22} {}",
                    "id",
                    tr!("name", "nom"),
                    tr!("created", "créé"),
                    tr!("expires", "expire"),
                    tr!("revoked", "révoqué"),
                    tr!("state", "état"),
                );
                for t in tokens {
                    let state = if t.revoked_at.is_some() {
                        tr!("revoked", "révoqué")
                    } else if t.usable {
                        tr!("valid", "valide")
                    } else {
                        tr!("expired", "expiré")
                    };
                    println!(
                        "{:>5} {:<16} {:<22} {:<22} {:<22} {state}",
                        t.id,
                        t.name,
                        t.created_at,
                        t.expires_at
                            .clone()
                            .unwrap_or_else(|| tr!("never", "jamais")),
                        t.revoked_at.as_deref().unwrap_or("-"),
                    );
                }
            }
        }
        UserCommand::Revoke { id } => {
            let t = app::users::revoke_api_token(store, clock, &actor, id, None).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&t)?);
            } else {
                let (id, name, login) = (t.id, &t.name, &t.login);
                println!(
                    "{}",
                    tr!(
                        "API token {id} ({name}) of {login} revoked",
                        "Jeton d'API {id} ({name}) de {login} révoqué"
                    )
                );
            }
        }
        UserCommand::Deactivate { login } => {
            let user = app::users::set_active(store, clock, &actor, &login, false).await?;
            print_user(
                &user,
                json,
                &tr!(
                    "deactivated; their sessions have ended, their tokens are refused",
                    "désactivé ; ses sessions ont pris fin, ses jetons sont refusés"
                ),
            )?;
        }
        UserCommand::Activate { login } => {
            let user = app::users::set_active(store, clock, &actor, &login, true).await?;
            print_user(&user, json, &tr!("active", "actif"))?;
        }
        UserCommand::Role { login, role } => {
            let role: app::store::Role = role.parse().map_err(anyhow::Error::msg)?;
            let user = app::users::set_role(store, clock, &actor, &login, role).await?;
            let role = user.role;
            print_user(
                &user,
                json,
                &tr!(
                    "role {role}; their sessions have ended",
                    "rôle {role} ; ses sessions ont pris fin"
                ),
            )?;
        }
        UserCommand::Password {
            login,
            password_stdin,
        } => {
            let password = read_password(password_stdin)?;
            let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = app::users::set_password(store, clock, &actor, &login, &hash, None).await?;
            print_user(
                &user,
                json,
                &tr!(
                    "password set; their sessions have ended",
                    "mot de passe défini ; ses sessions ont pris fin"
                ),
            )?;
        }
        UserCommand::Totp {
            login,
            off,
            secret,
            code,
        } => {
            if off {
                app::users::disable_totp(store, clock, &actor, &login).await?;
                println!(
                    "{}",
                    domain::tr!(
                        "{login}: second factor removed",
                        "{login} : second facteur retiré"
                    )
                );
                return Ok(());
            }
            let secret = match secret {
                Some(s) => s,
                None => {
                    let s = app::totp::new_secret()?;
                    println!(
                        "{}\n  {s}\n  {}",
                        domain::tr!(
                            "Add this key to the authenticator app:",
                            "Ajoutez cette clé à l'application d'authentification :"
                        ),
                        app::totp::otpauth_uri("Recouvre", &login, &s)
                    );
                    s
                }
            };
            let code = match code {
                Some(c) => c,
                None => {
                    eprint!(
                        "{}",
                        domain::tr!(
                            "Code the app shows now: ",
                            "Code affiché par l'application : "
                        )
                    );
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim().to_string()
                }
            };
            app::users::enable_totp(store, clock, &actor, &login, &secret, &code).await?;
            println!(
                "{}",
                domain::tr!(
                    "{login}: second factor on; each sign-in asks for a code",
                    "{login} : second facteur activé ; chaque connexion demande un code"
                )
            );
        }
        UserCommand::List => {
            let mut tx = store.begin().await?;
            let users = tx.users().await?;
            if json {
                let mut list = Vec::new();
                for u in &users {
                    let mut v = serde_json::to_value(u)?;
                    v["totp"] = app::users::has_totp(tx.as_mut(), u.id).await?.into();
                    list.push(v);
                }
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for u in users {
                    let totp = if app::users::has_totp(tx.as_mut(), u.id).await? {
                        "2FA"
                    } else {
                        "-"
                    };
                    println!(
                        "{:<16} {:<10} {:<3} {:<3} {}",
                        u.login, u.role, u.language, totp, u.display_name
                    );
                }
            }
        }
    }
    Ok(())
}

/// Simulates the days after `from` up to `params.as_of` and prints the summary.
fn simulate(params: &demo::DemoParams, from: Date, json: bool) -> Result<()> {
    let spinner = (!json).then(|| {
        let to = params.as_of;
        output::spinner(&tr!(
            "simulating {from} to {to}",
            "simulation du {from} au {to}"
        ))
    });
    let started = std::time::Instant::now();
    let report = app::simulate::simulate(params, app::simulate::SimOptions { from, trace: false });
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    output::simulation(&report?, started.elapsed(), json)
}

/// The `--status` option as a filter: one status, or all when absent.
fn status_filter<T: std::str::FromStr<Err = String>>(status: Option<String>) -> Result<Vec<T>> {
    match status {
        Some(s) => Ok(vec![s.parse().map_err(anyhow::Error::msg)?]),
        None => Ok(Vec::new()),
    }
}

/// `recouvre report`: computes the report, then prints it as a table, CSV, XLSX or JSON.
async fn report(store: &dyn Store, args: cli::ReportArgs, as_of: Date, json: bool) -> Result<()> {
    use app::reports::{ReportQuery, TermsOptions};
    let lang = match domain::lang::current() {
        Some(domain::lang::Lang::Fr) => web::i18n::Lang::Fr,
        _ => web::i18n::Lang::En,
    };
    let format = args.format.trim().to_ascii_lowercase();
    if !matches!(format.as_str(), "table" | "csv" | "xlsx") {
        let given = &args.format;
        bail!(tr!(
            "--format {given:?}: expected table, csv or xlsx",
            "--format {given:?} : table, csv ou xlsx attendu"
        ));
    }
    if format == "xlsx" && args.out.is_none() {
        bail!(tr!(
            "--format xlsx writes a file: give it with --out FILE",
            "--format xlsx écrit un fichier : donnez-le avec --out FICHIER"
        ));
    }
    let query = ReportQuery {
        as_of,
        period: args.kind.period(as_of, args.from, args.to)?,
        buckets: Buckets::parse(&args.buckets).map_err(anyhow::Error::msg)?,
        group_by: args.group_by,
        terms: TermsOptions {
            variant: args.variant,
            reference: args.reference,
            basis: args.amounts,
        },
    };
    let mut tx = store.begin().await?;
    let book = tx.book(None).await?;
    let report = app::reports::report(tx.as_mut(), &book, args.kind, &query).await?;
    drop(tx);
    if json {
        return output::print_json(&report);
    }
    let i18n = web::i18n::I18n::load().map_err(anyhow::Error::msg)?;
    let tr = web::i18n::Tr::new(std::sync::Arc::new(i18n), lang);
    let sheet = app::reports::sheet(&report, &|k| tr.get(k));
    let french = lang == web::i18n::Lang::Fr;
    let bytes = match format.as_str() {
        "csv" => formats::sheet::to_csv(&sheet, french)?,
        "xlsx" => formats::sheet::to_xlsx(std::slice::from_ref(&sheet))?,
        _ => output::sheet_table(&sheet, french).into_bytes(),
    };
    match args.out {
        Some(path) => std::fs::write(&path, bytes).with_context(|| {
            let shown = path.display();
            tr!("cannot write {shown}", "impossible d'écrire {shown}")
        })?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
