//! The readable PDF of a debtor's personal data (GDPR access request): exported from a real
//! SQLite store, its text read back with pdftotext (Debian's poppler-utils, installed by
//! scripts/test) holds the debtor's name, its contacts and its claim numbers; the export is
//! audited with who asked.

#![allow(clippy::unwrap_used)]

use app::audit::Actor;
use app::clock::FixedClock;
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Contact, ContactKind, Currency, Date, Debtor,
    DebtorId, DebtorKind, EntryKind, Money, Nature, Segment,
};
use recouvre_comms::Lang;
use std::process::Command;

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_pdf_holds_the_name_contacts_and_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    let mut tx = app::Store::begin(&store).await.unwrap();
    let c = tx
        .insert_creditor("ACME", "Acme Industrie", "FR")
        .await
        .unwrap();
    let debtor = tx
        .insert_debtor(&Debtor {
            id: DebtorId(0),
            creditor_id: c.id,
            external_id: "C-77".into(),
            name: "Boulangerie Vautrin SARL".into(),
            kind: DebtorKind::Company,
            segment: Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: vec![Contact {
                kind: ContactKind::Email,
                value: "compta@vautrin.example".into(),
                label: None,
            }],
            tags: vec![],
        })
        .await
        .unwrap();
    for number in ["F-2026-101", "F-2026-102"] {
        let claim = tx
            .insert_claim(&Claim {
                id: ClaimId(0),
                creditor_id: c.id,
                debtor_id: debtor,
                external_id: number.into(),
                number: ClaimNumber::parse(number).unwrap(),
                nature: Nature::Commercial,
                issue_date: d(2026, 1, 5),
                due_date: d(2026, 2, 4),
                currency: Currency::EUR,
            })
            .await
            .unwrap();
        let mut ledger = ClaimLedger::new(Currency::EUR);
        ledger
            .post(
                EntryKind::Invoice,
                Money::from_minor(480_00, Currency::EUR),
                d(2026, 1, 5),
                None,
            )
            .unwrap();
        tx.append_entries(claim, ledger.entries(), "2026-01-05T09:00:00Z")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let data = app::gdpr::export(
        &store,
        &FixedClock(d(2026, 3, 2)),
        &Actor("dpo".into()),
        debtor,
    )
    .await
    .unwrap();
    let pdf = recouvre_comms::personal_data::render(&data, Lang::Fr).unwrap();
    let file = dir.path().join("export.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed: scripts/test installs it");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Données personnelles détenues",
        "Boulangerie Vautrin SARL",
        "compta@vautrin.example",
        "F-2026-101",
        "F-2026-102",
        "480,00",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let mut tx = app::Store::begin_read(&store).await.unwrap();
    let log = tx.audit_entries(5, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "gdpr.export"
        && e.actor == "dpo"
        && e.subject == format!("debtor:{debtor}")));
}
