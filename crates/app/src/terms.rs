//! The French caps on B2B payment terms applied to stored and imported claims: the term a
//! claim carries (issue date → due date) is checked when a French creditor bills a B2B
//! debtor, at import (a warning per row, never a refusal: the invoice exists whatever its
//! terms) and on the claim's page and `recouvre show claim`.
//!
//! The rule itself is `domain::law::terms::check_claim_term`: since the product cannot
//! know whether "45 days end of month" was stipulated, a term is flagged only beyond both
//! the 60-day cap and the later of the two end-of-month computations.

use crate::error::AppResult;
use crate::store::Tx;
use domain::law::{TermBreach, TermsCheck, caps_apply, check_claim_term};
use domain::{Claim, Date, Segment};
use serde::Serialize;

/// The check of one claim's term, `None` when the French caps do not govern it (creditor
/// outside France, consumer debtor) or its due date precedes its issue date (a claim the
/// readers already refuse).
pub fn check(
    creditor_country: &str,
    segment: Segment,
    issue_date: Date,
    due_date: Date,
) -> Option<TermsCheck> {
    if !caps_apply(creditor_country, segment) {
        return None;
    }
    check_claim_term(issue_date, due_date).ok()
}

/// The check of a stored claim, its creditor and debtor read from the store.
pub async fn of_claim(tx: &mut dyn Tx, claim: &Claim) -> AppResult<Option<TermsCheck>> {
    let country = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == claim.creditor_id)
        .map(|c| c.country);
    let segment = tx.debtor(claim.debtor_id).await?.map(|d| d.segment);
    Ok(match (country, segment) {
        (Some(country), Some(segment)) => {
            check(&country, segment, claim.issue_date, claim.due_date)
        }
        _ => None,
    })
}

/// A row of an imported file whose term breaks a cap: imported all the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermsWarning {
    /// The line of the file.
    pub line: u64,
    pub external_id: String,
    /// The invoice number.
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// The latest due date the law allows for that issue date.
    pub latest_lawful_due_date: Date,
    /// Every rule broken, with its article and its text in French and English.
    pub breaches: Vec<TermBreach>,
}

impl TermsWarning {
    /// One line for a person: the file line, the claim, every rule broken.
    pub fn text(&self, french: bool) -> String {
        let rules: Vec<&str> = self
            .breaches
            .iter()
            .map(|b| {
                if french {
                    b.text.fr.as_str()
                } else {
                    b.text.en.as_str()
                }
            })
            .collect();
        if french {
            format!(
                "ligne {}, facture {} ({}) : {}",
                self.line,
                self.number,
                self.external_id,
                rules.join(" ")
            )
        } else {
            format!(
                "line {}, invoice {} ({}): {}",
                self.line,
                self.number,
                self.external_id,
                rules.join(" ")
            )
        }
    }
}
