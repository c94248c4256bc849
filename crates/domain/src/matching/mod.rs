//! Payment matching ("lettrage" / "rapprochement"): which claims a received payment settles.
//!
//! A bank credit arrives with an amount, a value date, a few lines of free text, perhaps a
//! structured reference, the payer's name and IBAN. The engine looks for evidence — the
//! payer named claims (RF reference, invoice numbers in the text, even mangled), the payer
//! is a known debtor (an IBAN learned from earlier confirmed matches, a name close to a
//! debtor's), the amount fits (one claim, the named claims, a combination of the debtor's
//! claims) — and turns it into ranked [`Proposal`]s, each with its allocation (C. civ.
//! 1342-10, see [`allocate`]), a confidence score in per mille and the reasons for it.
//! [`MatchResult::decide`] applies the best proposal automatically only above a threshold
//! chosen for 99.9 % precision on the ground-truth benchmark ([`groundtruth`]); everything
//! else goes to a human with the ranked suggestions.
//!
//! Pure: the shell maps statement lines (camt.053, MT940, CSV) into [`IncomingPayment`]s and
//! open claims into [`OpenItem`]s, builds one [`MatchIndex`] per run, calls
//! [`match_payment`] for each payment, and persists what was decided; after a human
//! confirms a match, it records the payer IBAN for the debtor, so the next payment from that
//! account is recognised.
//!
//! - `normalise` — names, invoice numbers, RF references, IBANs;
//! - `candidates` — the index and the evidence search;
//! - `propose` — proposals per debtor, bounded subset-sum;
//! - `score` — the scoring model and the reasons;
//! - `allocate` — allocation between claims and imputation within a claim;
//! - `groundtruth` — a seeded generator of realistic statements with their true answers,
//!   and the precision / recall measure.

pub mod allocate;
pub mod candidates;
pub mod groundtruth;
pub mod normalise;
mod propose;
pub mod score;
#[cfg(test)]
mod tests;

pub use allocate::{Allocation, AllocationError, Breakdown, OpenClaim, allocate};
pub use candidates::MatchIndex;
pub use score::{AmountFit, DEFAULT_AUTO_THRESHOLD, Lang, Reason, RefKind};

use crate::date::Date;
use crate::ids::{ClaimId, DebtorId};
use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// A credit received on the creditor's account, as the bank reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingPayment {
    /// The statement line's identity (bank reference or import line).
    pub id: String,
    /// The amount credited: positive.
    pub amount: Money,
    pub value_date: Date,
    /// Unstructured remittance lines (camt `Ustrd`, MT940 `:86:`), as received.
    pub remittance: Vec<String>,
    /// The structured creditor reference: an RF reference or another creditor reference.
    pub structured_reference: Option<String>,
    pub payer_name: Option<String>,
    pub payer_iban: Option<String>,
}

/// A claim with something open, as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    pub claim_id: ClaimId,
    pub debtor_id: DebtorId,
    /// The invoice number as printed.
    pub number: String,
    /// The ISO 11649 reference printed on the invoice, if any.
    pub rf_reference: Option<String>,
    pub currency: Currency,
    /// What is open, in minor units (positive; others are not indexed).
    pub open_minor: i64,
    pub due_date: Date,
}

/// One way to read a payment: whose it is and which claims it settles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub debtor: DebtorId,
    /// Positive amounts, each at most the claim's open amount, in allocation order.
    pub allocations: Vec<(ClaimId, Money)>,
    /// Confidence, per mille (0–1000).
    pub score: u16,
    pub reasons: Vec<Reason>,
    /// What no claim took: a credit on the debtor (zero or positive).
    pub overpayment: Money,
}

/// The proposals for one payment, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    pub best: Option<Proposal>,
    /// The other proposals, ranked (at most [`MAX_ALTERNATIVES`]).
    pub alternatives: Vec<Proposal>,
}

/// How many runner-up proposals a result keeps for the reviewer.
pub const MAX_ALTERNATIVES: usize = 5;

/// What to do with a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Post the proposal without asking.
    AutoApply(&'a Proposal),
    /// Ask a human, with the suggestions ranked (possibly none).
    Review(&'a MatchResult),
}

impl MatchResult {
    /// Auto-apply the best proposal when its score reaches `threshold` (per mille; see
    /// [`DEFAULT_AUTO_THRESHOLD`]), otherwise send the payment to review.
    pub fn decide(&self, threshold: u16) -> Decision<'_> {
        match &self.best {
            Some(p) if p.score >= threshold => Decision::AutoApply(p),
            _ => Decision::Review(self),
        }
    }

    /// The proposal to apply automatically at `threshold`, if any.
    pub fn auto_apply(&self, threshold: u16) -> Option<&Proposal> {
        match self.decide(threshold) {
            Decision::AutoApply(p) => Some(p),
            Decision::Review(_) => None,
        }
    }
}

/// Matches one payment against the index. See the module doc and [`score`] for the model.
pub fn match_payment(index: &MatchIndex, payment: &IncomingPayment) -> MatchResult {
    let mut proposals = propose::proposals(index, payment);
    let best = if proposals.is_empty() {
        None
    } else {
        Some(proposals.remove(0))
    };
    proposals.truncate(MAX_ALTERNATIVES);
    MatchResult {
        best,
        alternatives: proposals,
    }
}
