//! Typesetting letters to PDF (typst, fonts compiled in): one formal notice with its claims
//! table and payment box, and a day's batch of 100 letters in one PDF, as `recouvre letters
//! batch` writes it.
//!
//! Run: `cargo bench -p recouvre-comms --bench letters`

#![allow(clippy::unwrap_used)]

use recouvre_comms::pdf::{Block, CLAIMS_MARK, Letter, PAYMENT_MARK, Table, render};
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    divan::main();
}

/// A French formal notice for three invoices, shaped as `comms::compose` fills it.
fn formal_notice(n: usize) -> Letter {
    let claim = |number: &str, issued: &str, due: &str, days: &str, amount: &str| {
        vec![
            number.to_string(),
            issued.to_string(),
            due.to_string(),
            days.to_string(),
            amount.to_string(),
            "0,00 €".to_string(),
            amount.to_string(),
            "36,35 €".to_string(),
            "40,00 €".to_string(),
        ]
    };
    Letter {
        lang: "fr".into(),
        sender: Block {
            name: "Atelier Durand SAS".into(),
            lines: vec!["12 rue des Tanneurs".into(), "69002 Lyon".into()],
        },
        sender_contact: vec![
            "04 72 00 00 00 · recouvrement@atelier-durand.fr".into(),
            "SIREN 552 100 554".into(),
        ],
        recipient: Block {
            name: format!("Client {n} SARL"),
            lines: vec![
                "À l'attention du service comptable".into(),
                "8 avenue Jean Jaurès".into(),
                "33000 Bordeaux".into(),
            ],
        },
        mention: Some("Lettre recommandée avec accusé de réception".into()),
        place_date: "Lyon, le 23 novembre 2026".into(),
        references: vec![format!("Réf. client : C{n:06}")],
        subject: "Mise en demeure de payer".into(),
        paragraphs: vec![
            "Madame, Monsieur,".into(),
            "Malgré nos précédentes relances, les factures suivantes restent impayées à ce jour :"
                .into(),
            CLAIMS_MARK.into(),
            "Nous vous mettons en demeure de régler la somme totale ci-dessus dans un délai de \
             huit jours à compter de la réception de la présente. Les intérêts de retard au \
             taux prévu à l'article L. 441-10 du code de commerce et l'indemnité forfaitaire \
             pour frais de recouvrement de 40 euros par facture sont dus de plein droit."
                .into(),
            PAYMENT_MARK.into(),
            "À défaut de règlement dans ce délai, nous saisirons la juridiction compétente sans \
             autre avis."
                .into(),
            "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.".into(),
        ],
        table: Some(Table {
            headers: [
                "Facture",
                "Date",
                "Échéance",
                "Retard",
                "Montant",
                "Payé",
                "Dû",
                "Intérêts",
                "Indemnité",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![
                claim(
                    "FA-2025-0123",
                    "02/09/2025",
                    "02/10/2025",
                    "152 j",
                    "1 200,00 €",
                ),
                claim(
                    "FA-2025-0150",
                    "15/09/2025",
                    "15/10/2025",
                    "139 j",
                    "2 880,50 €",
                ),
                claim(
                    "FA-2025-0188",
                    "01/10/2025",
                    "31/10/2025",
                    "123 j",
                    "257,60 €",
                ),
            ],
            totals: [
                "Total",
                "",
                "",
                "",
                "4 338,10 €",
                "0,00 €",
                "4 338,10 €",
                "109,05 €",
                "120,00 €",
            ]
            .map(String::from)
            .to_vec(),
        }),
        payment_title: "Pour régler".into(),
        payment: vec![
            "Bénéficiaire : Atelier Durand SAS".into(),
            "IBAN : FR76 3000 6000 0112 3456 7890 189 · BIC : AGRIFRPP".into(),
            format!("Référence à rappeler : RF{n:02} C{n:06}"),
        ],
        footer: "Atelier Durand SAS · capital 50 000 € · RCS Lyon 552 100 554".into(),
    }
}

/// Letters never typeset before in this process: typst memoises layouts, so the same
/// letter twice would measure its cache, not the typesetting.
fn fresh(count: usize) -> Vec<Letter> {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    let first = NEXT.fetch_add(count, Ordering::Relaxed);
    (first..first + count).map(formal_notice).collect()
}

/// One formal notice.
#[divan::bench(sample_count = 10)]
fn one_formal_notice(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| fresh(1))
        .bench_local_values(|letters| render(&letters).unwrap());
}

/// A day's batch: 100 letters in one PDF.
#[divan::bench(sample_count = 5)]
fn batch_of_100(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| fresh(100))
        .bench_local_values(|letters| render(&letters).unwrap());
}
