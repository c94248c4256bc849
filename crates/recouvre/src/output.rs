//! What the CLI prints: tables for people (English and French headings), JSON for
//! machines, progress bars for anything long.

use anyhow::Result;
use app::import::ImportReport;
use app::queries::{ClaimDetail, ClaimLine, DebtorDetail, DebtorLine, Summary};
use app::store::MigrationState;
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use domain::money::Money;
use domain::{ClaimStatus, Date};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::time::Duration;

fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(headers.iter().map(|h| Cell::new(*h)));
    t
}

fn right(text: impl ToString) -> Cell {
    Cell::new(text.to_string()).set_alignment(CellAlignment::Right)
}

/// `12 345.67 EUR`: thousands grouped for the eye, the decimal point kept unambiguous.
pub fn money(m: Money) -> String {
    let raw = m.amount_string();
    let (sign, digits) = raw
        .strip_prefix('-')
        .map_or(("", raw.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    format!("{sign}{grouped}{frac} {}", m.currency().code())
}

fn moneys(list: &[Money]) -> String {
    if list.is_empty() {
        "0".into()
    } else {
        list.iter()
            .map(|m| money(*m))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

fn status(s: ClaimStatus) -> String {
    match s {
        ClaimStatus::NotDue => "not due / non échue".into(),
        ClaimStatus::Overdue { days } => format!("{days} d late / j de retard"),
        ClaimStatus::Settled => "settled / soldée".into(),
        ClaimStatus::WrittenOff => "written off / passée en perte".into(),
        ClaimStatus::Credit => "credit / avoir".into(),
    }
}

pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_message(message.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A progress bar the app layer can drive.
#[derive(Debug)]
pub struct Progress(ProgressBar);

impl Progress {
    pub fn new(total: u64, message: &str) -> Self {
        let pb = ProgressBar::new(total);
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(message.to_string());
        Self(pb)
    }
}

impl app::portfolio::ProgressSink for Progress {
    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub fn import_report(r: &ImportReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    if let Some(at) = &r.already_imported_at {
        println!(
            "{}: this exact file was already imported on {at}; nothing changed.",
            r.file_name
        );
        println!(
            "{} : ce fichier a déjà été importé le {at} ; rien n'a changé.",
            r.file_name
        );
        return Ok(());
    }
    let mut t = table(&[
        "",
        "created / créés",
        "updated / modifiés",
        "unchanged / inchangés",
    ]);
    t.add_row(vec![
        Cell::new("debtors / débiteurs"),
        right(r.debtors_created),
        right(r.debtors_updated),
        right(""),
    ]);
    t.add_row(vec![
        Cell::new("claims / créances"),
        right(r.claims_created),
        right(r.claims_updated),
        right(r.claims_unchanged),
    ]);
    println!(
        "{}: {} rows read, {} ledger entries posted",
        r.file_name, r.rows, r.entries_posted
    );
    println!("{t}");
    Ok(())
}

pub fn debtors(lines: &[DebtorLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        "id",
        "ref",
        "name / nom",
        "ctry",
        "seg",
        "open / en cours",
        "overdue / échu",
        "oldest / plus ancien",
    ]);
    for l in lines {
        t.add_row(vec![
            right(l.id),
            Cell::new(&l.external_id),
            Cell::new(&l.name),
            Cell::new(&l.country),
            Cell::new(l.segment),
            right(moneys(&l.open)),
            right(moneys(&l.overdue)),
            right(if l.oldest_days_late > 0 {
                format!("{} d/j", l.oldest_days_late)
            } else {
                String::new()
            }),
        ]);
    }
    println!("Debtors as of {as_of} / Débiteurs au {as_of}");
    println!("{t}");
    Ok(())
}

pub fn claims(lines: &[ClaimLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        "id",
        "number / n°",
        "debtor / débiteur",
        "issued / émise",
        "due / échéance",
        "open / reste dû",
        "status / statut",
    ]);
    for l in lines {
        t.add_row(vec![
            right(l.id),
            Cell::new(&l.number),
            Cell::new(&l.debtor_name),
            Cell::new(l.issue_date),
            Cell::new(l.due_date),
            right(money(l.open)),
            Cell::new(status(l.status)),
        ]);
    }
    println!("Claims as of {as_of} / Créances au {as_of}");
    println!("{t}");
    Ok(())
}

pub fn debtor_detail(d: &DebtorDetail, as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(d);
    }
    let x = &d.debtor;
    println!(
        "{} — {} ({}, {}, {}, {})",
        x.external_id, x.name, x.kind, x.segment, x.country, x.language
    );
    for c in &x.contacts {
        println!("  {}: {}", c.kind, c.value);
    }
    if !x.tags.is_empty() {
        println!("  tags: {}", x.tags.join(", "));
    }
    println!(
        "Open / en cours: {}   Overdue / échu: {}",
        moneys(&d.line.open),
        moneys(&d.line.overdue)
    );
    claims(&d.claims, as_of, false)
}

pub fn claim_detail(d: &ClaimDetail, as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(d);
    }
    let c = &d.claim;
    println!(
        "Claim / créance {} (id {}) — {} ({})",
        c.number, c.id, d.debtor.name, c.nature
    );
    println!(
        "Issued / émise {}   due / échéance {}   as of / au {as_of}",
        c.issue_date, c.due_date
    );
    println!(
        "Principal: {}   open / reste dû: {}   {}",
        money(d.principal),
        money(d.open),
        status(d.status)
    );
    let mut t = table(&[
        "#",
        "date",
        "kind / nature",
        "amount / montant",
        "reverses / annule",
        "reference",
    ]);
    for e in d.ledger.entries() {
        t.add_row(vec![
            right(e.seq),
            Cell::new(e.date),
            Cell::new(e.kind),
            right(money(Money::from_minor(e.amount_minor, c.currency))),
            right(e.reverses.map(|s| s.to_string()).unwrap_or_default()),
            Cell::new(e.reference.as_deref().unwrap_or("")),
        ]);
    }
    println!("{t}");
    Ok(())
}

pub fn summary(s: &Summary, json: bool) -> Result<()> {
    if json {
        return print_json(s);
    }
    println!("Portfolio as of {} / Portefeuille au {}", s.as_of, s.as_of);
    println!(
        "{} debtors / débiteurs, {} claims / créances; {} open claims, {} overdue",
        s.counts.debtors,
        s.counts.claims,
        s.aged.open_claims(),
        s.aged.overdue_claims()
    );
    println!("Open / en cours:  {}", moneys(&s.open));
    println!("Overdue / échu:   {}\n", moneys(&s.overdue));
    let currencies: Vec<_> = s.open.iter().map(|m| m.currency()).collect();
    let mut headers = vec![
        "age / ancienneté".to_string(),
        "claims / créances".to_string(),
    ];
    headers.extend(currencies.iter().map(|c| c.code().to_string()));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = table(&header_refs);
    for (i, row) in s.aged.rows.iter().enumerate() {
        let label = if i == 0 {
            "not due / non échu".to_string()
        } else {
            format!("{} d/j", row.label)
        };
        let mut cells = vec![Cell::new(label), right(row.claims)];
        cells.extend(currencies.iter().map(|&c| right(money(row.amount.get(c)))));
        t.add_row(cells);
    }
    println!("Aged balance / balance âgée");
    println!("{t}\n");
    let mut t = table(&[
        "id",
        "debtor / débiteur",
        "ctry",
        "overdue / échu",
        "claims / créances",
        "oldest / plus ancien",
    ]);
    for l in &s.top_overdue {
        t.add_row(vec![
            right(l.id),
            Cell::new(&l.name),
            Cell::new(&l.country),
            right(moneys(&l.overdue)),
            right(l.overdue_claims),
            right(format!("{} d/j", l.oldest_days_late)),
        ]);
    }
    println!("Largest overdue debtors / plus gros débiteurs en retard");
    println!("{t}");
    Ok(())
}

pub fn migrations(list: &[MigrationState], json: bool) -> Result<()> {
    if json {
        return print_json(list);
    }
    let mut t = table(&["version", "name / nom", "applied / appliquée"]);
    for m in list {
        t.add_row(vec![
            right(m.version),
            Cell::new(&m.name),
            Cell::new(m.applied_at.as_deref().unwrap_or("pending / en attente")),
        ]);
    }
    println!("{t}");
    Ok(())
}
