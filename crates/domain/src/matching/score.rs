//! Confidence scores. A proposal's score (0–1000, per mille, integers only) is the sum of
//! three pieces of evidence, each weighed by how rarely it is wrong:
//!
//! - **reference** — did the payer name the claims? An RF reference carries a mod-97 check
//!   and is nearly never wrong (600); an invoice number read in the text (500), a shorthand
//!   sibling "… et 124" (450), a number cut at the end of a line (300). Only when *every*
//!   allocated claim was named; some of them: 200.
//! - **identity** — is the payer this debtor? The debtor's own RF reference, printed on our
//!   letters about several claims (600: mod-97 checked, made for this debtor), an IBAN
//!   learned from earlier confirmed matches (500), a payer name close to the debtor's (up to
//!   400 from a similarity of 850 ‰ up): the strongest, +50 when another agrees; an IBAN
//!   learned for *another* debtor counts against (−200).
//! - **amount** — does the amount fit? Equal to the named claims or to the one claim of that
//!   amount (350), to a subset of the named claims (300), to a unique combination of the
//!   debtor's claims (250); less than what was named (100); several claims or combinations
//!   of that amount (100 / 50); otherwise nothing. Named claims paid partly or over while
//!   the amount is exactly another, unnamed claim of the same debtor: −400 (a mistyped
//!   number is likelier than a partial payment of that exact amount).
//!
//! Proposals are ranked on the unclamped sum, then clamped to 0–1000; when the runner-up
//! comes within 100 points of the best (clamped scores), both lose twice the shortfall
//! (a tie costs 200 points) and the best carries the reason `Ambiguous`. The default
//! auto-apply threshold, 850, is reached by a named claim paid exactly (500 + 350), an RF
//! reference paid exactly (950), or a learned IBAN paying the one claim of that amount
//! (500 + 350), the debtor's reference with the one claim of that amount (950) or a unique
//! combination of its claims (600 + 250) — and not by a name alone, an amount alone, or a
//! partial payment without identity. The ground-truth benchmark (`groundtruth.rs`) measures what that buys.

use serde::{Deserialize, Serialize};

/// The threshold above which (inclusive) a proposal is applied without a human: chosen on
/// the ground-truth benchmark for a precision of at least 99.9 %.
pub const DEFAULT_AUTO_THRESHOLD: u16 = 850;

/// How a claim was named by the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// An invoice number cut short at the end of a remittance line (prefix match).
    Truncated,
    /// "FA-2025-00123 et 124": the 124 is read as FA-2025-00124.
    Shorthand,
    /// An invoice number read in the remittance text.
    Number,
    /// The structured creditor reference (not RF) equals the invoice number.
    Structured,
    /// An ISO 11649 RF creditor reference (structured field or text).
    Rf,
}

impl RefKind {
    pub(crate) fn points(self) -> i32 {
        match self {
            RefKind::Truncated => 300,
            RefKind::Shorthand => 450,
            RefKind::Number => 500,
            RefKind::Structured => 550,
            RefKind::Rf => 600,
        }
    }
}

/// How the amount fits the claims allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountFit {
    /// Equal to the open amount of the claims the payer named.
    NamedExact,
    /// Equal to a subset of the claims the payer named (others were noise or paid already).
    NamedSubset,
    /// Less than the claims named: a partial payment.
    NamedPartial,
    /// Equal to the one open claim of the debtor with that amount.
    OneClaim,
    /// Equal to several open claims of the debtor: which one is a guess.
    SeveralClaims { count: u16 },
    /// Equal to exactly one combination of the debtor's oldest open claims.
    Combination { count: u16 },
    /// Equal to more than one combination: which one is a guess.
    SeveralCombinations,
    /// Fits nothing: spread over the oldest claims first.
    OldestFirst,
    /// More than everything allocated: the rest stays as a credit on the debtor.
    Overpayment,
}

impl AmountFit {
    pub(crate) fn points(self) -> i32 {
        match self {
            AmountFit::NamedExact | AmountFit::OneClaim => 350,
            AmountFit::NamedSubset => 300,
            AmountFit::Combination { .. } => 250,
            AmountFit::NamedPartial | AmountFit::SeveralClaims { .. } => 100,
            AmountFit::SeveralCombinations => 50,
            AmountFit::OldestFirst | AmountFit::Overpayment => 0,
        }
    }
}

/// Why a proposal was made: shown to the reviewer, in French or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The payer named the allocated claims (the weakest way any of them was named).
    Reference {
        kind: RefKind,
    },
    /// The payer named some of the allocated claims only.
    SomeClaimsNamed,
    /// The payer quoted the debtor's own RF reference, printed on our letters about
    /// several of its claims.
    DebtorReference,
    /// The payer's IBAN was learned from earlier matches with this debtor.
    KnownIban,
    /// The payer's IBAN was learned for another debtor.
    IbanOfAnotherDebtor,
    /// The payer's name resembles the debtor's (per mille).
    PayerName {
        similarity: u16,
    },
    Amount {
        fit: AmountFit,
    },
    /// The named claims are paid partly or over, yet the amount is exactly another,
    /// unnamed claim of the debtor: a typo in the number is likelier than a coincidence.
    AmountFitsAnotherClaim,
    /// A rival proposal scored within 100 points.
    Ambiguous {
        runner_up: u16,
    },
}

/// Language of a reason's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Reason {
    /// One short sentence for the review screen.
    pub fn text(&self, lang: Lang) -> String {
        use Lang::{En, Fr};
        match (self, lang) {
            (Reason::Reference { kind }, _) => kind_text(*kind, lang).to_string(),
            (Reason::SomeClaimsNamed, Fr) => "une partie seulement des factures est citée".into(),
            (Reason::SomeClaimsNamed, En) => "only some of the invoices are quoted".into(),
            (Reason::DebtorReference, Fr) => {
                "référence RF du débiteur, imprimée sur nos courriers".into()
            }
            (Reason::DebtorReference, En) => {
                "the debtor's RF reference, printed on our letters".into()
            }
            (Reason::KnownIban, Fr) => "IBAN du payeur déjà rapproché de ce débiteur".into(),
            (Reason::KnownIban, En) => "payer IBAN already matched to this debtor".into(),
            (Reason::IbanOfAnotherDebtor, Fr) => {
                "IBAN du payeur connu pour un autre débiteur".into()
            }
            (Reason::IbanOfAnotherDebtor, En) => "payer IBAN known for another debtor".into(),
            (Reason::PayerName { similarity }, Fr) => {
                format!("nom du payeur proche du débiteur ({} ‰)", similarity)
            }
            (Reason::PayerName { similarity }, En) => {
                format!("payer name close to the debtor's ({} ‰)", similarity)
            }
            (Reason::Amount { fit }, _) => fit_text(*fit, lang),
            (Reason::AmountFitsAnotherClaim, Fr) => {
                "le montant est exactement celui d'une autre facture non citée".into()
            }
            (Reason::AmountFitsAnotherClaim, En) => {
                "the amount is exactly another, unquoted invoice".into()
            }
            (Reason::Ambiguous { runner_up }, Fr) => {
                format!("ambigu : une autre proposition obtient {runner_up}")
            }
            (Reason::Ambiguous { runner_up }, En) => {
                format!("ambiguous: another proposal scores {runner_up}")
            }
        }
    }
}

fn kind_text(kind: RefKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (RefKind::Rf, Lang::Fr) => "référence RF citée",
        (RefKind::Rf, Lang::En) => "RF reference quoted",
        (RefKind::Structured, Lang::Fr) => "référence structurée égale au numéro de facture",
        (RefKind::Structured, Lang::En) => "structured reference equals the invoice number",
        (RefKind::Number, Lang::Fr) => "numéro de facture cité",
        (RefKind::Number, Lang::En) => "invoice number quoted",
        (RefKind::Shorthand, Lang::Fr) => "numéro de facture abrégé (« … et 124 »)",
        (RefKind::Shorthand, Lang::En) => "abbreviated invoice number (\"… and 124\")",
        (RefKind::Truncated, Lang::Fr) => "numéro de facture tronqué",
        (RefKind::Truncated, Lang::En) => "truncated invoice number",
    }
}

fn fit_text(fit: AmountFit, lang: Lang) -> String {
    match (fit, lang) {
        (AmountFit::NamedExact, Lang::Fr) => "montant égal aux factures citées".into(),
        (AmountFit::NamedExact, Lang::En) => "amount equals the quoted invoices".into(),
        (AmountFit::NamedSubset, Lang::Fr) => {
            "montant égal à une partie des factures citées".into()
        }
        (AmountFit::NamedSubset, Lang::En) => "amount equals some of the quoted invoices".into(),
        (AmountFit::NamedPartial, Lang::Fr) => "paiement partiel des factures citées".into(),
        (AmountFit::NamedPartial, Lang::En) => "partial payment of the quoted invoices".into(),
        (AmountFit::OneClaim, Lang::Fr) => "montant égal à une seule facture ouverte".into(),
        (AmountFit::OneClaim, Lang::En) => "amount equals one open invoice".into(),
        (AmountFit::SeveralClaims { count }, Lang::Fr) => {
            format!("montant égal à {count} factures ouvertes")
        }
        (AmountFit::SeveralClaims { count }, Lang::En) => {
            format!("amount equals {count} open invoices")
        }
        (AmountFit::Combination { count }, Lang::Fr) => {
            format!("montant égal à la somme de {count} factures ouvertes")
        }
        (AmountFit::Combination { count }, Lang::En) => {
            format!("amount equals the sum of {count} open invoices")
        }
        (AmountFit::SeveralCombinations, Lang::Fr) => {
            "plusieurs combinaisons de factures donnent ce montant".into()
        }
        (AmountFit::SeveralCombinations, Lang::En) => {
            "several combinations of invoices give this amount".into()
        }
        (AmountFit::OldestFirst, Lang::Fr) => "imputé sur les factures les plus anciennes".into(),
        (AmountFit::OldestFirst, Lang::En) => "allocated to the oldest invoices first".into(),
        (AmountFit::Overpayment, Lang::Fr) => "trop-perçu laissé en crédit du débiteur".into(),
        (AmountFit::Overpayment, Lang::En) => "overpayment left as a credit on the debtor".into(),
    }
}

/// The identity points of a debtor for a payment (see the module doc).
pub(crate) fn identity_points(
    debtor_reference: bool,
    known_iban: bool,
    iban_elsewhere: bool,
    name_similarity: Option<u16>,
) -> (i32, Vec<Reason>) {
    let mut reasons = Vec::new();
    let reference = if debtor_reference {
        reasons.push(Reason::DebtorReference);
        600
    } else {
        0
    };
    let iban = if known_iban {
        reasons.push(Reason::KnownIban);
        500
    } else if iban_elsewhere {
        reasons.push(Reason::IbanOfAnotherDebtor);
        -200
    } else {
        0
    };
    let name = match name_similarity {
        Some(s) if s >= 850 => {
            reasons.push(Reason::PayerName { similarity: s });
            ((i32::from(s) - 850) * 3).min(400)
        }
        _ => 0,
    };
    // The strongest piece of identity, 50 more when another agrees; an IBAN known for
    // another debtor counts against.
    let positive: Vec<i32> = [reference, iban, name]
        .into_iter()
        .filter(|p| *p > 0)
        .collect();
    let against = iban.min(0);
    let points = match positive.iter().max() {
        None => against + name,
        Some(best) if positive.len() >= 2 => best + 50 + against,
        Some(best) => best + against,
    };
    (points, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_weighs_iban_over_name() {
        assert_eq!(identity_points(false, true, false, None).0, 500);
        // name 950 ‰: (950 - 850) * 3 = 300
        assert_eq!(identity_points(false, false, false, Some(950)).0, 300);
        // both: max(500, 300) + 50
        assert_eq!(identity_points(false, true, false, Some(950)).0, 550);
        // the IBAN belongs to someone else; the name still counts: -200 + 300
        assert_eq!(identity_points(false, false, true, Some(950)).0, 100);
        assert_eq!(identity_points(false, false, false, Some(849)).0, 0);
        // capped at 400 from 984 ‰ up
        assert_eq!(identity_points(false, false, false, Some(1000)).0, 400);
        // The debtor's own RF reference: 600; with a close name (950 ‰: 300), 650; with
        // an IBAN known for another debtor, 600 − 200.
        assert_eq!(identity_points(true, false, false, None).0, 600);
        assert_eq!(identity_points(true, false, false, Some(950)).0, 650);
        assert_eq!(identity_points(true, false, true, None).0, 400);
    }

    #[test]
    fn every_reason_speaks_both_languages() {
        let reasons = [
            Reason::Reference { kind: RefKind::Rf },
            Reason::SomeClaimsNamed,
            Reason::KnownIban,
            Reason::PayerName { similarity: 912 },
            Reason::Amount {
                fit: AmountFit::Combination { count: 3 },
            },
            Reason::Ambiguous { runner_up: 800 },
        ];
        for r in reasons {
            assert!(!r.text(Lang::Fr).is_empty());
            assert_ne!(r.text(Lang::Fr), r.text(Lang::En));
        }
        assert_eq!(
            Reason::PayerName { similarity: 912 }.text(Lang::En),
            "payer name close to the debtor's (912 ‰)"
        );
    }
}
