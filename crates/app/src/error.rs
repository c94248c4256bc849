//! Errors of the use cases. A store error says what failed in the database; an app error
//! adds what the user asked for. The binary turns them into one message and an exit code;
//! the web layer (later) into `application/problem+json`.

use domain::ledger::LedgerError;

/// A failure in a store backend.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("the data in the database is not valid: {0}")]
    Corrupt(String),
    #[error("cannot open database {target}: {reason}")]
    Open { target: String, reason: String },
    #[error("migration {version} ({name}) failed: {reason}")]
    Migration {
        version: i64,
        name: String,
        reason: String,
    },
    #[error("the transaction was aborted by an earlier error; nothing was written")]
    Aborted,
    /// Another writer held the database longer than this one would wait (SQLite's busy
    /// timeout during a long import, a PostgreSQL lock timeout): nothing was written and
    /// the same request can be made again in a moment.
    #[error(
        "the database is busy with another writer (a long import?); nothing was written, try again in a few seconds / \
         la base est occupée par une autre écriture (un import long ?) ; rien n'a été écrit, réessayez dans quelques secondes ({0})"
    )]
    Busy(String),
    #[error(
        "the database was written by a newer Recouvre (schema version {found}, this one knows up to {known})"
    )]
    TooNew { found: i64, known: i64 },
}

/// What a use case reports when it cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] formats::claims_csv::CsvError),
    #[error("{0}")]
    Ledger(#[from] LedgerError),
    #[error("{}", not_found(what, id))]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Invalid(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// "claim 12 not found", in the language the process speaks (`domain::tr!`).
fn not_found(what: &str, id: &str) -> String {
    let fr = match what {
        "claim" => "créance",
        "debtor" => "débiteur",
        "creditor" => "créancier",
        "action" => "action",
        "payment" => "paiement",
        "user" => "utilisateur",
        "API token" => "jeton d'API",
        "formal notice" => "mise en demeure",
        "financing party" => "factor ou assureur",
        "assignment" => "cession",
        "settings" => "réglages",
        "plan" => "échéancier",
        "promise" => "promesse",
        "dispute" => "litige",
        "agreement" => "accord",
        "outbox entry" => "envoi",
        "template" => "modèle",
        "legal file" => "dossier contentieux",
        other => other,
    };
    domain::tr!("{what} {id} not found", "{fr} {id} introuvable")
}
