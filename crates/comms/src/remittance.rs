//! The remittance statement and fee invoice a collection agency sends its client for a
//! period (CPCE R124-3 3° and 4°, R124-6): what was collected on each file, the commission
//! and fees before tax, VAT, with VAT, and what was remitted, typeset by
//! [`crate::pdf::render_document`] from `app::agency::Remittance` and the invoice's parties
//! (`app::agency::invoice_parties`, which refuses an invoice without the agency's
//! identifiers).

use crate::fmt::{Lang, date, money};
use crate::pdf::{Document, PdfError, Section, Table, render_document};
use app::agency::{InvoiceParties, Remittance};

/// The statement and invoice, in `lang`.
pub fn document(r: &Remittance, parties: &InvoiceParties, lang: Lang) -> Document {
    let l = |en: &str, fr: &str| match lang {
        Lang::En => en.to_string(),
        Lang::Fr => fr.to_string(),
    };
    let s = &r.statement;
    let mut from = vec![parties.agency_name.clone()];
    from.extend(parties.agency_address.iter().cloned());
    from.push(parties.agency_company_id.clone());
    let mut to = vec![parties.client_name.clone()];
    to.extend(parties.client_address.iter().cloned());
    let rows = s
        .lines
        .iter()
        .map(|line| {
            vec![
                date(line.date, lang),
                r.numbers
                    .get(&line.claim.0)
                    .cloned()
                    .unwrap_or_else(|| line.claim.0.to_string()),
                money(line.amount, lang),
                format!("{} %", line.rate.normalize()),
                money(line.commission, lang),
                line.success_fee.map(|f| money(f, lang)).unwrap_or_default(),
            ]
        })
        .collect();
    let mut totals = vec![
        format!(
            "{} {}",
            l("Collected", "Encaissé"),
            money(s.collected, lang)
        ),
        format!(
            "{} {}",
            l("Commission", "Commission"),
            money(s.commission, lang)
        ),
        format!(
            "{} ({}) {}",
            l("Fees per file", "Frais par dossier"),
            s.files_charged.len(),
            money(s.file_fees, lang)
        ),
        format!(
            "{} {}",
            l("Success fees", "Honoraires de résultat"),
            money(s.success_fees, lang)
        ),
        format!(
            "{} {}",
            l("Fees before VAT", "Honoraires HT"),
            money(s.fees_net, lang)
        ),
        format!("{} {}", l("VAT", "TVA"), money(s.vat, lang)),
        format!(
            "{} {}",
            l("Fees incl. VAT", "Honoraires TTC"),
            money(s.fees_gross, lang)
        ),
        format!("{} {}", l("Remitted", "Reversé"), money(s.to_remit, lang)),
    ];
    if s.client_owes.is_positive() {
        totals.push(format!(
            "{} {}",
            l("Owed by the client", "Dû par le client"),
            money(s.client_owes, lang)
        ));
    }
    Document {
        lang: match lang {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
        .into(),
        title: format!(
            "{} {}",
            l(
                "Remittance statement and fee invoice",
                "Relevé de reversement et facture d'honoraires"
            ),
            format_args!("R-{:06}", r.id)
        ),
        subtitle: vec![
            format!(
                "{} {} — {} {} {} {}",
                l("Mandate", "Mandat"),
                r.mandate,
                l("period", "période"),
                date(r.period_start, lang),
                l("to", "au"),
                date(r.period_end, lang)
            ),
            format!("{} {}", l("Issued on", "Émis le"), date(r.issued_on, lang)),
        ],
        sections: vec![
            Section {
                heading: l("From", "Émetteur"),
                lines: from,
                table: None,
            },
            Section {
                heading: l("Client", "Client"),
                lines: to,
                table: None,
            },
            Section {
                heading: l("Collections", "Encaissements"),
                lines: Vec::new(),
                table: Some(Table {
                    headers: vec![
                        l("Collected on", "Encaissé le"),
                        l("Claim", "Créance"),
                        l("Amount", "Montant"),
                        l("Rate", "Taux"),
                        l("Commission", "Commission"),
                        l("Success fee", "Honoraire de résultat"),
                    ],
                    rows,
                    totals: Vec::new(),
                }),
            },
            Section {
                heading: l("Totals", "Totaux"),
                lines: totals,
                table: None,
            },
            Section {
                heading: l("Payment", "Règlement"),
                lines: vec![match &r.message_id {
                    Some(id) => format!(
                        "{} {} ({})",
                        l(
                            "The net amount is paid by SEPA credit transfer, reference",
                            "Le montant net est réglé par virement SEPA, référence"
                        ),
                        id,
                        l(
                            "fees deducted from the funds collected",
                            "honoraires déduits des fonds encaissés"
                        )
                    ),
                    None => l(
                        "Nothing to remit for this period.",
                        "Aucun reversement pour cette période.",
                    ),
                }],
                table: None,
            },
        ],
        empty: "—".into(),
        footer: l(
            "Funds collected are remitted within one month of their collection unless the mandate agrees otherwise (CPCE R124-6).",
            "Les fonds encaissés sont reversés dans le mois de leur encaissement sauf autre délai convenu au mandat (CPCE R124-6).",
        ),
    }
}

/// The statement and invoice as a PDF.
pub fn pdf(r: &Remittance, parties: &InvoiceParties, lang: Lang) -> Result<Vec<u8>, PdfError> {
    render_document(&document(r, parties, lang))
}
