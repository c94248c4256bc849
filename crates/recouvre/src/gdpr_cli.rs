//! `recouvre gdpr`: the personal data of debtors (GDPR) on top of `app::gdpr` — the export
//! for an access request (JSON, PDF), the retention settings with their legal basis, what
//! is due for erasure, the erasure requests and their approval (every change and every
//! export audited through `app::gdpr`).

use crate::output::{print_json, table};
use anyhow::{Context, Result, bail};
use app::audit::Actor;
use app::clock::Clock;
use app::gdpr::{self, Approval, RetentionChange};
use app::store::{ErasureState, Store};
use clap::Subcommand;
use comfy_table::Cell;
use domain::DebtorId;
use domain::tr;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum GdprCmd {
    /// Everything held on one debtor, for an access request: JSON on stdout (or --out),
    /// and a readable PDF with --pdf; audited.
    Export {
        /// The debtor's id.
        debtor: i64,
        /// Write the JSON to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// The PDF's language (default: the debtor's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// The retention periods and their legal basis; with options, change them (audited).
    Retention {
        /// Archive after closure, business debtors (years, 0 to 5).
        #[arg(long)]
        b2b_years: Option<i16>,
        /// Archive after closure, consumers (years, 0 to 2).
        #[arg(long)]
        b2c_years: Option<i16>,
        /// Accounting documents from the financial year's close (years, 10 to 30).
        #[arg(long)]
        accounting_years: Option<i16>,
        /// The financial year's last day, MM-DD.
        #[arg(long)]
        year_end: Option<String>,
    },
    /// The debtors due for erasure as of --as-of, with why and since when.
    Due,
    /// The daily job by hand: record an erasure request for each debtor due (audited).
    Propose,
    /// The erasure requests (all, or in one state).
    Requests {
        #[arg(long)]
        state: Option<String>,
    },
    /// Approve erasure requests: each debtor still due is erased at once (audited).
    Approve {
        /// The request's id (or --all).
        id: Option<i64>,
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
    /// Erase one debtor now if it is due (refused with the reasons otherwise; audited).
    Erase {
        /// The debtor's id.
        debtor: i64,
    },
}

pub async fn gdpr(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    cmd: GdprCmd,
    json: bool,
) -> Result<()> {
    let lang = domain::lang::current();
    match cmd {
        GdprCmd::Export {
            debtor,
            out,
            pdf,
            lang: pdf_lang,
        } => {
            let data = gdpr::export(store, clock, actor, DebtorId(debtor)).await?;
            let text = serde_json::to_string_pretty(&data)?;
            match &out {
                Some(path) => std::fs::write(path, text.as_bytes()).with_context(|| {
                    tr!("cannot write {}", "impossible d'écrire {}", path.display())
                })?,
                None if pdf.is_none() => println!("{text}"),
                None => {}
            }
            if let Some(path) = &pdf {
                let l = match pdf_lang.as_deref() {
                    Some(code) => comms::fmt::Lang::from_code(code).with_context(|| {
                        tr!(
                            "--lang: fr or en, not {code:?}",
                            "--lang : fr ou en, pas {code:?}"
                        )
                    })?,
                    None => {
                        comms::fmt::Lang::for_debtor(&data.debtor.language, &data.debtor.country)
                    }
                };
                let bytes = comms::personal_data::render(&data, l)?;
                std::fs::write(path, bytes).with_context(|| {
                    tr!("cannot write {}", "impossible d'écrire {}", path.display())
                })?;
            }
            if out.is_some() || pdf.is_some() {
                eprintln!(
                    "{}",
                    tr!(
                        "debtor {debtor} exported: {} claims, {} contacts (audited)",
                        "débiteur {debtor} exporté : {} créances, {} coordonnées (audité)",
                        data.claims.len(),
                        data.contacts.len()
                    )
                );
            }
            Ok(())
        }
        GdprCmd::Retention {
            b2b_years,
            b2c_years,
            accounting_years,
            year_end,
        } => {
            let change = RetentionChange {
                b2b_years,
                b2c_years,
                accounting_years,
                year_end,
            };
            let r = if change.is_empty() {
                let mut tx = store.begin_read().await?;
                gdpr::retention(tx.as_mut()).await?
            } else {
                gdpr::set_retention(store, clock, actor, &change).await?
            };
            let rules = gdpr::rules(&r);
            if json {
                return print_json(&rules);
            }
            let mut t = table(&[
                &tr!("setting", "réglage"),
                &tr!("value", "valeur"),
                &tr!("default", "défaut"),
                &tr!("legal basis", "base légale"),
            ]);
            for rule in &rules {
                t.add_row(vec![
                    Cell::new(rule.label(lang)),
                    Cell::new(&rule.value),
                    Cell::new(&rule.default),
                    Cell::new(rule.basis(lang)),
                ]);
            }
            println!("{t}");
            println!(
                "{}",
                domain::lang::tr(gdpr::ACTIVE_FILE_EN, gdpr::ACTIVE_FILE_FR)
            );
            Ok(())
        }
        GdprCmd::Due => {
            let mut tx = store.begin_read().await?;
            let due = gdpr::due(tx.as_mut(), clock.today()).await?;
            drop(tx);
            if json {
                return print_json(&due);
            }
            let mut t = table(&[
                &tr!("debtor", "débiteur"),
                &tr!("name", "nom"),
                &tr!("due since", "dû depuis"),
                &tr!("why", "pourquoi"),
            ]);
            for a in &due {
                t.add_row(vec![
                    Cell::new(a.debtor),
                    Cell::new(&a.name),
                    Cell::new(a.due_on.map_or_else(String::new, |d| d.to_string())),
                    Cell::new(a.reason(lang)),
                ]);
            }
            println!("{t}");
            println!(
                "{}",
                tr!(
                    "{} debtor(s) due for erasure on {}",
                    "{} débiteur(s) à effacer au {}",
                    due.len(),
                    clock.today()
                )
            );
            Ok(())
        }
        GdprCmd::Propose => {
            let p = gdpr::propose_due(store, clock, actor).await?;
            if json {
                return print_json(&p);
            }
            println!(
                "{}",
                tr!(
                    "{} proposed, {} withdrawn, {} waiting for approval",
                    "{} proposées, {} retirées, {} en attente d'approbation",
                    p.proposed.len(),
                    p.withdrawn.len(),
                    p.waiting
                )
            );
            Ok(())
        }
        GdprCmd::Requests { state } => {
            let state = state
                .as_deref()
                .map(str::parse::<ErasureState>)
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let mut tx = store.begin_read().await?;
            let list = gdpr::requests(tx.as_mut(), state).await?;
            drop(tx);
            if json {
                return print_json(&list);
            }
            let mut t = table(&[
                "id",
                &tr!("debtor", "débiteur"),
                &tr!("state", "état"),
                &tr!("closed on", "clos le"),
                &tr!("due on", "dû le"),
                &tr!("proposed", "proposé"),
                &tr!("decided by", "décidé par"),
                &tr!("pseudonym", "pseudonyme"),
            ]);
            for r in &list {
                t.add_row(vec![
                    Cell::new(r.id),
                    Cell::new(r.debtor_id),
                    Cell::new(r.state),
                    Cell::new(r.closed_on),
                    Cell::new(r.due_on),
                    Cell::new(format!("{} ({})", r.proposed_on, r.proposed_by)),
                    Cell::new(r.decided_by.as_deref().unwrap_or("—")),
                    Cell::new(r.pseudonym.as_deref().unwrap_or("—")),
                ]);
            }
            println!("{t}");
            Ok(())
        }
        GdprCmd::Approve { id, all } => {
            let approvals = match (id, all) {
                (Some(id), false) => vec![gdpr::approve(store, clock, actor, id).await?],
                (None, true) => gdpr::approve_all(store, clock, actor).await?,
                _ => bail!(tr!(
                    "give a request's id or --all",
                    "donner l'id d'une demande ou --all"
                )),
            };
            if json {
                return print_json(&approvals);
            }
            for a in &approvals {
                match a {
                    Approval::Erased(e) => println!("{}", erased_line(e)),
                    Approval::Withdrawn { request, blockers } => println!(
                        "{}",
                        tr!(
                            "request {} withdrawn, debtor {} no longer due: {}",
                            "demande {} retirée, le débiteur {} n'est plus à effacer : {}",
                            request.id,
                            request.debtor_id,
                            blockers
                                .iter()
                                .map(|b| b.text(lang))
                                .collect::<Vec<_>>()
                                .join("; ")
                        )
                    ),
                }
            }
            if approvals.is_empty() {
                println!("{}", tr!("nothing to approve", "rien à approuver"));
            }
            Ok(())
        }
        GdprCmd::Erase { debtor } => {
            let e = gdpr::erase(store, clock, actor, DebtorId(debtor)).await?;
            if json {
                return print_json(&e);
            }
            println!("{}", erased_line(&e));
            Ok(())
        }
    }
}

fn erased_line(e: &gdpr::Erasure) -> String {
    tr!(
        "debtor {} erased as {} ({} rows; closed on {}, due on {}; audited)",
        "débiteur {} effacé en {} ({} lignes ; clos le {}, à effacer le {} ; audité)",
        e.debtor,
        e.pseudonym,
        e.rows,
        e.closed_on,
        e.due_on
    )
}
