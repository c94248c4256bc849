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

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
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
    if r.settlements_posted > 0 {
        println!(
            "settlements posted from paid_date / règlements enregistrés d'après paid_date: {}",
            r.settlements_posted
        );
    }
    if !r.terms_warnings.is_empty() {
        println!(
            "{} rows imported with payment terms beyond the legal caps / lignes importées dont le délai de paiement dépasse le plafond légal:",
            r.terms_warnings.len()
        );
        for w in &r.terms_warnings {
            println!("  {}", w.text(false));
            println!("  {}", w.text(true));
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
    if let Some(check) = &d.terms {
        terms_check(check);
    }
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

/// A claim's term against the French caps on B2B payment terms, in both languages.
fn terms_check(check: &domain::law::TermsCheck) {
    if check.compliant {
        println!(
            "Payment term within the legal caps / délai de paiement conforme (latest lawful due date / échéance maximale: {})",
            check.latest_lawful_due_date
        );
        return;
    }
    println!("Payment term beyond the legal caps / délai de paiement hors plafond légal:");
    for b in &check.breaches {
        println!("  {}", b.text.en);
        println!("  {}", b.text.fr);
    }
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

pub fn copy_report(r: &app::copy::CopyReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let mut t = table(&["", "source", "target / cible"]);
    for (label, a, b) in [
        (
            "creditors / créanciers",
            r.source.creditors,
            r.target.creditors,
        ),
        ("debtors / débiteurs", r.source.debtors, r.target.debtors),
        ("claims / créances", r.source.claims, r.target.claims),
        (
            "ledger entries / écritures",
            r.source.ledger_entries,
            r.target.ledger_entries,
        ),
        ("actions", r.source.actions, r.target.actions),
        (
            "agreements / accords",
            r.source.agreements,
            r.target.agreements,
        ),
        (
            "bank payments / paiements",
            r.source.bank_payments,
            r.target.bank_payments,
        ),
        ("users / utilisateurs", r.source.users, r.target.users),
        (
            "audit log / journal d'audit",
            r.source.audit_entries,
            r.target.audit_entries,
        ),
    ] {
        t.add_row(vec![Cell::new(label), right(a), right(b)]);
    }
    t.add_row(vec![
        Cell::new("open / en cours"),
        right(moneys(&r.source_open)),
        right(moneys(&r.target_open)),
    ]);
    println!("{t}");
    println!(
        "Copy verified: counts and balances are equal. / Copie vérifiée : nombres et soldes identiques."
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
        match s.gap_in(half) {
            Some(HalfYearGap::Missing { reason }) => eprintln!(
                "warning / attention: {} has no rate for {name} (as of / au {as_of}): interest that needs it is not computed and no letter claims it / aucun taux pour {name} : les intérêts qui en dépendent ne sont pas calculés ni réclamés — {reason}",
                s.id()
            ),
            Some(HalfYearGap::ToConfirm {
                from,
                rate,
                status,
                source,
            }) => eprintln!(
                "warning / attention: {} for {name} rests on {rate} % from {from}, {} — confirm it (--rates-dir) before a formal notice claims it / taux à confirmer avant toute mise en demeure — {source}",
                s.id(),
                status.as_str()
            ),
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
        anyhow::bail!(
            "no rate series {:?}; known: {}",
            only.unwrap_or(""),
            tables
                .series()
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(", ")
        );
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
            "{} — {} / {} ({})",
            s.id(),
            s.name(),
            s.name_fr(),
            s.publisher()
        );
        let mut t = table(&[
            "from / du",
            "until / au",
            "rate / taux %",
            "status",
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
    println!(
        "Claim / créance {} (id {}) as of / au {as_of}: open / reste dû {}",
        p.number,
        p.claim_id,
        money(p.open)
    );
    if !p.terms.is_empty() {
        println!(
            "Terms of sale / conditions de vente: {}",
            terms_text(&p.terms)
        );
    }
    match &p.interest_start {
        Some(domain::law::InterestStart::NotYet { reason }) => {
            println!(
                "Interest starts / point de départ: not yet / pas encore — {} / {}",
                reason.en, reason.fr
            );
        }
        Some(start) => println!(
            "Interest starts / point de départ: {} ({}), interest from the next day / intérêts dès le lendemain",
            start.date().map(|d| d.to_string()).unwrap_or_default(),
            start.code()
        ),
        None => {}
    }
    for note in &p.notes {
        println!("  note: {} / {}", note.en, note.fr);
    }
    match &p.interest {
        Ok(b) => {
            println!(
                "Regime / régime: {}   principal {}   due / échéance {}",
                b.regime.code(),
                money(b.principal),
                b.due_date
            );
            let mut t = table(&[
                "from / du",
                "to / au",
                "days / jours",
                "base",
                "rate / taux %",
                "interest / intérêts",
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
            println!(
                "Late interest / intérêts de retard: {} (unrounded / non arrondi {})",
                money(b.total),
                b.total_unrounded
            );
            for w in &b.warnings {
                println!(
                    "  warning / attention: rate to confirm / taux à confirmer — {} {} % from / du {} ({}): {}",
                    w.series,
                    w.rate,
                    w.from,
                    w.status.as_str(),
                    w.source
                );
            }
        }
        Err(why) => {
            println!("Late interest / intérêts de retard: not computed / non calculés — {why}")
        }
    }
    match &p.indemnity {
        Some(i) => println!(
            "Fixed indemnity / indemnité forfaitaire: {} — {} / {}",
            money(i.amount),
            i.basis.en,
            i.basis.fr
        ),
        None => println!("Fixed indemnity / indemnité forfaitaire: none / aucune"),
    }
    println!(
        "Posted to the ledger / porté au compte: interest / intérêts {}, indemnity / indemnité {}",
        money(p.interest_posted),
        money(p.indemnity_posted)
    );
    println!(
        "Still due / reste dû: principal {}, interest / intérêts {}, indemnity / indemnité {}",
        money(p.principal_due()),
        money(p.interest_due()),
        money(p.indemnity_due())
    );
    let (i, d) = (p.interest_to_post(), p.indemnity_to_post());
    if i.is_positive() || d.is_positive() {
        println!(
            "Not yet posted / pas encore porté au compte: interest / intérêts {}, indemnity / indemnité {} (recouvre interest {} --post)",
            money(i),
            money(d),
            p.claim_id
        );
    }
    Ok(())
}

/// What `recouvre interest --post` wrote on the ledger.
pub fn charges_posted(p: &app::charges::PostedCharges, json: bool) -> Result<()> {
    if json {
        return print_json(p);
    }
    println!(
        "claim {} ({}): posted / porté au compte — interest / intérêts {}, indemnity / indemnité {}\n",
        p.number,
        p.claim_id,
        money(p.interest),
        money(p.indemnity)
    );
    Ok(())
}

/// Terms of sale in one line: `penalty 12% · indemnity 60 · term 45d eom · due date is
/// the notice`.
pub fn terms_text(t: &domain::law::ContractTerms) -> String {
    let mut parts = Vec::new();
    if let Some(r) = t.penalty_rate {
        parts.push(format!("penalty rate / taux de pénalités {r}"));
    }
    if let Some(i) = t.indemnity {
        parts.push(format!("indemnity / indemnité {i}"));
    }
    if let Some(term) = t.payment_term {
        parts.push(format!("payment term / délai {term}"));
    }
    if let Some(n) = t.due_date_is_notice {
        parts.push(format!(
            "due date is the notice / échéance vaut mise en demeure: {}",
            if n { "yes / oui" } else { "no / non" }
        ));
    }
    if parts.is_empty() {
        "none: the law applies / aucune : la loi s'applique".into()
    } else {
        parts.join(" · ")
    }
}

pub fn limitation(lines: &[app::law::LimitationLine], as_of: Date, json: bool) -> Result<()> {
    if json {
        return print_json(lines);
    }
    let mut t = table(&[
        "claim / créance",
        "debtor / débiteur",
        "open / reste dû",
        "deadline / prescription",
        "days left / jours",
        "runs from / à compter de",
        "alert",
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
                l.deadline.runs_from.kind.code(),
                l.deadline.runs_from.date
            )),
            Cell::new(format!("{:?}", l.alert)),
        ]);
    }
    println!(
        "Limitation deadlines as of {as_of} / Prescriptions au {as_of}: {} claims",
        lines.len()
    );
    println!("{t}");
    Ok(())
}

pub fn limitation_events(events: &[app::store::StoredLimitationEvent], json: bool) -> Result<()> {
    if json {
        return print_json(events);
    }
    let mut t = table(&[
        "id",
        "debtor / débiteur",
        "claim / créance",
        "kind / nature",
        "date",
        "end / fin",
        "proof / preuve",
        "by / par",
    ]);
    for e in events {
        t.add_row(vec![
            right(e.id),
            right(e.debtor_id),
            Cell::new(
                e.claim_id
                    .map_or_else(|| "all / toutes".to_string(), |c| c.to_string()),
            ),
            Cell::new(e.kind.as_str()),
            Cell::new(e.on),
            Cell::new(e.end.map(|d| d.to_string()).unwrap_or_default()),
            Cell::new(e.proof.as_deref().unwrap_or_default()),
            Cell::new(&e.recorded_by),
        ]);
    }
    println!(
        "Limitation events / événements de prescription : {}",
        events.len()
    );
    println!("{t}");
    Ok(())
}

pub fn routes(r: &app::law::DebtorRoutes, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    let a = &r.advice;
    println!(
        "{} (id {}): total claimable / total réclamable {}, expected recovery / recouvrement attendu {}",
        r.debtor_name,
        r.debtor_id,
        money(a.total),
        money(a.expected_recovery)
    );
    let mut t = table(&[
        "route / voie",
        "open / ouverte",
        "cost / coût",
        "recoverable / recouvrable",
        "why not / obstacles",
    ]);
    for route in &a.routes {
        t.add_row(vec![
            Cell::new(format!("{}\n{}", route.name.en, route.name.fr)),
            Cell::new(if route.open { "yes / oui" } else { "no / non" }),
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
                    .map(|b| b.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ]);
    }
    println!("{t}");
    for barred in &r.time_barred {
        println!(
            "Time-barred since {} / prescrite depuis le {}: {} ({}) — left out / écartée",
            barred.deadline,
            barred.deadline,
            barred.number,
            money(barred.open)
        );
    }
    if r.disputed {
        println!(
            "Disputed / contestée : an open dispute covers a claim / un litige ouvert porte sur une créance"
        );
    }
    println!("Recommendation: {}", a.recommendation.text.en);
    println!("Recommandation : {}", a.recommendation.text.fr);
    Ok(())
}

fn status_text(s: app::store::ActionStatus) -> &'static str {
    use app::store::ActionStatus as S;
    match s {
        S::Draft => "draft / brouillon",
        S::Planned => "planned / prévue",
        S::Approved => "approved / approuvée",
        S::Skipped => "skipped / ignorée",
        S::Done => "done / faite",
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
fn print_counts(groups: &[(&str, &std::collections::BTreeMap<String, usize>)]) {
    let mut t = table(&["", "code", "count / nombre"]);
    for (label, counts) in groups {
        for (code, n) in *counts {
            t.add_row(vec![Cell::new(label), Cell::new(code), right(n)]);
        }
    }
    println!("{t}");
}

pub fn run_counts(r: &app::dunning::RunReport) {
    let verb = if r.preview {
        format!(
            "Preview of the run of {} / Aperçu de la relance du {}",
            r.as_of, r.as_of
        )
    } else if r.dry_run {
        format!(
            "Dry run of {} (nothing written) / Simulation du {} (rien d'écrit)",
            r.as_of, r.as_of
        )
    } else {
        format!("Dunning run of {} / Relance du {}", r.as_of, r.as_of)
    };
    println!("{verb}");
    if let Some(s) = &r.stale {
        let last = s
            .last_refresh
            .map_or_else(|| "never / jamais".to_string(), |d| d.to_string());
        println!(
            "Payment data is stale (last refresh {last}, limit {} days): nothing is sent until a payment import.",
            s.limit_days
        );
        println!(
            "Données de paiement périmées (dernière mise à jour {last}, limite {} jours) : aucune relance avant un import de paiements.",
            s.limit_days
        );
    }
    println!(
        "{} cases seen / dossiers vus, {} assigned / affectés, {} reopened / rouverts, {} closed / clos, {} actions{}",
        r.cases_seen,
        r.assigned,
        r.reopened,
        r.closed,
        r.actions.len(),
        if r.review_mode {
            " (drafts / brouillons)"
        } else {
            ""
        }
    );
    if r.actions_by_channel.is_empty() && r.skips_by_reason.is_empty() {
        println!("Nothing due today / rien à faire aujourd'hui.");
        return;
    }
    if !r.letters_refused.is_empty() {
        // Never printed nor marked sent: the letter is `failed` in the outbox with this.
        println!(
            "Letters refused, not issued / courriers refusés, non émis : {}",
            r.letters_refused.len()
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
        ("action (channel / canal)", &r.actions_by_channel),
        ("held back / reportée", &r.skips_by_reason),
    ]);
    for h in &r.held_back {
        println!("{} ({}): {}", h.debtor_name, h.debtor_id, h.reason_en);
        println!("{} ({}) : {}", h.debtor_name, h.debtor_id, h.reason_fr);
    }
    if !r.limitation_alerts.is_empty() {
        println!(
            "Limitation alerts / alertes de prescription : {} ({} new / nouvelles)",
            r.limitation_alerts.len(),
            r.limitation_alerts
                .iter()
                .filter(|a| a.action_id.is_some())
                .count()
        );
        let mut t = table(&[
            "claim / créance",
            "debtor / débiteur",
            "open / restant dû",
            "deadline / prescription",
            "days left / jours restants",
            "alert / alerte",
            "to save it / pour la sauver",
        ]);
        for a in r.limitation_alerts.iter().take(20) {
            t.add_row(vec![
                Cell::new(&a.number),
                Cell::new(&a.debtor_name),
                right(a.open.to_string()),
                Cell::new(a.deadline.to_string()),
                right(a.days_left.to_string()),
                Cell::new(format!("{} d / j", a.threshold)),
                Cell::new(format!("{} / {}", a.remedy.en, a.remedy.fr)),
            ]);
        }
        println!("{t}");
    }
    if !r.insurer_alerts.is_empty() {
        println!(
            "Declarations to insurers / déclarations aux assureurs : {} ({} new / nouvelles)",
            r.insurer_alerts.len(),
            r.insurer_alerts
                .iter()
                .filter(|a| a.action_id.is_some())
                .count()
        );
        let mut t = table(&[
            "claim / créance",
            "debtor / débiteur",
            "open / restant dû",
            "insurer / assureur",
            "deadline / date limite",
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
}

pub fn run_report(r: &app::dunning::RunReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    if !r.actions.is_empty() {
        let mut t = table(&[
            "id",
            "debtor / débiteur",
            "step / étape",
            "channels / canaux",
            "amount / montant",
            "claims / créances",
            "stage after / étape suivante",
            "status / statut",
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
            "Note: tasks are not assigned to anyone yet; showing everyone's, not only {who}'s."
        );
        println!(
            "Note : les tâches ne sont encore attribuées à personne ; toutes sont affichées, pas seulement celles de {who}."
        );
    }
    let mut t = table(&[
        "action",
        "debtor / débiteur",
        "task / tâche",
        "status / statut",
        "open / reste dû",
        "priority / priorité",
        "why / pourquoi",
    ]);
    for i in items {
        t.add_row(vec![
            right(i.action_id),
            Cell::new(format!("{} ({})", i.debtor_name, i.debtor_id)),
            Cell::new(format!("{}\n{}", i.step, i.channels)),
            Cell::new(status_text(i.status)),
            right(money(i.open)),
            right(i.priority),
            Cell::new(format!("{}\n{}", i.reason_en, i.reason_fr)),
        ]);
    }
    println!(
        "Worklist as of {as_of} / Liste de travail au {as_of}: {} tasks / tâches",
        items.len()
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
        "debtor / débiteur",
        "step / étape",
        "channels / canaux",
        "amount / montant",
        "claims / créances",
        "status / statut",
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
    println!(
        "action {} ({} for debtor / pour le débiteur {}): {}",
        a.id,
        a.step_code,
        a.debtor_id,
        status_text(a.status)
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
            "Shipped scenarios (none loaded) / Scénarios livrés (aucun chargé)"
        } else {
            "Scenarios loaded in this database / Scénarios chargés dans cette base"
        }
    );
    for s in set.scenarios() {
        let default = if s.code() == set.default_scenario().code() {
            " (default / par défaut)"
        } else {
            ""
        };
        println!(
            "{}{default}\n  {}\n  {}",
            s.code(),
            s.name_en(),
            s.name_fr()
        );
        let mut t = table(&[
            "step / étape",
            "day / jour",
            "channels / canaux",
            "template / modèle",
            "stage / étape du dossier",
            "penalties / pénalités",
            "resets on payment / rejouée après paiement",
            "when / si",
        ]);
        for st in s.steps() {
            t.add_row(vec![
                Cell::new(st.code.as_str()),
                right(format!("{:+}", st.offset_days)),
                Cell::new(st.channels.to_string()),
                Cell::new(&*st.template),
                Cell::new(st.stage.to_string()),
                Cell::new(if st.claim_penalties { "yes / oui" } else { "" }),
                Cell::new(if st.resets_on_payment {
                    "yes / oui"
                } else {
                    ""
                }),
                Cell::new(conditions_text(&st.conditions)),
            ]);
        }
        println!("{t}\n");
    }
    println!(
        "Assignment rules, first match wins / règles d'affectation, la première qui s'applique :"
    );
    for (i, rule) in set.rules().enumerate() {
        println!(
            "  {}. {} ← {}",
            i + 1,
            rule.scenario,
            conditions_text(&rule.when)
        );
    }
    println!("  otherwise / sinon: {}", set.default_scenario().code());
    Ok(())
}

/// The summary of a simulation (`recouvre simulate`, `recouvre demo --simulate-days`).
pub fn simulation(r: &app::simulate::SimReport, elapsed: Duration, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    println!(
        "Simulation {} → {}: {} days, {} debtors, {} claims, {} actions ({:.1} s)",
        r.from,
        r.to,
        r.days,
        r.debtors,
        r.claims,
        r.actions,
        elapsed.as_secs_f64()
    );
    println!(
        "Simulation du {} au {} : {} jours, {} débiteurs, {} créances, {} actions",
        r.from, r.to, r.days, r.debtors, r.claims, r.actions
    );
    print_counts(&[
        ("action (channel / canal)", &r.actions_by_channel),
        ("action (step / étape)", &r.actions_by_step),
        ("held back / reportée (case-days)", &r.skips_by_reason),
    ]);
    println!(
        "Cases / dossiers: {} opened / ouverts, {} closed paid / clos payés, {} assigned / affectés",
        r.cases_opened, r.cases_closed_paid, r.cases_assigned
    );
    println!(
        "Cash collected / encaissements: {}",
        moneys(&r.cash_collected)
    );
    let mut t = table(&["", &r.start.date.to_string(), &r.end.date.to_string()]);
    t.add_row(vec![
        Cell::new("open / en cours"),
        right(moneys(&r.start.open)),
        right(moneys(&r.end.open)),
    ]);
    t.add_row(vec![
        Cell::new("overdue / échu"),
        right(moneys(&r.start.overdue)),
        right(moneys(&r.end.overdue)),
    ]);
    let dso = |s: &app::simulate::Snapshot| {
        s.dso
            .iter()
            .map(|d| match d.days {
                Some(days) => format!("{days} d ({})", d.currency.code()),
                None => format!("- ({})", d.currency.code()),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    t.add_row(vec![
        Cell::new("DSO (days / jours)"),
        right(dso(&r.start)),
        right(dso(&r.end)),
    ]);
    println!("{t}");
    println!("{}", r.dso_formula);
    println!("Note: {}", r.note);
    println!(
        "Note : les paiements suivent les plans tirés à la génération du portefeuille : les relances ne changent pas (encore) les dates de paiement."
    );
    Ok(())
}

fn payment_status_text(s: app::store::PaymentStatus) -> &'static str {
    use app::store::PaymentStatus;
    match s {
        PaymentStatus::Applied => "applied / affecté",
        PaymentStatus::Review => "to review / à revoir",
        PaymentStatus::Ignored => "ignored / ignoré",
        PaymentStatus::Returned => "returned / rejeté",
    }
}

pub fn statement_report(r: &app::payments::StatementReport, json: bool) -> Result<()> {
    if json {
        return print_json(r);
    }
    if let Some(at) = &r.already_imported_at {
        println!(
            "{}: this exact file was already imported on {at}; nothing changed.",
            r.file_name
        );
        println!(
            "{} : ce relevé a déjà été importé le {at} ; rien n'a changé.",
            r.file_name
        );
        return Ok(());
    }
    println!(
        "{} ({}): {} statement(s) / relevé(s)",
        r.file_name, r.format, r.statements
    );
    let mut t = table(&["", "count / nombre", "amount / montant"]);
    let rows: [(&str, usize, String); 9] = [
        ("entries / écritures", r.entries, String::new()),
        ("transactions / opérations", r.details, String::new()),
        ("new / nouvelles", r.new, String::new()),
        ("duplicates / doublons", r.duplicates, String::new()),
        (
            "applied automatically / affectées automatiquement",
            r.applied,
            moneys(&r.amount_applied),
        ),
        (
            "to review / à revoir",
            r.to_review,
            moneys(&r.amount_to_review),
        ),
        ("debits ignored / débits ignorés", r.debits, String::new()),
        ("returned / rejets", r.returned, String::new()),
        (
            "not booked / non comptabilisées",
            r.not_booked,
            String::new(),
        ),
    ];
    for (label, n, amount) in rows {
        t.add_row(vec![Cell::new(label), right(n), right(amount)]);
    }
    if !r.credit_left.is_empty() {
        t.add_row(vec![
            Cell::new("credit left on debtors / avoir laissé aux débiteurs"),
            right(""),
            right(moneys(&r.credit_left)),
        ]);
    }
    println!("{t}");
    if r.to_review > 0 {
        println!("Next / ensuite : recouvre payments review");
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
        "value date / valeur",
        "amount / montant",
        "payer / payeur",
        "remittance / libellé",
        "status / statut",
        "debtor / débiteur",
        "pass on to / à reverser à",
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
        println!("No payment waits for review. / Aucun paiement à revoir.");
        return Ok(());
    }
    for item in items {
        let p = &item.payment;
        println!(
            "payment / paiement {} — {} on / le {} — {} — {}",
            p.id,
            money(p.amount),
            p.value_date,
            p.payer_name.as_deref().unwrap_or("?"),
            remittance_text(p)
        );
        if item.suggestions.is_empty() {
            println!("  no suggestion / aucune suggestion");
            continue;
        }
        let mut t = table(&[
            "score",
            "debtor / débiteur",
            "claims / créances",
            "credit / avoir",
            "why / pourquoi",
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
                .map(|(en, fr)| format!("{en} / {fr}"))
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
    println!(
        "payment {} applied for debtor {} / paiement {} affecté au débiteur {}",
        p.payment_id, p.debtor_id, p.payment_id, p.debtor_id
    );
    let mut t = table(&[
        "claim / créance",
        "amount / montant",
        "costs / frais",
        "interest / intérêts",
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
        println!(
            "paid and posted on claim {} / payé et porté au compte de la créance {} : interest / intérêts {}, indemnity / indemnité {}",
            c.number,
            c.number,
            money(c.interest),
            money(c.indemnity)
        );
    }
    if p.overpayment.is_positive() {
        println!(
            "credit kept on the debtor / avoir conservé au débiteur : {}",
            money(p.overpayment)
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
