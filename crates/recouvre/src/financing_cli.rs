//! `recouvre financing`: factors and credit insurers, and the claims or debtors assigned
//! to them, on top of `app::financing` (every change audited through `app::audit`).

use crate::output::{print_json, table};
use anyhow::{Result, bail};
use app::audit::Actor;
use app::clock::Clock;
use app::financing::{AssignInput, PartyInput, Target};
use app::store::{FinancingParty, PartyKind, Store};
use clap::Subcommand;
use comfy_table::Cell;
use domain::{ClaimId, Date, DebtorId, tr};

use crate::cli::parse_date;

#[derive(Debug, Subcommand)]
pub enum FinancingCmd {
    /// Record a factor ("affacturage"): the claims assigned to it are paid to its account.
    AddFactor {
        name: String,
        /// The factor's account, where debtors must pay.
        #[arg(long)]
        iban: String,
        #[arg(long)]
        bic: Option<String>,
    },
    /// Record a credit insurer and its policy's deadline to declare a threatened loss.
    AddInsurer {
        name: String,
        /// The policy's reference.
        #[arg(long)]
        policy: String,
        /// Days after a claim's due date within which a threatened loss is declared.
        #[arg(long, allow_negative_numbers = true)]
        declare_within: i64,
    },
    /// Assign a claim, or all of a debtor's claims, to a factor or an insurer.
    Assign {
        /// The claim's id (or give --debtor).
        claim: Option<i64>,
        /// Assign every claim of this debtor.
        #[arg(long, conflicts_with = "claim")]
        debtor: Option<i64>,
        /// The factor's or insurer's id (`financing list`).
        #[arg(long)]
        to: i64,
        /// From when (default: today).
        #[arg(long, value_parser = parse_date)]
        since: Option<Date>,
        /// A factor's claims only: Recouvre stops dunning them (the factor collects).
        #[arg(long)]
        no_dun: bool,
    },
    /// End the assignment of a claim or a debtor.
    Unassign {
        claim: Option<i64>,
        #[arg(long, conflicts_with = "claim")]
        debtor: Option<i64>,
    },
    /// The factors and insurers, and every assignment.
    List,
}

fn target(claim: Option<i64>, debtor: Option<i64>) -> Result<Target> {
    match (claim, debtor) {
        (Some(c), None) => Ok(Target::Claim(ClaimId(c))),
        (None, Some(d)) => Ok(Target::Debtor(DebtorId(d))),
        _ => bail!(tr!(
            "give a claim's id or --debtor",
            "donnez l'identifiant d'une créance ou --debtor"
        )),
    }
}

pub async fn financing(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: FinancingCmd,
    json: bool,
) -> Result<()> {
    let added = |party: FinancingParty| -> Result<()> {
        if json {
            return print_json(&party);
        }
        let (kind, name, id) = (party.kind, &party.name, party.id);
        println!(
            "{}",
            tr!(
                "{kind} {name} recorded (id {id})",
                "{kind} {name} enregistré (id {id})"
            )
        );
        Ok(())
    };
    match cmd {
        FinancingCmd::AddFactor { name, iban, bic } => {
            let input = PartyInput {
                name,
                iban: Some(iban),
                bic,
                ..PartyInput::default()
            };
            added(
                app::audit::add_financing_party(store, clock, actor, PartyKind::Factor, &input)
                    .await?,
            )
        }
        FinancingCmd::AddInsurer {
            name,
            policy,
            declare_within,
        } => {
            let input = PartyInput {
                name,
                policy: Some(policy),
                declare_within_days: Some(declare_within),
                ..PartyInput::default()
            };
            added(
                app::audit::add_financing_party(store, clock, actor, PartyKind::Insurer, &input)
                    .await?,
            )
        }
        FinancingCmd::Assign {
            claim,
            debtor,
            to,
            since,
            no_dun,
        } => {
            let input = AssignInput {
                target: target(claim, debtor)?,
                party: to,
                since,
                dun: !no_dun,
            };
            let a = app::audit::assign_financing(store, clock, actor, &input).await?;
            if json {
                return print_json(&a);
            }
            let (subject, party, since) = (input.target.subject(), a.party_id, a.since);
            let dun = if a.dun {
                String::new()
            } else {
                tr!(", not dunned by Recouvre", ", pas relancé par Recouvre")
            };
            println!(
                "{}",
                tr!(
                    "{subject} assigned to party {party} since {since}{dun}",
                    "{subject} affecté à la partie {party} depuis le {since}{dun}"
                )
            );
            Ok(())
        }
        FinancingCmd::Unassign { claim, debtor } => {
            let target = target(claim, debtor)?;
            let before = app::audit::unassign_financing(store, clock, actor, target).await?;
            if json {
                return print_json(&before);
            }
            let subject = target.subject();
            println!(
                "{}",
                tr!(
                    "{subject} no longer assigned",
                    "{subject} n'est plus affecté"
                )
            );
            Ok(())
        }
        FinancingCmd::List => {
            let mut tx = store.begin_read().await?;
            let listing = app::financing::list(tx.as_mut()).await?;
            drop(tx);
            if json {
                return print_json(&listing);
            }
            let dash = |s: Option<&str>| s.unwrap_or("—").to_string();
            let mut t = table(&[
                "id",
                &tr!("kind", "type"),
                &tr!("name", "nom"),
                "IBAN",
                "BIC",
                &tr!("policy", "police"),
                &tr!("declare within", "déclarer sous"),
            ]);
            for p in &listing.parties {
                t.add_row(vec![
                    Cell::new(p.id),
                    Cell::new(p.kind),
                    Cell::new(&p.name),
                    Cell::new(dash(p.iban.as_deref())),
                    Cell::new(dash(p.bic.as_deref())),
                    Cell::new(dash(p.policy.as_deref())),
                    Cell::new(
                        p.declare_within_days
                            .map_or_else(|| "—".into(), |d| tr!("{d} d", "{d} j")),
                    ),
                ]);
            }
            println!("{t}");
            let mut t = table(&[
                &tr!("assigned", "affecté"),
                &tr!("financing", "financement"),
                &tr!("party", "partie"),
                &tr!("since", "depuis"),
                &tr!("dunned", "relancé"),
            ]);
            for v in &listing.assignments {
                t.add_row(vec![
                    Cell::new(format!(
                        "{}:{}",
                        v.assignment.scope.as_str(),
                        v.assignment.owner_id
                    )),
                    Cell::new(v.financing.as_str()),
                    Cell::new(format!("{} ({})", v.party_name, v.assignment.party_id)),
                    Cell::new(v.assignment.since),
                    Cell::new(if v.assignment.dun {
                        crate::output::yes()
                    } else {
                        crate::output::no()
                    }),
                ]);
            }
            println!("{t}");
            Ok(())
        }
    }
}
