//! # recouvre-domain
//!
//! The functional core of Recouvre. Everything a credit manager decides with — how much a
//! debtor owes as of a date, how late a claim is, which age bucket it falls in, what the law
//! allows to claim — is computed here from plain data and an explicit date.
//!
//! Nothing in this crate reads the clock, a file, the network or a database: the shell
//! (`recouvre-app` and the binary) loads the data, calls these functions, and persists what
//! they decide. That is what makes the rules fast, testable and replayable on any day.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

pub mod agency;
pub mod aging;
pub mod agreements;
pub mod analytics;
pub mod book;
pub mod calendar;
pub mod claim;
pub mod date;
pub mod dunning;
pub mod ids;
pub mod lang;
pub mod law;
pub mod ledger;
pub mod matching;
pub mod money;
pub mod party;
pub mod redact;

pub use claim::{Claim, ClaimNumber, Nature};
pub use date::Date;
pub use ids::{ClaimId, CreditorId, DebtorId, EntryId};
pub use ledger::{ClaimLedger, ClaimStatus, EntryKind, LedgerEntry, LedgerError};
pub use money::{Currency, Money, MoneyError};
pub use party::{Contact, ContactKind, Creditor, Debtor, DebtorKind, Segment};
