//! Typed identifiers. A `ClaimId` cannot be passed where a `DebtorId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A creditor (the business owed; an agency's client).
    CreditorId
);
id_type!(
    /// A debtor of one creditor.
    DebtorId
);
id_type!(
    /// A claim (invoice or other receivable).
    ClaimId
);
id_type!(
    /// One ledger entry.
    EntryId
);
