//! # Bank statements, whatever the file format
//!
//! Payments reach Recouvre as lines of a bank statement: camt.053 (end-of-day statement),
//! camt.054 (debit/credit notification), MT940 or a bank's CSV export. Each reader
//! ([`crate::camt`], [`crate::mt940`], [`crate::statement_csv`]) turns its file into the
//! same [`Statement`]s, so that matching payments to claims never knows which format the
//! bank sent.
//!
//! ## Shape
//!
//! A [`Statement`] is one account over one period, with its optional opening and closing
//! [`Balance`]s and its [`Entry`]s (one booking each). An entry holds one or more
//! [`TxDetail`]s: a single payment has one, a *batch booking* (one credit of 3,483.00 made of
//! two customer payments of 2,187.00 and 1,296.00) has one detail per payment.
//!
//! ## Signs
//!
//! Amounts are signed from the account holder's point of view: money in (credit) is
//! positive, money out (debit) negative. A reversal (`RvslInd`, MT940 `RC`/`RD`) keeps the
//! sign of the booking the bank actually made (a reversed credit is booked as a debit, so
//! it is negative) and sets [`Entry::reversal`].
//!
//! ## Batches
//!
//! The invariant every reader keeps: **the amounts of an entry's details add up to the
//! entry's amount**. When a batch lists its details with amounts that add up, each becomes
//! a [`TxDetail`]. When the bank lists details without amounts (or with amounts in another
//! currency, or that do not add up, e.g. charges deducted), the entry cannot be split
//! honestly: it gets a single detail carrying the whole entry amount, the references of
//! every listed detail are kept on it, and [`Entry::unsplit_details`] says how many details
//! the bank listed, so the matching can ask a person.
//!
//! ## Idempotence
//!
//! [`TxDetail::fingerprint`] is a stable digest of what identifies a payment (account,
//! dates, amount, bank and end-to-end references, position in a batch): importing the same
//! file twice yields the same fingerprints; it does not depend on the file format's
//! whitespace, on the statement id or on the reader's version.

use domain::{Currency, Date, Money};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The account a statement is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountId {
    /// A valid IBAN, upper case, without spaces.
    Iban(String),
    /// Anything else the bank calls the account (`45050050/76198810`, a local number).
    Other(String),
}

impl AccountId {
    /// An IBAN when `text` is a valid one (spaces ignored), otherwise the text as written.
    pub fn from_text(text: &str) -> Self {
        match crate::iban::Iban::parse(text) {
            Ok(iban) => AccountId::Iban(iban.as_str().to_string()),
            Err(_) => AccountId::Other(text.trim().to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AccountId::Iban(s) | AccountId::Other(s) => s,
        }
    }
}

/// A balance: an amount (signed: negative is overdrawn) on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub amount: Money,
    pub date: Option<Date>,
}

/// Booked, pending or information only (camt `Sts`). MT940 and CSV lines are booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryStatus {
    Booked,
    Pending,
    Info,
    /// Any other code, as written.
    Other(String),
}

impl EntryStatus {
    pub fn from_code(code: &str) -> Self {
        match code.trim().to_ascii_uppercase().as_str() {
            "BOOK" | "" => EntryStatus::Booked,
            "PDNG" => EntryStatus::Pending,
            "INFO" => EntryStatus::Info,
            other => EntryStatus::Other(other.to_string()),
        }
    }
}

/// Which file format a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Camt053,
    Camt054,
    /// camt.052 (intraday account report), read the same way as camt.053.
    Camt052,
    Mt940,
    Csv,
}

/// One account over one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub source: Source,
    /// The statement's id (camt `Stmt/Id`, `Ntfctn/Id`; MT940 `:20:` + `/` + `:28C:`).
    pub id: String,
    pub account: AccountId,
    /// The account's currency (of the balances, or of the first entry).
    pub currency: Currency,
    /// Opening balance: camt `OPBD` (or `PRCD`), MT940 `:60F:`/`:60M:`.
    pub opening: Option<Balance>,
    /// Closing balance: camt `CLBD`, MT940 `:62F:`/`:62M:`.
    pub closing: Option<Balance>,
    pub entries: Vec<Entry>,
}

/// One booking on the account.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Signed: credit positive, debit negative.
    pub amount: Money,
    pub booking_date: Option<Date>,
    pub value_date: Option<Date>,
    pub reversal: bool,
    pub status: EntryStatus,
    /// The bank's own reference (camt `AcctSvcrRef`, MT940 `//` reference).
    pub bank_reference: Option<String>,
    /// camt `NtryRef`; MT940 customer reference (before `//`, `NONREF` dropped).
    pub entry_reference: Option<String>,
    /// Bank transaction code as written (`PMNT/RCDT/ESCT`, `NTRF`, `FMSC`, `Prtry`).
    pub bank_transaction_code: Option<String>,
    /// Free text about the entry (camt `AddtlNtryInf`).
    pub additional_info: Option<String>,
    /// How many details the bank listed when they could not be split (see the module
    /// documentation); `None` when `transactions` is the bank's own list.
    pub unsplit_details: Option<usize>,
    /// At least one; their amounts add up to `amount`.
    pub transactions: Vec<TxDetail>,
}

/// One payment inside an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TxDetail {
    /// Signed like the entry.
    pub amount: Money,
    pub end_to_end_id: Option<String>,
    /// Other references: camt `TxId`, `InstrId`, `AcctSvcrRef`, `UETR`; MT940 `EREF`.
    pub transaction_id: Option<String>,
    pub mandate_id: Option<String>,
    /// Unstructured remittance lines (camt `Ustrd`, MT940 `:86:` text), in file order.
    pub remittance_unstructured: Vec<String>,
    /// Structured creditor reference: ISO 11649 `RF…`, Swiss `QRR`/ESR numbers.
    pub structured_reference: Option<String>,
    /// Its type as written (`SCOR`, `QRR`, `ISR Reference`).
    pub structured_reference_type: Option<String>,
    /// The other party: the debtor for a credit, the creditor for a debit.
    pub counterparty_name: Option<String>,
    /// The other party's IBAN when valid, else its account id as written.
    pub counterparty_account: Option<AccountId>,
    pub purpose: Option<String>,
    /// Return reason of an R-transaction (`AC06`, `MD06`).
    pub return_reason: Option<String>,
    pub additional_info: Option<String>,
}

impl TxDetail {
    /// A detail of `amount` with no reference yet.
    pub fn new(amount: Money) -> Self {
        TxDetail {
            amount,
            end_to_end_id: None,
            transaction_id: None,
            mandate_id: None,
            remittance_unstructured: Vec::new(),
            structured_reference: None,
            structured_reference_type: None,
            counterparty_name: None,
            counterparty_account: None,
            purpose: None,
            return_reason: None,
            additional_info: None,
        }
    }

    /// A stable SHA-256 (hex) of what identifies this payment, for idempotent imports.
    ///
    /// Built from: the account, the entry's booking and value dates, the entry and detail
    /// amounts with currency, the reversal flag, the bank reference, the entry reference,
    /// the end-to-end and transaction ids, the structured reference, and `index` (the
    /// detail's position in its entry, which tells apart two identical payments in one
    /// batch). Two lines that differ in none of these are the same payment.
    pub fn fingerprint(&self, statement: &Statement, entry: &Entry, index: usize) -> String {
        let key = fingerprint_key(statement, entry, self, index);
        let digest = Sha256::digest(key.as_bytes());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            let _ = write!(hex, "{byte:02x}");
        }
        hex
    }
}

/// The text hashed by [`TxDetail::fingerprint`], fields separated by `|` (public so a
/// person can see why two lines collide).
pub fn fingerprint_key(
    statement: &Statement,
    entry: &Entry,
    tx: &TxDetail,
    index: usize,
) -> String {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_string();
    [
        "v1".to_string(),
        statement.account.as_str().to_string(),
        date(entry.booking_date),
        date(entry.value_date),
        entry.amount.to_string(),
        tx.amount.to_string(),
        u8::from(entry.reversal).to_string(),
        text(&entry.bank_reference),
        text(&entry.entry_reference),
        text(&tx.end_to_end_id),
        text(&tx.transaction_id),
        text(&tx.structured_reference),
        index.to_string(),
    ]
    .join("|")
}

/// Totals of a statement, for checks and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub entries: usize,
    pub details: usize,
    /// Sum of the positive entries, in minor units.
    pub credits_minor: i64,
    /// Sum of the negative entries (a negative number), in minor units.
    pub debits_minor: i64,
}

impl Statement {
    /// Entry count, detail count, credits and debits.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for e in &self.entries {
            t.entries += 1;
            t.details += e.transactions.len();
            if e.amount.is_negative() {
                t.debits_minor = t.debits_minor.saturating_add(e.amount.minor());
            } else {
                t.credits_minor = t.credits_minor.saturating_add(e.amount.minor());
            }
        }
        t
    }

    /// Whether opening + entries = closing (both balances known). Banks' test files do not
    /// always reconcile; readers never refuse a file for that, the import can warn.
    pub fn reconciles(&self) -> Option<bool> {
        let (open, close) = (self.opening?, self.closing?);
        let mut sum = open.amount.minor();
        for e in &self.entries {
            if e.status == EntryStatus::Booked {
                sum = sum.checked_add(e.amount.minor())?;
            }
        }
        Some(sum == close.amount.minor())
    }

    /// Why this statement cannot be trusted whole, if it cannot: an MT940 statement
    /// without its closing balance `:62F:` (a file cut short: the closing balance is
    /// mandatory), or balances that do not close (opening + booked entries ≠ closing).
    /// The readers read such a statement; the import refuses it unless told otherwise.
    /// The reason is given in English and in French, for the message that quotes it.
    pub fn balance_problem(&self) -> Option<(String, String)> {
        if self.source == Source::Mt940 && self.closing.is_none() {
            return Some((
                "no closing balance (:62F:): the file looks cut short".into(),
                "pas de solde de clôture (:62F:) : le fichier semble tronqué".into(),
            ));
        }
        let (open, close) = (self.opening?, self.closing?);
        if self.reconciles() != Some(false) {
            return None;
        }
        let currency = open.amount.currency();
        let booked: i64 = self
            .entries
            .iter()
            .filter(|e| e.status == EntryStatus::Booked)
            .fold(0i64, |s, e| s.saturating_add(e.amount.minor()));
        let show = |minor: i64| Money::from_minor(minor, currency).amount_string();
        let expected = open.amount.minor().saturating_add(booked);
        let (opening, entries, computed, closing, difference) = (
            show(open.amount.minor()),
            show(booked),
            show(expected),
            show(close.amount.minor()),
            show(close.amount.minor().saturating_sub(expected)),
        );
        let currency = currency.code();
        Some((
            format!(
                "the balances do not close: opening {opening} + booked entries {entries} = {computed}, \
                 but the closing balance is {closing} (difference {difference} {currency})"
            ),
            format!(
                "les soldes ne bouclent pas : solde d'ouverture {opening} + écritures {entries} = {computed}, \
                 mais le solde de clôture est {closing} (écart {difference} {currency})"
            ),
        ))
    }
}

impl Entry {
    /// Enforces the batch invariant on the details a reader collected, each with the
    /// amount the file states for it (if any): keeps them when those amounts are known, in
    /// the entry's currency, and add up to the entry; otherwise merges them into one detail
    /// with the entry's amount (see the module documentation). A single detail is the
    /// entry, whatever it states (the stated amount may be the instructed one, in another
    /// currency).
    pub(crate) fn settle_details(&mut self, details: Vec<(Option<Money>, TxDetail)>) {
        let entry_amount = self.amount;
        if details.len() <= 1 {
            let mut tx = details
                .into_iter()
                .next()
                .map_or_else(|| TxDetail::new(entry_amount), |(_, tx)| tx);
            tx.amount = entry_amount;
            self.transactions = vec![tx];
            return;
        }
        let mut sum: Option<i64> = Some(0);
        for (stated, _) in &details {
            sum = match (sum, stated) {
                (Some(s), Some(a)) if a.currency() == entry_amount.currency() => {
                    s.checked_add(a.minor())
                }
                _ => None,
            };
        }
        if sum == Some(entry_amount.minor()) {
            self.transactions = details
                .into_iter()
                .map(|(stated, mut tx)| {
                    tx.amount = stated.unwrap_or(entry_amount);
                    tx
                })
                .collect();
            return;
        }
        self.unsplit_details = Some(details.len());
        let mut merged = TxDetail::new(entry_amount);
        for (_, d) in details {
            merge_into(&mut merged, d);
        }
        self.transactions = vec![merged];
    }
}

/// Keeps the first of each single-valued field and every remittance line.
fn merge_into(into: &mut TxDetail, from: TxDetail) {
    fn first(a: &mut Option<String>, b: Option<String>) {
        if a.is_none() {
            *a = b;
        }
    }
    first(&mut into.end_to_end_id, from.end_to_end_id);
    first(&mut into.transaction_id, from.transaction_id);
    first(&mut into.mandate_id, from.mandate_id);
    first(
        &mut into.structured_reference_type,
        from.structured_reference_type.clone(),
    );
    if into.structured_reference.is_none() {
        into.structured_reference = from.structured_reference;
    } else if let Some(r) = from.structured_reference {
        into.remittance_unstructured.push(r);
    }
    into.remittance_unstructured
        .extend(from.remittance_unstructured);
    first(&mut into.counterparty_name, from.counterparty_name);
    if into.counterparty_account.is_none() {
        into.counterparty_account = from.counterparty_account;
    }
    first(&mut into.purpose, from.purpose);
    first(&mut into.return_reason, from.return_reason);
    first(&mut into.additional_info, from.additional_info);
}

/// Why a statement file could not be read: where (line, and for XML the byte offset and
/// element path) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {location}: {reason}")]
pub struct StatementError {
    pub file: String,
    /// 1-based line; 0 when the file is empty.
    pub line: u64,
    /// Byte offset in the file (XML), or 0.
    pub offset: u64,
    /// The element path (`Document/BkToCstmrStmt/Stmt/Ntry/Amt`) or MT940 tag (`:61:`) or
    /// CSV column.
    pub location: String,
    pub reason: String,
}

/// 1-based line number of byte `offset` of `bytes`.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}
