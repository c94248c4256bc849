//! The columns of the claims CSV, their names, and how a file's own headers are mapped to
//! them (`--map`).

use std::fmt;
use std::str::FromStr;

/// One column of the claims CSV layout. The documentation of each variant is the
/// documentation of the column; `CLAIMS_CSV.md` repeats it in French and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// `creditor` — optional. The code of the creditor the claim belongs to (`ACME`); for a
    /// collection agency importing several clients in one file. Without it the importer's
    /// `--creditor` option, or the only creditor of the database, is used.
    Creditor,
    /// `debtor_id` — required. The creditor's own customer reference ("code client"): the
    /// key that recognises the same debtor from one import to the next.
    DebtorId,
    /// `debtor_name` — required. Company name or person's full name.
    DebtorName,
    /// `debtor_kind` — required. `company` or `person`; French `société`, `entreprise`,
    /// `personne`, `particulier` are accepted, in any case.
    DebtorKind,
    /// `segment` — optional. `b2b` or `b2c`, the law that applies to the relation. Default:
    /// `b2b` for a company, `b2c` for a person (a sole trader invoiced for their trade is a
    /// person in `b2b`).
    Segment,
    /// `country` — optional. ISO 3166-1 alpha-2 code of the debtor (`FR`, `be`); upper-cased.
    /// Default: `FR`.
    Country,
    /// `language` — optional. ISO 639-1 code of the letters and e-mails (`fr`, `en`);
    /// lower-cased. Default from the country: `fr` for FR, BE, LU, CH, MC; `de` for DE, AT;
    /// `es` for ES; `it` for IT; `en` otherwise.
    Language,
    /// `email` — optional. One e-mail address: a single `@`, something on both sides, a dot
    /// in the domain, no spaces.
    Email,
    /// `phone` — optional. A phone number, kept as written.
    Phone,
    /// `address` — optional. The postal address, kept as written; it may span several lines
    /// inside double quotes (line breaks come out as `\n`).
    Address,
    /// `invoice_number` — required. The invoice number as printed (at most 64 characters).
    InvoiceNumber,
    /// `external_id` — optional. The creditor's key of the claim, which recognises the same
    /// claim from one import to the next (a changed row updates it). Default: the invoice
    /// number.
    ExternalId,
    /// `issue_date` — required. The invoice date (see the date forms).
    IssueDate,
    /// `due_date` — required. The due date; it cannot precede the issue date.
    DueDate,
    /// `amount` — required, greater than zero. The amount owed, all taxes included: decimal
    /// comma or point, optional thousands separators (`1 234,56`, `1,234.56`), optionally
    /// the symbol `€` (EUR) or `£` (GBP); no more decimals than the currency has. Credit
    /// notes (zero or negative amounts) are not claims and are refused.
    Amount,
    /// `currency` — optional. ISO 4217 code (`EUR`, `chf`). Default: `EUR`.
    Currency,
    /// `nature` — optional. `commercial` (between professionals), `consumer`,
    /// `consumer_credit`, `rent` or `other` (French `commerciale`, `consommation`,
    /// `credit_consommation`, `loyer`, `autre`). Default: `commercial` in `b2b`, `consumer`
    /// in `b2c`. `commercial` in `b2c`, or a consumer nature in `b2b`, is refused: the
    /// nature decides which law applies.
    Nature,
    /// `tags` — optional. Free labels separated by `|` (`vip|export`); blanks and repeats
    /// are dropped.
    Tags,
    /// `paid_date` — optional. The day the claim was settled in the books the file comes
    /// from ("date de règlement", "date de lettrage"), not before the issue date. An
    /// accounting package's history of paid invoices, imported with this column, gives the
    /// analytics (DSO, share paid late, each debtor's payment delay) their past.
    PaidDate,
    /// `paid_amount` — optional, only with `paid_date`. How much of the amount was settled
    /// by that day, > 0 and at most the amount. Default: the whole amount.
    PaidAmount,
    /// `penalty_rate` — optional. The late-penalty rate of the claim's terms of sale, when
    /// it differs from its creditor's: `12%`, `1 % par mois` (= 12 % a year), `3x legal` (`3
    /// fois le taux légal`), `ecb+10` (`taux BCE + 10 points`). Between professionals in
    /// France it is raised to three times the legal rate when below (L441-10 II).
    PenaltyRate,
    /// `indemnity` — optional. A recovery indemnity agreed above the statutory €40 (`60`,
    /// `150,00`), in the claim's currency.
    Indemnity,
    /// `payment_terms` — optional. The agreed payment term: `60d`, `30 jours`, `45d eom`
    /// (`45 jours fin de mois`).
    PaymentTerms,
    /// `due_date_is_notice` — optional. `yes` when the contract says the due date alone
    /// puts the debtor on notice (C. civ. 1344; `oui`/`non` accepted).
    DueDateIsNotice,
}

impl Column {
    /// Every column, in the order of the documented layout.
    pub const ALL: [Column; 24] = [
        Column::Creditor,
        Column::DebtorId,
        Column::DebtorName,
        Column::DebtorKind,
        Column::Segment,
        Column::Country,
        Column::Language,
        Column::Email,
        Column::Phone,
        Column::Address,
        Column::InvoiceNumber,
        Column::ExternalId,
        Column::IssueDate,
        Column::DueDate,
        Column::Amount,
        Column::Currency,
        Column::Nature,
        Column::Tags,
        Column::PaidDate,
        Column::PaidAmount,
        Column::PenaltyRate,
        Column::Indemnity,
        Column::PaymentTerms,
        Column::DueDateIsNotice,
    ];

    pub(crate) const COUNT: usize = Self::ALL.len();

    /// The header name of the column in the documented layout.
    pub fn name(self) -> &'static str {
        match self {
            Column::Creditor => "creditor",
            Column::DebtorId => "debtor_id",
            Column::DebtorName => "debtor_name",
            Column::DebtorKind => "debtor_kind",
            Column::Segment => "segment",
            Column::Country => "country",
            Column::Language => "language",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Address => "address",
            Column::InvoiceNumber => "invoice_number",
            Column::ExternalId => "external_id",
            Column::IssueDate => "issue_date",
            Column::DueDate => "due_date",
            Column::Amount => "amount",
            Column::Currency => "currency",
            Column::Nature => "nature",
            Column::Tags => "tags",
            Column::PaidDate => "paid_date",
            Column::PaidAmount => "paid_amount",
            Column::PenaltyRate => "penalty_rate",
            Column::Indemnity => "indemnity",
            Column::PaymentTerms => "payment_terms",
            Column::DueDateIsNotice => "due_date_is_notice",
        }
    }

    /// Whether a file must have the column (and every row a value in it).
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Column::DebtorId
                | Column::DebtorName
                | Column::DebtorKind
                | Column::InvoiceNumber
                | Column::IssueDate
                | Column::DueDate
                | Column::Amount
        )
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Column {
    type Err = String;

    /// A column by its documented name, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        let wanted = s.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown column {wanted:?}; the columns are: {}",
                    names.join(", ")
                )
            })
    }
}

/// Which header of the file holds each column, when it is not the documented name.
///
/// Built from `--map` arguments: `our_name=Their header`, several pairs separated by
/// commas (`debtor_id=Code client,amount=Montant TTC`). Names on both sides are trimmed
/// and compared with the file's headers without regard to case. Two columns may be read
/// from the same header (`debtor_id=Client,debtor_name=Client`). A header containing a
/// comma cannot be mapped (rename it in the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    headers: [Option<String>; Column::COUNT],
}

impl ColumnMap {
    /// Parses one `--map` argument. An unknown column name, a pair without `=`, an empty
    /// header or the same column twice is an error.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut map = ColumnMap::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((ours, theirs)) = pair.split_once('=') else {
                return Err(format!(
                    "--map {pair:?}: expected our_name=Their header (e.g. amount=Montant TTC)"
                ));
            };
            let column: Column = ours.parse().map_err(|e| format!("--map {pair:?}: {e}"))?;
            let theirs = theirs.trim();
            if theirs.is_empty() {
                return Err(format!("--map {pair:?}: the header name is empty"));
            }
            if let Some(previous) = map.get(column) {
                return Err(format!(
                    "--map: {column} is mapped twice ({previous:?} and {theirs:?})"
                ));
            }
            map.headers[column.index()] = Some(theirs.to_string());
        }
        Ok(map)
    }

    /// Adds the pairs of `other`; for a column both map, `other` wins (a later `--map`
    /// overrides an earlier one).
    pub fn merge(&mut self, other: ColumnMap) {
        for (mine, theirs) in self.headers.iter_mut().zip(other.headers) {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
    }

    /// Maps `column` to `header`, replacing any earlier mapping of the column.
    pub fn set(&mut self, column: Column, header: impl Into<String>) {
        self.headers[column.index()] = Some(header.into());
    }

    /// The header mapped to `column`, if any.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.headers[column.index()].as_deref()
    }

    /// The header the file must use for `column`: the mapped one, else the documented name.
    pub fn header_for(&self, column: Column) -> &str {
        self.get(column).unwrap_or(column.name())
    }

    pub fn is_empty(&self) -> bool {
        self.headers.iter().all(Option::is_none)
    }
}

impl FromStr for ColumnMap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

/// Where each column is in the file: resolved once from the header line, then used for
/// every row without looking at a name again.
/// Values given for columns a file lacks (`--default debtor_kind=company`): each one
/// stands for the cell of every row where the file has no such column or leaves the cell
/// empty, and is read and checked as such a cell would be. A required column with a
/// default need not be in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnDefaults {
    values: [Option<String>; Column::COUNT],
}

impl ColumnDefaults {
    /// Parses `column=value` pairs separated by commas: `debtor_kind=company,country=US`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut defaults = ColumnDefaults::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((ours, value)) = pair.split_once('=') else {
                return Err(format!(
                    "--default {pair:?}: expected column=value (e.g. debtor_kind=company)"
                ));
            };
            let column: Column = ours
                .parse()
                .map_err(|e| format!("--default {pair:?}: {e}"))?;
            defaults.set(column, value)?;
        }
        Ok(defaults)
    }

    /// Sets the value of `column`; an empty value or a second value is refused.
    pub fn set(&mut self, column: Column, value: &str) -> Result<(), String> {
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("--default {column}: the value is empty"));
        }
        if let Some(previous) = self.get(column) {
            return Err(format!(
                "--default: {column} is given twice ({previous:?} and {value:?})"
            ));
        }
        self.values[column.index()] = Some(value.to_string());
        Ok(())
    }

    /// Adds every value of `other`; the same column given in both is refused.
    pub fn merge(&mut self, other: ColumnDefaults) -> Result<(), String> {
        for column in Column::ALL {
            if let Some(v) = other.get(column) {
                self.set(column, v)?;
            }
        }
        Ok(())
    }

    pub fn get(&self, column: Column) -> Option<&str> {
        self.values[column.index()].as_deref()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Layout {
    positions: [Option<usize>; Column::COUNT],
    /// The number of cells of the header, up to its last non-empty one: a header ending
    /// with a separator does not oblige every row to end with one.
    pub(crate) width: usize,
}

/// Header names compare trimmed and without regard to case (`Échéance` = `ÉCHÉANCE`).
fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Layout {
    /// Finds every column in `header`. Cells of the header that are none of ours are
    /// ignored. The error is the reason only; the caller adds file and line.
    pub(crate) fn resolve<'h>(
        header: impl Iterator<Item = &'h str>,
        map: &ColumnMap,
        defaults: &ColumnDefaults,
    ) -> Result<Layout, String> {
        let names: Vec<String> = header.map(normalise).collect();
        let mut positions = [None; Column::COUNT];
        let mut missing = Vec::new();
        for column in Column::ALL {
            let wanted = map.header_for(column);
            let key = normalise(wanted);
            let mut found = names
                .iter()
                .enumerate()
                .filter(|(_, n)| **n == key)
                .map(|(i, _)| i);
            match (found.next(), found.next()) {
                (Some(i), None) => positions[column.index()] = Some(i),
                (Some(i), Some(j)) => {
                    return Err(format!(
                        "column {wanted:?} appears twice (columns {} and {})",
                        i + 1,
                        j + 1
                    ));
                }
                (None, _)
                    if (column.is_required() && defaults.get(column).is_none())
                        || map.get(column).is_some() =>
                {
                    missing.push(match map.get(column) {
                        Some(theirs) => format!("{:?} (mapped to {theirs:?})", column.name()),
                        None => format!("{:?}", column.name()),
                    });
                }
                (None, _) => {}
            }
        }
        match missing.as_slice() {
            [] => Ok(Layout {
                positions,
                width: names
                    .iter()
                    .rposition(|n| !n.is_empty())
                    .map_or(0, |i| i + 1),
            }),
            [one] => Err(format!("missing column {one}")),
            many => Err(format!("missing columns {}", many.join(", "))),
        }
    }

    /// The position of `column` in a row, when the file has it.
    pub(crate) fn position(&self, column: Column) -> Option<usize> {
        self.positions[column.index()]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn column_names_round_trip() {
        for column in Column::ALL {
            assert_eq!(column.name().parse::<Column>(), Ok(column));
            assert_eq!(Column::ALL[column.index()], column);
        }
        assert_eq!("Due_Date".parse::<Column>(), Ok(Column::DueDate));
    }

    #[test]
    fn map_pairs_and_merge() {
        let mut map = ColumnMap::parse(" debtor_id = Code client , amount=Montant TTC,").unwrap();
        assert_eq!(map.get(Column::DebtorId), Some("Code client"));
        assert_eq!(map.header_for(Column::Amount), "Montant TTC");
        assert_eq!(map.header_for(Column::DueDate), "due_date");
        map.merge(ColumnMap::parse("amount=Total,due_date=Échéance").unwrap());
        assert_eq!(map.get(Column::Amount), Some("Total"));
        assert_eq!(map.get(Column::DueDate), Some("Échéance"));
        assert_eq!(map.get(Column::DebtorId), Some("Code client"));
        assert!(ColumnMap::parse("").unwrap().is_empty());
    }

    #[test]
    fn map_refuses_mistakes() {
        let err = ColumnMap::parse("montant=Montant TTC").unwrap_err();
        assert!(err.contains("unknown column \"montant\""), "{err}");
        assert!(err.contains("debtor_id"), "lists the columns: {err}");
        assert!(ColumnMap::parse("amount").is_err());
        assert!(ColumnMap::parse("amount=").is_err());
        assert!(ColumnMap::parse("amount=A,amount=B").is_err());
    }
}
