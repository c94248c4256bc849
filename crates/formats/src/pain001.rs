//! # pain.001 — SEPA credit transfer initiation
//!
//! The file the agency gives its bank to pay out of its client-funds account: the sums
//! collected from debtors, remitted to the clients they are owed to. [`write()`] turns a
//! [`Batch`] (the paying account, the execution date, the transfers) into the XML of an
//! ISO 20022 `CstmrCdtTrfInitn` message, version `pain.001.001.03` (the version of the
//! EPC SEPA Credit Transfer implementation guidelines up to 2023, still the one banks
//! take most widely), with a single payment information block (`PmtInf`): one debtor
//! account, one execution date, booked as one batch (`BtchBookg` true), charges shared
//! the SEPA way (`ChrgBr` `SLEV`).
//!
//! The banks are identified by `FinInstnId/BIC`, the 2009 schemas' `BICIdentifier`
//! (letters in the bank code), as in pain.008.001.02. The debtor's bank without a BIC is
//! written `Othr/Id` `NOTPROVIDED`; a payee's bank (`CdtrAgt`) is written only when its
//! BIC is given (IBAN-only, as SEPA allows).
//!
//! Like every function of this crate, [`write()`] is pure: the message id and the creation
//! date-time are passed in, nothing reads the clock, and the result is a `String` the
//! shell stores. Nothing is written unless the whole batch is valid: every error names
//! where it is (the message, a transfer by its end-to-end id and rank) and the field.
//!
//! ## Checks before writing
//!
//! The checks are those of [`crate::pain008`], on the same shared helpers:
//!
//! - IBANs: ISO 13616 with the registry's lengths and the mod-97 check ([`crate::iban`]).
//! - BICs: 8 or 11 characters, in the shape of the schema's `BICIdentifier`
//!   (`[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?`).
//! - Amounts: in EUR, at least 0.01 and at most 999 999 999.99.
//! - Identifiers (message id, payment information id, end-to-end id): 1 to 35 characters
//!   of the SEPA character set (`a-z A-Z 0-9 / - ? : ( ) . , ' +` and space), not starting
//!   or ending with `/` and without `//`. They are **refused**, never transliterated: the
//!   bank returns a rejected transfer by its end-to-end id, and a silently changed key
//!   matches nothing.
//! - Names and the remittance text (`Ustrd`): **transliterated** to the SEPA character
//!   set (`é` → `e`, `ß` → `ss`, `&` → `+`…); a character with no transliteration (`@`,
//!   `€`, non-Latin scripts) is refused, naming it. Then at most 140 characters (the
//!   schema's `Max140Text`).
//! - Structure: at least one transfer; end-to-end ids unique in the message; no execution
//!   date before the creation date.
//!
//! Control sums (`NbOfTxs`, `CtrlSum`, in the group header and in `PmtInf`, equal as there
//! is one `PmtInf`) are added up in cents (`i64`) and written with two decimals: never a
//! float.

use crate::sepa::{
    self, BicShape, Invalid, Scheme, Sums, Xml, date_time, decimal, iban, identifier, text,
};
use domain::{Date, Money};
use std::collections::HashSet;

/// A civil date and time, for `CreDtTm` (written without a time zone, as the schema allows).
pub use jiff::civil::DateTime;

/// The XML namespace of the `Document` element.
pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";

/// One pain.001 message: transfers from one account, executed on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// `GrpHdr/MsgId`: unique per message sent to the bank (1 to 35 characters).
    pub message_id: String,
    /// `GrpHdr/CreDtTm`: when the file was made (passed in; nothing here reads a clock).
    pub created_at: DateTime,
    /// `PmtInfId`: the payment information block's id (1 to 35 characters).
    pub payment_id: String,
    /// `ReqdExctnDt`: the day the bank is to execute the transfers.
    pub execution_date: Date,
    /// The payer (`Dbtr`, `DbtrAcct`, `DbtrAgt`): the agency's client-funds account. Its
    /// name is also written as the initiating party.
    pub debtor: Account,
    /// One `CdtTrfTxInf` each.
    pub transfers: Vec<Transfer>,
}

/// An account holder and account: the payer of the batch or the payee of a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The holder's name, transliterated to the SEPA character set, at most 140
    /// characters.
    pub name: String,
    pub iban: String,
    /// The account's bank. Without it, the payer's bank is written `NOTPROVIDED` and a
    /// payee's bank is left out (IBAN-only, as SEPA allows).
    pub bic: Option<String>,
}

/// One credit transfer (`CdtTrfTxInf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// `PmtId/EndToEndId`: comes back with a rejection or a return (1 to 35 characters).
    pub end_to_end_id: String,
    /// In EUR, positive.
    pub amount: Money,
    /// The payee (`Cdtr`, `CdtrAcct`, `CdtrAgt`).
    pub creditor: Account,
    /// What the payee reads on the bank statement (`RmtInf/Ustrd`): free text, at most
    /// 140 characters once transliterated.
    pub remittance: String,
}

/// Why a batch cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Pain001Error {
    #[error("the batch has no transfer: there is nothing to pay")]
    EmptyBatch,
    #[error("{at}: {field}: {reason}")]
    Invalid {
        /// `message`, or `transfer E2E-7 (#2)` (the end-to-end id as given, and the rank
        /// in [`Batch::transfers`] from 1).
        at: String,
        /// The input field, as named in this module: `message_id`, `payment_id`,
        /// `execution_date`, `debtor.name`, `debtor.iban`, `debtor.bic` at `message`;
        /// `end_to_end_id`, `amount`, `creditor.name`, `creditor.iban`, `creditor.bic`,
        /// `remittance` at a transfer.
        field: &'static str,
        reason: String,
    },
}

impl From<Invalid> for Pain001Error {
    fn from(e: Invalid) -> Pain001Error {
        Pain001Error::Invalid {
            at: e.at,
            field: e.field,
            reason: e.reason,
        }
    }
}

/// The BIC element of pain.001.001.03 is the 2009 `BICIdentifier`.
const BIC_SHAPE: BicShape = BicShape::Identifier2009 {
    message: "pain.001.001.03",
    advice: "; leave it out: the IBAN alone identifies the account in SEPA",
};

/// Writes the batch as a pain.001.001.03 message, after checking all of it (see the
/// module documentation). The XML is UTF-8, indented by two spaces, one element per line.
pub fn write(batch: &Batch) -> Result<String, Pain001Error> {
    let checked = check(batch)?;
    Ok(render(&checked))
}

/// A batch whose every value is checked and normalised, ready to render.
struct Checked {
    message_id: String,
    created_at: String,
    payment_id: String,
    execution_date: Date,
    debtor: CheckedAccount,
    sums: Sums,
    transfers: Vec<CheckedTransfer>,
}

struct CheckedAccount {
    name: String,
    iban: String,
    bic: Option<String>,
}

struct CheckedTransfer {
    end_to_end_id: String,
    amount_minor: i64,
    creditor: CheckedAccount,
    remittance: String,
}

/// How errors name an account's fields: `debtor.iban`, `creditor.iban`…
struct AccountFields {
    name: &'static str,
    iban: &'static str,
    bic: &'static str,
}

const DEBTOR: AccountFields = AccountFields {
    name: "debtor.name",
    iban: "debtor.iban",
    bic: "debtor.bic",
};

const CREDITOR: AccountFields = AccountFields {
    name: "creditor.name",
    iban: "creditor.iban",
    bic: "creditor.bic",
};

fn account(at: &str, a: &Account, fields: &AccountFields) -> Result<CheckedAccount, Invalid> {
    Ok(CheckedAccount {
        name: text(at, fields.name, &a.name, 140)?,
        iban: iban(at, fields.iban, &a.iban)?,
        bic: sepa::bic(at, fields.bic, a.bic.as_deref(), BIC_SHAPE)?,
    })
}

fn check(batch: &Batch) -> Result<Checked, Pain001Error> {
    let at = "message";
    let message_id = identifier(at, "message_id", &batch.message_id)?;
    let payment_id = identifier(at, "payment_id", &batch.payment_id)?;
    let created_on = batch.created_at.date();
    if batch.execution_date < created_on {
        return Err(sepa::invalid(
            at,
            "execution_date",
            format!(
                "{} is before the file's creation date {created_on}",
                batch.execution_date
            ),
        )
        .into());
    }
    let debtor = account(at, &batch.debtor, &DEBTOR)?;

    if batch.transfers.is_empty() {
        return Err(Pain001Error::EmptyBatch);
    }
    let mut end_to_end_ids = HashSet::new();
    let mut sums = Sums::default();
    let mut transfers = Vec::with_capacity(batch.transfers.len());
    for (k, t) in batch.transfers.iter().enumerate() {
        let at = format!("transfer {} (#{})", t.end_to_end_id, k + 1);
        let end_to_end_id = identifier(&at, "end_to_end_id", &t.end_to_end_id)?;
        if !end_to_end_ids.insert(end_to_end_id.clone()) {
            return Err(sepa::invalid(
                &at,
                "end_to_end_id",
                "two transfers have this end-to-end id: a rejection could not be told apart",
            )
            .into());
        }
        let amount_minor = sepa::amount(&at, "amount", t.amount, Scheme::CreditTransfer)?;
        let creditor = account(&at, &t.creditor, &CREDITOR)?;
        let remittance = text(&at, "remittance", &t.remittance, 140)?;
        sums.add(amount_minor, &at)?;
        transfers.push(CheckedTransfer {
            end_to_end_id,
            amount_minor,
            creditor,
            remittance,
        });
    }
    Ok(Checked {
        message_id,
        created_at: date_time(batch.created_at),
        payment_id,
        execution_date: batch.execution_date,
        debtor,
        sums,
        transfers,
    })
}

/// The elements in the order of the XSD's sequences (`GroupHeader32`,
/// `PaymentInstructionInformation3`, `CreditTransferTransactionInformation10`).
fn render(b: &Checked) -> String {
    let mut x = Xml::document(NAMESPACE, 2048 + 1024 * b.sums.count);
    let count = b.sums.count.to_string();
    let sum = decimal(b.sums.minor);
    x.open("CstmrCdtTrfInitn");
    x.open("GrpHdr");
    x.leaf("MsgId", &b.message_id);
    x.leaf("CreDtTm", &b.created_at);
    x.leaf("NbOfTxs", &count);
    x.leaf("CtrlSum", &sum);
    x.party("InitgPty", &b.debtor.name);
    x.close("GrpHdr");
    x.open("PmtInf");
    x.leaf("PmtInfId", &b.payment_id);
    x.leaf("PmtMtd", "TRF");
    x.leaf("BtchBookg", "true");
    x.leaf("NbOfTxs", &count);
    x.leaf("CtrlSum", &sum);
    x.open("PmtTpInf");
    x.open("SvcLvl");
    x.leaf("Cd", "SEPA");
    x.close("SvcLvl");
    x.close("PmtTpInf");
    x.leaf("ReqdExctnDt", &b.execution_date.to_string());
    x.party("Dbtr", &b.debtor.name);
    x.iban_account("DbtrAcct", &b.debtor.iban);
    x.agent("DbtrAgt", b.debtor.bic.as_deref(), "BIC");
    x.leaf("ChrgBr", "SLEV");
    for t in &b.transfers {
        x.open("CdtTrfTxInf");
        x.open("PmtId");
        x.leaf("EndToEndId", &t.end_to_end_id);
        x.close("PmtId");
        x.open("Amt");
        x.leaf_with("InstdAmt", Some(("Ccy", "EUR")), &decimal(t.amount_minor));
        x.close("Amt");
        if let Some(bic) = &t.creditor.bic {
            x.agent("CdtrAgt", Some(bic), "BIC");
        }
        x.party("Cdtr", &t.creditor.name);
        x.iban_account("CdtrAcct", &t.creditor.iban);
        x.open("RmtInf");
        x.leaf("Ustrd", &t.remittance);
        x.close("RmtInf");
        x.close("CdtTrfTxInf");
    }
    x.close("PmtInf");
    x.close("CstmrCdtTrfInitn");
    x.finish()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn bic_shape_of_the_2009_schema() {
        let bic = |value| sepa::bic("m", "f", Some(value), BIC_SHAPE);
        assert_eq!(bic("agri fr pp").unwrap().as_deref(), Some("AGRIFRPP"));
        // Letters only in the bank code, no 0/1 as 7th, no O as 8th character.
        for bad in ["1234DEFF", "COBADE0F", "COBADEFO", "COBADEF"] {
            let e = bic(bad).unwrap_err();
            assert_eq!(e.field, "f", "{bad}");
        }
        assert!(
            bic("COBADE0F")
                .unwrap_err()
                .reason
                .contains("pain.001.001.03")
        );
    }
}
