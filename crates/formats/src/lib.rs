//! # recouvre-formats
//!
//! Readers and writers of the files Recouvre exchanges with the outside world: the claims
//! CSV and bank statements (camt.053/054, MT940, bank CSV) in, SEPA direct debit files
//! (pain.008) and credit transfer files (pain.001) out; FEC and e-invoices to come.
//!
//! Every reader is a pure function from bytes to typed domain values: no file system, no
//! database, no clock. The shell reads the file, calls the reader and, only when the whole
//! file parsed, writes anything. Errors name the file, the line and the field, in the form
//! `file:line: field: reason`, so that a person can open the file and fix it.
//!
//! - [`claims_csv`]: invoices and their debtors from a spreadsheet export.
//! - [`text`]: how the bytes of a text file become text (encodings, separators), shared by
//!   the CSV readers.
//! - [`dates`]: the date forms found in spreadsheets (`2024-03-15`, `15/03/2024`,
//!   `3/15/2024`).
//! - [`statement`]: the one model every bank statement reader produces (statements,
//!   signed entries, payment details, fingerprints for idempotent imports).
//! - [`camt`], [`mt940`], [`statement_csv`]: the statement readers.
//! - [`iban`], [`rf`]: IBAN (ISO 13616) and RF creditor reference (ISO 11649) checks.
//! - [`pain008`]: the SEPA direct debit file (pain.008.001.02 and .08) for payment plans.
//! - [`pain001`]: the SEPA credit transfer file (pain.001.001.03) that pays out of the
//!   agency's client-funds account.
//! - [`tracking_csv`]: registered letters' delivery dates from the postal operator's
//!   tracking export (formal notices).
//! - [`sheet`]: report tables out, as CSV (French or English layout) or XLSX.
//!
//! `FORMATS.md` (French and English) is for the people who send the files;
//! `docs/formats.md` lists the test corpus with its figures.

pub mod camt;
pub mod claims_csv;
pub mod dates;
pub mod iban;
pub mod mt940;
pub mod pain001;
pub mod pain008;
pub mod rf;
mod sepa;
pub mod sheet;
pub mod statement;
pub mod statement_csv;
pub mod text;
pub mod tracking_csv;
