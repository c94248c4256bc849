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
use domain::{Date, DebtorId};
use std::path::{Path, PathBuf};

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("{s:?} is not a date (YYYY-MM-DD) / n'est pas une date : {e}"))
}

/// A template's language, `fr` or `en`. Read as text, as the global `--lang` is: clap
/// copies a global option's value into a subcommand's option of the same name.
fn parse_lang(s: &str) -> Result<String, String> {
    Lang::from_code(s)
        .map(|l| l.code().to_string())
        .ok_or_else(|| format!("{s:?}: fr or en"))
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
            let mut out = table(&["template", "lang", "parts (* = overridden / remplacée)"]);
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
                std::fs::write(path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("letter written / lettre écrite : {}", path.display());
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
                        println!(
                            "\n--- SMS ({} characters / caractères) ---\n{sms}",
                            sms.chars().count()
                        );
                    }
                    for w in &c.warnings {
                        eprintln!("warning / attention : {w}");
                    }
                }
            }
        }
        TemplateCmd::Export { dir: out } => {
            let t = comms::admin::load_templates(store, dir).await?;
            let n = t.export(&out)?;
            println!(
                "{n} template files written to / fichiers de modèles écrits dans {}",
                out.display()
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
                (Some(f), false) => Some(
                    std::fs::read_to_string(f)
                        .with_context(|| format!("{}: cannot read / illisible", f.display()))?,
                ),
                (None, true) => None,
                _ => bail!("give --file FILE or --reset"),
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
            println!("template {name}.{lang}.{part} saved / enregistré");
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
            std::fs::create_dir_all(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let csv_path = out.join(format!("letters-{date}.csv"));
            std::fs::write(&csv_path, batch.csv())
                .with_context(|| format!("cannot write {}", csv_path.display()))?;
            let pdf_path = out.join(format!("letters-{date}.pdf"));
            if !batch.pdf.is_empty() {
                std::fs::write(&pdf_path, &batch.pdf)
                    .with_context(|| format!("cannot write {}", pdf_path.display()))?;
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
                    "reference",
                    "recipient",
                    "postcode",
                    "city",
                    "claimed",
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
                    println!("no letter on {date} / aucune lettre le {date}");
                } else {
                    println!(
                        "{} letter(s) / lettre(s): {} and {}",
                        batch.lines.len(),
                        pdf_path.display(),
                        csv_path.display()
                    );
                }
                for r in &batch.refused {
                    eprintln!(
                        "refused / refusée : action {} (debtor / débiteur {}, {}): {}",
                        r.action_id, r.debtor_id, r.template, r.reason
                    );
                }
            }
            // The others are written; a non-zero status tells a script some were not.
            if refused > 0 {
                bail!(
                    "{refused} letter(s) refused, left out of the batch / lettre(s) refusée(s), absente(s) du lot"
                );
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
                let mut t = table(&["setting", "value"]);
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
            println!(
                "{} setting(s) saved / réglage(s) enregistré(s)",
                changes.len()
            );
        }
    }
    Ok(())
}
