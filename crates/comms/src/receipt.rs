//! The receipt ("quittance") a collection agency gives the debtor for every payment
//! (CPCE R124-6), typeset by [`crate::pdf::render_document`] from the facts of
//! `app::agency::receipt`, in the debtor's language.

use crate::fmt::{Lang, date, money};
use crate::pdf::{Document, PdfError, Section, render_document};
use app::agency::Receipt;

/// The receipt's document, in `lang`.
pub fn document(r: &Receipt, lang: Lang) -> Document {
    let l = |en: &str, fr: &str| match lang {
        Lang::En => en.to_string(),
        Lang::Fr => fr.to_string(),
    };
    let mut subtitle = vec![r.agency_name.clone()];
    subtitle.extend(r.agency_address.iter().cloned());
    let mut to = vec![r.debtor_name.clone()];
    to.extend(r.debtor_address.iter().cloned());
    let settled = r.balance_after.is_zero();
    Document {
        lang: match lang {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
        .into(),
        title: format!("{} {}", l("Receipt", "Quittance"), r.number),
        subtitle,
        sections: vec![
            Section {
                heading: l("Received from", "Reçu de"),
                lines: to,
                table: None,
            },
            Section {
                heading: l("Payment", "Paiement"),
                lines: vec![
                    match lang {
                        Lang::En => format!(
                            "{} acknowledges receipt, on {}, of {} paid on behalf of its client {} for invoice {}.",
                            r.agency_name,
                            date(r.paid_on, lang),
                            money(r.amount, lang),
                            r.creditor_name,
                            r.claim_number
                        ),
                        Lang::Fr => format!(
                            "{} reconnaît avoir reçu, le {}, la somme de {} versée pour le compte de son client {} au titre de la facture {}.",
                            r.agency_name,
                            date(r.paid_on, lang),
                            money(r.amount, lang),
                            r.creditor_name,
                            r.claim_number
                        ),
                    },
                    if settled {
                        l(
                            "This payment settles the invoice in full.",
                            "Ce paiement solde la facture.",
                        )
                    } else {
                        format!(
                            "{} {}",
                            l(
                                "Still owed on this invoice after this payment:",
                                "Reste dû sur cette facture après ce paiement :"
                            ),
                            money(r.balance_after, lang)
                        )
                    },
                    format!("{} {}", l("Mandate:", "Mandat :"), r.mandate),
                ],
                table: None,
            },
        ],
        empty: "—".into(),
        footer: l(
            "Receipt issued under article R124-6 of the French Code of civil enforcement procedures.",
            "Quittance délivrée en application de l'article R124-6 du Code des procédures civiles d'exécution.",
        ),
    }
}

/// The receipt as a PDF, in the debtor's language (French unless it reads English).
pub fn pdf(r: &Receipt) -> Result<Vec<u8>, PdfError> {
    let lang = if r.language == "en" {
        Lang::En
    } else {
        Lang::Fr
    };
    render_document(&document(r, lang))
}
