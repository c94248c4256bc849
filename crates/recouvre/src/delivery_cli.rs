//! The delivery commands: `settings smtp|sms`, `deliver` (the outbox worker) and
//! `outbox list|show|retry`.

use crate::output::{print_json, right, table};
use anyhow::{Context, Result, bail};
use app::channels::{Header, Security, SmsSettings, SmtpSettings};
use app::clock::Clock;
use app::outbox::{BatchReport, Worker, WorkerConfig};
use app::store::{OutboxFilter, OutboxStatus, Store};
use clap::{Args, Subcommand};
use comfy_table::Cell;
use domain::{Date, tr};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum SettingsWhat {
    /// Where e-mails go: the SMTP server, its security, the login, the sender.
    Smtp(SmtpArgs),
    /// The HTTP SMS provider: URL, method, headers, body template, success status.
    Sms(SmsArgs),
    /// Sign-in security: whether administrators must sign in with a second factor
    /// (refused while an active administrator has none).
    Security {
        /// `required` or `optional`.
        #[arg(long, value_parser = ["required", "optional"])]
        totp_admins: String,
    },
}

#[derive(Debug, Args)]
pub struct SmtpArgs {
    #[arg(long)]
    pub host: String,
    #[arg(long, default_value_t = 587)]
    pub port: u16,
    /// starttls, tls or plain (plain: a relay on this machine or network only).
    #[arg(long, default_value = "starttls")]
    pub security: Security,
    /// The login, when the server wants one.
    #[arg(long, requires = "password_env")]
    pub user: Option<String>,
    /// The environment variable that holds the password when `recouvre deliver` runs
    /// (the password itself is never stored); its name must start with `RECOUVRE_SECRET_`
    /// (e.g. RECOUVRE_SECRET_SMTP_PASSWORD): no other variable may be read.
    #[arg(long, requires = "user")]
    pub password_env: Option<String>,
    /// The sender: `"Acme Relances <relances@acme.fr>"` or an address.
    #[arg(long)]
    pub from: String,
    /// Reply-To when the case has no collector with an e-mail address.
    #[arg(long)]
    pub reply_to: Option<String>,
    /// A PEM file of certificate authorities to trust besides the public ones (a relay
    /// whose certificate an internal authority signed).
    #[arg(long)]
    pub ca_file: Option<String>,
}

#[derive(Debug, Args)]
pub struct SmsArgs {
    #[arg(long)]
    pub url: String,
    #[arg(long, default_value = "POST")]
    pub method: String,
    /// `Name: value`, repeated; a value written `${VAR}` is read from the environment at
    /// send time (keep API keys there); VAR must start with `RECOUVRE_SECRET_`.
    #[arg(long = "header")]
    pub headers: Vec<String>,
    /// The body, with {{to}}, {{text}}, {{message_id}}, {{sender}}.
    #[arg(long)]
    pub body: String,
    #[arg(long, default_value_t = 200)]
    pub success_status: u16,
    #[arg(long)]
    pub sender: Option<String>,
    /// At most this many SMS parts per message.
    #[arg(long, default_value_t = 3)]
    pub max_parts: u8,
}

#[derive(Debug, Args)]
pub struct DeliverArgs {
    /// Deliver what is due now, then exit (otherwise: keep delivering until Ctrl-C).
    #[arg(long)]
    pub once: bool,
    /// Messages claimed at once.
    #[arg(long, default_value_t = 20)]
    pub batch: usize,
    /// This worker's name in leases and the delivery log (default: host and process id).
    #[arg(long)]
    pub worker_id: Option<String>,
    /// How long a claim lasts, in seconds, before another worker may take it over.
    #[arg(long, default_value_t = 300)]
    pub lease_secs: i64,
    #[command(flatten)]
    pub rates: crate::cli::RatesArg,
}

#[derive(Debug, Subcommand)]
pub enum OutboxWhat {
    /// Entries, newest first.
    List {
        /// Only this status: queued, sending, sent, failed, cancelled, print.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One entry and its delivery log.
    Show { id: i64 },
    /// Queue a failed or cancelled entry again.
    Retry { id: i64 },
}

pub async fn settings(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    what: Option<SettingsWhat>,
    json: bool,
) -> Result<()> {
    match what {
        Some(SettingsWhat::Smtp(a)) => {
            let s = SmtpSettings {
                host: a.host,
                port: a.port,
                security: a.security,
                user: a.user,
                password_env: a.password_env,
                from: a.from,
                reply_to: a.reply_to,
                ca_file: a.ca_file,
            };
            app::channels::set_smtp(store, clock, actor, &s).await?;
            if !json {
                println!(
                    "{}",
                    tr!("SMTP settings saved.", "Paramètres SMTP enregistrés.")
                );
            }
        }
        Some(SettingsWhat::Sms(a)) => {
            let headers = a
                .headers
                .iter()
                .map(|h| {
                    let (name, value) = h.split_once(':').with_context(|| {
                        tr!(
                            "--header {h:?}: expected `Name: value`",
                            "--header {h:?} : `Nom: valeur` attendu"
                        )
                    })?;
                    Ok(Header {
                        name: name.trim().to_string(),
                        value: value.trim().to_string(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let s = SmsSettings {
                url: a.url,
                method: a.method.to_uppercase(),
                headers,
                body: a.body,
                success_status: a.success_status,
                sender: a.sender,
                max_parts: a.max_parts,
            };
            app::channels::set_sms(store, clock, actor, &s).await?;
            if !json {
                println!(
                    "{}",
                    tr!("SMS settings saved.", "Paramètres SMS enregistrés.")
                );
            }
        }
        Some(SettingsWhat::Security { totp_admins }) => {
            let required = totp_admins == "required";
            app::users::set_totp_required_for_admins(store, clock, actor, required).await?;
        }
        None => {}
    }
    let mut tx = store.begin().await?;
    let totp_admins = app::users::totp_required_for_admins(tx.as_mut()).await?;
    let smtp = app::channels::smtp(tx.as_mut())
        .await?
        .map(|s| s.redacted());
    let sms = app::channels::sms(tx.as_mut()).await?.map(|s| s.redacted());
    if json {
        return print_json(&serde_json::json!({
            "smtp": smtp,
            "sms": sms,
            "totp_required_for_admins": totp_admins,
        }));
    }
    println!(
        "{}",
        if totp_admins {
            domain::tr!(
                "Second factor: mandatory for administrators",
                "Second facteur : obligatoire pour les administrateurs"
            )
        } else {
            domain::tr!("Second factor: optional", "Second facteur : facultatif")
        }
    );
    match smtp {
        Some(s) => {
            let (host, port, security, from) = (&s.host, s.port, s.security, &s.from);
            let user = s
                .user
                .map(|u| tr!(", user {u}", ", identifiant {u}"))
                .unwrap_or_default();
            println!(
                "{}",
                tr!(
                    "SMTP: {host}:{port} ({security:?}), from {from}{user}",
                    "SMTP : {host}:{port} ({security:?}), expéditeur {from}{user}"
                )
            )
        }
        None => println!("{}", tr!("SMTP: not configured", "SMTP : non configuré")),
    }
    match sms {
        Some(s) => {
            let (method, url, success) = (&s.method, &s.url, s.success_status);
            println!(
                "{}",
                tr!(
                    "SMS: {method} {url} (success {success})",
                    "SMS : {method} {url} (succès {success})"
                )
            )
        }
        None => println!("{}", tr!("SMS: not configured", "SMS : non configuré")),
    }
    Ok(())
}

/// The instant the worker sees, Unix seconds: the real instant, or with `--as-of` that
/// day at the current Paris time of day (so leases and retries still follow real time).
pub fn instant(as_of: Option<Date>) -> impl Fn() -> i64 + Send + Sync {
    move || app::jobs::unix_now(as_of)
}

/// This process's default worker name.
pub fn default_worker_id() -> String {
    app::jobs::instance_id()
}

/// What delivering needs, read from the stored settings: the transports of the channels
/// configured, the composer of the messages, the quiet hours.
pub struct Delivery {
    store: Arc<dyn Store>,
    transports: app::outbox::Transports,
    composer: comms::OutboxComposer,
    quiet: app::outbox::QuietHours,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery").finish_non_exhaustive()
    }
}

impl Delivery {
    /// Reads the settings; `None` when no channel (SMTP, SMS) is configured.
    pub async fn load(
        store: Arc<dyn Store>,
        templates: Option<&std::path::Path>,
        tables: domain::law::RateTables,
    ) -> Result<Option<Self>> {
        let (smtp, sms, quiet) = {
            let mut tx = store.begin().await?;
            let quiet = tx
                .setting(app::outbox::QUIET_HOURS)
                .await?
                .map(|q| serde_json::from_str(&q))
                .transpose()
                .context("setting quiet_hours")?
                .unwrap_or_default();
            (
                app::channels::smtp(tx.as_mut()).await?,
                app::channels::sms(tx.as_mut()).await?,
                quiet,
            )
        };
        if smtp.is_none() && sms.is_none() {
            return Ok(None);
        }
        let transports = deliver::transports(smtp, sms).map_err(anyhow::Error::msg)?;
        // The messages' texts and letters: the templates (built in, overridden by files and
        // settings), checked whole before anything is sent.
        let comms = comms::admin::load(store.as_ref(), templates, tables)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let composer = comms::OutboxComposer {
            store: store.clone(),
            comms,
        };
        Ok(Some(Self {
            store,
            transports,
            composer,
            quiet,
        }))
    }

    /// The outbox worker over these settings.
    pub fn worker(&self, id: String, batch: usize, lease_secs: i64) -> Worker<'_> {
        Worker {
            store: self.store.as_ref(),
            composer: &self.composer,
            transports: &self.transports,
            id,
            config: WorkerConfig {
                batch: batch.max(1),
                lease_secs: lease_secs.max(1),
                quiet: self.quiet,
                ..WorkerConfig::default()
            },
        }
    }
}

/// Runs the worker with the stored settings: once (drain what is due) or until Ctrl-C.
pub async fn deliver(
    store: Arc<dyn Store>,
    as_of: Option<Date>,
    templates: Option<&std::path::Path>,
    args: DeliverArgs,
    json: bool,
) -> Result<BatchReport> {
    let Some(delivery) = Delivery::load(store, templates, crate::rate_tables(&args.rates)?).await?
    else {
        bail!(tr!(
            "nothing to deliver with: configure `recouvre settings smtp` and/or `recouvre settings sms`",
            "aucun canal configuré : configurez `recouvre settings smtp` et/ou `recouvre settings sms`"
        ));
    };
    let worker = delivery.worker(
        args.worker_id.unwrap_or_else(default_worker_id),
        args.batch,
        args.lease_secs,
    );
    let now = instant(as_of);
    if args.once {
        let report = worker.drain(&now).await?;
        print_batch(&report, json)?;
        return Ok(report);
    }
    if !json {
        let id = &worker.id;
        println!(
            "{}",
            tr!(
                "Delivering as {id} until Ctrl-C.",
                "Envoi en cours sous le nom {id} jusqu'à Ctrl-C."
            )
        );
    }
    let mut total = BatchReport::default();
    loop {
        let report = worker.drain(&now).await?;
        if report.claimed > 0 {
            print_batch(&report, json)?;
        }
        total.claimed += report.claimed;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(total),
            _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
        }
    }
}

pub fn print_batch(r: &BatchReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let (claimed, sent, retried, failed, deferred, cancelled, lost) = (
        r.claimed,
        r.sent,
        r.retried,
        r.failed,
        r.deferred,
        r.cancelled,
        r.lost,
    );
    println!(
        "{}",
        tr!(
            "Outbox: {claimed} claimed, {sent} sent, {retried} to retry, {failed} failed, {deferred} waiting, {cancelled} cancelled, {lost} taken over by another worker",
            "Envois : {claimed} pris, {sent} envoyés, {retried} à réessayer, {failed} en échec, {deferred} en attente, {cancelled} annulés, {lost} repris par un autre processus"
        )
    );
    Ok(())
}

pub async fn outbox(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    what: Option<OutboxWhat>,
    json: bool,
) -> Result<()> {
    match what.unwrap_or(OutboxWhat::List {
        status: None,
        limit: 50,
    }) {
        OutboxWhat::List { status, limit } => {
            let statuses = match status {
                Some(s) => vec![s.parse::<OutboxStatus>().map_err(anyhow::Error::msg)?],
                None => Vec::new(),
            };
            let mut tx = store.begin().await?;
            let counts = app::outbox::counts(tx.as_mut()).await?;
            let list = app::outbox::list(
                tx.as_mut(),
                &OutboxFilter {
                    statuses,
                    action: None,
                    limit: Some(limit),
                },
            )
            .await?;
            if json {
                return print_json(&serde_json::json!({
                    "counts": counts.iter().map(|(s, n)| (s.as_str(), n)).collect::<std::collections::BTreeMap<_, _>>(),
                    "entries": list,
                }));
            }
            println!(
                "{}",
                counts
                    .iter()
                    .map(|(s, n)| format!("{s}: {n}"))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
            let mut t = table(&[
                "id",
                "action",
                &tr!("channel", "canal"),
                &tr!("recipient", "destinataire"),
                &tr!("status", "statut"),
                &tr!("attempts", "essais"),
                &tr!("last error", "dernière erreur"),
            ]);
            for e in &list {
                t.add_row(vec![
                    right(e.id),
                    right(e.action_id),
                    Cell::new(e.channel.as_str()),
                    Cell::new(&e.recipient),
                    Cell::new(e.status.as_str()),
                    right(e.attempts),
                    Cell::new(e.last_error.as_deref().unwrap_or("")),
                ]);
            }
            println!("{t}");
        }
        OutboxWhat::Show { id } => {
            let mut tx = store.begin().await?;
            let detail = app::outbox::show(tx.as_mut(), id).await?;
            if json {
                return print_json(&detail);
            }
            let e = &detail.entry;
            let (id, action, channel, to) = (e.id, e.action_id, e.channel.as_str(), &e.recipient);
            println!(
                "{}",
                tr!(
                    "Outbox entry {id}: action {action}, {channel} to {to}",
                    "Envoi {id} : action {action}, {channel} à {to}"
                )
            );
            println!("Message-ID: {}", e.message_id);
            let (status, attempts) = (e.status, e.attempts);
            println!(
                "{}",
                tr!(
                    "Status: {status} ({attempts} attempts)",
                    "Statut : {status} ({attempts} essais)"
                )
            );
            if let Some(err) = &e.last_error {
                println!("{}", tr!("Last error: {err}", "Dernière erreur : {err}"));
            }
            let mut t = table(&[
                &tr!("attempt", "essai"),
                &tr!("worker", "processus"),
                &tr!("started", "début"),
                &tr!("finished", "fin"),
                &tr!("result", "résultat"),
                &tr!("detail", "détail"),
            ]);
            for a in &detail.deliveries {
                t.add_row(vec![
                    right(a.attempt),
                    Cell::new(&a.worker),
                    Cell::new(&a.started_at),
                    Cell::new(a.finished_at.as_deref().unwrap_or("")),
                    Cell::new(a.result.as_str()),
                    Cell::new(
                        a.detail
                            .as_deref()
                            .or(a.provider_id.as_deref())
                            .unwrap_or(""),
                    ),
                ]);
            }
            println!("{t}");
        }
        OutboxWhat::Retry { id } => {
            let e = app::outbox::retry(store, clock, actor, id).await?;
            if json {
                return print_json(&e);
            }
            println!(
                "{}",
                tr!(
                    "Outbox entry {id} queued again.",
                    "Envoi {id} remis en file."
                )
            );
        }
    }
    Ok(())
}
