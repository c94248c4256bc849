//! The French caps on B2B payment terms applied to stored and imported claims: the term a
//! claim carries (issue date → due date) is checked when a French creditor bills a B2B
//! debtor, at import (a warning per row, never a refusal: the invoice exists whatever its
//! terms) and on the claim's page and `recouvre show claim`.
//!
//! The rule itself is `domain::law::terms::check_claim_term`, given the payment term of the
//! claim's terms of sale (its own, else its creditor's: `crate::contract`): "days end of
//! month" allows 60 days or 45 days end of month, a number of days 60 days; when no term
//! is stated, a term is flagged only beyond both caps.

use crate::error::AppResult;
use crate::store::Tx;
use domain::law::{PaymentTerm, TermBreach, TermsCheck, caps_apply, check_claim_term};
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
    stipulated: Option<PaymentTerm>,
) -> Option<TermsCheck> {
    if !caps_apply(creditor_country, segment) {
        return None;
    }
    check_claim_term(issue_date, due_date, stipulated).ok()
}

/// The check of a stored claim, its creditor, debtor and terms of sale read from the
/// store.
pub async fn of_claim(tx: &mut dyn Tx, claim: &Claim) -> AppResult<Option<TermsCheck>> {
    let country = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == claim.creditor_id)
        .map(|c| c.country);
    let segment = tx.debtor(claim.debtor_id).await?.map(|d| d.segment);
    let stipulated = crate::contract::claim_terms(tx, claim).await?.payment_term;
    Ok(match (country, segment) {
        (Some(country), Some(segment)) => check(
            &country,
            segment,
            claim.issue_date,
            claim.due_date,
            stipulated,
        ),
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
