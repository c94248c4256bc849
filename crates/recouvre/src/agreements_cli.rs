//! `recouvre promise|plan|consent|dispute|party`: promises to pay, payment plans, co-debtors'
//! consents, disputes and the parties bound to a claim, on top of `app::agreements`.

use crate::output::{print_json, right, table};
use anyhow::{Context, Result, bail};
use app::agreements::{self, PlanTerms};
use app::clock::Clock;
use app::store::{ClaimParty, Store};
use clap::{Args, Subcommand};
use comfy_table::Cell;
use domain::agreements::{DisputeReason, Frequency, PartyRole, Plan, Resolution};
use domain::{ClaimId, Currency, Date, DebtorId, Money, tr};

use crate::cli::parse_date;

/// The status of a promise, plan or dispute (its code, `status_name`) for a person.
fn status_label(code: &str) -> String {
    match code {
        "open" => tr!("open", "ouvert"),
        "kept" => tr!("kept", "tenue"),
        "partly_kept" => tr!("partly kept", "tenue en partie"),
        "broken" => tr!("broken", "rompu"),
        "cancelled" => tr!("cancelled", "annulé"),
        "draft" => tr!("draft", "brouillon"),
        "active" => tr!("active", "actif"),
        "completed" => tr!("completed", "terminé"),
        other => other.to_string(),
    }
}

/// A dispute's reason for a person: `quality` or `qualité`.
fn reason_label(reason: DisputeReason) -> String {
    domain::lang::tr(&reason.as_str().replace('_', " "), reason.label_fr())
}

/// `1234.56`, `1 234,56 EUR`, `GBP 99.90`: an amount, in euros unless a currency code
/// precedes or follows it.
pub fn parse_money(s: &str) -> Result<Money, String> {
    Money::parse_with_code(s, Currency::EUR).map_err(|e| match e {
        domain::money::MoneyError::UnknownCurrency(c) => {
            tr!("{c:?}: unknown currency", "{c:?} : devise inconnue")
        }
        e => format!("{s:?}: {e}"),
    })
}

/// One claim id of a `--claims 12,15` list. clap splits the list (`value_delimiter`) and
/// gathers the ids into the field's `Vec`: a parser returning the whole `Vec` would not
/// match the type clap reads back, and panicked at the first `--claims`.
fn parse_claim(s: &str) -> Result<ClaimId, String> {
    s.trim().parse::<i64>().map(ClaimId).map_err(|_| {
        tr!(
            "{s:?} is not a claim id",
            "{s:?} n'est pas un identifiant de créance"
        )
    })
}

#[derive(Debug, Subcommand)]
pub enum PromiseCmd {
    /// Record a debtor's promise to pay an amount by a date; reminders wait until then.
    Add {
        debtor: i64,
        #[arg(long, value_parser = parse_money)]
        amount: Money,
        #[arg(long, value_parser = parse_date)]
        due: Date,
        /// The claims it is for (ids, comma-separated; default: all the debtor's open claims).
        #[arg(long, value_parser = parse_claim, value_delimiter = ',')]
        claims: Option<Vec<ClaimId>>,
        #[arg(long, default_value = "phone")]
        channel: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The promises, oldest first.
    List {
        #[arg(long)]
        debtor: Option<i64>,
    },
}

/// The terms of a plan, shared by `plan propose` and `plan create`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    pub debtor: i64,
    /// Number of instalments (or give --instalment).
    #[arg(long, conflicts_with = "instalment")]
    pub count: Option<u32>,
    /// A fixed instalment amount (the last one is smaller).
    #[arg(long, value_parser = parse_money)]
    pub instalment: Option<Money>,
    /// weekly, fortnightly, monthly, quarterly.
    #[arg(long, default_value = "monthly")]
    pub every: String,
    /// The first instalment's day (default: in 15 days).
    #[arg(long, value_parser = parse_date)]
    pub first: Option<Date>,
    #[arg(long, value_parser = parse_money)]
    pub down_payment: Option<Money>,
    /// Interest on the remaining principal, % a year (e.g. 3.5).
    #[arg(long)]
    pub rate: Option<String>,
    /// The claims (ids, comma-separated; default: all the debtor's open claims).
    #[arg(long, value_parser = parse_claim, value_delimiter = ',')]
    pub claims: Option<Vec<ClaimId>>,
    /// Days after an instalment's due date before it counts as missed.
    #[arg(long, default_value_t = 5)]
    pub grace_days: i32,
    /// Granted by a court ("délais de grâce", at most 2 years): terms cannot be changed.
    #[arg(long)]
    pub court_ordered: bool,
    #[arg(long, default_value = "phone")]
    pub channel: String,
    /// Who agreed it on the creditor's side.
    #[arg(long, default_value = "")]
    pub agreed_by: String,
    /// The SEPA mandate reference its instalments are collected with.
    #[arg(long)]
    pub mandate: Option<String>,
}

impl PlanArgs {
    fn terms(&self, today: Date) -> Result<PlanTerms> {
        let every = Frequency::parse(&self.every).with_context(|| {
            let every = &self.every;
            tr!(
                "--every {every:?}: weekly, fortnightly, monthly or quarterly",
                "--every {every:?} : weekly, fortnightly, monthly ou quarterly"
            )
        })?;
        let annual_rate_bp = self
            .rate
            .as_deref()
            .map(agreements::parse_rate_bp)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--rate {e}"))?;
        Ok(PlanTerms {
            claims: self.claims.clone().unwrap_or_default(),
            down_payment: self.down_payment,
            count: self.count,
            fixed: self.instalment,
            every,
            first: self.first.unwrap_or_else(|| {
                domain::date::date_of_day(domain::date::day_number(today) + 15).unwrap_or(today)
            }),
            annual_rate_bp,
            grace_days: self.grace_days,
            court_ordered: self.court_ordered,
            channel: self.channel.clone(),
            agreed_by: self.agreed_by.clone(),
            mandate: self.mandate.clone(),
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Show the schedule a plan would have, without saving it.
    Propose(PlanArgs),
    /// Save a plan: active at once, or a draft until every co-debtor consents.
    Create(PlanArgs),
    /// One plan: its schedule and how it is being kept.
    Show { id: i64 },
    /// The plans, oldest first.
    List {
        #[arg(long)]
        debtor: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Record a co-debtor's consent to a plan.
    Record {
        plan: i64,
        #[arg(long)]
        debtor: i64,
        #[arg(long, default_value = "letter")]
        channel: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DisputeCmd {
    /// Open a dispute on claims of one debtor: they are not reminded until it is resolved.
    Open {
        #[arg(required = true)]
        claims: Vec<i64>,
        /// quality, price, delivery, not_received, already_paid, other.
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, default_value = "")]
        owner: String,
        /// When it should be settled by.
        #[arg(long, value_parser = parse_date)]
        due: Option<Date>,
        /// A reference of an attachment (file name, document id). Repeatable.
        #[arg(long)]
        attachment: Vec<String>,
    },
    /// Resolve a dispute: by a credit note, a partial agreement (credit note for the part
    /// conceded), or a rejection; collection resumes on what remains.
    Resolve {
        id: i64,
        #[arg(long, value_parser = parse_money, group = "how")]
        credit_note: Option<Money>,
        #[arg(long, value_parser = parse_money, group = "how")]
        partial: Option<Money>,
        #[arg(long, group = "how")]
        reject: bool,
    },
    /// The disputes, oldest first.
    List {
        #[arg(long)]
        debtor: Option<i64>,
    },
    /// Disputes by reason: open ones by age, overdue ones, time to resolve.
    Report,
}

#[derive(Debug, Subcommand)]
pub enum PartyCmd {
    /// Bind a co-debtor (jointly and severally liable) or a guarantor to a claim.
    Add {
        claim: i64,
        debtor: i64,
        /// co-debtor or guarantor.
        #[arg(long)]
        role: String,
    },
}

pub async fn promise(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    cmd: PromiseCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        PromiseCmd::Add {
            debtor,
            amount,
            due,
            claims,
            channel,
            note,
        } => {
            let terms = agreements::PromiseTerms {
                debtor: DebtorId(debtor),
                amount,
                due,
                claims: claims.unwrap_or_default(),
                channel,
                note,
            };
            let (id, p) = app::audit::add_promise(store, clock, actor, &terms).await?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "promise": p }));
            }
            let (amount, due) = (p.amount, p.due);
            println!(
                "{}",
                tr!(
                    "Promise {id} recorded: {amount} by {due} — reminders wait until then",
                    "Promesse {id} enregistrée : {amount} au {due} — relances suspendues jusque-là"
                )
            );
        }
        PromiseCmd::List { debtor } => {
            let mut tx = store.begin().await?;
            let list: Vec<(i64, domain::agreements::Promise)> = agreements::list(
                tx.as_mut(),
                app::store::AgreementKind::Promise,
                debtor.map(DebtorId),
            )
            .await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                "id",
                &tr!("debtor", "débiteur"),
                &tr!("amount", "montant"),
                &tr!("due", "échéance"),
                &tr!("made", "faite"),
                &tr!("status", "statut"),
            ]);
            for (id, p) in &list {
                t.add_row(vec![
                    right(id),
                    right(p.debtor_id),
                    right(p.amount),
                    Cell::new(p.due),
                    Cell::new(p.made_on),
                    Cell::new(status_label(&agreements::status_name(p.status))),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

fn print_plan(plan: &Plan, progress: Option<&domain::agreements::PlanProgress>) {
    let (debtor, n, grace) = (plan.debtor_id, plan.instalments.len(), plan.grace_days);
    let court = if plan.court_ordered {
        tr!(", court-ordered", ", délais de grâce judiciaires")
    } else {
        String::new()
    };
    let mandate = plan
        .mandate
        .as_ref()
        .map(|m| tr!(", SEPA mandate {m}", ", mandat SEPA {m}"))
        .unwrap_or_default();
    println!(
        "{}",
        tr!(
            "Debtor {debtor} — {n} instalments, grace {grace} d{court}{mandate}",
            "Débiteur {debtor} — {n} échéances, tolérance {grace} j{court}{mandate}"
        )
    );
    let mut t = table(&[
        "#",
        &tr!("due", "échéance"),
        &tr!("amount", "montant"),
        &tr!("of which interest", "dont intérêts"),
        &tr!("paid", "payé"),
    ]);
    for (i, inst) in plan.instalments.iter().enumerate() {
        t.add_row(vec![
            right(i + 1),
            Cell::new(inst.due),
            right(inst.amount),
            right(inst.interest),
            right(
                progress
                    .and_then(|p| p.covered.get(i))
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ),
        ]);
    }
    println!("{t}");
}

pub async fn plan(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    cmd: PlanCmd,
    json: bool,
) -> Result<()> {
    let today = clock.today();
    match cmd {
        PlanCmd::Propose(args) => {
            let mut tx = store.begin().await?;
            let p = agreements::propose_plan(
                tx.as_mut(),
                DebtorId(args.debtor),
                &args.terms(today)?,
                today,
            )
            .await?;
            if json {
                return print_json(&p);
            }
            let (total, with_interest) = (p.total, p.total_with_interest);
            println!(
                "{}",
                tr!(
                    "Proposed plan (not saved): {total} → {with_interest}",
                    "Plan proposé (non enregistré) : {total} → {with_interest}"
                )
            );
            print_plan(&p.plan, None);
            if !p.plan.co_debtors.is_empty() {
                let ids = p.plan.co_debtors.iter().map(|d| d.0).collect::<Vec<_>>();
                println!(
                    "{}",
                    tr!(
                        "Needs the consent of co-debtors: {ids:?}",
                        "Nécessite l'accord des codébiteurs : {ids:?}"
                    )
                );
            }
        }
        PlanCmd::Create(args) => {
            let (id, plan) = app::audit::create_plan(
                store,
                clock,
                actor,
                DebtorId(args.debtor),
                &args.terms(today)?,
            )
            .await?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "plan": plan }));
            }
            println!("{}", tr!("Plan {id} saved", "Échéancier {id} enregistré"));
            print_plan(&plan, None);
            let missing = domain::agreements::missing_consents(&plan);
            if !missing.is_empty() {
                let ids = missing.iter().map(|d| d.0).collect::<Vec<_>>();
                println!(
                    "{}",
                    tr!(
                        "Draft until these co-debtors consent (recouvre consent record {id} --debtor ID): {ids:?}",
                        "Brouillon jusqu'à l'accord de ces codébiteurs (recouvre consent record {id} --debtor ID) : {ids:?}"
                    )
                );
            }
        }
        PlanCmd::Show { id } => {
            let mut tx = store.begin().await?;
            let v = agreements::show_plan(tx.as_mut(), id, today).await?;
            if json {
                return print_json(&v);
            }
            let status = status_label(&agreements::status_name(v.progress.status));
            let (paid, met, n) = (v.progress.paid, v.progress.met, v.plan.instalments.len());
            let broken = v
                .progress
                .broken_on
                .map(|d| tr!(", broken on {d}", ", rompu le {d}"))
                .unwrap_or_default();
            println!(
                "{}",
                tr!(
                    "Plan {id}: {status} as of {today} — paid {paid}, {met} of {n} met{broken}",
                    "Échéancier {id} : {status} au {today} — payé {paid}, {met} sur {n} honorées{broken}"
                )
            );
            print_plan(&v.plan, Some(&v.progress));
            if !v.missing_consents.is_empty() {
                let ids = v.missing_consents.iter().map(|d| d.0).collect::<Vec<_>>();
                println!(
                    "{}",
                    tr!("Missing consents: {ids:?}", "Accords manquants : {ids:?}")
                );
            }
        }
        PlanCmd::List { debtor } => {
            let mut tx = store.begin().await?;
            let list: Vec<(i64, Plan)> = agreements::list(
                tx.as_mut(),
                app::store::AgreementKind::Plan,
                debtor.map(DebtorId),
            )
            .await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                "id",
                &tr!("debtor", "débiteur"),
                &tr!("instalments", "échéances"),
                "total",
                &tr!("agreed", "conclu"),
                &tr!("status", "statut"),
            ]);
            for (id, p) in &list {
                let total: i64 = p.instalments.iter().map(|i| i.amount.minor()).sum();
                t.add_row(vec![
                    right(id),
                    right(p.debtor_id),
                    right(p.instalments.len()),
                    right(Money::from_minor(total, p.currency)),
                    Cell::new(p.agreed_on),
                    Cell::new(status_label(&agreements::status_name(p.status))),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

pub async fn consent(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    cmd: ConsentCmd,
    json: bool,
) -> Result<()> {
    let ConsentCmd::Record {
        plan,
        debtor,
        channel,
    } = cmd;
    let (p, missing) =
        app::audit::record_consent(store, clock, actor, plan, DebtorId(debtor), &channel).await?;
    if json {
        return print_json(&serde_json::json!({ "plan": p, "missing_consents": missing }));
    }
    if missing.is_empty() {
        println!(
            "{}",
            tr!(
                "Every co-debtor has consented: plan {plan} is active",
                "Tous les codébiteurs ont donné leur accord : l'échéancier {plan} est actif"
            )
        );
    } else {
        let ids = missing.iter().map(|d| d.0).collect::<Vec<_>>();
        println!(
            "{}",
            tr!(
                "Consent recorded; still missing: {ids:?}",
                "Accord enregistré ; manquent encore : {ids:?}"
            )
        );
    }
    Ok(())
}

pub async fn dispute(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &app::audit::Actor,
    cmd: DisputeCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        DisputeCmd::Open {
            claims,
            reason,
            note,
            owner,
            due,
            attachment,
        } => {
            let Some(reason) = DisputeReason::parse(&reason) else {
                bail!(tr!(
                    "--reason {reason:?}: quality, price, delivery, not_received, already_paid or other",
                    "--reason {reason:?} : quality, price, delivery, not_received, already_paid ou other"
                ));
            };
            let ids: Vec<ClaimId> = claims.into_iter().map(ClaimId).collect();
            let terms = agreements::DisputeTerms {
                debtor: None,
                claims: ids,
                reason,
                note,
                attachments: attachment,
                owner,
                due,
            };
            let (id, d) = app::audit::open_dispute(store, clock, actor, &terms).await?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "dispute": d }));
            }
            let reason = reason_label(reason);
            println!(
                "{}",
                tr!(
                    "Dispute {id} opened ({reason}): these claims are not reminded until it is resolved",
                    "Litige {id} ouvert ({reason}) : ces créances ne sont plus relancées jusqu'à sa résolution"
                )
            );
        }
        DisputeCmd::Resolve {
            id,
            credit_note,
            partial,
            reject,
        } => {
            let resolution = match (credit_note, partial, reject) {
                (Some(amount), None, false) => Resolution::CreditNote { amount },
                (None, Some(amount), false) => Resolution::PartialAgreement { amount },
                (None, None, true) => Resolution::Rejected,
                _ => bail!(tr!(
                    "give one of --credit-note AMOUNT, --partial AMOUNT, --reject",
                    "donnez l'une des options --credit-note MONTANT, --partial MONTANT, --reject"
                )),
            };
            let d = app::audit::resolve_dispute(store, clock, actor, id, resolution).await?;
            if json {
                return print_json(&d);
            }
            println!(
                "{}",
                tr!(
                    "Dispute {id} resolved; collection resumes on what remains",
                    "Litige {id} résolu ; le recouvrement reprend sur le reste"
                )
            );
        }
        DisputeCmd::List { debtor } => {
            let mut tx = store.begin().await?;
            let list: Vec<(i64, domain::agreements::Dispute)> = agreements::list(
                tx.as_mut(),
                app::store::AgreementKind::Dispute,
                debtor.map(DebtorId),
            )
            .await?;
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                "id",
                &tr!("debtor", "débiteur"),
                &tr!("claims", "créances"),
                &tr!("reason", "motif"),
                &tr!("opened", "ouvert"),
                &tr!("due", "échéance"),
                &tr!("owner", "responsable"),
                &tr!("status", "statut"),
            ]);
            for (id, d) in &list {
                t.add_row(vec![
                    right(id),
                    right(d.debtor_id),
                    Cell::new(
                        d.claims
                            .iter()
                            .map(|c| c.0.to_string())
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    Cell::new(reason_label(d.reason)),
                    Cell::new(d.opened_on),
                    Cell::new(d.due.map(|x| x.to_string()).unwrap_or_default()),
                    Cell::new(&d.owner),
                    Cell::new(if d.is_open() {
                        tr!("open", "ouvert")
                    } else {
                        tr!("resolved", "résolu")
                    }),
                ]);
            }
            println!("{t}");
        }
        DisputeCmd::Report => {
            let mut tx = store.begin().await?;
            let r = agreements::dispute_report(tx.as_mut(), clock.today()).await?;
            if json {
                return print_json(&r);
            }
            let as_of = r.as_of;
            println!("{}", tr!("Disputes as of {as_of}", "Litiges au {as_of}"));
            let mut t = table(&[
                &tr!("reason", "motif"),
                &tr!("open", "ouverts"),
                &tr!("0-30 d", "0-30 j"),
                "31-60",
                "61-90",
                "> 90",
                &tr!("overdue", "en retard"),
                &tr!("resolved", "résolus"),
                &tr!("avg days", "jours moyens"),
            ]);
            for row in &r.rows {
                t.add_row(vec![
                    Cell::new(reason_label(row.reason)),
                    right(row.open),
                    right(row.open_by_age[0]),
                    right(row.open_by_age[1]),
                    right(row.open_by_age[2]),
                    right(row.open_by_age[3]),
                    right(row.overdue),
                    right(row.resolved),
                    right(
                        row.average_days_to_resolve
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                    ),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}

pub async fn party(store: &dyn Store, clock: &dyn Clock, cmd: PartyCmd) -> Result<()> {
    let PartyCmd::Add {
        claim,
        debtor,
        role,
    } = cmd;
    let Some(role) = PartyRole::parse(&role) else {
        bail!(tr!(
            "--role {role:?}: co-debtor or guarantor",
            "--role {role:?} : co-debtor (codébiteur) ou guarantor (caution)"
        ));
    };
    app::audit::add_claim_party(
        store,
        clock,
        &crate::cli_actor(),
        &ClaimParty {
            claim_id: ClaimId(claim),
            debtor_id: DebtorId(debtor),
            role,
        },
    )
    .await?;
    let role = match role {
        PartyRole::CoDebtor => tr!("co-debtor", "codébiteur solidaire"),
        PartyRole::Guarantor => tr!("guarantor", "caution"),
    };
    println!(
        "{}",
        tr!(
            "Debtor {debtor} bound to claim {claim} as {role}",
            "Débiteur {debtor} lié à la créance {claim} comme {role}"
        )
    );
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum SepaCmd {
    /// Set the creditor's SEPA identity: name, IBAN, BIC, SEPA creditor identifier (ICS).
    Creditor {
        #[arg(long)]
        name: String,
        #[arg(long)]
        iban: String,
        #[arg(long)]
        bic: Option<String>,
        /// The SEPA creditor identifier ("ICS", e.g. FRkkZZZnnnnnn).
        #[arg(long)]
        ics: String,
    },
    /// Record a debtor's direct-debit mandate.
    Mandate {
        debtor: i64,
        /// The unique mandate reference (RUM).
        #[arg(long)]
        reference: String,
        /// Date of signature.
        #[arg(long, value_parser = parse_date)]
        signed: Date,
        #[arg(long)]
        iban: String,
        #[arg(long)]
        bic: Option<String>,
        /// B2B scheme rather than CORE.
        #[arg(long)]
        b2b: bool,
    },
    /// Write the pain.008 file collecting the plans' instalments due by a date, and mark
    /// them collected (a second export does not collect them again).
    Export {
        /// The requested collection date.
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// The file to write (default: RCV-<date>-<n>.xml in the current folder).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The pain.008 version: 08 (pain.008.001.08, current) or 02 (pain.008.001.02).
        #[arg(long, default_value = "08")]
        version: String,
    },
}

pub async fn sepa(store: &dyn Store, clock: &dyn Clock, cmd: SepaCmd, json: bool) -> Result<()> {
    match cmd {
        SepaCmd::Creditor {
            name,
            iban,
            bic,
            ics,
        } => {
            app::audit::set_sepa_creditor(
                store,
                clock,
                &crate::cli_actor(),
                &app::sepa::CreditorIdentity {
                    name,
                    iban,
                    bic,
                    identifier: ics,
                },
            )
            .await?;
            println!(
                "{}",
                tr!("SEPA identity saved", "Identité SEPA enregistrée")
            );
        }
        SepaCmd::Mandate {
            debtor,
            reference,
            signed,
            iban,
            bic,
            b2b,
        } => {
            let id = app::audit::add_mandate(
                store,
                clock,
                &crate::cli_actor(),
                &app::sepa::Mandate {
                    reference: reference.clone(),
                    debtor_id: DebtorId(debtor),
                    signed_on: signed,
                    iban,
                    bic,
                    b2b,
                    last_collected: None,
                },
            )
            .await?;
            println!(
                "{}",
                tr!(
                    "Mandate {reference} recorded ({id})",
                    "Mandat {reference} enregistré ({id})"
                )
            );
        }
        SepaCmd::Export { date, out, version } => {
            let version = match version.trim_start_matches("pain.008.001.") {
                "08" | "8" => formats::pain008::Version::V001_001_08,
                "02" | "2" => formats::pain008::Version::V001_001_02,
                other => bail!(tr!(
                    "--version {other:?}: 08 or 02",
                    "--version {other:?} : 08 ou 02"
                )),
            };
            let mut written = None;
            let actor = crate::cli_actor();
            let export = app::sepa::export(store, clock, &actor, date, version, |xml| {
                // Written under a temporary name, then renamed: a crash leaves no half file.
                let path = out.clone().unwrap_or_else(|| {
                    std::path::PathBuf::from(format!("RCV-{}.xml", date.strftime("%Y%m%d")))
                });
                let tmp = path.with_extension("xml.part");
                std::fs::write(&tmp, xml)
                    .and_then(|()| std::fs::rename(&tmp, &path))
                    .map_err(|e| {
                        let shown = path.display();
                        app::AppError::Invalid(tr!(
                            "{shown}: cannot write: {e}",
                            "{shown} : écriture impossible : {e}"
                        ))
                    })?;
                written = Some(path);
                Ok(())
            })
            .await?;
            if json {
                return print_json(&serde_json::json!({
                    "message_id": export.message_id,
                    "transactions": export.transactions,
                    "total": export.total,
                    "file": written,
                }));
            }
            match written {
                Some(path) => {
                    let (shown, n, total, id) = (
                        path.display(),
                        export.transactions,
                        export.total,
                        &export.message_id,
                    );
                    println!(
                        "{}",
                        tr!(
                            "{shown}: {n} direct debits, {total} ({id})",
                            "{shown} : {n} prélèvements, {total} ({id})"
                        )
                    )
                }
                None => println!(
                    "{}",
                    tr!("Nothing due by {date}", "Rien à prélever au {date}")
                ),
            }
        }
    }
    Ok(())
}
