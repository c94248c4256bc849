//! Typesetting a court bundle (typst, fonts compiled in): the statement of account of a
//! legal file with 50 invoices, and 20 exhibits in all — tables, texts, one PNG and PDF
//! invoices placed page by page — as `comms::legal::render_bundle` makes it.
//!
//! Run: `cargo bench -p recouvre-comms --bench legal_bundle`

#![allow(clippy::unwrap_used)]

use domain::Date;
use recouvre_comms::legal::{BundleDoc, ExhibitBody, ExhibitDoc, render_bundle};
use recouvre_comms::pdf::{Document, Section, Table, render_document};
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    divan::main();
}

/// One opaque red pixel.
const PNG: [u8; 69] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A one-page invoice PDF, as an accounting system would export it.
fn invoice_pdf(n: usize) -> Vec<u8> {
    render_document(&Document {
        lang: "fr".into(),
        title: format!("Facture FA-2025-{n:04}"),
        subtitle: vec!["Acme Industrie SAS — 8 quai des Forges, 75011 Paris".into()],
        sections: vec![Section {
            heading: "Détail".into(),
            lines: vec![],
            table: Some(Table {
                headers: vec!["Article".into(), "Qté".into(), "Montant".into()],
                rows: (1..=8)
                    .map(|i| vec![format!("Farine T{i}5"), "40".into(), "120,00 €".into()])
                    .collect(),
                totals: vec![],
            }),
        }],
        empty: "Aucun.".into(),
        footer: "Acme".into(),
    })
    .unwrap()
}

/// A legal file's bundle, with text never typeset before in this process (typst
/// memoises layouts, so the same bundle twice would measure its cache).
fn bundle(pdfs: &[Vec<u8>]) -> BundleDoc {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    let k = NEXT.fetch_add(1, Ordering::Relaxed);
    let on = Date::new(2026, 3, 2).unwrap();
    let statement = ExhibitDoc {
        title: format!("Relevé de compte du client C{k:06}"),
        on: Some(on),
        body: ExhibitBody::Table {
            headers: ["Facture", "Date", "Échéance", "Montant", "Réglé", "Solde"]
                .map(String::from)
                .to_vec(),
            rows: (1..=50)
                .map(|i| {
                    vec![
                        format!("FA-2025-{i:04}-{k}"),
                        "02/09/2025".into(),
                        "02/10/2025".into(),
                        format!("{i} 200,00 €"),
                        "0,00 €".into(),
                        format!("{i} 200,00 €"),
                    ]
                })
                .collect(),
        },
    };
    let mut exhibits = vec![statement];
    for i in 0..6 {
        exhibits.push(ExhibitDoc {
            title: format!("Bon de commande {i} ({k})"),
            on: Some(on),
            body: ExhibitBody::Table {
                headers: ["Article", "Qté", "Prix"].map(String::from).to_vec(),
                rows: (1..=10)
                    .map(|j| vec![format!("Article {j}"), j.to_string(), "12,00 €".into()])
                    .collect(),
            },
        });
    }
    for i in 0..4 {
        exhibits.push(ExhibitDoc {
            title: format!("Courriel {i} ({k})"),
            on: Some(on),
            body: ExhibitBody::Text(vec![
                "Bonjour, nous reconnaissons devoir les factures listées et proposons un règlement en trois fois.".into();
                6
            ]),
        });
    }
    exhibits.push(ExhibitDoc {
        title: format!("Bon de livraison signé ({k})"),
        on: None,
        body: ExhibitBody::Png(PNG.to_vec()),
    });
    for (i, pdf) in pdfs.iter().enumerate() {
        exhibits.push(ExhibitDoc {
            title: format!("Facture FA-2025-{i:04} ({k})"),
            on: Some(on),
            body: ExhibitBody::Pdf(pdf.clone()),
        });
    }
    BundleDoc {
        reference: format!("CTX-{k}"),
        court_name: "Tribunal de commerce de Lyon".into(),
        creditor_name: "Acme Industrie SAS".into(),
        debtor_name: format!("Client {k} SARL"),
        date: on,
        exhibits,
    }
}

/// 20 exhibits: the 50-invoice statement, 6 tables, 4 texts, 1 PNG and 8 PDF invoices.
#[divan::bench(sample_count = 5)]
fn bundle_of_20_exhibits(bencher: divan::Bencher) {
    let pdfs: Vec<Vec<u8>> = (1..=8).map(invoice_pdf).collect();
    bencher
        .with_inputs(|| bundle(&pdfs))
        .bench_local_values(|b| {
            assert_eq!(b.exhibits.len(), 20);
            render_bundle(&b).unwrap()
        });
}
