//! Statement imports end to end on SQLite, with statements written for these tests
//! (`tests/data`): automatic application, idempotence, overlapping statements, review and
//! manual application, over-payments. Every expected figure is worked out in a comment
//! from the fixtures.
//!
//! The portfolio (`claims.csv`), all in EUR:
//!
//! | claim | debtor | open |
//! | --- | --- | --- |
//! | F2026-0101 | D1 Garage Martin SARL | 1,500.00 |
//! | F2026-0102 | D2 Boulangerie Leroy | 480.00 |
//! | F2026-0103 | D3 Dupont Frères SA (due 14 Feb) | 300.00 |
//! | F2026-0104 | D3 Dupont Frères SA (due 19 Feb) | 300.00 |
//! | F2026-0105 | D4 Imprimerie Nouvelle | 800.00 |
//! | F2026-0106 | D1 Garage Martin SARL (issued 1 Feb) | 250.00 |

#![allow(clippy::unwrap_used)]

#[path = "../../formats/tests/common/skipped.rs"]
mod skipped;

use domain::{ClaimId, ClaimLedger, Currency, Date, EntryKind, Money};
use recouvre_app::clock::FixedClock;
use recouvre_app::import::{ImportOptions, import_claims};
use recouvre_app::payments::{self, StatementOptions, StatementReport, import_statement};
use recouvre_app::store::{PaymentFilter, PaymentStatus, Store};
use std::path::{Path, PathBuf};
use store_sqlite::SqliteStore;

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn rates() -> domain::law::RateTables {
    domain::law::RateTables::embedded().unwrap()
}

/// 3 March 2026, the day after the camt statement.
fn clock() -> FixedClock {
    FixedClock(Date::new(2026, 3, 3).unwrap())
}

async fn store_with_claims() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recouvre.db");
    let store = SqliteStore::open(path.to_str().unwrap(), "2026-03-01T00:00:00Z")
        .await
        .unwrap();
    let report = import_claims(
        &store,
        &FixedClock(Date::new(2026, 3, 1).unwrap()),
        "claims.csv",
        &data("claims.csv"),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.claims_created, 6);
    (store, dir)
}

async fn import(store: &dyn Store, name: &str) -> StatementReport {
    import_statement(
        store,
        &clock(),
        name,
        &data(name),
        &StatementOptions::default(),
    )
    .await
    .unwrap()
}

async fn claim_id(store: &dyn Store, number: &str) -> ClaimId {
    let mut tx = store.begin().await.unwrap();
    tx.claims(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.number.as_str() == number)
        .unwrap()
        .id
}

/// What is open on the claim, in minor units, all entries counted.
async fn open(store: &dyn Store, number: &str) -> i64 {
    let id = claim_id(store, number).await;
    let mut tx = store.begin().await.unwrap();
    ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(id).await.unwrap())
        .balance()
        .minor()
}

async fn ledger_entries(store: &dyn Store) -> i64 {
    store
        .begin()
        .await
        .unwrap()
        .counts()
        .await
        .unwrap()
        .ledger_entries
}

#[tokio::test]
async fn camt_credit_with_rf_and_invoice_number_is_applied() {
    let (store, _dir) = store_with_claims().await;
    // The RF printed for F2026-0101: base F20260101, F = 15, so the digits are
    // 1520260101 then RF00 = 271500: 1520260101271500 mod 97 = 70, check 98 - 70 = 28.
    let id = claim_id(&store, "F2026-0101").await;
    let mut tx = store.begin().await.unwrap();
    let claim = tx.claim(id).await.unwrap().unwrap();
    drop(tx);
    assert_eq!(
        payments::rf_reference(&claim).as_deref(),
        Some("RF28F20260101")
    );

    let r = import(&store, "camt053_march.xml").await;
    // Four entries: 1,500.00 (RF + number, exact: applied), a 12.50 debit (fees: ignored),
    // 1,000.00 naming F2026-0105 (800.00 open: over-paid, payer unknown: review), 300.00
    // from Dupont Frères naming nothing (two claims of 300.00: review).
    assert_eq!((r.entries, r.details, r.new, r.duplicates), (4, 4, 4, 0));
    assert_eq!((r.applied, r.to_review, r.debits, r.returned), (1, 2, 1, 0));
    assert_eq!(r.amount_applied, vec![eur(1500_00)]);
    // 1,000.00 + 300.00 = 1,300.00 waiting.
    assert_eq!(r.amount_to_review, vec![eur(1300_00)]);
    // 1,500.00 open - 1,500.00 paid = 0.
    assert_eq!(open(&store, "F2026-0101").await, 0);
    assert_eq!(open(&store, "F2026-0105").await, 800_00, "untouched");

    let mut tx = store.begin().await.unwrap();
    // The payer's IBAN is now known as D1's.
    let ibans = tx.payer_ibans().await.unwrap();
    assert_eq!(ibans.len(), 1);
    assert_eq!(ibans[0].iban, "DE89370400440532013000");
    assert_eq!(ibans[0].debtor_id, claim.debtor_id);
    // The statement's closing day is the payment-data date the dunning run checks.
    assert_eq!(
        tx.setting("payment_data_as_of").await.unwrap().as_deref(),
        Some("2026-03-02")
    );
}

#[tokio::test]
async fn the_same_statement_twice_books_nothing() {
    let (store, _dir) = store_with_claims().await;
    import(&store, "camt053_march.xml").await;
    // Six invoices + one payment entry.
    assert_eq!(ledger_entries(&store).await, 7);
    let again = import(&store, "camt053_march.xml").await;
    assert!(again.already_imported_at.is_some());
    assert_eq!((again.new, again.applied, again.to_review), (0, 0, 0));
    assert_eq!(ledger_entries(&store).await, 7);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.payments(&PaymentFilter::default()).await.unwrap().len(),
        4
    );
    drop(tx);

    // The same lines in another file (one byte more, so another file fingerprint): every
    // detail is a duplicate.
    let mut bytes = data("camt053_march.xml");
    bytes.push(b'\n');
    let copy = import_statement(
        &store,
        &clock(),
        "copy.xml",
        &bytes,
        &StatementOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(copy.already_imported_at, None);
    assert_eq!((copy.new, copy.duplicates, copy.applied), (0, 4, 0));
    assert_eq!(ledger_entries(&store).await, 7);
}

#[tokio::test]
async fn overlapping_mt940_statements_do_not_double_book() {
    let (store, _dir) = store_with_claims().await;
    let day1 = import(&store, "mt940_day1.sta").await;
    assert_eq!(day1.format, "mt940");
    // 480.00 naming F2026-0102, its exact amount: applied.
    assert_eq!((day1.new, day1.applied), (1, 1));
    assert_eq!(open(&store, "F2026-0102").await, 0);
    let entries = ledger_entries(&store).await;

    // Day 2 repeats the 480.00 line and adds 75.00 from a stranger.
    let day2 = import(&store, "mt940_day2.sta").await;
    assert_eq!((day2.entries, day2.new, day2.duplicates), (2, 1, 1));
    assert_eq!((day2.applied, day2.to_review), (0, 1));
    assert_eq!(day2.amount_to_review, vec![eur(75_00)]);
    assert_eq!(
        ledger_entries(&store).await,
        entries,
        "nothing posted twice"
    );
    assert_eq!(open(&store, "F2026-0102").await, 0);

    // Both statements in one file, on a fresh database: the 480.00 line is stored once
    // (2 statements, 3 details, 2 new, 1 duplicate) and applied once.
    let (store, _dir) = store_with_claims().await;
    let mut both = data("mt940_day1.sta");
    both.extend(data("mt940_day2.sta"));
    let r = import_statement(
        &store,
        &clock(),
        "both.sta",
        &both,
        &StatementOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!((r.statements, r.details, r.new, r.duplicates), (2, 3, 2, 1));
    assert_eq!((r.applied, r.to_review), (1, 1));
    assert_eq!(open(&store, "F2026-0102").await, 0);
}

#[tokio::test]
async fn a_claim_paid_twice_in_one_statement_is_posted_once() {
    let (store, _dir) = store_with_claims().await;
    // Two different transfers of 480.00, both naming F2026-0102 (480.00 open). The matcher
    // proposes the claim for both; the first settles it, so the second's allocation no
    // longer fits the proposal and it waits for a person (a refund, or another invoice).
    let r = import(&store, "mt940_paid_twice.sta").await;
    assert_eq!((r.new, r.applied, r.to_review), (2, 1, 1));
    assert_eq!(r.amount_to_review, vec![eur(480_00)]);
    // 480.00 - 480.00 = 0, never -480.00.
    assert_eq!(open(&store, "F2026-0102").await, 0);
}

#[tokio::test]
async fn an_ambiguous_payment_waits_and_is_applied_on_designated_claims() {
    let (store, _dir) = store_with_claims().await;
    import(&store, "camt053_march.xml").await;
    let mut tx = store.begin().await.unwrap();
    let items = payments::review(tx.as_mut(), clock().0).await.unwrap();
    drop(tx);
    // Waiting, oldest first: the 1,000.00 then the 300.00.
    let amounts: Vec<Money> = items.iter().map(|i| i.payment.amount).collect();
    assert_eq!(amounts, vec![eur(1000_00), eur(300_00)]);
    let dupont = &items[1];
    // The payer is Dupont Frères, whose two claims are both 300.00: suggestions for D3.
    assert!(!dupont.suggestions.is_empty());
    let f103 = claim_id(&store, "F2026-0103").await;
    let f104 = claim_id(&store, "F2026-0104").await;
    for s in &dupont.suggestions {
        assert!(
            s.claims
                .iter()
                .all(|c| c.claim_id == f103 || c.claim_id == f104),
            "{s:?}"
        );
    }

    // The accountant knows it pays the later invoice, F2026-0104.
    let id = dupont.payment.id;
    let posted = payments::apply(&store, &clock(), id, Some(vec![f104]), &rates())
        .await
        .unwrap();
    assert_eq!(posted.allocations.len(), 1);
    assert_eq!(
        (posted.allocations[0].claim_id, posted.allocations[0].amount),
        (f104, eur(300_00))
    );
    assert_eq!(posted.overpayment, eur(0));
    // F2026-0104: 300.00 - 300.00 = 0; F2026-0103 keeps its 300.00 although older.
    assert_eq!(open(&store, "F2026-0104").await, 0);
    assert_eq!(open(&store, "F2026-0103").await, 300_00);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.payment(id).await.unwrap().unwrap().status,
        PaymentStatus::Applied
    );
    drop(tx);
    // Applied once only.
    assert!(
        payments::apply(&store, &clock(), id, Some(vec![f103]), &rates())
            .await
            .is_err()
    );
    assert_eq!(open(&store, "F2026-0103").await, 300_00);
}

#[tokio::test]
async fn an_over_payment_leaves_a_credit() {
    let (store, _dir) = store_with_claims().await;
    import(&store, "camt053_march.xml").await;
    let mut tx = store.begin().await.unwrap();
    let items = payments::review(tx.as_mut(), clock().0).await.unwrap();
    drop(tx);
    let over = items
        .iter()
        .find(|i| i.payment.amount == eur(1000_00))
        .unwrap();
    let f105 = claim_id(&store, "F2026-0105").await;
    // The top suggestion is the claim the text names.
    assert_eq!(over.suggestions[0].claims[0].claim_id, f105);
    let posted = payments::apply(&store, &clock(), over.payment.id, None, &rates())
        .await
        .unwrap();
    // 1,000.00 paid on 800.00 open. The claim (B2B, France, due 24 Feb 2026) was paid
    // late: the excess first pays what the law allows (domain-rules.md §3, C1–C3): the
    // €40 indemnity (D441-5) and the interest at ECB 2.15 % + 10 = 12.15 % (2026 S1) for
    // 2 Mar − 24 Feb = 6 days: 800.00 × 12.15 % × 6 / 365 = 1.59781 → 1.60. Both are
    // posted to the ledger and paid: 800.00 + 1.60 + 40.00 = 841.60 on the claim, and
    // 1,000.00 − 841.60 = 158.40 stays a credit on D4.
    assert_eq!(posted.allocations[0].amount, eur(841_60));
    assert_eq!(posted.charges.len(), 1);
    assert_eq!(
        (posted.charges[0].interest, posted.charges[0].indemnity),
        (eur(1_60), eur(40_00))
    );
    // The allocation's interest bucket holds interest and indemnity: 41.60.
    assert_eq!(posted.allocations[0].interest, eur(41_60));
    assert_eq!(posted.allocations[0].principal, eur(800_00));
    assert_eq!(posted.overpayment, eur(158_40));
    assert_eq!(open(&store, "F2026-0105").await, 0);
    let mut tx = store.begin().await.unwrap();
    let kinds: Vec<EntryKind> = tx
        .ledger_entries(f105)
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            EntryKind::Invoice,
            EntryKind::Interest,
            EntryKind::Indemnity,
            EntryKind::Payment
        ]
    );
    assert_eq!(
        payments::debtor_credit(tx.as_mut(), posted.debtor_id)
            .await
            .unwrap(),
        vec![eur(158_40)]
    );
    drop(tx);
    // The law engine sees it all paid: nothing more to claim.
    let mut tx = store.begin().await.unwrap();
    let p = recouvre_app::law::claim_penalties(tx.as_mut(), f105, clock().0, &rates())
        .await
        .unwrap();
    assert_eq!(p.interest_total(), eur(1_60));
    assert_eq!(
        (p.interest_due(), p.indemnity_due(), p.principal_due()),
        (eur(0), eur(0), eur(0))
    );
}

#[tokio::test]
async fn ignore_sets_a_payment_aside_and_a_bad_file_changes_nothing() {
    let (store, _dir) = store_with_claims().await;
    import(&store, "mt940_day2.sta").await;
    let mut tx = store.begin().await.unwrap();
    let waiting = tx
        .payments(&PaymentFilter {
            statuses: vec![PaymentStatus::Review],
            limit: None,
        })
        .await
        .unwrap();
    drop(tx);
    // 75.00 from SCI des Lilas names nothing and fits nothing.
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].amount, eur(75_00));
    let p = payments::ignore(&store, &clock(), waiting[0].id)
        .await
        .unwrap();
    assert_eq!(p.status, PaymentStatus::Ignored);
    assert!(
        payments::ignore(&store, &clock(), waiting[0].id)
            .await
            .is_err()
    );

    // A statement cut in the middle: an error that names the file, nothing written.
    let entries = ledger_entries(&store).await;
    let text = String::from_utf8(data("camt053_march.xml")).unwrap();
    let cut = &text[..text.find("CAMT-3").unwrap()];
    let e = import_statement(
        &store,
        &clock(),
        "cut.xml",
        cut.as_bytes(),
        &StatementOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().starts_with("cut.xml:"), "{e}");
    assert_eq!(ledger_entries(&store).await, entries);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.payments(&PaymentFilter::default()).await.unwrap().len(),
        2
    );
}

#[tokio::test]
async fn a_partial_payment_pays_costs_then_interest_then_principal() {
    let (store, _dir) = store_with_claims().await;
    // F2026-0103 (300.00) also carries 50.00 of costs and 30.00 of interest, charged on
    // 20 February: 380.00 open.
    let f103 = claim_id(&store, "F2026-0103").await;
    let mut tx = store.begin().await.unwrap();
    let mut ledger =
        ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(f103).await.unwrap());
    let day = Date::new(2026, 2, 20).unwrap();
    ledger.post(EntryKind::Fee, eur(50_00), day, None).unwrap();
    ledger
        .post(EntryKind::Interest, eur(30_00), day, None)
        .unwrap();
    tx.append_entries(f103, &ledger.entries()[1..], "2026-02-20T12:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(open(&store, "F2026-0103").await, 380_00);

    import(&store, "camt053_march.xml").await;
    let mut tx = store.begin().await.unwrap();
    let dupont = tx
        .payments(&PaymentFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.amount == eur(300_00))
        .unwrap();
    drop(tx);
    let posted = payments::apply(&store, &clock(), dupont.id, Some(vec![f103]), &rates())
        .await
        .unwrap();
    // 300.00 paid: costs 50.00 first, then interest 30.00, then 300 - 50 - 30 = 220.00
    // of principal; 380.00 - 300.00 = 80.00 stays open, all of it principal.
    let a = &posted.allocations[0];
    assert_eq!(
        (a.fees, a.interest, a.principal),
        (eur(50_00), eur(30_00), eur(220_00))
    );
    assert_eq!(open(&store, "F2026-0103").await, 80_00);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.allocations(dupont.id).await.unwrap(), posted.allocations);
}

#[tokio::test]
async fn a_learned_iban_identifies_the_payer() {
    // 250.00 from DE89 3704 0044 0532 0130 00, signed "G. M.", text "VIREMENT": nothing
    // names a claim or a debtor. Unknown IBAN: review.
    let (store, _dir) = store_with_claims().await;
    let r = import(&store, "mt940_known_iban.sta").await;
    assert_eq!((r.applied, r.to_review), (0, 1));

    // Once the camt payment of Garage Martin from that IBAN was applied, the IBAN is D1's;
    // D1's one claim of 250.00 is F2026-0106: learned IBAN (500) + the one claim of that
    // amount (350) = 850, the threshold: applied.
    let (store, _dir) = store_with_claims().await;
    import(&store, "camt053_march.xml").await;
    let r = import(&store, "mt940_known_iban.sta").await;
    assert_eq!((r.applied, r.to_review), (1, 0));
    assert_eq!(r.lines[0].score, Some(850));
    assert_eq!(open(&store, "F2026-0106").await, 0);
}

/// A letter about both of Garage Martin's claims asks it to quote its own RF reference,
/// "RF56 D1" (ISO 11649 over its customer reference D1: D1RF00 → 131271500, mod 97 = 42,
/// check digits 98 − 42 = 56). It pays 1,750.00 = 1,500.00 (F2026-0101) + 250.00
/// (F2026-0106) quoting it: the reference (600) and the one combination of its claims
/// (250) make 850, the threshold: applied to both, nothing left open.
#[tokio::test]
async fn a_payment_quoting_the_debtors_own_reference_settles_its_claims() {
    let (store, _dir) = store_with_claims().await;
    let mut tx = store.begin().await.unwrap();
    let d1 = tx
        .debtors(None)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.external_id == "D1")
        .unwrap();
    drop(tx);
    // The reference the letters print is the one worked out above.
    assert_eq!(
        payments::debtor_rf_reference(&d1).as_deref(),
        Some("RF56D1")
    );
    let map = payments::csv_mapping(&[
        "account=FR7630006000011234567890189".into(),
        "date=Date".into(),
        "amount=Montant".into(),
        "remittance=Libellé".into(),
    ])
    .unwrap();
    let options = StatementOptions {
        csv: Some(map),
        ..StatementOptions::default()
    };
    let csv = "Date;Libellé;Montant\n04/03/2026;VIR SEPA GARAGE MARTIN REF RF56 D1;1750,00\n";
    let r = import_statement(&store, &clock(), "rf.csv", csv.as_bytes(), &options)
        .await
        .unwrap();
    assert_eq!((r.applied, r.to_review), (1, 0));
    assert_eq!(r.lines[0].score, Some(850));
    assert_eq!(open(&store, "F2026-0101").await, 0);
    assert_eq!(open(&store, "F2026-0106").await, 0);
}

#[tokio::test]
async fn csv_statement_with_a_mapping_and_identical_lines() {
    let (store, _dir) = store_with_claims().await;
    let map = payments::csv_mapping(&[
        "account=FR7630006000011234567890189".into(),
        "date=Date".into(),
        "amount=Montant".into(),
        "remittance=Libellé".into(),
        "payer_name=Nom".into(),
    ])
    .unwrap();
    let options = StatementOptions {
        csv: Some(map),
        ..StatementOptions::default()
    };
    let r = import_statement(
        &store,
        &clock(),
        "bank_export.csv",
        &data("bank_export.csv"),
        &options,
    )
    .await
    .unwrap();
    // 480.00 naming F2026-0102 (its exact amount): applied. Two identical 45.00 lines
    // without reference are two payments, both to review: 45.00 + 45.00 = 90.00.
    assert_eq!(r.format, "csv");
    assert_eq!((r.new, r.duplicates, r.applied, r.to_review), (3, 0, 1, 2));
    assert_eq!(r.amount_to_review, vec![eur(90_00)]);
    assert_eq!(open(&store, "F2026-0102").await, 0);

    // The next export repeats both 45.00 lines and adds a 30.00 debit.
    let next = import_statement(
        &store,
        &clock(),
        "bank_export_next.csv",
        &data("bank_export_next.csv"),
        &options,
    )
    .await
    .unwrap();
    assert_eq!((next.new, next.duplicates, next.debits), (1, 2, 1));

    // Without a mapping a CSV file is refused, naming the file.
    let e = import_statement(
        &store,
        &clock(),
        "other.csv",
        b"a;b\n1;2\n",
        &StatementOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().starts_with("other.csv:"), "{e}");
}

/// The corpus (`shared/fixtures`): `$RECOUVRE_CORPUS`, else `../shared/fixtures` from the
/// workspace root; `None` with a `SKIPPED` line when absent.
fn corpus(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("RECOUVRE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    );
    if dir.join("camt").is_dir() && dir.join("mt940").is_dir() {
        Some(dir)
    } else {
        skipped::skipped(
            test,
            &format!(
                "no shared/fixtures at {} (set RECOUVRE_CORPUS)",
                dir.display()
            ),
        );
        None
    }
}

#[tokio::test]
async fn every_corpus_statement_imports_and_a_second_time_books_nothing() {
    let Some(dir) = corpus("every_corpus_statement_imports_and_a_second_time_books_nothing") else {
        return;
    };
    let (store, _dir) = store_with_claims().await;
    let mut stored = 0;
    for sub in ["camt", "mt940"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let name = path.display().to_string();
            let bytes = std::fs::read(&path).unwrap();
            // The format is detected from the content.
            assert_eq!(payments::detect_format(&bytes).as_str(), sub, "{name}");
            let options = StatementOptions::default();
            let before = ledger_entries(&store).await;
            if payments::read_statements(&name, &bytes, &options).is_err() {
                // A file the reader refuses (a former currency): the import fails and
                // changes nothing.
                let e = import_statement(&store, &clock(), &name, &bytes, &options).await;
                assert!(e.is_err(), "{name}");
                assert_eq!(ledger_entries(&store).await, before, "{name}");
                continue;
            }
            let first = import_statement(&store, &clock(), &name, &bytes, &options)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            // Every detail is new, a duplicate (an earlier file carried it) or not booked.
            assert_eq!(
                first.new + first.duplicates + first.not_booked,
                first.details,
                "{name}"
            );
            stored += first.new;
            let entries = ledger_entries(&store).await;
            let mut changed = bytes.clone();
            changed.push(b'\n');
            let second = import_statement(&store, &clock(), &name, &changed, &options)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(second.new, 0, "{name}");
            assert_eq!(ledger_entries(&store).await, entries, "{name}");
        }
    }
    assert!(
        stored > 100,
        "only {stored} transactions stored from the corpus"
    );
}

/// Issue 23, also found: "A truncated MT940 is booked half and exits 0; camt entries are
/// not checked against balances: refuse a statement whose balances do not close."
#[tokio::test]
async fn a_statement_cut_short_or_whose_balances_do_not_close_is_refused_whole() {
    let (store, _dir) = store_with_claims().await;
    async fn payments(store: &SqliteStore) -> usize {
        let mut tx = store.begin().await.unwrap();
        tx.payments(&PaymentFilter::default()).await.unwrap().len()
    }
    let entries_before = ledger_entries(&store).await;

    // mt940_day1.sta cut after its `:61:`/`:86:`: no `:62F:`, no end of message.
    let whole = String::from_utf8(data("mt940_day1.sta")).unwrap();
    let cut = &whole[..whole.find(":62F:").unwrap()];
    let err = import_statement(
        &store,
        &clock(),
        "cut.sta",
        cut.as_bytes(),
        &StatementOptions::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("cut.sta"), "{err}");
    assert!(err.contains("LEROY-1"), "{err}");
    assert!(err.contains(":62F:"), "{err}");
    assert!(err.contains("--accept-unbalanced"), "{err}");
    assert_eq!(payments(&store).await, 0);
    assert_eq!(ledger_entries(&store).await, entries_before);

    // The whole file, its closing balance off by one cent: 12 787.50 + 480.00 ≠ 13 267.51.
    let off = whole.replace(":62F:C260303EUR13267,50", ":62F:C260303EUR13267,51");
    let err = import_statement(
        &store,
        &clock(),
        "off.sta",
        off.as_bytes(),
        &StatementOptions::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    // Worked by hand: opening 12787.50 + entries 480.00 = 13267.50; closing 13267.51.
    assert!(err.contains("12787.50"), "{err}");
    assert!(err.contains("480.00"), "{err}");
    assert!(err.contains("13267.50"), "{err}");
    assert!(err.contains("13267.51"), "{err}");
    assert!(err.contains("0.01"), "{err}");
    assert_eq!(payments(&store).await, 0);

    // Told to, the import takes the file cut short as it is.
    let accepted = import_statement(
        &store,
        &clock(),
        "cut.sta",
        cut.as_bytes(),
        &StatementOptions {
            accept_unbalanced: true,
            ..StatementOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(accepted.new, 1);
    assert_eq!(payments(&store).await, 1);
}
