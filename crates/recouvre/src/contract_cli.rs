//! `recouvre terms|notice` and the terms options of `recouvre creditor`: the terms of sale
//! of a creditor or a claim, and formal notices with their delivery, on top of
//! `app::contract` (every change audited through `app::audit`).

use crate::output::{print_json, table, terms_text};
use anyhow::{Context, Result, bail};
use app::audit::Actor;
use app::clock::Clock;
use app::contract::{DeliveryUpdate, NoticeInput, NoticeRef};
use app::store::{NoticeSender, Store, StoredNotice, TermsScope};
use clap::{Args, Subcommand};
use comfy_table::Cell;
use domain::law::{ContractTerms, PaymentTerm, PenaltyRate};
use domain::{ClaimId, Date, DebtorId, tr};
use std::path::PathBuf;

use crate::cli::parse_date;

/// A terms field on the command line: a value, or `none` to clear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<T> {
    Set(T),
    Clear,
}

fn field<T>(s: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Field<T>, String> {
    match s.trim().to_lowercase().as_str() {
        "none" | "aucun" | "aucune" | "-" => Ok(Field::Clear),
        _ => parse(s).map(Field::Set),
    }
}

fn penalty(s: &str) -> Result<Field<PenaltyRate>, String> {
    field(s, PenaltyRate::parse)
}

fn indemnity(s: &str) -> Result<Field<rust_decimal::Decimal>, String> {
    field(s, domain::law::contract::parse_indemnity)
}

fn payment_term(s: &str) -> Result<Field<PaymentTerm>, String> {
    field(s, PaymentTerm::parse)
}

fn flag(s: &str) -> Result<Field<bool>, String> {
    field(s, domain::law::contract::parse_flag)
}

/// The terms options shared by `creditor` and `terms`: each one given replaces that field
/// (`none` clears it); the others are kept.
#[derive(Debug, Clone, Default, Args)]
pub struct TermsArgs {
    /// Agreed late-penalty rate: `12%`, `1%/month`, `3x legal`, `ecb+10` (`none` clears).
    #[arg(long, value_parser = penalty, allow_hyphen_values = true)]
    pub penalty_rate: Option<Field<PenaltyRate>>,
    /// Recovery indemnity agreed above the statutory €40, per invoice (`none` clears).
    #[arg(long, value_parser = indemnity, allow_hyphen_values = true)]
    pub indemnity: Option<Field<rust_decimal::Decimal>>,
    /// Agreed payment term: `60d`, `30 jours`, `45d eom` (`none` clears).
    #[arg(long, value_parser = payment_term)]
    pub payment_terms: Option<Field<PaymentTerm>>,
    /// `yes` when the contract says the due date alone puts the debtor on notice (C. civ.
    /// 1344); `no`; `none` clears.
    #[arg(long, value_parser = flag)]
    pub due_date_is_notice: Option<Field<bool>>,
}

impl TermsArgs {
    pub fn is_empty(&self) -> bool {
        self.penalty_rate.is_none()
            && self.indemnity.is_none()
            && self.payment_terms.is_none()
            && self.due_date_is_notice.is_none()
    }

    /// `before`, with the fields given here replaced.
    pub fn apply(&self, before: ContractTerms) -> ContractTerms {
        fn pick<T: Copy>(given: Option<Field<T>>, before: Option<T>) -> Option<T> {
            match given {
                None => before,
                Some(Field::Clear) => None,
                Some(Field::Set(v)) => Some(v),
            }
        }
        ContractTerms {
            penalty_rate: pick(self.penalty_rate, before.penalty_rate),
            indemnity: pick(self.indemnity, before.indemnity),
            payment_term: pick(self.payment_terms, before.payment_term),
            due_date_is_notice: pick(self.due_date_is_notice, before.due_date_is_notice),
        }
    }
}

/// Shows, or changes then shows, the terms of a creditor or a claim.
pub async fn terms(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    scope: TermsScope,
    owner: i64,
    args: &TermsArgs,
    json: bool,
) -> Result<()> {
    let mut tx = store.begin_read().await?;
    let before = match scope {
        TermsScope::Creditor => {
            app::contract::creditor_terms(tx.as_mut(), domain::CreditorId(owner)).await?
        }
        TermsScope::Claim => app::contract::own_claim_terms(tx.as_mut(), ClaimId(owner)).await?,
    };
    drop(tx);
    let own = if args.is_empty() {
        before
    } else {
        app::audit::set_terms(store, clock, actor, scope, owner, &args.apply(before)).await?
    };
    let mut tx = store.begin_read().await?;
    let effective = match scope {
        TermsScope::Creditor => own,
        TermsScope::Claim => {
            let claim = tx
                .claim(ClaimId(owner))
                .await?
                .with_context(|| tr!("claim {owner} not found", "créance {owner} introuvable"))?;
            app::contract::claim_terms(tx.as_mut(), &claim).await?
        }
    };
    if json {
        return print_json(&serde_json::json!({
            "scope": scope,
            "owner": owner,
            "terms": own,
            "effective": effective,
        }));
    }
    let terms = terms_text(&own);
    println!(
        "{}",
        match scope {
            TermsScope::Creditor => tr!("Creditor {owner}: {terms}", "Créancier {owner} : {terms}"),
            TermsScope::Claim => tr!("Claim {owner}: {terms}", "Créance {owner} : {terms}"),
        }
    );
    if scope == TermsScope::Claim {
        let terms = terms_text(&effective);
        println!(
            "  {}",
            tr!(
                "in force, with the creditor's: {terms}",
                "en vigueur, avec celles du créancier : {terms}"
            )
        );
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum NoticeCmd {
    /// Record a formal notice sent by hand or served by a commissaire de justice.
    Add {
        /// The debtor put on notice.
        debtor: i64,
        /// The claims demanded (ids, comma-separated; default: every claim overdue that day).
        #[arg(long, value_delimiter = ',')]
        claims: Vec<i64>,
        /// The day it was sent (served, for a commissaire de justice).
        #[arg(long, value_parser = parse_date)]
        sent: Date,
        /// `hand` (registered letter sent by you) or `commissaire` (served by a
        /// commissaire de justice).
        #[arg(long, default_value = "hand")]
        by: String,
        /// The registered letter's tracking number.
        #[arg(long)]
        tracking: Option<String>,
        /// First presentation of the letter.
        #[arg(long, value_parser = parse_date)]
        presented: Option<Date>,
        /// The day the acknowledgment of receipt was signed.
        #[arg(long, value_parser = parse_date)]
        received: Option<Date>,
        /// The proof kept (file name or document reference).
        #[arg(long)]
        proof: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record a notice's delivery: tracking number, first presentation, signed receipt.
    Delivery {
        /// The notice's id (`notice list`); or give `--action`.
        id: Option<i64>,
        /// The run's action that is the notice, before its delivery is first recorded.
        #[arg(long, conflicts_with = "id")]
        action: Option<i64>,
        #[arg(long, value_parser = parse_date)]
        sent: Option<Date>,
        #[arg(long)]
        tracking: Option<String>,
        #[arg(long, value_parser = parse_date)]
        presented: Option<Date>,
        #[arg(long, value_parser = parse_date)]
        received: Option<Date>,
        /// The day the post returned the letter, not collected or not delivered.
        #[arg(long, value_parser = parse_date)]
        returned: Option<Date>,
        #[arg(long)]
        proof: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Formal notices, oldest first, with their delivery.
    List {
        #[arg(long)]
        debtor: Option<i64>,
    },
    /// Apply the postal operator's tracking export (CSV: reference or notice or
    /// tracking_number, presented_on, received_on), all lines or none.
    Import { file: PathBuf },
}

fn sender_text(n: &StoredNotice) -> String {
    match n.sent_by {
        NoticeSender::Run => match n.action_id {
            Some(a) => tr!("run (action {a})", "relance (action {a})"),
            None => tr!("run", "relance"),
        },
        NoticeSender::Hand => tr!("hand", "manuel"),
        NoticeSender::Commissaire => "commissaire de justice".into(),
    }
}

fn print_notices(list: &[StoredNotice], json: bool) -> Result<()> {
    if json {
        return print_json(list);
    }
    let mut t = table(&[
        &tr!("notice", "MED"),
        &tr!("debtor", "débiteur"),
        &tr!("claims", "créances"),
        &tr!("sent", "envoi"),
        &tr!("by", "par"),
        &tr!("tracking", "suivi"),
        &tr!("presented", "présentée"),
        &tr!("received", "AR"),
    ]);
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    for n in list {
        t.add_row(vec![
            Cell::new(if n.id == 0 {
                "—".to_string()
            } else {
                n.id.to_string()
            }),
            Cell::new(n.debtor_id),
            Cell::new(
                n.claims
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Cell::new(n.sent_on),
            Cell::new(sender_text(n)),
            Cell::new(n.tracking_number.as_deref().unwrap_or("—")),
            Cell::new(day(n.presented_on)),
            Cell::new(match n.returned_on {
                Some(r) => tr!("returned {r}", "retournée le {r}"),
                None => day(n.received_on),
            }),
        ]);
    }
    let n = list.len();
    println!("{}", tr!("Formal notices: {n}", "Mises en demeure : {n}"));
    println!("{t}");
    Ok(())
}

/// `recouvre notice add|delivery|list|import`.
pub async fn notice(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: NoticeCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        NoticeCmd::Add {
            debtor,
            claims,
            sent,
            by,
            tracking,
            presented,
            received,
            proof,
            note,
        } => {
            let sent_by = by
                .parse::<NoticeSender>()
                .map_err(|e| anyhow::anyhow!("--by {e}"))?;
            let input = NoticeInput {
                debtor: Some(DebtorId(debtor)),
                claims: claims.into_iter().map(ClaimId).collect(),
                sent_by: Some(sent_by),
                facts: DeliveryUpdate {
                    sent_on: Some(sent),
                    tracking_number: tracking,
                    presented_on: presented,
                    received_on: received,
                    returned_on: None,
                    proof,
                    note,
                },
            };
            let n = app::audit::record_notice(store, clock, actor, &input).await?;
            if json {
                return print_json(&n);
            }
            let id = n.id;
            println!(
                "{}",
                tr!(
                    "formal notice {id} recorded",
                    "mise en demeure {id} enregistrée"
                )
            );
            print_notices(&[n], false)
        }
        NoticeCmd::Delivery {
            id,
            action,
            sent,
            tracking,
            presented,
            received,
            returned,
            proof,
            note,
        } => {
            let reference = match (id, action) {
                (Some(id), None) => NoticeRef::Id(id),
                (None, Some(a)) => NoticeRef::Action(a),
                _ => bail!(tr!(
                    "give the notice's id, or --action",
                    "donnez l'identifiant de la mise en demeure, ou --action"
                )),
            };
            let update = DeliveryUpdate {
                sent_on: sent,
                tracking_number: tracking,
                presented_on: presented,
                received_on: received,
                returned_on: returned,
                proof,
                note,
            };
            if update == DeliveryUpdate::default() {
                bail!(tr!(
                    "nothing to record: give --tracking, --presented, --received, --returned, --proof, --sent or --note",
                    "rien à enregistrer : donnez --tracking, --presented, --received, --returned, --proof, --sent ou --note"
                ));
            }
            let n = app::audit::update_notice(store, clock, actor, reference, &update).await?;
            print_notices(&[n], json)
        }
        NoticeCmd::List { debtor } => {
            let mut tx = store.begin_read().await?;
            let list = app::contract::notices(tx.as_mut(), debtor.map(DebtorId)).await?;
            print_notices(&list, json)
        }
        NoticeCmd::Import { file } => {
            let bytes = std::fs::read(&file).with_context(|| crate::cannot_read(&file))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let lines = app::audit::import_tracking(store, clock, actor, &name, &bytes).await?;
            if json {
                return print_json(&lines);
            }
            let changed = lines.iter().filter(|l| l.changed).count();
            let n = lines.len();
            println!(
                "{}",
                tr!(
                    "{name}: {n} lines, {changed} notices updated",
                    "{name} : {n} lignes, {changed} mises en demeure mises à jour"
                )
            );
            Ok(())
        }
    }
}

/// `recouvre write-off CLAIM --reason R [--amount X]`: what is open, or part of it, written
/// off with its reason (audited); the claim's status becomes `written_off` when nothing
/// remains.
pub async fn write_off(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    claim: i64,
    amount: Option<String>,
    reason: &str,
    json: bool,
) -> Result<()> {
    let id = ClaimId(claim);
    let mut tx = store.begin_read().await?;
    let c = tx
        .claim(id)
        .await?
        .with_context(|| tr!("claim {claim} not found", "créance {claim} introuvable"))?;
    drop(tx);
    let amount = amount
        .map(|a| {
            domain::Money::parse(&a, c.currency).map_err(|e| anyhow::anyhow!("--amount {a:?}: {e}"))
        })
        .transpose()?;
    let written = app::audit::write_off(store, clock, actor, id, amount, reason).await?;
    if json {
        return print_json(&serde_json::json!({ "claim": claim, "written_off": written }));
    }
    let (number, reason) = (&c.number, reason.trim());
    println!(
        "{}",
        tr!(
            "claim {number} ({claim}): {written} written off — {reason}",
            "créance {number} ({claim}) : {written} passé en perte — {reason}"
        )
    );
    Ok(())
}
