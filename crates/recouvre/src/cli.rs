//! The command line, declared with clap. Every command accepts the global `--db`,
//! `--as-of`, `--json` and `--lang`. The doc comments are the English help; the French
//! one is in `help_fr.rs`, applied at start-up when the CLI speaks French.

use clap::{Args, Parser, Subcommand};
use domain::Date;
use std::path::PathBuf;

/// Recouvre — accounts-receivable collection.
#[derive(Debug, Parser)]
#[command(name = "recouvre", version, about, long_about = None)]
pub struct Cli {
    /// Database: a file path, `sqlite:PATH` or `postgres://user@host/db`.
    /// Default: recouvre.db in the platform data directory.
    #[arg(long, global = true, env = "RECOUVRE_DB")]
    pub db: Option<String>,

    /// Run as if today were this date (YYYY-MM-DD). Default: today in Paris.
    #[arg(long, global = true, value_parser = parse_date)]
    pub as_of: Option<Date>,

    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// A folder of message templates (DIR/<lang>/<name>.toml, as `template export`
    /// writes them) that replace the built-in texts.
    #[arg(long, global = true, env = "RECOUVRE_TEMPLATES")]
    pub templates: Option<PathBuf>,

    /// A configuration file (TOML: `listen`, `db`, `run_at`... as in deploy/recouvre.toml)
    /// whose values are the defaults; environment variables and flags override them.
    #[arg(long, global = true, env = "RECOUVRE_CONFIG")]
    pub config: Option<PathBuf>,

    /// The language of messages, tables and help: en or fr. Default: RECOUVRE_LANG, then
    /// the `lang` setting of the configuration file, then the locale (LC_ALL, LC_MESSAGES,
    /// LANG), else English. JSON output is the same in both.
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "fr"])]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// A `YYYY-MM-DD` option (every date option of the command line).
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| {
        domain::tr!(
            "{s:?} is not a date (YYYY-MM-DD): {e}",
            "{s:?} n'est pas une date (AAAA-MM-JJ) : {e}"
        )
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (or migrate it) and the first creditor.
    Init {
        /// Short code of your company, used in imports.
        #[arg(long, default_value = "MAIN")]
        creditor_code: String,
        /// Your company's name, as printed on letters.
        #[arg(long, default_value = "My company")]
        creditor_name: String,
        /// ISO country code of your company.
        #[arg(long, default_value = "FR")]
        country: String,
    },
    /// Show the schema migrations and apply the pending ones.
    Migrate,
    /// Copy a whole database into another, empty one (e.g. SQLite to PostgreSQL),
    /// verified by counts and balances.
    MigrateData {
        /// Source database (path, `sqlite:PATH` or `postgres://...`).
        #[arg(long)]
        from: String,
        /// Target database, empty.
        #[arg(long)]
        to: String,
    },
    /// Write a verified copy of the database to a SQLite file while the server runs.
    Backup {
        /// The backup file to write, or a folder: then the file is named
        /// recouvre-YYYYMMDD-HHMMSS.db in it.
        dest: PathBuf,
        /// Replace DEST if it exists.
        #[arg(long)]
        force: bool,
        /// With DEST a folder: keep only the N newest backups in it, deleting older ones.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
    },
    /// Restore a backup into the empty database given by --db, verified by counts and
    /// balances.
    Restore {
        /// The backup file (written by `recouvre backup`).
        src: PathBuf,
    },
    /// Add a creditor (a client of a collection agency, or another company), or show and
    /// set an existing creditor's terms of sale.
    Creditor {
        code: String,
        /// The creditor's name (needed to create it).
        name: Option<String>,
        #[arg(long, default_value = "FR")]
        country: String,
        #[command(flatten)]
        terms: crate::contract_cli::TermsArgs,
    },
    /// Show or set a claim's own terms of sale (overriding its creditor's field by field).
    Terms {
        /// The claim's id.
        claim: i64,
        #[command(flatten)]
        terms: crate::contract_cli::TermsArgs,
    },
    /// Write off what is open on a claim, or part of it, with the reason ("passage en
    /// perte"); audited.
    WriteOff {
        /// The claim's id.
        claim: i64,
        /// Why (kept in the ledger and the audit log).
        #[arg(long)]
        reason: String,
        /// How much, in the claim's currency (default: everything open).
        #[arg(long)]
        amount: Option<String>,
    },
    /// Formal notices ("mises en demeure"): record one, its delivery, the postal tracking.
    #[command(subcommand)]
    Notice(crate::contract_cli::NoticeCmd),
    /// Assigned and insured claims: factors, credit insurers and what is assigned to them.
    #[command(subcommand)]
    Financing(crate::financing_cli::FinancingCmd),
    /// Personal data (GDPR): export a debtor's data, retention settings, erasure of what
    /// is due by pseudonymisation.
    #[command(subcommand)]
    Gdpr(crate::gdpr_cli::GdprCmd),
    /// The judicial phase: legal files from the decision to the enforceable title and its
    /// enforcement — stages, deadlines, costs, documents, answers, report.
    #[command(subcommand)]
    Legal(crate::legal_cli::LegalCmd),
    /// Agency mode: client creditors, their identity on letters, their users and report.
    #[command(subcommand)]
    Client(crate::agency_cli::ClientCmd),
    /// Agency mode: clients' written mandates (R124-3) with fee and remittance terms.
    #[command(subcommand)]
    Mandate(crate::agency_cli::MandateCmd),
    /// Agency mode: claims placed with the agency under a mandate, and withdrawn.
    #[command(subcommand)]
    Placement(crate::agency_cli::PlacementCmd),
    /// Agency mode: remittances to clients (statements, fees, pain.001 transfers),
    /// the one-month deadline, the notices to clients.
    #[command(subcommand)]
    Remittance(crate::agency_cli::RemittanceCmd),
    /// Import data from a file.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// List debtors with what they owe, largest overdue first.
    Debtors {
        /// Only debtors with something overdue.
        #[arg(long)]
        overdue: bool,
        /// Part of a name or customer reference.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// List open claims, oldest due date first.
    Claims {
        /// Only overdue claims.
        #[arg(long)]
        overdue: bool,
        /// Only this debtor's claims (its id).
        #[arg(long)]
        debtor: Option<i64>,
        /// Only claims with at least this much open, e.g. 500 or 1 000,50.
        #[arg(long)]
        min_amount: Option<String>,
        /// Include settled and written-off claims.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Show one debtor or one claim in full.
    Show {
        #[command(subcommand)]
        what: ShowWhat,
    },
    /// The portfolio at a glance: totals, aged balance, largest overdue debtors.
    Summary {
        /// Upper bounds of the overdue buckets, in days.
        #[arg(long, default_value = "30,60,90,180")]
        buckets: String,
    },
    /// List the interest-rate tables (ECB, French legal rate, German base rate, Bank of
    /// England) with their sources.
    Rates {
        /// Only this series (e.g. ecb_mro).
        series: Option<String>,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Late interest and fixed indemnity of one claim, period by period.
    Interest {
        /// The claim's id.
        claim: i64,
        /// Claim them: post to the claim's ledger the interest computed to the day and the
        /// indemnity, less what it already holds (audited). Payments then settle them
        /// before the principal (C. civ. 1343-1).
        #[arg(long)]
        post: bool,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Open claims whose limitation deadline ("prescription") is near or passed.
    Limitation {
        /// Show deadlines within this many days (past ones always show).
        #[arg(long, default_value_t = 90)]
        within: i32,
    },
    /// Limitation events (written acknowledgment, court claim and its outcome,
    /// enforcement act, mediation, judgment): record one on a claim or a debtor, or list
    /// them. They move the deadlines `recouvre limitation` shows.
    Event {
        #[command(subcommand)]
        what: EventCommand,
    },
    /// Legal routes open against a debtor, their costs, and whether to litigate.
    Routes {
        /// The debtor's id.
        debtor: i64,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Build a realistic demo portfolio in a fresh database and show its summary.
    Demo(DemoArgs),
    /// The daily dunning run: decide who is reminded of what today, and record it.
    Run {
        /// Decide and show, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Show what tomorrow's run would decide from today's data; writes nothing.
        #[arg(long)]
        preview: bool,
        /// Create drafts to approve (`recouvre actions approve ID`) instead of planned
        /// actions.
        #[arg(long)]
        review: bool,
    },
    /// Tasks for people (calls, legal reviews, agency hand-offs, drafts to approve),
    /// highest priority first.
    Worklist {
        /// This collector's worklist: the tasks of the cases assigned to them and of the
        /// cases assigned to nobody.
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The audit log, newest first: who changed what and when, from the web, the API or
    /// the command line (the web's audit page).
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Only the entries of this action (`import.statement`, `sepa.export`...).
        #[arg(long)]
        action: Option<String>,
    },
    /// List dunning actions, newest first; approve or skip one.
    #[command(args_conflicts_with_subcommands = true)]
    Actions {
        #[command(subcommand)]
        change: Option<ActionChange>,
        /// Only actions with this status: draft, planned, approved, skipped, done.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The dunning scenarios the daily run follows (the shipped ones until files are
    /// loaded), and their steps; `scenarios load` replaces them.
    #[command(args_conflicts_with_subcommands = true)]
    Scenarios {
        #[command(subcommand)]
        change: Option<ScenariosChange>,
    },
    /// Promises to pay ("promesses de paiement").
    #[command(subcommand)]
    Promise(crate::agreements_cli::PromiseCmd),
    /// Payment plans ("échéanciers").
    #[command(subcommand)]
    Plan(crate::agreements_cli::PlanCmd),
    /// Co-debtors' consents to a plan.
    #[command(subcommand)]
    Consent(crate::agreements_cli::ConsentCmd),
    /// Disputes ("litiges").
    #[command(subcommand)]
    Dispute(crate::agreements_cli::DisputeCmd),
    /// SEPA direct debit of plans' instalments: creditor identity, mandates, pain.008.
    #[command(subcommand)]
    Sepa(crate::agreements_cli::SepaCmd),
    /// Co-debtors and guarantors of a claim.
    #[command(subcommand)]
    Party(crate::agreements_cli::PartyCmd),
    /// The texts of the messages ("modèles") in French and English: list, preview for a
    /// debtor, export to edit, override in the database.
    #[command(subcommand)]
    Template(crate::comms_cli::TemplateCmd),
    /// Letters ("courriers"): the day's printable batch of registered letters and its
    /// deposit list; the sender's details.
    #[command(subcommand)]
    Letters(crate::comms_cli::LettersCmd),
    /// Assign a debtor's case to a collector (a user's login), whose worklist then shows
    /// its tasks; `--nobody` returns it to the shared pool.
    Assign {
        /// The debtor's id.
        debtor: i64,
        /// The collector's login.
        #[arg(long, required_unless_present = "nobody", conflicts_with = "nobody")]
        to: Option<String>,
        #[arg(long)]
        nobody: bool,
    },
    /// Log a call on a debtor's file (how it went, what was said, a promise made on the
    /// call), or a plain note without `--outcome`: it shows on the debtor's timeline.
    Call {
        /// The debtor's id.
        debtor: i64,
        /// reached, no_answer, voicemail, wrong_number or refused; absent: a note.
        #[arg(long)]
        outcome: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// A promise made on the call: the amount (with --promise-due).
        #[arg(long, requires = "promise_due")]
        promise_amount: Option<String>,
        /// The day promised (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date, requires = "promise_amount")]
        promise_due: Option<Date>,
    },
    /// Put a debtor's collection on hold until a date (inclusive), or lift the hold.
    Hold {
        /// The debtor's id.
        debtor: i64,
        /// Last day of the hold (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date, required_unless_present = "release", conflicts_with = "release")]
        until: Option<Date>,
        /// Lift the hold.
        #[arg(long)]
        release: bool,
    },
    /// Bank payments: list them, review the ones waiting, apply or ignore one.
    Payments {
        #[command(subcommand)]
        what: Option<PaymentsWhat>,
    },
    /// Serve the web interface and the REST API (`/api/v1`, described at
    /// `/api/openapi.json`) until Ctrl-C, and run the background work: the daily run at its
    /// hour, the delivery of the outbox, the watched folder of statements (`--no-worker`:
    /// serve only).
    Serve(ServeArgs),
    /// Run the background work without the web application, until Ctrl-C: the daily run
    /// at its hour, the delivery of the outbox, the watched folder of statements.
    Worker(crate::worker::WorkerArgs),
    /// Manage the people (and API tokens) who use the web application.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Settings of the delivery channels, stored in the database: `settings smtp`,
    /// `settings sms`; alone, shows them (never a secret).
    Settings {
        #[command(subcommand)]
        what: Option<crate::delivery_cli::SettingsWhat>,
    },
    /// The delivery worker: sends the outbox's due e-mails and SMS exactly once, with
    /// retries; `--once` drains what is due and exits.
    Deliver(crate::delivery_cli::DeliverArgs),
    /// The outbox: counts and entries, one entry with its delivery log, retry a failed one.
    Outbox {
        #[command(subcommand)]
        what: Option<crate::delivery_cli::OutboxWhat>,
    },
    /// Replay every day of collection on the demo portfolio, in memory (no database):
    /// invoices and payments as the generator plans them, the daily dunning run each day.
    Simulate(SimulateArgs),
    /// Reports: the aged balance (grouped), the KPIs of a period, the effectiveness of each
    /// dunning step, the 13-week cash forecast, the payment-terms table of the management
    /// report (C. com. D441-6); as a table, CSV or XLSX.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// aging, kpis, effectiveness, forecast or payment-terms.
    #[arg(value_parser = |s: &str| s.parse::<app::reports::ReportKind>())]
    pub kind: app::reports::ReportKind,
    /// First day of the period of kpis and effectiveness (default: 90 days ending --to);
    /// for payment-terms, the first day of the financial year (default: the day after the
    /// closing date a year earlier).
    #[arg(long, visible_alias = "year-start", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Last day of the period (default: the --as-of day, or today); for payment-terms, the
    /// closing date.
    #[arg(long, visible_alias = "closing", value_parser = parse_date)]
    pub to: Option<Date>,
    /// payment-terms: `unpaid` (D441-6 I, invoices unpaid at the closing date) or
    /// `paid-late` (D441-6 II, invoices paid late during the year).
    #[arg(long, default_value = "unpaid", value_parser = |s: &str| s.parse::<domain::analytics::TermsVariant>())]
    pub variant: domain::analytics::TermsVariant,
    /// payment-terms: the terms lateness is measured from, `contractual` (each invoice's
    /// due date) or `legal` (60 days from issue).
    #[arg(long, default_value = "contractual", value_parser = |s: &str| s.parse::<domain::analytics::ReferenceTerms>())]
    pub reference: domain::analytics::ReferenceTerms,
    /// payment-terms: amounts incl. VAT (`ttc`, the ledger's); `ht` is refused, the ledger
    /// holds no VAT split.
    #[arg(long, default_value = "ttc", value_parser = |s: &str| s.parse::<domain::analytics::AmountBasis>())]
    pub amounts: domain::analytics::AmountBasis,
    /// Group the aged balance by debtor, creditor, currency, country, segment or collector.
    #[arg(long, default_value = "currency", value_parser = |s: &str| s.parse::<domain::analytics::GroupBy>())]
    pub group_by: domain::analytics::GroupBy,
    /// Upper bounds of the overdue buckets of the aged balance, in days.
    #[arg(long, default_value = "30,60,90,180")]
    pub buckets: String,
    /// table, csv or xlsx (xlsx needs --out).
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write to this file instead of the terminal (in the language of `--lang`; French
    /// CSV uses `;` and a decimal comma).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ScenariosChange {
    /// Validate scenario files (TOML, one scenario each) and the assignment rules as a
    /// whole and store them in the database; nothing changes when any file is wrong.
    Load {
        /// The scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The assignment rules (which scenario a debtor follows).
        #[arg(long)]
        assignment: PathBuf,
    },
    /// Go back to the shipped scenarios.
    Reset,
    /// Write the scenario files in force into a folder, to edit and load again.
    Export {
        /// The folder (created if missing).
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Start from the portfolio as it stood at the end of this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: Date,
    /// Last day simulated (default: the --as-of day, or today).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<Date>,
    /// Number of debtors.
    #[arg(long, default_value_t = 2_000)]
    pub debtors: usize,
    /// Number of claims.
    #[arg(long, default_value_t = 20_000)]
    pub claims: usize,
    /// Seed of the generator: the same seed builds the same portfolio.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "RECOUVRE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Mark the session cookie Secure: set this when the server is reached over HTTPS.
    #[arg(long, env = "RECOUVRE_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Serve only: leave the daily run, the delivery and the watched folder to a
    /// `recouvre worker` running elsewhere.
    #[arg(long, env = "RECOUVRE_NO_WORKER")]
    pub no_worker: bool,
    #[command(flatten)]
    pub worker: crate::worker::WorkerArgs,
    /// The address of the reverse proxy in front of the server: only requests coming from
    /// it have their client address read from X-Forwarded-For (its last entry).
    #[arg(long, env = "RECOUVRE_TRUSTED_PROXY", value_name = "ADDR")]
    pub trusted_proxy: Option<std::net::IpAddr>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is asked for (or read from standard input).
    Add {
        login: String,
        /// admin, manager, collector or viewer.
        #[arg(long)]
        role: String,
        /// The name shown in the interface (default: the login).
        #[arg(long)]
        name: Option<String>,
        /// Interface language: fr or en.
        #[arg(long, default_value = "fr")]
        language: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create an API token for a user and print it (it is shown only once).
    Token {
        login: String,
        /// What the token is for, e.g. the integrating system's name.
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until the token expires (1 to 3650); without it, it does not expire.
        #[arg(long, value_name = "N")]
        expires_days: Option<u32>,
    },
    /// List a user's API tokens: name, created, expires, revoked (never the secret).
    Tokens { login: String },
    /// Revoke an API token by its id: it is refused from now on.
    Revoke {
        #[arg(value_name = "TOKEN_ID")]
        id: i64,
    },
    /// Deactivate a user: no more sign-in, their sessions end, their tokens are refused.
    Deactivate { login: String },
    /// Reactivate a deactivated user.
    Activate { login: String },
    /// Change a user's role (admin, manager, collector, viewer); their sessions end.
    Role { login: String, role: String },
    /// Set a user's password (asked for, or read from standard input); their sessions end.
    Password {
        login: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set up a user's second factor (a TOTP authenticator app): prints a new key to add
    /// to the app, then reads the code it shows (asked for, or `--code`); `--off` removes
    /// it (a lost device). Audited.
    Totp {
        login: String,
        /// Remove the user's second factor instead.
        #[arg(long, conflicts_with_all = ["secret", "code"])]
        off: bool,
        /// Use this base32 key rather than a new one (a key already in the app).
        #[arg(long)]
        secret: Option<String>,
        /// The code the app shows now (else asked for on the terminal).
        #[arg(long)]
        code: Option<String>,
    },
    /// List the users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ActionChange {
    /// Approve a draft: it goes out with the planned actions.
    Approve { id: i64 },
    /// Skip an action: it will not go out (its step stays done).
    Skip { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum PaymentsWhat {
    /// Bank transactions, newest first (the default).
    List {
        /// Only this status: applied, review, ignored, returned.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Payments waiting for a person, with ranked suggestions.
    Review,
    /// Apply a waiting payment on the claims named (ids), or on the top suggestion.
    Apply {
        id: i64,
        /// Claim ids, comma-separated: `--claims 12,15`.
        #[arg(long, value_delimiter = ',')]
        claims: Vec<i64>,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Set a waiting payment aside (not a customer payment).
    Ignore { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A bank statement: camt.053/054, MT940 or CSV. New credits are matched to open
    /// claims; confident matches are applied, the others wait in `recouvre payments review`.
    Statement {
        file: PathBuf,
        /// camt, mt940 or csv; detected from the content when omitted.
        #[arg(long)]
        format: Option<String>,
        /// CSV columns: `key=Header`, e.g. `amount=Montant`, `date=Date opération`,
        /// `remittance=Libellé`, `payer_name=Nom`, `payer_iban=IBAN`, `account=FR76...`,
        /// `currency=EUR`. Repeatable.
        #[arg(long)]
        map: Vec<String>,
        /// Score (per mille) from which a match is applied automatically.
        #[arg(long)]
        threshold: Option<u16>,
        /// Import a statement whose balances do not close (opening + entries ≠ closing),
        /// or an MT940 statement without its closing balance; refused otherwise, as a
        /// file cut short would be booked in half.
        #[arg(long)]
        accept_unbalanced: bool,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Claims (invoices) and their debtors from CSV. See `crates/formats/CLAIMS_CSV.md`.
    Claims {
        file: PathBuf,
        /// Rename columns: `our_name=Their header`, e.g. `amount=Montant TTC`. Repeatable.
        #[arg(long)]
        map: Vec<String>,
        /// The creditor (code) when the file has no `creditor` column.
        #[arg(long)]
        creditor: Option<String>,
        /// Field separator; detected from the header when omitted.
        #[arg(long)]
        delimiter: Option<char>,
        /// Date order: auto, iso, dmy or mdy.
        #[arg(long)]
        date_order: Option<String>,
        /// A value for a column the file lacks or leaves empty: `column=value`, e.g.
        /// `debtor_kind=company`. Repeatable.
        #[arg(long = "default")]
        defaults: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShowWhat {
    Debtor { id: i64 },
    Claim { id: i64 },
}

/// Where extra or newer rate files live.
#[derive(Debug, Args)]
pub struct RatesArg {
    /// A folder of rate .toml files (same format as crates/domain/rates) that add to or
    /// replace the built-in tables, e.g. with a newly published rate.
    #[arg(long, env = "RECOUVRE_RATES")]
    pub rates_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of debtors.
    #[arg(long, default_value_t = 2_000)]
    pub debtors: usize,
    /// Number of claims.
    #[arg(long, default_value_t = 20_000)]
    pub claims: usize,
    /// Seed of the generator: the same seed builds the same portfolio.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Then replay the N days before the demo's day in memory and show what dunning did:
    /// actions by channel, cash collected, DSO before and after (see `recouvre
    /// simulate`); 0 skips it.
    #[arg(long, default_value_t = 90)]
    pub simulate_days: u32,
    /// Build the demo and stop, without serving the interface (scripts and CI).
    #[arg(long)]
    pub no_serve: bool,
    /// Also build a collection agency's work: client creditors under mandates with
    /// different fee terms, files placed, payments, remittances, a user per client.
    #[arg(long)]
    pub agency: bool,
    /// Where the demo interface listens.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Deliver the e-mails of the demo's day to this SMTP server (`smtp://HOST:PORT`,
    /// plain: a local test server), before serving.
    #[arg(long)]
    pub smtp: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum EventCommand {
    /// Record a limitation event (audited). A debtor's event counts for all its claims and
    /// for the claims where it is a solidary co-debtor (C. civ. 2245).
    Add {
        /// The claim's id.
        #[arg(long, required_unless_present = "debtor", conflicts_with = "debtor")]
        claim: Option<i64>,
        /// The debtor's id (the event counts for all its claims).
        #[arg(long)]
        debtor: Option<i64>,
        /// acknowledgment, court_claim, court_claim_dismissed, court_claim_withdrawn,
        /// enforcement_act, mediation or judgment (the day it became enforceable).
        #[arg(long)]
        kind: String,
        /// The day it happened (YYYY-MM-DD), not after today (--as-of).
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// The end of a mediation or conciliation (YYYY-MM-DD), once it has ended.
        #[arg(long, value_parser = parse_date)]
        end: Option<Date>,
        /// A reference to the proof: document name, docket number.
        #[arg(long)]
        proof: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// List the limitation events of one debtor (its own, its claims' and its
    /// co-debtors'), or of every debtor.
    List {
        #[arg(long, conflicts_with = "debtor")]
        claim: Option<i64>,
        #[arg(long)]
        debtor: Option<i64>,
    },
}
