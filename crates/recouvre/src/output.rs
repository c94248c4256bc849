//! What the CLI prints: tables for people, in the language the CLI speaks (`--lang`,
//! `domain::tr!`), JSON for machines (the same in both languages: codes and values, no
//! sentences), progress bars for anything long.

use anyhow::Result;
use app::import::ImportReport;
use app::queries::{ClaimDetail, ClaimLine, DebtorDetail, DebtorLine, Summary};
use app::store::MigrationState;
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use domain::money::Money;
use domain::{ClaimStatus, Date, tr};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::time::Duration;

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Whether the CLI speaks French (`--lang fr`), for what takes the language as a flag.
pub fn french() -> bool {
    domain::lang::current() == Some(domain::lang::Lang::Fr)
}

/// `12 d` or `12 j`: days.
fn days(n: impl std::fmt::Display) -> String {
    tr!("{n} d", "{n} j")
}

/// `yes` or `oui`.
pub fn yes() -> String {
    tr!("yes", "oui")
}

/// `no` or `non`.
pub fn no() -> String {
    tr!("no", "non")
}

pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(headers.iter().map(|h| Cell::new(*h)));
    t
}

pub fn right(text: impl ToString) -> Cell {
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
        ClaimStatus::NotDue => tr!("not due", "non échue"),
        ClaimStatus::Overdue { days } => tr!("{days} d late", "{days} j de retard"),
        ClaimStatus::Settled => tr!("settled", "soldée"),
        ClaimStatus::WrittenOff => tr!("written off", "passée en perte"),
        ClaimStatus::Credit => tr!("credit", "avoir"),
    }
}

pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_message(message.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A spinner that also shows how many rows (or transactions) an import has written, read
/// from `progress` while it runs; [`Following::finish`] clears it.
pub fn follow(message: &str, progress: std::sync::Arc<app::jobs::Progress>) -> Following {
    let bar = spinner(message);
    let (shown, message) = (bar.clone(), message.to_string());
    let task = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let (done, total) = progress.get();
            if total > 0 {
                shown.set_message(format!("{message}: {done}/{total}"));
            }
        }
    });
    Following { bar, task }
}

/// A running [`follow`].
#[derive(Debug)]
pub struct Following {
    bar: ProgressBar,
    task: tokio::task::JoinHandle<()>,
}

impl Following {
    pub fn finish(self) {
        self.task.abort();
        self.bar.finish_and_clear();
    }
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
    let name = &r.file_name;
    if let Some(at) = &r.already_imported_at {
        println!(
            "{}",
            tr!(
                "{name}: this exact file was already imported on {at}; nothing changed.",
                "{name} : ce fichier a déjà été importé le {at} ; rien n'a changé."
            )
        );
        return Ok(());
    }
    let mut t = table(&[
        "",
        &tr!("created", "créés"),
        &tr!("updated", "modifiés"),
        &tr!("unchanged", "inchangés"),
    ]);
    t.add_row(vec![
        Cell::new(tr!("debtors", "débiteurs")),
        right(r.debtors_created),
        right(r.debtors_updated),
        right(""),
    ]);
    t.add_row(vec![
        Cell::new(tr!("claims", "créances")),
        right(r.claims_created),
        right(r.claims_updated),
        right(r.claims_unchanged),
    ]);
    let (rows, entries) = (r.rows, r.entries_posted);
    println!(
        "{}",
        tr!(
            "{name}: {rows} rows read, {entries} ledger entries posted",
            "{name} : {rows} lignes lues, {entries} écritures passées"
        )
    );
    println!("{t}");
    if r.settlements_posted > 0 {
        let n = r.settlements_posted;
        println!(
            "{}",
            tr!(
                "settlements posted from paid_date: {n}",
                "règlements enregistrés d'après paid_date : {n}"
            )
        );
    }
    if !r.terms_warnings.is_empty() {
        let n = r.terms_warnings.len();
        println!(
            "{}",
            tr!(
                "{n} rows imported with payment terms beyond the legal caps:",
                "{n} lignes importées dont le délai de paiement dépasse le plafond légal :"
            )
        );
        for w in &r.terms_warnings {
            println!("  {}", w.text(french()));
        }
    }
    Ok(())
}

pub fn debtors(lines: &[DebtorLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        "id",
        "ref",
        &tr!("name", "nom"),
        &tr!("ctry", "pays"),
        "seg",
        &tr!("open", "en cours"),
        &tr!("overdue", "échu"),
        &tr!("oldest", "plus ancien"),
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
                days(l.oldest_days_late)
            } else {
                String::new()
            }),
        ]);
    }
    println!("{}", tr!("Debtors as of {as_of}", "Débiteurs au {as_of}"));
    println!("{t}");
    Ok(())
}

pub fn claims(lines: &[ClaimLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        "id",
        &tr!("number", "n°"),
        &tr!("debtor", "débiteur"),
        &tr!("issued", "émise"),
        &tr!("due", "échéance"),
        &tr!("open", "reste dû"),
        &tr!("status", "statut"),
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
    println!("{}", tr!("Claims as of {as_of}", "Créances au {as_of}"));
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
    let (open, overdue) = (moneys(&d.line.open), moneys(&d.line.overdue));
    println!(
        "{}",
        tr!(
            "Open: {open}   Overdue: {overdue}",
            "En cours : {open}   Échu : {overdue}"
        )
    );
    claims(&d.claims, as_of, false)
}

pub fn claim_detail(d: &ClaimDetail, as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(d);
    }
    let c = &d.claim;
    let (number, id, debtor, nature) = (&c.number, c.id, &d.debtor.name, c.nature);
    println!(
        "{}",
        tr!(
            "Claim {number} (id {id}) — {debtor} ({nature})",
            "Créance {number} (id {id}) — {debtor} ({nature})"
        )
    );
    let (issued, due) = (c.issue_date, c.due_date);
    println!(
        "{}",
        tr!(
            "Issued {issued}   due {due}   as of {as_of}",
            "Émise le {issued}   échéance {due}   au {as_of}"
        )
    );
    let (principal, open, status) = (money(d.principal), money(d.open), status(d.status));
    println!(
        "{}",
        tr!(
            "Principal: {principal}   open: {open}   {status}",
            "Principal : {principal}   reste dû : {open}   {status}"
        )
    );
    if let Some(check) = &d.terms {
        terms_check(check);
    }
    let mut t = table(&[
        "#",
        "date",
        &tr!("kind", "nature"),
        &tr!("amount", "montant"),
        &tr!("reverses", "annule"),
        &tr!("reference", "référence"),
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

/// A claim's term against the French caps on B2B payment terms.
fn terms_check(check: &domain::law::TermsCheck) {
    if check.compliant {
        let latest = check.latest_lawful_due_date;
        println!(
            "{}",
            tr!(
                "Payment term within the legal caps (latest lawful due date: {latest})",
                "Délai de paiement conforme (échéance maximale : {latest})"
            )
        );
        return;
    }
    println!(
        "{}",
        tr!(
            "Payment term beyond the legal caps:",
            "Délai de paiement hors plafond légal :"
        )
    );
    for b in &check.breaches {
        println!("  {}", b.text.tr());
    }
}

pub fn summary(s: &Summary, json: bool) -> Result<()> {
    if json {
        return print_json(s);
    }
    let as_of = s.as_of;
    println!(
        "{}",
        tr!("Portfolio as of {as_of}", "Portefeuille au {as_of}")
    );
    let (debtors, claims) = (s.counts.debtors, s.counts.claims);
    let (open, overdue) = (s.aged.open_claims(), s.aged.overdue_claims());
    println!(
        "{}",
        tr!(
            "{debtors} debtors, {claims} claims; {open} open claims, {overdue} overdue",
            "{debtors} débiteurs, {claims} créances ; {open} créances ouvertes, {overdue} échues"
        )
    );
    let (open, overdue) = (moneys(&s.open), moneys(&s.overdue));
    println!("{}", tr!("Open:     {open}", "En cours : {open}"));
    println!("{}\n", tr!("Overdue:  {overdue}", "Échu :     {overdue}"));
    let currencies: Vec<_> = s.open.iter().map(|m| m.currency()).collect();
    let mut headers = vec![tr!("age", "ancienneté"), tr!("claims", "créances")];
    headers.extend(currencies.iter().map(|c| c.code().to_string()));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = table(&header_refs);
    for (i, row) in s.aged.rows.iter().enumerate() {
        let label = if i == 0 {
            tr!("not due", "non échu")
        } else {
            tr!("{} d", "{} j", row.label)
        };
        let mut cells = vec![Cell::new(label), right(row.claims)];
        cells.extend(currencies.iter().map(|&c| right(money(row.amount.get(c)))));
        t.add_row(cells);
    }
    println!("{}", tr!("Aged balance", "Balance âgée"));
    println!("{t}\n");
    let mut t = table(&[
        "id",
        &tr!("debtor", "débiteur"),
        &tr!("ctry", "pays"),
        &tr!("overdue", "échu"),
        &tr!("claims", "créances"),
        &tr!("oldest", "plus ancien"),
    ]);
    for l in &s.top_overdue {
        t.add_row(vec![
            right(l.id),
            Cell::new(&l.name),
            Cell::new(&l.country),
            right(moneys(&l.overdue)),
            right(l.overdue_claims),
            right(days(l.oldest_days_late)),
        ]);
    }
    println!(
        "{}",
        tr!("Largest overdue debtors", "Plus gros débiteurs en retard")
    );
    println!("{t}");
    Ok(())
}

pub fn migrations(list: &[MigrationState], json: bool) -> Result<()> {
    if json {
        return print_json(list);
    }
    let mut t = table(&["version", &tr!("name", "nom"), &tr!("applied", "appliquée")]);
    for m in list {
        t.add_row(vec![
            right(m.version),
            Cell::new(&m.name),
            Cell::new(
                m.applied_at
                    .clone()
                    .unwrap_or_else(|| tr!("pending", "en attente")),
            ),
        ]);
    }
    println!("{t}");
    Ok(())
}

pub fn copy_report(r: &app::copy::CopyReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let mut t = table(&["", "source", &tr!("target", "cible")]);
    for (label, a, b) in [
        (
            tr!("creditors", "créanciers"),
            r.source.creditors,
            r.target.creditors,
        ),
        (
            tr!("debtors", "débiteurs"),
            r.source.debtors,
            r.target.debtors,
        ),
        (tr!("claims", "créances"), r.source.claims, r.target.claims),
        (
            tr!("ledger entries", "écritures"),
            r.source.ledger_entries,
            r.target.ledger_entries,
        ),
        ("actions".to_string(), r.source.actions, r.target.actions),
        (
            tr!("agreements", "accords"),
            r.source.agreements,
            r.target.agreements,
        ),
        (
            tr!("bank payments", "paiements"),
            r.source.bank_payments,
            r.target.bank_payments,
        ),
        (tr!("users", "utilisateurs"), r.source.users, r.target.users),
        (
            tr!("audit log", "journal d'audit"),
            r.source.audit_entries,
            r.target.audit_entries,
        ),
    ] {
        t.add_row(vec![Cell::new(label), right(a), right(b)]);
    }
    t.add_row(vec![
        Cell::new(tr!("open", "en cours")),
        right(moneys(&r.source_open)),
        right(moneys(&r.target_open)),
    ]);
    println!("{t}");
    println!(
        "{}",
        tr!(
            "Copy verified: counts and balances are equal.",
            "Copie vérifiée : nombres et soldes identiques."
        )
    );
    Ok(())
}

/// Warns, on standard error, about every series shown that has no rate, or only one to
/// confirm, for the half-year of `as_of`: the statutory regimes read each of them.
fn rate_gaps(series: &[&domain::law::RateSeries], as_of: Date) {
    use domain::law::{HalfYear, HalfYearGap};
    let half = HalfYear::containing(as_of);
    let name = format!("{} S{}", half.year(), if half.is_second() { 2 } else { 1 });
    for s in series {
        let id = s.id();
        match s.gap_in(half) {
            Some(HalfYearGap::Missing { reason }) => eprintln!(
                "{}",
                tr!(
                    "warning: {id} has no rate for {name} (as of {as_of}): interest that needs it is not computed and no letter claims it — {reason}",
                    "attention : {id} n'a aucun taux pour {name} (au {as_of}) : les intérêts qui en dépendent ne sont pas calculés ni réclamés — {reason}"
                )
            ),
            Some(HalfYearGap::ToConfirm {
                from,
                rate,
                status,
                source,
            }) => {
                let status = status.as_str();
                eprintln!(
                    "{}",
                    tr!(
                        "warning: {id} for {name} rests on {rate} % from {from}, {status} — confirm it (--rates-dir) before a formal notice claims it — {source}",
                        "attention : {id} pour {name} repose sur {rate} % du {from}, {status} — taux à confirmer (--rates-dir) avant toute mise en demeure — {source}"
                    )
                )
            }
            None => {}
        }
    }
}

pub fn rates(
    tables: &domain::law::RateTables,
    only: Option<&str>,
    as_of: Date,
    json: bool,
) -> Result<()> {
    let series: Vec<_> = tables
        .series()
        .iter()
        .filter(|s| only.is_none_or(|o| s.id() == o))
        .collect();
    if series.is_empty() {
        let (only, known) = (
            only.unwrap_or(""),
            tables
                .series()
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(", "),
        );
        anyhow::bail!(tr!(
            "no rate series {only:?}; known: {known}",
            "aucune série de taux {only:?} ; connues : {known}"
        ));
    }
    rate_gaps(&series, as_of);
    if json {
        let out: Vec<_> = series
            .iter()
            .map(|s| serde_json::json!({ "id": s.id(), "name": s.name(), "name_fr": s.name_fr(), "publisher": s.publisher(), "rows": s.rows() }))
            .collect();
        return print_json(&out);
    }
    for s in series {
        println!(
            "{} — {} ({})",
            s.id(),
            domain::lang::tr(s.name(), s.name_fr()),
            s.publisher()
        );
        let mut t = table(&[
            &tr!("from", "du"),
            &tr!("until", "au"),
            &tr!("rate %", "taux %"),
            &tr!("status", "statut"),
            "source",
        ]);
        for r in s.rows() {
            t.add_row(vec![
                Cell::new(r.from),
                Cell::new(r.until.map(|d| d.to_string()).unwrap_or_default()),
                right(r.rate),
                Cell::new(format!("{:?}", r.status).to_lowercase()),
                Cell::new(&r.source),
            ]);
        }
        println!("{t}\n");
    }
    Ok(())
}

pub fn penalties(p: &app::law::ClaimPenalties, as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(p);
    }
    let (number, id, open) = (&p.number, p.claim_id, money(p.open));
    println!(
        "{}",
        tr!(
            "Claim {number} (id {id}) as of {as_of}: open {open}",
            "Créance {number} (id {id}) au {as_of} : reste dû {open}"
        )
    );
    if !p.terms.is_empty() {
        let terms = terms_text(&p.terms);
        println!(
            "{}",
            tr!("Terms of sale: {terms}", "Conditions de vente : {terms}")
        );
    }
    match &p.interest_start {
        Some(domain::law::InterestStart::NotYet { reason }) => {
            let reason = domain::lang::tr(&reason.en, &reason.fr);
            println!(
                "{}",
                tr!(
                    "Interest starts: not yet — {reason}",
                    "Point de départ des intérêts : pas encore — {reason}"
                )
            );
        }
        Some(start) => {
            let (date, code) = (
                start.date().map(|d| d.to_string()).unwrap_or_default(),
                start.code(),
            );
            println!(
                "{}",
                tr!(
                    "Interest starts: {date} ({code}), interest from the next day",
                    "Point de départ des intérêts : {date} ({code}), intérêts dès le lendemain"
                )
            )
        }
        None => {}
    }
    for note in &p.notes {
        println!("  note : {}", domain::lang::tr(&note.en, &note.fr));
    }
    match &p.interest {
        Ok(b) => {
            let (regime, principal, due) = (b.regime.code(), money(b.principal), b.due_date);
            println!(
                "{}",
                tr!(
                    "Regime: {regime}   principal {principal}   due {due}",
                    "Régime : {regime}   principal {principal}   échéance {due}"
                )
            );
            let mut t = table(&[
                &tr!("from", "du"),
                &tr!("to", "au"),
                &tr!("days", "jours"),
                "base",
                &tr!("rate %", "taux %"),
                &tr!("interest", "intérêts"),
            ]);
            for period in &b.periods {
                t.add_row(vec![
                    Cell::new(period.start),
                    Cell::new(period.end),
                    right(period.days),
                    right(money(period.base)),
                    right(period.annual_rate),
                    right(period.amount.round_dp(4)),
                ]);
            }
            println!("{t}");
            let (total, unrounded) = (money(b.total), b.total_unrounded);
            println!(
                "{}",
                tr!(
                    "Late interest: {total} (unrounded {unrounded})",
                    "Intérêts de retard : {total} (non arrondi {unrounded})"
                )
            );
            for w in &b.warnings {
                let (series, rate, from, status, source) =
                    (&w.series, w.rate, w.from, w.status.as_str(), &w.source);
                println!(
                    "  {}",
                    tr!(
                        "warning: rate to confirm — {series} {rate} % from {from} ({status}): {source}",
                        "attention : taux à confirmer — {series} {rate} % du {from} ({status}) : {source}"
                    )
                );
            }
        }
        Err(why) => println!(
            "{}",
            tr!(
                "Late interest: not computed — {why}",
                "Intérêts de retard : non calculés — {why}"
            )
        ),
    }
    match &p.indemnity {
        Some(i) => {
            let (amount, basis) = (money(i.amount), domain::lang::tr(&i.basis.en, &i.basis.fr));
            println!(
                "{}",
                tr!(
                    "Fixed indemnity: {amount} — {basis}",
                    "Indemnité forfaitaire : {amount} — {basis}"
                )
            )
        }
        None => println!(
            "{}",
            tr!("Fixed indemnity: none", "Indemnité forfaitaire : aucune")
        ),
    }
    let (interest, indemnity) = (money(p.interest_posted), money(p.indemnity_posted));
    println!(
        "{}",
        tr!(
            "Posted to the ledger: interest {interest}, indemnity {indemnity}",
            "Porté au compte : intérêts {interest}, indemnité {indemnity}"
        )
    );
    let (principal, interest, indemnity) = (
        money(p.principal_due()),
        money(p.interest_due()),
        money(p.indemnity_due()),
    );
    println!(
        "{}",
        tr!(
            "Still due: principal {principal}, interest {interest}, indemnity {indemnity}",
            "Reste dû : principal {principal}, intérêts {interest}, indemnité {indemnity}"
        )
    );
    let (i, d) = (p.interest_to_post(), p.indemnity_to_post());
    if i.is_positive() || d.is_positive() {
        let (interest, indemnity, id) = (money(i), money(d), p.claim_id);
        println!(
            "{}",
            tr!(
                "Not yet posted: interest {interest}, indemnity {indemnity} (recouvre interest {id} --post)",
                "Pas encore porté au compte : intérêts {interest}, indemnité {indemnity} (recouvre interest {id} --post)"
            )
        );
    }
    Ok(())
}

/// What `recouvre interest --post` wrote on the ledger.
pub fn charges_posted(p: &app::charges::PostedCharges, json: bool) -> Result<()> {
    if json {
        return print_json(p);
    }
    let (number, id, interest, indemnity) =
        (&p.number, p.claim_id, money(p.interest), money(p.indemnity));
    println!(
        "{}\n",
        tr!(
            "claim {number} ({id}): posted — interest {interest}, indemnity {indemnity}",
            "créance {number} ({id}) : porté au compte — intérêts {interest}, indemnité {indemnity}"
        )
    );
    Ok(())
}

/// Terms of sale in one line: `penalty 12% · indemnity 60 · term 45d eom · due date is
/// the notice`.
pub fn terms_text(t: &domain::law::ContractTerms) -> String {
    let mut parts = Vec::new();
    if let Some(r) = t.penalty_rate {
        parts.push(tr!("penalty rate {r}", "taux de pénalités {r}"));
    }
    if let Some(i) = t.indemnity {
        parts.push(tr!("indemnity {i}", "indemnité {i}"));
    }
    if let Some(term) = t.payment_term {
        parts.push(tr!("payment term {term}", "délai {term}"));
    }
    if let Some(n) = t.due_date_is_notice {
        let answer = if n { yes() } else { no() };
        parts.push(tr!(
            "due date is the notice: {answer}",
            "échéance vaut mise en demeure : {answer}"
        ));
    }
    if parts.is_empty() {
        tr!("none: the law applies", "aucune : la loi s'applique")
    } else {
        parts.join(" · ")
    }
}

pub fn limitation(lines: &[app::law::LimitationLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        &tr!("claim", "créance"),
        &tr!("debtor", "débiteur"),
        &tr!("open", "reste dû"),
        &tr!("deadline", "prescription"),
        &tr!("days left", "jours"),
        &tr!("runs from", "à compter de"),
        &tr!("alert", "alerte"),
    ]);
    for l in lines {
        t.add_row(vec![
            Cell::new(format!("{} ({})", l.number, l.claim_id)),
            Cell::new(&l.debtor_name),
            right(money(l.open)),
            Cell::new(l.deadline.deadline),
            right(l.days_left),
            Cell::new(format!(
                "{} {}",
                l.deadline.runs_from.kind.label().tr(),
                l.deadline.runs_from.date
            )),
            Cell::new(alert_text(l.alert)),
        ]);
    }
    let n = lines.len();
    println!(
        "{}",
        tr!(
            "Limitation deadlines as of {as_of}: {n} claims",
            "Prescriptions au {as_of} : {n} créances"
        )
    );
    println!("{t}");
    Ok(())
}

/// How near a limitation deadline is, for a person (nothing when it is far).
fn alert_text(alert: domain::law::AlertLevel) -> String {
    use domain::law::AlertLevel;
    match alert {
        AlertLevel::None => String::new(),
        AlertLevel::Within90 => tr!("within 90 days", "sous 90 jours"),
        AlertLevel::Within30 => tr!("within 30 days", "sous 30 jours"),
        AlertLevel::Expired => tr!("time-barred", "prescrite"),
    }
}

pub fn limitation_events(events: &[app::store::StoredLimitationEvent], json: bool) -> Result<()> {
    if json {
        return print_json(events);
    }
    let mut t = table(&[
        "id",
        &tr!("debtor", "débiteur"),
        &tr!("claim", "créance"),
        &tr!("kind", "nature"),
        "date",
        &tr!("end", "fin"),
        &tr!("proof", "preuve"),
        &tr!("by", "par"),
    ]);
    for e in events {
        t.add_row(vec![
            right(e.id),
            right(e.debtor_id),
            Cell::new(
                e.claim_id
                    .map_or_else(|| tr!("all", "toutes"), |c| c.to_string()),
            ),
            Cell::new(e.kind.as_str()),
            Cell::new(e.on),
            Cell::new(e.end.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(e.proof.as_deref().unwrap_or_default()),
            Cell::new(&e.recorded_by),
        ]);
    }
    let n = events.len();
    println!(
        "{}",
        tr!("Limitation events: {n}", "Événements de prescription : {n}")
    );
    println!("{t}");
    Ok(())
}

pub fn routes(r: &app::law::DebtorRoutes, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let a = &r.advice;
    let (name, id, total, expected) = (
        &r.debtor_name,
        r.debtor_id,
        money(a.total),
        money(a.expected_recovery),
    );
    println!(
        "{}",
        tr!(
            "{name} (id {id}): total claimable {total}, expected recovery {expected}",
            "{name} (id {id}) : total réclamable {total}, recouvrement attendu {expected}"
        )
    );
    let mut t = table(&[
        &tr!("route", "voie"),
        &tr!("open", "ouverte"),
        &tr!("cost", "coût"),
        &tr!("recoverable", "recouvrable"),
        &tr!("why not", "obstacles"),
    ]);
    for route in &a.routes {
        t.add_row(vec![
            Cell::new(route.name.tr()),
            Cell::new(if route.open { yes() } else { no() }),
            right(format!(
                "{} – {}",
                money(route.cost.low),
                money(route.cost.high)
            )),
            right(money(route.recoverable)),
            Cell::new(
                route
                    .blockers
                    .iter()
                    .map(|b| b.tr())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ]);
    }
    println!("{t}");
    for barred in &r.time_barred {
        let (deadline, number, open) = (barred.deadline, &barred.number, money(barred.open));
        println!(
            "{}",
            tr!(
                "Time-barred since {deadline}: {number} ({open}) — left out",
                "Prescrite depuis le {deadline} : {number} ({open}) — écartée"
            )
        );
    }
    if r.disputed {
        println!(
            "{}",
            tr!(
                "Disputed: an open dispute covers a claim",
                "Contestée : un litige ouvert porte sur une créance"
            )
        );
    }
    let text = a.recommendation.text.tr();
    println!(
        "{}",
        tr!("Recommendation: {text}", "Recommandation : {text}")
    );
    Ok(())
}

fn status_text(s: app::store::ActionStatus) -> String {
    use app::store::ActionStatus as S;
    match s {
        S::Draft => tr!("draft", "brouillon"),
        S::Planned => tr!("planned", "prévue"),
        S::Approved => tr!("approved", "approuvée"),
        S::Skipped => tr!("skipped", "ignorée"),
        S::Done => tr!("done", "faite"),
    }
}

fn claim_list(ids: &[domain::ClaimId]) -> String {
    ids.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The counts at the end of a run: actions by channel, steps held back by reason.
/// One table of counts: a row per (group label, code, count).
fn print_counts(groups: &[(String, &std::collections::BTreeMap<String, usize>)]) {
    let mut t = table(&["", "code", &tr!("count", "nombre")]);
    for (label, counts) in groups {
        for (code, n) in *counts {
            t.add_row(vec![Cell::new(label), Cell::new(code), right(n)]);
        }
    }
    println!("{t}");
}

pub fn run_counts(r: &app::dunning::RunReport) {
    let as_of = r.as_of;
    let verb = if r.preview {
        tr!(
            "Preview of the run of {as_of}",
            "Aperçu de la relance du {as_of}"
        )
    } else if r.dry_run {
        tr!(
            "Dry run of {as_of} (nothing written)",
            "Simulation du {as_of} (rien d'écrit)"
        )
    } else {
        tr!("Dunning run of {as_of}", "Relance du {as_of}")
    };
    println!("{verb}");
    if let Some(s) = &r.stale {
        let last = s
            .last_refresh
            .map_or_else(|| tr!("never", "jamais"), |d| d.to_string());
        let limit = s.limit_days;
        println!(
            "{}",
            tr!(
                "Payment data is stale (last refresh {last}, limit {limit} days): nothing is sent until a payment import.",
                "Données de paiement périmées (dernière mise à jour {last}, limite {limit} jours) : aucune relance avant un import de paiements."
            )
        );
    }
    let (seen, assigned, reopened, closed, actions) = (
        r.cases_seen,
        r.assigned,
        r.reopened,
        r.closed,
        r.actions.len(),
    );
    let drafts = if r.review_mode {
        tr!(" (drafts)", " (brouillons)")
    } else {
        String::new()
    };
    println!(
        "{}",
        tr!(
            "{seen} cases seen, {assigned} assigned, {reopened} reopened, {closed} closed, {actions} actions{drafts}",
            "{seen} dossiers vus, {assigned} affectés, {reopened} rouverts, {closed} clos, {actions} actions{drafts}"
        )
    );
    if r.actions_by_channel.is_empty() && r.skips_by_reason.is_empty() {
        println!("{}", tr!("Nothing due today.", "Rien à faire aujourd'hui."));
        return;
    }
    if !r.letters_refused.is_empty() {
        // Never printed nor marked sent: the letter is `failed` in the outbox with this.
        let n = r.letters_refused.len();
        println!(
            "{}",
            tr!(
                "Letters refused, not issued: {n}",
                "Courriers refusés, non émis : {n}"
            )
        );
        for l in &r.letters_refused {
            println!(
                "  action {} — {} ({}), {}: {}",
                l.action_id
                    .map_or_else(|| "-".to_string(), |i| i.to_string()),
                l.debtor_name,
                l.debtor_id,
                l.step,
                l.refusal
            );
        }
    }
    print_counts(&[
        (
            tr!("action (channel)", "action (canal)"),
            &r.actions_by_channel,
        ),
        (tr!("held back", "reportée"), &r.skips_by_reason),
    ]);
    for h in &r.held_back {
        let (name, id) = (&h.debtor_name, h.debtor_id);
        let reason = domain::lang::tr(&h.reason_en, &h.reason_fr);
        println!(
            "{}",
            tr!("{name} ({id}): {reason}", "{name} ({id}) : {reason}")
        );
    }
    if !r.limitation_alerts.is_empty() {
        let n = r.limitation_alerts.len();
        let new = r
            .limitation_alerts
            .iter()
            .filter(|a| a.action_id.is_some())
            .count();
        println!(
            "{}",
            tr!(
                "Limitation alerts: {n} ({new} new)",
                "Alertes de prescription : {n} ({new} nouvelles)"
            )
        );
        let mut t = table(&[
            &tr!("claim", "créance"),
            &tr!("debtor", "débiteur"),
            &tr!("open", "restant dû"),
            &tr!("deadline", "prescription"),
            &tr!("days left", "jours restants"),
            &tr!("alert", "alerte"),
            &tr!("to save it", "pour la sauver"),
        ]);
        for a in r.limitation_alerts.iter().take(20) {
            t.add_row(vec![
                Cell::new(&a.number),
                Cell::new(&a.debtor_name),
                right(a.open.to_string()),
                Cell::new(a.deadline.to_string()),
                right(a.days_left.to_string()),
                Cell::new(days(a.threshold)),
                Cell::new(domain::lang::tr(&a.remedy.en, &a.remedy.fr)),
            ]);
        }
        println!("{t}");
    }
    if !r.insurer_alerts.is_empty() {
        let n = r.insurer_alerts.len();
        let new = r
            .insurer_alerts
            .iter()
            .filter(|a| a.action_id.is_some())
            .count();
        println!(
            "{}",
            tr!(
                "Declarations to insurers: {n} ({new} new)",
                "Déclarations aux assureurs : {n} ({new} nouvelles)"
            )
        );
        let mut t = table(&[
            &tr!("claim", "créance"),
            &tr!("debtor", "débiteur"),
            &tr!("open", "restant dû"),
            &tr!("insurer", "assureur"),
            &tr!("deadline", "date limite"),
        ]);
        for a in r.insurer_alerts.iter().take(20) {
            t.add_row(vec![
                right(a.deadline.claim_id),
                Cell::new(&a.debtor_name),
                right(a.deadline.open.to_string()),
                Cell::new(format!("{} ({})", a.deadline.insurer, a.deadline.policy)),
                Cell::new(a.deadline.deadline.to_string()),
            ]);
        }
        println!("{t}");
    }
    if !r.late_remittances.is_empty() {
        let n = r.late_remittances.len();
        println!(
            "{}",
            tr!(
                "Late remittances (R124-6): {n} collections not remitted a month after; see `recouvre remittance late`",
                "Reversements en retard (R124-6) : {n} encaissements non reversés dans le mois ; voir `recouvre remittance late`"
            )
        );
    }
    if !r.legal_alerts.is_empty() {
        let n = r.legal_alerts.len();
        let new = r
            .legal_alerts
            .iter()
            .filter(|a| a.action_id.is_some())
            .count();
        println!(
            "{}",
            tr!(
                "Legal file deadlines: {n} ({new} new)",
                "Échéances des dossiers contentieux : {n} ({new} nouvelles)"
            )
        );
        let mut t = table(&[
            &tr!("file", "dossier"),
            &tr!("debtor", "débiteur"),
            &tr!("deadline", "échéance"),
            &tr!("due", "date"),
        ]);
        for a in r.legal_alerts.iter().take(20) {
            t.add_row(vec![
                right(a.task.file_id),
                Cell::new(&a.debtor_name),
                Cell::new(format!(
                    "{} ({})",
                    a.task.deadline.name.tr(),
                    a.task.deadline.basis
                )),
                Cell::new(a.task.deadline.due.to_string()),
            ]);
        }
        println!("{t}");
    }
    if !r.scenario_decisions.is_empty() {
        let opened = r
            .scenario_decisions
            .iter()
            .filter(|d| d.file_id.is_some())
            .count();
        let left = r.scenario_decisions.len() - opened;
        println!(
            "{}",
            tr!(
                "Legal files opened by the scenarios: {opened}; reviews left to a person: {left}",
                "Dossiers contentieux ouverts par les scénarios : {opened} ; revues laissées à une personne : {left}"
            )
        );
        for d in &r.scenario_decisions {
            match (d.file_id, &d.refused) {
                (Some(file), _) => println!(
                    "  {}",
                    tr!(
                        "debtor {}: file {file} ({})",
                        "débiteur {} : dossier {file} ({})",
                        d.debtor_id.0,
                        d.decision
                    )
                ),
                (None, Some(why)) => println!(
                    "  {}",
                    tr!(
                        "debtor {}: review left ({why})",
                        "débiteur {} : revue laissée ({why})",
                        d.debtor_id.0
                    )
                ),
                (None, None) => {}
            }
        }
    }
}

pub fn run_report(r: &app::dunning::RunReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    if !r.actions.is_empty() {
        let mut t = table(&[
            "id",
            &tr!("debtor", "débiteur"),
            &tr!("step", "étape"),
            &tr!("channels", "canaux"),
            &tr!("amount", "montant"),
            &tr!("claims", "créances"),
            &tr!("stage after", "étape suivante"),
            &tr!("status", "statut"),
        ]);
        for a in &r.actions {
            t.add_row(vec![
                right(a.id.map_or_else(|| "-".to_string(), |i| i.to_string())),
                Cell::new(format!("{} ({})", a.debtor_name, a.debtor_id)),
                Cell::new(format!("{}\n{}", a.step, a.scenario)),
                Cell::new(a.channels.to_string()),
                right(money(a.amount)),
                Cell::new(claim_list(&a.claims)),
                Cell::new(a.stage_after.to_string()),
                Cell::new(status_text(a.status)),
            ]);
        }
        println!("{t}");
    }
    run_counts(r);
    Ok(())
}

pub fn worklist(
    items: &[app::dunning::WorkItem],
    as_of: Date,
    assignee: Option<&str>,
    json: bool,
) -> Result<()> {
    if json {
        return print_json(items);
    }
    if let Some(who) = assignee {
        println!(
            "{}",
            tr!(
                "Note: tasks are not assigned to anyone yet; showing everyone's, not only {who}'s.",
                "Note : les tâches ne sont encore attribuées à personne ; toutes sont affichées, pas seulement celles de {who}."
            )
        );
    }
    let mut t = table(&[
        "action",
        &tr!("debtor", "débiteur"),
        &tr!("task", "tâche"),
        &tr!("status", "statut"),
        &tr!("open", "reste dû"),
        &tr!("priority", "priorité"),
        &tr!("why", "pourquoi"),
    ]);
    for i in items {
        t.add_row(vec![
            right(i.action_id),
            Cell::new(format!("{} ({})", i.debtor_name, i.debtor_id)),
            Cell::new(format!("{}\n{}", i.step, i.channels)),
            Cell::new(status_text(i.status)),
            right(money(i.open)),
            right(i.priority),
            Cell::new(domain::lang::tr(&i.reason_en, &i.reason_fr)),
        ]);
    }
    let n = items.len();
    println!(
        "{}",
        tr!(
            "Worklist as of {as_of}: {n} tasks",
            "Liste de travail au {as_of} : {n} tâches"
        )
    );
    println!("{t}");
    Ok(())
}

pub fn actions(list: &[app::store::StoredAction], json: bool) -> Result<()> {
    if json {
        return print_json(list);
    }
    let mut t = table(&[
        "id",
        "date",
        &tr!("debtor", "débiteur"),
        &tr!("step", "étape"),
        &tr!("channels", "canaux"),
        &tr!("amount", "montant"),
        &tr!("claims", "créances"),
        &tr!("status", "statut"),
    ]);
    for a in list {
        t.add_row(vec![
            right(a.id),
            Cell::new(a.created_on),
            right(a.debtor_id),
            Cell::new(&a.step_code),
            Cell::new(a.channels.to_string()),
            right(money(a.amount)),
            Cell::new(claim_list(&a.claims)),
            Cell::new(status_text(a.status)),
        ]);
    }
    println!("{t}");
    Ok(())
}

pub fn action_changed(a: &app::store::StoredAction, json: bool) -> Result<()> {
    if json {
        return print_json(a);
    }
    let (id, step, debtor, status) = (a.id, &a.step_code, a.debtor_id, status_text(a.status));
    println!(
        "{}",
        tr!(
            "action {id} ({step} for debtor {debtor}): {status}",
            "action {id} ({step} pour le débiteur {debtor}) : {status}"
        )
    );
    Ok(())
}

/// `≥ 500.00 EUR, b2b`: a step's conditions in short.
fn conditions_text(c: &domain::dunning::Conditions) -> String {
    c.describe(money)
}

pub fn scenarios(set: &domain::dunning::ScenarioSet, shipped: bool, json: bool) -> Result<()> {
    if json {
        #[derive(Serialize)]
        struct StepOut<'a> {
            code: &'a str,
            offset_days: i32,
            channels: domain::dunning::Channels,
            template: &'a str,
            stage: domain::dunning::Stage,
            claim_penalties: bool,
            resets_on_payment: bool,
        }
        #[derive(Serialize)]
        struct ScenarioOut<'a> {
            code: &'a str,
            name_fr: &'a str,
            name_en: &'a str,
            default: bool,
            steps: Vec<StepOut<'a>>,
        }
        let out: Vec<ScenarioOut<'_>> = set
            .scenarios()
            .iter()
            .map(|s| ScenarioOut {
                code: s.code().as_str(),
                name_fr: s.name_fr(),
                name_en: s.name_en(),
                default: s.code() == set.default_scenario().code(),
                steps: s
                    .steps()
                    .iter()
                    .map(|st| StepOut {
                        code: st.code.as_str(),
                        offset_days: st.offset_days,
                        channels: st.channels,
                        template: &st.template,
                        stage: st.stage,
                        claim_penalties: st.claim_penalties,
                        resets_on_payment: st.resets_on_payment,
                    })
                    .collect(),
            })
            .collect();
        return print_json(&out);
    }
    println!(
        "{}",
        if shipped {
            tr!(
                "Shipped scenarios (none loaded)",
                "Scénarios livrés (aucun chargé)"
            )
        } else {
            tr!(
                "Scenarios loaded in this database",
                "Scénarios chargés dans cette base"
            )
        }
    );
    for s in set.scenarios() {
        let default = if s.code() == set.default_scenario().code() {
            tr!(" (default)", " (par défaut)")
        } else {
            String::new()
        };
        println!(
            "{}{default}\n  {}",
            s.code(),
            domain::lang::tr(s.name_en(), s.name_fr())
        );
        let mut t = table(&[
            &tr!("step", "étape"),
            &tr!("day", "jour"),
            &tr!("channels", "canaux"),
            &tr!("template", "modèle"),
            &tr!("stage", "étape du dossier"),
            &tr!("penalties", "pénalités"),
            &tr!("resets on payment", "rejouée après paiement"),
            &tr!("when", "si"),
        ]);
        for st in s.steps() {
            t.add_row(vec![
                Cell::new(st.code.as_str()),
                right(format!("{:+}", st.offset_days)),
                Cell::new(st.channels.to_string()),
                Cell::new(&*st.template),
                Cell::new(st.stage.to_string()),
                Cell::new(if st.claim_penalties {
                    yes()
                } else {
                    String::new()
                }),
                Cell::new(if st.resets_on_payment {
                    yes()
                } else {
                    String::new()
                }),
                Cell::new(conditions_text(&st.conditions)),
            ]);
        }
        println!("{t}\n");
    }
    println!(
        "{}",
        tr!(
            "Assignment rules, first match wins:",
            "Règles d'affectation, la première qui s'applique :"
        )
    );
    for (i, rule) in set.rules().enumerate() {
        println!(
            "  {}. {} ← {}",
            i + 1,
            rule.scenario,
            conditions_text(&rule.when)
        );
    }
    let default = set.default_scenario().code();
    println!("  {}", tr!("otherwise: {default}", "sinon : {default}"));
    Ok(())
}

/// The summary of a simulation (`recouvre simulate`, `recouvre demo --simulate-days`).
pub fn simulation(r: &app::simulate::SimReport, elapsed: Duration, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let (from, to, day_count, debtors, claims, actions, secs) = (
        r.from,
        r.to,
        r.days,
        r.debtors,
        r.claims,
        r.actions,
        elapsed.as_secs_f64(),
    );
    println!(
        "{}",
        tr!(
            "Simulation {from} → {to}: {day_count} days, {debtors} debtors, {claims} claims, {actions} actions ({secs:.1} s)",
            "Simulation du {from} au {to} : {day_count} jours, {debtors} débiteurs, {claims} créances, {actions} actions ({secs:.1} s)"
        )
    );
    print_counts(&[
        (
            tr!("action (channel)", "action (canal)"),
            &r.actions_by_channel,
        ),
        (tr!("action (step)", "action (étape)"), &r.actions_by_step),
        (
            tr!("held back (case-days)", "reportée (dossiers-jours)"),
            &r.skips_by_reason,
        ),
    ]);
    let (opened, closed, assigned) = (r.cases_opened, r.cases_closed_paid, r.cases_assigned);
    println!(
        "{}",
        tr!(
            "Cases: {opened} opened, {closed} closed paid, {assigned} assigned",
            "Dossiers : {opened} ouverts, {closed} clos payés, {assigned} affectés"
        )
    );
    let cash = moneys(&r.cash_collected);
    println!(
        "{}",
        tr!("Cash collected: {cash}", "Encaissements : {cash}")
    );
    let mut t = table(&["", &r.start.date.to_string(), &r.end.date.to_string()]);
    t.add_row(vec![
        Cell::new(tr!("open", "en cours")),
        right(moneys(&r.start.open)),
        right(moneys(&r.end.open)),
    ]);
    t.add_row(vec![
        Cell::new(tr!("overdue", "échu")),
        right(moneys(&r.start.overdue)),
        right(moneys(&r.end.overdue)),
    ]);
    let dso = |s: &app::simulate::Snapshot| {
        s.dso
            .iter()
            .map(|d| match d.days {
                Some(n) => format!("{} ({})", days(n), d.currency.code()),
                None => format!("- ({})", d.currency.code()),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    t.add_row(vec![
        Cell::new(tr!("DSO (days)", "DSO (jours)")),
        right(dso(&r.start)),
        right(dso(&r.end)),
    ]);
    println!("{t}");
    println!("{}", r.dso_formula);
    let note = &r.note;
    println!(
        "{}",
        tr!(
            "Note: {note}",
            "Note : les paiements suivent les plans tirés à la génération du portefeuille : les relances ne changent pas (encore) les dates de paiement."
        )
    );
    Ok(())
}

fn payment_status_text(s: app::store::PaymentStatus) -> String {
    use app::store::PaymentStatus;
    match s {
        PaymentStatus::Applied => tr!("applied", "affecté"),
        PaymentStatus::Review => tr!("to review", "à revoir"),
        PaymentStatus::Ignored => tr!("ignored", "ignoré"),
        PaymentStatus::Returned => tr!("returned", "rejeté"),
    }
}

pub fn statement_report(r: &app::payments::StatementReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let name = &r.file_name;
    if let Some(at) = &r.already_imported_at {
        println!(
            "{}",
            tr!(
                "{name}: this exact file was already imported on {at}; nothing changed.",
                "{name} : ce relevé a déjà été importé le {at} ; rien n'a changé."
            )
        );
        return Ok(());
    }
    let (format, n) = (&r.format, r.statements);
    println!(
        "{}",
        tr!(
            "{name} ({format}): {n} statement(s)",
            "{name} ({format}) : {n} relevé(s)"
        )
    );
    let mut t = table(&["", &tr!("count", "nombre"), &tr!("amount", "montant")]);
    let rows: [(String, usize, String); 9] = [
        (tr!("entries", "écritures"), r.entries, String::new()),
        (tr!("transactions", "opérations"), r.details, String::new()),
        (tr!("new", "nouvelles"), r.new, String::new()),
        (tr!("duplicates", "doublons"), r.duplicates, String::new()),
        (
            tr!("applied automatically", "affectées automatiquement"),
            r.applied,
            moneys(&r.amount_applied),
        ),
        (
            tr!("to review", "à revoir"),
            r.to_review,
            moneys(&r.amount_to_review),
        ),
        (
            tr!("debits ignored", "débits ignorés"),
            r.debits,
            String::new(),
        ),
        (tr!("returned", "rejets"), r.returned, String::new()),
        (
            tr!("not booked", "non comptabilisées"),
            r.not_booked,
            String::new(),
        ),
    ];
    for (label, n, amount) in rows {
        t.add_row(vec![Cell::new(label), right(n), right(amount)]);
    }
    if !r.credit_left.is_empty() {
        t.add_row(vec![
            Cell::new(tr!("credit left on debtors", "avoir laissé aux débiteurs")),
            right(""),
            right(moneys(&r.credit_left)),
        ]);
    }
    println!("{t}");
    if r.to_review > 0 {
        println!(
            "{}",
            tr!(
                "Next: recouvre payments review",
                "Ensuite : recouvre payments review"
            )
        );
    }
    Ok(())
}

/// The bank transactions; `pass_on` names the factor of those received on claims assigned
/// to one (`app::financing::pass_on`): money to pass on.
pub fn payments(
    list: &[app::store::StoredPayment],
    pass_on: &std::collections::HashMap<i64, String>,
    json: bool,
) -> Result<()> {
    if json {
        #[derive(serde::Serialize)]
        struct Line<'a> {
            #[serde(flatten)]
            payment: &'a app::store::StoredPayment,
            /// The factor this payment is to be passed on to.
            pass_on_to: Option<&'a str>,
        }
        let lines: Vec<Line<'_>> = list
            .iter()
            .map(|payment| Line {
                payment,
                pass_on_to: pass_on.get(&payment.id).map(String::as_str),
            })
            .collect();
        return print_json(&lines);
    }
    let mut t = table(&[
        "id",
        &tr!("value date", "valeur"),
        &tr!("amount", "montant"),
        &tr!("payer", "payeur"),
        &tr!("remittance", "libellé"),
        &tr!("status", "statut"),
        &tr!("debtor", "débiteur"),
        &tr!("pass on to", "à reverser à"),
    ]);
    for p in list {
        t.add_row(vec![
            right(p.id),
            Cell::new(p.value_date),
            right(money(p.amount)),
            Cell::new(p.payer_name.as_deref().unwrap_or("")),
            Cell::new(remittance_text(p)),
            Cell::new(payment_status_text(p.status)),
            right(p.debtor_id.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(pass_on.get(&p.id).map_or("", String::as_str)),
        ]);
    }
    println!("{t}");
    Ok(())
}

fn remittance_text(p: &app::store::StoredPayment) -> String {
    let mut parts: Vec<&str> = p.structured_reference.iter().map(String::as_str).collect();
    parts.extend(p.remittance.iter().map(String::as_str));
    let text = parts.join(" ");
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

pub fn payment_review(items: &[app::payments::ReviewItem], json: bool) -> Result<()> {
    if json {
        return print_json(items);
    }
    if items.is_empty() {
        println!(
            "{}",
            tr!("No payment waits for review.", "Aucun paiement à revoir.")
        );
        return Ok(());
    }
    for item in items {
        let p = &item.payment;
        let (id, amount, date, payer, remittance) = (
            p.id,
            money(p.amount),
            p.value_date,
            p.payer_name.as_deref().unwrap_or("?"),
            remittance_text(p),
        );
        println!(
            "{}",
            tr!(
                "payment {id} — {amount} on {date} — {payer} — {remittance}",
                "paiement {id} — {amount} le {date} — {payer} — {remittance}"
            )
        );
        if item.suggestions.is_empty() {
            println!("  {}", tr!("no suggestion", "aucune suggestion"));
            continue;
        }
        let mut t = table(&[
            "score",
            &tr!("debtor", "débiteur"),
            &tr!("claims", "créances"),
            &tr!("credit", "avoir"),
            &tr!("why", "pourquoi"),
        ]);
        for s in &item.suggestions {
            let claims = s
                .claims
                .iter()
                .map(|c| format!("{} {} ({})", c.claim_id, c.number, money(c.amount)))
                .collect::<Vec<_>>()
                .join("\n");
            let why = s
                .reasons_en
                .iter()
                .zip(&s.reasons_fr)
                .map(|(en, fr)| domain::lang::tr(en, fr))
                .collect::<Vec<_>>()
                .join("\n");
            t.add_row(vec![
                right(s.score),
                Cell::new(format!("{} {}", s.debtor_id, s.debtor_name)),
                Cell::new(claims),
                right(money(s.overpayment)),
                Cell::new(why),
            ]);
        }
        println!("{t}");
        println!(
            "  recouvre payments apply {} [--claims N1,N2] | recouvre payments ignore {}\n",
            p.id, p.id
        );
    }
    Ok(())
}

pub fn payment_applied(p: &app::payments::Posted, json: bool) -> Result<()> {
    if json {
        return print_json(p);
    }
    let (payment, debtor) = (p.payment_id, p.debtor_id);
    println!(
        "{}",
        tr!(
            "payment {payment} applied for debtor {debtor}",
            "paiement {payment} affecté au débiteur {debtor}"
        )
    );
    let mut t = table(&[
        &tr!("claim", "créance"),
        &tr!("amount", "montant"),
        &tr!("costs", "frais"),
        &tr!("interest", "intérêts"),
        "principal",
    ]);
    for a in &p.allocations {
        t.add_row(vec![
            right(a.claim_id),
            right(money(a.amount)),
            right(money(a.fees)),
            right(money(a.interest)),
            right(money(a.principal)),
        ]);
    }
    println!("{t}");
    for c in &p.charges {
        let (number, interest, indemnity) = (&c.number, money(c.interest), money(c.indemnity));
        println!(
            "{}",
            tr!(
                "paid and posted on claim {number}: interest {interest}, indemnity {indemnity}",
                "payé et porté au compte de la créance {number} : intérêts {interest}, indemnité {indemnity}"
            )
        );
    }
    if p.overpayment.is_positive() {
        let credit = money(p.overpayment);
        println!(
            "{}",
            tr!(
                "credit kept on the debtor: {credit}",
                "avoir conservé au débiteur : {credit}"
            )
        );
    }
    Ok(())
}

/// A report table for the terminal: the sheet's headers and cells, numbers on the right.
pub fn sheet_table(sheet: &formats::sheet::Sheet, french: bool) -> String {
    use formats::sheet::SheetCell;
    let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
    let mut t = table(&headers);
    for row in &sheet.rows {
        t.add_row(row.iter().map(|c| match c {
            SheetCell::Text(_) | SheetCell::Empty => Cell::new(c.text(french)),
            _ => right(c.text(french)),
        }));
    }
    format!("{}\n{t}\n", sheet.title)
}

fn recovery_row(label: String, r: &app::legal::Recovery) -> Vec<Cell> {
    let dash = || "—".to_string();
    vec![
        Cell::new(label),
        right(r.files),
        right(r.titles),
        right(r.median_days_to_title.map_or_else(dash, |d| d.to_string())),
        right(r.claimed()),
        right(r.collected()),
        right(r.costs()),
        right(r.net()),
        right(r.rate().map_or_else(dash, |p| format!("{p} %"))),
        right(r.net_rate().map_or_else(dash, |p| format!("{p} %"))),
    ]
}

/// `recouvre legal report`.
pub fn legal_report(r: &app::legal::JudicialReport) {
    let headers = [
        tr!("", ""),
        tr!("Files", "Dossiers"),
        tr!("Titles", "Titres"),
        tr!("Days to title", "Jours jusqu'au titre"),
        tr!("Claimed", "Réclamé"),
        tr!("Collected", "Recouvré"),
        tr!("Costs", "Frais"),
        tr!("Net", "Net"),
        tr!("Recovery", "Taux"),
        tr!("Net rate", "Taux net"),
    ];
    let heads: Vec<&str> = headers.iter().map(String::as_str).collect();
    println!(
        "{}",
        tr!("Judicial phase as of {}", "Phase judiciaire au {}", r.as_of)
    );
    let mut t = table(&heads);
    for (route, rec) in &r.by_route {
        t.add_row(recovery_row(route.clone(), rec));
    }
    t.add_row(recovery_row(tr!("All routes", "Toutes voies"), &r.judicial));
    println!("{t}");
    println!(
        "{}",
        tr!(
            "By amount band (€), judicial against amicable collection of the claims that went past due and never entered a file (amicable costs are not recorded):",
            "Par tranche de montant (€), judiciaire contre recouvrement amiable des créances échues jamais entrées dans un dossier (frais amiables non enregistrés) :"
        )
    );
    let mut t = table(&heads);
    for (_, band) in app::legal::BANDS {
        if let Some(rec) = r.by_band.get(band) {
            t.add_row(recovery_row(
                format!("{band} — {}", tr!("judicial", "judiciaire")),
                rec,
            ));
        }
        if let Some(rec) = r.amicable_by_band.get(band) {
            t.add_row(recovery_row(
                format!("{band} — {}", tr!("amicable", "amiable")),
                rec,
            ));
        }
    }
    t.add_row(recovery_row(
        tr!("All amicable", "Tout l'amiable"),
        &r.amicable,
    ));
    println!("{t}");
    let mut t = table(&[
        &tr!("Route", "Voie"),
        &tr!("Stage", "Étape"),
        &tr!("Files", "Dossiers"),
    ]);
    for (route, stages) in &r.by_stage {
        for (stage, n) in stages {
            t.add_row(vec![Cell::new(route), Cell::new(stage), right(n)]);
        }
    }
    println!("{t}");
    if !r.declined.is_empty() {
        let list = r
            .declined
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "{} {list}",
            tr!("Decided not to litigate:", "Décidé de ne pas plaider :")
        );
    }
}
