//! # recouvre-comms
//!
//! What Recouvre says to a debtor, in French and English: the texts of every reminder,
//! call script, formal notice and agency letter (minijinja templates a credit manager can
//! rewrite, [`templates`]), the data each message needs gathered in one place from the
//! store ([`compose`]), and the PDF letters typeset natively with typst and fonts compiled
//! in ([`pdf`]), alone or as the day's printable batch of registered letters ([`batch`]).
//!
//! This crate decides *what* is said. Sending it (SMTP, SMS, the outbox and its worker)
//! is another adapter's work: it calls [`compose::compose_action`] with an action id and
//! gets back a [`compose::Composed`] message — subject, text, HTML, SMS, recipient details
//! and the letter PDF as an attachment when the step sends a letter.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

pub mod admin;
pub mod batch;
pub mod compose;
pub mod context;
pub mod fmt;
pub mod legal;
pub mod legal_file;
pub mod pdf;
pub mod personal_data;
pub mod receipt;
pub mod remittance;
pub mod templates;

pub use compose::{
    Attachment, Comms, CommsError, Composed, OutboxComposer, Recipient, compose_action,
    compose_preview,
};
pub use fmt::Lang;
pub use templates::{Part, TemplateError, Templates, TemplatesError};
