//! Agency mode on the command line (issue 19): `recouvre client` (a client's identity on
//! letters, its users, its report), `recouvre mandate`, `recouvre placement` and
//! `recouvre remittance`, on top of `app::agency`. Every change is audited there.

use crate::cli::parse_date;
use crate::output::{print_json, right, table};
use anyhow::{Result, bail};
use app::agency::{self, ClientIdentity, MandateTerms, NewMandate};
use app::audit::Actor;
use app::clock::Clock;
use app::store::Store;
use clap::Subcommand;
use domain::agency::{Commission, FeeTerms};
use domain::{Date, Money, tr};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ClientCmd {
    /// The client creditors: their mandates, files placed and what was recovered.
    List,
    /// Set a client's own identity, used on every letter and message about its claims
    /// (what is not given stays as it was).
    Identity {
        /// The client creditor's code.
        creditor: String,
        #[arg(long)]
        name: Option<String>,
        /// Lines separated by new lines or ", ".
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// SIREN or RCS, as it should read.
        #[arg(long)]
        company_id: Option<String>,
        #[arg(long)]
        iban: Option<String>,
        #[arg(long)]
        bic: Option<String>,
    },
    /// Create a user of the role `client`, bound to one creditor: it sees only that
    /// creditor's files, in the client space.
    User {
        /// The client creditor's code.
        creditor: String,
        /// The login.
        login: String,
        /// The password (at least 12 characters); read from RECOUVRE_PASSWORD when absent.
        #[arg(long, env = "RECOUVRE_PASSWORD")]
        password: String,
        #[arg(long)]
        name: Option<String>,
        /// fr or en.
        #[arg(long, default_value = "fr")]
        language: String,
    },
    /// A client's report: files placed, recovered, recovery rate, files closed and why,
    /// statements; for placements up to --to and collections from --from.
    Report {
        /// The client creditor's code.
        creditor: String,
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
        /// Also write the files as CSV here.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Also write the files as an XLSX workbook here.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
}

// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum MandateCmd {
    /// Record a client's written mandate (R124-3) with its fee and remittance terms.
    Add {
        /// The client creditor's code.
        creditor: String,
        /// The mandate's reference.
        reference: String,
        /// The day it was signed (in force from then).
        #[arg(long, value_parser = parse_date)]
        signed: Date,
        /// The last day it is in force.
        #[arg(long, value_parser = parse_date)]
        ends: Option<Date>,
        /// The commission: `15` (percent of each collection), `amount:1000=15,5000=12,*=8`
        /// (by principal placed) or `age:90=10,365=15,*=25` (by days past due at
        /// placement).
        #[arg(long)]
        commission: String,
        /// The least commission on one collection.
        #[arg(long)]
        minimum: Option<String>,
        /// A fixed fee per file placed.
        #[arg(long)]
        file_fee: Option<String>,
        /// A fee per file recovered in full.
        #[arg(long)]
        success_fee: Option<String>,
        /// VAT on the fees, percent.
        #[arg(long, default_value = "20")]
        vat: String,
        /// Months within which collected funds are remitted (R124-6: 1 unless agreed).
        #[arg(long, default_value_t = 1)]
        remit_months: i8,
        /// The agency's liability insurance: insurer and policy (R124-3 2°).
        #[arg(long)]
        insurance: String,
        /// What the mandate covers, as agreed.
        #[arg(long, default_value = "")]
        scope: String,
        /// The client's account remittances are paid to.
        #[arg(long)]
        iban: String,
        #[arg(long)]
        bic: Option<String>,
        /// The account holder's name (default: the creditor's name).
        #[arg(long)]
        payee: Option<String>,
        /// The mandate's currency.
        #[arg(long, default_value = "EUR")]
        currency: String,
    },
    /// The mandates, with their terms.
    List,
    /// End a mandate on --as-of (its last day in force): nothing is placed under it after.
    End {
        /// The mandate's reference.
        reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlacementCmd {
    /// Place claims with the agency under a mandate in force on --as-of (all or nothing).
    Add {
        /// The mandate's reference.
        mandate: String,
        /// The claims' numbers (or external ids).
        #[arg(required = true)]
        claims: Vec<String>,
    },
    /// Place the claims of a CSV file (columns `mandate` and `claim`, or `claim` alone with
    /// --mandate), all or nothing, on --as-of.
    Import {
        /// The CSV file.
        path: PathBuf,
        /// The mandate of every line without one.
        #[arg(long)]
        mandate: Option<String>,
    },
    /// The client takes a file back on --as-of; prints its closing report.
    Withdraw {
        /// The claim's number.
        claim: String,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// The files placed (of one client with --creditor).
    List {
        #[arg(long)]
        creditor: Option<String>,
    },
    /// Write the receipt ("quittance", R124-6) of a payment on a placed file, as a PDF in
    /// the debtor's language.
    Receipt {
        /// The claim's number.
        claim: String,
        /// The payment's position in the claim's ledger; default: its latest payment.
        #[arg(long)]
        seq: Option<u32>,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemittanceCmd {
    /// Set the agency's client-funds account, from which remittances are paid (R124-2).
    Account {
        /// The account holder.
        #[arg(long)]
        name: String,
        #[arg(long)]
        iban: String,
        #[arg(long)]
        bic: Option<String>,
        /// The agency's SIREN and VAT number, as its fee invoices read them.
        #[arg(long)]
        company_id: Option<String>,
    },
    /// Issue the remittance statements of a month, one per mandate, with the SEPA credit
    /// transfer (pain.001) paying each; a month already issued is left alone.
    Run {
        /// The month (YYYY-MM); default: the month before --as-of.
        #[arg(long)]
        period: Option<String>,
        /// Only this client.
        #[arg(long)]
        creditor: Option<String>,
        /// Write each transfer file (pain.001) into this folder.
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
    /// The remittance statements, newest first.
    List {
        #[arg(long)]
        creditor: Option<String>,
    },
    /// One statement: its lines, commission, fees, VAT, what was remitted.
    Show {
        /// The statement's id.
        id: i64,
        /// Also write the statement and fee invoice as a PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Write the pain.001 transfer of a statement.
    Transfer {
        /// The statement's id.
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Collections not remitted by their deadline (a month after collection, R124-6).
    Late,
    /// Tell clients of payments and debtor proposals on their files (R124-5), once each.
    Notify {
        /// Also e-mail each client the notices not yet e-mailed (SMTP of `settings smtp`).
        #[arg(long)]
        send: bool,
    },
}

/// A placement's state in the current language.
fn state_text(state: app::store::PlacementState) -> String {
    match state {
        app::store::PlacementState::Placed => tr!("placed", "confiée"),
        app::store::PlacementState::Withdrawn => tr!("withdrawn", "retirée"),
        app::store::PlacementState::Closed => tr!("closed", "close"),
    }
}

fn money(value: &Option<String>, currency: domain::Currency) -> Result<Option<Money>> {
    value
        .as_deref()
        .map(|v| Money::parse_with_code(v, currency).map_err(|e| anyhow::anyhow!("{v:?}: {e}")))
        .transpose()
}

pub async fn client(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: ClientCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        ClientCmd::List => {
            let mut tx = store.begin_read().await?;
            let mandates = agency::mandates(tx.as_mut(), None).await?;
            let placements = tx
                .placements(&app::store::PlacementFilter::default())
                .await?;
            let creditors = tx.creditors().await?;
            let rows: Vec<serde_json::Value> = creditors
                .iter()
                .filter(|c| mandates.iter().any(|m| m.creditor == c.id))
                .map(|c| {
                    let files = placements.iter().filter(|p| p.creditor_id == c.id);
                    serde_json::json!({
                        "code": c.code,
                        "name": c.name,
                        "mandates": mandates.iter().filter(|m| m.creditor == c.id).map(|m| m.reference.clone()).collect::<Vec<_>>(),
                        "files": files.clone().count(),
                        "in_force": files.filter(|p| p.state == app::store::PlacementState::Placed).count(),
                    })
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            let mut t = table(&[
                &tr!("Code", "Code"),
                &tr!("Client", "Client"),
                &tr!("Mandates", "Mandats"),
                &tr!("Files", "Dossiers"),
                &tr!("Placed now", "En cours"),
            ]);
            for r in &rows {
                t.add_row(vec![
                    comfy_table::Cell::new(r["code"].as_str().unwrap_or_default()),
                    comfy_table::Cell::new(r["name"].as_str().unwrap_or_default()),
                    comfy_table::Cell::new(
                        r["mandates"]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|v| v.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            })
                            .unwrap_or_default(),
                    ),
                    right(&r["files"]),
                    right(&r["in_force"]),
                ]);
            }
            println!("{t}");
        }
        ClientCmd::Identity {
            creditor,
            name,
            address,
            city,
            email,
            phone,
            company_id,
            iban,
            bic,
        } => {
            let id = ClientIdentity {
                name,
                address,
                city,
                email,
                phone,
                company_id,
                iban,
                bic,
            };
            agency::set_client_identity(store, clock, actor, &creditor, &id).await?;
            let mut tx = store.begin_read().await?;
            let now = agency::client_identity(tx.as_mut(), &creditor).await?;
            if json {
                return print_json(&now);
            }
            println!(
                "{}",
                tr!(
                    "Identity of {creditor} saved: {}",
                    "Identité de {creditor} enregistrée : {}",
                    serde_json::to_string(&now)?
                )
            );
        }
        ClientCmd::User {
            creditor,
            login,
            password,
            name,
            language,
        } => {
            let c = {
                let mut tx = store.begin_read().await?;
                agency::creditor_named(tx.as_mut(), &creditor).await?
            };
            if let Some(problem) = web::auth::password_problem(&password) {
                bail!("--password: {problem}");
            }
            let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = app::users::add_client(
                store,
                clock,
                actor,
                app::users::NewUser {
                    login,
                    display_name: name.unwrap_or_default(),
                    role: app::store::Role::Client,
                    password_hash: hash,
                    language,
                },
                c.id,
            )
            .await?;
            if json {
                return print_json(&user);
            }
            println!(
                "{}",
                tr!(
                    "User {} created, client of {}: signs in to the client space only.",
                    "Utilisateur {} créé, client de {} : accède au seul espace client.",
                    user.login,
                    c.code
                )
            );
        }
        ClientCmd::Report {
            creditor,
            from,
            to,
            csv,
            xlsx,
        } => {
            let to = to.unwrap_or_else(|| clock.today());
            let from = from.unwrap_or_else(|| to.first_of_year());
            let mut tx = store.begin_read().await?;
            let c = agency::creditor_named(tx.as_mut(), &creditor).await?;
            let report = agency::client_report(tx.as_mut(), c.id, from, to).await?;
            if let Some(path) = csv {
                std::fs::write(&path, agency::report_csv(&report)?)?;
            }
            if let Some(path) = xlsx {
                std::fs::write(&path, agency::report_xlsx(&report)?)?;
            }
            if json {
                return print_json(&report);
            }
            println!(
                "{}",
                tr!(
                    "{} — {} to {}: {} files, placed {}, recovered {} ({} %), remitted {}, {} closed",
                    "{} — du {} au {} : {} dossiers, confié {}, recouvré {} ({} %), reversé {}, {} clos",
                    report.creditor_name,
                    report.from,
                    report.to,
                    report.files.len(),
                    report.placed,
                    report.recovered,
                    report.recovery_rate.clone().unwrap_or_else(|| "-".into()),
                    report.remitted,
                    report.closed
                )
            );
            let mut t = table(&[
                &tr!("Claim", "Créance"),
                &tr!("Debtor", "Débiteur"),
                &tr!("Placed", "Confiée le"),
                &tr!("State", "État"),
                &tr!("Placed amount", "Montant confié"),
                &tr!("Collected", "Encaissé"),
                &tr!("Open", "Reste dû"),
            ]);
            for f in &report.files {
                t.add_row(vec![
                    comfy_table::Cell::new(&f.number),
                    comfy_table::Cell::new(&f.debtor),
                    comfy_table::Cell::new(f.placed_on),
                    comfy_table::Cell::new(match &f.end_reason {
                        Some(r) => {
                            format!("{} ({})", state_text(f.state), agency::end_reason_text(r))
                        }
                        None => state_text(f.state),
                    }),
                    right(f.principal_placed),
                    right(f.collected),
                    right(f.open),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

pub async fn mandate(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: MandateCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        MandateCmd::Add {
            creditor,
            reference,
            signed,
            ends,
            commission,
            minimum,
            file_fee,
            success_fee,
            vat,
            remit_months,
            insurance,
            scope,
            iban,
            bic,
            payee,
            currency,
        } => {
            let currency = domain::money::parse_currency(&currency)
                .map_err(|e| anyhow::anyhow!("--currency: {e}"))?;
            let commission = Commission::parse(&commission, currency)
                .map_err(|e| anyhow::anyhow!("--commission: {e}"))?;
            let vat_rate: rust_decimal::Decimal = vat
                .trim()
                .trim_end_matches('%')
                .replace(',', ".")
                .parse()
                .map_err(|_| anyhow::anyhow!("--vat: {vat:?}"))?;
            let payee = match payee {
                Some(p) => p,
                None => {
                    let mut tx = store.begin_read().await?;
                    agency::creditor_named(tx.as_mut(), &creditor).await?.name
                }
            };
            let m = agency::add_mandate(
                store,
                clock,
                actor,
                NewMandate {
                    creditor,
                    reference,
                    signed_on: signed,
                    ends_on: ends,
                    currency,
                    terms: MandateTerms {
                        fees: FeeTerms {
                            commission,
                            minimum: money(&minimum, currency)?,
                            file_fee: money(&file_fee, currency)?,
                            success_fee: money(&success_fee, currency)?,
                            vat_rate,
                        },
                        remit_months,
                        insurance,
                        scope,
                        payee_name: payee,
                        payee_iban: iban,
                        payee_bic: bic,
                    },
                },
            )
            .await?;
            if json {
                return print_json(&m);
            }
            println!(
                "{}",
                tr!(
                    "Mandate {} of {} recorded: commission {}, in force from {}.",
                    "Mandat {} de {} enregistré : commission {}, en vigueur à partir du {}.",
                    m.reference,
                    m.creditor_code,
                    m.commission,
                    m.signed_on
                )
            );
        }
        MandateCmd::End { reference } => {
            let m = agency::end_mandate(store, clock, actor, &reference, clock.today()).await?;
            if json {
                return print_json(&m);
            }
            println!(
                "{}",
                tr!(
                    "Mandate {} ends on {}.",
                    "Le mandat {} prend fin le {}.",
                    m.reference,
                    clock.today()
                )
            );
        }
        MandateCmd::List => {
            let mut tx = store.begin_read().await?;
            let list = agency::mandates(tx.as_mut(), None).await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                &tr!("Reference", "Référence"),
                &tr!("Client", "Client"),
                &tr!("Signed", "Signé"),
                &tr!("Ends", "Fin"),
                &tr!("Commission", "Commission"),
                &tr!("Fees", "Frais"),
                &tr!("Insurance", "Assurance"),
            ]);
            for m in &list {
                let f = &m.terms.fees;
                let fees = [
                    f.minimum.map(|v| tr!("min {v}", "min {v}")),
                    f.file_fee.map(|v| tr!("{v}/file", "{v}/dossier")),
                    f.success_fee.map(|v| tr!("{v} success", "{v} succès")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                t.add_row(vec![
                    comfy_table::Cell::new(&m.reference),
                    comfy_table::Cell::new(&m.creditor_code),
                    comfy_table::Cell::new(m.signed_on),
                    comfy_table::Cell::new(m.ends_on.map(|d| d.to_string()).unwrap_or_default()),
                    comfy_table::Cell::new(tr!(
                        "{} (VAT {} %)",
                        "{} (TVA {} %)",
                        m.commission,
                        f.vat_rate
                    )),
                    comfy_table::Cell::new(fees),
                    comfy_table::Cell::new(&m.terms.insurance),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

pub async fn placement(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: PlacementCmd,
    json: bool,
) -> Result<()> {
    let today = clock.today();
    match cmd {
        PlacementCmd::Add { mandate, claims } => {
            let placed = agency::place(store, clock, actor, &mandate, &claims, today).await?;
            if json {
                return print_json(&placed);
            }
            println!(
                "{}",
                tr!(
                    "{} claims placed under mandate {} on {}; {} first letters (R124-4) queued.",
                    "{} créances confiées au titre du mandat {} le {} ; {} premières lettres (R124-4) mises en file.",
                    placed.claims.len(),
                    placed.mandate,
                    placed.placed_on,
                    placed.first_letters
                )
            );
        }
        PlacementCmd::Import { path, mandate } => {
            let bytes = std::fs::read(&path)?;
            let placed = agency::place_csv(
                store,
                clock,
                actor,
                &path.display().to_string(),
                &bytes,
                mandate.as_deref(),
                today,
            )
            .await?;
            if json {
                return print_json(&placed);
            }
            for p in &placed {
                println!(
                    "{}",
                    tr!(
                        "{} claims placed under mandate {} on {}; {} first letters (R124-4) queued.",
                        "{} créances confiées au titre du mandat {} le {} ; {} premières lettres (R124-4) mises en file.",
                        p.claims.len(),
                        p.mandate,
                        p.placed_on,
                        p.first_letters
                    )
                );
            }
        }
        PlacementCmd::Withdraw { claim, reason } => {
            let r = agency::withdraw(store, clock, actor, &claim, today, &reason).await?;
            if json {
                return print_json(&r);
            }
            println!(
                "{}",
                tr!(
                    "Claim {} ({}) withdrawn on {}: placed {} on {}, collected {}, still open {}, {} messages sent. Reason: {}",
                    "Créance {} ({}) retirée le {} : confiée {} le {}, encaissé {}, reste dû {}, {} messages envoyés. Motif : {}",
                    r.claim,
                    r.debtor,
                    r.ended_on,
                    r.principal_placed,
                    r.placed_on,
                    r.collected,
                    r.open,
                    r.actions,
                    r.reason
                )
            );
        }
        PlacementCmd::Receipt { claim, seq, out } => {
            let mut tx = store.begin_read().await?;
            let found = agency::claim_by_number(tx.as_mut(), &claim).await?;
            let receipt = agency::receipt(tx.as_mut(), found.id, seq).await?;
            let pdf = comms::receipt::pdf(&receipt).map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&out, pdf)?;
            if json {
                return print_json(&receipt);
            }
            println!(
                "{}",
                tr!(
                    "Receipt {} ({}, {}) written to {}",
                    "Quittance {} ({}, {}) écrite dans {}",
                    receipt.number,
                    receipt.amount,
                    receipt.paid_on,
                    out.display()
                )
            );
        }
        PlacementCmd::List { creditor } => {
            let mut tx = store.begin_read().await?;
            let only = agency::creditor_filter(tx.as_mut(), creditor.as_deref()).await?;
            let list = tx
                .placements(&app::store::PlacementFilter {
                    creditor: only,
                    ..Default::default()
                })
                .await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                &tr!("Claim", "Créance"),
                &tr!("Placed", "Confiée le"),
                &tr!("Amount", "Montant"),
                &tr!("State", "État"),
                &tr!("Ended", "Fin"),
            ]);
            for p in &list {
                let claim = tx.claim(p.claim_id).await?;
                let (number, currency) = claim
                    .map(|c| (c.number.as_str().to_string(), c.currency))
                    .unwrap_or_else(|| (p.claim_id.0.to_string(), domain::Currency::EUR));
                t.add_row(vec![
                    comfy_table::Cell::new(number),
                    comfy_table::Cell::new(p.placed_on),
                    right(Money::from_minor(p.principal_minor, currency)),
                    comfy_table::Cell::new(state_text(p.state)),
                    comfy_table::Cell::new(p.ended_on.map(|d| d.to_string()).unwrap_or_default()),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

/// E-mails each client the notices not yet e-mailed, through the SMTP server of the
/// settings; `None` when none is set. The command `remittance notify --send` and the
/// worker's daily run both use it.
pub(crate) async fn email_notices(
    store: &dyn Store,
    clock: &dyn Clock,
) -> Result<Option<Vec<agency::NoticesEmailed>>> {
    let smtp = {
        let mut tx = store.begin_read().await?;
        app::channels::smtp(tx.as_mut()).await?
    };
    let Some(smtp) = smtp else {
        return Ok(None);
    };
    let transport = deliver::SmtpTransport::new(smtp);
    let money = |m: Money, lang: domain::lang::Lang| {
        comms::fmt::money(
            m,
            if lang == domain::lang::Lang::En {
                comms::fmt::Lang::En
            } else {
                comms::fmt::Lang::Fr
            },
        )
    };
    Ok(Some(
        agency::email_client_notices(store, clock, &transport, &money).await?,
    ))
}

pub async fn remittance(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: RemittanceCmd,
    json: bool,
) -> Result<()> {
    let today = clock.today();
    match cmd {
        RemittanceCmd::Account {
            name,
            iban,
            bic,
            company_id,
        } => {
            agency::set_funds_account(
                store,
                clock,
                actor,
                &name,
                &iban,
                bic.as_deref(),
                company_id.as_deref(),
            )
            .await?;
            println!(
                "{}",
                tr!(
                    "Client-funds account set: {name}.",
                    "Compte de fonds clients enregistré : {name}."
                )
            );
        }
        RemittanceCmd::Run {
            period,
            creditor,
            out_dir,
        } => {
            let (start, end) = match period {
                Some(p) => agency::month(&p)?,
                None => {
                    let prev = today.first_of_month().yesterday()?;
                    (prev.first_of_month(), prev)
                }
            };
            let out =
                agency::remit(store, clock, actor, start, end, today, creditor.as_deref()).await?;
            if let Some(dir) = &out_dir {
                std::fs::create_dir_all(dir)?;
                let mut tx = store.begin_read().await?;
                for o in out.iter().filter(|o| o.to_remit.is_positive()) {
                    if let Some(id) = o.id {
                        let xml = agency::transfer_xml(tx.as_mut(), id, None).await?;
                        std::fs::write(dir.join(format!("remittance-{id}.pain001.xml")), xml)?;
                    }
                }
            }
            if json {
                return print_json(&out);
            }
            let mut t = table(&[
                &tr!("Statement", "Relevé"),
                &tr!("Mandate", "Mandat"),
                &tr!("Client", "Client"),
                &tr!("Collected", "Encaissé"),
                &tr!("Fees incl. VAT", "Honoraires TTC"),
                &tr!("Remitted", "Reversé"),
                &tr!("Client owes", "Dû par le client"),
                "",
            ]);
            for o in &out {
                t.add_row(vec![
                    right(o.id.map(|i| i.to_string()).unwrap_or_default()),
                    comfy_table::Cell::new(&o.mandate),
                    comfy_table::Cell::new(&o.creditor),
                    right(o.collected),
                    right(o.fees_gross),
                    right(o.to_remit),
                    right(o.client_owes),
                    comfy_table::Cell::new(if o.already_issued {
                        tr!("already issued", "déjà émis")
                    } else {
                        String::new()
                    }),
                ]);
            }
            println!(
                "{}",
                tr!(
                    "Remittances for {start} to {end}:",
                    "Reversements du {start} au {end} :"
                )
            );
            println!("{t}");
        }
        RemittanceCmd::List { creditor } => {
            let mut tx = store.begin_read().await?;
            let only = agency::creditor_filter(tx.as_mut(), creditor.as_deref()).await?;
            let list = agency::remittances(tx.as_mut(), only, None).await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                &tr!("Statement", "Relevé"),
                &tr!("Client", "Client"),
                &tr!("Period", "Période"),
                &tr!("Issued", "Émis le"),
                &tr!("Collected", "Encaissé"),
                &tr!("Fees incl. VAT", "Honoraires TTC"),
                &tr!("Remitted", "Reversé"),
            ]);
            for r in &list {
                t.add_row(vec![
                    right(r.id),
                    comfy_table::Cell::new(&r.creditor_name),
                    comfy_table::Cell::new(format!("{} – {}", r.period_start, r.period_end)),
                    comfy_table::Cell::new(r.issued_on),
                    right(r.statement.collected),
                    right(r.statement.fees_gross),
                    right(r.statement.to_remit),
                ]);
            }
            println!("{t}");
        }
        RemittanceCmd::Show { id, pdf } => {
            let mut tx = store.begin_read().await?;
            let r = agency::remittance(tx.as_mut(), id, None).await?;
            if let Some(path) = &pdf {
                let parties = agency::invoice_parties(tx.as_mut(), &r).await?;
                let lang = if domain::lang::current() == Some(domain::lang::Lang::En) {
                    comms::fmt::Lang::En
                } else {
                    comms::fmt::Lang::Fr
                };
                let bytes = comms::remittance::pdf(&r, &parties, lang)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                std::fs::write(path, bytes)?;
            }
            if json {
                return print_json(&r);
            }
            print!("{}", agency::statement_text(&r));
        }
        RemittanceCmd::Transfer { id, out } => {
            let mut tx = store.begin_read().await?;
            let xml = agency::transfer_xml(tx.as_mut(), id, None).await?;
            std::fs::write(&out, xml)?;
            println!("{}", out.display());
        }
        RemittanceCmd::Late => {
            let mut tx = store.begin_read().await?;
            let late = agency::late_remittances(tx.as_mut(), today).await?;
            if json {
                return print_json(&late);
            }
            if late.is_empty() {
                println!(
                    "{}",
                    tr!(
                        "No collection awaits its remittance past the deadline.",
                        "Aucun encaissement n'attend son reversement au-delà du délai."
                    )
                );
                return Ok(());
            }
            let mut t = table(&[
                &tr!("Mandate", "Mandat"),
                &tr!("Client", "Client"),
                &tr!("Collected on", "Encaissé le"),
                &tr!("Amount", "Montant"),
                &tr!("Due by", "À reverser avant le"),
            ]);
            for l in &late {
                t.add_row(vec![
                    comfy_table::Cell::new(&l.mandate),
                    comfy_table::Cell::new(&l.creditor),
                    comfy_table::Cell::new(l.collected_on),
                    right(l.amount),
                    comfy_table::Cell::new(l.due_by),
                ]);
            }
            println!("{t}");
        }
        RemittanceCmd::Notify { send } => {
            let n = agency::notify_clients(store, clock, today).await?;
            let emailed = if send {
                let Some(sent) = email_notices(store, clock).await? else {
                    bail!(tr!(
                        "no SMTP server is set (recouvre settings smtp …): nothing e-mailed",
                        "aucun serveur SMTP n'est renseigné (recouvre settings smtp …) : rien n'est envoyé"
                    ));
                };
                sent
            } else {
                Vec::new()
            };
            if json {
                return print_json(&serde_json::json!({ "notices": n, "emailed": emailed }));
            }
            println!(
                "{}",
                tr!(
                    "{n} client notices written.",
                    "{n} avis aux clients écrits."
                )
            );
            for e in &emailed {
                match &e.error {
                    None => println!(
                        "{}",
                        tr!(
                            "{}: {} notices e-mailed to {}",
                            "{} : {} avis envoyés à {}",
                            e.client,
                            e.notices,
                            e.recipient
                        )
                    ),
                    Some(why) => println!("{}: {why}", e.client),
                }
            }
        }
    }
    Ok(())
}
