//! Calls and notes on a debtor's file: what a collector logs after picking up the phone
//! ("log a call": how it went, what was said, and perhaps a promise made on the call).
//! Stored append-only (`notes`, migration 0008), shown on the debtor's timeline; logged
//! through [`crate::audit::log_call`], which audits it in the same transaction.

use crate::agreements::{self, PromiseTerms};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{CallOutcome, NoteKind, StoredNote, Tx};
use domain::DebtorId;
use domain::agreements::Promise;

/// The longest note kept (a page of text).
pub const MAX_NOTE_CHARS: usize = 4000;

/// What a collector logs after a call (or, without an outcome, a plain note).
#[derive(Debug, Clone)]
pub struct CallLog {
    pub debtor: DebtorId,
    /// `None`: a note rather than a call.
    pub outcome: Option<CallOutcome>,
    pub note: String,
    /// A promise to pay made on the call, recorded with it.
    pub promise: Option<PromiseTerms>,
}

/// Logs a call or note inside the caller's transaction; returns the note's id and the
/// promise recorded with it, if any.
pub async fn log_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    log: &CallLog,
) -> AppResult<(StoredNote, Option<(i64, Promise)>)> {
    if tx.debtor(log.debtor).await?.is_none() {
        return Err(AppError::NotFound {
            what: "debtor",
            id: log.debtor.to_string(),
        });
    }
    let body = log.note.trim();
    if log.outcome.is_none() && body.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "note: a note needs a text",
            "note : une note a besoin d'un texte"
        )));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::Invalid(domain::tr!(
            "note: at most {MAX_NOTE_CHARS} characters",
            "note : {MAX_NOTE_CHARS} caractères au plus"
        )));
    }
    let promise = match &log.promise {
        Some(terms) if terms.debtor != log.debtor => {
            return Err(AppError::Invalid(domain::tr!(
                "promise: for another debtor",
                "promise : pour un autre débiteur"
            )));
        }
        Some(terms) => Some(agreements::add_promise_in(tx, clock, terms).await?),
        None => None,
    };
    let mut note = StoredNote {
        id: 0,
        debtor_id: log.debtor,
        kind: if log.outcome.is_some() {
            NoteKind::Call
        } else {
            NoteKind::Note
        },
        outcome: log.outcome,
        body: body.to_string(),
        author: author.to_string(),
        on: clock.today(),
        created_at: clock.now_rfc3339(),
    };
    note.id = tx.insert_note(&note).await?;
    Ok((note, promise))
}
