//! Bank statements and payments: cash that arrives closes claims without anyone typing.
//!
//! [`import_statement`] reads a statement file (camt.053/054, MT940, or a bank's CSV with a
//! column mapping) completely, then in ONE transaction: records the file (its SHA-256 makes
//! the same file twice a no-op), stores every booked transaction detail not seen before
//! (each detail's fingerprint is unique in the store, so overlapping statements never book
//! a payment twice), matches each new credit against the open claims with the pure engine
//! (`domain::matching`), applies the confident ones — one `Payment` ledger entry per claim,
//! imputed costs, then interest, then principal — and queues the rest for review. It also
//! records the statement's date as the payment-data refresh the dunning run checks. Any
//! error rolls everything back.
//!
//! A person then works the queue: [`review`] lists the waiting credits with ranked
//! suggestions (computed afresh, against what is open now), [`apply`] posts one on the
//! claims the person names (or the top suggestion), [`ignore`] sets one aside. Applying a
//! payment teaches the store the payer's IBAN, so the next payment from that account is
//! recognised; what no claim takes stays a credit on the debtor (`debtor_credits`).
//!
//! Identical details inside one statement (two customers paying the same amount the same
//! day, in a CSV export without references) are told apart by their rank: the second
//! one's fingerprint gets `#2`; another file carrying the same two lines gives the same
//! keys. The same detail in two statements of one file is an overlap, stored once.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::import::fingerprint as file_fingerprint;
use crate::store::{
    DebtorCredit, PaymentFilter, PaymentStatus, Store, StoredAllocation, StoredPayment,
    StoredStatement, Tx,
};
use domain::date::day_number;
use domain::law::RateTables;
use domain::matching::{
    self, DEFAULT_AUTO_THRESHOLD, IncomingPayment, Lang, MatchIndex, MatchResult, OpenItem,
    Proposal,
};
use domain::money::Totals;
use domain::{Claim, ClaimId, ClaimLedger, Currency, Date, DebtorId, Money};
use formats::statement::{EntryStatus, Source, Statement};
use formats::statement_csv::CsvMapping;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// The file formats a statement can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementFormat {
    /// ISO 20022 camt.053, camt.054 (and camt.052).
    Camt,
    Mt940,
    Csv,
}

impl StatementFormat {
    pub const fn as_str(self) -> &'static str {
        match self {
            StatementFormat::Camt => "camt",
            StatementFormat::Mt940 => "mt940",
            StatementFormat::Csv => "csv",
        }
    }
}

impl fmt::Display for StatementFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StatementFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "camt" | "camt053" | "camt.053" | "camt054" | "camt.054" | "xml" => {
                Ok(StatementFormat::Camt)
            }
            "mt940" | "sta" => Ok(StatementFormat::Mt940),
            "csv" => Ok(StatementFormat::Csv),
            _ => Err(domain::tr!(
                "{s:?} is not one of: camt, mt940, csv",
                "{s:?} n'est pas parmi : camt, mt940, csv"
            )),
        }
    }
}

/// How to read and apply a statement.
#[derive(Debug, Clone)]
pub struct StatementOptions {
    /// The format; detected from the content when `None`.
    pub format: Option<StatementFormat>,
    /// The column mapping of a CSV export (required for CSV).
    pub csv: Option<CsvMapping>,
    /// Score (per mille) from which a match is applied without a person.
    pub threshold: u16,
    /// Advanced by one for every new transaction written, once the file has been read.
    pub progress: Option<std::sync::Arc<crate::jobs::Progress>>,
    /// The rate tables of the interest a payment may pay (see [`crate::charges`]); the
    /// embedded ones when `None`.
    pub rates: Option<std::sync::Arc<RateTables>>,
    /// Import a statement whose balances do not close, or an MT940 statement without its
    /// closing balance (refused otherwise: a file cut short would be booked in half).
    pub accept_unbalanced: bool,
    /// Who imports: the import is audited (`import.statement`, its report) in its own
    /// transaction. Every face sets it; only tests leave it out.
    pub actor: Option<crate::audit::Actor>,
}

impl Default for StatementOptions {
    fn default() -> Self {
        Self {
            format: None,
            csv: None,
            threshold: DEFAULT_AUTO_THRESHOLD,
            progress: None,
            rates: None,
            accept_unbalanced: false,
            actor: None,
        }
    }
}

/// The format of a statement file, from its first bytes: XML is camt, SWIFT tags are
/// MT940, anything else is taken for CSV.
pub fn detect_format(bytes: &[u8]) -> StatementFormat {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        StatementFormat::Camt
    } else if head.starts_with("{1:")
        || (text.contains(":20:") && (text.contains(":60F:") || text.contains(":61:")))
    {
        StatementFormat::Mt940
    } else {
        StatementFormat::Csv
    }
}

/// Builds a CSV mapping from `key=Header` pairs (`--map`): `account`, `currency`,
/// `booking_date`, `value_date`, `amount`, `debit`, `credit`, `currency_column`,
/// `reference`, `remittance` (repeatable, in order), `payer_name`, `payer_iban`,
/// `date_order` and `delimiter`. Defaults: columns `date` and `amount`, EUR.
pub fn csv_mapping(pairs: &[String]) -> AppResult<CsvMapping> {
    let mut map = CsvMapping::new("", Currency::EUR, "date", "amount");
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(AppError::Invalid(domain::tr!(
                "--map {pair:?}: expected key=Header, e.g. amount=Montant",
                "--map {pair:?} : attendu clé=En-tête, par exemple amount=Montant"
            )));
        };
        let value = value.trim().to_string();
        let bad = |why: String| {
            AppError::Invalid(domain::tr!(
                "--map {pair:?}: {why}",
                "--map {pair:?} : {why}"
            ))
        };
        match key.trim() {
            "account" => map.account = value,
            "currency" => {
                map.currency =
                    domain::money::parse_currency(&value).map_err(|e| bad(e.to_string()))?
            }
            "booking_date" | "date" => map.booking_date = value,
            "value_date" => map.value_date = Some(value),
            "amount" => map.amount = Some(value),
            "debit" => {
                map.debit = Some(value);
                if map.amount.as_deref() == Some("amount") {
                    map.amount = None;
                }
            }
            "credit" => {
                map.credit = Some(value);
                if map.amount.as_deref() == Some("amount") {
                    map.amount = None;
                }
            }
            "currency_column" => map.currency_column = Some(value),
            "reference" => map.reference = Some(value),
            "remittance" => map.remittance.push(value),
            "payer_name" | "counterparty_name" => map.counterparty_name = Some(value),
            "payer_iban" | "counterparty_iban" => map.counterparty_iban = Some(value),
            "date_order" => map.date_order = value.parse().map_err(bad)?,
            "delimiter" => {
                let mut bytes = value.bytes();
                match (bytes.next(), bytes.next()) {
                    (Some(b), None) => map.delimiter = Some(b),
                    _ => return Err(bad("the delimiter is one character".into())),
                }
            }
            other => return Err(bad(format!("unknown key {other:?}"))),
        }
    }
    if map.account.is_empty() {
        map.account = "CSV".into();
    }
    Ok(map)
}

/// Parses a statement file whole: nothing is written before this succeeds.
pub fn read_statements(
    file_name: &str,
    bytes: &[u8],
    options: &StatementOptions,
) -> AppResult<(StatementFormat, Vec<Statement>)> {
    let format = options.format.unwrap_or_else(|| detect_format(bytes));
    let invalid = |e: formats::statement::StatementError| AppError::Invalid(e.to_string());
    let statements = match format {
        StatementFormat::Camt => formats::camt::read_camt(file_name, bytes).map_err(invalid)?,
        StatementFormat::Mt940 => formats::mt940::read_mt940(file_name, bytes).map_err(invalid)?,
        StatementFormat::Csv => {
            let Some(map) = &options.csv else {
                return Err(AppError::Invalid(domain::tr!(
                    "{file_name}: a CSV statement needs its column mapping (--map amount=..., --map date=...)",
                    "{file_name} : un relevé CSV a besoin de la correspondance de ses colonnes (--map amount=..., --map date=...)"
                )));
            };
            vec![
                formats::statement_csv::read_statement_csv(file_name, bytes, map)
                    .map_err(invalid)?,
            ]
        }
    };
    if !options.accept_unbalanced {
        for st in &statements {
            if let Some((problem_en, problem_fr)) = st.balance_problem() {
                let id = &st.id;
                return Err(AppError::Invalid(domain::tr!(
                    "{file_name}: statement {id}: {problem_en}; nothing was imported. \
                     If the bank's file is known not to balance, import it with --accept-unbalanced",
                    "{file_name} : relevé {id} : {problem_fr} ; rien n'a été importé. \
                     Si le fichier de la banque est connu pour ne pas boucler, importez-le avec --accept-unbalanced"
                )));
            }
        }
    }
    Ok((format, statements))
}

/// The ISO 11649 RF creditor reference of a claim, printed on letters and e-mails: built
/// from its number (`None` when the number holds more than 21 letters and digits).
pub fn rf_reference(claim: &Claim) -> Option<String> {
    formats::rf::generate(claim.number.as_str())
        .ok()
        .map(|r| r.as_str().to_string())
}

/// The ISO 11649 RF reference of a debtor, printed on letters and e-mails about several of
/// its claims: built from its customer reference; the matcher reads it back as naming the
/// debtor (`None` when the reference holds more than 21 letters and digits).
pub fn debtor_rf_reference(debtor: &domain::Debtor) -> Option<String> {
    formats::rf::generate(&debtor.external_id)
        .ok()
        .map(|r| r.as_str().to_string())
}

/// One new transaction of an import, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedLine {
    pub payment_id: i64,
    pub amount: Money,
    pub status: PaymentStatus,
    pub debtor_id: Option<DebtorId>,
    pub claims: Vec<ClaimId>,
    /// The best match's score, per mille, for credits.
    pub score: Option<u16>,
}

/// What a statement import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatementReport {
    pub file_name: String,
    pub fingerprint: String,
    pub format: String,
    pub statements: usize,
    pub entries: usize,
    /// Transaction details (a batch booking counts each payment).
    pub details: usize,
    /// Pending or information-only entries: not booked, not stored.
    pub not_booked: usize,
    /// Details stored by this import.
    pub new: usize,
    /// Details already stored by an earlier import.
    pub duplicates: usize,
    pub applied: usize,
    pub to_review: usize,
    /// Debits, stored and ignored.
    pub debits: usize,
    pub returned: usize,
    pub amount_applied: Vec<Money>,
    pub amount_to_review: Vec<Money>,
    /// Over-payments kept as credits on debtors.
    pub credit_left: Vec<Money>,
    /// Set when this exact file was imported before: nothing was written.
    pub already_imported_at: Option<String>,
    pub lines: Vec<ImportedLine>,
}

/// The open claims, debtor names and learned IBANs, indexed for matching.
struct Matcher {
    index: MatchIndex,
    names: HashMap<DebtorId, String>,
    numbers: HashMap<ClaimId, String>,
}

impl Matcher {
    async fn load(tx: &mut dyn Tx, as_of: Date) -> AppResult<Self> {
        let claims = tx.claims(None).await?;
        let book = tx.book(None).await?;
        let day = day_number(as_of);
        let open: HashMap<ClaimId, i64> = book
            .claims()
            .iter()
            .map(|c| (c.id, book.open_minor(c, day)))
            .collect();
        let items: Vec<OpenItem> = claims
            .iter()
            .map(|c| OpenItem {
                claim_id: c.id,
                debtor_id: c.debtor_id,
                number: c.number.as_str().to_string(),
                rf_reference: rf_reference(c),
                currency: c.currency,
                open_minor: open.get(&c.id).copied().unwrap_or(0),
                due_date: c.due_date,
            })
            .collect();
        let debtors: HashMap<DebtorId, domain::Debtor> = tx
            .debtors(None)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        let ibans: Vec<_> = tx
            .payer_ibans()
            .await?
            .into_iter()
            .map(|p| (p.iban, p.debtor_id))
            .collect();
        let index = MatchIndex::new(
            items,
            debtors.values().map(|d| (d.id, d.name.clone())),
            ibans,
        )
        .with_debtor_references(|id| debtors.get(&id).and_then(debtor_rf_reference));
        let names = debtors.into_iter().map(|(id, d)| (id, d.name)).collect();
        let numbers = claims
            .into_iter()
            .map(|c| (c.id, c.number.as_str().to_string()))
            .collect();
        Ok(Self {
            index,
            names,
            numbers,
        })
    }

    fn matches(&self, p: &StoredPayment) -> MatchResult {
        matching::match_payment(
            &self.index,
            &IncomingPayment {
                id: p.fingerprint.clone(),
                amount: p.amount,
                value_date: p.value_date,
                remittance: p.remittance.clone(),
                structured_reference: p.structured_reference.clone(),
                payer_name: p.payer_name.clone(),
                payer_iban: p.payer_iban.clone(),
            },
        )
    }
}

/// What posting a payment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posted {
    pub payment_id: i64,
    pub debtor_id: DebtorId,
    pub allocations: Vec<StoredAllocation>,
    /// The interest and indemnity posted because the payment paid them (see
    /// [`crate::charges`]).
    pub charges: Vec<crate::charges::PostedCharges>,
    /// What no claim took: a credit on the debtor.
    pub overpayment: Money,
}

/// Posts `payment` on the `designated` claims (one debtor's), oldest first, each share
/// imputed costs, then interest, then the indemnity, then principal; when the payment is
/// more than what is open, first posts the interest and indemnity it pays (up to the
/// excess, [`crate::charges`]); keeps the rest as a credit on the debtor, learns the
/// payer's IBAN and marks the payment applied.
///
/// With `expected`, the allocation must be the one the matcher proposed (it saw the claims
/// as open today; an earlier line of the same statement may have paid them since): when
/// it differs, nothing is written and `None` returned, and the payment goes to review.
async fn post(
    tx: &mut dyn Tx,
    payment: &StoredPayment,
    designated: &[ClaimId],
    expected: Option<&Proposal>,
    tables: &RateTables,
    now: &str,
) -> AppResult<Option<Posted>> {
    let mut claims: Vec<(Claim, ClaimLedger)> = Vec::with_capacity(designated.len());
    for &id in designated {
        let claim = tx.claim(id).await?.ok_or_else(|| AppError::NotFound {
            what: "claim",
            id: id.to_string(),
        })?;
        if claim.currency != payment.amount.currency() {
            let (claim_currency, payment_id, payment_currency) = (
                claim.currency.code(),
                payment.id,
                payment.amount.currency().code(),
            );
            return Err(AppError::Invalid(domain::tr!(
                "claim {id} is in {claim_currency}, payment {payment_id} in {payment_currency}",
                "la créance {id} est en {claim_currency}, le paiement {payment_id} en {payment_currency}"
            )));
        }
        if let Some((first, _)) = claims.first()
            && first.debtor_id != claim.debtor_id
        {
            let first = first.id;
            return Err(AppError::Invalid(domain::tr!(
                "claims {first} and {id} belong to different debtors; a payment is applied for one debtor",
                "les créances {first} et {id} sont à des débiteurs différents ; un paiement s'affecte pour un seul débiteur"
            )));
        }
        let ledger = ClaimLedger::from_entries(claim.currency, tx.ledger_entries(id).await?);
        claims.push((claim, ledger));
    }
    let Some(debtor) = claims.first().map(|(c, _)| c.debtor_id) else {
        let payment_id = payment.id;
        return Err(AppError::Invalid(domain::tr!(
            "payment {payment_id}: no claim to apply it to",
            "paiement {payment_id} : aucune créance à laquelle l'affecter"
        )));
    };
    let plan_on = |claims: &[(Claim, ClaimLedger)]| {
        let view: Vec<(ClaimId, Date, &ClaimLedger)> =
            claims.iter().map(|(c, l)| (c.id, c.due_date, l)).collect();
        matching::allocate::allocate_on_ledgers(
            payment.amount,
            &view,
            designated,
            payment.value_date,
        )
        .map_err(|e| AppError::Invalid(format!("payment {}: {e}", payment.id)))
    };
    let mut plan = plan_on(&claims)?;
    if let Some(p) = expected {
        let mut lines: Vec<(ClaimId, Money)> =
            plan.shares.iter().map(|s| (s.claim, s.amount)).collect();
        let mut proposed = p.allocations.clone();
        lines.sort_by_key(|(c, _)| *c);
        proposed.sort_by_key(|(c, _)| *c);
        if lines != proposed || plan.overpayment != p.overpayment {
            return Ok(None);
        }
    }
    if plan.shares.is_empty() {
        let (payment_id, ids, day) = (payment.id, ids_text(designated), payment.value_date);
        return Err(AppError::Invalid(domain::tr!(
            "payment {payment_id}: nothing is open on claims {ids} as of {day}",
            "paiement {payment_id} : rien n'est ouvert sur les créances {ids} au {day}"
        )));
    }
    let mut charges = Vec::new();
    if plan.overpayment.is_positive() {
        charges = crate::charges::post_from_excess(
            tx,
            &mut claims,
            &plan,
            payment.value_date,
            tables,
            &format!("paid by payment {}", payment.id),
            now,
        )
        .await?;
        if !charges.is_empty() {
            plan = plan_on(&claims)?;
        }
    }
    let reference = Some(format!("payment {}", payment.id));
    let mut allocations = Vec::with_capacity(plan.shares.len());
    for share in &plan.shares {
        let Some((_, ledger)) = claims.iter_mut().find(|(c, _)| c.id == share.claim) else {
            continue; // every share comes from `claims`
        };
        let before = ledger.entries().len();
        let breakdown = matching::allocate::post_payment(
            ledger,
            share.amount,
            payment.value_date,
            reference.clone(),
        )
        .map_err(|e| {
            AppError::Invalid(format!(
                "payment {} on claim {}: {e}",
                payment.id, share.claim
            ))
        })?;
        let posted = &ledger.entries()[before..];
        tx.append_entries(share.claim, posted, now).await?;
        let seq = posted.last().map_or(0, |e| e.seq);
        allocations.push(StoredAllocation {
            payment_id: payment.id,
            claim_id: share.claim,
            ledger_seq: seq,
            amount: share.amount,
            fees: breakdown.fees,
            interest: breakdown.interest_and_indemnity(),
            principal: breakdown.principal,
        });
    }
    tx.insert_allocations(&allocations).await?;
    if plan.overpayment.is_positive() {
        tx.add_debtor_credit(&DebtorCredit {
            debtor_id: debtor,
            payment_id: Some(payment.id),
            amount: plan.overpayment,
            date: payment.value_date,
            recorded_at: now.to_string(),
        })
        .await?;
    }
    if let Some(iban) = payment
        .payer_iban
        .as_deref()
        .and_then(|i| formats::iban::Iban::parse(i).ok())
    {
        tx.learn_iban(iban.as_str(), debtor, payment.value_date)
            .await?;
    }
    tx.set_payment_status(payment.id, PaymentStatus::Applied, Some(debtor), now)
        .await?;
    Ok(Some(Posted {
        payment_id: payment.id,
        debtor_id: debtor,
        allocations,
        charges,
        overpayment: plan.overpayment,
    }))
}

fn ids_text(ids: &[ClaimId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn source_format(source: Source) -> StatementFormat {
    match source {
        Source::Camt053 | Source::Camt054 | Source::Camt052 => StatementFormat::Camt,
        Source::Mt940 => StatementFormat::Mt940,
        Source::Csv => StatementFormat::Csv,
    }
}

/// Imports a bank statement file (`bytes`, the content of `file_name`). See the module
/// documentation.
pub async fn import_statement(
    store: &dyn Store,
    clock: &dyn Clock,
    file_name: &str,
    bytes: &[u8],
    options: &StatementOptions,
) -> AppResult<StatementReport> {
    let (format, statements) = read_statements(file_name, bytes, options)?;
    let mut report = StatementReport {
        file_name: file_name.to_string(),
        fingerprint: file_fingerprint(bytes),
        format: statements
            .first()
            .map_or(format, |s| source_format(s.source))
            .as_str()
            .to_string(),
        statements: statements.len(),
        ..StatementReport::default()
    };
    let mut tx = store.begin().await?;
    if let Some(previous) = tx.statement_by_fingerprint(&report.fingerprint).await? {
        report.already_imported_at = Some(previous.imported_at);
        return Ok(report);
    }
    let now = clock.now_rfc3339();
    let today = clock.today();

    // Every booked detail, with its key, in file order; duplicates counted.
    struct Line<'a> {
        account: &'a str,
        entry: &'a formats::statement::Entry,
        detail: &'a formats::statement::TxDetail,
        key: String,
    }
    let mut lines = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut first_date, mut last_date) = (None::<Date>, None::<Date>);
    for st in &statements {
        // Identical details within one statement are distinct bookings (ranked); the same
        // detail in two statements of one file is an overlap (seen once).
        let mut ranks: HashMap<String, usize> = HashMap::new();
        if let Some(d) = st.closing.and_then(|b| b.date) {
            last_date = last_date.max(Some(d));
        }
        for entry in &st.entries {
            report.entries += 1;
            report.details += entry.transactions.len();
            if !matches!(entry.status, EntryStatus::Booked) {
                report.not_booked += entry.transactions.len();
                continue;
            }
            if let Some(d) = entry.booking_date.or(entry.value_date) {
                first_date = Some(first_date.map_or(d, |f| f.min(d)));
                last_date = last_date.max(Some(d));
            }
            for (i, detail) in entry.transactions.iter().enumerate() {
                let fp = detail.fingerprint(st, entry, i);
                let rank = ranks.entry(fp.clone()).or_insert(0);
                *rank += 1;
                let key = if *rank == 1 {
                    fp
                } else {
                    format!("{fp}#{rank}")
                };
                if !seen.insert(key.clone()) || tx.payment_exists(&key).await? {
                    report.duplicates += 1;
                    continue;
                }
                lines.push(Line {
                    account: st.account.as_str(),
                    entry,
                    detail,
                    key,
                });
            }
        }
    }
    report.new = lines.len();
    if let Some(p) = &options.progress {
        p.start(lines.len());
    }
    let accounts: Vec<&str> = dedup(statements.iter().map(|s| s.account.as_str()));
    let ids: Vec<&str> = dedup(statements.iter().map(|s| s.id.as_str()));
    let statement_id = tx
        .insert_statement(&StoredStatement {
            id: 0,
            fingerprint: report.fingerprint.clone(),
            file_name: file_name.to_string(),
            format: report.format.clone(),
            accounts: accounts.join(","),
            statement_ids: ids.join(","),
            first_date,
            last_date,
            entries: count(report.entries),
            details: count(report.details),
            new_details: count(report.new),
            duplicates: count(report.duplicates),
            imported_at: now.clone(),
        })
        .await?;

    let rates = match &options.rates {
        Some(r) => r.clone(),
        None => std::sync::Arc::new(
            RateTables::embedded().map_err(|e| AppError::Invalid(e.to_string()))?,
        ),
    };
    let matcher = if lines.iter().any(|l| l.detail.amount.is_positive()) {
        Some(Matcher::load(tx.as_mut(), today).await?)
    } else {
        None
    };
    let (mut applied, mut to_review, mut credit_left) =
        (Totals::new(), Totals::new(), Totals::new());
    for line in lines {
        crate::jobs::advance(options.progress.as_ref());
        let (entry, detail) = (line.entry, line.detail);
        // A notification may carry no date at all: the day it is imported stands in.
        let value_date = entry.value_date.or(entry.booking_date).unwrap_or(today);
        let credit = detail.amount.is_positive();
        let status = if entry.reversal || detail.return_reason.is_some() {
            PaymentStatus::Returned
        } else if credit {
            PaymentStatus::Review
        } else {
            PaymentStatus::Ignored
        };
        let mut payment = StoredPayment {
            id: 0,
            statement_id,
            fingerprint: line.key,
            account: line.account.to_string(),
            booking_date: entry.booking_date,
            value_date,
            amount: detail.amount,
            payer_name: detail.counterparty_name.clone(),
            payer_iban: detail
                .counterparty_account
                .as_ref()
                .map(|a| a.as_str().to_string()),
            remittance: detail
                .remittance_unstructured
                .iter()
                .map(|l| l.replace('\n', " "))
                .collect(),
            structured_reference: detail.structured_reference.clone(),
            entry_reference: entry
                .entry_reference
                .clone()
                .or_else(|| entry.bank_reference.clone()),
            end_to_end_id: detail.end_to_end_id.clone(),
            status,
            debtor_id: None,
            decided_at: (status != PaymentStatus::Review).then(|| now.clone()),
        };
        payment.id = tx.insert_payment(&payment).await?;
        let mut imported = ImportedLine {
            payment_id: payment.id,
            amount: payment.amount,
            status,
            debtor_id: None,
            claims: Vec::new(),
            score: None,
        };
        match status {
            PaymentStatus::Ignored => report.debits += 1,
            PaymentStatus::Returned => report.returned += 1,
            PaymentStatus::Applied => {}
            PaymentStatus::Review => {
                let result = matcher.as_ref().map(|m| m.matches(&payment));
                let best = result.as_ref().and_then(|r| r.best.as_ref());
                imported.score = best.map(|p| p.score);
                let auto = result
                    .as_ref()
                    .and_then(|r| r.auto_apply(options.threshold));
                let posted = match auto {
                    Some(p) if !p.allocations.is_empty() => {
                        let named: Vec<ClaimId> = p.allocations.iter().map(|(c, _)| *c).collect();
                        post(tx.as_mut(), &payment, &named, Some(p), &rates, &now).await?
                    }
                    _ => None,
                };
                match posted {
                    Some(done) => {
                        report.applied += 1;
                        applied.add(payment.amount);
                        if done.overpayment.is_positive() {
                            credit_left.add(done.overpayment);
                        }
                        imported.status = PaymentStatus::Applied;
                        imported.debtor_id = Some(done.debtor_id);
                        imported.claims = done.allocations.iter().map(|a| a.claim_id).collect();
                    }
                    None => {
                        report.to_review += 1;
                        to_review.add(payment.amount);
                    }
                }
            }
        }
        report.lines.push(imported);
    }
    report.amount_applied = applied.iter().collect();
    report.amount_to_review = to_review.iter().collect();
    report.credit_left = credit_left.iter().collect();
    let day = last_date.map_or(today, |d| d.min(today));
    crate::dunning::note_payment_data(tx.as_mut(), day).await?;
    crate::audit::record_import(
        tx.as_mut(),
        clock,
        options.actor.as_ref(),
        "import.statement",
        file_name,
        &report,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The distinct values, in first-seen order.
fn dedup<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    values.filter(|v| seen.insert(*v)).collect()
}

/// A claim in a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedClaim {
    pub claim_id: ClaimId,
    pub number: String,
    pub amount: Money,
}

/// One way to apply a waiting payment, for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub claims: Vec<SuggestedClaim>,
    /// Confidence, per mille.
    pub score: u16,
    pub reasons_en: Vec<String>,
    pub reasons_fr: Vec<String>,
    pub overpayment: Money,
}

/// A payment waiting for a person, with its suggestions, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewItem {
    pub payment: StoredPayment,
    pub suggestions: Vec<Suggestion>,
}

impl Matcher {
    fn suggestions(&self, p: &StoredPayment) -> Vec<Suggestion> {
        let result = self.matches(p);
        result
            .best
            .iter()
            .chain(result.alternatives.iter())
            .map(|prop| Suggestion {
                debtor_id: prop.debtor,
                debtor_name: self.names.get(&prop.debtor).cloned().unwrap_or_default(),
                claims: prop
                    .allocations
                    .iter()
                    .map(|(c, amount)| SuggestedClaim {
                        claim_id: *c,
                        number: self.numbers.get(c).cloned().unwrap_or_default(),
                        amount: *amount,
                    })
                    .collect(),
                score: prop.score,
                reasons_en: prop.reasons.iter().map(|r| r.text(Lang::En)).collect(),
                reasons_fr: prop.reasons.iter().map(|r| r.text(Lang::Fr)).collect(),
                overpayment: prop.overpayment,
            })
            .collect()
    }
}

/// The payments waiting for review, oldest first, each with ranked suggestions computed
/// against what is open on `as_of`.
pub async fn review(tx: &mut dyn Tx, as_of: Date) -> AppResult<Vec<ReviewItem>> {
    let mut waiting = tx
        .payments(&PaymentFilter {
            statuses: vec![PaymentStatus::Review],
            limit: None,
        })
        .await?;
    waiting.reverse();
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let matcher = Matcher::load(tx, as_of).await?;
    Ok(waiting
        .into_iter()
        .map(|payment| ReviewItem {
            suggestions: matcher.suggestions(&payment),
            payment,
        })
        .collect())
}

/// The debtors a payment waiting in the review queue may belong to — every debtor one of
/// its suggestions names, however confident — with those payments' ids, oldest first. The
/// daily run holds back their legal steps: a formal notice must not demand what the
/// debtor may have paid.
pub async fn debtors_in_review(
    tx: &mut dyn Tx,
    as_of: Date,
) -> AppResult<HashMap<DebtorId, Vec<i64>>> {
    let mut out: HashMap<DebtorId, Vec<i64>> = HashMap::new();
    for item in review(tx, as_of).await? {
        for s in &item.suggestions {
            let ids = out.entry(s.debtor_id).or_default();
            if !ids.contains(&item.payment.id) {
                ids.push(item.payment.id);
            }
        }
    }
    Ok(out)
}

/// Bank transactions, newest first.
pub async fn list(tx: &mut dyn Tx, filter: &PaymentFilter) -> AppResult<Vec<StoredPayment>> {
    Ok(tx.payments(filter).await?)
}

async fn waiting_payment(tx: &mut dyn Tx, id: i64) -> AppResult<StoredPayment> {
    let payment = tx.payment(id).await?.ok_or_else(|| AppError::NotFound {
        what: "payment",
        id: id.to_string(),
    })?;
    if payment.status != PaymentStatus::Review {
        return Err(AppError::Invalid(domain::tr!(
            "payment {id} is {}, not waiting for review",
            "le paiement {id} est {}, il n'attend pas d'examen",
            payment.status
        )));
    }
    Ok(payment)
}

/// Applies a waiting payment on the `claims` a person names (one debtor's), or else on
/// the top suggestion. One transaction.
pub async fn apply(
    store: &dyn Store,
    clock: &dyn Clock,
    payment_id: i64,
    claims: Option<Vec<ClaimId>>,
    tables: &RateTables,
) -> AppResult<Posted> {
    let mut tx = store.begin().await?;
    let posted = apply_in(tx.as_mut(), clock, payment_id, claims, tables).await?;
    tx.commit().await?;
    Ok(posted)
}

/// [`apply`] inside the caller's transaction (to audit it in the same one).
pub async fn apply_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    payment_id: i64,
    claims: Option<Vec<ClaimId>>,
    tables: &RateTables,
) -> AppResult<Posted> {
    let payment = waiting_payment(tx, payment_id).await?;
    let designated = match claims {
        Some(list) if !list.is_empty() => list,
        _ => {
            let matcher = Matcher::load(tx, clock.today()).await?;
            let result = matcher.matches(&payment);
            match result.best {
                Some(p) if !p.allocations.is_empty() => {
                    p.allocations.iter().map(|(c, _)| *c).collect()
                }
                _ => {
                    return Err(AppError::Invalid(domain::tr!(
                        "payment {payment_id}: no suggestion; name the claims with --claims N1,N2",
                        "paiement {payment_id} : aucune proposition ; nommez les créances avec --claims N1,N2"
                    )));
                }
            }
        }
    };
    let now = clock.now_rfc3339();
    post(tx, &payment, &designated, None, tables, &now)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("payment {payment_id}: not posted")))
}

/// Sets a waiting payment aside (not a customer payment: a refund, a transfer between
/// accounts...). One transaction.
pub async fn ignore(
    store: &dyn Store,
    clock: &dyn Clock,
    payment_id: i64,
) -> AppResult<StoredPayment> {
    let mut tx = store.begin().await?;
    let payment = ignore_in(tx.as_mut(), clock, payment_id).await?;
    tx.commit().await?;
    Ok(payment)
}

/// [`ignore`] inside the caller's transaction.
pub async fn ignore_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    payment_id: i64,
) -> AppResult<StoredPayment> {
    let mut payment = waiting_payment(tx, payment_id).await?;
    let now = clock.now_rfc3339();
    tx.set_payment_status(payment_id, PaymentStatus::Ignored, None, &now)
        .await?;
    payment.status = PaymentStatus::Ignored;
    payment.decided_at = Some(now);
    Ok(payment)
}

/// A debtor's credit left by over-payments, per currency.
pub async fn debtor_credit(tx: &mut dyn Tx, debtor: DebtorId) -> AppResult<Vec<Money>> {
    let mut totals = Totals::new();
    for c in tx.debtor_credits(Some(debtor)).await? {
        totals.add(c.amount);
    }
    Ok(totals.iter().collect())
}
