//! # pain.008 — SEPA direct debit initiation
//!
//! The file a creditor gives its bank to collect the instalments of payment plans by SEPA
//! direct debit (`shared/domain-rules.md` §11.4). [`write`] turns a [`Batch`] (the
//! creditor, one or more payment groups, their transactions) into the XML of an ISO 20022
//! `CstmrDrctDbtInitn` message, in one of two versions:
//!
//! - `pain.008.001.02`, the version of the EPC rulebooks up to 2023, still the one many
//!   banks take;
//! - `pain.008.001.08`, the version of the 2023 rulebooks.
//!
//! For what a SEPA file carries the two differ in one element only: the bank of an account
//! is `FinInstnId/BIC` in 001.02 and `FinInstnId/BICFI` in 001.08, and the BIC shapes the
//! two schemas allow differ (001.02 wants letters in the bank code, 001.08 allows digits).
//! Everything else written here has the same name, order and occurrence in both XSDs.
//!
//! Like every function of this crate, [`write`] is pure: the message id and the creation
//! date-time are passed in, nothing reads the clock, and the result is a `String` the
//! shell stores. Nothing is written unless the whole batch is valid: every error names
//! where it is (the creditor, a group, a transaction by its end-to-end id) and the field.
//!
//! ## Checks before writing
//!
//! - IBANs: ISO 13616 with the registry's lengths and the mod-97 check ([`crate::iban`]).
//! - BICs: 8 or 11 characters, in the shape the chosen version's schema allows.
//! - The SEPA creditor identifier ("ICS"): see [`check_creditor_identifier`].
//! - Amounts: in EUR, at least 0.01 and at most 999 999 999.99.
//! - Identifiers (message id, group id, end-to-end id, mandate id): 1 to 35 characters of
//!   the SEPA character set (`a-z A-Z 0-9 / - ? : ( ) . , ' +` and space), not starting
//!   or ending with `/` and without `//`. They are **refused**, never transliterated: they
//!   are keys (the bank returns a rejected debit by its end-to-end id, the mandate id must
//!   be the one the debtor signed) and a silently changed key matches nothing.
//! - Names and unstructured remittance text: **transliterated** to the SEPA character set
//!   (`é` → `e`, `ß` → `ss`, `œ` → `oe`, `&` → `+`, `’` → `'`, `_` → `-`…); a character
//!   with no transliteration (`@`, `€`, `#`, non-Latin scripts) is refused, naming it.
//!   Then at most 140 characters (the schemas' `Max140Text`; the EPC guidelines are said
//!   to cap names at 70 — ⚠ not re-read, so not enforced here).
//! - Structure: at least one group, each with at least one transaction; group ids and
//!   end-to-end ids unique in the message; one local instrument (CORE or B2B) per message,
//!   as banks take the two schemes in separate files; no collection date before the
//!   creation date; no mandate signed after the collection date.
//!
//! Control sums are added up in cents (`i64`) and written with two decimals: never a float.

use crate::iban::{Iban, mod97};
use domain::{Currency, Date, Money};
use std::collections::HashSet;

/// A civil date and time, for `CreDtTm` (written without a time zone, as the schema allows).
pub use jiff::civil::DateTime;

/// The schema version to write.
#[allow(non_camel_case_types)] // the ISO message version, as people write it
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `urn:iso:std:iso:20022:tech:xsd:pain.008.001.02` (bank identified by `BIC`).
    V001_001_02,
    /// `urn:iso:std:iso:20022:tech:xsd:pain.008.001.08` (bank identified by `BICFI`).
    V001_001_08,
}

impl Version {
    /// The XML namespace of the `Document` element.
    pub fn namespace(self) -> &'static str {
        match self {
            Version::V001_001_02 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            Version::V001_001_08 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08",
        }
    }

    /// The element that holds a BIC under `FinInstnId`.
    fn bic_element(self) -> &'static str {
        match self {
            Version::V001_001_02 => "BIC",
            Version::V001_001_08 => "BICFI",
        }
    }
}

/// One pain.008 message: a creditor collecting from its debtors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// `GrpHdr/MsgId`: unique per message sent to the bank (1 to 35 characters).
    pub message_id: String,
    /// `GrpHdr/CreDtTm`: when the file was made (passed in; nothing here reads a clock).
    pub created_at: DateTime,
    /// The creditor, also written as the initiating party.
    pub creditor: Creditor,
    /// One `PmtInf` each.
    pub groups: Vec<PaymentGroup>,
}

/// The creditor collecting the debits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creditor {
    pub name: String,
    /// The account credited.
    pub iban: String,
    /// The creditor's bank; without it the file says `NOTPROVIDED` (IBAN-only, as SEPA
    /// allows).
    pub bic: Option<String>,
    /// The SEPA creditor identifier ("ICS" in France), e.g. `DE98ZZZ09999999999`.
    pub creditor_identifier: String,
}

/// The debits collected on one date, under one scheme and sequence type (one `PmtInf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentGroup {
    /// `PmtInfId`: unique within the message (1 to 35 characters).
    pub id: String,
    /// `ReqdColltnDt`.
    pub collection_date: Date,
    pub local_instrument: LocalInstrument,
    pub sequence_type: SequenceType,
    pub transactions: Vec<Transaction>,
}

/// The SEPA direct debit scheme (`LclInstrm/Cd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalInstrument {
    /// `CORE`: any debtor; refund on request for 8 weeks.
    Core,
    /// `B2B`: business debtors only; no refund right.
    B2b,
}

impl LocalInstrument {
    pub fn code(self) -> &'static str {
        match self {
            LocalInstrument::Core => "CORE",
            LocalInstrument::B2b => "B2B",
        }
    }
}

/// Where a debit stands in the life of its mandate (`SeqTp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceType {
    /// `FRST`: the first of a series (optional since Core rulebook 9.0; `RCUR` is fine).
    First,
    /// `RCUR`: a following debit of a series.
    Recurring,
    /// `OOFF`: a single debit on a one-off mandate.
    OneOff,
    /// `FNAL`: the last of a series.
    Final,
}

impl SequenceType {
    pub fn code(self) -> &'static str {
        match self {
            SequenceType::First => "FRST",
            SequenceType::Recurring => "RCUR",
            SequenceType::OneOff => "OOFF",
            SequenceType::Final => "FNAL",
        }
    }
}

/// One debit (`DrctDbtTxInf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// `PmtId/EndToEndId`: comes back with a rejection or a refund (1 to 35 characters).
    pub end_to_end_id: String,
    /// In EUR, positive.
    pub amount: Money,
    /// The mandate reference as signed by the debtor (`MndtId`).
    pub mandate_id: String,
    /// `DtOfSgntr`.
    pub mandate_signed_on: Date,
    pub debtor_name: String,
    pub debtor_iban: String,
    /// The debtor's bank; without it the file says `NOTPROVIDED`.
    pub debtor_bic: Option<String>,
    pub remittance: Option<Remittance>,
}

/// What the debtor reads on the bank statement (`RmtInf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remittance {
    /// Free text, at most 140 characters after transliteration (`Ustrd`).
    Unstructured(String),
    /// An ISO 11649 RF creditor reference (`Strd/CdtrRefInf`, type `SCOR`), spaces allowed.
    CreditorReference(String),
}

/// Why a batch cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Pain008Error {
    #[error("the batch has no payment group: there is nothing to collect")]
    EmptyBatch,
    #[error("{at}: {field}: {reason}")]
    Invalid {
        /// `message`, `creditor`, `group G1` or `group G1, transaction E2E-7`.
        at: String,
        /// The input field, as named in this module (`debtor_iban`, `amount`…).
        field: &'static str,
        reason: String,
    },
}

fn invalid(at: &str, field: &'static str, reason: impl Into<String>) -> Pain008Error {
    Pain008Error::Invalid {
        at: at.to_string(),
        field,
        reason: reason.into(),
    }
}

/// The largest amount of one SEPA direct debit, in cents (999 999 999.99 €, the EPC
/// implementation guidelines' limit on `InstdAmt`).
const MAX_AMOUNT_MINOR: i64 = 999_999_999_99;

/// Control sums are `DecimalNumber`, 18 digits in all: with two decimals, below 10^16 €.
const MAX_SUM_MINOR: i64 = 1_000_000_000_000_000_000 - 1;

/// Writes the batch as a pain.008 message of the given version, after checking all of it
/// (see the module documentation). The XML is UTF-8, indented by two spaces, one element
/// per line.
pub fn write(batch: &Batch, version: Version) -> Result<String, Pain008Error> {
    let checked = check(batch, version)?;
    Ok(render(&checked, version))
}

/// Checks a SEPA creditor identifier and returns it in electronic form (upper case, no
/// spaces).
///
/// Its shape, as the EPC defines it (EPC262-08 "Creditor Identifier Overview"): country
/// code (2 letters), check digits (2 digits), creditor business code (3 letters or digits,
/// `ZZZ` when unused), then the national identifier (letters or digits); 35 characters at
/// most. The check digits are ISO 7064 MOD 97-10, as for IBANs, computed over the national
/// identifier followed by the country code and the check digits — **the business code is
/// left out**, so that a creditor may change it freely. The per-country lengths of the
/// national part (France: 6 characters, `FRkkZZZnnnnnn`) are ⚠ unverified and not
/// checked.
///
/// Verified on the widely used German test identifier `DE98ZZZ09999999999`: `09999999999`
/// then `DE98` as digits (D = 13, E = 14) gives `09999999999131498`, which is 1 mod 97.
/// None of the identifiers in the fixture samples (`shared/fixtures/pain008`) passes:
/// `BG40ZZZ507778` (php-sepa-xml) would need check digits 22 and `DE00ZZZ00099999999`
/// (sepa_king) carries the placeholder `00` (10 would be right); they are synthetic, and
/// the tests use them as refusals.
pub fn check_creditor_identifier(text: &str) -> Result<String, String> {
    let compact: String = text
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !compact.is_ascii() || compact.len() < 8 || compact.len() > 35 {
        return Err(format!(
            "{text:?} is not a SEPA creditor identifier: 8 to 35 letters and digits expected"
        ));
    }
    let shape = compact[..2].chars().all(|c| c.is_ascii_uppercase())
        && compact[2..4].chars().all(|c| c.is_ascii_digit())
        && compact[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !shape {
        return Err(format!(
            "{text:?} is not a SEPA creditor identifier: expected a country code, two check \
             digits, a 3-character business code and the national identifier (letters and digits)"
        ));
    }
    let national = &compact[7..];
    if mod97(national.chars().chain(compact[..4].chars())) != Some(1) {
        return Err(format!(
            "{text:?} is not a SEPA creditor identifier: wrong check digits (ISO 7064 mod 97-10 \
             over the national identifier, without the business code)"
        ));
    }
    Ok(compact)
}

/// A batch whose every value is checked and normalised, ready to render.
struct Checked {
    message_id: String,
    created_at: String,
    creditor_name: String,
    creditor_iban: String,
    creditor_bic: Option<String>,
    creditor_identifier: String,
    total: Sums,
    groups: Vec<CheckedGroup>,
}

struct CheckedGroup {
    id: String,
    collection_date: Date,
    local_instrument: LocalInstrument,
    sequence_type: SequenceType,
    sums: Sums,
    transactions: Vec<CheckedTransaction>,
}

struct CheckedTransaction {
    end_to_end_id: String,
    amount_minor: i64,
    mandate_id: String,
    mandate_signed_on: Date,
    debtor_name: String,
    debtor_iban: String,
    debtor_bic: Option<String>,
    remittance: Option<Remittance>,
}

/// Number of transactions and their sum in cents.
#[derive(Clone, Copy, Default)]
struct Sums {
    count: usize,
    minor: i64,
}

impl Sums {
    fn add(&mut self, minor: i64, at: &str) -> Result<(), Pain008Error> {
        self.count += 1;
        self.minor = self
            .minor
            .checked_add(minor)
            .filter(|sum| *sum <= MAX_SUM_MINOR)
            .ok_or_else(|| {
                invalid(
                    at,
                    "amount",
                    "the control sum would exceed the 18 digits the schema allows",
                )
            })?;
        Ok(())
    }
}

fn check(batch: &Batch, version: Version) -> Result<Checked, Pain008Error> {
    let message_id = identifier("message", "message_id", &batch.message_id)?;
    let c = &batch.creditor;
    let creditor_name = text("creditor", "name", &c.name, 140)?;
    let creditor_iban = iban("creditor", "iban", &c.iban)?;
    let creditor_bic = bic("creditor", "bic", c.bic.as_deref(), version)?;
    let creditor_identifier = check_creditor_identifier(&c.creditor_identifier)
        .map_err(|reason| invalid("creditor", "creditor_identifier", reason))?;

    if batch.groups.is_empty() {
        return Err(Pain008Error::EmptyBatch);
    }
    let created_on = batch.created_at.date();
    let mut group_ids = HashSet::new();
    let mut end_to_end_ids = HashSet::new();
    let mut total = Sums::default();
    let mut groups = Vec::with_capacity(batch.groups.len());
    let first_instrument = batch.groups[0].local_instrument;
    for (n, g) in batch.groups.iter().enumerate() {
        let at = format!("group {} (#{})", g.id, n + 1);
        let id = identifier(&at, "id", &g.id)?;
        if !group_ids.insert(id.clone()) {
            return Err(invalid(&at, "id", "two groups have this id"));
        }
        if g.local_instrument != first_instrument {
            return Err(invalid(
                &at,
                "local_instrument",
                format!(
                    "{} in a message whose first group is {}: CORE and B2B go in separate files",
                    g.local_instrument.code(),
                    first_instrument.code()
                ),
            ));
        }
        if g.collection_date < created_on {
            return Err(invalid(
                &at,
                "collection_date",
                format!(
                    "{} is before the file's creation date {created_on}",
                    g.collection_date
                ),
            ));
        }
        if g.transactions.is_empty() {
            return Err(invalid(&at, "transactions", "the group has no transaction"));
        }
        let mut sums = Sums::default();
        let mut transactions = Vec::with_capacity(g.transactions.len());
        for (k, t) in g.transactions.iter().enumerate() {
            let at = format!("{at}, transaction {} (#{})", t.end_to_end_id, k + 1);
            let tx = check_transaction(&at, t, g.collection_date, version)?;
            if !end_to_end_ids.insert(tx.end_to_end_id.clone()) {
                return Err(invalid(
                    &at,
                    "end_to_end_id",
                    "two transactions have this end-to-end id: a rejection could not be told apart",
                ));
            }
            sums.add(tx.amount_minor, &at)?;
            total.add(tx.amount_minor, &at)?;
            transactions.push(tx);
        }
        groups.push(CheckedGroup {
            id,
            collection_date: g.collection_date,
            local_instrument: g.local_instrument,
            sequence_type: g.sequence_type,
            sums,
            transactions,
        });
    }
    let dt = batch.created_at;
    Ok(Checked {
        message_id,
        created_at: format!(
            "{}T{:02}:{:02}:{:02}",
            dt.date(),
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
        creditor_name,
        creditor_iban,
        creditor_bic,
        creditor_identifier,
        total,
        groups,
    })
}

fn check_transaction(
    at: &str,
    t: &Transaction,
    collection_date: Date,
    version: Version,
) -> Result<CheckedTransaction, Pain008Error> {
    let end_to_end_id = identifier(at, "end_to_end_id", &t.end_to_end_id)?;
    if t.amount.currency() != Currency::EUR {
        return Err(invalid(
            at,
            "amount",
            format!("{}: SEPA direct debits are in EUR only", t.amount),
        ));
    }
    if !t.amount.is_positive() {
        return Err(invalid(
            at,
            "amount",
            format!("{}: a debit must be at least 0.01 EUR", t.amount),
        ));
    }
    if t.amount.minor() > MAX_AMOUNT_MINOR {
        return Err(invalid(
            at,
            "amount",
            format!("{}: a SEPA debit is at most 999999999.99 EUR", t.amount),
        ));
    }
    let mandate_id = identifier(at, "mandate_id", &t.mandate_id)?;
    if t.mandate_signed_on > collection_date {
        return Err(invalid(
            at,
            "mandate_signed_on",
            format!(
                "{}: the mandate is signed after the collection date {collection_date}",
                t.mandate_signed_on
            ),
        ));
    }
    let debtor_name = text(at, "debtor_name", &t.debtor_name, 140)?;
    let debtor_iban = iban(at, "debtor_iban", &t.debtor_iban)?;
    let debtor_bic = bic(at, "debtor_bic", t.debtor_bic.as_deref(), version)?;
    let remittance = match &t.remittance {
        None => None,
        Some(Remittance::Unstructured(s)) => {
            Some(Remittance::Unstructured(text(at, "remittance", s, 140)?))
        }
        Some(Remittance::CreditorReference(s)) => {
            let rf =
                crate::rf::validate(s).map_err(|e| invalid(at, "remittance", e.to_string()))?;
            Some(Remittance::CreditorReference(rf.as_str().to_string()))
        }
    };
    Ok(CheckedTransaction {
        end_to_end_id,
        amount_minor: t.amount.minor(),
        mandate_id,
        mandate_signed_on: t.mandate_signed_on,
        debtor_name,
        debtor_iban,
        debtor_bic,
        remittance,
    })
}

/// The SEPA basic character set (EPC): Latin letters, digits and `/ - ? : ( ) . , ' +`
/// and space.
fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '/' | '-' | '?' | ':' | '(' | ')' | '.' | ',' | '\'' | '+' | ' '
        )
}

/// An identifier (`Max35Text` of the SEPA character set), refused rather than changed.
fn identifier(at: &str, field: &'static str, value: &str) -> Result<String, Pain008Error> {
    let len = value.chars().count();
    if len == 0 || len > 35 {
        return Err(invalid(
            at,
            field,
            format!("{value:?} has {len} characters; 1 to 35 expected"),
        ));
    }
    if value.trim() != value {
        return Err(invalid(
            at,
            field,
            format!("{value:?} starts or ends with a space"),
        ));
    }
    if let Some(c) = value.chars().find(|c| !is_sepa_char(*c)) {
        return Err(invalid(
            at,
            field,
            format!(
                "{value:?} contains {c:?}, outside the SEPA character set \
                 (identifiers are not transliterated: they must match exactly)"
            ),
        ));
    }
    if value.starts_with('/') || value.ends_with('/') || value.contains("//") {
        return Err(invalid(
            at,
            field,
            format!("{value:?}: an identifier may not start or end with / nor contain //"),
        ));
    }
    Ok(value.to_string())
}

/// Free text (names, remittance), trimmed and transliterated to the SEPA character set.
fn text(at: &str, field: &'static str, value: &str, max: usize) -> Result<String, Pain008Error> {
    let mut out = String::with_capacity(value.len());
    for c in value.trim().chars() {
        if is_sepa_char(c) {
            out.push(c);
        } else if let Some(t) = transliterate(c) {
            out.push_str(t);
        } else {
            return Err(invalid(
                at,
                field,
                format!(
                    "{value:?} contains {c:?}, which has no equivalent in the SEPA character set"
                ),
            ));
        }
    }
    let len = out.chars().count();
    if len == 0 {
        return Err(invalid(at, field, "empty"));
    }
    if len > max {
        return Err(invalid(
            at,
            field,
            format!("{value:?} has {len} characters once transliterated; at most {max}"),
        ));
    }
    Ok(out)
}

/// The SEPA-set spelling of a Latin letter with a diacritic, a ligature or a common
/// punctuation sign; `None` when there is none.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ŕ' | 'ř' => "r",
        'Ŕ' | 'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ß' => "ss",
        '&' => "+",
        '_' => "-",
        '‘' | '’' | '`' | '´' | '"' | '“' | '”' | '«' | '»' => "'",
        '–' | '—' => "-",
        ';' => ",",
        '\u{a0}' | '\t' => " ",
        _ => return None,
    })
}

fn iban(at: &str, field: &'static str, value: &str) -> Result<String, Pain008Error> {
    Iban::parse(value)
        .map(|i| i.as_str().to_string())
        .map_err(|e| invalid(at, field, e.to_string()))
}

/// A BIC as people write it (spaces, lower case) in its normal form, when it has the
/// shape of ISO 9362 (`BICFIDec2014Identifier`: 8 or 11 characters, bank code, country
/// code in letters, location, optional branch).
pub fn parse_bic(value: &str) -> Result<String, String> {
    let b: String = value
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let letters = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
    let shape = (b.len() == 8 || b.len() == 11)
        && b.is_ascii()
        && alnum(&b[..4])
        && letters(&b[4..6])
        && alnum(&b[6..]);
    if shape {
        Ok(b)
    } else {
        Err(format!(
            "{value:?} is not a BIC: 8 or 11 characters expected, bank code, \
             country code (letters), location, optional branch"
        ))
    }
}

/// A BIC in the shape the version's schema allows: 001.08's `BICFIDec2014Identifier`
/// (`[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?`), and for 001.02 its older
/// `BICIdentifier` (`[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?`).
fn bic(
    at: &str,
    field: &'static str,
    value: Option<&str>,
    version: Version,
) -> Result<Option<String>, Pain008Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let b = parse_bic(value).map_err(|e| invalid(at, field, e))?;
    let letters = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
    if version == Version::V001_001_02 {
        let bytes = b.as_bytes();
        let old = letters(&b[..4])
            && (bytes[6].is_ascii_uppercase() || (b'2'..=b'9').contains(&bytes[6]))
            && bytes[7] != b'O';
        if !old {
            return Err(invalid(
                at,
                field,
                format!(
                    "{value:?} cannot be written in pain.008.001.02, whose BIC has letters \
                     only in the bank code and no 0 or 1 as 7th nor O as 8th character; \
                     write pain.008.001.08"
                ),
            ));
        }
    }
    Ok(Some(b))
}

/// Cents as a decimal with two places: 112355 → `1123.55`, 10 → `0.10`.
fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// A small indenting XML writer: elements, text (escaped by quick-xml) and one attribute.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_with(tag, None, text);
    }

    fn leaf_with(&mut self, tag: &str, attribute: Option<(&str, &str)>, text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        if let Some((name, value)) = attribute {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&quick_xml::escape::escape(value));
            self.out.push('"');
        }
        self.out.push('>');
        // Text needs only `&`, `<` and `>` escaped; quotes stay readable.
        self.out.push_str(&quick_xml::escape::partial_escape(text));
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// `FinInstnId` with the BIC, or `Othr/Id = NOTPROVIDED` (the SEPA way of saying that
    /// the IBAN alone identifies the account).
    fn agent(&mut self, tag: &str, bic: Option<&str>, version: Version) {
        self.open(tag);
        self.open("FinInstnId");
        match bic {
            Some(b) => self.leaf(version.bic_element(), b),
            None => {
                self.open("Othr");
                self.leaf("Id", "NOTPROVIDED");
                self.close("Othr");
            }
        }
        self.close("FinInstnId");
        self.close(tag);
    }

    fn iban_account(&mut self, tag: &str, iban: &str) {
        self.open(tag);
        self.open("Id");
        self.leaf("IBAN", iban);
        self.close("Id");
        self.close(tag);
    }

    fn party(&mut self, tag: &str, name: &str) {
        self.open(tag);
        self.leaf("Nm", name);
        self.close(tag);
    }
}

fn render(b: &Checked, version: Version) -> String {
    let mut x = Xml {
        out: String::with_capacity(2048 + 1024 * b.total.count),
        depth: 0,
    };
    x.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.out.push_str("<Document xmlns=\"");
    x.out.push_str(version.namespace());
    x.out.push_str("\">\n");
    x.depth = 1;
    x.open("CstmrDrctDbtInitn");
    x.open("GrpHdr");
    x.leaf("MsgId", &b.message_id);
    x.leaf("CreDtTm", &b.created_at);
    x.leaf("NbOfTxs", &b.total.count.to_string());
    x.leaf("CtrlSum", &decimal(b.total.minor));
    x.party("InitgPty", &b.creditor_name);
    x.close("GrpHdr");
    for g in &b.groups {
        x.open("PmtInf");
        x.leaf("PmtInfId", &g.id);
        x.leaf("PmtMtd", "DD");
        x.leaf("NbOfTxs", &g.sums.count.to_string());
        x.leaf("CtrlSum", &decimal(g.sums.minor));
        x.open("PmtTpInf");
        x.open("SvcLvl");
        x.leaf("Cd", "SEPA");
        x.close("SvcLvl");
        x.open("LclInstrm");
        x.leaf("Cd", g.local_instrument.code());
        x.close("LclInstrm");
        x.leaf("SeqTp", g.sequence_type.code());
        x.close("PmtTpInf");
        x.leaf("ReqdColltnDt", &g.collection_date.to_string());
        x.party("Cdtr", &b.creditor_name);
        x.iban_account("CdtrAcct", &b.creditor_iban);
        x.agent("CdtrAgt", b.creditor_bic.as_deref(), version);
        x.leaf("ChrgBr", "SLEV");
        x.open("CdtrSchmeId");
        x.open("Id");
        x.open("PrvtId");
        x.open("Othr");
        x.leaf("Id", &b.creditor_identifier);
        x.open("SchmeNm");
        x.leaf("Prtry", "SEPA");
        x.close("SchmeNm");
        x.close("Othr");
        x.close("PrvtId");
        x.close("Id");
        x.close("CdtrSchmeId");
        for t in &g.transactions {
            render_transaction(&mut x, t, version);
        }
        x.close("PmtInf");
    }
    x.close("CstmrDrctDbtInitn");
    x.out.push_str("</Document>\n");
    x.out
}

fn render_transaction(x: &mut Xml, t: &CheckedTransaction, version: Version) {
    x.open("DrctDbtTxInf");
    x.open("PmtId");
    x.leaf("EndToEndId", &t.end_to_end_id);
    x.close("PmtId");
    x.leaf_with("InstdAmt", Some(("Ccy", "EUR")), &decimal(t.amount_minor));
    x.open("DrctDbtTx");
    x.open("MndtRltdInf");
    x.leaf("MndtId", &t.mandate_id);
    x.leaf("DtOfSgntr", &t.mandate_signed_on.to_string());
    // Mandate amendments (new IBAN, new creditor id) are not supported: always false.
    x.leaf("AmdmntInd", "false");
    x.close("MndtRltdInf");
    x.close("DrctDbtTx");
    x.agent("DbtrAgt", t.debtor_bic.as_deref(), version);
    x.party("Dbtr", &t.debtor_name);
    x.iban_account("DbtrAcct", &t.debtor_iban);
    match &t.remittance {
        None => {}
        Some(Remittance::Unstructured(s)) => {
            x.open("RmtInf");
            x.leaf("Ustrd", s);
            x.close("RmtInf");
        }
        Some(Remittance::CreditorReference(rf)) => {
            x.open("RmtInf");
            x.open("Strd");
            x.open("CdtrRefInf");
            x.open("Tp");
            x.open("CdOrPrtry");
            x.leaf("Cd", "SCOR");
            x.close("CdOrPrtry");
            x.leaf("Issr", "ISO");
            x.close("Tp");
            x.leaf("Ref", rf);
            x.close("CdtrRefInf");
            x.close("Strd");
            x.close("RmtInf");
        }
    }
    x.close("DrctDbtTxInf");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn decimals_from_cents() {
        assert_eq!(decimal(112_355), "1123.55");
        assert_eq!(decimal(10), "0.10");
        assert_eq!(decimal(1), "0.01");
        assert_eq!(decimal(100_000), "1000.00");
        assert_eq!(decimal(MAX_AMOUNT_MINOR), "999999999.99");
    }

    #[test]
    fn creditor_identifiers() {
        // DE98ZZZ09999999999: "09999999999" + "DE98" → 09999999999 13 14 98, 1 mod 97.
        assert_eq!(
            check_creditor_identifier("de98 zzz 09999999999").unwrap(),
            "DE98ZZZ09999999999"
        );
        // The business code is not in the check: any value keeps the identifier valid.
        assert!(check_creditor_identifier("DE98ABC09999999999").is_ok());
        assert!(check_creditor_identifier("DE9800109999999999").is_ok());
        // One digit of the national part changed: the check fails.
        assert!(check_creditor_identifier("DE98ZZZ09999999998").is_err());
        // Fixture values (synthetic): BG40ZZZ507778 needs 22, DE00ZZZ00099999999 needs 10.
        assert!(check_creditor_identifier("BG40ZZZ507778").is_err());
        assert!(check_creditor_identifier("BG22ZZZ507778").is_ok());
        assert!(check_creditor_identifier("DE00ZZZ00099999999").is_err());
        assert!(check_creditor_identifier("DE10ZZZ00099999999").is_ok());
        // Shape: too short, check digits not digits, non-ASCII (must not panic).
        assert!(check_creditor_identifier("DE98ZZZ").is_err());
        assert!(check_creditor_identifier("DEXXZZZ09999999999").is_err());
        assert!(check_creditor_identifier("DÉ98ZZZ09999999999").is_err());
        assert!(check_creditor_identifier(&format!("DE98ZZZ{}", "9".repeat(29))).is_err());
    }

    #[test]
    fn identifiers_are_refused_not_changed() {
        assert_eq!(identifier("m", "f", "A-1/2 (b)").unwrap(), "A-1/2 (b)");
        for bad in [
            "",
            " A",
            "A ",
            "A_1",
            "é",
            "/A",
            "A/",
            "A//B",
            &"9".repeat(36),
        ] {
            assert!(identifier("m", "f", bad).is_err(), "{bad:?}");
        }
        assert!(identifier("m", "f", &"9".repeat(35)).is_ok());
    }

    #[test]
    fn free_text_is_transliterated() {
        assert_eq!(
            text("m", "f", "  Œuvre « Ça & Là » ; Straße_1 ", 140).unwrap(),
            "OEuvre ' Ca + La ' , Strasse-1"
        );
        assert!(text("m", "f", "a@b", 140).is_err());
        assert!(text("m", "f", "Ωmega", 140).is_err());
        assert!(text("m", "f", "   ", 140).is_err());
        // "ß" becomes two characters: 70 of them make 140, 71 make 142.
        assert!(text("m", "f", &"ß".repeat(70), 140).is_ok());
        assert!(text("m", "f", &"ß".repeat(71), 140).is_err());
    }

    #[test]
    fn bic_shapes() {
        let v02 = Version::V001_001_02;
        let v08 = Version::V001_001_08;
        assert_eq!(
            bic("m", "f", Some("cobade ff xxx"), v02)
                .unwrap()
                .as_deref(),
            Some("COBADEFFXXX")
        );
        assert_eq!(bic("m", "f", None, v02).unwrap(), None);
        for bad in [
            "COBADEF",
            "COBADEFFXX",
            "COBA1EFF",
            "COBADEFFXXXX",
            "CÖBADEFF",
        ] {
            assert!(bic("m", "f", Some(bad), v08).is_err(), "{bad}");
        }
        // 001.02 only: letters in the bank code, no 0/1 as 7th, no O as 8th character.
        for only_v08 in ["1234DEFF", "COBADE0F", "COBADEFO"] {
            assert!(bic("m", "f", Some(only_v08), v08).is_ok(), "{only_v08}");
            assert!(bic("m", "f", Some(only_v08), v02).is_err(), "{only_v08}");
        }
    }
}
