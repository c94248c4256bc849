//! # Bank statements exported as CSV
//!
//! Every bank's online banking exports a CSV of account movements, each with its own
//! columns. [`read_statement_csv`] reads one through a [`CsvMapping`] that names, for each
//! thing Recouvre needs, the file's column header: the booking date, the amount (one signed
//! column, or a debit and a credit column), and optionally the value date, currency,
//! reference, remittance text, counterparty name and IBAN. The result is one [`Statement`]
//! without balances, one entry and one detail per row.
//!
//! Text rules are those of the claims CSV ([`crate::text`], [`crate::dates`]): UTF-8,
//! UTF-16 with BOM or Windows-1252; `;`, TAB or `,` separators (detected); dates
//! `YYYY-MM-DD` or day-first `DD/MM/YYYY` by default (month-first with
//! [`DateOrder::MonthDayYear`]);
//! amounts `-1 234,56`, `1.234,56`, `1234.56`, with an optional currency sign or code
//! around them. Rows whose cells are all empty are skipped. A row without a date or an
//! amount (both debit and credit empty) is an error naming its line and column.

use crate::dates::{DateOrder, parse_date};
use crate::statement::{
    AccountId, Entry, EntryStatus, Source, Statement, StatementError, TxDetail,
};
use domain::money::parse_currency;
use domain::{Currency, Money};

/// Which header names which value. Header names are compared trimmed, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvMapping {
    /// The account the file is about (IBAN or other id): a CSV export rarely says.
    pub account: String,
    pub currency: Currency,
    pub booking_date: String,
    pub value_date: Option<String>,
    /// A signed amount column (negative = debit). Use it, or `debit` and/or `credit`.
    pub amount: Option<String>,
    /// Amounts leaving the account, written positive or negative.
    pub debit: Option<String>,
    /// Amounts entering the account.
    pub credit: Option<String>,
    /// A currency column, when the file has one (must agree with `currency`).
    pub currency_column: Option<String>,
    /// Bank or end-to-end reference.
    pub reference: Option<String>,
    /// Remittance text columns, in order (e.g. `Libellé`, `Détail`).
    pub remittance: Vec<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub date_order: DateOrder,
    /// The separator; detected from the header line when `None`.
    pub delimiter: Option<u8>,
}

impl CsvMapping {
    /// A mapping with a date and a signed amount column; dates `YYYY-MM-DD` or day first.
    pub fn new(account: &str, currency: Currency, booking_date: &str, amount: &str) -> Self {
        CsvMapping {
            account: account.to_string(),
            currency,
            booking_date: booking_date.to_string(),
            value_date: None,
            amount: Some(amount.to_string()),
            debit: None,
            credit: None,
            currency_column: None,
            reference: None,
            remittance: Vec::new(),
            counterparty_name: None,
            counterparty_iban: None,
            date_order: DateOrder::Auto,
            delimiter: None,
        }
    }
}

/// Reads a CSV bank export into one statement.
pub fn read_statement_csv(
    file: &str,
    bytes: &[u8],
    map: &CsvMapping,
) -> Result<Statement, StatementError> {
    let err = |line: u64, column: &str, reason: String| StatementError {
        file: file.to_string(),
        line,
        offset: 0,
        location: column.to_string(),
        reason,
    };
    let text = crate::text::decode(bytes).map_err(|e| err(e.line, "encoding", e.reason))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(err(1, "header", "the file is empty".into()));
    }
    let delimiter = map
        .delimiter
        .unwrap_or_else(|| crate::text::detect_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut header: Option<Vec<String>> = None;
    let mut entries = Vec::new();
    let col = |header: &[String],
               name: &Option<String>,
               line: u64|
     -> Result<Option<usize>, StatementError> {
        match name {
            None => Ok(None),
            Some(n) => header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n.trim()))
                .map(Some)
                .ok_or_else(|| err(line, n, format!("no column {n:?} in the header"))),
        }
    };
    let mut layout: Option<Layout> = None;
    for record in records.by_ref() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, "row", format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let Some(l) = layout.as_ref() else {
            let h = cells;
            if map.amount.is_none() && map.debit.is_none() && map.credit.is_none() {
                return Err(err(
                    line,
                    "amount",
                    "the mapping names no amount, debit or credit column".into(),
                ));
            }
            let remittance = map
                .remittance
                .iter()
                .map(|r| col(&h, &Some(r.clone()), line).map(|c| c.unwrap_or(0)))
                .collect::<Result<Vec<_>, _>>()?;
            layout = Some(Layout {
                date: col(&h, &Some(map.booking_date.clone()), line)?.unwrap_or(0),
                value_date: col(&h, &map.value_date, line)?,
                amount: col(&h, &map.amount, line)?,
                debit: col(&h, &map.debit, line)?,
                credit: col(&h, &map.credit, line)?,
                currency: col(&h, &map.currency_column, line)?,
                reference: col(&h, &map.reference, line)?,
                remittance,
                name: col(&h, &map.counterparty_name, line)?,
                iban: col(&h, &map.counterparty_iban, line)?,
            });
            header = Some(h);
            continue;
        };
        let names = header.as_deref().unwrap_or(&[]);
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(String::as_str)
                .filter(|c| !c.is_empty())
        };
        let name_of = |i: usize| names.get(i).cloned().unwrap_or_default();
        let date_text =
            cell(Some(l.date)).ok_or_else(|| err(line, &name_of(l.date), "no date".into()))?;
        let booking_date =
            parse_date(date_text, map.date_order).map_err(|r| err(line, &name_of(l.date), r))?;
        let value_date = match cell(l.value_date) {
            Some(t) => Some(
                parse_date(t, map.date_order)
                    .map_err(|r| err(line, &name_of(l.value_date.unwrap_or(0)), r))?,
            ),
            None => None,
        };
        let currency = match cell(l.currency) {
            Some(code) => {
                let c = parse_currency(code)
                    .map_err(|e| err(line, &name_of(l.currency.unwrap_or(0)), e.to_string()))?;
                if c != map.currency {
                    return Err(err(
                        line,
                        &name_of(l.currency.unwrap_or(0)),
                        format!(
                            "{code} differs from the statement's currency {}",
                            map.currency.code()
                        ),
                    ));
                }
                c
            }
            None => map.currency,
        };
        let parse = |i: usize| -> Result<Money, StatementError> {
            let raw = cells.get(i).map(String::as_str).unwrap_or("");
            money(raw, currency).map_err(|r| err(line, &name_of(i), r))
        };
        let mut amount: Option<Money> = None;
        if let Some(i) = l.amount.filter(|&i| cell(Some(i)).is_some()) {
            amount = Some(parse(i)?);
        }
        if let Some(i) = l.credit.filter(|&i| cell(Some(i)).is_some()) {
            let a = parse(i)?.abs();
            amount = Some(add(amount, a).map_err(|r| err(line, &name_of(i), r))?);
        }
        if let Some(i) = l.debit.filter(|&i| cell(Some(i)).is_some()) {
            let a = parse(i)?.abs().negated();
            amount = Some(add(amount, a).map_err(|r| err(line, &name_of(i), r))?);
        }
        let amount = amount.ok_or_else(|| {
            err(
                line,
                "amount",
                "no amount on this row (amount, debit and credit are empty)".into(),
            )
        })?;
        let remittance: Vec<String> = l
            .remittance
            .iter()
            .filter_map(|&i| cell(Some(i)).map(str::to_string))
            .collect();
        let tx = TxDetail {
            remittance_unstructured: remittance,
            structured_reference: cell(l.reference)
                .filter(|r| crate::rf::validate(r).is_ok())
                .map(|r| {
                    crate::rf::validate(r)
                        .map(|rf| rf.as_str().to_string())
                        .unwrap_or_default()
                }),
            structured_reference_type: cell(l.reference)
                .filter(|r| crate::rf::validate(r).is_ok())
                .map(|_| "SCOR".to_string()),
            counterparty_name: cell(l.name).map(str::to_string),
            counterparty_account: cell(l.iban).map(AccountId::from_text),
            ..TxDetail::new(amount)
        };
        let mut entry = Entry {
            amount,
            booking_date: Some(booking_date),
            value_date,
            reversal: false,
            status: EntryStatus::Booked,
            bank_reference: cell(l.reference).map(str::to_string),
            entry_reference: None,
            bank_transaction_code: None,
            additional_info: None,
            unsplit_details: None,
            transactions: Vec::new(),
        };
        entry.settle_details(vec![(Some(amount), tx)]);
        entries.push(entry);
    }
    if header.is_none() {
        return Err(err(1, "header", "no header line".into()));
    }
    Ok(Statement {
        source: Source::Csv,
        id: file.to_string(),
        account: AccountId::from_text(&map.account),
        currency: map.currency,
        opening: None,
        closing: None,
        entries,
    })
}

/// Column positions found in the header.
struct Layout {
    date: usize,
    value_date: Option<usize>,
    amount: Option<usize>,
    debit: Option<usize>,
    credit: Option<usize>,
    currency: Option<usize>,
    reference: Option<usize>,
    remittance: Vec<usize>,
    name: Option<usize>,
    iban: Option<usize>,
}

fn add(a: Option<Money>, b: Money) -> Result<Money, String> {
    match a {
        None => Ok(b),
        Some(a) => a.checked_add(b).map_err(|e| e.to_string()),
    }
}

/// An amount cell: `-1 234,56`, `1.234,56 €`, `+12.50 EUR`, `(12,50)` is not accepted.
fn money(raw: &str, currency: Currency) -> Result<Money, String> {
    let code = currency.code();
    let cleaned = raw
        .trim()
        .trim_end_matches(code)
        .trim_start_matches(code)
        .trim_matches(|c: char| c == '€' || c == '$' || c == '£' || c.is_whitespace());
    Money::parse(cleaned, currency).map_err(|e| e.to_string())
}
