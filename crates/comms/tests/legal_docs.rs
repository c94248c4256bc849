//! The documents of a legal file read back with pdftotext (poppler-utils): the request
//! carries every claim, the breakdown and the total worked by hand, under the heading of
//! each court kind; the bundle lists its exhibits in order and then shows each one; the
//! ZIP holds the numbered files; Form A carries the parties and the total.

#![allow(clippy::unwrap_used)]

use domain::{Currency, Date, Money};
use recouvre_comms::legal::{
    BundleDoc, ClaimLine, CostLine, CourtKind, ExhibitBody, ExhibitDoc, LegalDocError, MandateDoc,
    Party, RequestDoc, bundle_zip, form_a_fields, render_bundle, render_mandate, render_request,
};
use recouvre_comms::pdf::{Document, Section, render_document};
use std::io::Read;
use std::process::Command;

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

/// The text of a PDF, whitespace collapsed to single spaces (non-breaking spaces too).
fn text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn creditor() -> Party {
    Party {
        name: "Acme Industrie SAS".into(),
        address_lines: vec!["8 quai des Forges".into(), "75011 Paris".into()],
        company_id: Some("SAS, RCS Paris 552 100 554".into()),
        company: true,
        email: Some("recouvrement@acme.example".into()),
        phone: None,
        country: Some("FR".into()),
    }
}

fn debtor() -> Party {
    Party {
        name: "Boulangerie Dupré SARL".into(),
        address_lines: vec!["12 rue des Lilas".into(), "69003 Lyon".into()],
        company_id: Some("SARL, RCS Lyon 423 456 789".into()),
        company: true,
        email: None,
        phone: None,
        country: Some("FR".into()),
    }
}

/// Two invoices and one cost:
/// - F-2025-101: 1,000.00 €, nothing paid: principal 1,000.00, interest 6.93, indemnity 40;
/// - F-2025-057: 500.00 €, 300.00 paid: principal 200.00, interest 1.39, indemnity 0;
/// - registered letter 35.00 €.
///
/// Principal 1,000.00 + 200.00 = 1,200.00; interest 6.93 + 1.39 = 8.32; indemnity 40.00;
/// accessories 35.00; total 1,200.00 + 8.32 + 40.00 + 35.00 = 1,283.32 €.
fn request(kind: CourtKind) -> RequestDoc {
    RequestDoc {
        reference: "CTX-2026-007".into(),
        court_kind: kind,
        court_name: "Lyon".into(),
        creditor: creditor(),
        representative: None,
        debtor: debtor(),
        cause: "Fourniture de farines suivant bons de livraison signés, conditions générales de vente acceptées le 3 janvier 2025 ; mise en demeure du 2 février 2026 restée sans effet.".into(),
        claims: vec![
            ClaimLine {
                number: "F-2025-101".into(),
                issue_date: d(2025, 11, 1),
                due_date: d(2025, 12, 1),
                amount: eur(1_000_00),
                paid: eur(0),
                principal: eur(1_000_00),
                interest: eur(6_93),
                interest_basis: "taux BCE + 10 points du 02/12/2025 au 02/03/2026".into(),
                indemnity: eur(40_00),
            },
            ClaimLine {
                number: "F-2025-057".into(),
                issue_date: d(2025, 5, 15),
                due_date: d(2025, 6, 14),
                amount: eur(500_00),
                paid: eur(300_00),
                principal: eur(200_00),
                interest: eur(1_39),
                interest_basis: "taux légal du 15/06/2025 au 02/03/2026".into(),
                indemnity: eur(0),
            },
        ],
        accessories: vec![CostLine {
            label: "Lettre recommandée de mise en demeure".into(),
            on: d(2026, 2, 2),
            amount: eur(35_00),
        }],
        amounts_as_of: d(2026, 3, 2),
        city: "Paris".into(),
        date: d(2026, 3, 5),
        exhibits: vec![
            "Facture F-2025-101".into(),
            "Facture F-2025-057".into(),
            "Mise en demeure du 2 février 2026".into(),
        ],
    }
}

#[test]
fn request_lists_claims_breakdown_and_total() {
    let r = request(CourtKind::TribunalCommerce);
    assert_eq!(r.total(), eur(128_332));
    let t = text(&render_request(&r).unwrap());
    for expected in [
        "REQUÊTE EN INJONCTION DE PAYER",
        "Monsieur le Président du Tribunal de commerce de Lyon",
        "Acme Industrie SAS",
        "SAS, RCS Paris 552 100 554",
        "Boulangerie Dupré SARL",
        "SARL, RCS Lyon 423 456 789",
        "12 rue des Lilas, 69003 Lyon",
        "F-2025-101",
        "F-2025-057",
        "1 000,00 €",
        "300,00 €",
        "200,00 €",
        "6,93 €",
        "1,39 €",
        "taux BCE + 10 points du 02/12/2025 au 02/03/2026",
        "taux légal du 15/06/2025 au 02/03/2026",
        "Lettre recommandée de mise en demeure",
        "35,00 €",
        "Principal 1 200,00 €",
        "Intérêts arrêtés au 02/03/2026 8,32 €",
        "Indemnités forfaitaires pour frais de recouvrement 40,00 €",
        "Frais accessoires 35,00 €",
        "TOTAL RÉCLAMÉ 1 283,32 €",
        "Fourniture de farines",
        "BORDEREAU DES PIÈCES COMMUNIQUÉES",
        "Pièce n° 1 : Facture F-2025-101",
        "Pièce n° 2 : Facture F-2025-057",
        "Pièce n° 3 : Mise en demeure du 2 février 2026",
        "Fait à Paris, le 5 mars 2026",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert!(!t.contains("Tribunal judiciaire"));

    let t = text(&render_request(&request(CourtKind::TribunalJudiciaire)).unwrap());
    assert!(t.contains("Monsieur le Président du Tribunal judiciaire de Lyon"));
    assert!(!t.contains("Tribunal de commerce"));
}

#[test]
fn mixed_currencies_are_refused() {
    let mut r = request(CourtKind::TribunalJudiciaire);
    r.accessories[0].amount = Money::from_minor(35_00, Currency::GBP);
    assert!(matches!(
        render_request(&r),
        Err(LegalDocError::MixedCurrencies(..))
    ));
}

/// The smallest valid PNG: one opaque red pixel (checksums computed for this file).
fn tiny_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
        0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8,
        0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00,
        0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

fn tiny_pdf(marker: &str) -> Vec<u8> {
    render_document(&Document {
        lang: "fr".into(),
        title: "Facture F-2025-101".into(),
        subtitle: vec![marker.into()],
        sections: vec![Section {
            heading: "Détail".into(),
            lines: vec!["Farine T65, 40 sacs".into()],
            table: None,
        }],
        empty: "Aucun.".into(),
        footer: "Acme".into(),
    })
    .unwrap()
}

fn bundle() -> BundleDoc {
    BundleDoc {
        reference: "CTX-2026-007".into(),
        court_name: "Tribunal de commerce de Lyon".into(),
        creditor_name: "Acme Industrie SAS".into(),
        debtor_name: "Boulangerie Dupré SARL".into(),
        date: d(2026, 3, 5),
        exhibits: vec![
            ExhibitDoc {
                title: "Relevé de compte".into(),
                on: Some(d(2026, 3, 2)),
                body: ExhibitBody::Table {
                    headers: vec!["Facture".into(), "Solde".into()],
                    rows: vec![
                        vec!["F-2025-101".into(), "1 000,00 €".into()],
                        vec!["F-2025-057".into(), "200,00 €".into()],
                    ],
                },
            },
            ExhibitDoc {
                title: "Facture originale".into(),
                on: Some(d(2025, 11, 1)),
                body: ExhibitBody::Pdf(tiny_pdf("MARQUEUR-PDF-EXHIBIT")),
            },
            ExhibitDoc {
                title: "Bon de livraison signé".into(),
                on: None,
                body: ExhibitBody::Png(tiny_png()),
            },
            ExhibitDoc {
                title: "Échanges de courriels".into(),
                on: None,
                body: ExhibitBody::Text(vec!["Le client reconnaît la dette.".into()]),
            },
        ],
    }
}

#[test]
fn bundle_lists_then_shows_each_exhibit_in_order() {
    let t = text(&render_bundle(&bundle()).unwrap());
    let list = [
        "Pièce n° 1 : Relevé de compte — 02/03/2026",
        "Pièce n° 2 : Facture originale — 01/11/2025",
        "Pièce n° 3 : Bon de livraison signé",
        "Pièce n° 4 : Échanges de courriels",
    ];
    let headers = [
        "Pièce n° 1 — Relevé de compte",
        "Pièce n° 2 — Facture originale",
        "Pièce n° 3 — Bon de livraison signé",
        "Pièce n° 4 — Échanges de courriels",
    ];
    let mut at = 0;
    for s in list.iter().chain(headers.iter()) {
        let found = t[at..]
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} missing or out of order in:\n{t}"));
        at += found + s.len();
    }
    // The table and text exhibits are typeset; the PDF exhibit's own text is there.
    assert!(t.contains("1 000,00 €"));
    assert!(t.contains("Le client reconnaît la dette."));
    assert!(
        t.contains("MARQUEUR-PDF-EXHIBIT"),
        "PDF exhibit not embedded:\n{t}"
    );
}

#[test]
fn a_broken_exhibit_is_named() {
    let mut b = bundle();
    b.exhibits[2].body = ExhibitBody::Png(b"not a png".to_vec());
    match render_bundle(&b) {
        Err(LegalDocError::BadExhibit { number, .. }) => assert_eq!(number, 3),
        other => panic!("expected a bad exhibit, got {other:?}"),
    }
    let mut b = bundle();
    b.exhibits[1].body = ExhibitBody::Pdf(b"%PDF-1.7 garbage".to_vec());
    assert!(matches!(
        render_bundle(&b),
        Err(LegalDocError::BadExhibit { number: 2, .. })
    ));
}

#[test]
fn zip_holds_the_numbered_files() {
    let b = bundle();
    let bytes = bundle_zip(&b, &[("dossier.json".into(), b"{\"ok\":true}".to_vec())]).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "00-bordereau.pdf",
            "01-releve-de-compte.pdf",
            "02-facture-originale.pdf",
            "03-bon-de-livraison-signe.png",
            "04-echanges-de-courriels.pdf",
            "dossier.json",
        ]
    );
    let mut png = Vec::new();
    zip.by_name("03-bon-de-livraison-signe.png")
        .unwrap()
        .read_to_end(&mut png)
        .unwrap();
    assert_eq!(png, tiny_png());
    let mut table = Vec::new();
    zip.by_name("01-releve-de-compte.pdf")
        .unwrap()
        .read_to_end(&mut table)
        .unwrap();
    assert!(text(&table).contains("Pièce n° 1 — Relevé de compte"));
    let mut json = String::new();
    zip.by_name("dossier.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    assert_eq!(json, "{\"ok\":true}");
}

#[test]
fn form_a_has_parties_and_total() {
    let fields = form_a_fields(&request(CourtKind::TribunalCommerce)).unwrap();
    let value = |section: &str, label: &str| {
        fields
            .iter()
            .find(|f| f.section == section && f.label_en.contains(label))
            .unwrap_or_else(|| panic!("no field {label:?} in section {section}"))
            .value
            .clone()
    };
    assert_eq!(value("1", "Court — name"), "Tribunal de commerce de Lyon");
    assert_eq!(value("2", "Claimant (01) — Surname"), "Acme Industrie SAS");
    assert_eq!(
        value("2", "Defendant (02) — Surname"),
        "Boulangerie Dupré SARL"
    );
    assert_eq!(value("5", "Principal — total"), "1200.00");
    assert_eq!(value("6", "Interest — total"), "8.32");
    // 1,200.00 + 8.32 + 40.00 + 35.00, as in the request.
    assert_eq!(value("7", "Total claimed"), "1283.32");
    assert_eq!(
        value("8", "Evidence 3"),
        "Mise en demeure du 2 février 2026"
    );
    assert_eq!(value("10", "Date"), "05/03/2026");
}

fn mandate(principal_cents: i64) -> MandateDoc {
    let r = request(CourtKind::TribunalJudiciaire);
    let mut claims = r.claims;
    claims[0].amount = eur(principal_cents);
    claims[0].principal = eur(principal_cents);
    MandateDoc {
        reference: r.reference,
        creditor: r.creditor,
        commissaire: None,
        debtor: r.debtor,
        cause: r.cause,
        claims,
        amounts_as_of: r.amounts_as_of,
        instructions: vec!["Accepter un échéancier de trois mois au plus.".into()],
        city: "Paris".into(),
        date: d(2026, 3, 5),
    }
}

#[test]
fn mandate_under_the_ceiling_and_refused_over_it() {
    // Principal 1,000.00 + 200.00, interest 8.32, indemnity 40.00: total 1,248.32 €.
    let t = text(&render_mandate(&mandate(1_000_00)).unwrap());
    for expected in [
        "MANDAT DE RECOUVREMENT",
        "L125-1",
        "Boulangerie Dupré SARL",
        "Principal et intérêts (plafond : 5 000,00 €) 1 208,32 €",
        "TOTAL 1 248,32 €",
        "Accepter un échéancier de trois mois au plus.",
        "Fait à Paris, le 5 mars 2026",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    // 4,800.00 + 200.00 + 8.32 interest = 5,008.32 € > 5,000 €.
    assert!(matches!(
        render_mandate(&mandate(4_800_00)),
        Err(LegalDocError::OverSmallClaimsCeiling { .. })
    ));
}

#[test]
fn a_representative_and_a_natural_person_read_as_such() {
    let mut r = request(CourtKind::TribunalJudiciaire);
    r.representative = Some(Party {
        name: "Maître Jeanne Roux, avocate".into(),
        address_lines: vec!["3 place Bellecour".into(), "69002 Lyon".into()],
        company_id: Some("Barreau de Lyon".into()),
        ..Party::default()
    });
    r.debtor = Party {
        name: "Paul Martin".into(),
        address_lines: vec!["4 rue Neuve".into(), "69001 Lyon".into()],
        ..Party::default()
    };
    let t = text(&render_request(&r).unwrap());
    for expected in [
        "Représenté(e) par son mandataire :",
        "Maître Jeanne Roux, avocate",
        "Identifiant : Barreau de Lyon",
        "Domicile : 4 rue Neuve, 69001 Lyon",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert!(!t.contains("Agissant par son représentant légal, sans mandataire"));
}
