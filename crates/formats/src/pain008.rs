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

use crate::iban::mod97;
use crate::sepa::{
    self, BicShape, Invalid, Scheme, Sums, Xml, date_time, decimal, iban, identifier, text,
};
use domain::{Date, Money};
use std::collections::HashSet;

// Shared with pain.001 (`crate::sepa`); public here, where callers have always found it.
pub use crate::sepa::parse_bic;

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

impl From<Invalid> for Pain008Error {
    fn from(e: Invalid) -> Pain008Error {
        Pain008Error::Invalid {
            at: e.at,
            field: e.field,
            reason: e.reason,
        }
    }
}

fn invalid(at: &str, field: &'static str, reason: impl Into<String>) -> Pain008Error {
    sepa::invalid(at, field, reason).into()
}

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
    Ok(Checked {
        message_id,
        created_at: date_time(batch.created_at),
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
    let amount_minor = sepa::amount(at, "amount", t.amount, Scheme::DirectDebit)?;
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
        amount_minor,
        mandate_id,
        mandate_signed_on: t.mandate_signed_on,
        debtor_name,
        debtor_iban,
        debtor_bic,
        remittance,
    })
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
    let shape = match version {
        Version::V001_001_02 => BicShape::Identifier2009 {
            message: "pain.008.001.02",
            advice: "; write pain.008.001.08",
        },
        Version::V001_001_08 => BicShape::Bicfi2014,
    };
    Ok(sepa::bic(at, field, value, shape)?)
}

fn render(b: &Checked, version: Version) -> String {
    let mut x = Xml::document(version.namespace(), 2048 + 1024 * b.total.count);
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
        x.agent("CdtrAgt", b.creditor_bic.as_deref(), version.bic_element());
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
    x.finish()
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
    x.agent("DbtrAgt", t.debtor_bic.as_deref(), version.bic_element());
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
