//! `recouvre template …` and `recouvre letters …`: the texts of the messages (list,
//! preview for a debtor, export to a folder to edit, a database override) and the letters
//! (the day's printable batch and its deposit list, the sender's details), on top of
//! `recouvre-comms`.

use crate::output::{print_json, table};
use anyhow::{Context, Result, bail};
use app::clock::Clock;
use app::store::Store;
use clap::Subcommand;
use comms::compose::settings;
use comms::{Lang, Part};
use domain::{Date, DebtorId, tr};
use std::path::{Path, PathBuf};

use crate::cli::parse_date;

/// A template's language, `fr` or `en`. Read as text, as the global `--lang` is: clap
/// copies a global option's value into a subcommand's option of the same name.
fn parse_lang(s: &str) -> Result<String, String> {
    Lang::from_code(s)
        .map(|l| l.code().to_string())
        .ok_or_else(|| tr!("{s:?}: fr or en", "{s:?} : fr ou en"))
}

/// The [`Lang`] of a `--lang` that [`parse_lang`] accepted.
fn template_lang(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or(Lang::Fr)
}

#[derive(Debug, Subcommand)]
pub enum TemplateCmd {
    /// Every template, its languages and parts, and where each part comes from.
    List,
    /// Render a template for a debtor as of `--as-of`: the subject, texts and SMS, or
    /// one part; `--pdf FILE` writes the letter.
    Preview {
        /// The template's name (`recouvre template list`).
        name: String,
        /// The debtor's id.
        #[arg(long)]
        debtor: i64,
        /// fr or en (default: the debtor's language).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<String>,
        /// Only this part: subject, text, html, sms, letter.
        #[arg(long)]
        part: Option<Part>,
        /// Write the letter as a PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[command(flatten)]
        rates: crate::cli::RatesArg,
    },
    /// Write every template as DIR/<lang>/<name>.toml, to edit and use with
    /// `--templates DIR`.
    Export { dir: PathBuf },
    /// Store a part of a template in the database (it then wins over files), checked
    /// first; `--reset` removes the override.
    Set {
        name: String,
        #[arg(long, value_parser = parse_lang)]
        lang: String,
        #[arg(long)]
        part: Part,
        /// The file holding the new text.
        #[arg(long, conflicts_with = "reset", required_unless_present = "reset")]
        file: Option<PathBuf>,
        #[arg(long)]
        reset: bool,
    },
}

// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum LettersCmd {
    /// The letters of the actions decided on `--date` (registered letters, formal
    /// notices, plain letters) as one printable PDF, and the CSV list for the postal
    /// bulk deposit.
    Batch {
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// Folder to write `letters-DATE.pdf` and `letters-DATE.csv` into (default: the
        /// current folder).
        #[arg(long, default_value = ".")]
        out: PathBuf,
        #[command(flatten)]
        rates: crate::cli::RatesArg,
    },
    /// Set who the letters come from, who answers, the collection agency, and the days
    /// given to pay in a formal notice. Only the options given change.
    Sender {
        #[arg(long)]
        name: Option<String>,
        /// Address lines, separated by new lines or ", ".
        #[arg(long)]
        address: Option<String>,
        /// The town letters are dated from.
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// SIREN, SIRET or VAT number printed on letters.
        #[arg(long)]
        company_id: Option<String>,
        #[arg(long)]
        collector_name: Option<String>,
        #[arg(long)]
        collector_email: Option<String>,
        #[arg(long)]
        collector_phone: Option<String>,
        #[arg(long)]
        agency_name: Option<String>,
        #[arg(long)]
        agency_address: Option<String>,
        #[arg(long)]
        agency_email: Option<String>,
        #[arg(long)]
        agency_phone: Option<String>,
        /// Days given to pay in a formal notice (default 8).
        #[arg(long)]
        notice_days: Option<u16>,
    },
}

pub async fn template(
    store: &dyn Store,
    clock: &dyn Clock,
    dir: Option<&Path>,
    cmd: TemplateCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        TemplateCmd::List => {
            let t = comms::admin::load_templates(store, dir).await?;
            let list = t.list();
            if json {
                return print_json(&list);
            }
            let mut out = table(&[
                &tr!("template", "modèle"),
                &tr!("lang", "langue"),
                &tr!("parts (* = overridden)", "parties (* = remplacée)"),
            ]);
            for info in &list {
                out.add_row(vec![
                    info.name.clone(),
                    info.lang.to_string(),
                    info.parts_summary(),
                ]);
            }
            println!("{out}");
        }
        TemplateCmd::Preview {
            name,
            debtor,
            lang,
            part,
            pdf,
            rates,
        } => {
            let rates = crate::rate_tables(&rates)?;
            let comms = comms::admin::load(store, dir, rates).await?;
            let lang = lang.as_deref().map(template_lang);
            let c =
                comms::compose_preview(store, &comms, &name, DebtorId(debtor), lang, clock.today())
                    .await?;
            if let Some(path) = &pdf {
                let bytes = c.letter_pdf()?;
                let shown = path.display();
                std::fs::write(path, bytes)
                    .with_context(|| tr!("cannot write {shown}", "impossible d'écrire {shown}"))?;
                eprintln!(
                    "{}",
                    tr!("letter written: {shown}", "lettre écrite : {shown}")
                );
            }
            if json {
                return print_json(&c);
            }
            let sms = c.sms.clone().unwrap_or_default();
            match part {
                Some(Part::Subject) => println!("{}", c.subject),
                Some(Part::Text) => println!("{}", c.text),
                Some(Part::Html) => println!("{}", c.html),
                Some(Part::Sms) => println!("{sms}"),
                Some(Part::Letter) => println!("{}", c.letter),
                None if pdf.is_some() => {}
                None => {
                    println!("[{} · {}] {}\n", c.template, c.lang, c.subject);
                    println!("{}", c.text);
                    if !sms.is_empty() {
                        let n = sms.chars().count();
                        println!(
                            "\n{}\n{sms}",
                            tr!(
                                "--- SMS ({n} characters) ---",
                                "--- SMS ({n} caractères) ---"
                            )
                        );
                    }
                    for w in &c.warnings {
                        eprintln!("{}", tr!("warning: {w}", "attention : {w}"));
                    }
                }
            }
        }
        TemplateCmd::Export { dir: out } => {
            let t = comms::admin::load_templates(store, dir).await?;
            let n = t.export(&out)?;
            let shown = out.display();
            println!(
                "{}",
                tr!(
                    "{n} template files written to {shown}",
                    "{n} fichiers de modèles écrits dans {shown}"
                )
            );
        }
        TemplateCmd::Set {
            name,
            lang,
            part,
            file,
            reset,
        } => {
            let source = match (&file, reset) {
                (Some(f), false) => Some(std::fs::read_to_string(f).with_context(|| {
                    let shown = f.display();
                    tr!("{shown}: cannot read", "{shown} : illisible")
                })?),
                (None, true) => None,
                _ => bail!(tr!(
                    "give --file FILE or --reset",
                    "donnez --file FICHIER ou --reset"
                )),
            };
            let lang = template_lang(&lang);
            comms::admin::put_template(
                store,
                clock,
                &crate::cli_actor(),
                dir,
                &name,
                lang,
                part,
                source.as_deref(),
            )
            .await?;
            println!(
                "{}",
                tr!(
                    "template {name}.{lang}.{part} saved",
                    "modèle {name}.{lang}.{part} enregistré"
                )
            );
        }
    }
    Ok(())
}

pub async fn letters(
    store: &dyn Store,
    clock: &dyn Clock,
    dir: Option<&Path>,
    cmd: LettersCmd,
    json: bool,
) -> Result<()> {
    match cmd {
        LettersCmd::Batch { date, out, rates } => {
            let rates = crate::rate_tables(&rates)?;
            let comms = comms::admin::load(store, dir, rates).await?;
            let batch = comms::batch::letters_batch(store, &comms, date, clock.today()).await?;
            let cannot_write = |p: &Path| {
                let shown = p.display();
                tr!("cannot write {shown}", "impossible d'écrire {shown}")
            };
            std::fs::create_dir_all(&out).with_context(|| {
                let shown = out.display();
                tr!("cannot create {shown}", "impossible de créer {shown}")
            })?;
            let csv_path = out.join(format!("letters-{date}.csv"));
            std::fs::write(&csv_path, batch.csv()).with_context(|| cannot_write(&csv_path))?;
            let pdf_path = out.join(format!("letters-{date}.pdf"));
            if !batch.pdf.is_empty() {
                std::fs::write(&pdf_path, &batch.pdf).with_context(|| cannot_write(&pdf_path))?;
            }
            let refused = batch.refused.len();
            if json {
                print_json(&serde_json::json!({
                    "lines": batch.lines,
                    "refused": batch.refused,
                }))?;
            } else {
                let mut t = table(&[
                    "#",
                    "service",
                    &tr!("reference", "référence"),
                    &tr!("recipient", "destinataire"),
                    &tr!("postcode", "code postal"),
                    &tr!("city", "ville"),
                    &tr!("claimed", "réclamé"),
                ]);
                for l in &batch.lines {
                    t.add_row(vec![
                        l.sequence.to_string(),
                        l.service.to_string(),
                        l.reference.clone(),
                        l.recipient.clone(),
                        l.postcode.clone(),
                        l.city.clone(),
                        l.amount_claimed.clone(),
                    ]);
                }
                println!("{t}");
                if batch.lines.is_empty() {
                    println!("{}", tr!("no letter on {date}", "aucune lettre le {date}"));
                } else {
                    let (n, pdf, csv) = (batch.lines.len(), pdf_path.display(), csv_path.display());
                    println!(
                        "{}",
                        tr!(
                            "{n} letter(s): {pdf} and {csv}",
                            "{n} lettre(s) : {pdf} et {csv}"
                        )
                    );
                }
                for r in &batch.refused {
                    let (action, debtor, template, reason) =
                        (r.action_id, r.debtor_id, &r.template, &r.reason);
                    eprintln!(
                        "{}",
                        tr!(
                            "refused: action {action} (debtor {debtor}, {template}): {reason}",
                            "refusée : action {action} (débiteur {debtor}, {template}) : {reason}"
                        )
                    );
                }
            }
            // The others are written; a non-zero status tells a script some were not.
            if refused > 0 {
                bail!(tr!(
                    "{refused} letter(s) refused, left out of the batch",
                    "{refused} lettre(s) refusée(s), absente(s) du lot"
                ));
            }
        }
        LettersCmd::Sender {
            name,
            address,
            city,
            email,
            phone,
            company_id,
            collector_name,
            collector_email,
            collector_phone,
            agency_name,
            agency_address,
            agency_email,
            agency_phone,
            notice_days,
        } => {
            let changes: Vec<(&str, String)> = [
                (settings::SENDER_NAME, name),
                (settings::SENDER_ADDRESS, address),
                (settings::SENDER_CITY, city),
                (settings::SENDER_EMAIL, email),
                (settings::SENDER_PHONE, phone),
                (settings::SENDER_COMPANY_ID, company_id),
                (settings::COLLECTOR_NAME, collector_name),
                (settings::COLLECTOR_EMAIL, collector_email),
                (settings::COLLECTOR_PHONE, collector_phone),
                (settings::AGENCY_NAME, agency_name),
                (settings::AGENCY_ADDRESS, agency_address),
                (settings::AGENCY_EMAIL, agency_email),
                (settings::AGENCY_PHONE, agency_phone),
                (settings::NOTICE_DAYS, notice_days.map(|d| d.to_string())),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
            if changes.is_empty() {
                let mut tx = store.begin().await?;
                let mut t = table(&[&tr!("setting", "réglage"), &tr!("value", "valeur")]);
                for key in settings::ALL {
                    t.add_row(vec![
                        key.to_string(),
                        tx.setting(key).await?.unwrap_or_default(),
                    ]);
                }
                println!("{t}");
                return Ok(());
            }
            comms::admin::set_settings(store, clock, &crate::cli_actor(), &changes).await?;
            let n = changes.len();
            println!(
                "{}",
                tr!("{n} setting(s) saved", "{n} réglage(s) enregistré(s)")
            );
        }
    }
    Ok(())
}
