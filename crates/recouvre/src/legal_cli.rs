//! `recouvre legal`: the judicial phase on top of `app::legal` — open a legal file with a
//! decision, follow its procedure (stages, costs, payments collected, documents attached),
//! generate its documents (the request, the evidence bundle, the hand-off ZIP, Form A,
//! the small-claims mandate), import a lawyer's or commissaire de justice's answers, and
//! measure what the judicial phase recovers. Every change is audited through `app::legal`.

use crate::cli::{RatesArg, parse_date};
use crate::output::{print_json, right, table};
use anyhow::{Context, Result};
use app::audit::Actor;
use app::clock::Clock;
use app::legal::{self, CostInput, CostKind, ExhibitInput, OpenRequest, PaymentInput, StageInput};
use app::store::{LegalFileFilter, LegalFileState, Store};
use clap::Subcommand;
use domain::law::judicial::{Decision, Outcome, StageKind};
use domain::{ClaimId, Date, DebtorId, tr};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LegalCmd {
    /// Decide on a debtor's overdue claims: open a legal file on a route the advisor finds
    /// open, or record a decision not to litigate (write_off writes the claims off).
    Open {
        /// The debtor's id.
        debtor: i64,
        /// injonction_de_payer, petites_creances, refere_provision, eu_order,
        /// eu_small_claims, write_off, keep_amicable or sell.
        #[arg(long)]
        decision: String,
        /// The claims (ids, comma-separated); default: every overdue claim.
        #[arg(long, value_delimiter = ',')]
        claims: Vec<i64>,
        /// The court seized ("Tribunal de commerce de Lyon").
        #[arg(long)]
        court: Option<String>,
        /// The lawyer or commissaire de justice handling the file.
        #[arg(long)]
        agent: Option<String>,
        /// Why (kept with the decision).
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// The legal files, open ones by next deadline first.
    List {
        /// open, closed or declined.
        #[arg(long)]
        state: Option<String>,
    },
    /// One file: decision, claims and amounts as of --as-of, stages, deadlines, costs.
    Show {
        /// The file's id.
        file: i64,
        #[command(flatten)]
        rates: RatesArg,
    },
    /// Record a stage of the procedure (request_filed, order_made, order_served,
    /// opposition, enforceable, enforcement_act, withdrawn, closed...).
    Stage {
        /// The file's id.
        file: i64,
        /// The stage.
        kind: String,
        /// The day it happened.
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// For closed: paid, settled, unrecoverable or abandoned.
        #[arg(long)]
        outcome: Option<String>,
        /// The court's or the commissaire's reference.
        #[arg(long)]
        reference: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record a cost: court_fee, commissaire, lawyer, translation, article_700 or other.
    Cost {
        /// The file's id.
        file: i64,
        /// The kind of cost.
        kind: String,
        /// The amount (in euros unless a currency code is given).
        amount: String,
        /// The day it was incurred.
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// Recoverable from the debtor (dépens) rather than borne by the creditor.
        #[arg(long)]
        recoverable: bool,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record a payment collected during the procedure (posted to the file's claims).
    Payment {
        /// The file's id.
        file: i64,
        /// The amount.
        amount: String,
        /// The day it was collected.
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// Who collected it.
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Change the court seized or the lawyer / commissaire de justice of a file.
    Parties {
        /// The file's id.
        file: i64,
        /// The court: its seat ("Lyon") or its full name.
        #[arg(long)]
        court: Option<String>,
        /// The lawyer or commissaire de justice handling the file.
        #[arg(long)]
        agent: Option<String>,
    },
    /// Attach a document to a file (PDF, PNG or JPEG): it joins the evidence bundle.
    Attach {
        /// The file's id.
        file: i64,
        /// The document.
        path: PathBuf,
        /// Its title in the list of exhibits.
        #[arg(long)]
        title: String,
        /// The day the document bears.
        #[arg(long, value_parser = parse_date)]
        dated: Option<Date>,
    },
    /// Import a lawyer's or commissaire de justice's answers (CSV: file, date, kind,
    /// value, amount, recoverable, outcome, reference, note); all or nothing.
    Answers {
        /// The CSV file.
        path: PathBuf,
    },
    /// The judicial phase measured: files by route and stage, time to title, recovery and
    /// net recovery by route and amount band, against amicable collection.
    Report,
    /// Write the request for an order for payment (injonction de payer), in French, as a
    /// PDF; refused, naming what is missing, when the creditor's or the debtor's details
    /// are incomplete.
    Request {
        /// The file's id.
        file: i64,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the evidence bundle: the numbered list of exhibits, then each exhibit, as
    /// one PDF.
    Bundle {
        /// The file's id.
        file: i64,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the hand-off ZIP for a lawyer or a commissaire de justice: the bundle, the
    /// originals numbered alike, and dossier.json.
    Export {
        /// The file's id.
        file: i64,
        /// Where to write the ZIP.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the data of Form A (European order for payment) to copy into the official
    /// form.
    FormA {
        /// The file's id.
        file: i64,
    },
    /// Write the mandate to a commissaire de justice for the simplified small-claims
    /// procedure, as a PDF.
    Mandate {
        /// The file's id.
        file: i64,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
    },
}

fn parse<T: std::str::FromStr<Err = String>>(field: &str, value: &str) -> Result<T> {
    value
        .parse()
        .map_err(|e: String| anyhow::anyhow!("{field}: {e}"))
}

/// An amount for file `file`: in the file's currency unless it names another (which the
/// use case then refuses, saying why).
async fn money(store: &dyn Store, file: i64, value: &str) -> Result<domain::Money> {
    let mut tx = store.begin_read().await?;
    let currency = legal::get(tx.as_mut(), file).await?.data.currency;
    domain::Money::parse_with_code(value, currency).map_err(|e| anyhow::anyhow!("AMOUNT: {e}"))
}

/// The documents of a file, dated today.
async fn documents(
    store: &dyn Store,
    clock: &dyn Clock,
    templates: Option<&std::path::Path>,
    file: i64,
) -> Result<comms::legal_file::FileDocuments> {
    let tables = crate::rate_tables(&RatesArg { rates_dir: None })?;
    let comms = comms::admin::load(store, templates, tables).await?;
    Ok(comms::legal_file::gather(store, &comms, file, clock.today()).await?)
}

fn write(out: &std::path::Path, bytes: &[u8], json: bool) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("{}", out.display()))?;
    if json {
        return print_json(&serde_json::json!({
            "path": out.display().to_string(),
            "bytes": bytes.len(),
        }));
    }
    println!(
        "{}",
        tr!(
            "{} written ({} bytes)",
            "{} écrit ({} octets)",
            out.display(),
            bytes.len()
        )
    );
    Ok(())
}

/// The name of a decision, stage or outcome in the CLI's language.
fn name(text: &domain::law::Text) -> String {
    text.tr()
}

pub async fn legal(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    templates: Option<&std::path::Path>,
    cmd: LegalCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        LegalCmd::Request { file, out } => {
            let docs = documents(store, clock, templates, file).await?;
            let pdf = comms::legal::render_request(&docs.request()?)?;
            write(&out, &pdf, json)
        }
        LegalCmd::Bundle { file, out } => {
            let docs = documents(store, clock, templates, file).await?;
            let pdf = comms::legal::render_bundle(&docs.bundle())?;
            write(&out, &pdf, json)
        }
        LegalCmd::Export { file, out } => {
            let docs = documents(store, clock, templates, file).await?;
            write(&out, &docs.export_zip()?, json)
        }
        LegalCmd::Mandate { file, out } => {
            let docs = documents(store, clock, templates, file).await?;
            let pdf = comms::legal::render_mandate(&docs.mandate())?;
            write(&out, &pdf, json)
        }
        LegalCmd::FormA { file } => {
            let docs = documents(store, clock, templates, file).await?;
            let fields = docs.form_a()?;
            if json {
                return print_json(&fields);
            }
            let french = domain::lang::current() == Some(domain::lang::Lang::Fr);
            let mut t = table(&[
                &tr!("Section", "Rubrique"),
                &tr!("Field", "Champ"),
                &tr!("Value", "Valeur"),
            ]);
            for f in &fields {
                t.add_row(vec![
                    comfy_table::Cell::new(&f.section),
                    comfy_table::Cell::new(if french { &f.label_fr } else { &f.label_en }),
                    comfy_table::Cell::new(&f.value),
                ]);
            }
            println!("{t}");
            Ok(())
        }
        LegalCmd::Open {
            debtor,
            decision,
            claims,
            court,
            agent,
            reason,
            rates,
        } => {
            let tables = crate::rate_tables(&rates)?;
            let decision: Decision = parse("--decision", &decision)?;
            let file = legal::open(
                store,
                clock,
                &tables,
                actor,
                &OpenRequest {
                    debtor: Some(DebtorId(debtor)),
                    decision: Some(decision),
                    claims: claims.into_iter().map(ClaimId).collect(),
                    court,
                    agent,
                    reason,
                },
            )
            .await?;
            if json {
                return print_json(&file);
            }
            println!(
                "{}",
                tr!(
                    "legal file {} opened on debtor {debtor}: {}, {} claim(s), {} claimed as of {} (audited)",
                    "dossier {} ouvert sur le débiteur {debtor} : {}, {} créance(s), {} réclamés au {} (audité)",
                    file.id,
                    name(&file.data.decision.name()),
                    file.data.claims.len(),
                    file.frozen_total(),
                    file.data.frozen_on
                )
            );
            Ok(())
        }
        LegalCmd::List { state } => {
            let states = match state {
                Some(s) => vec![parse::<LegalFileState>("--state", &s)?],
                None => Vec::new(),
            };
            let mut tx = store.begin_read().await?;
            let lines = legal::lines(
                tx.as_mut(),
                &LegalFileFilter {
                    states,
                    ..LegalFileFilter::default()
                },
            )
            .await?;
            if json {
                return print_json(&lines);
            }
            let mut t = table(&[
                "#",
                &tr!("Debtor", "Débiteur"),
                &tr!("Decision", "Décision"),
                &tr!("Stage", "Étape"),
                &tr!("Next deadline", "Prochaine échéance"),
                &tr!("Claimed", "Réclamé"),
                &tr!("Collected", "Recouvré"),
                &tr!("Costs", "Frais"),
            ]);
            for l in &lines {
                t.add_row(vec![
                    comfy_table::Cell::new(l.id),
                    comfy_table::Cell::new(&l.debtor_name),
                    comfy_table::Cell::new(name(&l.decision.name())),
                    comfy_table::Cell::new(
                        l.stage
                            .map_or_else(|| l.state.as_str().to_string(), |s| name(&s.name())),
                    ),
                    comfy_table::Cell::new(
                        l.next_deadline
                            .as_ref()
                            .map_or(String::new(), |d| format!("{} — {}", d.due, name(&d.name))),
                    ),
                    right(l.claimed),
                    right(l.collected),
                    right(l.costs),
                ]);
            }
            println!("{t}");
            Ok(())
        }
        LegalCmd::Show { file, rates } => {
            let tables = crate::rate_tables(&rates)?;
            let mut tx = store.begin_read().await?;
            let f = legal::get(tx.as_mut(), file).await?;
            let amounts = legal::amounts(tx.as_mut(), &f, clock.today(), &tables).await?;
            let deadlines = f.deadlines()?;
            if json {
                return print_json(&serde_json::json!({
                    "file": f,
                    "amounts": amounts,
                    "deadlines": deadlines,
                }));
            }
            println!(
                "{} — {} ({}) — {}",
                f.reference(),
                name(&f.data.decision.name()),
                f.state.as_str(),
                tr!(
                    "opened {} by {}",
                    "ouvert le {} par {}",
                    f.opened_on,
                    f.recorded_by
                )
            );
            if let Some(court) = &f.data.court {
                println!("{}: {court}", tr!("Court", "Juridiction"));
            }
            if let Some(agent) = &f.data.agent {
                println!("{}: {agent}", tr!("Agent", "Mandataire"));
            }
            println!(
                "{}: {} — {}",
                tr!("Advice at decision", "Avis au moment de la décision"),
                f.data.advice.recommendation,
                domain::lang::tr(&f.data.advice.text_en, &f.data.advice.text_fr)
            );
            let mut t = table(&[
                &tr!("Claim", "Créance"),
                &tr!("Due", "Échéance"),
                &tr!("Principal", "Principal"),
                &tr!("Interest", "Intérêts"),
                &tr!("Indemnity", "Indemnité"),
                &tr!("Frozen total", "Total figé"),
            ]);
            for c in &f.data.claims {
                t.add_row(vec![
                    comfy_table::Cell::new(&c.number),
                    comfy_table::Cell::new(c.due_date),
                    right(c.principal),
                    right(c.interest),
                    right(c.indemnity),
                    right(c.total()),
                ]);
            }
            println!(
                "{}",
                tr!(
                    "Claims, frozen on {}:",
                    "Créances, figées au {} :",
                    f.data.frozen_on
                )
            );
            println!("{t}");
            let post = amounts.post_judgment_interest.map_or_else(
                || tr!("unknown (rate not published)", "inconnu (taux non publié)"),
                |m| m.to_string(),
            );
            println!(
                "{}",
                tr!(
                    "As of {}: principal {}, interest {}, indemnities {}, post-judgment interest {post}, recoverable costs {}, total {}",
                    "Au {} : principal {}, intérêts {}, indemnités {}, intérêts post-jugement {post}, frais recouvrables {}, total {}",
                    amounts.as_of,
                    amounts.principal,
                    amounts.interest,
                    amounts.indemnity,
                    amounts.costs_recoverable,
                    amounts.total
                )
            );
            if !f.data.stages.is_empty() {
                println!("{}", tr!("Stages:", "Étapes :"));
                for s in &f.data.stages {
                    let outcome = s
                        .outcome
                        .map(|o| format!(" ({})", name(&o.name())))
                        .unwrap_or_default();
                    let reference = s
                        .reference
                        .as_deref()
                        .map(|r| format!(" [{r}]"))
                        .unwrap_or_default();
                    println!("  {} {}{outcome}{reference}", s.on, name(&s.kind.name()));
                }
            }
            if !deadlines.is_empty() {
                println!("{}", tr!("Deadlines:", "Échéances :"));
                for d in &deadlines {
                    let extended = d
                        .extended_from
                        .map(|e| {
                            tr!(
                                " (extended from {e}, C. pr. civ. 642)",
                                " (reportée du {e}, C. pr. civ. 642)"
                            )
                        })
                        .unwrap_or_default();
                    println!("  {} {} — {}{extended}", d.due, name(&d.name), d.basis);
                }
            }
            if !f.data.costs.is_empty() {
                println!("{}", tr!("Costs:", "Frais :"));
                for c in &f.data.costs {
                    let (en, fr) = c.kind.names();
                    let who = if c.recoverable {
                        tr!("recoverable", "recouvrable")
                    } else {
                        tr!("borne by the creditor", "à la charge du créancier")
                    };
                    println!(
                        "  {} {} {} ({who})",
                        c.on,
                        domain::lang::tr(en, fr),
                        c.amount
                    );
                }
            }
            if !f.data.payments.is_empty() {
                println!("{}", tr!("Payments collected:", "Paiements recouvrés :"));
                for p in &f.data.payments {
                    println!(
                        "  {} {} {}",
                        p.on,
                        p.amount,
                        p.collected_by.as_deref().unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        LegalCmd::Stage {
            file,
            kind,
            date,
            outcome,
            reference,
            note,
        } => {
            let kind: StageKind = parse("KIND", &kind)?;
            let outcome = outcome
                .map(|o| parse::<Outcome>("--outcome", &o))
                .transpose()?;
            let f = legal::record_stage(
                store,
                clock,
                actor,
                file,
                &StageInput {
                    kind,
                    on: date,
                    outcome,
                    reference,
                    note,
                },
            )
            .await?;
            if json {
                return print_json(&f);
            }
            println!(
                "{}",
                tr!(
                    "legal file {file}: {} on {date} (audited)",
                    "dossier {file} : {} le {date} (audité)",
                    name(&kind.name())
                )
            );
            for d in f.deadlines()? {
                println!("  {} {} — {}", d.due, name(&d.name), d.basis);
            }
            Ok(())
        }
        LegalCmd::Cost {
            file,
            kind,
            amount,
            date,
            recoverable,
            note,
        } => {
            let kind: CostKind = parse("KIND", &kind)?;
            let amount = money(store, file, &amount).await?;
            let f = legal::add_cost(
                store,
                clock,
                actor,
                file,
                &CostInput {
                    kind,
                    on: date,
                    amount,
                    recoverable,
                    note,
                },
            )
            .await?;
            if json {
                return print_json(&f);
            }
            println!(
                "{}",
                tr!(
                    "legal file {file}: cost {amount} recorded; spent so far {} (audited)",
                    "dossier {file} : frais de {amount} enregistrés ; dépensé à ce jour {} (audité)",
                    f.costs_spent()
                )
            );
            Ok(())
        }
        LegalCmd::Payment {
            file,
            amount,
            date,
            by,
            note,
        } => {
            let amount = money(store, file, &amount).await?;
            let f = legal::record_payment(
                store,
                clock,
                actor,
                file,
                &PaymentInput {
                    on: date,
                    amount,
                    collected_by: by,
                    note,
                },
            )
            .await?;
            if json {
                return print_json(&f);
            }
            println!(
                "{}",
                tr!(
                    "legal file {file}: {amount} collected, posted to its claims; collected so far {} (audited)",
                    "dossier {file} : {amount} recouvrés, imputés sur ses créances ; recouvré à ce jour {} (audité)",
                    f.collected()
                )
            );
            Ok(())
        }
        LegalCmd::Parties { file, court, agent } => {
            if court.is_none() && agent.is_none() {
                anyhow::bail!(tr!(
                    "nothing to change: give --court or --agent",
                    "rien à changer : indiquez --court ou --agent"
                ));
            }
            let f = legal::set_parties(store, clock, actor, file, court, agent).await?;
            if json {
                return print_json(&f);
            }
            println!(
                "{}",
                tr!(
                    "legal file {file}: court {}, agent {} (audited)",
                    "dossier {file} : juridiction {}, mandataire {} (audité)",
                    f.data.court.as_deref().unwrap_or("-"),
                    f.data.agent.as_deref().unwrap_or("-")
                )
            );
            Ok(())
        }
        LegalCmd::Attach {
            file,
            path,
            title,
            dated,
        } => {
            let content = std::fs::read(&path)
                .with_context(|| tr!("cannot read {}", "impossible de lire {}", path.display()))?;
            let file_name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().to_string(),
            );
            let exhibit = legal::attach(
                store,
                clock,
                actor,
                file,
                &ExhibitInput {
                    title,
                    dated,
                    file_name,
                    content,
                },
            )
            .await?;
            if json {
                return print_json(&exhibit);
            }
            println!(
                "{}",
                tr!(
                    "legal file {file}: {} attached as exhibit {} (audited)",
                    "dossier {file} : {} joint comme pièce {} (audité)",
                    exhibit.file_name,
                    exhibit.id
                )
            );
            Ok(())
        }
        LegalCmd::Answers { path } => {
            let bytes = std::fs::read(&path)
                .with_context(|| tr!("cannot read {}", "impossible de lire {}", path.display()))?;
            let shown = path.display().to_string();
            let report = legal::import_answers(store, clock, actor, &shown, &bytes).await?;
            if json {
                return print_json(&report);
            }
            println!(
                "{}",
                tr!(
                    "{shown}: {} stage(s), {} cost(s), {} payment(s) on {} file(s) (audited)",
                    "{shown} : {} étape(s), {} frais, {} paiement(s) sur {} dossier(s) (audité)",
                    report.stages,
                    report.costs,
                    report.payments,
                    report.files.len()
                )
            );
            Ok(())
        }
        LegalCmd::Report => {
            let mut tx = store.begin_read().await?;
            let r = legal::report(tx.as_mut(), clock.today()).await?;
            if json {
                return print_json(&r);
            }
            crate::output::legal_report(&r);
            Ok(())
        }
    }
}
