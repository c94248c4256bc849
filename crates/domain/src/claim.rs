//! Claims ("créances"): what a debtor owes under one invoice or other title. The amounts are
//! not here: they live in the claim's ledger, from which every balance is derived.

use crate::date::Date;
use crate::ids::{ClaimId, CreditorId, DebtorId};
use crate::money::Currency;
use crate::party::text_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What kind of debt it is: it decides the limitation period and which interest regime
/// applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Between professionals (C. com. L441-10): penalties and the €40 indemnity apply.
    Commercial,
    /// A professional's claim on a consumer (C. consom. L218-2: 2-year limitation).
    Consumer,
    /// Consumer credit (C. consom. R312-35: foreclosure 2 years after the first
    /// unregularised default).
    ConsumerCredit,
    Rent,
    Other,
}

text_enum!(Nature {
    Commercial => "commercial" | "commerciale",
    Consumer => "consumer" | "consommation",
    ConsumerCredit => "consumer_credit" | "consumer-credit" | "credit_consommation",
    Rent => "rent" | "loyer",
    Other => "other" | "autre",
});

/// An invoice or credit-note number as the creditor printed it. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClaimNumber(String);

impl ClaimNumber {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.is_empty() {
            Err("a claim number cannot be empty".into())
        } else if t.len() > 64 {
            Err(format!("{t:?} is longer than 64 characters"))
        } else {
            Ok(Self(t.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClaimNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A receivable: the fixed facts of the title. Its amounts live in its ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    /// The creditor's own key for the claim: unique per creditor, the key of imports.
    pub external_id: String,
    pub number: ClaimNumber,
    pub nature: Nature,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: Currency,
}

impl Claim {
    /// Days past the due date as of `as_of` (zero or negative when not yet due). A claim is
    /// overdue from the day after its due date.
    pub fn days_past_due(&self, as_of: Date) -> i32 {
        crate::date::days_between(self.due_date, as_of)
    }
}

impl FromStr for ClaimNumber {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}
