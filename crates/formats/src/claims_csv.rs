//! # The claims CSV
//!
//! How invoices and their debtors enter Recouvre from a spreadsheet or an accounting
//! package: one row per claim, the debtor's details repeated on each of its rows.
//! [`read_claims`] turns the bytes of such a file into typed [`ClaimRow`]s, or into the
//! first error, `file:line: field: reason`. It writes nothing: the import use case stores
//! the rows only when the whole file has been read, so a bad row leaves the database as it
//! was ("all or nothing").
//!
//! ## Columns
//!
//! The first line with a non-empty cell names the columns. Names are compared trimmed and without
//! regard to case; the order does not matter; other columns are ignored. A file whose
//! headers differ is read through a [`ColumnMap`] (`--map debtor_id=Code client`); a
//! column it lacks can be given one value for every row through [`ColumnDefaults`]
//! (`--default debtor_kind=company`).
//!
//! | column | | meaning | default |
//! | --- | --- | --- | --- |
//! | `creditor` | optional | code of the creditor owed (agencies, several clients per file) | `--creditor`, or the only creditor |
//! | `debtor_id` | **required** | the creditor's customer reference, key of the debtor | |
//! | `debtor_name` | **required** | company name or person's full name | |
//! | `debtor_kind` | **required** | `company` or `person` (`société`, `entreprise`, `personne`, `particulier`) | |
//! | `segment` | optional | `b2b` or `b2c` | `b2b` for a company, `b2c` for a person |
//! | `country` | optional | ISO 3166-1 alpha-2, upper-cased | `FR` |
//! | `language` | optional | ISO 639-1, lower-cased | `fr` for FR BE LU CH MC, `de` for DE AT, `es` for ES, `it` for IT, else `en` |
//! | `email` | optional | one address: one `@`, no spaces, a dot in the domain | |
//! | `phone` | optional | kept as written | |
//! | `address` | optional | postal address, may span lines inside quotes | |
//! | `invoice_number` | **required** | as printed, at most 64 characters | |
//! | `external_id` | optional | the creditor's key of the claim | the invoice number |
//! | `issue_date` | **required** | invoice date | |
//! | `due_date` | **required** | due date, not before the issue date | |
//! | `amount` | **required** | amount owed, > 0: `1234.56`, `1 234,56`, `1.234,56 €` | |
//! | `currency` | optional | ISO 4217 code | `EUR` |
//! | `nature` | optional | `commercial`, `consumer`, `consumer_credit`, `rent`, `other` | `commercial` in b2b, `consumer` in b2c |
//! | `tags` | optional | labels separated by `\|` | none |
//! | `paid_date` | optional | the day it was settled in the books the file comes from | unpaid |
//! | `paid_amount` | optional, with `paid_date` | how much was settled, > 0, at most `amount` | the whole amount |
//! | `penalty_rate` | optional | agreed late-penalty rate: `12%`, `1 % par mois`, `3x legal`, `ecb+10` | the creditor's terms |
//! | `indemnity` | optional | recovery indemnity agreed above the statutory one, ≥ 0 | the creditor's terms |
//! | `payment_terms` | optional | agreed payment term: `60d`, `45d eom` | the creditor's terms |
//! | `due_date_is_notice` | optional | `yes`/`no` (`oui`/`non`): the due date alone is the notice (C. civ. 1344) | the creditor's terms |
//!
//! Each column is documented in full on [`Column`]; `crates/formats/CLAIMS_CSV.md` has the
//! same in French and English for the people who prepare the files.
//!
//! ## Text
//!
//! - Encoding: UTF-8 with or without byte-order mark; UTF-16 with a byte-order mark; any
//!   other file is read as Windows-1252, the encoding of French Excel (see
//!   [`crate::text::decode`]).
//! - Separator: `;`, `,` or TAB, whichever the header line has most of outside quotes,
//!   unless [`ReadOptions::delimiter`] says otherwise.
//! - Quotes: a cell in double quotes may hold the separator and line breaks; `""` is a
//!   quote inside it. Cells are trimmed; an empty cell is an absent value.
//! - A row whose cells are all empty is skipped, before the header as after it (Excel saves
//!   the empty rows of a sheet as lines of separators). A row with fewer cells than the
//!   header, or more that are not empty, is an error.
//! - Dates: `YYYY-MM-DD`, `DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`; month-first files are
//!   read with [`DateOrder::MonthDayYear`] (see [`crate::dates`]).
//!
//! ## Errors
//!
//! The first bad row stops the reading: [`CsvError`] displays as `file:line: field: reason`,
//! where `line` is the physical line (1-based, the header usually being line 1) on which
//! the record starts, even when an earlier record spans several lines, and `field` is the
//! documented column name (`amount`, even when the file calls it `Montant TTC`), or
//! `header`, `row`, `encoding`, `delimiter` for what concerns no single column. A file
//! with a header and no rows is not an error: it gives no rows. An empty file is an error.

mod columns;

pub use crate::dates::DateOrder;
pub use columns::{Column, ColumnDefaults, ColumnMap};

use crate::dates::parse_date;
use crate::text::{LineCounter, decode, detect_delimiter};
use columns::Layout;
use domain::money::parse_currency;
use domain::{ClaimNumber, Currency, Date, DebtorKind, Money, Nature, Segment};
use std::str::FromStr;

/// How to read a file that does not follow the documented layout exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The file's own names for our columns (`--map`).
    pub map: ColumnMap,
    /// The field separator; `None` detects it from the header line.
    pub delimiter: Option<u8>,
    /// How dates are written.
    pub date_order: DateOrder,
    /// Values for columns the file lacks or leaves empty (`--default`).
    pub defaults: ColumnDefaults,
}

impl ReadOptions {
    /// Applies one `key=value` option as the web form and the API give them: a column's
    /// name maps it to the file's header (`amount=Montant TTC`), `default.COLUMN=value`
    /// gives a column's value (`default.debtor_kind=company`), `date_order=mdy` and
    /// `delimiter=;` set those. Blank pairs are ignored.
    pub fn apply_pair(&mut self, pair: &str) -> Result<(), String> {
        let pair = pair.trim();
        if pair.is_empty() {
            return Ok(());
        }
        let Some((key, value)) = pair.split_once('=') else {
            return Err(domain::tr!(
                "{pair:?}: expected key=value (amount=Montant TTC, default.debtor_kind=company, date_order=mdy)",
                "{pair:?} : clé=valeur attendu (amount=Montant TTC, default.debtor_kind=company, date_order=mdy)"
            ));
        };
        let key = key.trim();
        if let Some(column) = key.strip_prefix("default.") {
            let column: Column = column.parse().map_err(|e| format!("{pair:?}: {e}"))?;
            return self.defaults.set(column, value);
        }
        match key {
            "date_order" => {
                self.date_order = value.parse().map_err(|e| format!("{pair:?}: {e}"))?;
            }
            "delimiter" => {
                let v = value.trim();
                self.delimiter = Some(match v {
                    "tab" | "TAB" | "\\t" => b'\t',
                    _ if v.len() == 1 => v.as_bytes()[0],
                    _ => {
                        return Err(domain::tr!(
                            "{pair:?}: the delimiter is one character or tab",
                            "{pair:?} : le séparateur est un caractère ou tab"
                        ));
                    }
                });
            }
            _ => self.map.merge(ColumnMap::parse(pair)?),
        }
        Ok(())
    }
}

/// Why a file could not be read, and where: displays as `file:line: field: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {field}: {reason}")]
pub struct CsvError {
    /// The file name as the caller gave it.
    pub file: String,
    /// The 1-based physical line on which the offending record starts.
    pub line: u64,
    /// The documented column name (`amount`), or `header`, `row`, `encoding`, `delimiter`.
    pub field: String,
    /// What is wrong, for the person who will fix the file.
    pub reason: String,
}

/// One row of a claims CSV, parsed: the claim and its debtor's details, with every
/// default applied. Strings are trimmed; optional text is `None` when the cell is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    /// The physical line of the file on which the row starts.
    pub line: u64,
    /// The creditor's code, when the file has a `creditor` column.
    pub creditor: Option<String>,
    /// The creditor's customer reference: the key of the debtor.
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_kind: DebtorKind,
    pub segment: Segment,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// ISO 639-1, lower case.
    pub language: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub invoice_number: ClaimNumber,
    /// The creditor's key of the claim (the invoice number unless the file says otherwise).
    pub external_id: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// The amount owed, greater than zero, in the row's currency.
    pub amount: Money,
    pub nature: Nature,
    pub tags: Vec<String>,
    /// The settlement the file reports (`paid_date`, `paid_amount`), if any.
    pub paid: Option<Settled>,
    /// The claim's own terms of sale (`penalty_rate`, `indemnity`, `payment_terms`,
    /// `due_date_is_notice`); empty when the file says nothing, the creditor's apply.
    pub terms: domain::law::ContractTerms,
}

/// What a row says was settled on the claim, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub date: Date,
    /// Greater than zero, at most the claim's amount.
    pub amount: Money,
}

/// Reads a whole claims CSV. `file_name` is used only in errors. Stops at the first bad
/// row; returns the rows in file order otherwise (none for a file with only a header).
pub fn read_claims(
    file_name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<Vec<ClaimRow>, CsvError> {
    let error = |line: u64, field: &str, reason: String| CsvError {
        file: file_name.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    let text = decode(bytes).map_err(|e| error(e.line, "encoding", e.reason))?;
    let delimiter = match opts.delimiter {
        Some(d) if !d.is_ascii() || d.is_ascii_alphanumeric() || b"\"\r\n ".contains(&d) => {
            return Err(error(
                1,
                "delimiter",
                domain::tr!(
                    "{:?} cannot separate fields (use ;, a comma, TAB or another punctuation mark)",
                    "{:?} ne peut pas séparer les champs (utilisez ;, une virgule, TAB ou un autre signe de ponctuation)",
                    char::from(d)
                ),
            ));
        }
        Some(d) => d,
        None => detect_delimiter(&text),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Physical lines, from the byte offsets the reader gives (see `LineCounter`).
    let mut lines = LineCounter::new(&text);
    let csv_error = |e: csv::Error| {
        let line = e
            .position()
            .map_or(1, |p| LineCounter::new(&text).line_at(byte_offset(p)));
        error(line, "row", e.to_string())
    };

    // One record, reused for every row: the reader fills it in place.
    let mut record = csv::StringRecord::new();
    // The header is the first record with a non-empty cell: sheets often start with an
    // empty row, which Excel saves as a line of separators.
    loop {
        if !reader.read_record(&mut record).map_err(csv_error)? {
            return Err(error(
                1,
                "header",
                domain::tr!(
                    "the file is empty; expected a header line naming the columns (see CLAIMS_CSV.md)",
                    "le fichier est vide ; une ligne d'en-tête nommant les colonnes est attendue (voir CLAIMS_CSV.md)"
                ),
            ));
        }
        if !all_empty(&record) {
            break;
        }
    }
    let header_line = lines.line_at(record_offset(&record));
    let layout =
        Layout::resolve(record.iter(), &opts.map, &opts.defaults).map_err(|mut reason| {
            if record.len() == 1 {
                reason.push_str(&format!(
                    " (the header has a single column when split on {}: is that the separator?)",
                    describe(delimiter)
                ));
            }
            error(header_line, "header", reason)
        })?;

    let mut rows = Vec::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = lines.line_at(record_offset(&record));
        if all_empty(&record) {
            continue;
        }
        if record.len() != layout.width {
            let extra_cells_empty = record
                .iter()
                .skip(layout.width)
                .all(|cell| cell.trim().is_empty());
            if record.len() < layout.width || !extra_cells_empty {
                return Err(error(
                    line,
                    "row",
                    width_reason(&record, &layout, delimiter),
                ));
            }
        }
        let cells = Cells {
            record: &record,
            layout: &layout,
            defaults: &opts.defaults,
        };
        let row = parse_row(&cells, line, opts.date_order)
            .map_err(|e| error(line, e.column.name(), e.reason))?;
        rows.push(row);
    }
    Ok(rows)
}

fn all_empty(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// Where a record starts in the text. The reader sets the position of every record it
/// reads; an offset beyond the address space cannot come from a text held in memory.
fn record_offset(record: &csv::StringRecord) -> usize {
    record.position().map_or(0, byte_offset)
}

fn byte_offset(position: &csv::Position) -> usize {
    usize::try_from(position.byte()).unwrap_or(usize::MAX)
}

fn describe(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "TAB".into(),
        d => format!("'{}'", char::from(d)),
    }
}

fn width_reason(record: &csv::StringRecord, layout: &Layout, delimiter: u8) -> String {
    let (n, width) = (record.len(), layout.width);
    if n < width {
        domain::tr!(
            "{n} cells where the header has {width}: a quote opened on this line may not be closed",
            "{n} cellules là où l'en-tête en a {width} : un guillemet ouvert sur cette ligne n'est peut-être pas fermé"
        )
    } else {
        domain::tr!(
            "{n} cells where the header has {width}: does a value hold the separator {} without quotes?",
            "{n} cellules là où l'en-tête en a {width} : une valeur contient-elle le séparateur {} sans guillemets ?",
            describe(delimiter)
        )
    }
}

/// A problem with one cell of a row; the caller adds the file and the line.
struct FieldError {
    column: Column,
    reason: String,
}

/// `map_err` helper: the reason of an error about `column`.
fn about(column: Column) -> impl Fn(String) -> FieldError {
    move |reason| FieldError { column, reason }
}

/// The cells of one row, by column.
struct Cells<'r> {
    record: &'r csv::StringRecord,
    layout: &'r Layout,
    defaults: &'r ColumnDefaults,
}

impl<'r> Cells<'r> {
    /// The trimmed value of `column`; else its default (`--default`); `None` when the file
    /// has no such column or the cell is blank, and no default is given.
    fn get(&self, column: Column) -> Option<&'r str> {
        let cell = self
            .layout
            .position(column)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty());
        cell.or_else(|| self.defaults.get(column))
    }

    fn required(&self, column: Column) -> Result<&'r str, FieldError> {
        self.get(column).ok_or_else(|| {
            about(column)(domain::tr!(
                "empty, but a value is required",
                "vide, alors qu'une valeur est obligatoire"
            ))
        })
    }
}

fn parse_row(cells: &Cells<'_>, line: u64, order: DateOrder) -> Result<ClaimRow, FieldError> {
    let creditor = cells.get(Column::Creditor).map(str::to_string);
    let debtor_id = cells.required(Column::DebtorId)?.to_string();
    let debtor_name = cells.required(Column::DebtorName)?.to_string();
    let debtor_kind: DebtorKind =
        parse_word(cells.required(Column::DebtorKind)?).map_err(about(Column::DebtorKind))?;
    let segment = match cells.get(Column::Segment) {
        Some(text) => parse_word(text).map_err(about(Column::Segment))?,
        None => match debtor_kind {
            DebtorKind::Company => Segment::B2b,
            DebtorKind::Person => Segment::B2c,
        },
    };
    let country = match cells.get(Column::Country) {
        Some(text) => parse_country(text).map_err(about(Column::Country))?,
        None => "FR".to_string(),
    };
    let language = match cells.get(Column::Language) {
        Some(text) => parse_language(text).map_err(about(Column::Language))?,
        None => default_language(&country).to_string(),
    };
    let email = match cells.get(Column::Email) {
        Some(text) => {
            check_email(text).map_err(about(Column::Email))?;
            Some(text.to_string())
        }
        None => None,
    };
    let phone = cells.get(Column::Phone).map(str::to_string);
    // A cell spanning lines keeps its line breaks as `\n`, whatever the file's line ends.
    let address = cells.get(Column::Address).map(|a| a.replace("\r\n", "\n"));
    let invoice_number = ClaimNumber::parse(cells.required(Column::InvoiceNumber)?)
        .map_err(about(Column::InvoiceNumber))?;
    let external_id = cells
        .get(Column::ExternalId)
        .unwrap_or(invoice_number.as_str())
        .to_string();
    let issue_date =
        parse_date(cells.required(Column::IssueDate)?, order).map_err(about(Column::IssueDate))?;
    let due_date =
        parse_date(cells.required(Column::DueDate)?, order).map_err(about(Column::DueDate))?;
    if due_date < issue_date {
        return Err(about(Column::DueDate)(domain::tr!(
            "the due date {due_date} precedes the issue date {issue_date}",
            "l'échéance {due_date} précède la date d'émission {issue_date}"
        )));
    }
    let currency = match cells.get(Column::Currency) {
        Some(text) => parse_currency(text).map_err(|e| about(Column::Currency)(e.to_string()))?,
        None => Currency::EUR,
    };
    let amount =
        parse_amount(cells.required(Column::Amount)?, currency).map_err(about(Column::Amount))?;
    let nature = match cells.get(Column::Nature) {
        Some(text) => parse_word(text).map_err(about(Column::Nature))?,
        None => match segment {
            Segment::B2b => Nature::Commercial,
            Segment::B2c => Nature::Consumer,
        },
    };
    check_nature(nature, segment).map_err(about(Column::Nature))?;
    let tags = cells.get(Column::Tags).map(parse_tags).unwrap_or_default();
    let paid = match (cells.get(Column::PaidDate), cells.get(Column::PaidAmount)) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(about(Column::PaidDate)(domain::tr!(
                "empty, but paid_amount is set: say when it was paid",
                "vide, alors que paid_amount est renseigné : indiquez quand elle a été payée"
            )));
        }
        (Some(date), paid_amount) => {
            let date = parse_date(date, order).map_err(about(Column::PaidDate))?;
            if date < issue_date {
                return Err(about(Column::PaidDate)(domain::tr!(
                    "the payment date {date} precedes the issue date {issue_date}",
                    "la date de paiement {date} précède la date d'émission {issue_date}"
                )));
            }
            let amount = match paid_amount {
                None => amount,
                Some(text) => {
                    let paid = Money::parse(text, currency)
                        .map_err(|e| about(Column::PaidAmount)(e.to_string()))?;
                    if paid.minor() <= 0 {
                        return Err(about(Column::PaidAmount)(domain::tr!(
                            "{text:?}: a settled amount is greater than zero (leave paid_date and paid_amount empty for an unpaid claim)",
                            "{text:?} : un montant réglé est supérieur à zéro (laissez paid_date et paid_amount vides pour une créance impayée)"
                        )));
                    }
                    if paid.minor() > amount.minor() {
                        return Err(about(Column::PaidAmount)(domain::tr!(
                            "{text:?} is more than the claim's amount {amount}",
                            "{text:?} dépasse le montant de la créance {amount}"
                        )));
                    }
                    paid
                }
            };
            Some(Settled { date, amount })
        }
    };
    let terms = domain::law::ContractTerms {
        penalty_rate: cells
            .get(Column::PenaltyRate)
            .map(domain::law::PenaltyRate::parse)
            .transpose()
            .map_err(about(Column::PenaltyRate))?,
        indemnity: cells
            .get(Column::Indemnity)
            .map(domain::law::contract::parse_indemnity)
            .transpose()
            .map_err(about(Column::Indemnity))?,
        payment_term: cells
            .get(Column::PaymentTerms)
            .map(domain::law::PaymentTerm::parse)
            .transpose()
            .map_err(about(Column::PaymentTerms))?,
        due_date_is_notice: cells
            .get(Column::DueDateIsNotice)
            .map(domain::law::contract::parse_flag)
            .transpose()
            .map_err(about(Column::DueDateIsNotice))?,
    };
    Ok(ClaimRow {
        line,
        creditor,
        debtor_id,
        debtor_name,
        debtor_kind,
        segment,
        country,
        language,
        email,
        phone,
        address,
        invoice_number,
        external_id,
        issue_date,
        due_date,
        amount,
        nature,
        tags,
        paid,
        terms,
    })
}

/// One of the domain's words (`company`, `b2c`, `loyer`). The domain compares in ASCII
/// lower case, so `SOCIÉTÉ` is lower-cased here first.
fn parse_word<T: FromStr<Err = String>>(text: &str) -> Result<T, String> {
    text.parse().or_else(|err| {
        if text.is_ascii() {
            Err(err)
        } else {
            text.to_lowercase().parse().map_err(|_| err)
        }
    })
}

fn two_letters(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic())
}

fn parse_country(text: &str) -> Result<String, String> {
    if two_letters(text) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(domain::tr!(
            "{text:?} is not a country code (expected two letters, ISO 3166-1, such as FR or BE)",
            "{text:?} n'est pas un code pays (deux lettres ISO 3166-1 attendues, comme FR ou BE)"
        ))
    }
}

fn parse_language(text: &str) -> Result<String, String> {
    if two_letters(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(domain::tr!(
            "{text:?} is not a language code (expected two letters, ISO 639-1, such as fr or en)",
            "{text:?} n'est pas un code de langue (deux lettres ISO 639-1 attendues, comme fr ou en)"
        ))
    }
}

/// The language of letters to a debtor in `country` when the file does not say.
fn default_language(country: &str) -> &'static str {
    match country {
        "FR" | "BE" | "LU" | "CH" | "MC" => "fr",
        "DE" | "AT" => "de",
        "ES" => "es",
        "IT" => "it",
        _ => "en",
    }
}

/// A deliberately basic check: it catches the usual spreadsheet mistakes (two addresses in
/// one cell, a name instead of an address, a stray space), not every RFC 5322 subtlety.
fn check_email(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_whitespace) {
        return Err(domain::tr!(
            "{text:?} is not an e-mail address: it holds a space",
            "{text:?} n'est pas une adresse e-mail : elle contient une espace"
        ));
    }
    let Some((local, domain)) = text.split_once('@') else {
        return Err(domain::tr!(
            "{text:?} is not an e-mail address: it has no @",
            "{text:?} n'est pas une adresse e-mail : elle n'a pas de @"
        ));
    };
    if domain.contains('@') {
        return Err(domain::tr!(
            "{text:?} holds more than one @: give one e-mail address per row",
            "{text:?} contient plus d'un @ : une seule adresse e-mail par ligne"
        ));
    }
    if local.is_empty()
        || domain.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(domain::tr!(
            "{text:?} is not an e-mail address (expected name@domain.tld)",
            "{text:?} n'est pas une adresse e-mail (nom@domaine.tld attendu)"
        ));
    }
    Ok(())
}

/// An amount owed: positive, in `currency`, possibly with that currency's symbol.
fn parse_amount(text: &str, currency: Currency) -> Result<Money, String> {
    let mut digits = text;
    for (symbol, of) in [('€', Currency::EUR), ('£', Currency::GBP)] {
        if let Some(rest) = text
            .strip_suffix(symbol)
            .or_else(|| text.strip_prefix(symbol))
        {
            if of != currency {
                return Err(domain::tr!(
                    "{text:?} is in {} but the row's currency is {}",
                    "{text:?} est en {} alors que la devise de la ligne est {}",
                    of.code(),
                    currency.code()
                ));
            }
            digits = rest.trim();
        }
    }
    let amount = Money::parse(digits, currency).map_err(|e| e.to_string())?;
    if amount.is_negative() {
        Err(domain::tr!(
            "{text:?} is negative: a credit note is not a claim; leave it out of the file",
            "{text:?} est négatif : un avoir n'est pas une créance ; retirez-le du fichier"
        ))
    } else if amount.is_zero() {
        Err(domain::tr!(
            "{text:?} is zero: a claim is for more than nothing",
            "{text:?} est nul : une créance porte sur plus que rien"
        ))
    } else {
        Ok(amount)
    }
}

/// The nature decides the law; it must agree with the segment.
fn check_nature(nature: Nature, segment: Segment) -> Result<(), String> {
    match (nature, segment) {
        (Nature::Commercial, Segment::B2c) => Err(domain::tr!(
            "commercial is for claims between professionals, and this row's segment is b2c",
            "commercial vaut pour les créances entre professionnels, et le segment de cette ligne est b2c"
        )),
        (Nature::Consumer | Nature::ConsumerCredit, Segment::B2b) => Err(domain::tr!(
            "{nature} is for claims on consumers, and this row's segment is b2b",
            "{nature} vaut pour les créances sur des consommateurs, et le segment de cette ligne est b2b"
        )),
        _ => Ok(()),
    }
}

fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split('|').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn kinds_in_any_case_and_language() {
        assert_eq!(parse_word::<DebtorKind>("SOCIÉTÉ"), Ok(DebtorKind::Company));
        assert_eq!(
            parse_word::<DebtorKind>("Particulier"),
            Ok(DebtorKind::Person)
        );
        let err = parse_word::<DebtorKind>("Robot").unwrap_err();
        assert!(err.contains("\"Robot\""), "{err}");
    }

    #[test]
    fn emails() {
        assert!(check_email("compta@acme.fr").is_ok());
        assert!(check_email("a.b+c@sub.example.co.uk").is_ok());
        for bad in [
            "compta acme@acme.fr",
            "compta.acme.fr",
            "a@b.fr;c@d.fr",
            "@acme.fr",
            "compta@",
            "compta@acme",
            "compta@.fr",
            "compta@acme.",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn amounts() {
        let eur = |s| parse_amount(s, Currency::EUR);
        assert_eq!(
            eur("1 234,56 €"),
            Ok(Money::from_minor(123_456, Currency::EUR))
        );
        assert_eq!(eur("€12.5"), Ok(Money::from_minor(1_250, Currency::EUR)));
        assert!(eur("0,00").unwrap_err().contains("zero"));
        assert!(eur("-40").unwrap_err().contains("credit note"));
        assert!(eur("£40").unwrap_err().contains("GBP"));
        assert!(parse_amount("12 £", Currency::GBP).is_ok());
    }

    #[test]
    fn defaults_by_country() {
        assert_eq!(default_language("BE"), "fr");
        assert_eq!(default_language("AT"), "de");
        assert_eq!(default_language("US"), "en");
        assert_eq!(parse_country("be"), Ok("BE".into()));
        assert!(parse_country("FRA").is_err());
        assert!(parse_country("F1").is_err());
        assert_eq!(parse_language("EN"), Ok("en".into()));
    }

    #[test]
    fn tags_trimmed_and_unique() {
        assert_eq!(parse_tags(" vip | export||vip "), vec!["vip", "export"]);
    }
}
